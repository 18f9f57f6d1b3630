/* sim/dist.h - probability distributions for service times, sizes, delays.
 *
 * A sim_dist is a small value type: a kind and its parameters, plus an owned
 * table for the empirical kind. Distributions are unit-agnostic: sample()
 * returns a double in the unit of the parameters (the scenario layer passes
 * times in nanoseconds and sizes in bytes). Sampling uses GSL's samplers
 * (gsl_ran_*) on the caller's stream, allocates nothing, and is O(1).
 *
 * Constructors validate their parameters and return 0 or SIM_EINVAL /
 * SIM_ERANGE (SIM_ENOMEM for the empirical kind), leaving *d unusable on
 * error: it then samples NaN and sim_dist_free() on it is safe. Every
 * sim_dist must be released with sim_dist_free() (a no-op for all kinds but
 * empirical). Non-finite parameters (NaN, inf) are always SIM_EINVAL.
 * docs/distributions.md says how each kind is sampled and how exact its
 * moments and quantiles are.
 */
#ifndef SIM_DIST_H
#define SIM_DIST_H

#include <stdbool.h>
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
/* low <= high (equal gives a constant). */
int sim_dist_uniform(sim_dist *d, double low, double high);
/* mean > 0. */
int sim_dist_exp(sim_dist *d, double mean);
/* sd > 0; mean may be negative down to -30 sd (SIM_ERANGE beyond: less than
 * 5e-198 of the mass would remain above 0). The result is the normal
 * conditioned on X >= 0, and mean()/variance() are those of that. */
int sim_dist_normal(sim_dist *d, double mean, double sd);
/* sigma > 0, mu any finite value. */
int sim_dist_lognormal(sim_dist *d, double mu, double sigma);
/* Lognormal with the given mean and 99th percentile (p99 > mean > 0, else
 * SIM_EINVAL, and the pair must be reachable: ln(p99/mean) <= z99^2 / 2,
 * i.e. p99/mean <= 14.97, else SIM_ERANGE). Of the two lognormals that fit,
 * the one with the smaller sigma (<= z99 = 2.326). */
int sim_dist_lognormal_mean_p99(sim_dist *d, double mean, double p99);
/* Lognormal with the given mean > 0 and standard deviation sd > 0
 * (SIM_ERANGE when sd/mean is too large for doubles, beyond ~1e154). */
int sim_dist_lognormal_mean_sd(sim_dist *d, double mean, double sd);
/* All parameters > 0. */
int sim_dist_gamma(sim_dist *d, double shape, double scale);
int sim_dist_weibull(sim_dist *d, double scale, double shape);
int sim_dist_pareto(sim_dist *d, double alpha, double xmin);
/* alpha > 0, 0 < low < high. */
int sim_dist_bounded_pareto(sim_dist *d, double alpha, double low, double high);

/* Quantile table: n >= 2 points, p strictly increasing from 0 to 1 inclusive
 * (p[0] == 0, p[n-1] == 1), x non-decreasing. Copies the arrays. */
int sim_dist_empirical_quantiles(sim_dist *d, const double *p, const double *x, size_t n);
/* Histogram: n >= 1 bins [lo[i], hi[i]) with weights >= 0, not all zero,
 * lo[i] <= hi[i], in any order but not overlapping (SIM_EINVAL); gaps are
 * allowed, a bin with lo == hi is an atom. Copies the arrays. */
int sim_dist_empirical_histogram(sim_dist *d, const double *lo, const double *hi,
                                 const double *weight, size_t n);

/* Releases what the distribution owns; *d may be reused after a constructor. */
void sim_dist_free(sim_dist *d);

/* Deep copy (the empirical table is duplicated) into an uninitialised dst.
 * 0, SIM_ENOMEM, or SIM_EINVAL for NULL or a failed source. */
int sim_dist_copy(sim_dist *dst, const sim_dist *src);

/* One draw. Never negative for the kinds whose support is >= 0. NaN for a
 * NULL or failed d, or a NULL r. */
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

/* Quantile function (inverse CDF) at p in [0, 1]: the smallest x with
 * F(x) >= p; p = 0 and 1 give the ends of the support (possibly INFINITY).
 * NaN for p outside [0, 1] or NaN. */
double sim_dist_quantile(const sim_dist *d, double p);

/* True when sim_dist_quantile is iterative rather than a formula or a table
 * look-up (gamma: an inversion, 0.4-3 us by shape), so that a caller evaluating it
 * often at the same points should remember the answers. */
bool sim_dist_quantile_is_slow(const sim_dist *d);

/* Writes a short description like "lognormal(mu=1.2, sigma=0.5)" into buf
 * (truncated to len, always terminated when len > 0). Returns what snprintf
 * returns. */
int sim_dist_describe(const sim_dist *d, char *buf, size_t len);

/* Multiplies every sample by k > 0 (used by `slow` faults and unit scaling):
 * rescales the parameters in place so the shape is kept. A k that is not
 * finite and > 0 leaves d unchanged. */
void sim_dist_scale(sim_dist *d, double k);

#endif
