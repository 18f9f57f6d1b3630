/* sim/zipf.c - Zipf ranks by rejection-inversion, and harmonic numbers.
 *
 * Rejection-inversion (Hormann and Derflinger 1996) draws from a continuous
 * hat whose integral H can be inverted in closed form, rounds to the nearest
 * rank k and accepts when the point falls under k's share of the hat. The
 * paper's hat integral (x^(1-alpha)) / (1-alpha) has no limit at alpha = 1;
 * like Apache Commons RNG's RejectionInversionZipfSampler we use
 *     H(x) = (x^(1-alpha) - 1) / (1-alpha) = ln(x) * exprel((1-alpha) ln x),
 * whose limit at alpha = 1 is ln(x), and its inverse
 *     H^-1(y) = exp(y * log1p((1-alpha) y) / ((1-alpha) y)),
 * evaluated through two helpers that switch to a Taylor series near 0, so
 * one formula serves every alpha in [0, 100]. The state is three doubles;
 * the expected number of iterations is bounded for all alpha and n (below
 * 1.05 on the test's grid of alpha from 1e-6 to 100 and n from 2 to 2^63),
 * so a draw is O(1). docs/distributions.md states the precision limits.
 */
#include "sim/zipf.h"

#include <math.h>

#include <gsl/gsl_rng.h>

#include "sim/errors.h"

/* Below this |t| the helpers use their Taylor series: the error of the
 * cut series is O(t^4) < 1e-32, far under double precision. */
#define TAYLOR_T 1e-8

/* Terms summed exactly by sim_zipf_harmonic before Euler-Maclaurin. */
#define HARMONIC_EXACT 1000000u

/* log1p(t) / t, continuous at t = 0. */
static double helper1(double t)
{
    if (fabs(t) > TAYLOR_T) return log1p(t) / t;
    return 1.0 - t * (0.5 - t * (1.0 / 3.0 - 0.25 * t));
}

/* expm1(t) / t, continuous at t = 0. */
static double helper2(double t)
{
    if (fabs(t) > TAYLOR_T) return expm1(t) / t;
    return 1.0 + t * 0.5 * (1.0 + t / 3.0 * (1.0 + 0.25 * t));
}

/* The hat: h(x) = x^-alpha. */
static double h(double alpha, double x) { return exp(-alpha * log(x)); }

/* Its integral H(x) = (x^(1-alpha) - 1) / (1 - alpha). */
static double hint(double alpha, double x)
{
    double lx = log(x);
    return helper2((1.0 - alpha) * lx) * lx;
}

/* The inverse of H. The argument of log1p is clamped at -1: rounding can
 * push it just below, where the true value is the limit 0 or infinity. */
static double hint_inv(double alpha, double y)
{
    double t = y * (1.0 - alpha);
    if (t < -1.0) t = -1.0;
    return exp(helper1(t) * y);
}

int sim_zipf_init(sim_zipf *z, uint64_t n, double alpha)
{
    if (!z) return SIM_EINVAL;
    if (n < 1 || !(alpha >= 0.0 && alpha <= 100.0)) return SIM_EINVAL;
    z->n = n;
    z->alpha = alpha;
    /* u is drawn in (h_x1, h_n]; rank 1 owns (h_x1, H(1.5)], of length
     * exactly h(1) = 1, so it is always accepted. */
    z->h_x1 = hint(alpha, 1.5) - 1.0;
    z->h_n = hint(alpha, (double)n + 0.5);
    /* Squeeze: when k - x <= s, acceptance is certain without evaluating
     * H(k + 1/2) - h(k) (Theorem 2 of the paper holds for every alpha > 0). */
    z->s = 2.0 - hint_inv(alpha, hint(alpha, 2.5) - h(alpha, 2.0));
    return 0;
}

/* A uniform integer in [0, n) for any 64-bit n, exact: GSL's
 * gsl_rng_uniform_int stops at the generator's range (2^32 - 1 for ours),
 * so beyond it we assemble 64 bits from four 16-bit draws and reject the
 * top 2^64 mod n values (Lemire's threshold) to stay unbiased. */
