/* sim/dist.c - the distributions of sim/dist.h: constructors that validate,
 * O(1) sampling through GSL's samplers, and exact moments and quantiles.
 *
 * Conventions: every constructor first turns *d into an inert value (kind
 * CONST, parameters NaN, no table), so that a failed constructor leaves
 * something sim_dist_free() accepts and sim_dist_sample() answers with NaN
 * instead of crashing. Quantiles at p = 0 and p = 1 are the ends of the
 * support and are answered here, never by GSL, whose inverse CDFs report
 * those points through the GSL error handler on some versions.
 */
#include "sim/dist.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_erf.h>
#include <gsl/gsl_sf_zeta.h>

#include "sim/errors.h"

/* The truncated normal is accepted for mean >= -TRUNC_LIMIT * sd. Beyond
 * that less than 5e-198 of the normal's mass is above 0 and the parameters
 * are surely a mistake; the sampler's mean + tail draw would also start to
 * lose digits to cancellation (about (mean/sd)^2 ulps). */
#define TRUNC_LIMIT 30.0

/* Draws of the plain normal tried before switching to GSL's tail sampler
 * when the mean is >= 0 (acceptance >= 1/2, so the cap is hit with
 * probability <= 2^-64; the tail sampler is exact, so hitting it biases
 * nothing). */
#define TRUNC_TRIES 64

struct sim_empirical {
    int hist;     /* 0: quantile table, 1: histogram */
    size_t n;     /* table: points; histogram: bins with weight > 0 */
    /* quantile table: n points (p[i], x[i]), inverted at a uniform u with a
     * guide table (Chen and Asau 1974): guide[j] is the first segment i with
     * p[i+1] > j / n_guide, so a lookup starts at most a few segments short
     * of the answer (expected O(1) steps: n_guide equals the segment count). */
    double *p, *x;
    size_t *guide;
    size_t n_guide;
    /* histogram: bins sorted by lo, not overlapping, weights normalised to
     * sum 1, cum[i] = w[0] + ... + w[i] (cum[n-1] forced to exactly 1). */
    double *lo, *hi, *w, *cum;
    gsl_ran_discrete_t *alias;
    double mean, var; /* exact, computed once */
};

static void inert(sim_dist *d)
{
    d->kind = SIM_DIST_CONST;
    d->a = d->b = d->c = NAN;
    d->emp = NULL;
}

static int is_fin(double v) { return isfinite(v); }
static int positive(double v) { return isfinite(v) && v > 0; }

/* expm1(y) / y, continuous at 0: used where a difference of powers would
 * otherwise cancel (bounded Pareto moments with alpha near the order). */
static double exprel(double y)
{
    if (fabs(y) < 1e-5) return 1.0 + y / 2.0 + y * y / 6.0;
    return expm1(y) / y;
}

/* ---- parametric constructors ---------------------------------------- */

int sim_dist_const(sim_dist *d, double value)
{
    if (!d) return SIM_EINVAL;
    inert(d);
    if (!is_fin(value)) return SIM_EINVAL;
    d->a = value;
    return 0;
}

int sim_dist_uniform(sim_dist *d, double low, double high)
{
    if (!d) return SIM_EINVAL;
    inert(d);
    if (!is_fin(low) || !is_fin(high) || low > high) return SIM_EINVAL;
    if (!is_fin(high - low)) return SIM_ERANGE;
    d->kind = SIM_DIST_UNIFORM;
    d->a = low;
    d->b = high;
    return 0;
}

int sim_dist_exp(sim_dist *d, double mean)
{
    if (!d) return SIM_EINVAL;
    inert(d);
    if (!positive(mean)) return SIM_EINVAL;
    d->kind = SIM_DIST_EXP;
    d->a = mean;
    return 0;
}

int sim_dist_normal(sim_dist *d, double mean, double sd)
{
    if (!d) return SIM_EINVAL;
    inert(d);
    if (!is_fin(mean) || !positive(sd)) return SIM_EINVAL;
    if (mean < -TRUNC_LIMIT * sd) return SIM_ERANGE;
    d->kind = SIM_DIST_NORMAL;
    d->a = mean;
    d->b = sd;
    return 0;
}

int sim_dist_lognormal(sim_dist *d, double mu, double sigma)
{
    if (!d) return SIM_EINVAL;
    inert(d);
    if (!is_fin(mu) || !positive(sigma)) return SIM_EINVAL;
    d->kind = SIM_DIST_LOGNORMAL;
    d->a = mu;
    d->b = sigma;
    return 0;
}

