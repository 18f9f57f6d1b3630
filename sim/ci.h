/* sim/ci.h - confidence intervals over replications and Welch's t-test.
 *
 * For the reports layer: each replication of a run yields one value per
 * metric (its p99, its throughput, ...). Replications are independent and,
 * by the central limit theorem, their means close to normal, so the mean of
 * R replication values has a Student-t interval with R - 1 degrees of
 * freedom. Two runs (baseline, candidate) are compared with Welch's unequal
 * variance t-test. Quantiles of the t distribution come from GSL
 * (gsl_cdf_tdist_Pinv / gsl_cdf_tdist_Q), moments from gsl_stats_mean and
 * gsl_stats_variance. See docs/statistics.md.
 */
#ifndef SIM_CI_H
#define SIM_CI_H

#include <stddef.h>

typedef struct sim_ci {
    size_t n;       /* sample size */
    double level;   /* confidence level, e.g. 0.95 */
    double mean;    /* sample mean */
    double sd;      /* sample standard deviation (divides by n - 1); NaN when n < 2 */
    double df;      /* degrees of freedom n - 1; NaN when n < 2 */
    double half;    /* half-width: the interval is mean +- half; NaN when n < 2,
                       0 when every value is equal */
} sim_ci;

/* Mean and level-confidence interval of the n values x (not modified,
 * caller-owned). level in (0, 1), e.g. 0.95. n = 1 is valid: mean = x[0]
 * and sd, df, half are NaN (no interval can be estimated from one value; a
 * report prints the mean alone, or null for the interval). Returns 0, or
 * SIM_EINVAL for n = 0, x NULL, a level outside (0, 1) or a non-finite
 * value (out is then filled with NaN and n). */
int sim_ci_mean(const double *x, size_t n, double level, sim_ci *out);

/* The two-sided critical value t such that P(|T_df| <= t) = level:
 * gsl_cdf_tdist_Pinv((1 + level) / 2, df). NaN for df <= 0 or a level
 * outside (0, 1). 12.706 for (0.95, 1), 1.960 as df grows. */
double sim_t_critical(double level, double df);

typedef struct sim_welch {
    double mean_a, mean_b;
    double diff;    /* mean_b - mean_a (candidate minus baseline) */
    double se;      /* standard error of diff: sqrt(var_a / n_a + var_b / n_b) */
    double t;       /* diff / se; 0 or +-INFINITY when se = 0 (see below) */
    double df;      /* Welch-Satterthwaite degrees of freedom; NaN when se = 0 */
    double p;       /* two-sided p-value, in [0, 1] */
} sim_welch;

/* Welch's two-sample t-test of "the means of a and b are equal" against
 * "they differ", without assuming equal variances. Needs at least two values
 * on each side: otherwise returns SIM_EINVAL with p = NaN (and the means of
 * non-empty samples filled in), as it does for NULL or non-finite input.
 * Zero variance on both sides (se = 0): equal means give t = 0 and p = 1,
 * different means give t = +-INFINITY and p = 0 (two constant samples that
 * differ are certainly different). With a confidence interval of the
 * difference in mind: diff +- sim_t_critical(level, df) * se. Returns 0. */
int sim_welch_test(const double *a, size_t na, const double *b, size_t nb, sim_welch *out);

/* Is x a plausible new observation of what a samples? The prediction
 * interval's test, for one run against replications:
 * t = (x - mean_a) / (s_a sqrt(1 + 1 / n_a)) with n_a - 1 degrees of freedom,
 * two-sided p. Fills out as sim_welch_test does (mean_b = x, diff = x -
 * mean_a, se = s_a sqrt(1 + 1 / n_a)). Needs at least two values in a:
 * otherwise, or for NULL or non-finite input, returns SIM_EINVAL with
 * p = NaN. A constant sample (se = 0) gives p = 1 when x equals it and 0
 * otherwise. Returns 0. */
int sim_prediction_test(const double *a, size_t na, double x, sim_welch *out);

#endif
