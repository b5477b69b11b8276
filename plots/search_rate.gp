# NDR and PDR against frame size, in frames per second.
# mir-perf runs `gnuplot -e "title='...'; sizes='64 512'; ndr_pct='0'; pdr_pct='0.5'" THIS`
# in the run's plots/ directory, next to search.dat: one row per size, columns
# 1 size, then for NDR (2-7) and PDR (8-13): lower upper l2_gbps l1_gbps ci_lo ci_hi.
# The bar of each point spans lower..upper bound (the search's precision).
set title title."\nthroughput search: NDR (loss <= ".ndr_pct." %) and PDR (loss <= ".pdr_pct." %)" noenhanced
set xlabel "frame size (bytes, with FCS)"
set ylabel "frames/s the generator offered"
set key top right box opaque
set grid
set logscale x 2
set format y "%.1s%c"
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
	set output "search_rate.".fmt
	plot "search.dat" using ($1*0.98):2:2:3 with yerrorbars lw 2 pt 7 title "NDR lower..upper", \
		"" using ($1*0.98):2 with lines lw 1 notitle, \
		"" using ($1*1.02):8:8:9 with yerrorbars lw 2 pt 5 title "PDR lower..upper", \
		"" using ($1*1.02):8 with lines lw 1 dt 2 notitle
	set output
}
