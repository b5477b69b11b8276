# Received vs offered frame rate over repeated trials (trials = N): the mean
# of each point, with its 95 % confidence intervals (Student's t) as error bars
# in both directions; one line per frame size.
# mir-perf runs `gnuplot -e "title='...'; sizes='64 512'" THIS` in the run's
# plots/ directory, next to trials.dat: one block per size (in `sizes` order),
# columns offered_mean rx_mean rx_ci_lo rx_ci_hi offered_ci_lo offered_ci_hi.
set title title."\nreceived vs offered, mean of the trials and 95 % confidence intervals" noenhanced
set xlabel "offered (frames/s, what the generator really sent)"
set ylabel "received at the sink (frames/s)"
set key top left box opaque
set grid
set format x "%.1s%c"
set format y "%.1s%c"
set xrange [0:*]
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
	set output "rx_vs_offered_ci.".fmt
	plot for [i=1:words(sizes)] "trials.dat" index (i-1) using 1:2:5:6:3:4 \
		with xyerrorlines lw 2 pt 7 title word(sizes,i)." B", \
		x with lines dt 2 lc "gray" title "received = offered"
	set output
}
