/* chunkio/calib.h - turning measured service times into distributions.
 *
 * A fit holds, for one series of latencies (say, 1 MiB reads at concurrency
 * 1): the lognormal maximum-likelihood fit (closed form on the logs: mu is
 * the mean of ln x, sigma^2 the mean squared deviation, dividing by n), the
 * empirical distribution as a quantile table dense in the tail, and the
 * Kolmogorov-Smirnov distance of each against the sample.
 */
#ifndef CHUNKIO_CALIB_H
#define CHUNKIO_CALIB_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#define CHUNKIO_CALIB_MAXQ 160

typedef struct chunkio_fit {
    size_t n;
    double mean, p50, p99, p999, min, max;  /* of the sample, ns */
    double mu, sigma;                       /* lognormal MLE (of ln ns) */
    double ks_lognormal;                    /* sup |F_fit - F_n| */
    double ks_empirical;                    /* of the piecewise-linear table */
    double ks_crit05;                       /* 1.358 / sqrt(n): the 5% critical value */
    size_t nq;
    double qp[CHUNKIO_CALIB_MAXQ], qx[CHUNKIO_CALIB_MAXQ]; /* quantile table, p from 0 to 1 */
} chunkio_fit;

/* Fits n >= 2 positive latencies (ns). Sorts v in place. Returns 0,
 * SIM_EINVAL (n < 2 or a value <= 0) or SIM_ENOMEM. */
int chunkio_fit_samples(int64_t *v, size_t n, chunkio_fit *f);

/* The quantile table as the calibration file's form:
 * {"schema": "cdnsim.empirical/1", "unit": "ns", "quantiles": [[p, x], ...]}
 * plus the fit's summary under "_fit" (keys starting with "_" are
 * ignored by the scenario reader, app/conf_dist.c). The caller owns the result. */
cJSON *chunkio_fit_to_json(const chunkio_fit *f);

/* Slow spells in a series measured one operation at a time: stretches
 * where every operation took much longer than usual, which a device shows
 * as time-correlated slowness (docs/calibration.md, "Slow spells"). */
typedef struct chunkio_spells {
    size_t n;               /* spells found */
    size_t ops;             /* operations inside them */
    double mean_len_ns;     /* mean spell length: first op's start to last op's end */
    double mean_gap_ns;     /* mean time outside spells per spell: (elapsed - in spells) / n */
    double factor;          /* mean latency inside spells / mean latency outside */
    double time_frac;       /* share of elapsed time spent in spells */
} chunkio_spells;

/* CHUNKIO_SPELL_SLOW x the series' median: an operation slower than this is
 * slow; CHUNKIO_SPELL_MIN consecutive slow operations make a spell (fewer are
 * left in the series as its ordinary tail). */
#define CHUNKIO_SPELL_SLOW 1.5
#define CHUNKIO_SPELL_MIN 3

/* Finds the spells of a series of n >= 2 positive latencies lat[] (ns, in
 * completion order, one operation in flight at a time) over elapsed_ns:
 * removes the spells' operations from lat (the rest keep their order and
 * move to the front; *kept gets their number) and describes the spells in
 * *sp (all zero when there is none). Returns 0 or SIM_EINVAL (n < 2, a
 * latency <= 0, elapsed_ns <= 0) or SIM_ENOMEM; on error lat is unchanged. */
int chunkio_find_spells(int64_t *lat, size_t n, double elapsed_ns, size_t *kept, chunkio_spells *sp);

#endif
