/* sim/hist.h - latency (or size) histogram with bounded relative error.
 *
 * Log-linear buckets in the style of HdrHistogram: values are non-negative
 * 64-bit integers (ns, bytes); each power of two is split into 2^SUB_BITS
 * linear sub-buckets, so a bucket's width is at most 1/2^SUB_BITS of its lower
 * bound. Quantiles report the bucket midpoint, so any percentile is within a
 * relative error of at most 1/2^(SUB_BITS+1) (1/512 = 0.195% with
 * SUB_BITS = 8) of the exact nearest-rank order statistic (strictly below it
 * for values under 2^53, where the midpoint is exact in a double); see
 * docs/statistics.md for the derivation. Values below 2^(SUB_BITS+1) = 512
 * have buckets of width 1 and are exact. Count, min and max are exact; sum
 * is a double (exact while below 2^53).
 *
 * Histograms are mergeable (sim_hist_merge adds counts), so replications and
 * components can be combined; sim_hist_to_json / sim_hist_from_json carry
 * them between processes. Recording is O(1) and allocates nothing.
 */
#ifndef SIM_HIST_H
#define SIM_HIST_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#define SIM_HIST_SUB_BITS 8
#define SIM_HIST_SUB (1u << SIM_HIST_SUB_BITS)
/* Buckets: values < SUB in one linear group, then one group per power of two
 * from 2^SUB_BITS up to 2^63. */
#define SIM_HIST_BUCKETS ((64 - SIM_HIST_SUB_BITS + 1) * SIM_HIST_SUB)

typedef struct sim_hist {
    uint64_t count;
    int64_t min, max;   /* valid when count > 0 */
    double sum;         /* sum of values, for the exact mean */
    double sumsq;       /* sum of squares (kept for callers; the variance uses dsumsq) */
    uint64_t *buckets;  /* SIM_HIST_BUCKETS counters, owned */
    /* Private: sums of (v - shift) and (v - shift)^2 with shift = the first
     * value recorded. sumsq/n - mean^2 cancels catastrophically when the
     * spread is tiny next to the mean (1 s +- 1 ns latencies); shifted sums
     * keep the variance accurate at the cost of two more additions. */
    int64_t shift;
    double dsum, dsumsq;
} sim_hist;

/* Allocates the (zeroed) bucket array, about 114 KiB, owned by h until
 * sim_hist_free. 0 or SIM_ENOMEM (h is then empty and safe to free). */
int sim_hist_init(sim_hist *h);
/* Releases the bucket array; h may be re-initialised. Safe on a zeroed or
 * already freed struct. */
void sim_hist_free(sim_hist *h);
/* Forgets every value (used at the end of warm-up). Cost is proportional to
 * the range of buckets in use, not to the whole array. */
void sim_hist_reset(sim_hist *h);

/* Records one value; negative values are recorded as 0. O(1), no allocation. */
void sim_hist_record(sim_hist *h, int64_t v);
/* Records `n` copies of v (n = 0 does nothing). */
void sim_hist_record_n(sim_hist *h, int64_t v, uint64_t n);

/* Adds src's counts into dst (dst == src doubles it). Afterwards dst is
 * exactly what recording the union of both value sets would have given:
 * same buckets, count, min, max (sums up to rounding). */
void sim_hist_merge(sim_hist *dst, const sim_hist *src);

/* The q-quantile, q in [0, 1] (clamped), using the nearest-rank definition
 * on the bucketed values: the representative (midpoint) of the bucket holding
 * the r-th smallest value, r = max(1, ceil(q * count)), clamped to
 * [min, max]. r = 1 gives min and r = count gives max exactly. 0 when empty,
 * NaN when q is NaN. Relative error <= 1/512 against the exact r-th value. */
double sim_hist_quantile(const sim_hist *h, double q);
/* Mean of the recorded values (0 when empty). */
double sim_hist_mean(const sim_hist *h);
/* Population standard deviation (divide by count; 0 when empty or all
 * values are equal). */
double sim_hist_stddev(const sim_hist *h);

/* Bucket index of a value (negative values: bucket 0), and the [lo, hi]
 * range of values a bucket holds. Buckets past the last one any int64_t can
 * reach (and b >= SIM_HIST_BUCKETS) report lo = hi = INT64_MAX. */
size_t sim_hist_bucket_of(int64_t v);
void sim_hist_bucket_range(size_t b, int64_t *lo, int64_t *hi);

/* One non-empty bucket, as sim_hist_foreach reports it. */
typedef struct sim_hist_bin {
    size_t index;       /* bucket index */
    int64_t lo, hi;     /* values the bucket holds, clamped to [min, max] */
    double value;       /* representative: midpoint clamped to [min, max] */
    uint64_t count;     /* values in this bucket */
    uint64_t cum;       /* values in this and every lower bucket */
} sim_hist_bin;

/* Calls fn for every non-empty bucket in increasing value order, e.g. to
 * write a latency CDF (cum / h->count is the fraction of values <= hi).
 * Stops early and returns fn's value when fn returns non-zero; returns 0
 * otherwise (also when empty). fn must not modify h. */
int sim_hist_foreach(const sim_hist *h, int (*fn)(const sim_hist_bin *bin, void *ctx), void *ctx);

/* ---- serialisation: histograms cross process boundaries as JSON ----
 *
 * The form (all integers exact; integers above 2^53 are written as decimal
 * strings because JSON numbers are doubles in most readers):
 *   {"sub_bits": 8, "count": 5, "min": 3, "max": 900, "sum": 1234,
 *    "sumsq": ..., "shift": 3, "dsum": ..., "dsumsq": ...,
 *    "buckets": [3, 1, 17, 2, 660, 2]}       (index, count pairs, ascending)
 * shift/dsum/dsumsq are optional on input (then derived as 0/sum/sumsq). */

/* A new cJSON object describing h; the caller owns it (cJSON_Delete).
 * NULL on out of memory. */
cJSON *sim_hist_to_json(const sim_hist *h);

/* Replaces the contents of the initialised histogram h with the one described
 * by `json`. Every field is checked (types, ranges, ascending indices,
 * counts adding up, min/max lying in the first/last bucket); on error h is
 * left unchanged, a message "JPATH.field: expected ..., found ..." (JPATH =
 * `jpath`, or "hist" when NULL) is written to err (if err && errlen > 0),
 * and SIM_EPARSE is returned, or SIM_ENOTSUP when sub_bits differs from this
 * build's layout. */
int sim_hist_from_json(sim_hist *h, const cJSON *json, const char *jpath, char *err, size_t errlen);

#endif