int sim_dist_lognormal_mean_p99(sim_dist *d, double mean, double p99)
{
    if (!d) return SIM_EINVAL;
    inert(d);
    if (!positive(mean) || !positive(p99) || !(p99 > mean)) return SIM_EINVAL;
    /* mean = exp(mu + s^2/2) and p99 = exp(mu + z s) give
     * s^2/2 - z s + D = 0 with D = ln(p99/mean) > 0. Real roots need
     * D <= z^2/2; of the two we take the smaller, s = z - sqrt(z^2 - 2D),
     * written as 2D / (z + sqrt(z^2 - 2D)) so that it does not cancel when D
     * is small. (The larger root, s > z, is a heavier lognormal with the same
     * mean and p99; nobody means that one.) */
    double z = gsl_cdf_ugaussian_Pinv(0.99);
    double D = log(p99) - log(mean);
    double disc = z * z - 2.0 * D;
    if (!(disc >= 0.0)) return SIM_ERANGE;
    double sigma = 2.0 * D / (z + sqrt(disc));
    if (!(sigma > 0.0)) return SIM_ERANGE;
    return sim_dist_lognormal(d, log(mean) - sigma * sigma / 2.0, sigma);
}

int sim_dist_lognormal_mean_sd(sim_dist *d, double mean, double sd)
{
    if (!d) return SIM_EINVAL;
    inert(d);
    if (!positive(mean) || !positive(sd)) return SIM_EINVAL;
    /* var / mean^2 = exp(s^2) - 1, so s^2 = log1p(cv^2). */
    double cv = sd / mean;
    double s2 = log1p(cv * cv);
    if (!(s2 > 0.0) || !is_fin(s2)) return SIM_ERANGE;
    return sim_dist_lognormal(d, log(mean) - s2 / 2.0, sqrt(s2));
}

int sim_dist_gamma(sim_dist *d, double shape, double scale)
{
    if (!d) return SIM_EINVAL;
    inert(d);
    if (!positive(shape) || !positive(scale)) return SIM_EINVAL;
    d->kind = SIM_DIST_GAMMA;
    d->a = shape;
    d->b = scale;
    return 0;
}

int sim_dist_weibull(sim_dist *d, double scale, double shape)
{
    if (!d) return SIM_EINVAL;
    inert(d);
    if (!positive(scale) || !positive(shape)) return SIM_EINVAL;
    d->kind = SIM_DIST_WEIBULL;
    d->a = scale;
    d->b = shape;
    return 0;
}

int sim_dist_pareto(sim_dist *d, double alpha, double xmin)
{
    if (!d) return SIM_EINVAL;
    inert(d);
    if (!positive(alpha) || !positive(xmin)) return SIM_EINVAL;
    d->kind = SIM_DIST_PARETO;
    d->a = alpha;
    d->b = xmin;
    return 0;
}

int sim_dist_bounded_pareto(sim_dist *d, double alpha, double low, double high)
{
    if (!d) return SIM_EINVAL;
    inert(d);
    if (!positive(alpha) || !positive(low) || !positive(high) || !(low < high)) return SIM_EINVAL;
    d->kind = SIM_DIST_BPARETO;
    d->a = alpha;
    d->b = low;
    d->c = high;
    return 0;
}

/* ---- empirical ------------------------------------------------------- */

static void emp_free(sim_empirical *e)
{
    if (!e) return;
    free(e->p);
    free(e->x);
    free(e->guide);
    free(e->lo);
    free(e->hi);
    free(e->w);
    free(e->cum);
    if (e->alias) gsl_ran_discrete_free(e->alias);
    free(e);
}

/* Mean and variance of a mixture of uniforms on [a_i, b_i] with weights
 * w_i (summing to 1); the variance is taken about the mean in a second pass
 * so that a narrow distribution far from 0 does not cancel. */
static void mixture_moments(const double *a, const double *b, const double *w, size_t n,
                            double *mean, double *var)
{
    double m = 0.0;
    for (size_t i = 0; i < n; i++) m += w[i] * (a[i] + b[i]) / 2.0;
    double v = 0.0;
    for (size_t i = 0; i < n; i++) {
        double u = a[i] - m, t = b[i] - m;
        v += w[i] * (u * u + u * t + t * t) / 3.0;
    }
    *mean = m;
    *var = v;
}

