/* sim/hist.h - latency (or size) histogram with bounded relative error.
 *
 * Log-linear buckets in the style of HdrHistogram: values are non-negative
 * 64-bit integers (ns, bytes); each power of two is split into 2^SUB_BITS
 * linear sub-buckets, so a bucket's width is at most 1/2^SUB_BITS of its lower
 * bound. Quantiles report the bucket midpoint, so any percentile is within
 * 1/2^(SUB_BITS+1) (0.2% with SUB_BITS = 8) of an exact order statistic.
 * Values below 2^SUB_BITS are exact. Count, sum, min and max are exact.
 *
 * Histograms are mergeable (sim_hist_merge adds counts), so replications and
 * components can be combined. Recording is O(1) and allocates nothing.
 */
#ifndef SIM_HIST_H
#define SIM_HIST_H

#include <stddef.h>
#include <stdint.h>

#define SIM_HIST_SUB_BITS 8
#define SIM_HIST_SUB (1u << SIM_HIST_SUB_BITS)
/* Buckets: values < SUB in one linear group, then one group per power of two
 * from 2^SUB_BITS up to 2^63. */
#define SIM_HIST_BUCKETS ((64 - SIM_HIST_SUB_BITS + 1) * SIM_HIST_SUB)

typedef struct sim_hist {
    uint64_t count;
    int64_t min, max;   /* valid when count > 0 */
    double sum;         /* sum of values, for the exact mean */
    double sumsq;       /* sum of squares, for the variance */
    uint64_t *buckets;  /* SIM_HIST_BUCKETS counters, owned */
} sim_hist;

/* Allocates the bucket array (about 115 KiB). 0 or SIM_ENOMEM. */
int sim_hist_init(sim_hist *h);
void sim_hist_free(sim_hist *h);
void sim_hist_reset(sim_hist *h);

/* Records one value; negative values are recorded as 0. */
void sim_hist_record(sim_hist *h, int64_t v);
/* Records `n` copies of v. */
void sim_hist_record_n(sim_hist *h, int64_t v, uint64_t n);

/* Adds src's counts into dst. */
void sim_hist_merge(sim_hist *dst, const sim_hist *src);

/* The q-quantile, q in [0, 1], using the nearest-rank definition on the
 * bucketed values (the representative of the bucket holding the
 * ceil(q * count)-th smallest value, clamped to [min, max]). 0 when empty. */
double sim_hist_quantile(const sim_hist *h, double q);
double sim_hist_mean(const sim_hist *h);
double sim_hist_stddev(const sim_hist *h);

/* Bucket index of a value, and the [lo, hi] range of values a bucket holds. */
size_t sim_hist_bucket_of(int64_t v);
void sim_hist_bucket_range(size_t b, int64_t *lo, int64_t *hi);

#endif
