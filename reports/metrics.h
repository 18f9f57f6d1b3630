/* reports/metrics.h - a summary.json as a flat list of named numbers, and
 * which direction of each is better.
 *
 * Names are the JSON path with '.' between keys: "throughput_rps",
 * "latency_ms.p99", "by_op.GET.latency_ms.p50", "components.edge-1.hit_ratio".
 * Interval fields ("p99_ci") and the "replications" block are not metrics.
 * One derived metric is added: "availability" = completed / (completed +
 * failed + timed_out + rejected) when that denominator is positive.
 */
#ifndef REPORTS_METRICS_H
#define REPORTS_METRICS_H

#include <stddef.h>

#include <cjson/cJSON.h>

typedef struct reports_metric {
    char *name;   /* owned */
    double value;
} reports_metric;

typedef struct reports_metrics {
    reports_metric *v;   /* owned, in document order */
    size_t n, cap;
} reports_metrics;

void reports_metrics_init(reports_metrics *m);
void reports_metrics_free(reports_metrics *m);

/* Appends every numeric leaf of summary (and the derived availability).
 * 0 or SIM_ENOMEM. */
int reports_metrics_from_summary(const cJSON *summary, reports_metrics *m);

/* The metric called name, or NULL. Linear search (summaries are small). */
const reports_metric *reports_metrics_find(const reports_metrics *m, const char *name);

/* Which way is better: +1 higher (throughput, hit ratios, completed,
 * availability), -1 lower (latencies, failures, timeouts, rejections,
 * utilization, queue length), 0 not a quality measure (inputs such as the
 * seed, offered requests or durations, and simulator speed). */
int reports_metric_direction(const char *name);

#endif
