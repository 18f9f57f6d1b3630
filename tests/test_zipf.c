/* tests/test_zipf.c - Zipf sampling and harmonic numbers.
 *
 * Frequencies are checked two ways, with fixed seeds:
 *   - each of the top R ranks: its count is Binomial(N, p_k), so it must lie
 *     within z sqrt(N p_k (1 - p_k)) of N p_k, with z the two-sided normal
 *     quantile for a family-wise false-alarm rate of 1e-3 over the R checks
 *     of one call (Bonferroni: z = Qinv(1e-3 / (2R)), 4.06 for R = 10);
 *   - a chi-square goodness-of-fit over bins (the first ranks, or decades of
 *     ranks for huge n, plus the rest), each with expected count >= 5,
 *     rejected when gsl_cdf_chisq_Q(stat, bins - 1) < 1e-4.
 * With about ten such calls, a correct sampler fails on a fresh seed with
 * probability about 1e-2. N shrinks under ASan; the bounds follow from N.
 */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_zeta.h>
#include <stdlib.h>

#include "sim/errors.h"
#include "sim/rng.h"
#include "sim/zipf.h"
#include "tests/harness.h"

#define CHISQ_MIN_P 1e-4

static size_t draws(void) { return tests_under_asan() ? 40000 : 400000; }

/* Brute force: k^-alpha for k = 1, 2, ... accumulated in long double with
 * Kahan's compensation; out[i] = the sum up to at[i] (at increasing). Each
 * term is within an ulp, so each sum is within ~1e-16 relative. */
static void brute_harmonic(double alpha, const uint64_t *at, double *out, size_t m)
{
    long double sum = 0.0L, comp = 0.0L;
    size_t i = 0;
    for (uint64_t k = 1; i < m; k++) {
        long double y = (long double)pow((double)k, -alpha) - comp;
        long double t = sum + y;
        comp = (t - sum) - y;
        sum = t;
        while (i < m && at[i] == k) out[i++] = (double)sum;
    }
}

/* Chi-square over bins with the given expected probabilities (summing to
 * 1) and observed counts; bins expecting fewer than 5 are merged into the
 * next. Records a failure when the upper tail probability is < CHISQ_MIN_P. */
static void chisq_check(const char *label, const double *prob, const uint64_t *obs, size_t bins, size_t total,
                        int line)
{
    double stat = 0.0, e_acc = 0.0, o_acc = 0.0;
    size_t used = 0;
    for (size_t i = 0; i < bins; i++) {
        e_acc += prob[i] * (double)total;
        o_acc += (double)obs[i];
        if (e_acc >= 5.0 || i == bins - 1) {
            if (e_acc > 0) {
                stat += (o_acc - e_acc) * (o_acc - e_acc) / e_acc;
                used++;
            }
            e_acc = o_acc = 0.0;
        }
    }
    double pval = used > 1 ? gsl_cdf_chisq_Q(stat, (double)(used - 1)) : 1.0;
    if (!(pval >= CHISQ_MIN_P))
        tests_fail(__FILE__, line, "%s: chi-square %.1f on %zu df, p-value %.3g < %g", label, stat, used - 1, pval,
                   CHISQ_MIN_P);
    else CU_PASS("chi-square");
}

/* Top-R rank frequencies and a chi-square over the first ranks of
 * Zipf(n, alpha). */
static void check_ranks(uint64_t n, double alpha, const char *label)
{
    enum { R = 10, B = 60 };
    sim_zipf z;
    CHECK_EQ_I64(sim_zipf_init(&z, n, alpha), 0);
    double h = sim_zipf_harmonic(n, alpha);
    gsl_rng *r = sim_rng_stream(2024, label);
    size_t N = draws();
    uint64_t cnt[B + 1] = { 0 };
    size_t bad = 0;
    for (size_t i = 0; i < N; i++) {
        uint64_t k = sim_zipf_sample(&z, r);
        if (k < 1 || k > n) bad++;
        else if (k <= B) cnt[k - 1]++;
        else cnt[B]++;
    }
    CHECK_EQ_U64(bad, 0);
    double zq = gsl_cdf_ugaussian_Qinv(1e-3 / (2.0 * R));
    for (uint64_t k = 1; k <= R && k <= n; k++) {
        double p = sim_zipf_pmf(&z, k, h), want = p * (double)N;
        double tol = zq * sqrt((double)N * p * (1 - p)) + 1.0;
        if (!(fabs((double)cnt[k - 1] - want) <= tol))
            tests_fail(__FILE__, __LINE__, "%s: rank %llu drawn %llu times, expected %.1f +- %.1f", label,
                       (unsigned long long)k, (unsigned long long)cnt[k - 1], want, tol);
        else CU_PASS("rank frequency");
    }
    double prob[B + 1], rest = 1.0;
    size_t bins = 0;
    for (uint64_t k = 1; k <= B && k <= n; k++) {
        prob[bins++] = sim_zipf_pmf(&z, k, h);
        rest -= prob[bins - 1];
    }
    if (n > B) prob[bins++] = rest > 0 ? rest : 0;
    chisq_check(label, prob, cnt, bins, N, __LINE__);
    gsl_rng_free(r);
}