int sim_dist_empirical_quantiles(sim_dist *d, const double *p, const double *x, size_t n)
{
    if (!d) return SIM_EINVAL;
    inert(d);
    if (!p || !x || n < 2) return SIM_EINVAL;
    if (p[0] != 0.0 || p[n - 1] != 1.0) return SIM_EINVAL;
    for (size_t i = 0; i < n; i++) {
        if (!is_fin(p[i]) || !is_fin(x[i])) return SIM_EINVAL;
        if (i > 0 && !(p[i] > p[i - 1])) return SIM_EINVAL;
        if (i > 0 && !(x[i] >= x[i - 1])) return SIM_EINVAL;
    }
    if (!is_fin(x[n - 1] - x[0])) return SIM_ERANGE;
    if (n > SIZE_MAX / sizeof(double) / 2) return SIM_ENOMEM;

    sim_empirical *e = calloc(1, sizeof *e);
    if (!e) return SIM_ENOMEM;
    size_t segs = n - 1;
    e->n = n;
    e->p = malloc(n * sizeof *e->p);
    e->x = malloc(n * sizeof *e->x);
    e->w = malloc(segs * sizeof *e->w);
    e->guide = malloc(segs * sizeof *e->guide);
    if (!e->p || !e->x || !e->w || !e->guide) {
        emp_free(e);
        return SIM_ENOMEM;
    }
    memcpy(e->p, p, n * sizeof *p);
    memcpy(e->x, x, n * sizeof *x);
    for (size_t i = 0; i < segs; i++) e->w[i] = p[i + 1] - p[i];
    e->n_guide = segs;
    size_t i = 0;
    for (size_t j = 0; j < segs; j++) {
        double pj = (double)j / (double)segs;
        while (i + 1 < segs && !(p[i + 1] > pj)) i++;
        e->guide[j] = i;
    }
    /* Segment i is uniform on [x[i], x[i+1]] with mass p[i+1] - p[i]. */
    mixture_moments(e->x, e->x + 1, e->w, segs, &e->mean, &e->var);
    d->kind = SIM_DIST_EMPIRICAL;
    d->emp = e;
    d->a = d->b = d->c = 0.0;
    return 0;
}

typedef struct {
    double lo, hi, w;
} bin;

static int bin_cmp(const void *va, const void *vb)
{
    const bin *a = va, *b = vb;
    if (a->lo != b->lo) return a->lo < b->lo ? -1 : 1;
    if (a->hi != b->hi) return a->hi < b->hi ? -1 : 1;
    return 0;
}

int sim_dist_empirical_histogram(sim_dist *d, const double *lo, const double *hi,
                                 const double *weight, size_t n)
{
    if (!d) return SIM_EINVAL;
    inert(d);
    if (!lo || !hi || !weight || n < 1) return SIM_EINVAL;
    double total = 0.0;
    size_t pos = 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_fin(lo[i]) || !is_fin(hi[i]) || !(lo[i] <= hi[i])) return SIM_EINVAL;
        if (!is_fin(weight[i]) || weight[i] < 0) return SIM_EINVAL;
        total += weight[i];
        if (weight[i] > 0) pos++;
    }
    if (!(total > 0.0)) return SIM_EINVAL;
    if (!is_fin(total)) return SIM_ERANGE;
    if (n > SIZE_MAX / sizeof(bin)) return SIM_ENOMEM;

    bin *bins = malloc(n * sizeof *bins);
    if (!bins) return SIM_ENOMEM;
    for (size_t i = 0; i < n; i++) bins[i] = (bin){ lo[i], hi[i], weight[i] };
    qsort(bins, n, sizeof *bins, bin_cmp);
    for (size_t i = 1; i < n; i++) {
        if (bins[i - 1].hi > bins[i].lo) { /* overlapping bins */
            free(bins);
            return SIM_EINVAL;
        }
    }
    if (!is_fin(bins[n - 1].hi - bins[0].lo)) {
        free(bins);
        return SIM_ERANGE;
    }

    /* Only bins with weight > 0 are kept: they alone can be drawn, and a
     * zero-weight bin in the alias table could only be picked through
     * rounding. */
    sim_empirical *e = calloc(1, sizeof *e);
    if (!e) {
        free(bins);
        return SIM_ENOMEM;
    }
    e->hist = 1;
    e->n = pos;
    e->lo = malloc(pos * sizeof *e->lo);
    e->hi = malloc(pos * sizeof *e->hi);
    e->w = malloc(pos * sizeof *e->w);
    e->cum = malloc(pos * sizeof *e->cum);
    if (!e->lo || !e->hi || !e->w || !e->cum) {
        free(bins);
        emp_free(e);
        return SIM_ENOMEM;
    }
    /* Cumulative weights are summed before normalising, so that whole-number
     * weights give exact boundaries (6, 3, 1 give 0.6 and 0.9, not
     * 0.6 + 0.3 = 0.8999999999999999). */
    double c = 0.0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(bins[i].w > 0)) continue;
        e->lo[k] = bins[i].lo;
        e->hi[k] = bins[i].hi;
        e->w[k] = bins[i].w / total;
        c += bins[i].w;
        e->cum[k] = c / total;
        k++;
    }
    e->cum[pos - 1] = 1.0;
    free(bins);
    e->alias = gsl_ran_discrete_preproc(pos, e->w);
    if (!e->alias) {
        emp_free(e);
        return SIM_ENOMEM;
    }
    mixture_moments(e->lo, e->hi, e->w, pos, &e->mean, &e->var);
    d->kind = SIM_DIST_EMPIRICAL;
    d->emp = e;
    d->a = d->b = d->c = 0.0;
    return 0;
}

