/* models/cache/che.h - hit ratios that theory predicts for LRU and FIFO
 * under the independent reference model (each request picks object i with
 * probability p_i, independently of the past).
 *
 * Che's approximation (Che, Tung and Wang, IEEE JSAC 2002; Fricker, Robert
 * and Roberts, ITC 2012) for LRU with room for C objects: there is a
 * characteristic time T (in requests) with
 *     sum_i (1 - exp(-p_i T)) = C,
 * and object i is a hit with probability h_i = 1 - exp(-p_i T).
 * The FIFO approximation (Dan and Towsley 1990; Martina, Garetto and Leonardi,
 * INFOCOM 2014) uses instead
 *     h_i = p_i T / (1 + p_i T),  sum_i h_i = C.
 * The overall hit ratio is sum_i p_i h_i. T is found with GSL's Brent solver.
 */
#ifndef MODELS_CACHE_CHE_H
#define MODELS_CACHE_CHE_H

#include <stddef.h>
#include <stdint.h>

typedef enum { CACHE_CHE_LRU = 0, CACHE_CHE_FIFO = 1 } cache_che_model;

/* Solves for T given the n probabilities p[] (summing to 1) and a cache of
 * c objects, 0 < c < n. Writes T (in requests) and the hit ratio (either
 * pointer may be NULL). Returns 0, SIM_EINVAL (bad arguments) or SIM_ERANGE
 * (no convergence). */
int cache_che_solve(cache_che_model m, const double *p, size_t n, double c, double *T, double *hit);

/* The same for Zipf(alpha) popularity over n objects (p_k = k^-alpha / H). */
int cache_che_zipf(cache_che_model m, size_t n, double alpha, double c, double *T, double *hit);

#endif

/* Measures the hit ratio of `policy` (a cache of c objects) under Zipf(alpha)
 * requests over ids 1..n drawn from the stream sim_rng_stream(seed,
 * "che/zipf"): `warmup` requests first (not counted), then `measured`
 * requests, one per time unit. Returns 0 and *hit, and (if T is not NULL)
 * the cache's measured characteristic time in requests
 * (cache_characteristic_time over the measured part), or a SIM_E* code. */
int cache_che_simulate_zipf(const char *policy, size_t n, double alpha, size_t c, uint64_t warmup,
                            uint64_t measured, uint64_t seed, double *hit, double *T);
