/* reports/metrics.c - flattening a summary into named numbers. */
#include "reports/metrics.h"

#include <stdlib.h>
#include <string.h>

#include "reports/rbuf.h"
#include "reports/rjson.h"
#include "sim/errors.h"

void reports_metrics_init(reports_metrics *m)
{
    memset(m, 0, sizeof *m);
}

void reports_metrics_free(reports_metrics *m)
{
    for (size_t i = 0; i < m->n; i++) free(m->v[i].name);
    free(m->v);
    memset(m, 0, sizeof *m);
}

static int push(reports_metrics *m, const char *name, double v)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        reports_metric *nv = realloc(m->v, cap * sizeof *nv);
        if (!nv) return SIM_ENOMEM;
        m->v = nv;
        m->cap = cap;
    }
    char *s = strdup(name);
    if (!s) return SIM_ENOMEM;
    m->v[m->n].name = s;
    m->v[m->n].value = v;
    m->n++;
    return 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

static int walk(const cJSON *obj, rbuf *path, reports_metrics *m)
{
    for (const cJSON *c = obj->child; c; c = c->next) {
        if (!c->string) continue;
        if (ends_with(c->string, "_ci")) continue;
        if (path->n == 0 && !strcmp(c->string, "replications")) continue;
        size_t keep = path->n;
        if (keep) rbuf_puts(path, ".");
        rbuf_puts(path, c->string);
        if (path->oom) return SIM_ENOMEM;
        int rc = 0;
        if (cJSON_IsNumber(c))
            rc = push(m, rbuf_str(path), c->valuedouble);
        else if (cJSON_IsObject(c))
            rc = walk(c, path, m);
        path->n = keep;
        if (path->s) path->s[keep] = '\0';
        if (rc < 0) return rc;
    }
    return 0;
}

int reports_metrics_from_summary(const cJSON *summary, reports_metrics *m)
{
    rbuf path;
    rbuf_init(&path);
    int rc = walk(summary, &path, m);
    rbuf_free(&path);
    if (rc < 0) return rc;
    double ok = reports_json_num(summary, "requests.completed", -1);
    double bad = reports_json_num(summary, "requests.failed", 0) +
                 reports_json_num(summary, "requests.timed_out", 0) +
                 reports_json_num(summary, "requests.rejected", 0);
    if (ok >= 0 && ok + bad > 0 && !reports_metrics_find(m, "availability"))
        rc = push(m, "availability", ok / (ok + bad));
    return rc;
}

const reports_metric *reports_metrics_find(const reports_metrics *m, const char *name)
{
    for (size_t i = 0; i < m->n; i++)
        if (!strcmp(m->v[i].name, name)) return &m->v[i];
    return NULL;
}

int reports_metric_direction(const char *name)
{
    const char *last = strrchr(name, '.');
    last = last ? last + 1 : name;
    if (!strncmp(name, "latency_ms.", 11) || strstr(name, ".latency_ms.")) return -1;
    static const char *const lower[] = { "failed", "timed_out", "rejected", "utilization", "mean_queue", NULL };
    static const char *const higher[] = { "throughput_rps", "hit_ratio", "byte_hit_ratio", "availability", NULL };
    for (int i = 0; lower[i]; i++)
        if (!strcmp(last, lower[i])) return -1;
    for (int i = 0; higher[i]; i++)
        if (!strcmp(last, higher[i])) return +1;
    if (!strcmp(name, "requests.completed") || strstr(name, ".requests.completed")) return +1;
    return 0;
}