static uint64_t uniform_below(gsl_rng *r, uint64_t n)
{
    unsigned long range = gsl_rng_max(r) - gsl_rng_min(r);
    if (n - 1 < range) return gsl_rng_uniform_int(r, (unsigned long)n);
    uint64_t threshold = (0 - n) % n; /* 2^64 mod n */
    for (;;) {
        uint64_t x = 0;
        for (int i = 0; i < 4; i++) x = (x << 16) | (uint64_t)gsl_rng_uniform_int(r, 65536);
        if (x >= threshold) return x % n;
    }
}

uint64_t sim_zipf_sample(const sim_zipf *z, gsl_rng *r)
{
    uint64_t n = z->n;
    if (n <= 1) return 1;
    /* alpha = 0 is the uniform distribution: drawn exactly in integers, so
     * that every rank up to 2^64 - 1 is reachable (the double-based path
     * below resolves ranks only to double precision). */
    if (z->alpha == 0.0) return 1 + uniform_below(r, n);
    double alpha = z->alpha, dn = (double)n;
    for (;;) {
        double u = z->h_n + gsl_rng_uniform(r) * (z->h_x1 - z->h_n); /* (h_x1, h_n] */
        double x = hint_inv(alpha, u);
        uint64_t k;
        /* Round to the nearest rank, clamped to [1, n] against rounding;
         * the comparisons come before the cast so that it cannot overflow. */
        if (!(x + 0.5 >= 1.0)) k = 1;
        else if (x + 0.5 >= dn) k = n;
        else k = (uint64_t)(x + 0.5);
        if (k > n) k = n;
        double dk = (double)k;
        if (dk - x <= z->s || u >= hint(alpha, dk + 0.5) - h(alpha, dk)) return k;
    }
}

/* Sum of k^-alpha for k = 1..m, smallest terms first with Kahan's
 * compensation, so the rounding error stays a few ulps of the sum. */
static double harmonic_exact(uint64_t m, double alpha)
{
    double sum = 0.0, comp = 0.0;
    for (uint64_t k = m; k >= 1; k--) {
        double term = alpha == 0.0 ? 1.0 : pow((double)k, -alpha);
        double y = term - comp;
        double t = sum + y;
        comp = (t - sum) - y;
        sum = t;
    }
    return sum;
}

double sim_zipf_harmonic(uint64_t n, double alpha)
{
    if (!(alpha >= 0.0) || !isfinite(alpha)) return NAN;
    if (n == 0) return 0.0;
    if (alpha == 0.0) return (double)n;
    uint64_t m = n < HARMONIC_EXACT ? n : HARMONIC_EXACT;
    double sum = harmonic_exact(m, alpha);
    if (n == m) return sum;
    /* Euler-Maclaurin for the tail k = m+1..n with f(x) = x^-alpha:
     *   integral_m^n f + (f(n) - f(m))/2 + B2/2! (f'(n) - f'(m))
     *                                    + B4/4! (f'''(n) - f'''(m)) + R
     * with B2/2! = 1/12, B4/4! = -1/720. f is completely monotone, so R has
     * the sign of, and is at most, the first omitted term,
     *   |R| <= (1/30240) alpha(alpha+1)(alpha+2)(alpha+3)(alpha+4) m^-(alpha+5),
     * which for m = 10^6 is below 1e-31 for every alpha >= 0, while H >= 1:
     * the result is exact to rounding (a few 1e-16 relative). The integral is
     * m^(1-alpha) ln(n/m) exprel((1-alpha) ln(n/m)), exact through alpha = 1. */
    double dm = (double)m, dn = (double)n;
    double L = log(dn / dm);
    double fm = pow(dm, -alpha), fn = pow(dn, -alpha);
    double integral = dm * fm * L * helper2((1.0 - alpha) * L);
    double d1m = -alpha * fm / dm, d1n = -alpha * fn / dn;
    double c3 = -alpha * (alpha + 1.0) * (alpha + 2.0);
    double d3m = c3 * fm / (dm * dm * dm), d3n = c3 * fn / (dn * dn * dn);
    double tail = integral + (fn - fm) / 2.0 + (d1n - d1m) / 12.0 - (d3n - d3m) / 720.0;
    return sum + tail;
}

double sim_zipf_pmf(const sim_zipf *z, uint64_t k, double h)
{
    if (!z || k < 1 || k > z->n || !(h > 0)) return 0.0;
    return pow((double)k, -z->alpha) / h;
}