void sim_dist_free(sim_dist *d)
{
    if (!d) return;
    if (d->kind == SIM_DIST_EMPIRICAL) emp_free(d->emp);
    d->emp = NULL;
}

int sim_dist_copy(sim_dist *dst, const sim_dist *src)
{
    if (!dst || !src) return SIM_EINVAL;
    if (dst == src) return 0;
    if (src->kind != SIM_DIST_EMPIRICAL) {
        *dst = *src;
        dst->emp = NULL;
        return 0;
    }
    const sim_empirical *e = src->emp;
    if (!e) {
        inert(dst);
        return SIM_EINVAL;
    }
    /* Rebuilding is the simplest deep copy: GSL has no call that duplicates
     * an alias table, and the stored arrays are already validated. */
    if (e->hist) return sim_dist_empirical_histogram(dst, e->lo, e->hi, e->w, e->n);
    return sim_dist_empirical_quantiles(dst, e->p, e->x, e->n);
}

/* ---- sampling -------------------------------------------------------- */

/* The quantile table at u in [0, 1): the segment i with p[i] <= u < p[i+1]
 * found through the guide table, then linear within it. */
static double table_inverse(const sim_empirical *e, double u)
{
    size_t j = (size_t)(u * (double)e->n_guide);
    if (j >= e->n_guide) j = e->n_guide - 1;
    size_t i = e->guide[j];
    while (u >= e->p[i + 1]) i++; /* stops: p[n-1] = 1 > u */
    double t = (u - e->p[i]) / (e->p[i + 1] - e->p[i]);
    return e->x[i] + t * (e->x[i + 1] - e->x[i]);
}

static double emp_sample(const sim_empirical *e, gsl_rng *r)
{
    if (e->hist) {
        size_t i = gsl_ran_discrete(r, e->alias);
        return gsl_ran_flat(r, e->lo[i], e->hi[i]);
    }
    return table_inverse(e, gsl_rng_uniform(r)); /* u in [0, 1) */
}

static double truncnormal_sample(double mean, double sd, gsl_rng *r)
{
    if (mean >= 0) {
        for (int i = 0; i < TRUNC_TRIES; i++) {
            double x = mean + gsl_ran_gaussian(r, sd);
            if (x >= 0) return x;
        }
    }
    /* gsl_ran_gaussian_tail(r, a, sd) draws from N(0, sd^2) conditioned on
     * being > a: with a = -mean that is exactly our X - mean. Efficient for
     * any a (rejection from the normal below a = sd, Marsaglia's tail
     * method above), so a mean far below 0 costs nothing. */
    double x = mean + gsl_ran_gaussian_tail(r, -mean, sd);
    return x > 0 ? x : 0.0;
}

static double bpareto_inv(double alpha, double lo, double hi, double u)
{
    /* F(x) = (1 - (lo/x)^alpha) / (1 - (lo/hi)^alpha), inverted:
     * x = lo * (1 - u (1 - (lo/hi)^alpha))^(-1/alpha); the power differences
     * are taken with expm1/log1p so that small alpha keeps its digits. */
    double q = u * expm1(-alpha * log(hi / lo)); /* in (-1, 0] */
    double x = lo * exp(-log1p(q) / alpha);
    if (x < lo) x = lo;
    if (x > hi) x = hi;
    return x;
}

double sim_dist_sample(const sim_dist *d, gsl_rng *r)
{
    if (!d || !r) return NAN;
    switch (d->kind) {
    case SIM_DIST_CONST: return d->a;
    case SIM_DIST_UNIFORM: return gsl_ran_flat(r, d->a, d->b);
    case SIM_DIST_EXP: return gsl_ran_exponential(r, d->a);
    case SIM_DIST_NORMAL: return truncnormal_sample(d->a, d->b, r);
    case SIM_DIST_LOGNORMAL: return gsl_ran_lognormal(r, d->a, d->b);
    case SIM_DIST_GAMMA: return gsl_ran_gamma(r, d->a, d->b);
    case SIM_DIST_WEIBULL: return gsl_ran_weibull(r, d->a, d->b);
    case SIM_DIST_PARETO: return gsl_ran_pareto(r, d->a, d->b);
    case SIM_DIST_BPARETO: return bpareto_inv(d->a, d->b, d->c, gsl_rng_uniform(r));
    case SIM_DIST_EMPIRICAL: return d->emp ? emp_sample(d->emp, r) : NAN;
    }
    return NAN;
}

/* ---- exact moments and quantiles ------------------------------------- */

