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

#endif
