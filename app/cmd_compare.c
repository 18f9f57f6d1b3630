/* app/cmd_compare.c - `cdnsim compare BASE_DIR CAND_DIR`: regression check
 * of one run against another, for CI. The logic is in reports/compare.c. */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/commands.h"
#include "reports/compare.h"
#include "sim/errors.h"

static void usage(FILE *f)
{
    fprintf(f,
        "usage: cdnsim compare BASE_DIR CAND_DIR [--tolerance TOL] [--metric NAME:TOL]...\n"
        "                      [--format text|markdown|json] [--only-changes] [--allow-different]\n"
        "\n"
        "Compares the run in CAND_DIR (the candidate) with the run in BASE_DIR (the baseline),\n"
        "metric by metric, from each directory's summary.json. Direction matters: latencies,\n"
        "failures, timeouts, rejections, utilization and queue lengths are better lower;\n"
        "throughput, completed requests, availability and hit ratios are better higher. Inputs\n"
        "and simulator speed (seed, durations, offered requests, events/s) are not judged.\n"
        "\n"
        "A metric REGRESSED when it moved the bad way by more than its tolerance (relative to\n"
        "the base value). When both directories hold replications (DIR/reps/K/summary.json,\n"
        "written by `cdnsim run --reps R`, R >= 2), it must also differ significantly: Welch's\n"
        "t-test on the per-replication values gives p < 0.05. With single runs the tolerance\n"
        "alone decides, and the output says so. \"improved\" is the mirror image.\n"
        "\n"
        "options:\n"
        "  --tolerance TOL      default tolerance for every metric: \"5%%\" (default), \"0.5%%\",\n"
        "                       or a fraction such as 0.05\n"
        "  --metric NAME:TOL    tolerance for the metrics matching NAME, a glob over metric\n"
        "                       names (e.g. latency_ms.p99:10%%, 'components.*.utilization:20%%');\n"
        "                       TOL \"off\" stops judging them; repeatable, the last match wins;\n"
        "                       a pattern that matches no metric gets a warning on stderr\n"
        "  --format FMT         text (default), markdown (for a CI comment) or json\n"
        "  --only-changes       list only the metrics that regressed or improved (text and\n"
        "                       markdown; the closing line still counts every metric)\n"
        "  --allow-different    compare runs of different scenarios (name or sha256 differ)\n"
        "  -h, --help           this help\n"
        "\n"
        "Metric names are JSON paths in summary.json joined by '.': throughput_rps,\n"
        "latency_ms.p99, by_op.GET.latency_ms.p50, components.edge-1.hit_ratio, and\n"
        "availability (summary.json's completed / issued; for an older summary without it,\n"
        "derived as completed / (completed + failed + timed_out + rejected)).\n"
        "\n"
        "exit status: 0 no metric regressed, 1 at least one regressed, 2 bad input (missing\n"
        "directory or summary.json, malformed JSON, wrong schema, bad option, or different\n"
        "scenarios without --allow-different)\n");
}

static void free_rules(reports_cmp_rule *rules, size_t n)
{
    for (size_t i = 0; i < n; i++) free((char *)rules[i].pattern);
    free(rules);
}