/* E[X^m] of the bounded Pareto: alpha lo^alpha / (1 - (lo/hi)^alpha) times
 * the integral of x^(m-alpha-1) over [lo, hi], rearranged as
 * lo^m alpha ln(hi/lo) exprel((m - alpha) ln(hi/lo)) / (1 - (lo/hi)^alpha),
 * which stays exact through alpha = m (where the integral is a logarithm). */
static double bpareto_moment(double alpha, double lo, double hi, int m)
{
    double lr = log(hi / lo);
    double norm = -expm1(-alpha * lr);
    return pow(lo, m) * alpha * lr * exprel((m - alpha) * lr) / norm;
}

/* D(x) = lnG(1+2x) - 2 lnG(1+x), for the Weibull variance with x = 1/shape.
 * For x > 0.05 the two lngamma values are far enough apart. Below, both are
 * ~ -gamma x and their difference (~ zeta(2) x^2) would keep only the digits
 * that survive the cancellation (1e-2 relative at shape 1e7), so we sum the
 * series lnG(1+x) = -gamma x + sum_{j>=2} (-1)^j zeta(j) x^j / j term by
 * term: D(x) = sum_{j>=2} (-1)^j zeta(j) (2^j - 2) x^j / j, in which the
 * linear terms cancel exactly. |2x| <= 0.1, so each term is ten times
 * smaller than the one before; we stop below 1e-17 of the sum. */
static double weibull_lgamma_diff(double x)
{
    if (x > 0.05) return gsl_sf_lngamma(1.0 + 2.0 * x) - 2.0 * gsl_sf_lngamma(1.0 + x);
    double sum = 0.0, xj = x;
    for (int j = 2; j < 60; j++) {
        xj *= x;
        double term = gsl_sf_zeta_int(j) * (ldexp(1.0, j) - 2.0) * xj / j;
        sum += (j % 2 == 0) ? term : -term;
        if (fabs(term) < 1e-17 * fabs(sum)) break;
    }
    return sum;
}

/* Asymptotic series for the truncated normal far below 0 (b = -mean/sd >= 10,
 * t = 1/b^2), derived with sympy from the Mills ratio's expansion
 * Q(b)/phi(b) ~ (1/b) sum_k (-1)^k (2k-1)!! t^k:
 *   b (lam - b)       = sum_k TN_MEAN_C[k] t^k
 *   Var[X] / (sd^2 t) = sum_k TN_VAR_C[k] t^k
 * With 24 terms the series' error at b = 10 is 4e-17 (mean) and 2e-15 (var)
 * relative, less further out (checked against mpmath at 50 digits). */
static const double TN_MEAN_C[] = {
    1.0, -2.0, 10.0, -74.0,
    706.0, -8162.0, 110410.0, -1708394.0,
    29752066.0, -576037442.0, 12277827850.0, -285764591114.0,
    7213364729026.0, -196316804255522.0, 5731249477826890.0, -1.7867678947312182e+17,
    5.925085744543837e+18, -2.0825680275889236e+20, 7.734158085942679e+21, -3.0262506729515713e+23,
    1.2444051435099602e+25, -5.365043456276559e+26, 2.42001457424401e+28, -1.139863601904254e+30,
};
static const double TN_VAR_C[] = {
    1.0, -6.0, 50.0, -518.0,
    6354.0, -89782.0, 1435330.0, -25625910.0,
    505785122.0, -10944711398.0, 257834384850.0, -6572585595622.0,
    180334118225650.0, -5300553714899094.0, 1.662062348569798e+17, -5.538980473666777e+18,
    1.955278295699466e+20, -7.288988096561233e+21, 2.861638491798791e+23, -1.180237762451113e+25,
    5.102061088390837e+26, -2.3069686861989204e+28, 1.0890065584098045e+30, -5.357358928949994e+31,
};
#define TN_SERIES_FROM 10.0

static double horner(const double *c, size_t n, double t)
{
    double s = 0.0;
    for (size_t i = n; i-- > 0;) s = s * t + c[i];
    return s;
}

/* Truncated normal X = N(mean, sd^2) | X > 0: with b = -mean/sd and the
 * inverse Mills ratio lam = phi(b) / Q(b) (gsl_sf_hazard, accurate far into
 * the tail), E[X] = mean + sd lam and Var[X] = sd^2 (1 - lam (lam - b)).
 * Both cancel as b grows (E[X] = sd (lam - b) ~ sd / b; the variance's
 * relative error is ~ b^4 1e-16, 1e-10 at b = 10), so from b = 10 on we use
 * the asymptotic series above instead, exact to rounding there. */
