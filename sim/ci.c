/* sim/ci.c - Student-t confidence intervals and Welch's t-test (GSL). */
#include "sim/ci.h"

#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#include "sim/errors.h"

static int all_finite(const double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i])) return 0;
    return 1;
}

double sim_t_critical(double level, double df)
{
    if (!(level > 0.0 && level < 1.0) || !(df > 0.0)) return NAN;
    return gsl_cdf_tdist_Pinv(0.5 + level / 2.0, df);
}

int sim_ci_mean(const double *x, size_t n, double level, sim_ci *out)
{
    out->n = n;
    out->level = level;
    out->mean = out->sd = out->df = out->half = NAN;
    if (!x || n == 0 || !(level > 0.0 && level < 1.0) || !all_finite(x, n)) return SIM_EINVAL;
    out->mean = gsl_stats_mean(x, 1, n);
    if (n < 2) return 0;
    /* gsl_stats_variance divides by n - 1 and, fed identical values, gives
     * exactly 0 (its running-mean update is exact for them). */
    double var = gsl_stats_variance_m(x, 1, n, out->mean);
    out->sd = sqrt(var);
    out->df = (double)(n - 1);
    out->half = var > 0.0 ? sim_t_critical(level, out->df) * sqrt(var / (double)n) : 0.0;
    return 0;
}

/* The t statistic and two-sided p of out->diff over out->se with df degrees
 * of freedom; a zero (or NaN) se gives t = 0 and p = 1 when diff is 0, and
 * an infinite t and p = 0 otherwise (df stays NaN). */
static void t_outcome(sim_welch *out, double df)
{
    if (!(out->se > 0.0)) {
        out->t = out->diff == 0.0 ? 0.0 : copysign(INFINITY, out->diff);
        out->p = out->diff == 0.0 ? 1.0 : 0.0;
        return;
    }
    out->df = df;
    out->t = out->diff / out->se;
    double p = 2.0 * gsl_cdf_tdist_Q(fabs(out->t), out->df);
    out->p = p > 1.0 ? 1.0 : p;
}

int sim_welch_test(const double *a, size_t na, const double *b, size_t nb, sim_welch *out)
{
    out->mean_a = out->mean_b = out->diff = out->se = out->t = out->df = out->p = NAN;
    if (!a || !b || !all_finite(a, na) || !all_finite(b, nb)) return SIM_EINVAL;
    if (na > 0) out->mean_a = gsl_stats_mean(a, 1, na);
    if (nb > 0) out->mean_b = gsl_stats_mean(b, 1, nb);
    out->diff = out->mean_b - out->mean_a;
    if (na < 2 || nb < 2) return SIM_EINVAL;
    double va = gsl_stats_variance_m(a, 1, na, out->mean_a) / (double)na;
    double vb = gsl_stats_variance_m(b, 1, nb, out->mean_b) / (double)nb;
    double se2 = va + vb;
    out->se = sqrt(se2);
    /* Welch-Satterthwaite: (va + vb)^2 / (va^2 / (na - 1) + vb^2 / (nb - 1)),
     * between min(na, nb) - 1 and na + nb - 2. */
    if (se2 > 0.0) t_outcome(out, se2 * se2 / (va * va / (double)(na - 1) + vb * vb / (double)(nb - 1)));
    else t_outcome(out, NAN);
    return 0;
}

int sim_prediction_test(const double *a, size_t na, double x, sim_welch *out)
{
    out->mean_a = out->diff = out->se = out->t = out->df = out->p = NAN;
    out->mean_b = x;
    if (!a || !all_finite(a, na) || !isfinite(x)) return SIM_EINVAL;
    if (na > 0) out->mean_a = gsl_stats_mean(a, 1, na);
    out->diff = x - out->mean_a;
    if (na < 2) return SIM_EINVAL;
    double var = gsl_stats_variance_m(a, 1, na, out->mean_a);
    out->se = sqrt(var * (1.0 + 1.0 / (double)na));
    t_outcome(out, (double)(na - 1));
    return 0;
}
