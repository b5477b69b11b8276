# NDR and PDR against frame size, in Gbit/s at layer 2 (frame with FCS) and
# layer 1 (plus 20 bytes of preamble and gap). Same data as search_rate.gp.
# With trials = N the bars are the 95 % confidence interval of what the sink
# received at the bound (scaled to Gbit/s at L2).
set title title."\nthroughput search: NDR and PDR in Gbit/s" noenhanced
set xlabel "frame size (bytes, with FCS)"
set ylabel "Gbit/s"
set key top left box opaque
set grid
set logscale x 2
set yrange [0:*]
set datafile missing "NaN"
do for [fmt in "png svg"] {
	if (fmt eq "png") {
		if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
			set terminal pngcairo size 900,600 font "sans,10"
		} else {
			set terminal png size 900,600
		}
	} else {
		set terminal svg size 900,600 dynamic font "sans,10"
	}
	set output "search_gbps.".fmt
	plot "search.dat" using 1:4:($6*$1*8/1e9):($7*$1*8/1e9) with yerrorlines lw 2 pt 7 title "NDR L2", \
		"" using 1:5 with linespoints lw 1 pt 6 dt 2 title "NDR L1", \
		"" using 1:10:($12*$1*8/1e9):($13*$1*8/1e9) with yerrorlines lw 2 pt 5 title "PDR L2", \
		"" using 1:11 with linespoints lw 1 pt 4 dt 2 title "PDR L1"
	set output
}
