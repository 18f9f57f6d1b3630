/* tests/test_cache_che.c - LRU and FIFO against theory: Che's approximation
 * and the FIFO approximation (models/cache/che.h), Zipf popularity over
 * N = 100,000 unit-size objects, alpha in {0.6, 0.8, 1.0, 1.2}, caches of
 * 100, 1,000 and 10,000 objects. The issue asks for agreement within 0.5%
 * absolute after warm-up.
 *
 * Tolerance: 0.005, the bound. The simulation's own noise is far
 * below it: over 12 seeds, the hit ratio over M = 400,000 measured requests
 * had a standard deviation of at most 0.00105 (LRU and FIFO, alpha 0.6 and
 * 1.0, caches 100 and 10,000; 1.6 times the binomial sqrt(h(1-h)/M) at
 * most, from the correlation between successive hits), so 0.005 is more
 * than 4.7 standard deviations; the 12-seed means were within 0.0004 of
 * theory.
 * Warm-up: 200,000 requests, over 20 times the number of requests that fill
 * the largest cache at the lowest hit ratio. */
#include <stdbool.h>
#include <string.h>

#include "app/world.h"
#include "models/cache/cache.h"
#include "models/cache/che.h"
#include "sim/errors.h"
#include "tests/harness.h"
#include "tests/scenario_world.h"

static void test_uniform_exact(void)
{
    /* Uniform popularity: both approximations give exactly h = C/n, with
     * T = -n ln(1 - C/n) for LRU and T = nC/(n - C) for FIFO. */
    enum { N = 1000 };
    static double p[N];
    for (int i = 0; i < N; i++) p[i] = 1.0 / N;
    double T, h;
    CHECK_EQ_I64(cache_che_solve(CACHE_CHE_LRU, p, N, 250, &T, &h), 0);
    CHECK_NEAR(h, 0.25, 1e-9);
    CHECK_NEAR(T, -N * log(1 - 0.25), 1e-6);
    CHECK_EQ_I64(cache_che_solve(CACHE_CHE_FIFO, p, N, 250, &T, &h), 0);
    CHECK_NEAR(h, 0.25, 1e-9);
    CHECK_NEAR(T, N * 250.0 / (N - 250), 1e-6);
    CHECK_EQ_I64(cache_che_solve(CACHE_CHE_LRU, p, N, 0, &T, &h), SIM_EINVAL);
    CHECK_EQ_I64(cache_che_solve(CACHE_CHE_LRU, p, N, N, &T, &h), SIM_EINVAL);
    CHECK_EQ_I64(cache_che_solve(CACHE_CHE_LRU, NULL, N, 5, &T, &h), SIM_EINVAL);
}

static void test_zipf_against_theory(void)
{
    static const double alphas[] = { 0.6, 0.8, 1.0, 1.2 };
    static const size_t caps[] = { 100, 1000, 10000 };
    static const char *const pols[] = { "lru", "fifo" };
    bool asan = tests_under_asan();
    for (int a = 0; a < 4; a++)
        for (int k = 0; k < 3; k++)
            for (int m = 0; m < 2; m++) {
                /* Under the sanitizers, 4 of the 24 cases (same sample sizes). */
                if (asan && !(k == 1 && (a == 1 || a == 3))) continue;
                double sim, theory, t_sim, t_theory;
                CHECK_EQ_I64(cache_che_simulate_zipf(pols[m], 100000, alphas[a], caps[k], 200000, 400000, 1, &sim,
                                                     &t_sim), 0);
                CHECK_EQ_I64(cache_che_zipf(m ? CACHE_CHE_FIFO : CACHE_CHE_LRU, 100000, alphas[a], (double)caps[k],
                                            &t_theory, &theory), 0);
                /* The characteristic time the cache reports (mean age at
                 * eviction) is the T of the approximation: within 1% (over
                 * all 24 cases with 5,000,000 measured requests the largest
                 * gap was 0.18%, docs/validation.md; with 2,000,000, 0.28%). */
                CHECK_NEAR(t_sim / t_theory, 1.0, 0.01);
                if (fabs(sim - theory) > 0.005)
                    fprintf(stderr, "\n%s alpha %.1f cache %zu\n", pols[m], alphas[a], caps[k]);
                CHECK_NEAR(sim, theory, 0.005);
            }
}

/* The same through the whole stack: scenarios/validation/che.json (Poisson
 * clients at 1000/s -> CDN edge -> origin answering in 1 ms), the edge's
 * hit ratio after the 100 s warm-up against theory. 500 s measured = 500,000
 * requests (250,000 under the sanitizers: noise sd at most ~0.0015, so the
 * 0.005 bound stays over 3 sd). Four cases here; all 24 are in
 * docs/validation.md (bench/che_scenario.sh). */
static void test_scenario_against_theory(void)
{
    static const struct { const char *policy; double alpha; int cache; } cases[] = {
        { "lru", 0.8, 1000 }, { "fifo", 0.8, 1000 }, { "lru", 1.2, 100 }, { "fifo", 1.2, 100 },
    };
    bool asan = tests_under_asan();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (asan && i >= 2) break;
        char s1[64], s2[64], s3[64], s4[64];
        snprintf(s1, sizeof s1, "components.edge.policy=%s", cases[i].policy);
        snprintf(s2, sizeof s2, "components.users.zipf=%.1f", cases[i].alpha);
        snprintf(s3, sizeof s3, "components.edge.cache_size=%dB", cases[i].cache);
        snprintf(s4, sizeof s4, "duration=%s", asan ? "350s" : "600s");
        const char *sets[] = { s1, s2, s3, s4 };
        world_opts o;
        scenario_world_opts(&o, sets, 4);
        world w;
        int rc = scenario_world_load(&w, "scenarios/validation/che.json", &o);
        if (rc == 0) CHECK_EQ_I64(world_run(&w, &o), 0);
        component *edge = rc == 0 ? scenario_world_find(&w, "edge") : NULL;
        CHECK_TRUE(edge != NULL && edge->cache != NULL);
        if (edge && edge->cache) {
            const cache_stats *st = cache_get_stats(edge->cache);
            double sim = (double)st->hits / (double)st->requests, theory;
            CHECK_TRUE(st->requests > (asan ? 200000u : 450000u));
            CHECK_EQ_I64(cache_che_zipf(strcmp(cases[i].policy, "lru") ? CACHE_CHE_FIFO : CACHE_CHE_LRU, 100000,
                                        cases[i].alpha, cases[i].cache, NULL, &theory), 0);
            CHECK_NEAR(sim, theory, 0.005);
        }
        world_free(&w);
    }
}

void test_cache_che_register(void)
{
    static const tests_case cases[] = {
        { "uniform_exact", test_uniform_exact },
        { "zipf_against_theory", test_zipf_against_theory },
        { "scenario_against_theory", test_scenario_against_theory },
        { NULL, NULL },
    };
    tests_add_suite("cache_che", cases);
}
