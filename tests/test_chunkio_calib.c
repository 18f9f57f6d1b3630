/* tests/test_chunkio_calib.c - the calibration fits: lognormal MLE against
 * known parameters, the empirical table reproducing the sample's tail, and
 * KS distances that tell a good fit from a bad one. */
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

#include "chunkio/calib.h"
#include "sim/errors.h"
#include "sim/rng.h"
#include "tests/harness.h"

static void test_lognormal_mle(void)
{
    /* n = 20000 draws of lognormal(mu = 12, sigma = 0.4) (about 160 us).
     * The MLE of mu has standard error sigma / sqrt(n) = 0.0028; of sigma,
     * sigma / sqrt(2n) = 0.0020: tolerances are 4 standard errors. The KS
     * distance of the true family stays below the 1% critical value
     * 1.63 / sqrt(n) = 0.0115 (with fitted parameters it is smaller still). */
    size_t n = 20000;
    int64_t *v = malloc(n * sizeof *v);
    gsl_rng *r = sim_rng_stream(7, "test.calib.lognormal");
    for (size_t i = 0; i < n; i++) v[i] = (int64_t)llround(gsl_ran_lognormal(r, 12.0, 0.4));
    chunkio_fit f;
    CHECK_EQ_I64(chunkio_fit_samples(v, n, &f), 0);
    CHECK_NEAR(f.mu, 12.0, 4 * 0.4 / sqrt((double)n));
    CHECK_NEAR(f.sigma, 0.4, 4 * 0.4 / sqrt(2.0 * (double)n));
    CHECK_TRUE(f.ks_lognormal < 1.63 / sqrt((double)n));
    /* The table's own points are the sample's quantiles: p99.9 exactly. */
    CHECK_NEAR(f.qp[f.nq - 1], 1.0, 0);
    CHECK_NEAR(f.qx[f.nq - 1], (double)v[n - 1], 0);
    int found = 0;
    for (size_t i = 0; i < f.nq; i++)
        if (fabs(f.qp[i] - 0.999) < 1e-12) {
            found = 1;
            CHECK_NEAR(f.qx[i], f.p999, 0);
        }
    CHECK_TRUE(found);
    /* v is sorted now; the table's KS error is at most one grid step (1%)
     * plus 1/n. */
    CHECK_TRUE(f.ks_empirical <= 0.01 + 1.0 / (double)n);
    for (size_t i = 1; i < n; i++) CHECK_TRUE(v[i - 1] <= v[i]);
    /* The JSON form carries the schema and the table. */
    cJSON *j = chunkio_fit_to_json(&f);
    CHECK_STR(cJSON_GetObjectItem(j, "schema")->valuestring, "cdnsim.empirical/1");
    CHECK_EQ_I64(cJSON_GetArraySize(cJSON_GetObjectItem(j, "quantiles")), (long long)f.nq);
    cJSON_Delete(j);
    free(v);
    gsl_rng_free(r);
}

static void test_bimodal_is_not_lognormal(void)
{
    /* Half at ~100 us, half at ~1 ms (a cache in front of a disk): no
     * lognormal fits, and KS says so (far above the 5% critical value),
     * while the empirical table still matches (<= one grid step). */
    size_t n = 4000;
    int64_t *v = malloc(n * sizeof *v);
    gsl_rng *r = sim_rng_stream(7, "test.calib.bimodal");
    for (size_t i = 0; i < n; i++)
        v[i] = (int64_t)llround(gsl_ran_lognormal(r, i % 2 ? log(1e5) : log(1e6), 0.05));
    chunkio_fit f;
    CHECK_EQ_I64(chunkio_fit_samples(v, n, &f), 0);
    CHECK_TRUE(f.ks_lognormal > 5 * f.ks_crit05);
    CHECK_TRUE(f.ks_empirical <= 0.01 + 1.0 / (double)n);
    free(v);
    gsl_rng_free(r);
}