static void truncnormal_moments(double mean, double sd, double *m, double *v)
{
    double b = -mean / sd;
    if (b >= TN_SERIES_FROM) {
        double t = 1.0 / (b * b);
        size_t n = sizeof TN_MEAN_C / sizeof TN_MEAN_C[0];
        *m = sd / b * horner(TN_MEAN_C, n, t);
        *v = sd * sd * t * horner(TN_VAR_C, n, t);
        return;
    }
    /* Below b = -30 the cut-off mass is < 5e-198 and lam < 2e-196: zero to
     * double precision (and gsl_sf_hazard would report an underflow). */
    double lam = b < -TRUNC_LIMIT ? 0.0 : gsl_sf_hazard(b);
    *m = mean + sd * lam;
    *v = sd * sd * (1.0 - lam * (lam - b));
}

double sim_dist_mean(const sim_dist *d)
{
    if (!d) return NAN;
    double a = d->a, b = d->b, m, v;
    switch (d->kind) {
    case SIM_DIST_CONST: return a;
    case SIM_DIST_UNIFORM: return a / 2.0 + b / 2.0;
    case SIM_DIST_EXP: return a;
    case SIM_DIST_NORMAL: truncnormal_moments(a, b, &m, &v); return m;
    case SIM_DIST_LOGNORMAL: return exp(a + b * b / 2.0);
    case SIM_DIST_GAMMA: return a * b;
    case SIM_DIST_WEIBULL: return a * exp(gsl_sf_lngamma(1.0 + 1.0 / b));
    case SIM_DIST_PARETO: return a > 1.0 ? a * b / (a - 1.0) : INFINITY;
    case SIM_DIST_BPARETO: return bpareto_moment(a, b, d->c, 1);
    case SIM_DIST_EMPIRICAL: return d->emp ? d->emp->mean : NAN;
    }
    return NAN;
}

double sim_dist_variance(const sim_dist *d)
{
    if (!d) return NAN;
    double a = d->a, b = d->b, m, v;
    switch (d->kind) {
    case SIM_DIST_CONST: return isnan(a) ? NAN : 0.0;
    case SIM_DIST_UNIFORM: return (b - a) * (b - a) / 12.0;
    case SIM_DIST_EXP: return a * a;
    case SIM_DIST_NORMAL: truncnormal_moments(a, b, &m, &v); return v;
    case SIM_DIST_LOGNORMAL: return expm1(b * b) * exp(2.0 * a + b * b);
    case SIM_DIST_GAMMA: return a * b * b;
    case SIM_DIST_WEIBULL: {
        /* scale^2 (G(1+2/k) - G(1+1/k)^2) = scale^2 G(1+1/k)^2 expm1(D),
         * D = lnG(1+2/k) - 2 lnG(1+1/k), so the difference is never taken
         * between two nearly equal gammas. */
        double g1 = gsl_sf_lngamma(1.0 + 1.0 / b);
        return a * a * exp(2.0 * g1) * expm1(weibull_lgamma_diff(1.0 / b));
    }
    case SIM_DIST_PARETO:
        return a > 2.0 ? b * b * a / ((a - 1.0) * (a - 1.0) * (a - 2.0)) : INFINITY;
    case SIM_DIST_BPARETO: {
        double m1 = bpareto_moment(a, b, d->c, 1), m2 = bpareto_moment(a, b, d->c, 2);
        double var = m2 - m1 * m1;
        return var > 0 ? var : 0.0;
    }
    case SIM_DIST_EMPIRICAL: return d->emp ? d->emp->var : NAN;
    }
    return NAN;
}

static double emp_quantile(const sim_empirical *e, double p)
{
    if (e->hist) {
        /* First bin whose cumulative weight reaches p, then linear within:
         * the smallest x with F(x) >= p. */
        size_t lo = 0, hi = e->n - 1;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (e->cum[mid] >= p) hi = mid;
            else lo = mid + 1;
        }
        double before = lo > 0 ? e->cum[lo - 1] : 0.0;
        double t = (p - before) / e->w[lo];
        if (t < 0) t = 0;
        if (t > 1) t = 1;
        return e->lo[lo] + t * (e->hi[lo] - e->lo[lo]);
    }
    /* The same O(1) inversion as sampling: models map object ids to sizes
     * through quantile(), once per request. */
    if (p >= 1.0) return e->x[e->n - 1];
    return table_inverse(e, p);
}

/* gsl_cdf_gamma_P(x, k, 1) - p, or (1 - p) - Q(x) above the median so that
 * p near 1 keeps its digits; x = exp(y), increasing in y. */
typedef struct {
    double k, p;
} gamma_root;

static double gamma_root_fn(double y, void *arg)
{
    const gamma_root *g = arg;
    double x = exp(y);
    if (g->p <= 0.5) return gsl_cdf_gamma_P(x, g->k, 1.0) - g->p;
    return (1.0 - g->p) - gsl_cdf_gamma_Q(x, g->k, 1.0);
}