static void test_top_ranks(void)
{
    check_ranks(1000, 0.6, "zipf(1000,0.6)");
    check_ranks(1000, 1.0, "zipf(1000,1.0)");
    check_ranks(1000, 1.4, "zipf(1000,1.4)");
    check_ranks(50, 0.0, "zipf(50,0)");
    check_ranks(100000, 1.0, "zipf(1e5,1.0)");
    check_ranks(7, 2.5, "zipf(7,2.5)");
    /* Just off 1 on both sides: the helpers' Taylor branch. */
    check_ranks(1000, 1.0 - 1e-9, "zipf(1000,1-1e-9)");
    check_ranks(1000, 1.0 + 1e-9, "zipf(1000,1+1e-9)");
}

/* n = 10^9: decades of ranks against (H(10^(j+1)) - H(10^j)) / H(n), the
 * whole range including the far tail, with no table anywhere. */
static void check_decades(double alpha, const char *label)
{
    const uint64_t n = 1000000000ULL;
    enum { D = 10 }; /* bins: {1}, (1,10], (10,100], ..., (1e8,1e9] */
    sim_zipf z;
    CHECK_EQ_I64(sim_zipf_init(&z, n, alpha), 0);
    double hn = sim_zipf_harmonic(n, alpha), edge_h[D];
    uint64_t edge = 1;
    for (int j = 0; j < D; j++, edge *= 10) edge_h[j] = sim_zipf_harmonic(edge, alpha);
    double prob[D];
    prob[0] = edge_h[0] / hn;
    for (int j = 1; j < D; j++) prob[j] = (edge_h[j] - edge_h[j - 1]) / hn;
    gsl_rng *r = sim_rng_stream(77, label);
    size_t N = draws();
    uint64_t cnt[D] = { 0 };
    for (size_t i = 0; i < N; i++) {
        uint64_t k = sim_zipf_sample(&z, r);
        int j = 0;
        for (uint64_t e = 1; k > e && j < D - 1; e *= 10) j++;
        cnt[j]++;
    }
    chisq_check(label, prob, cnt, D, N, __LINE__);
    gsl_rng_free(r);
}

static void test_huge_n(void)
{
    check_decades(0.6, "zipf(1e9,0.6)");
    check_decades(1.0, "zipf(1e9,1.0)");
    check_decades(1.4, "zipf(1e9,1.4)");

    /* n = 2^63 and 2^64 - 1: every draw in range; for alpha = 0.5 the share
     * of draws <= 2^62 is H(2^62)/H(2^63) (~0.7071); for alpha = 0 (exact
     * integer uniform) it is 1/2 and the low 4 bits are uniform. */
    static const uint64_t ns[] = { 1ULL << 63, UINT64_MAX };
    size_t N = draws() / 4;
    for (int t = 0; t < 2; t++) {
        uint64_t n = ns[t];
        sim_zipf z;
        CHECK_EQ_I64(sim_zipf_init(&z, n, 0.5), 0);
        gsl_rng *r = sim_rng_stream(5, "huge");
        double p = sim_zipf_harmonic(1ULL << 62, 0.5) / sim_zipf_harmonic(n, 0.5);
        size_t low = 0, bad = 0;
        for (size_t i = 0; i < N; i++) {
            uint64_t k = sim_zipf_sample(&z, r);
            bad += k < 1 || k > n;
            low += k <= (1ULL << 62);
        }
        CHECK_EQ_U64(bad, 0);
        CHECK_NEAR((double)low, p * (double)N, 4.5 * sqrt((double)N * p * (1 - p)) + 1);

        CHECK_EQ_I64(sim_zipf_init(&z, n, 0.0), 0);
        uint64_t nib[16] = { 0 };
        low = bad = 0;
        for (size_t i = 0; i < N; i++) {
            uint64_t k = sim_zipf_sample(&z, r);
            bad += k < 1;
            low += k <= (1ULL << 62);
            nib[k & 15]++;
        }
        CHECK_EQ_U64(bad, 0);
        CHECK_NEAR((double)low, 0.25 * (double)N * (n == UINT64_MAX ? 1.0 : 2.0),
                   4.5 * sqrt((double)N * 0.25) + 1);
        double prob[16];
        for (int i = 0; i < 16; i++) prob[i] = 1.0 / 16;
        chisq_check("zipf(2^63,0) low bits", prob, nib, 16, N, __LINE__);
        gsl_rng_free(r);
    }
}

