/* tests/test_ci.c - Student-t confidence intervals (coverage on normal
 * samples) and Welch's t-test (against published R output and its null
 * distribution). */
#include <stdlib.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "sim/ci.h"
#include "sim/errors.h"
#include "sim/rng.h"
#include "tests/harness.h"

/* CDNSIM_TEST_VERBOSE=1 prints the measured rates (quoted in
 * docs/statistics.md). */
static int verbose(void)
{
    const char *v = getenv("CDNSIM_TEST_VERBOSE");
    return v && *v && strcmp(v, "0") != 0;
}

static void test_ci_small_cases(void)
{
    sim_ci c;
    /* Hand-computed: {2, 4, 6, 8}: mean 5, s^2 = 20/3, se = sqrt(5/3),
     * t_{0.975, 3} = 3.182446305 (standard tables). */
    double x[] = { 2, 4, 6, 8 };
    CHECK_EQ_I64(sim_ci_mean(x, 4, 0.95, &c), 0);
    CHECK_NEAR(c.mean, 5.0, 1e-12);
    CHECK_NEAR(c.sd, sqrt(20.0 / 3.0), 1e-12);
    CHECK_NEAR(c.df, 3.0, 0);
    CHECK_NEAR(c.half, 3.182446305 * sqrt(5.0 / 3.0), 1e-8);
    CHECK_EQ_U64(c.n, 4);
    /* Table values of the two-sided critical value. */
    CHECK_NEAR(sim_t_critical(0.95, 1), 12.70620474, 1e-7);
    CHECK_NEAR(sim_t_critical(0.95, 9), 2.262157163, 1e-8);
    CHECK_NEAR(sim_t_critical(0.99, 4), 4.604094871, 1e-8);
    CHECK_NEAR(sim_t_critical(0.95, 1e9), 1.959963985, 1e-6);
    CHECK_TRUE(isnan(sim_t_critical(0.95, 0)));
    CHECK_TRUE(isnan(sim_t_critical(1.0, 5)));
    /* n = 1: the mean, and no interval */
    CHECK_EQ_I64(sim_ci_mean(x, 1, 0.95, &c), 0);
    CHECK_TRUE(c.mean == 2.0 && isnan(c.half) && isnan(c.sd) && isnan(c.df));
    /* constant sample: zero width */
    double k[] = { 3.5, 3.5, 3.5 };
    CHECK_EQ_I64(sim_ci_mean(k, 3, 0.95, &c), 0);
    CHECK_TRUE(c.mean == 3.5 && c.half == 0.0 && c.sd == 0.0);
    /* invalid input */
    CHECK_EQ_I64(sim_ci_mean(x, 0, 0.95, &c), SIM_EINVAL);
    CHECK_TRUE(isnan(c.mean));
    CHECK_EQ_I64(sim_ci_mean(NULL, 3, 0.95, &c), SIM_EINVAL);
    CHECK_EQ_I64(sim_ci_mean(x, 4, 0.0, &c), SIM_EINVAL);
    CHECK_EQ_I64(sim_ci_mean(x, 4, 1.0, &c), SIM_EINVAL);
    CHECK_EQ_I64(sim_ci_mean(x, 4, NAN, &c), SIM_EINVAL);
    double bad[] = { 1, NAN, 3 };
    CHECK_EQ_I64(sim_ci_mean(bad, 3, 0.95, &c), SIM_EINVAL);
    double inf[] = { 1, INFINITY };
    CHECK_EQ_I64(sim_ci_mean(inf, 2, 0.95, &c), SIM_EINVAL);
}

/* Runs `trials` intervals of n normal(mu, sigma) values at `level` and
 * returns how many contained mu. */
static int coverage(gsl_rng *r, int trials, size_t n, double level)
{
    const double mu = 10.0, sigma = 3.0;
    double x[64];
    int hits = 0;
    for (int t = 0; t < trials; t++) {
        for (size_t i = 0; i < n; i++) x[i] = mu + gsl_ran_gaussian(r, sigma);
        sim_ci c;
        if (sim_ci_mean(x, n, level, &c) == 0 && fabs(c.mean - mu) <= c.half) hits++;
    }
    return hits;
}

