/* tests/e2e.c - the end-to-end test helpers (see tests/e2e.h). */
#include "tests/e2e.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/harness.h"

int e2e_cdnsim(const char *args, char **out, char **err)
{
    char *cmd = NULL;
    if (asprintf(&cmd, "%s %s", tests_cdnsim_bin(), args) < 0) return -1;
    int rc = tests_run(cmd, out, err);
    free(cmd);
    return rc;
}

char *e2e_read_in(const char *dir, const char *name)
{
    char *path = NULL;
    if (asprintf(&path, "%s/%s", dir, name) < 0) return NULL;
    char *text = tests_read_file(path, NULL);
    free(path);
    return text;
}

cJSON *e2e_read_json_in(const char *dir, const char *name)
{
    char *text = e2e_read_in(dir, name);
    cJSON *j = text ? cJSON_Parse(text) : NULL;
    free(text);
    return j;
}

void e2e_run_free(e2e_run *r)
{
    if (r->dir) tests_rmtree(r->dir);
    free(r->dir);
    cJSON_Delete(r->summary);
    free(r->events);
    for (size_t i = 0; i < r->ncols; i++) free(r->cols[i]);
    free(r->cols);
    free(r->v);
    memset(r, 0, sizeof *r);
}

/* Parses timeseries.csv: a header of names, then rows of numbers (an empty
 * cell is NaN). Modifies text. */
static int parse_ts(e2e_run *r, char *text)
{
    char *save = NULL, *line = strtok_r(text, "\n", &save);
    if (!line) return -1;
    for (char *p = line;;) {
        char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        r->cols = realloc(r->cols, (r->ncols + 1) * sizeof *r->cols);
        r->cols[r->ncols++] = strndup(p, n);
        if (!comma) break;
        p = comma + 1;
    }
    while ((line = strtok_r(NULL, "\n", &save))) {
        r->v = realloc(r->v, (r->nrows + 1) * r->ncols * sizeof *r->v);
        double *row = r->v + r->nrows * r->ncols;
        char *p = line;
        for (size_t c = 0; c < r->ncols; c++) {
            char *end;
            row[c] = (*p == ',' || !*p) ? NAN : strtod(p, &end);
            char *comma = strchr(p, ',');
            p = comma ? comma + 1 : p + strlen(p);
        }
        r->nrows++;
    }
    return 0;
}

long e2e_col(const e2e_run *r, const char *name)
{
    for (size_t i = 0; i < r->ncols; i++)
        if (!strcmp(r->cols[i], name)) return (long)i;
    tests_fail(__FILE__, __LINE__, "no column %s in timeseries.csv", name);
    return -1;
}

double e2e_at(const e2e_run *r, size_t row, long c) { return c < 0 ? NAN : r->v[row * r->ncols + (size_t)c]; }

double e2e_sum_between(const e2e_run *r, const char *name, double t0, double t1)
{
    long c = e2e_col(r, name), t = e2e_col(r, "t_s");
    double s = 0;
    for (size_t i = 0; i < r->nrows; i++) {
        double ts = e2e_at(r, i, t);
        if (ts >= t0 - 1e-9 && ts < t1 - 1e-9 && !isnan(e2e_at(r, i, c))) s += e2e_at(r, i, c);
    }
    return s;
}

int e2e_run_scenario(e2e_run *r, const char *scenario, const char *extra)
{
    memset(r, 0, sizeof *r);
    r->dir = tests_mkdtemp();
    if (!r->dir) return -1;
    char *cmd = NULL;
    if (asprintf(&cmd, "%s run %s -q --no-report --out %s/o %s", tests_cdnsim_bin(), scenario, r->dir,
                 extra ? extra : "") < 0)
        return -1;
    char *err = NULL;
    int rc = tests_run(cmd, NULL, &err);
    if (rc != 0) tests_fail(__FILE__, __LINE__, "%s: exit %d: %s", cmd, rc, err ? err : "");
    free(cmd);
    free(err);
    if (rc != 0) return -1;
    char sub[4200];
    snprintf(sub, sizeof sub, "%s/o", r->dir);
    char *s = e2e_read_in(sub, "summary.json"), *ts = e2e_read_in(sub, "timeseries.csv");
    r->events = e2e_read_in(sub, "events.csv");
    r->summary = s ? cJSON_Parse(s) : NULL;
    free(s);
    int bad = !r->summary || !ts || !r->events || parse_ts(r, ts) != 0;
    free(ts);
    if (bad) tests_fail(__FILE__, __LINE__, "%s: missing or unreadable output", scenario);
    return bad ? -1 : 0;
}

double e2e_num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (cJSON_IsNumber(v)) return v->valuedouble;
    if (cJSON_IsRaw(v) && v->valuestring) return strtod(v->valuestring, NULL);
    return NAN;
}
