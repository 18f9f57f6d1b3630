/* app/reps.h - `cdnsim run ... --reps R [--jobs J]`: R independent
 * replications of one scenario, run in parallel processes, then aggregated.
 *
 * Replication K (0-based) runs with seed sim_rng_rep_seed(seed, K) (so
 * replication 0 is the plain run with the same seed) as a child process
 *     EXE run SCENARIO --seed S_K --out DIR/reps/K --quiet --no-report [--set P=V]...
 * at most J at a time; its stdout and stderr go to DIR/reps/K/run.log. When
 * all succeeded, reports_aggregate_dirs() writes DIR/summary.json (means,
 * "NAME_ci" half-widths, a "replications" block), DIR/timeseries.csv,
 * DIR/latency.csv and DIR/events.csv, and reports_write() the plots and
 * report.html (docs/reports.md).
 *
 * Contract with app/cmd_run.c: when --reps R > 1, cmd_run resolves the base
 * seed (--seed, else the scenario's) and the output directory, fills
 * app_reps_opts and returns app_reps_run()'s exit code; `run` must accept
 * --no-report (write the data files, skip plots and report.html), which the
 * children get.
 */
#ifndef APP_REPS_H
#define APP_REPS_H

#include <stdint.h>
#include <stdio.h>

typedef struct app_reps_opts {
    const char *exe;               /* program to run; NULL: /proc/self/exe */
    const char *scenario;          /* scenario path, passed through */
    uint64_t seed;                 /* base seed */
    const char *outdir;            /* DIR (created if missing) */
    const char *const *sets;       /* "PATH=VALUE" strings, passed as --set */
    size_t nsets;
    unsigned reps;                 /* R >= 1 */
    unsigned jobs;                 /* J; 0: the number of online CPUs */
    int quiet;                     /* no progress lines */
    int no_report;                 /* aggregate only: no plots, no report.html */
    FILE *log;                     /* progress and result lines; NULL: stderr */
} app_reps_opts;

/* Runs the replications and aggregates them as described above. Returns the
 * process exit code for `cdnsim run`: 0 ok; 2 bad input (a replication
 * exited 2: its run.log is shown; or R = 0); 1 a replication failed, was
 * interrupted (Ctrl-C: the finished replications are still aggregated and
 * the summary marked partial), or the aggregate could not be written. */
int app_reps_run(const app_reps_opts *o);

/* Parses the value of --reps or --jobs: a decimal integer in [1, max].
 * Returns 0 or -1. */
int app_reps_parse_count(const char *s, unsigned max, unsigned *out);

#endif
