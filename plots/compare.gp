# Two runs side by side: for every size and rate (sweep) or size and NDR/PDR
# (search) they share, A and B with their noise as error bars.
# mir-perf runs `gnuplot -e "label_a='A: ...'; label_b='B: ...'; what='...'" THIS`
# in the comparison directory, next to compare.dat:
# columns row "label" a a_lo a_hi b b_lo b_hi (frames/s).
set title "comparison: ".what noenhanced
set ylabel "frames/s"
set key top right box opaque
set grid ytics
set format y "%.1s%c"
set yrange [0:*]
set xrange [-0.5:*]
set xtics rotate by -30 noenhanced
set datafile missing "NaN"
do for [fmt in "png svg"] {
	if (fmt eq "png") {
		if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
			set terminal pngcairo size 1000,600 font "sans,10"
		} else {
			set terminal png size 1000,600
		}
	} else {
		set terminal svg size 1000,600 dynamic font "sans,10"
	}
	set output "compare.".fmt
	plot "compare.dat" using ($1-0.12):3:4:5:xtic(2) with yerrorbars lw 2 pt 7 title label_a noenhanced, \
		"" using ($1+0.12):6:7:8 with yerrorbars lw 2 pt 5 title label_b noenhanced
	set output
}
