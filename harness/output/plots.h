/* Plots of a run, rendered by gnuplot from the templates plots/NAME.gp into
 * <run dir>/plots/NAME.png and NAME.svg. gnuplot runs as a child process with
 * an argument vector (no shell), in the plots directory, on data files written
 * here; the only values passed in are a sanitised title and the list of sizes. */
#ifndef MP_PLOTS_H
#define MP_PLOTS_H

#include <stddef.h>

#include "harness/output/results.h"

enum plot_kind {
	PLOT_RX_VS_OFFERED = 0,
	PLOT_LOSS_VS_OFFERED,
	PLOT_MBPS_VS_SIZE,
	PLOT_LATENCY_VS_OFFERED,
	PLOT_COUNT
};

/* "rx_vs_offered", ...: template plots/NAME.gp, outputs NAME.png, NAME.svg */
const char *plots_name(enum plot_kind k);
/* What the plot shows, for people. */
const char *plots_caption(enum plot_kind k);

/* Where the templates are: $MP_PLOTS_DIR, else plots/ next to the bin/ the
 * program runs from (a source tree), else the installed share/mir-perf/plots. */
int plots_find_templates(char *buf, size_t len);

/* The plot title: "<library> <commit> (<platform> platform) <date>", or
 * "DUT <dut> (...) <date>" without a library; reduced to characters that are
 * plain text in a gnuplot string. */
void plots_title(char *buf, size_t len, const struct results_meta *m);

/* Run gnuplot on one template (an absolute path) in the directory dirfd
 * (its working directory), with `vars` as its -e argument; stderr goes to
 * gnuplot.log there. 0, -ENOENT when there is no
 * gnuplot, -ETIMEDOUT, -EIO when it failed. (Also used by search and compare.) */
int plots_gnuplot(int dirfd, const char *tpl, const char *vars);

/* A plot of blocks (the goodput and rr modes'): in the run directory dirfd,
 * plots/ made, write_dat(ctx, plotsfd, titles, len) writes the data file
 * there and returns how many blocks it holds (their titles, one word each,
 * in titles), then templates/NAME.gp renders NAME.{png,svg} with the run's
 * title (of m), the block count and the titles. 1 drawn, 0 no block, or a
 * negative errno (gnuplot's words in plots/gnuplot.log). */
typedef int (*plots_dat_fn)(const void *ctx, int plotsfd, char *titles, size_t len);
int plots_blocks(int dirfd, const struct results_meta *m, const char *templates, const char *name,
		 plots_dat_fn write_dat, const void *ctx);

/* Write the data files and render every plot there is data for. Returns the
 * number of plots rendered (0 when there is no point yet) or a negative errno;
 * why a plot failed is logged, with gnuplot's own messages in plots/gnuplot.log. */
int plots_render(const struct results *r, const char *templates);

#endif