static void test_edges(void)
{
    sim_zipf z;
    CHECK_EQ_I64(sim_zipf_init(&z, 0, 1.0), SIM_EINVAL);
    CHECK_EQ_I64(sim_zipf_init(&z, 10, -0.1), SIM_EINVAL);
    CHECK_EQ_I64(sim_zipf_init(&z, 10, 100.5), SIM_EINVAL);
    CHECK_EQ_I64(sim_zipf_init(&z, 10, NAN), SIM_EINVAL);
    CHECK_EQ_I64(sim_zipf_init(&z, 10, INFINITY), SIM_EINVAL);
    CHECK_EQ_I64(sim_zipf_init(NULL, 10, 1.0), SIM_EINVAL);

    gsl_rng *r = sim_rng_stream(1, "edges");
    /* n = 1: always 1. alpha = 100 on 10^9 ranks: P(rank 2) = 2^-100. */
    CHECK_EQ_I64(sim_zipf_init(&z, 1, 1.0), 0);
    int ok = 1;
    for (int i = 0; i < 1000; i++) ok &= sim_zipf_sample(&z, r) == 1;
    CHECK_TRUE(ok);
    CHECK_EQ_I64(sim_zipf_init(&z, 1000000000ULL, 100.0), 0);
    ok = 1;
    for (int i = 0; i < 1000; i++) ok &= sim_zipf_sample(&z, r) == 1;
    CHECK_TRUE(ok);
    /* alpha tiny on a huge n is near uniform: the mean rank / n ~ 1/2. */
    CHECK_EQ_I64(sim_zipf_init(&z, 1ULL << 40, 1e-6), 0);
    double s = 0;
    size_t N = 20000;
    for (size_t i = 0; i < N; i++) s += (double)sim_zipf_sample(&z, r) / (double)(1ULL << 40);
    CHECK_NEAR(s / (double)N, 0.5, 4.5 * sqrt(1.0 / 12 / (double)N) + 1e-5);
    gsl_rng_free(r);

    /* Continuity at alpha = 1: the precomputed constants move smoothly. */
    sim_zipf a, b, c;
    sim_zipf_init(&a, 1000000, 1.0 - 1e-10);
    sim_zipf_init(&b, 1000000, 1.0);
    sim_zipf_init(&c, 1000000, 1.0 + 1e-10);
    CHECK_NEAR(a.h_n, b.h_n, 1e-8 * b.h_n);
    CHECK_NEAR(c.h_n, b.h_n, 1e-8 * b.h_n);
    CHECK_NEAR(a.s, b.s, 1e-8);
    CHECK_NEAR(c.h_x1, b.h_x1, 1e-8);
    CHECK_NEAR(b.h_n, log(1000000.5), 1e-12);

    /* pmf: outside [1, n] is 0; sums to 1. */
    sim_zipf_init(&z, 1000, 0.8);
    double h = sim_zipf_harmonic(1000, 0.8), sum = 0;
    for (uint64_t k = 1; k <= 1000; k++) sum += sim_zipf_pmf(&z, k, h);
    CHECK_NEAR(sum, 1.0, 1e-13);
    CHECK_TRUE(sim_zipf_pmf(&z, 0, h) == 0.0 && sim_zipf_pmf(&z, 1001, h) == 0.0);
}

