/* reports/compare.c - direction-aware comparison of two runs. */
#include "reports/compare.h"

#include <ctype.h>
#include <dirent.h>
#include <fnmatch.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reports/metrics.h"
#include "reports/rbuf.h"
#include "reports/rjson.h"
#include "reports/rstat.h"
#include "sim/errors.h"

#define SUMMARY_SCHEMA "cdnsim.summary/1"

int reports_parse_tolerance(const char *s, double *tol, int *off)
{
    *off = 0;
    if (!s || !*s) return SIM_EPARSE;
    if (!strcmp(s, "off")) {
        *off = 1;
        *tol = 0;
        return 0;
    }
    char *end = NULL;
    double v = strtod(s, &end);
    if (end == s || !isfinite(v) || v < 0) return SIM_EPARSE;
    if (*end == '%') {
        v /= 100;
        end++;
    }
    if (*end) return SIM_EPARSE;
    *tol = v;
    return 0;
}

/* One side of the comparison: its summary, its metrics, and the metrics of
 * each replication. */
typedef struct side {
    cJSON *summary;
    reports_metrics m;
    reports_metrics *reps;
    size_t nreps;
} side;

static void side_free(side *s)
{
    cJSON_Delete(s->summary);
    reports_metrics_free(&s->m);
    for (size_t i = 0; i < s->nreps; i++) reports_metrics_free(&s->reps[i]);
    free(s->reps);
    memset(s, 0, sizeof *s);
}

static int check_schema(const cJSON *sum, const char *path, char *err, size_t errlen)
{
    const char *schema = reports_json_str(sum, "schema");
    if (!schema || strcmp(schema, SUMMARY_SCHEMA) != 0) {
        snprintf(err, errlen, "%s: schema: expected \"%s\", found %s%s%s", path, SUMMARY_SCHEMA,
                 schema ? "\"" : "", schema ? schema : "nothing", schema ? "\"" : "");
        return SIM_EPARSE;
    }
    return 0;
}

static int load_metrics(const char *path, cJSON **keep, reports_metrics *m, char *err, size_t errlen)
{
    cJSON *sum = NULL;
    int rc = reports_json_load(path, &sum, err, errlen);
    if (rc == 0) rc = check_schema(sum, path, err, errlen);
    if (rc == 0) {
        rc = reports_metrics_from_summary(sum, m);
        if (rc < 0) snprintf(err, errlen, "%s: out of memory", path);
    }
    if (keep && rc == 0) *keep = sum;
    else cJSON_Delete(sum);
    return rc;
}

static int cmp_uint(const void *a, const void *b)
{
    unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;
    return x < y ? -1 : x > y;
}

static int load_side(const char *dir, side *s, char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/summary.json", dir);
    int rc = load_metrics(path, &s->summary, &s->m, err, errlen);
    if (rc < 0) return rc;
    /* Replications: DIR/reps/<number>/summary.json, in numeric order. */
    snprintf(path, sizeof path, "%s/reps", dir);
    DIR *d = opendir(path);
    if (!d) return 0;
    unsigned long *ids = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *p = e->d_name;
        if (!*p) continue;
        while (isdigit((unsigned char)*p)) p++;
        if (*p || strlen(e->d_name) > 9) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            unsigned long *ni = realloc(ids, cap * sizeof *ni);
            if (!ni) {
                free(ids);
                closedir(d);
                snprintf(err, errlen, "out of memory");
                return SIM_ENOMEM;
            }
            ids = ni;
        }
        ids[n++] = strtoul(e->d_name, NULL, 10);
    }
    closedir(d);
    if (n) qsort(ids, n, sizeof *ids, cmp_uint);
    s->reps = calloc(n ? n : 1, sizeof *s->reps);
    if (!s->reps) {
        free(ids);
        snprintf(err, errlen, "out of memory");
        return SIM_ENOMEM;
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        snprintf(path, sizeof path, "%s/reps/%lu/summary.json", dir, ids[i]);
        s->nreps++;
        rc = load_metrics(path, NULL, &s->reps[i], err, errlen);
    }
    free(ids);
    return rc;
}