/* For normal data the Student-t interval covers the true mean with
 * probability exactly `level`, so the number of covering intervals among T
 * independent trials is Binomial(T, level). We accept within 3.29 standard
 * deviations, sqrt(T level (1 - level)), of T level: a correct
 * implementation fails with probability 0.1% for a random seed (and never
 * for this fixed seed). The samples are small (n = 5, n = 3) so that a
 * normal critical value instead of Student's would be caught: at n = 5,
 * mean +- 1.96 se covers about 88% (1743 of these 2000 trials, against 1903
 * with Student's t), 16 standard deviations away. */
static void test_ci_coverage(void)
{
    gsl_rng *r = sim_rng_stream(2024, "ci-coverage");
    const int T = 2000;
    struct {
        size_t n;
        double level;
    } cases[] = { { 5, 0.95 }, { 3, 0.80 }, { 30, 0.99 } };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double p = cases[i].level;
        double tol = 3.29 * sqrt(T * p * (1.0 - p));
        int hits = coverage(r, T, cases[i].n, p);
        CHECK_NEAR(hits, T * p, tol);
        if (verbose())
            printf("\n  ci n=%zu level=%.2f: %d of %d intervals cover the mean (accepted %.0f +- %.1f)", cases[i].n, p,
                   hits, T, T * p, tol);
    }
    gsl_rng_free(r);
}

/* Published Welch results from R's t.test (var.equal = FALSE, the default),
 * checked to the digits printed:
 *  - ts1 = c(11,9,10,11,10,12,9,11,12,9), ts2 = c(11,13,10,13,12,9,11,12,12,11):
 *    t = -1.8325, df = 17.9, p-value = 0.08356 (quoted in a Cross Validated
 *    answer on Welch intervals). By hand: s1^2 = 12.4/9, s2^2 = 14.4/9, so
 *    se^2 = 26.8/90 and df = 26.8^2 * 9 / (12.4^2 + 14.4^2) exactly.
 *  - R's example t.test(extra ~ group, data = sleep):
 *    t = -1.8608, df = 17.776, p-value = 0.07939.
 * Our t is mean_b - mean_a over se, so with a = the first group the sign
 * matches R's (x - y) with x = a after negation. */
static void test_welch_published(void)
{
    double ts1[] = { 11, 9, 10, 11, 10, 12, 9, 11, 12, 9 };
    double ts2[] = { 11, 13, 10, 13, 12, 9, 11, 12, 12, 11 };
    sim_welch w;
    CHECK_EQ_I64(sim_welch_test(ts1, 10, ts2, 10, &w), 0);
    CHECK_NEAR(w.mean_a, 10.4, 1e-12);
    CHECK_NEAR(w.mean_b, 11.4, 1e-12);
    CHECK_NEAR(w.diff, 1.0, 1e-12);
    CHECK_NEAR(w.se, sqrt(26.8 / 90.0), 1e-12);
    CHECK_NEAR(w.df, 26.8 * 26.8 * 9.0 / (12.4 * 12.4 + 14.4 * 14.4), 1e-9);
    CHECK_NEAR(-w.t, -1.8325, 0.00005);
    CHECK_NEAR(w.df, 17.9, 0.05);
    CHECK_NEAR(w.p, 0.08356, 0.000005);

    double g1[] = { 0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0 };
    double g2[] = { 1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4 };
    CHECK_EQ_I64(sim_welch_test(g1, 10, g2, 10, &w), 0);
    CHECK_NEAR(w.mean_a, 0.75, 1e-12);
    CHECK_NEAR(w.mean_b, 2.33, 1e-12);
    CHECK_NEAR(-w.t, -1.8608, 0.00005);
    CHECK_NEAR(w.df, 17.776, 0.0005);
    CHECK_NEAR(w.p, 0.07939, 0.000005);
    /* symmetric in the order of the samples, up to the sign of t */
    sim_welch v;
    sim_welch_test(g2, 10, g1, 10, &v);
    CHECK_NEAR(v.t, -w.t, 1e-12);
    CHECK_NEAR(v.p, w.p, 1e-15);
}

