# Goodput vs write size, a line per protocol and stream count (the goodput
# mode). goodput.dat: blocks (gnuplot's index) of rows "bufsz mean min max",
# the mean goodput of a point's trials and the lowest and highest of them;
# `titles` names the blocks, one word each ("tcp-1-stream udp-4-streams").
set title title."\nTCP/UDP goodput through the DUT (iperf3)" noenhanced
set xlabel "write size (bytes per send, iperf3 -l)"
set ylabel "goodput (Mbit/s, received payload)"
set key top left box opaque noenhanced
set grid
set logscale x 2
set yrange [0:*]
set offsets graph 0.05, graph 0.05, graph 0.1, 0
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
	set output "goodput_vs_bufsz.".fmt
	plot for [i = 0:blocks - 1] "goodput.dat" index i using 1:2:3:4 with yerrorlines lw 2 pt 7 \
		title word(titles, i + 1)
	set output
}
