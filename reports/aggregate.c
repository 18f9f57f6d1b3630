/* reports/aggregate.c - means and confidence intervals over replications. */
#include "reports/aggregate.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "reports/csv.h"
#include "reports/rbuf.h"
#include "reports/rjson.h"
#include "reports/rstat.h"
#include "sim/errors.h"

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

/* Means and half-widths are written with 10 significant digits: more would
 * only print the noise of floating-point summation. */
static double round_sig(double v)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.10g", v);
    return strtod(buf, NULL);
}

/* Builds the aggregate of the objects at the same place in every replication:
 * tmpl is replication 0's node, peers[i] replication i's (NULL if absent). */
static cJSON *agg_object(const cJSON *const *peers, size_t n, double *vals, int top)
{
    const cJSON *tmpl = peers[0];
    cJSON *out = cJSON_CreateObject();
    if (!out) return NULL;
    const cJSON **sub = calloc(n, sizeof *sub);
    if (!sub) goto oom;
    for (const cJSON *c = tmpl->child; c; c = c->next) {
        const char *k = c->string;
        if (!k) continue;
        /* A summary that is itself aggregated keeps no stale intervals. */
        if (ends_with(k, "_ci") || (top && !strcmp(k, "replications"))) continue;
        for (size_t i = 0; i < n; i++)
            sub[i] = peers[i] ? cJSON_GetObjectItemCaseSensitive(peers[i], k) : NULL;
        cJSON *item = NULL;
        if (cJSON_IsNumber(c) && !(top && (!strcmp(k, "seed") || !strcmp(k, "schema")))) {
            size_t m = 0;
            for (size_t i = 0; i < n; i++)
                if (cJSON_IsNumber(sub[i]) && isfinite(sub[i]->valuedouble)) vals[m++] = sub[i]->valuedouble;
            double mean = m ? reports_mean(vals, m) : c->valuedouble;
            double half = reports_ci_half(vals, m, REPORTS_CONFIDENCE);
            item = cJSON_CreateNumber(round_sig(mean));
            if (!item) goto oom;
            if (!cJSON_AddItemToObject(out, k, item)) {
                cJSON_Delete(item);
                goto oom;
            }
            char *ck = malloc(strlen(k) + 4);
            if (!ck) goto oom;
            sprintf(ck, "%s_ci", k);
            cJSON *ci = isfinite(half) ? cJSON_CreateNumber(round_sig(half)) : cJSON_CreateNull();
            int ok = ci && cJSON_AddItemToObject(out, ck, ci);
            free(ck);
            if (!ok) {
                cJSON_Delete(ci);
                goto oom;
            }
            continue;
        }
        if (cJSON_IsBool(c)) {
            int any = 0;
            for (size_t i = 0; i < n; i++) any |= cJSON_IsTrue(sub[i]);
            item = cJSON_CreateBool(any);
        } else if (cJSON_IsObject(c)) {
            item = agg_object(sub, n, vals, 0);
        } else {
            item = cJSON_Duplicate(c, 1);
        }
        if (!item) goto oom;
        if (!cJSON_AddItemToObject(out, k, item)) {
            cJSON_Delete(item);
            goto oom;
        }
    }
    free(sub);
    return out;
oom:
    free(sub);
    cJSON_Delete(out);
    return NULL;
}

cJSON *reports_aggregate_summaries(const cJSON *const *reps, size_t n, uint64_t base_seed,
                                   const uint64_t *seeds, const char *const *dirs)
{
    if (n == 0) return NULL;
    double *vals = malloc(n * sizeof *vals);
    if (!vals) return NULL;
    cJSON *out = agg_object(reps, n, vals, 1);
    free(vals);
    if (!out) return NULL;
    /* The base seed, exact when it fits a double (it is written by the run). */
    cJSON *seed = cJSON_GetObjectItemCaseSensitive(out, "seed");
    if (seed && cJSON_IsNumber(seed) && base_seed < (1ULL << 53)) cJSON_SetNumberValue(seed, (double)base_seed);
    cJSON *r = cJSON_CreateObject();
    if (!r || !cJSON_AddItemToObject(out, "replications", r)) {
        cJSON_Delete(r);
        cJSON_Delete(out);
        return NULL;
    }
    cJSON_AddNumberToObject(r, "count", (double)n);
    cJSON_AddNumberToObject(r, "confidence", REPORTS_CONFIDENCE);
    if (seeds) {
        cJSON *a = cJSON_AddArrayToObject(r, "seeds");
        for (size_t i = 0; a && i < n; i++) {
            char buf[32];
            snprintf(buf, sizeof buf, "%" PRIu64, seeds[i]);
            cJSON_AddItemToArray(a, cJSON_CreateString(buf));
        }
    }
    if (dirs) {
        cJSON *a = cJSON_AddArrayToObject(r, "dirs");
        for (size_t i = 0; a && i < n; i++) cJSON_AddItemToArray(a, cJSON_CreateString(dirs[i]));
    }
    return out;
}

