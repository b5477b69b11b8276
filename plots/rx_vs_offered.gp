# Received vs offered frame rate, one line per frame size.
# mir-perf runs `gnuplot -e "title='...'; sizes='64 512 1518'" THIS` in the run's
# plots/ directory, next to points.dat: one block per size (in `sizes` order),
# columns: size target offered sink_rx loss_pct sink_mbps p50 p90 p99 p999 (us).
set title title."\nreceived vs offered" noenhanced
set xlabel "offered (frames/s, what the generator really sent)"
set ylabel "received at the sink (frames/s)"
set key top left box opaque
set grid
set format x "%.1s%c"
set format y "%.1s%c"
set xrange [0:*]
set yrange [0:*]
set datafile missing "NaN"
set style data linespoints
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
	set output "rx_vs_offered.".fmt
	plot for [i=1:words(sizes)] "points.dat" index (i-1) using 3:4 lw 2 pt 7 \
		title word(sizes,i)." B", \
		x with lines dt 2 lc "gray" title "received = offered"
	set output
}