static void test_welch_edge_cases(void)
{
    sim_welch w;
    double c1[] = { 5, 5, 5 }, c2[] = { 5, 5 }, c3[] = { 7, 7, 7, 7 }, x[] = { 1, 2, 3 };
    /* equal constants: no evidence of a difference */
    CHECK_EQ_I64(sim_welch_test(c1, 3, c2, 2, &w), 0);
    CHECK_TRUE(w.p == 1.0 && w.t == 0.0 && w.se == 0.0 && isnan(w.df));
    /* different constants: certainly different */
    CHECK_EQ_I64(sim_welch_test(c1, 3, c3, 4, &w), 0);
    CHECK_TRUE(w.p == 0.0 && isinf(w.t) && w.t > 0 && w.diff == 2.0);
    CHECK_EQ_I64(sim_welch_test(c3, 4, c1, 3, &w), 0);
    CHECK_TRUE(w.p == 0.0 && isinf(w.t) && w.t < 0);
    /* one side constant: df falls back to the other side's n - 1 */
    CHECK_EQ_I64(sim_welch_test(c1, 3, x, 3, &w), 0);
    CHECK_NEAR(w.df, 2.0, 1e-12);
    CHECK_TRUE(w.p > 0.0 && w.p < 1.0);
    /* identical samples: t = 0, p = 1 */
    CHECK_EQ_I64(sim_welch_test(x, 3, x, 3, &w), 0);
    CHECK_TRUE(w.t == 0.0);
    CHECK_NEAR(w.p, 1.0, 1e-12);
    /* fewer than two values on a side: refused, means still reported */
    CHECK_EQ_I64(sim_welch_test(x, 1, x, 3, &w), SIM_EINVAL);
    CHECK_TRUE(isnan(w.p) && w.mean_a == 1.0 && w.mean_b == 2.0);
    CHECK_EQ_I64(sim_welch_test(x, 3, x, 0, &w), SIM_EINVAL);
    CHECK_TRUE(isnan(w.p) && isnan(w.mean_b));
    CHECK_EQ_I64(sim_welch_test(NULL, 3, x, 3, &w), SIM_EINVAL);
    double bad[] = { 1, NAN };
    CHECK_EQ_I64(sim_welch_test(x, 3, bad, 2, &w), SIM_EINVAL);
    CHECK_TRUE(isnan(w.p));
}

/* One value against a sample. a = 1..5: mean 3, s^2 = 2.5; x = 7: se =
 * sqrt(2.5 x 1.2) = sqrt(3), t = 4 / sqrt(3), df = 4. The t distribution with
 * 4 degrees of freedom has a closed form: with u = t / sqrt(4 + t^2) (here
 * 4 / sqrt(28)), P(T <= t) = 1/2 + (3/4) u (1 - u^2 / 3), so p = 2 (1 - that)
 * = 0.0820861... Under the null (x and a from one normal) the test is exact:
 * P(p < 0.05) = 0.05, so 2000 trials reject Binomial(2000, 0.05) times, sd
 * 9.75; 3.29 sd either side is a 0.1% false alarm. */
