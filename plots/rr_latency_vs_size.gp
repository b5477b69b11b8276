# Transaction latency vs request/response size, a line per percentile and
# connection count (the rr mode). rr.dat: blocks (gnuplot's index), one per
# connection count, of rows "ordinal size p50 p90 p99 p99.9 max" (us, the
# mean of a point's trials); `titles` names the blocks ("1-conn 4-conns").
set title title."\nTCP request/response latency through the DUT (mir-trafgen rr)" noenhanced
set xlabel "request/response size (bytes; Q is Q/Q)"
set ylabel "latency (us, request's first write to response's last byte)"
set key top left box opaque noenhanced
set grid
set logscale y 10
set offsets graph 0.05, graph 0.05, graph 0.1, 0
pct = "p50 p90 p99 p99.9"
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
	set output "rr_latency_vs_size.".fmt
	plot for [i = 0:blocks - 1] for [c = 3:6] "rr.dat" index i using 1:c:xticlabels(2) \
		with linespoints lw 2 pt 7 lc i + 1 dt c - 2 \
		title word(titles, i + 1)." ".word(pct, c - 2)
	set output
}
