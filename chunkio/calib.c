/* chunkio/calib.c - lognormal MLE, empirical quantile tables, KS distances. */
#include "chunkio/calib.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>

#include "sim/errors.h"

/* The p grid: every percent, then every 0.1% above 99%, then every 0.01%
 * above 99.9%, so that p99.9 (and p99.99 when the sample is large enough
 * to have one) is a point of the table, not an interpolation. */
static size_t grid(double *p)
{
    size_t n = 0;
    for (int i = 0; i <= 99; i++) p[n++] = i / 100.0;
    for (int i = 1; i <= 9; i++) p[n++] = 0.99 + i / 1000.0;
    for (int i = 1; i <= 9; i++) p[n++] = 0.999 + i / 10000.0;
    p[n++] = 1.0;
    return n;
}

/* F of the piecewise-linear table at x. */
static double table_cdf(const chunkio_fit *f, double x)
{
    if (x < f->qx[0]) return 0;
    if (x >= f->qx[f->nq - 1]) return 1;
    size_t lo = 0, hi = f->nq - 1; /* qx[lo] <= x < qx[hi] */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (f->qx[mid] <= x) lo = mid;
        else hi = mid;
    }
    /* Equal x values form a step: the CDF jumps to the last p holding x. */
    double w = f->qx[hi] - f->qx[lo];
    return w > 0 ? f->qp[lo] + (f->qp[hi] - f->qp[lo]) * (x - f->qx[lo]) / w : f->qp[hi];
}

int chunkio_fit_samples(int64_t *v, size_t n, chunkio_fit *f)
{
    if (n < 2) return SIM_EINVAL;
    double *x = malloc(n * sizeof *x), *lx = malloc(n * sizeof *lx);
    if (!x || !lx) {
        free(x);
        free(lx);
        return SIM_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        if (v[i] <= 0) {
            free(x);
            free(lx);
            return SIM_EINVAL;
        }
        x[i] = (double)v[i];
    }
    gsl_sort(x, 1, n);
    for (size_t i = 0; i < n; i++) {
        v[i] = (int64_t)x[i];
        lx[i] = log(x[i]);
    }
    f->n = n;
    f->mean = gsl_stats_mean(x, 1, n);
    f->p50 = gsl_stats_quantile_from_sorted_data(x, 1, n, 0.5);
    f->p99 = gsl_stats_quantile_from_sorted_data(x, 1, n, 0.99);
    f->p999 = gsl_stats_quantile_from_sorted_data(x, 1, n, 0.999);
    f->min = x[0];
    f->max = x[n - 1];
    /* Maximum likelihood for the lognormal: the normal MLE on the logs,
     * whose variance divides by n (variance_with_fixed_mean does). */
    f->mu = gsl_stats_mean(lx, 1, n);
    f->sigma = sqrt(gsl_stats_variance_with_fixed_mean(lx, 1, n, f->mu));
    f->nq = grid(f->qp);
    for (size_t i = 0; i < f->nq; i++) f->qx[i] = gsl_stats_quantile_from_sorted_data(x, 1, n, f->qp[i]);
    /* KS: the largest gap between the fitted CDF and the sample's step
     * function, checked on both sides of each step. */
    double dl = 0, de = 0;
    for (size_t i = 0; i < n; i++) {
        double lo = (double)i / (double)n, hi = (double)(i + 1) / (double)n;
        double fl = f->sigma > 0 ? gsl_cdf_lognormal_P(x[i], f->mu, f->sigma) : (x[i] >= exp(f->mu) ? 1 : 0);
        double fe = table_cdf(f, x[i]);
        dl = fmax(dl, fmax(fabs(fl - lo), fabs(fl - hi)));
        de = fmax(de, fmax(fabs(fe - lo), fabs(fe - hi)));
    }
    /* At ties the step covers all equal values: the bound above is the
     * conservative one (it may overstate D by up to 1/n). */
    f->ks_lognormal = dl;
    f->ks_empirical = de;
    f->ks_crit05 = 1.358 / sqrt((double)n);
    free(x);
    free(lx);
    return 0;
}

