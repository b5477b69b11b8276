# One-way latency percentiles vs offered frame rate: per frame size, p50
# (solid), p99 (dashed) and p99.9 (dotted) in the size's colour.
# Variables and data: see rx_vs_offered.gp.
set title title."\nlatency vs offered rate" noenhanced
set xlabel "offered (frames/s, what the generator really sent)"
set ylabel "one-way latency (log scale)"
set key outside right top box opaque
set grid
set logscale y
set ytics ("1 us" 1, "10 us" 10, "100 us" 100, "1 ms" 1e3, "10 ms" 1e4, "100 ms" 1e5, \
	"1 s" 1e6, "10 s" 1e7)
set format x "%.1s%c"
set xrange [0:*]
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
	set output "latency_vs_offered.".fmt
	plot for [i=1:words(sizes)] "points.dat" index (i-1) using 3:7 lc i lw 2 pt 7 dt 1 \
		title word(sizes,i)." B p50", \
	     for [i=1:words(sizes)] "points.dat" index (i-1) using 3:9 lc i lw 1 pt 6 dt 2 \
		title word(sizes,i)." B p99", \
	     for [i=1:words(sizes)] "points.dat" index (i-1) using 3:10 lc i lw 1 pt 1 dt 3 \
		title word(sizes,i)." B p99.9"
	set output
}
