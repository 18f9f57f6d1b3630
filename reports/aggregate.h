/* reports/aggregate.h - combining R replications into one run directory.
 *
 * Inputs are R complete run directories (DIR/reps/0 .. DIR/reps/R-1, each
 * with summary.json and usually timeseries.csv, latency.csv, events.csv).
 * Outputs, written into DIR:
 *   summary.json   the same shape as a single run's, where every number is the
 *                  mean over the replications and gains a sibling "NAME_ci"
 *                  holding the half-width of its 95% Student-t confidence
 *                  interval (null when it cannot be computed), plus a top-level
 *                  "replications" object: {"count", "confidence", "seeds"
 *                  (decimal strings, 64-bit exact), "dirs"}. "seed" stays the
 *                  base seed; "partial" is true if any replication was partial;
 *                  strings and arrays come from replication 0.
 *   timeseries.csv the per-window mean of every column over the replications
 *                  (windows present in all of them).
 *   latency.csv    the mean of each quantile over the replications.
 *   events.csv     a copy of replication 0's (faults follow the scenario).
 * See docs/reports.md.
 */
#ifndef REPORTS_AGGREGATE_H
#define REPORTS_AGGREGATE_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

/* Confidence level of every interval reports write. */
#define REPORTS_CONFIDENCE 0.95

/* Builds the aggregated summary tree from n >= 1 replication summaries
 * (borrowed). seeds (n values, may be NULL) and dirs (n strings, may be NULL)
 * go into the "replications" block. Returns a new tree (caller frees with
 * cJSON_Delete) or NULL on out of memory. */
cJSON *reports_aggregate_summaries(const cJSON *const *reps, size_t n, uint64_t base_seed,
                                   const uint64_t *seeds, const char *const *dirs);

/* Aggregates the run directories rep_dirs[0..n-1] into outdir (which must
 * exist) as described above. rep_dirs are written into summary.json relative
 * to outdir when they start with it. Returns 0, or SIM_ENOENT / SIM_EPARSE
 * (a replication's summary.json is missing or malformed; a CSV is malformed),
 * SIM_EIO, SIM_ENOMEM, with one line in err. CSV files missing in every
 * replication are skipped silently; missing in some only is an error. */
int reports_aggregate_dirs(const char *outdir, const char *const *rep_dirs, size_t n, uint64_t base_seed,
                           const uint64_t *seeds, char *err, size_t errlen);

#endif
