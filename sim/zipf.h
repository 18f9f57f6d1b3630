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

/* n >= 1, 0 <= alpha <= 100. Returns 0 or SIM_EINVAL. */
int sim_zipf_init(sim_zipf *z, uint64_t n, double alpha);

/* A rank in [1, n]; rank 1 is the most popular. */
uint64_t sim_zipf_sample(const sim_zipf *z, gsl_rng *r);

/* Generalised harmonic number H(n, alpha) = sum_{k=1..n} k^-alpha: exact
 * summation up to 10^6 terms, Euler-Maclaurin beyond (relative error < 1e-12). */
double sim_zipf_harmonic(uint64_t n, double alpha);

/* p_k = k^-alpha / H(n, alpha), given h = sim_zipf_harmonic(n, alpha). */
double sim_zipf_pmf(const sim_zipf *z, uint64_t k, double h);

#endif
