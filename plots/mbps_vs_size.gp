# Throughput vs frame size at the highest loss-free rate of each size.
# loss_free.dat columns: size offered_pps sink_mbps (one row per size that had
# a loss-free point); each point is labelled with its frame rate.
set title title."\nthroughput at the highest loss-free rate" noenhanced
set xlabel "frame size (bytes, with FCS)"
set ylabel "received at the sink (Mbit/s, layer 2 with FCS)"
set key top left box opaque
set grid
set xrange [0:*]
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
	set output "mbps_vs_size.".fmt
	plot "loss_free.dat" using 1:3 with linespoints lw 2 pt 7 title "Mbit/s", \
		"" using 1:3:(sprintf("%.0f kpps", $2 / 1000)) with labels offset 0,1 notitle
	set output
}