int cmd_compare(int argc, char **argv)
{
    const char *dirs[2] = { NULL, NULL };
    int ndirs = 0;
    reports_cmp_opts o = { .tolerance = 0.05 };
    reports_format fmt = REPORTS_FMT_TEXT;
    unsigned pflags = 0;
    reports_cmp_rule *rules = calloc((size_t)argc + 1, sizeof *rules);
    if (!rules) {
        fprintf(stderr, "cdnsim compare: out of memory\n");
        return APP_EXIT_FAIL;
    }
    int rc = APP_EXIT_OK;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            free_rules(rules, o.nrules);
            return APP_EXIT_OK;
        }
        if (!strcmp(a, "--allow-different")) {
            o.allow_different = 1;
            continue;
        }
        if (!strcmp(a, "--only-changes")) {
            pflags |= REPORTS_CMP_ONLY_CHANGES;
            continue;
        }
        if (!strcmp(a, "--tolerance") || !strcmp(a, "--metric") || !strcmp(a, "--format")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "cdnsim compare: %s needs a value (see cdnsim compare --help)\n", a);
                rc = APP_EXIT_USAGE;
                break;
            }
            val = argv[++i];
        } else if (!strncmp(a, "--tolerance=", 12) || !strncmp(a, "--metric=", 9) || !strncmp(a, "--format=", 9)) {
            val = strchr(a, '=') + 1;
        }
        if (val && !strncmp(a, "--tolerance", 11)) {
            int off = 0;
            if (reports_parse_tolerance(val, &o.tolerance, &off) < 0 || off) {
                fprintf(stderr, "cdnsim compare: --tolerance: expected a percentage like \"5%%\" or a fraction "
                        "like 0.05, found \"%s\"\n", val);
                rc = APP_EXIT_USAGE;
                break;
            }
        } else if (val && !strncmp(a, "--metric", 8)) {
            const char *colon = strrchr(val, ':');
            reports_cmp_rule *r = &rules[o.nrules];
            if (!colon || colon == val || reports_parse_tolerance(colon + 1, &r->tol, &r->off) < 0) {
                fprintf(stderr, "cdnsim compare: --metric: expected NAME:TOL such as latency_ms.p99:10%% or "
                        "'components.*.utilization:off', found \"%s\"\n", val);
                rc = APP_EXIT_USAGE;
                break;
            }
            /* The pattern is the text before the last ':'. */
            char *pat = strndup(val, (size_t)(colon - val));
            if (!pat) {
                fprintf(stderr, "cdnsim compare: out of memory\n");
                rc = APP_EXIT_FAIL;
                break;
            }
            r->pattern = pat;
            o.nrules++;
        } else if (val && !strncmp(a, "--format", 8)) {
            if (!strcmp(val, "text")) fmt = REPORTS_FMT_TEXT;
            else if (!strcmp(val, "markdown") || !strcmp(val, "md")) fmt = REPORTS_FMT_MARKDOWN;
            else if (!strcmp(val, "json")) fmt = REPORTS_FMT_JSON;
            else {
                fprintf(stderr, "cdnsim compare: --format: expected text, markdown or json, found \"%s\"\n", val);
                rc = APP_EXIT_USAGE;
                break;
            }
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "cdnsim compare: unknown option '%s' (see cdnsim compare --help)\n", a);
            rc = APP_EXIT_USAGE;
            break;
        } else if (ndirs < 2) {
            dirs[ndirs++] = a;
        } else {
            fprintf(stderr, "cdnsim compare: expected two directories, found a third: '%s'\n", a);
            rc = APP_EXIT_USAGE;
            break;
        }
    }
    if (rc == APP_EXIT_OK && ndirs != 2) {
        fprintf(stderr, "cdnsim compare: expected BASE_DIR and CAND_DIR (see cdnsim compare --help)\n");
        rc = APP_EXIT_USAGE;
    }
    if (rc != APP_EXIT_OK) {
        free_rules(rules, o.nrules);
        return rc;
    }
    o.rules = rules;
    reports_cmp_result r;
    char err[1024] = "";
    int e = reports_compare(dirs[0], dirs[1], &o, &r, err, sizeof err);
    if (e < 0) {
        fprintf(stderr, "cdnsim compare: %s\n", err);
        rc = e == SIM_ENOMEM ? APP_EXIT_FAIL : APP_EXIT_USAGE;
    } else {
        /* A pattern that matches nothing is most likely a typo: say so. */
        for (size_t k = 0; k < o.nrules; k++) {
            size_t hits = 0;
            for (size_t i = 0; i < r.n; i++) hits += fnmatch(rules[k].pattern, r.rows[i].name, 0) == 0;
            if (!hits)
                fprintf(stderr, "cdnsim compare: warning: --metric '%s' matches no metric (names look like "
                        "latency_ms.p99 or components.ID.hit_ratio)\n", rules[k].pattern);
        }
        if (reports_cmp_print(&r, dirs[0], dirs[1], fmt, pflags, stdout) < 0) {
            fprintf(stderr, "cdnsim compare: out of memory\n");
            rc = APP_EXIT_FAIL;
        } else {
            rc = r.regressed ? APP_EXIT_FAIL : APP_EXIT_OK;
        }
    }
    reports_cmp_free(&r);
    free_rules(rules, o.nrules);
    return rc;
}