static int add_row(reports_cmp_result *r, const char *name)
{
    if ((r->n & (r->n - 1)) == 0) {
        size_t cap = r->n ? r->n * 2 : 32;
        reports_cmp_row *nr = realloc(r->rows, cap * sizeof *nr);
        if (!nr) return SIM_ENOMEM;
        r->rows = nr;
    }
    reports_cmp_row *row = &r->rows[r->n];
    memset(row, 0, sizeof *row);
    row->name = strdup(name);
    if (!row->name) return SIM_ENOMEM;
    row->base = row->cand = row->change = row->p = NAN;
    row->base_ci = row->cand_ci = NAN;
    r->n++;
    return 0;
}

static double ci_of(const cJSON *sum, const char *name)
{
    char key[1024];
    snprintf(key, sizeof key, "%s_ci", name);
    return reports_json_num(sum, key, NAN);
}

/* Values of metric `name` across a side's replications, into out. */
static size_t rep_values(const side *s, const char *name, double *out)
{
    size_t m = 0;
    for (size_t i = 0; i < s->nreps; i++) {
        const reports_metric *x = reports_metrics_find(&s->reps[i], name);
        if (x && isfinite(x->value)) out[m++] = x->value;
    }
    return m;
}

static void judge(reports_cmp_row *row, const reports_cmp_opts *o, const reports_cmp_result *r, const side *b,
                  const side *c, double *va, double *vb)
{
    row->tol = o->tolerance;
    int off = 0;
    for (size_t i = 0; i < o->nrules; i++) {
        if (fnmatch(o->rules[i].pattern, row->name, 0) == 0) {
            row->tol = o->rules[i].tol;
            off = o->rules[i].off;
        }
    }
    if (off) {
        row->verdict = REPORTS_IGNORED;
        return;
    }
    if (row->base == row->cand) row->change = 0;
    else if (row->base == 0) row->change = row->cand > 0 ? INFINITY : -INFINITY;
    else row->change = (row->cand - row->base) / fabs(row->base);
    double gain = row->direction * row->change;   /* > 0: better */
    int sig = 1;
    if (r->welch) {
        size_t na = rep_values(b, row->name, va), nb = rep_values(c, row->name, vb);
        row->p = reports_welch_p(va, na, vb, nb);
        sig = !isnan(row->p) && row->p < REPORTS_CMP_ALPHA;
    } else if (r->predict) {
        /* the single run as one more draw of the replicated side */
        int base_has = b->nreps >= 2;
        size_t n = rep_values(base_has ? b : c, row->name, va);
        row->p = reports_prediction_p(va, n, base_has ? row->cand : row->base);
        sig = !isnan(row->p) && row->p < REPORTS_CMP_ALPHA;
    }
    if (gain < -row->tol && sig) row->verdict = REPORTS_REGRESSED;
    else if (gain > row->tol && sig) row->verdict = REPORTS_IMPROVED;
    else row->verdict = REPORTS_UNCHANGED;
}

