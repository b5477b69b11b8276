# Every trial of the search, one plot per frame size: trial number against the
# rate the generator really offered; filled points kept loss within the NDR
# tolerance, open ones did not; bigger points are longer trials (log scale).
# search_trials.dat: one block per size (in `sizes` order), columns
# trial offered_pps loss_pct duration_s ndr_ok pdr_ok.
set xlabel "trial"
set ylabel "offered (frames/s)"
set key top right box opaque
set grid
set format y "%.2s%c"
set datafile missing "NaN"
do for [i=1:words(sizes)] {
	set title title."\nsearch trials at ".word(sizes,i)." B (bigger points: longer trials)" noenhanced
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
		set output "search_trials_".word(sizes,i).".".fmt
		plot "search_trials.dat" index (i-1) using 1:($5 > 0 ? $2 : NaN):(0.6+0.6*log(1+$4)) \
			with points pt 7 ps variable lc "dark-green" title "no loss beyond the NDR tolerance", \
			"" index (i-1) using 1:($5 > 0 ? NaN : $2):(0.6+0.6*log(1+$4)) \
			with points pt 6 ps variable lc "red" title "lossy", \
			"" index (i-1) using 1:2 with lines lc "gray" notitle
		set output
	}
}
