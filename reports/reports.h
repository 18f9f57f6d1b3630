/* reports/reports.h - what a run writes after its data files: plots and
 * report.html. The entry point `cdnsim run` (and `cdnsim report DIR`) calls.
 *
 * Contract with the run command: before calling reports_write(outdir), the
 * run has written into outdir summary.json (schema cdnsim.summary/1) and, if
 * it has them, timeseries.csv, latency.csv and events.csv (formats in
 * docs/reports.md). reports_write then adds outdir/plots/ (gnuplot scripts,
 * PNG and SVG) and outdir/report.html. With replications, app/reps.c first
 * aggregates DIR/reps/K into DIR and then calls reports_write(DIR).
 */
#ifndef REPORTS_REPORTS_H
#define REPORTS_REPORTS_H

#include <stdio.h>

typedef struct reports_options {
    int quiet;             /* print nothing on success (warnings still go to log) */
    const char *gnuplot;   /* gnuplot program; NULL: $CDNSIM_GNUPLOT, else "gnuplot" in PATH */
    FILE *log;             /* messages; NULL: stderr */
} reports_options;

/* Writes the plots and report.html for the run in outdir (opt may be NULL
 * for defaults). A missing gnuplot is not an error: the scripts are still
 * written, a line "plots skipped: ..." goes to the log (also when quiet) and
 * the page says so. Returns 0, or a negative SIM_E* code after printing one
 * line "cdnsim: report: ..." to the log (missing or malformed summary.json,
 * malformed CSV, cannot write). */
int reports_write(const char *outdir, const reports_options *opt);

#endif