int reports_compare(const char *base_dir, const char *cand_dir, const reports_cmp_opts *o,
                    reports_cmp_result *r, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    side b = { 0 }, c = { 0 };
    double *va = NULL, *vb = NULL;
    int rc = load_side(base_dir, &b, err, errlen);
    if (rc == 0) rc = load_side(cand_dir, &c, err, errlen);
    if (rc < 0) goto out;
    const char *bn = reports_json_str(b.summary, "scenario.name");
    const char *cn = reports_json_str(c.summary, "scenario.name");
    const char *bh = reports_json_str(b.summary, "scenario.sha256");
    const char *ch = reports_json_str(c.summary, "scenario.sha256");
    snprintf(r->base_scenario, sizeof r->base_scenario, "%s", bn ? bn : "?");
    snprintf(r->cand_scenario, sizeof r->cand_scenario, "%s", cn ? cn : "?");
    int same_name = bn && cn && !strcmp(bn, cn);
    int same_hash = (!bh && !ch) || (bh && ch && !strcmp(bh, ch));
    r->different = !(same_name && same_hash);
    if (r->different && !o->allow_different) {
        if (!same_name)
            snprintf(err, errlen, "different scenarios: base %s/summary.json ran \"%s\", candidate %s/summary.json "
                     "ran \"%s\" (use --allow-different to compare anyway)", base_dir, r->base_scenario, cand_dir,
                     r->cand_scenario);
        else
            snprintf(err, errlen, "different scenarios: \"%s\" has sha256 %.12s... in %s but %.12s... in %s "
                     "(the file changed; use --allow-different to compare anyway)", r->base_scenario,
                     bh ? bh : "(none)", base_dir, ch ? ch : "(none)", cand_dir);
        rc = SIM_EINVAL;
        goto out;
    }
    r->tolerance = o->tolerance;
    r->base_partial = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(b.summary, "partial"));
    r->cand_partial = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c.summary, "partial"));
    r->base_reps = b.nreps;
    r->cand_reps = c.nreps;
    r->welch = b.nreps >= 2 && c.nreps >= 2;
    r->predict = !r->welch && (b.nreps >= 2 || c.nreps >= 2);
    size_t most = b.nreps > c.nreps ? b.nreps : c.nreps;
    va = malloc((most + 1) * sizeof *va);
    vb = malloc((most + 1) * sizeof *vb);
    if (!va || !vb) goto oom;
    for (size_t i = 0; i < b.m.n; i++) {
        const reports_metric *bm = &b.m.v[i];
        int dir = reports_metric_direction(bm->name);
        if (!dir) continue;
        if (add_row(r, bm->name) < 0) goto oom;
        reports_cmp_row *row = &r->rows[r->n - 1];
        row->direction = dir;
        row->base = bm->value;
        row->base_ci = ci_of(b.summary, bm->name);
        const reports_metric *cm = reports_metrics_find(&c.m, bm->name);
        if (!cm) {
            row->verdict = REPORTS_ONLY_BASE;
            continue;
        }
        row->cand = cm->value;
        row->cand_ci = ci_of(c.summary, cm->name);
        judge(row, o, r, &b, &c, va, vb);
    }
    for (size_t i = 0; i < c.m.n; i++) {
        const reports_metric *cm = &c.m.v[i];
        int dir = reports_metric_direction(cm->name);
        if (!dir || reports_metrics_find(&b.m, cm->name)) continue;
        if (add_row(r, cm->name) < 0) goto oom;
        reports_cmp_row *row = &r->rows[r->n - 1];
        row->direction = dir;
        row->cand = cm->value;
        row->cand_ci = ci_of(c.summary, cm->name);
        row->verdict = REPORTS_ONLY_CAND;
    }
    for (size_t i = 0; i < r->n; i++) {
        switch (r->rows[i].verdict) {
        case REPORTS_REGRESSED: r->regressed++; break;
        case REPORTS_IMPROVED: r->improved++; break;
        case REPORTS_UNCHANGED: r->unchanged++; break;
        default: r->other++;
        }
    }
    goto out;
oom:
    rc = SIM_ENOMEM;
    snprintf(err, errlen, "out of memory");
out:
    free(va);
    free(vb);
    side_free(&b);
    side_free(&c);
    return rc;
}

void reports_cmp_free(reports_cmp_result *r)
{
    for (size_t i = 0; i < r->n; i++) free(r->rows[i].name);
    free(r->rows);
    memset(r, 0, sizeof *r);
}

static const char *verdict_name(reports_verdict v)
{
    switch (v) {
    case REPORTS_REGRESSED: return "REGRESSED";
    case REPORTS_IMPROVED: return "improved";
    case REPORTS_UNCHANGED: return "unchanged";
    case REPORTS_ONLY_BASE: return "only in base";
    case REPORTS_ONLY_CAND: return "only in candidate";
    case REPORTS_IGNORED: return "ignored";
    }
    return "?";
}

static void fmt_value(char *buf, size_t len, double v, double ci)
{
    if (isnan(v)) snprintf(buf, len, "-");
    else if (isfinite(ci)) snprintf(buf, len, "%.5g ±%.2g", v, ci);
    else snprintf(buf, len, "%.5g", v);
}

