/* reports/rstat.c - confidence half-width and Welch's t-test via GSL. */
#include "reports/rstat.h"

#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

double reports_mean(const double *x, size_t n)
{
    return n ? gsl_stats_mean(x, 1, n) : NAN;
}

double reports_ci_half(const double *x, size_t n, double conf)
{
    if (n < 2 || !(conf > 0 && conf < 1)) return NAN;
    double sd = gsl_stats_sd(x, 1, n);
    double t = gsl_cdf_tdist_Pinv(0.5 + conf / 2, (double)(n - 1));
    return t * sd / sqrt((double)n);
}

double reports_welch_p(const double *a, size_t na, const double *b, size_t nb)
{
    if (na < 2 || nb < 2) return NAN;
    double ma = gsl_stats_mean(a, 1, na), mb = gsl_stats_mean(b, 1, nb);
    double va = gsl_stats_variance_m(a, 1, na, ma) / (double)na;
    double vb = gsl_stats_variance_m(b, 1, nb, mb) / (double)nb;
    double se2 = va + vb;
    if (!(se2 > 0)) return ma == mb ? 1.0 : 0.0;
    double t = (ma - mb) / sqrt(se2);
    /* Welch-Satterthwaite degrees of freedom. */
    double df = se2 * se2 / (va * va / (double)(na - 1) + vb * vb / (double)(nb - 1));
    return 2 * gsl_cdf_tdist_Q(fabs(t), df);
}
