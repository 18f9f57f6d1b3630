/* models/cache/che.c - Che's approximation (LRU) and the FIFO approximation;
 * see che.h. */
#include "models/cache/che.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <stdlib.h>

#include "models/cache/cache.h"
#include "sim/errors.h"
#include "sim/rng.h"
#include "sim/zipf.h"

typedef struct {
    cache_che_model m;
    const double *p;
    size_t n;
    double c;
} che_args;

/* Expected number of cached objects at characteristic time T, minus c. */
static double occupancy(double T, void *v)
{
    const che_args *a = v;
    double s = 0;
    if (a->m == CACHE_CHE_LRU)
        for (size_t i = 0; i < a->n; i++) s += -expm1(-a->p[i] * T);
    else
        for (size_t i = 0; i < a->n; i++) s += a->p[i] * T / (1 + a->p[i] * T);
    return s - a->c;
}

int cache_che_solve(cache_che_model m, const double *p, size_t n, double c, double *T, double *hit)
{
    if (!p || n == 0 || !(c > 0) || !(c < (double)n) || (m != CACHE_CHE_LRU && m != CACHE_CHE_FIFO))
        return SIM_EINVAL;
    che_args a = { m, p, n, c };
    /* occupancy(0) = -c < 0 and it increases to n - c > 0: bracket by doubling. */
    double lo = 0, hi = 1;
    while (occupancy(hi, &a) < 0) {
        lo = hi;
        hi *= 2;
        if (hi > 1e300) return SIM_ERANGE;
    }
    gsl_function f = { occupancy, &a };
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s) return SIM_ENOMEM;
    int rc = gsl_root_fsolver_set(s, &f, lo, hi), status = GSL_CONTINUE;
    double t = hi;
    for (int it = 0; rc == GSL_SUCCESS && status == GSL_CONTINUE && it < 200; it++) {
        rc = gsl_root_fsolver_iterate(s);
        t = gsl_root_fsolver_root(s);
        status = gsl_root_test_interval(gsl_root_fsolver_x_lower(s), gsl_root_fsolver_x_upper(s), 0, 1e-13);
    }
    gsl_root_fsolver_free(s);
    if (rc != GSL_SUCCESS || status != GSL_SUCCESS) return SIM_ERANGE;
    double h = 0;
    for (size_t i = 0; i < n; i++)
        h += p[i] * (m == CACHE_CHE_LRU ? -expm1(-p[i] * t) : p[i] * t / (1 + p[i] * t));
    if (T) *T = t;
    if (hit) *hit = h;
    return 0;
}

int cache_che_zipf(cache_che_model m, size_t n, double alpha, double c, double *T, double *hit)
{
    if (n == 0 || !(alpha >= 0)) return SIM_EINVAL;
    double *p = malloc(n * sizeof *p);
    if (!p) return SIM_ENOMEM;
    double h = 0;
    for (size_t k = n; k >= 1; k--) h += pow((double)k, -alpha); /* smallest first: less rounding */
    for (size_t k = 1; k <= n; k++) p[k - 1] = pow((double)k, -alpha) / h;
    int rc = cache_che_solve(m, p, n, c, T, hit);
    free(p);
    return rc;
}

int cache_che_simulate_zipf(const char *policy, size_t n, double alpha, size_t c, uint64_t warmup,
                            uint64_t measured, uint64_t seed, double *hit, double *T)
{
    sim_zipf z;
    if (sim_zipf_init(&z, n, alpha) || measured == 0) return SIM_EINVAL;
    cache_params cp = { .policy = policy, .capacity = c, .count_objects = true };
    cache *ca;
    int rc = cache_create(&cp, &ca);
    if (rc) return rc;
    gsl_rng *r = sim_rng_stream(seed, "che/zipf");
    if (!r) {
        cache_free(ca);
        return SIM_ENOMEM;
    }
    for (uint64_t i = 0; i < warmup; i++) cache_get(ca, sim_zipf_sample(&z, r), 1, (sim_time_t)i);
    cache_reset_stats(ca);
    for (uint64_t i = 0; i < measured; i++) cache_get(ca, sim_zipf_sample(&z, r), 1, (sim_time_t)(warmup + i));
    int err = cache_error(ca); /* out of memory: the counts are not the policy's */
    const cache_stats *st = cache_get_stats(ca);
    *hit = (double)st->hits / (double)st->requests;
    if (T) *T = cache_characteristic_time(ca);
    gsl_rng_free(r);
    cache_free(ca);
    return err;
}