static void fmt_change(char *buf, size_t len, double ch)
{
    if (isnan(ch)) snprintf(buf, len, "-");
    else if (isinf(ch)) snprintf(buf, len, "%s", ch > 0 ? "+inf" : "-inf");
    else snprintf(buf, len, "%+.1f%%", ch * 100);
}

static void fmt_p(char *buf, size_t len, double p)
{
    if (isnan(p)) snprintf(buf, len, "-");
    else if (p < 1e-4) snprintf(buf, len, "<0.0001");
    else snprintf(buf, len, "%.4f", p);
}

static const char *mode_line(const reports_cmp_result *r)
{
    if (r->welch) return "replications on both sides: a change counts when it exceeds its tolerance AND Welch's t-test gives p < 0.05";
    if (r->predict)
        return "replications on one side only: a change counts when it exceeds its tolerance AND the single run lies "
               "outside the replications' 95% prediction interval (t-test, p < 0.05)";
    return "single runs: judged by tolerance alone (no significance test; run both with --reps R for one)";
}

static cJSON *num_or_null(double v)
{
    return isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull();
}

static int print_json(const reports_cmp_result *r, const char *bd, const char *cd, FILE *f)
{
    cJSON *root = cJSON_CreateObject();
    if (!root) return SIM_ENOMEM;
    cJSON_AddStringToObject(root, "schema", "cdnsim.compare/1");
    const char *dirs[2] = { bd, cd }, *names[2] = { r->base_scenario, r->cand_scenario };
    size_t reps[2] = { r->base_reps, r->cand_reps };
    const char *keys[2] = { "base", "candidate" };
    for (int i = 0; i < 2; i++) {
        cJSON *s = cJSON_AddObjectToObject(root, keys[i]);
        if (!s) continue;
        cJSON_AddStringToObject(s, "dir", dirs[i]);
        cJSON_AddStringToObject(s, "scenario", names[i]);
        cJSON_AddNumberToObject(s, "replications", (double)reps[i]);
    }
    cJSON_AddStringToObject(root, "mode", r->welch ? "welch" : r->predict ? "prediction" : "tolerance");
    cJSON_AddNumberToObject(root, "alpha", REPORTS_CMP_ALPHA);
    cJSON *arr = cJSON_AddArrayToObject(root, "metrics");
    for (size_t i = 0; arr && i < r->n; i++) {
        const reports_cmp_row *row = &r->rows[i];
        cJSON *m = cJSON_CreateObject();
        if (!m) break;
        cJSON_AddItemToArray(arr, m);
        cJSON_AddStringToObject(m, "name", row->name);
        cJSON_AddStringToObject(m, "better", row->direction > 0 ? "higher" : "lower");
        cJSON_AddItemToObject(m, "base", num_or_null(row->base));
        cJSON_AddItemToObject(m, "base_ci", num_or_null(row->base_ci));
        cJSON_AddItemToObject(m, "candidate", num_or_null(row->cand));
        cJSON_AddItemToObject(m, "candidate_ci", num_or_null(row->cand_ci));
        cJSON_AddItemToObject(m, "change", num_or_null(row->change));
        cJSON_AddItemToObject(m, "p", num_or_null(row->p));
        cJSON_AddNumberToObject(m, "tolerance", row->tol);
        cJSON_AddStringToObject(m, "verdict", verdict_name(row->verdict));
    }
    cJSON_AddNumberToObject(root, "regressed", (double)r->regressed);
    cJSON_AddNumberToObject(root, "improved", (double)r->improved);
    cJSON_AddNumberToObject(root, "unchanged", (double)r->unchanged);
    cJSON_AddBoolToObject(root, "regression", r->regressed > 0);
    cJSON_AddBoolToObject(root, "partial", r->base_partial || r->cand_partial);
    char *s = cJSON_Print(root);
    cJSON_Delete(root);
    if (!s) return SIM_ENOMEM;
    fprintf(f, "%s\n", s);
    free(s);
    return 0;
}