static void test_harmonic(void)
{
    /* Brute force (long double, compensated) through and past the switch to
     * Euler-Maclaurin at 10^6 terms: relative error < 1e-12 as promised. */
    static const double alphas[] = { 0.0, 0.5, 1.0, 1.5, 3.0 };
    uint64_t at[] = { 1, 2, 10, 1000, 999999, 1000000, 1000001, 1500000 };
    size_t m = sizeof at / sizeof at[0];
    for (size_t i = 0; i < sizeof alphas / sizeof alphas[0]; i++) {
        double want[8];
        brute_harmonic(alphas[i], at, want, m);
        for (size_t j = 0; j < m; j++) CHECK_NEAR(sim_zipf_harmonic(at[j], alphas[i]), want[j], 1e-12 * want[j]);
    }
    /* Huge n against the Hurwitz identity H(n, a) = zeta(a) - zeta(a, n+1)
     * and the asymptotic expansion of zeta(a, n+1) (its cut terms are
     * O(n^-a-3), nothing at n >= 1e12):
     *   H(n, a) = zeta(a) + n^(1-a)/(1-a) + n^-a/2 - a n^(-a-1)/12,
     * and H(n, 1) = ln n + gamma + 1/(2n) - 1/(12 n^2). */
    static const double big_n[] = { 1e12, 9.2233720368547758e18 };
    static const double as[] = { 0.5, 0.9, 2.0, 1.2 };
    for (size_t i = 0; i < 2; i++) {
        double n = big_n[i];
        uint64_t un = (uint64_t)n;
        for (size_t j = 0; j < sizeof as / sizeof as[0]; j++) {
            double a = as[j];
            double want = gsl_sf_zeta(a) + pow(n, 1 - a) / (1 - a) + pow(n, -a) / 2 - a * pow(n, -a - 1) / 12;
            CHECK_NEAR(sim_zipf_harmonic(un, a), want, 1e-12 * fabs(want));
        }
        double want1 = log(n) + 0.57721566490153286061 + 1 / (2 * n);
        CHECK_NEAR(sim_zipf_harmonic(un, 1.0), want1, 1e-12 * want1);
    }
    CHECK_TRUE(sim_zipf_harmonic(0, 1.0) == 0.0);
    CHECK_TRUE(sim_zipf_harmonic(UINT64_MAX, 0.0) == (double)UINT64_MAX);
    CHECK_TRUE(isnan(sim_zipf_harmonic(10, -1.0)));
    CHECK_TRUE(isnan(sim_zipf_harmonic(10, NAN)));
    CHECK_NEAR(sim_zipf_harmonic(UINT64_MAX, 100.0), 1.0, 1e-15);
}

/* A generator that counts the calls made to it, forwarding to a real
 * stream: the number of iterations rejection-inversion needs per draw is
 * deterministic for a seed, and O(1) expected time means it stays bounded
 * whatever alpha and n. The grid's worst measured average is 1.019 (alpha
 * 0.9, n = 2^63); the bound asserted is 1.05, far below what a broken hat
 * or squeeze gives (a hat off by a constant factor c costs c per draw). */
static gsl_rng *count_inner;
static unsigned long long count_calls;
static void count_set(void *st, unsigned long seed) { (void)st; (void)seed; }
static unsigned long count_get(void *st)
{
    (void)st;
    count_calls++;
    return gsl_rng_get(count_inner);
}
static double count_get_double(void *st)
{
    (void)st;
    count_calls++;
    return gsl_rng_uniform(count_inner);
}
static const gsl_rng_type counting_type = {
    "counting", 0xffffffffUL, 0, sizeof(int), count_set, count_get, count_get_double,
};

static void test_acceptance(void)
{
    static const double alphas[] = { 1e-6, 0.3, 0.6, 0.9, 1.0, 1.1, 1.4, 2.0, 3.0, 5.0, 10.0, 100.0 };
    static const uint64_t ns[] = { 2, 10, 1000, 1000000000ULL, 1ULL << 63 };
    count_inner = sim_rng_stream(11, "acceptance");
    gsl_rng *r = gsl_rng_alloc(&counting_type);
    size_t N = tests_under_asan() ? 2000 : 20000;
    double worst = 0.0;
    for (size_t i = 0; i < sizeof alphas / sizeof alphas[0]; i++) {
        for (size_t j = 0; j < sizeof ns / sizeof ns[0]; j++) {
            sim_zipf z;
            sim_zipf_init(&z, ns[j], alphas[i]);
            count_calls = 0;
            for (size_t k = 0; k < N; k++) sim_zipf_sample(&z, r);
            double per = (double)count_calls / (double)N;
            if (per > worst) worst = per;
            if (!(per < 1.05))
                tests_fail(__FILE__, __LINE__, "alpha %g, n %llu: %.4f uniforms per draw", alphas[i],
                           (unsigned long long)ns[j], per);
        }
    }
    CHECK_TRUE(worst >= 1.0 && worst < 1.05);
    gsl_rng_free(r);
    gsl_rng_free(count_inner);
}

void test_zipf_register(void)
{
    static const tests_case cases[] = {
        { "top_ranks", test_top_ranks },
        { "huge_n", test_huge_n },
        { "edges", test_edges },
        { "harmonic", test_harmonic },
        { "acceptance", test_acceptance },
        { NULL, NULL },
    };
    tests_add_suite("zipf", cases);
}