static void test_bad_samples(void)
{
    chunkio_fit f;
    int64_t one[1] = { 5 };
    CHECK_EQ_I64(chunkio_fit_samples(one, 1, &f), SIM_EINVAL);
    int64_t zero[3] = { 5, 0, 7 };
    CHECK_EQ_I64(chunkio_fit_samples(zero, 3, &f), SIM_EINVAL);
    int64_t same[4] = { 9, 9, 9, 9 }; /* sigma 0: still a valid (degenerate) fit */
    CHECK_EQ_I64(chunkio_fit_samples(same, 4, &f), 0);
    CHECK_NEAR(f.sigma, 0, 1e-12);
    CHECK_NEAR(f.p999, 9, 0);
}

/* 1000 operations of 1 ms in a row, with ten of 2 ms at 100-109 and three
 * of 3 ms at 500-502 (two spells), one of 5 ms at 700 and two of 2 ms at
 * 800-801 (too short to be spells: the series' ordinary tail). Median
 * 1 ms, so slow means over 1.5 ms. Outside the spells: 987 operations,
 * 984 + 5 + 4 = 993 ms; inside: 13 operations, 20 + 9 = 29 ms. */
static void test_spells(void)
{
    size_t n = 1000;
    int64_t *v = malloc(n * sizeof *v);
    for (size_t i = 0; i < n; i++) v[i] = 1000000;
    for (size_t i = 100; i < 110; i++) v[i] = 2000000;
    for (size_t i = 500; i < 503; i++) v[i] = 3000000;
    v[700] = 5000000;
    v[800] = v[801] = 2000000;
    chunkio_spells sp;
    size_t kept = 0;
    CHECK_EQ_I64(chunkio_find_spells(v, n, 1022e6, &kept, &sp), 0);
    CHECK_EQ_U64(sp.n, 2);
    CHECK_EQ_U64(sp.ops, 13);
    CHECK_EQ_U64(kept, 987);
    CHECK_NEAR(sp.mean_len_ns, 14.5e6, 1e-6);
    CHECK_NEAR(sp.mean_gap_ns, (1022e6 - 29e6) / 2, 1e-6);
    CHECK_NEAR(sp.factor, (29.0 / 13) / (993.0 / 987), 1e-12);
    CHECK_NEAR(sp.time_frac, 29.0 / 1022, 1e-12);
    /* the rest keep their order: op 700 (5 ms) is now at 700 - 10 - 3 */
    CHECK_EQ_I64(v[687], 5000000);
    CHECK_EQ_I64(v[786], 1000000);
    CHECK_EQ_I64(v[787], 2000000);
    CHECK_EQ_I64(v[788], 2000000);
    CHECK_EQ_I64(v[789], 1000000);
    /* no spell: nothing moves */
    for (size_t i = 0; i < n; i++) v[i] = 1000000 + (int64_t)(i % 7);
    CHECK_EQ_I64(chunkio_find_spells(v, n, 1e9, &kept, &sp), 0);
    CHECK_EQ_U64(sp.n, 0);
    CHECK_EQ_U64(kept, n);
    CHECK_EQ_I64(v[5], 1000005);
    /* malformed input is refused and changes nothing */
    int64_t bad[3] = { 5, 0, 7 };
    CHECK_EQ_I64(chunkio_find_spells(bad, 3, 1e9, &kept, &sp), SIM_EINVAL);
    CHECK_EQ_I64(bad[1], 0);
    CHECK_EQ_I64(chunkio_find_spells(v, 1, 1e9, &kept, &sp), SIM_EINVAL);
    CHECK_EQ_I64(chunkio_find_spells(v, n, 0, &kept, &sp), SIM_EINVAL);
    free(v);
}

void test_chunkio_calib_register(void)
{
    static const tests_case cases[] = {
        { "lognormal_mle", test_lognormal_mle },
        { "bimodal_is_not_lognormal", test_bimodal_is_not_lognormal },
        { "bad_samples", test_bad_samples },
        { "spells", test_spells },
        { NULL, NULL },
    };
    tests_add_suite("chunkio_calib", cases);
}