static void test_prediction_test(void)
{
    sim_welch w;
    double a[] = { 1, 2, 3, 4, 5 };
    CHECK_EQ_I64(sim_prediction_test(a, 5, 7.0, &w), 0);
    double u = 4.0 / sqrt(28.0), p = 2.0 * (0.5 - 0.75 * u * (1.0 - u * u / 3.0));
    CHECK_NEAR(w.mean_a, 3.0, 1e-12);
    CHECK_NEAR(w.diff, 4.0, 1e-12);
    CHECK_NEAR(w.se, sqrt(3.0), 1e-12);
    CHECK_NEAR(w.df, 4.0, 1e-12);
    CHECK_NEAR(w.p, p, 1e-9);
    CHECK_EQ_I64(sim_prediction_test(a, 5, -1.0, &w), 0); /* the mirror image */
    CHECK_NEAR(w.p, p, 1e-9);
    CHECK_EQ_I64(sim_prediction_test(a, 5, 3.0, &w), 0);
    CHECK_NEAR(w.p, 1.0, 1e-12);
    double c[] = { 5, 5, 5 };
    CHECK_EQ_I64(sim_prediction_test(c, 3, 5.0, &w), 0);
    CHECK_TRUE(w.p == 1.0 && w.t == 0.0);
    CHECK_EQ_I64(sim_prediction_test(c, 3, 6.0, &w), 0);
    CHECK_TRUE(w.p == 0.0 && isinf(w.t) && w.t > 0);
    CHECK_EQ_I64(sim_prediction_test(a, 1, 7.0, &w), SIM_EINVAL);
    CHECK_TRUE(isnan(w.p) && w.mean_a == 1.0);
    CHECK_EQ_I64(sim_prediction_test(NULL, 3, 7.0, &w), SIM_EINVAL);
    CHECK_EQ_I64(sim_prediction_test(a, 5, NAN, &w), SIM_EINVAL);
    CHECK_TRUE(isnan(w.p));

    gsl_rng *r = sim_rng_stream(78, "prediction-null");
    const int T = 2000;
    int rej = 0;
    for (int t = 0; t < T; t++) {
        double s[6];
        for (int i = 0; i < 6; i++) s[i] = 50.0 + gsl_ran_gaussian(r, 3.0);
        sim_prediction_test(s, 6, 50.0 + gsl_ran_gaussian(r, 3.0), &w);
        if (w.p < 0.05) rej++;
    }
    gsl_rng_free(r);
    double sd = sqrt(T * 0.05 * 0.95);
    CHECK_TRUE(fabs(rej - T * 0.05) <= 3.29 * sd);
    if (fabs(rej - T * 0.05) > 3.29 * sd) printf("\n  prediction test rejected %d of %d under the null\n", rej, T);
}

/* Under the null hypothesis (equal means; here unequal variances and sizes,
 * Welch's case) the p-value is close to uniform, so P(p < 0.05) = 0.05. Over
 * T = 2000 trials the count is Binomial(T, 0.05): sd = sqrt(T 0.05 0.95) =
 * 9.75; we allow 3.29 sd (0.1% false alarm) plus 10 trials (0.5%) because
 * the Welch-Satterthwaite df makes the test's size only approximately 5%
 * (here n = 8 and 16, sd 4 and 1: a 16x variance ratio). A one-sided p (2.5%
 * rejections) or a pooled-variance test (309 of these 2000 trials, 15%: the
 * small sample has the large variance) would fall far outside; Welch gives 95. And with a real shift of
 * one standard error the test must reject more often than that. */
static void test_welch_null_size(void)
{
    gsl_rng *r = sim_rng_stream(77, "welch-null");
    const int T = 2000;
    double a[8], b[16];
    int rej = 0, rej_shift = 0;
    for (int t = 0; t < T; t++) {
        for (int i = 0; i < 8; i++) a[i] = 100.0 + gsl_ran_gaussian(r, 4.0);
        for (int i = 0; i < 16; i++) b[i] = 100.0 + gsl_ran_gaussian(r, 1.0);
        sim_welch w;
        sim_welch_test(a, 8, b, 16, &w);
        if (w.p < 0.05) rej++;
        for (int i = 0; i < 16; i++) b[i] += 3.0; /* shift by about 2 se */
        sim_welch_test(a, 8, b, 16, &w);
        if (w.p < 0.05) rej_shift++;
    }
    CHECK_NEAR(rej, 0.05 * T, 3.29 * sqrt(T * 0.05 * 0.95) + 10.0);
    CHECK_TRUE(rej_shift > 5 * rej);
    if (verbose())
        printf("\n  welch: p < 0.05 in %d of %d null trials (accepted %.0f +- %.1f), %d of %d with a 2-se shift", rej, T,
               0.05 * T, 3.29 * sqrt(T * 0.05 * 0.95) + 10.0, rej_shift, T);
    gsl_rng_free(r);
}

void test_ci_register(void);
void test_ci_register(void)
{
    static const tests_case cases[] = {
        { "ci_small_cases", test_ci_small_cases },
        { "ci_coverage", test_ci_coverage },
        { "welch_published", test_welch_published },
        { "welch_edge_cases", test_welch_edge_cases },
        { "welch_null_size", test_welch_null_size },
        { "prediction_test", test_prediction_test },
        { NULL, NULL },
    };
    tests_add_suite("ci", cases);
}