/* Per-cell mean of a CSV file over the replications, by column name. */
static int agg_csv(const char *outdir, const char *const *dirs, size_t n, const char *file, char *err,
                   size_t errlen)
{
    char path[4096];
    size_t have = 0;
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", dirs[i], file);
        have += reports_file_exists(path);
    }
    if (have == 0) return 0;
    if (have != n) {
        snprintf(err, errlen, "%s: %s is missing in some replications but not all", outdir, file);
        return SIM_ENOENT;
    }
    reports_csv *c = calloc(n, sizeof *c);
    double *vals = malloc(n * sizeof *vals);
    int rc = (c && vals) ? 0 : SIM_ENOMEM;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", dirs[i], file);
        rc = reports_csv_load(path, &c[i], err, errlen);
    }
    if (rc == 0) {
        size_t rows = c[0].nrows;
        for (size_t i = 1; i < n; i++)
            if (c[i].nrows < rows) rows = c[i].nrows;
        int *map = malloc((c[0].ncols * n + 1) * sizeof *map);
        rbuf b;
        rbuf_init(&b);
        if (!map) rc = SIM_ENOMEM;
        for (size_t j = 0; rc == 0 && j < c[0].ncols; j++) {
            rbuf_puts(&b, j ? "," : "");
            reports_csv_field(&b, c[0].header[j]);
            for (size_t i = 0; i < n; i++) map[j * n + i] = reports_csv_col(&c[i], c[0].header[j]);
        }
        rbuf_puts(&b, "\n");
        for (size_t r = 0; rc == 0 && r < rows; r++) {
            for (size_t j = 0; j < c[0].ncols; j++) {
                size_t m = 0;
                for (size_t i = 0; i < n; i++) {
                    if (map[j * n + i] < 0) continue;
                    double v = reports_csv_num(&c[i], r, (size_t)map[j * n + i]);
                    if (!isnan(v)) vals[m++] = v;
                }
                if (j) rbuf_puts(&b, ",");
                if (m) rbuf_printf(&b, "%.10g", reports_mean(vals, m));
                else reports_csv_field(&b, reports_csv_cell(&c[0], r, j));
            }
            rbuf_puts(&b, "\n");
        }
        if (rc == 0 && b.oom) rc = SIM_ENOMEM;
        if (rc == 0) {
            snprintf(path, sizeof path, "%s/%s", outdir, file);
            rc = reports_write_file(path, rbuf_str(&b), b.n);
            if (rc < 0) snprintf(err, errlen, "%s: cannot write", path);
        }
        rbuf_free(&b);
        free(map);
    }
    if (rc == SIM_ENOMEM) snprintf(err, errlen, "%s: out of memory aggregating %s", outdir, file);
    for (size_t i = 0; c && i < n; i++) reports_csv_free(&c[i]);
    free(c);
    free(vals);
    return rc;
}

static int copy_file(const char *from, const char *to)
{
    size_t len = 0;
    char *data = reports_read_file(from, &len);
    if (!data) return SIM_EIO;
    int rc = reports_write_file(to, data, len);
    free(data);
    return rc;
}

int reports_aggregate_dirs(const char *outdir, const char *const *rep_dirs, size_t n, uint64_t base_seed,
                           const uint64_t *seeds, char *err, size_t errlen)
{
    if (n == 0) {
        snprintf(err, errlen, "%s: no replications to aggregate", outdir);
        return SIM_EINVAL;
    }
    cJSON **sums = calloc(n, sizeof *sums);
    const char **rel = calloc(n, sizeof *rel);
    if (!sums || !rel) {
        free(sums);
        free(rel);
        snprintf(err, errlen, "out of memory");
        return SIM_ENOMEM;
    }
    int rc = 0;
    char path[4096];
    size_t olen = strlen(outdir);
    for (size_t i = 0; i < n && rc == 0; i++) {
        snprintf(path, sizeof path, "%s/summary.json", rep_dirs[i]);
        rc = reports_json_load(path, &sums[i], err, errlen);
        rel[i] = rep_dirs[i];
        if (!strncmp(rep_dirs[i], outdir, olen) && rep_dirs[i][olen] == '/') rel[i] = rep_dirs[i] + olen + 1;
    }
    if (rc == 0) {
        cJSON *agg = reports_aggregate_summaries((const cJSON *const *)sums, n, base_seed, seeds, rel);
        if (!agg) {
            rc = SIM_ENOMEM;
            snprintf(err, errlen, "out of memory");
        } else {
            snprintf(path, sizeof path, "%s/summary.json", outdir);
            rc = reports_json_save(path, agg);
            if (rc < 0) snprintf(err, errlen, "%s: cannot write", path);
            cJSON_Delete(agg);
        }
    }
    for (size_t i = 0; i < n; i++) cJSON_Delete(sums[i]);
    free(sums);
    free(rel);
    if (rc == 0) rc = agg_csv(outdir, rep_dirs, n, "timeseries.csv", err, errlen);
    if (rc == 0) rc = agg_csv(outdir, rep_dirs, n, "latency.csv", err, errlen);
    if (rc == 0) {
        snprintf(path, sizeof path, "%s/events.csv", rep_dirs[0]);
        if (reports_file_exists(path)) {
            char to[4096];
            snprintf(to, sizeof to, "%s/events.csv", outdir);
            rc = copy_file(path, to);
            if (rc < 0) snprintf(err, errlen, "%s: cannot copy to %s", path, to);
        }
    }
    return rc;
}