int reports_cmp_print(const reports_cmp_result *r, const char *bd, const char *cd, reports_format fmt,
                      unsigned flags, FILE *f)
{
    if (fmt == REPORTS_FMT_JSON) return print_json(r, bd, cd, f);
    int md = fmt == REPORTS_FMT_MARKDOWN;
    size_t w = 6;
    for (size_t i = 0; i < r->n; i++)
        if (strlen(r->rows[i].name) > w) w = strlen(r->rows[i].name);
    char sb[64], sc[64], sch[32], sp[32];
    if (md) {
        fprintf(f, "**cdnsim compare**: base `%s` (%s", bd, r->base_scenario);
        fprintf(f, r->base_reps ? ", %zu replications)" : ", single run)", r->base_reps);
        fprintf(f, " vs candidate `%s` (%s", cd, r->cand_scenario);
        fprintf(f, r->cand_reps ? ", %zu replications)" : ", single run)", r->cand_reps);
        fprintf(f, "\n\n%s.\n\n", mode_line(r));
        fprintf(f, "| metric | base | candidate | change | p | verdict |\n|---|---:|---:|---:|---:|---|\n");
    } else {
        fprintf(f, "base      %s (%s, ", bd, r->base_scenario);
        fprintf(f, r->base_reps ? "%zu replications)\n" : "single run)\n", r->base_reps);
        fprintf(f, "candidate %s (%s, ", cd, r->cand_scenario);
        fprintf(f, r->cand_reps ? "%zu replications)\n" : "single run)\n", r->cand_reps);
        fprintf(f, "%s\n\n", mode_line(r));
        fprintf(f, "%-*s  %18s  %18s  %8s  %8s  %s\n", (int)w, "metric", "base", "candidate", "change", "p",
                "verdict");
    }
    size_t hidden = 0;
    for (size_t i = 0; i < r->n; i++) {
        const reports_cmp_row *row = &r->rows[i];
        if ((flags & REPORTS_CMP_ONLY_CHANGES) &&
            (row->verdict == REPORTS_UNCHANGED || row->verdict == REPORTS_IGNORED)) {
            hidden++;
            continue;
        }
        fmt_value(sb, sizeof sb, row->base, row->base_ci);
        fmt_value(sc, sizeof sc, row->cand, row->cand_ci);
        fmt_change(sch, sizeof sch, row->change);
        fmt_p(sp, sizeof sp, row->p);
        if (md)
            fprintf(f, "| `%s` | %s | %s | %s | %s | %s%s%s |\n", row->name, sb, sc, sch, sp,
                    row->verdict == REPORTS_REGRESSED ? "**" : "", verdict_name(row->verdict),
                    row->verdict == REPORTS_REGRESSED ? "**" : "");
        else
            fprintf(f, "%-*s  %18s  %18s  %8s  %8s  %s\n", (int)w, row->name, sb, sc, sch, sp,
                    verdict_name(row->verdict));
    }
    if (hidden) fprintf(f, "%s(%zu unchanged or ignored metrics not listed)\n", md ? "\n" : "", hidden);
    fprintf(f, "%s%zu regressed, %zu improved, %zu unchanged", md ? "\n**Result**: " : "\n", r->regressed,
            r->improved, r->unchanged);
    if (r->other) fprintf(f, ", %zu not judged", r->other);
    fprintf(f, " (default tolerance %g%%%s)\n", r->tolerance * 100,
            r->welch ? ", Welch p < 0.05" : r->predict ? ", prediction p < 0.05" : ", tolerance only");
    if (r->different) fprintf(f, "%swarning: the runs are of different scenarios (--allow-different)\n", md ? "\n" : "");
    if (r->base_partial || r->cand_partial)
        fprintf(f, "%swarning: the %s run%s stopped early (\"partial\": true); %s numbers cover only part of the "
                "scenario\n", md ? "\n" : "",
                r->base_partial && r->cand_partial ? "base and candidate" : r->base_partial ? "base" : "candidate",
                r->base_partial && r->cand_partial ? "s were" : " was", r->base_partial && r->cand_partial ? "their" : "its");
    return 0;
}
