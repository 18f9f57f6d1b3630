/* sim/dist.h - probability distributions for service times, sizes, delays.
 *
 * A sim_dist is a small value type: a kind and its parameters, plus an owned
 * table for the empirical kind. Distributions are unit-agnostic: sample()
 * returns a double in the unit of the parameters (the scenario layer passes
 * times in nanoseconds and sizes in bytes). Sampling uses GSL's samplers
 * (gsl_ran_*) on the caller's stream, allocates nothing, and is O(1).
 *
 * Constructors validate their parameters and return 0 or SIM_EINVAL /
 * SIM_ERANGE, leaving *d unusable on error. Every sim_dist must be released
 * with sim_dist_free() (a no-op for all kinds but empirical).
 */
#ifndef SIM_DIST_H
#define SIM_DIST_H

#include <stddef.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "sim/time.h"

typedef enum sim_dist_kind {
    SIM_DIST_CONST,     /* a: value */
    SIM_DIST_UNIFORM,   /* a: low, b: high */
    SIM_DIST_EXP,       /* a: mean */
    SIM_DIST_NORMAL,    /* a: mean, b: sd; truncated at 0 (resampled) */
    SIM_DIST_LOGNORMAL, /* a: mu, b: sigma of the underlying normal */
    SIM_DIST_GAMMA,     /* a: shape k, b: scale theta */
    SIM_DIST_WEIBULL,   /* a: scale lambda, b: shape k */
    SIM_DIST_PARETO,    /* a: shape alpha, b: scale x_m (minimum) */
    SIM_DIST_BPARETO,   /* a: shape alpha, b: low L, c: high H */
    SIM_DIST_EMPIRICAL, /* emp: table */
} sim_dist_kind;

/* An empirical distribution: either piecewise-linear between quantile points
 * (p_i, x_i), sampled by inverting at a uniform u, or a histogram of bins
 * [lo_i, hi_i) with weights, sampled by picking a bin with a Walker alias
 * table (gsl_ran_discrete) and a uniform point within it. Both O(1). */
typedef struct sim_empirical sim_empirical;

typedef struct sim_dist {
    sim_dist_kind kind;
    double a, b, c;
    sim_empirical *emp; /* owned; only for SIM_DIST_EMPIRICAL */
} sim_dist;

int sim_dist_const(sim_dist *d, double value);
int sim_dist_uniform(sim_dist *d, double low, double high);
int sim_dist_exp(sim_dist *d, double mean);
int sim_dist_normal(sim_dist *d, double mean, double sd);
int sim_dist_lognormal(sim_dist *d, double mu, double sigma);
/* Lognormal with the given mean and 99th percentile (p99 > mean > 0, and the
 * pair must be reachable: ln(p99/mean) < z99^2 / 2, else SIM_ERANGE). */
int sim_dist_lognormal_mean_p99(sim_dist *d, double mean, double p99);
/* Lognormal with the given mean and standard deviation. */
int sim_dist_lognormal_mean_sd(sim_dist *d, double mean, double sd);
int sim_dist_gamma(sim_dist *d, double shape, double scale);
int sim_dist_weibull(sim_dist *d, double scale, double shape);
int sim_dist_pareto(sim_dist *d, double alpha, double xmin);
int sim_dist_bounded_pareto(sim_dist *d, double alpha, double low, double high);

/* Quantile table: n >= 2 points, p strictly increasing from 0 to 1 inclusive
 * (p[0] == 0, p[n-1] == 1), x non-decreasing. Copies the arrays. */
int sim_dist_empirical_quantiles(sim_dist *d, const double *p, const double *x, size_t n);
/* Histogram: n >= 1 bins [lo[i], hi[i]) with weights >= 0, not all zero,
 * lo[i] <= hi[i]. Copies the arrays. */
int sim_dist_empirical_histogram(sim_dist *d, const double *lo, const double *hi,
                                 const double *weight, size_t n);

/* Releases what the distribution owns; *d may be reused after a constructor. */
void sim_dist_free(sim_dist *d);

/* Deep copy (the empirical table is duplicated). 0 or SIM_ENOMEM. */
int sim_dist_copy(sim_dist *dst, const sim_dist *src);

/* One draw. Never negative for the kinds whose support is >= 0. */
double sim_dist_sample(const sim_dist *d, gsl_rng *r);

/* One draw as a duration in ns (parameters in ns), rounded, >= 0. */
static inline sim_time_t sim_dist_sample_time(const sim_dist *d, gsl_rng *r)
{
    return sim_time_from_ns(sim_dist_sample(d, r));
}

/* Exact mean and variance of the distribution as sampled (for the truncated
 * normal, of the truncated one). INFINITY where they do not exist (Pareto
 * with alpha <= 1 or <= 2). */
double sim_dist_mean(const sim_dist *d);
double sim_dist_variance(const sim_dist *d);

/* Quantile function (inverse CDF) at p in [0, 1]. */
double sim_dist_quantile(const sim_dist *d, double p);

/* Writes a short description like "lognormal(mu=1.2, sigma=0.5)" into buf.
 * Returns what snprintf returns. */
int sim_dist_describe(const sim_dist *d, char *buf, size_t len);

/* Multiplies every sample by k > 0 (used by `slow` faults and unit scaling):
 * rescales the parameters in place so the shape is kept. */
void sim_dist_scale(sim_dist *d, double k);

#endif
