/* reports/compare.h - comparing two runs metric by metric (cdnsim compare).
 *
 * Every metric of reports/metrics.h with a direction (lower or higher is
 * better) is judged; the others (seed, durations, offered load, simulator
 * speed) are not listed. For each metric:
 *   change = (candidate - base) / |base|   (+inf/-inf when base is 0 and the
 *                                           candidate is not, 0 when both are)
 *   worse  = the change goes the bad way by more than its tolerance.
 * When both directories hold replications (DIR/reps/K/summary.json, at least
 * two each), a metric regresses only if it is worse AND Welch's t-test on the
 * per-replication values gives p < 0.05; otherwise (single runs, or
 * replications on one side only) by tolerance alone, and the result says so.
 * "Improved" is the mirror image. Everything else is "unchanged".
 */
#ifndef REPORTS_COMPARE_H
#define REPORTS_COMPARE_H

#include <stddef.h>
#include <stdio.h>

#define REPORTS_CMP_ALPHA 0.05

typedef enum {
    REPORTS_UNCHANGED = 0,
    REPORTS_REGRESSED,
    REPORTS_IMPROVED,
    REPORTS_ONLY_BASE,   /* metric missing from the candidate: reported, not judged */
    REPORTS_ONLY_CAND,   /* metric new in the candidate: reported, not judged */
    REPORTS_IGNORED,     /* tolerance "off" */
} reports_verdict;

/* A per-metric tolerance from --metric PATTERN:TOL. The pattern is an
 * fnmatch(3) glob over metric names ("components.*.utilization"); the last
 * matching rule wins. off != 0 means the metric is not judged. */
typedef struct reports_cmp_rule {
    const char *pattern;   /* borrowed */
    double tol;            /* fraction, e.g. 0.05 */
    int off;
} reports_cmp_rule;

typedef struct reports_cmp_opts {
    double tolerance;              /* default fraction (0.05) */
    const reports_cmp_rule *rules; /* borrowed */
    size_t nrules;
    int allow_different;           /* compare runs of different scenarios */
} reports_cmp_opts;

typedef struct reports_cmp_row {
    char *name;            /* owned */
    int direction;         /* +1 higher is better, -1 lower is better */
    double base, cand;     /* the summaries' values (means when replicated) */
    double base_ci, cand_ci; /* half-widths, NaN when not replicated */
    double change;         /* relative, see above; NaN when one side is missing */
    double p;              /* Welch p, NaN in tolerance mode */
    double tol;
    reports_verdict verdict;
} reports_cmp_row;

typedef struct reports_cmp_result {
    reports_cmp_row *rows; /* owned */
    size_t n;
    int welch;             /* 1: replications on both sides, Welch's t-test used */
    int predict;           /* 1: replications on one side only, the single run tested against them */
    size_t base_reps, cand_reps;   /* replications found (0 = single run) */
    char base_scenario[256], cand_scenario[256];
    int different;         /* scenarios differ (only with allow_different) */
    double tolerance;      /* the default tolerance used */
    int base_partial, cand_partial;  /* a run was stopped early ("partial": true) */
    size_t regressed, improved, unchanged, other;
} reports_cmp_result;

/* Parses a tolerance: "5%", "0.5%", or a fraction "0.05"; "off" sets *off.
 * 0 or SIM_EPARSE (also for negative values). */
int reports_parse_tolerance(const char *s, double *tol, int *off);

/* Compares the runs in base_dir and cand_dir. Returns 0 and fills r (the
 * caller frees it with reports_cmp_free, also on error), or a negative code
 * with one line in err: SIM_ENOENT (a summary.json is missing), SIM_EPARSE
 * (malformed JSON, wrong schema, malformed replication), SIM_EINVAL (the
 * scenarios differ by name or sha256 and allow_different is 0), SIM_ENOMEM. */
int reports_compare(const char *base_dir, const char *cand_dir, const reports_cmp_opts *o,
                    reports_cmp_result *r, char *err, size_t errlen);
void reports_cmp_free(reports_cmp_result *r);

typedef enum { REPORTS_FMT_TEXT, REPORTS_FMT_MARKDOWN, REPORTS_FMT_JSON } reports_format;

/* reports_cmp_print flags: list only the metrics that regressed, improved or
 * are on one side only (text and markdown; JSON always lists every metric). */
#define REPORTS_CMP_ONLY_CHANGES 1u

/* Prints the table and the closing line in the given format. base_dir and
 * cand_dir are only shown. 0 or SIM_ENOMEM. */
int reports_cmp_print(const reports_cmp_result *r, const char *base_dir, const char *cand_dir,
                      reports_format fmt, unsigned flags, FILE *f);

#endif
