/* sim/zipf.h - Zipf popularity over ranks 1..n, O(1) memory and expected time.
 *
 * P(rank = k) = k^-alpha / H(n, alpha), alpha >= 0 (alpha = 0 is uniform;
 * alpha may be below, at or above 1). Sampling is rejection-inversion
 * (Hormann and Derflinger, "Rejection-inversion to generate variates from
 * monotone discrete distributions", 1996): no table, so n may be 10^9 or more.
 */
#ifndef SIM_ZIPF_H
#define SIM_ZIPF_H

#include <stdint.h>

#include <gsl/gsl_rng.h>

typedef struct sim_zipf {
    uint64_t n;
    double alpha;
    double h_x1, h_n, s; /* precomputed by init */
} sim_zipf;

/* n >= 1, 0 <= alpha <= 100. Returns 0 or SIM_EINVAL (also for NULL z). */
int sim_zipf_init(sim_zipf *z, uint64_t n, double alpha);

/* A rank in [1, n]; rank 1 is the most popular. Allocates nothing. For alpha > 0
 * each iteration takes one uniform and a draw needs at most ~1.02 iterations
 * on average (tests/test_zipf.c, "acceptance"); alpha = 0 is an exact integer
 * uniform (see docs/distributions.md for the limits
 * of double precision on ranks whose probability is below ~1e-16). */
uint64_t sim_zipf_sample(const sim_zipf *z, gsl_rng *r);

/* Generalised harmonic number H(n, alpha) = sum_{k=1..n} k^-alpha: exact
 * (compensated) summation up to 10^6 terms, Euler-Maclaurin beyond
 * (relative error < 1e-12; the truncation term alone is < 1e-31). Costs up
 * to 10^6 pow() calls (about 20 ms): call it once, at set-up. 0 for n = 0,
 * NaN for alpha < 0 or not finite. */
double sim_zipf_harmonic(uint64_t n, double alpha);

/* p_k = k^-alpha / H(n, alpha), given h = sim_zipf_harmonic(n, alpha);
 * 0 for k outside [1, n]. */
double sim_zipf_pmf(const sim_zipf *z, uint64_t k, double h);

#endif
