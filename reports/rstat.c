/* reports/rstat.c - confidence half-width and Welch's t-test for reports,
 * delegated to sim/ci.h (which uses GSL's t distribution). */
#include "reports/rstat.h"

#include <math.h>

#include "sim/ci.h"

double reports_mean(const double *x, size_t n)
{
    sim_ci ci;
    if (n == 0 || sim_ci_mean(x, n, 0.95, &ci) < 0) return NAN;
    return ci.mean;
}

double reports_ci_half(const double *x, size_t n, double conf)
{
    sim_ci ci;
    if (n < 2 || sim_ci_mean(x, n, conf, &ci) < 0) return NAN;
    return ci.half;
}

double reports_welch_p(const double *a, size_t na, const double *b, size_t nb)
{
    sim_welch w;
    if (sim_welch_test(a, na, b, nb, &w) < 0) return NAN;
    return w.p;
}

double reports_prediction_p(const double *a, size_t na, double x)
{
    sim_welch w;
    if (sim_prediction_test(a, na, x, &w) < 0) return NAN;
    return w.p;
}
