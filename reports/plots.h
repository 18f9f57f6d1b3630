/* reports/plots.h - gnuplot scripts and the plots they draw.
 *
 * For a run directory DIR holding latency.csv, timeseries.csv and
 * events.csv, reports_plots_write() writes DIR/plots/NAME.gp from the
 * templates reports/NAME.gp (built into the binary) and, when gnuplot can be
 * run, DIR/plots/NAME.png and DIR/plots/NAME.svg:
 *   latency_cdf   latency CDF, log x axis               (needs latency.csv)
 *   timeline      throughput, errors, p50/p99 over time (needs timeseries.csv)
 *   hit_ratio     hit ratio over time per cache         (hit_ratio:<id> columns)
 *   utilization   utilization over time per component   (util:<id> columns)
 * timeline, hit_ratio and utilization carry a dashed vertical marker and a
 * label at every row of events.csv. A script is self-contained: a student
 * can edit it and rerun `gnuplot plots/NAME.gp` from DIR.
 */
#ifndef REPORTS_PLOTS_H
#define REPORTS_PLOTS_H

#include <stddef.h>

/* The templates, NUL-terminated (reports/gp_templates.c). */
extern const char reports_gp_latency_cdf[];
extern const char reports_gp_timeline[];
extern const char reports_gp_hit_ratio[];
extern const char reports_gp_utilization[];

#define REPORTS_MAX_PLOTS 4

typedef struct reports_plot_result {
    size_t nscripts;                       /* scripts written */
    const char *names[REPORTS_MAX_PLOTS];  /* their names (static strings) */
    int drawn[REPORTS_MAX_PLOTS];          /* 1 when NAME.png and NAME.svg were made */
    int skipped;                           /* gnuplot could not be run: no images */
    char why[256];                         /* why plots were skipped or failed, for the user */
} reports_plot_result;

/* Writes the scripts into outdir/plots/ and runs them with `gnuplot`
 * (gnuplot_cmd, or $CDNSIM_GNUPLOT, or "gnuplot" looked up in PATH), from
 * outdir, one process per script, its output in plots/gnuplot.log. A missing
 * gnuplot is not an error: res->skipped is set and res->why says so.
 * Returns 0, or SIM_EIO (cannot create plots/ or write a script) /
 * SIM_EPARSE (malformed summary or CSV) / SIM_ENOMEM with one line in err. */
int reports_plots_write(const char *outdir, const char *gnuplot_cmd, reports_plot_result *res, char *err,
                        size_t errlen);

/* Replaces every @KEY@ of tmpl by the value of the matching key in
 * keys/vals (n pairs) and appends the result to b; unknown @...@ are kept. */
struct rbuf;
void reports_expand(struct rbuf *b, const char *tmpl, const char *const *keys, const char *const *vals, size_t n);

#endif