cJSON *chunkio_fit_to_json(const chunkio_fit *f)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddStringToObject(o, "schema", "cdnsim.empirical/1");
    cJSON_AddStringToObject(o, "unit", "ns");
    cJSON *q = cJSON_AddArrayToObject(o, "quantiles");
    for (size_t i = 0; q && i < f->nq; i++) {
        cJSON *pt = cJSON_CreateArray();
        cJSON_AddItemToArray(pt, cJSON_CreateNumber(round(f->qp[i] * 1e4) / 1e4));
        cJSON_AddItemToArray(pt, cJSON_CreateNumber(round(f->qx[i])));
        cJSON_AddItemToArray(q, pt);
    }
    cJSON *fit = cJSON_AddObjectToObject(o, "_fit");
    if (fit) {
        cJSON_AddNumberToObject(fit, "n", (double)f->n);
        cJSON_AddNumberToObject(fit, "mean_ns", round(f->mean));
        cJSON_AddNumberToObject(fit, "p50_ns", round(f->p50));
        cJSON_AddNumberToObject(fit, "p99_ns", round(f->p99));
        cJSON_AddNumberToObject(fit, "p999_ns", round(f->p999));
        cJSON_AddNumberToObject(fit, "min_ns", f->min);
        cJSON_AddNumberToObject(fit, "max_ns", f->max);
        cJSON *ln = cJSON_AddObjectToObject(fit, "lognormal");
        if (ln) {
            cJSON_AddNumberToObject(ln, "mu", round(f->mu * 1e6) / 1e6);
            cJSON_AddNumberToObject(ln, "sigma", round(f->sigma * 1e6) / 1e6);
            cJSON_AddNumberToObject(ln, "ks", round(f->ks_lognormal * 1e5) / 1e5);
        }
        cJSON_AddNumberToObject(fit, "ks_empirical", round(f->ks_empirical * 1e5) / 1e5);
        cJSON_AddNumberToObject(fit, "ks_critical_5pct", round(f->ks_crit05 * 1e5) / 1e5);
    }
    return o;
}

int chunkio_find_spells(int64_t *lat, size_t n, double elapsed_ns, size_t *kept, chunkio_spells *sp)
{
    *sp = (chunkio_spells){ 0 };
    *kept = n;
    if (n < 2 || !(elapsed_ns > 0)) return SIM_EINVAL;
    double *x = malloc(n * sizeof *x);
    if (!x) return SIM_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        if (lat[i] <= 0) {
            free(x);
            return SIM_EINVAL;
        }
        x[i] = (double)lat[i];
    }
    gsl_sort(x, 1, n);
    double slow = CHUNKIO_SPELL_SLOW * gsl_stats_median_from_sorted_data(x, 1, n);
    free(x);
    /* One pass: a run of slow operations is a spell when it is long enough;
     * everything else is copied down to lat[k]. With one operation in flight
     * the run's operations follow each other, so its length is the sum of
     * their latencies. */
    double in_sum = 0, out_sum = 0, len_sum = 0;
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && (double)lat[j] > slow) j++;
        if (j - i >= CHUNKIO_SPELL_MIN) {
            double len = 0;
            for (size_t m = i; m < j; m++) len += (double)lat[m];
            sp->n++;
            sp->ops += j - i;
            len_sum += len;
            in_sum += len;
            i = j;
            continue;
        }
        if (j == i) j++; /* a fast one: copy it alone */
        for (; i < j; i++) {
            out_sum += (double)lat[i];
            lat[k++] = lat[i];
        }
    }
    *kept = k;
    if (sp->n == 0) return 0;
    sp->mean_len_ns = len_sum / (double)sp->n;
    sp->mean_gap_ns = elapsed_ns > len_sum ? (elapsed_ns - len_sum) / (double)sp->n : 0;
    sp->factor = k > 0 ? (in_sum / (double)sp->ops) / (out_sum / (double)k) : 0;
    sp->time_frac = len_sum / elapsed_ns;
    return 0;
}