/* gsl_cdf_gamma_Pinv (GSL 2.7) runs Newton from an approximate start and
 * gives up (NaN, through the GSL error handler) for small and large shapes:
 * on a grid of p from 1e-30 to 1 - 1e-30 it failed at 299 of 601 points for
 * shape 0.05, 295 for 0.1, 50 for 1e4 and 348 for 1e6, and none for shapes
 * 0.2 to 100. Outside [0.2, 1000], and whenever it fails, we solve
 * F(x) = p ourselves with GSL's Brent solver on y = ln x, bracketed from the
 * smallest subnormal up, which always converges; the CDF values come from
 * gsl_cdf_gamma_P/Q. (The quantiles there can be tiny: the median of
 * gamma(0.001) is ~1e-301.) Known limit: above shape ~1e4 GSL's CDF itself
 * is noisy (at shape 1e6, P(x) jumps by ~1e-3 between neighbouring doubles
 * near x = 1e6), so there a quantile can be off by up to ~2e-5 relative
 * (measured against mpmath at shape 1e6, p = Phi(-1); elsewhere ~1e-15). */
/* Newton steps on F(x) = p from a close start x (unit scale), kept only
 * while they shrink the residual: GSL's inversion stops early in the far
 * upper tail (1e-8 relative at p = 1 - 5e-11), one or two steps finish it.
 * Below p = 0.999 GSL's answer already meets the tests' 1e-9 and the steps
 * would only add their cost (GSL's inversion alone is ~2 us). */
static double gamma_polish(double x, double p, double shape)
{
    gamma_root g = { shape, p };
    double r = gamma_root_fn(log(x), &g);
    for (int i = 0; i < 4 && r != 0.0; i++) {
        double f = gsl_ran_gamma_pdf(x, shape, 1.0);
        if (!(f > 0) || !isfinite(f)) break;
        double nx = x - r / f;
        if (!(nx > 0) || !isfinite(nx)) break;
        double nr = gamma_root_fn(log(nx), &g);
        if (!(fabs(nr) < fabs(r))) break;
        x = nx;
        r = nr;
    }
    return x;
}

static double gamma_quantile(double p, double shape, double scale)
{
    if (shape >= 0.2 && shape <= 1000.0) {
        double q = gsl_cdf_gamma_Pinv(p, shape, 1.0);
        if (isfinite(q) && q > 0) return (p > 0.999 ? gamma_polish(q, p, shape) : q) * scale;
    }
    gamma_root g = { shape, p };
    gsl_function f = { gamma_root_fn, &g };
    double lo = log(DBL_TRUE_MIN), hi = log(shape) + 1.0;
    if (gamma_root_fn(lo, &g) >= 0) return 0.0; /* below the doubles */
    while (gamma_root_fn(hi, &g) < 0) {
        hi += 1.0 + fabs(hi);
        if (hi > log(DBL_MAX)) return INFINITY;
    }
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s) return NAN;
    double y = NAN;
    if (gsl_root_fsolver_set(s, &f, lo, hi) == GSL_SUCCESS) {
        for (int i = 0; i < 200; i++) {
            if (gsl_root_fsolver_iterate(s) != GSL_SUCCESS) break;
            y = gsl_root_fsolver_root(s);
            double a = gsl_root_fsolver_x_lower(s), b = gsl_root_fsolver_x_upper(s);
            if (gsl_root_test_interval(a, b, 1e-300, 1e-15) == GSL_SUCCESS) break;
        }
    }
    gsl_root_fsolver_free(s);
    /* Above shape 1000 GSL's CDF is too noisy for Newton to help. */
    return (shape <= 1000.0 ? gamma_polish(exp(y), p, shape) : exp(y)) * scale;
}

static double truncnormal_quantile(double mean, double sd, double p)
{
    /* F(x) = (Phi((x - mean)/sd) - Phi(b)) / Q(b) with b = -mean/sd. When
     * b > 0 (most mass cut away) we invert through the upper tail,
     * Q(z) = (1 - p) Q(b), so that Phi(b) near 1 does not swallow p. */
    double b = -mean / sd, z;
    if (b <= 0) {
        double lo = gsl_cdf_ugaussian_P(b);
        z = gsl_cdf_ugaussian_Pinv(lo + p * gsl_cdf_ugaussian_Q(b));
    } else {
        z = gsl_cdf_ugaussian_Qinv((1.0 - p) * gsl_cdf_ugaussian_Q(b));
    }
    double x = mean + sd * z;
    return x > 0 ? x : 0.0;
}

bool sim_dist_quantile_is_slow(const sim_dist *d)
{
    return d->kind == SIM_DIST_GAMMA;
}

