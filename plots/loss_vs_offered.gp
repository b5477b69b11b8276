# Loss % vs offered frame rate, one line per frame size.
# Variables and data: see rx_vs_offered.gp.
set title title."\nloss vs offered rate" noenhanced
set xlabel "offered (frames/s, what the generator really sent)"
set ylabel "loss (% of frames sent)"
set key top left box opaque
set grid
set format x "%.1s%c"
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
	set output "loss_vs_offered.".fmt
	plot for [i=1:words(sizes)] "points.dat" index (i-1) using 3:5 lw 2 pt 7 \
		title word(sizes,i)." B"
	set output
}
