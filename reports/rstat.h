/* reports/rstat.h - the two statistics reports need: a Student-t confidence
 * half-width over replications, and Welch's two-sample t-test.
 *
 * Thin wrappers over sim/ci.h (the stats module, GSL's t distribution) with
 * the NaN conventions reports use: no number instead of an error code, so a
 * missing interval becomes null in JSON and "-" in tables.
 */
#ifndef REPORTS_RSTAT_H
#define REPORTS_RSTAT_H

#include <stddef.h>

/* Sample mean of x[0..n-1]; NaN when n == 0. */
double reports_mean(const double *x, size_t n);

/* Half-width of the two-sided `conf` (e.g. 0.95) Student-t confidence
 * interval for the mean of x[0..n-1]: t_{(1+conf)/2, n-1} * s / sqrt(n).
 * NaN when n < 2 (no interval from one value). */
double reports_ci_half(const double *x, size_t n, double conf);

/* Two-sided p-value of Welch's t-test that a and b have equal means
 * (unequal variances, Welch-Satterthwaite degrees of freedom). NaN when either
 * sample has fewer than 2 values. When both variances are 0 the test is
 * degenerate: 1 if the means are equal, else 0. */
double reports_welch_p(const double *a, size_t na, const double *b, size_t nb);

/* p of sim_prediction_test (one value x against the sample a), or NaN when
 * it cannot be computed (fewer than two values in a). */
double reports_prediction_p(const double *a, size_t na, double x);

#endif