double sim_dist_quantile(const sim_dist *d, double p)
{
    if (!d || !(p >= 0.0 && p <= 1.0)) return NAN;
    double a = d->a, b = d->b;
    /* The ends of the support first: GSL is only asked about 0 < p < 1. */
    switch (d->kind) {
    case SIM_DIST_CONST: return a;
    case SIM_DIST_UNIFORM: return p == 1.0 ? b : a + p * (b - a);
    case SIM_DIST_EMPIRICAL: return d->emp ? emp_quantile(d->emp, p) : NAN;
    case SIM_DIST_BPARETO: return bpareto_inv(a, b, d->c, p);
    default: break;
    }
    if (p == 0.0) return d->kind == SIM_DIST_PARETO ? b : 0.0;
    if (p == 1.0) return INFINITY;
    switch (d->kind) {
    case SIM_DIST_EXP: return gsl_cdf_exponential_Pinv(p, a);
    case SIM_DIST_NORMAL: return truncnormal_quantile(a, b, p);
    case SIM_DIST_LOGNORMAL: return gsl_cdf_lognormal_Pinv(p, a, b);
    case SIM_DIST_GAMMA: return gamma_quantile(p, a, b);
    case SIM_DIST_WEIBULL: return gsl_cdf_weibull_Pinv(p, a, b);
    case SIM_DIST_PARETO: return gsl_cdf_pareto_Pinv(p, a, b);
    default: return NAN;
    }
}

/* ---- describe and scale ---------------------------------------------- */

int sim_dist_describe(const sim_dist *d, char *buf, size_t len)
{
    if (!d) return snprintf(buf, len, "(null)");
    double a = d->a, b = d->b, c = d->c;
    switch (d->kind) {
    case SIM_DIST_CONST: return snprintf(buf, len, "const(%.6g)", a);
    case SIM_DIST_UNIFORM: return snprintf(buf, len, "uniform(low=%.6g, high=%.6g)", a, b);
    case SIM_DIST_EXP: return snprintf(buf, len, "exp(mean=%.6g)", a);
    case SIM_DIST_NORMAL: return snprintf(buf, len, "normal(mean=%.6g, sd=%.6g, truncated at 0)", a, b);
    case SIM_DIST_LOGNORMAL: return snprintf(buf, len, "lognormal(mu=%.6g, sigma=%.6g)", a, b);
    case SIM_DIST_GAMMA: return snprintf(buf, len, "gamma(shape=%.6g, scale=%.6g)", a, b);
    case SIM_DIST_WEIBULL: return snprintf(buf, len, "weibull(scale=%.6g, shape=%.6g)", a, b);
    case SIM_DIST_PARETO: return snprintf(buf, len, "pareto(alpha=%.6g, min=%.6g)", a, b);
    case SIM_DIST_BPARETO:
        return snprintf(buf, len, "bounded_pareto(alpha=%.6g, low=%.6g, high=%.6g)", a, b, c);
    case SIM_DIST_EMPIRICAL:
        if (!d->emp) return snprintf(buf, len, "empirical(invalid)");
        if (d->emp->hist)
            return snprintf(buf, len, "empirical(histogram, %zu bins, %.6g..%.6g, mean=%.6g)", d->emp->n,
                            d->emp->lo[0], d->emp->hi[d->emp->n - 1], d->emp->mean);
        return snprintf(buf, len, "empirical(quantiles, %zu points, %.6g..%.6g, mean=%.6g)", d->emp->n,
                        d->emp->x[0], d->emp->x[d->emp->n - 1], d->emp->mean);
    }
    return snprintf(buf, len, "unknown");
}

void sim_dist_scale(sim_dist *d, double k)
{
    if (!d || !positive(k)) return;
    switch (d->kind) {
    case SIM_DIST_CONST: d->a *= k; break;
    case SIM_DIST_UNIFORM: d->a *= k; d->b *= k; break;
    case SIM_DIST_EXP: d->a *= k; break;
    case SIM_DIST_NORMAL: d->a *= k; d->b *= k; break;
    case SIM_DIST_LOGNORMAL: d->a += log(k); break;
    case SIM_DIST_GAMMA: d->b *= k; break;
    case SIM_DIST_WEIBULL: d->a *= k; break;
    case SIM_DIST_PARETO: d->b *= k; break;
    case SIM_DIST_BPARETO: d->b *= k; d->c *= k; break;
    case SIM_DIST_EMPIRICAL: {
        sim_empirical *e = d->emp;
        if (!e) break;
        if (e->hist) {
            for (size_t i = 0; i < e->n; i++) {
                e->lo[i] *= k;
                e->hi[i] *= k;
            }
        } else {
            for (size_t i = 0; i < e->n; i++) e->x[i] *= k;
        }
        e->mean *= k;
        e->var *= k * k;
        break;
    }
    }
}
