/* app/world.c - building a world from a scenario, running it, writing it. */
#include "app/world.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/faultrun.h"
#include "app/progress.h"
#include "app/summary.h"
#include "models/cache/cache.h"
#include "models/client.h"
#include "models/dns.h"
#include "models/registry.h"
#include "models/station.h"
#include "sim/errors.h"

void world_opts_init(world_opts *o)
{
    memset(o, 0, sizeof *o);
    o->progress = WORLD_PROGRESS_AUTO;
    o->handle_sigint = true;
    o->log = stdout;
}

/* ---- the report section -------------------------------------------------- */

typedef struct report_conf {
    sim_time_t window;
} report_conf;

static const conf_field report_fields[] = {
    { "window", CONF_DURATION, offsetof(report_conf, window), "\"1s\"",
      "width of one row of timeseries.csv", 0, 0, NULL, NULL },
    { NULL, 0, 0, NULL, NULL, 0, 0, NULL, NULL },
};

const conf_field *world_report_fields(void) { return report_fields; }

/* ---- callbacks from the models ------------------------------------------- */

/* ---- tracing (--trace-sample) ---------------------------------------------- */

static void trace_start(world *w, request *r)
{
    if (w->ntraces == w->cap_traces) {
        size_t nc = w->cap_traces ? w->cap_traces * 2 : 64;
        trace_rec *nt = realloc(w->traces, nc * sizeof *nt);
        if (!nt) return; /* tracing is best effort: the run goes on */
        w->traces = nt;
        w->cap_traces = nc;
    }
    trace_rec *t = &w->traces[w->ntraces++];
    memset(t, 0, sizeof *t);
    t->id = r->id;
    t->object = r->object;
    t->size = r->size;
    t->issued = r->issued;
    r->trace = (uint32_t)w->ntraces;
}

static void on_trace(comp_env *env, request *r, const component *c, const char *what)
{
    world *w = env->world;
    if (r->trace == 0 || r->trace > w->ntraces) return;
    trace_rec *t = &w->traces[r->trace - 1];
    if (t->n == t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 16;
        trace_hop *nh = realloc(t->hops, nc * sizeof *nh);
        if (!nh) return;
        t->hops = nh;
        t->cap = nc;
    }
    trace_hop *h = &t->hops[t->n++];
    h->comp = (uint32_t)c->index;
    h->what = what;
    h->t = env->eng->now;
    h->wait = h->service = -1;
    if (r->st_owner == c && (!strcmp(what, "forward") || !strcmp(what, "respond"))) {
        h->wait = r->st_wait;
        h->service = r->st_service;
        r->st_owner = NULL;
    }
}

static void trace_finish(world *w, request *r)
{
    if (r->trace == 0 || r->trace > w->ntraces) return;
    trace_rec *t = &w->traces[r->trace - 1];
    t->finished = true;
    t->done = w->eng.now;
    t->status = r->status;
    t->flags = r->flags;
    t->retries = r->retries;
    r->trace = 0;
}

static int write_traces(const world *w, FILE *f)
{
    for (size_t i = 0; i < w->ntraces; i++) {
        const trace_rec *t = &w->traces[i];
        cJSON *o = cJSON_CreateObject();
        if (!o) return SIM_ENOMEM;
        comp_json_num(o, "id", (double)t->id, "%.0f");
        comp_json_num(o, "object", (double)t->object, "%.0f");
        comp_json_num(o, "size", (double)t->size, "%.0f");
        comp_json_num(o, "issued_s", sim_time_to_s(t->issued), "%.9f");
        cJSON_AddStringToObject(o, "status", t->finished ? req_status_names[t->status] : "unanswered");
        cJSON_AddBoolToObject(o, "hit", (t->flags & REQ_F_HIT) != 0);
        comp_json_num(o, "retries", (double)t->retries, "%.0f");
        if (t->finished) comp_json_num(o, "latency_ms", sim_time_to_ms(t->done - t->issued), "%.6f");
        else cJSON_AddNullToObject(o, "latency_ms");
        cJSON *hops = cJSON_AddArrayToObject(o, "hops");
        for (size_t k = 0; hops && k < t->n; k++) {
            const trace_hop *h = &t->hops[k];
            cJSON *ho = cJSON_CreateObject();
            if (!ho) break;
            cJSON_AddStringToObject(ho, "c", w->comps[h->comp]->id);
            cJSON_AddStringToObject(ho, "do", h->what);
            comp_json_num(ho, "t_ms", sim_time_to_ms(h->t - t->issued), "%.6f");
            if (h->wait >= 0) {
                comp_json_num(ho, "wait_ms", sim_time_to_ms(h->wait), "%.6f");
                comp_json_num(ho, "service_ms", sim_time_to_ms(h->service), "%.6f");
            }
            cJSON_AddItemToArray(hops, ho);
        }
        char *line = cJSON_PrintUnformatted(o);
        cJSON_Delete(o);
        if (!line) return SIM_ENOMEM;
        fprintf(f, "%s\n", line);
        free(line);
    }
    return 0;
}

static void on_issued(comp_env *env, request *r)
{
    world *w = env->world;
    if (w->trace_every && r->id % w->trace_every == 0) trace_start(w, r);
    w->w_offered++;
    if (r->flags & REQ_F_MEASURED) {
        w->all.issued++;
        w->by_op[r->op].issued++;
    }
}

static void count_status(world_stats *s, request *r, sim_time_t lat)
{
    switch (r->status) {
    case REQ_OK: s->completed++; sim_hist_record(&s->latency, lat); break;
    case REQ_FAILED: s->failed++; break;
    case REQ_TIMED_OUT: s->timed_out++; break;
    case REQ_REJECTED: s->rejected++; break;
    default: break;
    }
}

static void on_completed(comp_env *env, request *r)
{
    world *w = env->world;
    sim_time_t lat = env->eng->now - r->issued;
    if (r->status == REQ_PENDING) r->status = REQ_OK;
    if (r->trace) trace_finish(w, r);
    switch (r->status) {
    case REQ_OK: w->w_completed++; sim_hist_record(&w->w_latency, lat); break;
    case REQ_FAILED: w->w_failed++; break;
    case REQ_TIMED_OUT: w->w_timed_out++; break;
    case REQ_REJECTED: w->w_rejected++; break;
    default: break;
    }
    if (r->flags & REQ_F_MEASURED) {
        count_status(&w->all, r, lat);
        count_status(&w->by_op[r->op], r, lat);
    }
}

void world_event(world *w, const char *event, const char *target, const char *detail)
{
    if (w->nevents == w->cap_events) {
        size_t nc = w->cap_events ? w->cap_events * 2 : 16;
        char **ne = realloc(w->events, nc * sizeof *ne);
        if (!ne) return;
        w->events = ne;
        w->cap_events = nc;
    }
    /* detail is quoted for CSV: double any quote */
    char det[512];
    size_t k = 0;
    for (const char *p = detail ? detail : ""; *p && k + 2 < sizeof det; p++) {
        if (*p == '"') det[k++] = '"';
        det[k++] = *p == '\n' ? ' ' : *p;
    }
    det[k] = 0;
    char *line = NULL;
    if (asprintf(&line, "%.6f,%s,%s,\"%s\"", sim_time_to_s(w->eng.now), event, target ? target : "", det) < 0) return;
    w->events[w->nevents++] = line;
}

static void on_event(comp_env *env, const char *event, const component *target, const char *detail)
{
    world_event(env->world, event, target ? target->id : "", detail);
    fault_run_note(env->world, event, target);
}

static bool known_id(comp_env *env, const char *id)
{
    world *w = env->world;
    if (scenario_resolve(&w->scn, id, NULL, 0) > 0) return true;
    return w->scn.workload && cJSON_GetObjectItemCaseSensitive(w->scn.workload, id) != NULL;
}

/* ---- building -------------------------------------------------------------- */

static int add_comp(world *w, component *c)
{
    component **nc = realloc(w->comps, (w->ncomps + 1) * sizeof *nc);
    if (!nc) return SIM_ENOMEM;
    w->comps = nc;
    c->index = w->ncomps;
    w->comps[w->ncomps++] = c;
    w->env.comps = w->comps;
    w->env.ncomps = w->ncomps;
    return 0;
}

static int region_of(world *w, const char *name, const cJSON *node, const char *jpath, conf_errors *errs)
{
    if (!name || !*name) return 0; /* no region: the first one */
    int r = net_region(&w->net, name);
    if (r >= 0) return r;
    const cJSON *at = node ? cJSON_GetObjectItemCaseSensitive(node, "region") : NULL;
    const char *sug = conf_did_you_mean(name, (const char *const *)w->net.names, w->net.n);
    char jp[512];
    snprintf(jp, sizeof jp, "%s.region", jpath);
    if (!w->scn.regions)
        conf_error_at(errs, &w->scn.doc, at ? at : node, jp,
                      "unknown region \"%s\": the scenario has no `regions` section (add \"regions\": {\"%s\": {}})",
                      name, name);
    else
        conf_error_at(errs, &w->scn.doc, at ? at : node, jp, "unknown region \"%s\"%s%s%s", name,
                      sug ? " (did you mean \"" : "", sug ? sug : "", sug ? "\"?)" : "");
    return -1;
}

/* The ref field of `from` that names `to` (for locating cycle errors). */
static const char *ref_key_to(const component *from, const component *to)
{
    for (const conf_field *f = from->kind->fields; f->key; f++) {
        if (f->type == CONF_REF) {
            const char *v = *(char **)((char *)from->conf + f->offset);
            if (v && (!strcmp(v, to->id) || (to->group && !strcmp(v, to->group)))) return f->key;
        } else if (f->type == CONF_REFLIST) {
            const conf_strlist *l = (const conf_strlist *)((char *)from->conf + f->offset);
            for (size_t i = 0; i < l->n; i++)
                if (!strcmp(l->v[i], to->id) || (to->group && !strcmp(l->v[i], to->group))) return f->key;
        }
    }
    return NULL;
}

/* Depth-first search; colour 0 white, 1 on the stack, 2 done. */
static int find_cycles(world *w, component *c, int *colour, component **stack, size_t depth, conf_errors *errs)
{
    colour[c->index] = 1;
    stack[depth] = c;
    int rc = 0;
    for (size_t i = 0; i < c->nlinks; i++) {
        component *t = c->links[i];
        if (colour[t->index] == 1) {
            char msg[1024] = "";
            size_t start = 0;
            while (stack[start] != t) start++;
            for (size_t k = start; k <= depth; k++) {
                strncat(msg, stack[k]->id, sizeof msg - strlen(msg) - 1);
                strncat(msg, " -> ", sizeof msg - strlen(msg) - 1);
            }
            strncat(msg, t->id, sizeof msg - strlen(msg) - 1);
            const char *key = ref_key_to(c, t);
            char jp[512];
            snprintf(jp, sizeof jp, "%s%s%s", c->jpath, key ? "." : "", key ? key : "");
            const cJSON *at = key && c->node ? cJSON_GetObjectItemCaseSensitive(c->node, key) : NULL;
            conf_error_at(errs, &w->scn.doc, at ? at : c->node, jp,
                          "cycle in the component graph: %s (requests would loop forever)", msg);
            rc = SIM_EPARSE;
        } else if (colour[t->index] == 0) {
            if (find_cycles(w, t, colour, stack, depth + 1, errs) != 0) rc = SIM_EPARSE;
        }
    }
    colour[c->index] = 2;
    return rc;
}

static const char *const workload_keys[] = { "region", NULL };

static int build_workload(world *w, conf_errors *errs)
{
    const cJSON *wl = w->scn.workload;
    if (!wl) return 0;
    int rc = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, wl) {
        char jp[512];
        snprintf(jp, sizeof jp, "workload.%s", it->string);
        char buf[128];
        if (!cJSON_IsObject(it)) {
            conf_error_at(errs, &w->scn.doc, it, jp,
                          "expected a client population object {region, rate, to, ...}, found %s",
                          conf_found(it, buf, sizeof buf));
            rc = SIM_EPARSE;
            continue;
        }
        if (comp_find(&w->env, it->string)) {
            conf_error_at(errs, &w->scn.doc, it, jp, "id \"%s\" is already used by a component", it->string);
            rc = SIM_EPARSE;
            continue;
        }
        const cJSON *reg = cJSON_GetObjectItemCaseSensitive(it, "region");
        if (reg && !cJSON_IsString(reg)) {
            char rp[600];
            snprintf(rp, sizeof rp, "%s.region", jp);
            conf_error_at(errs, &w->scn.doc, reg, rp, "expected a region name, found %s", conf_found(reg, buf, sizeof buf));
            rc = SIM_EPARSE;
            continue;
        }
        int region = region_of(w, reg ? reg->valuestring : NULL, it, jp, errs);
        if (region < 0) {
            rc = SIM_EPARSE;
            continue;
        }
        component *c;
        int r = comp_create(&client_kind, it->string, NULL, region, it, jp, workload_keys, &w->env, &c, errs);
        if (r == SIM_ENOMEM) return r;
        if (r != 0) {
            rc = SIM_EPARSE;
            continue;
        }
        if (add_comp(w, c) != 0) {
            comp_free(c);
            return SIM_ENOMEM;
        }
    }
    return rc;
}

int world_load(world *w, const char *path, const world_opts *o, conf_errors *errs)
{
    memset(w, 0, sizeof *w);
    sim_engine_init(&w->eng);
    req_pool_init(&w->reqs);
    ts_init(&w->ts);
    if (sim_hist_init(&w->all.latency) != 0 || sim_hist_init(&w->w_latency) != 0) return SIM_ENOMEM;
    for (int i = 0; i < REQ_NOPS; i++)
        if (sim_hist_init(&w->by_op[i].latency) != 0) return SIM_ENOMEM;
    int rc = scenario_load(&w->scn, path, o->sets, o->nsets, errs);
    if (rc == SIM_ENOENT) return rc;
    int bad = rc != 0;
    if (!w->scn.doc.root) return rc ? rc : SIM_EPARSE;
    w->seed = o->has_seed ? o->seed : w->scn.seed;

    size_t nk;
    const char *const *kinds = comp_kind_names(&nk);
    if (scenario_check_kinds(&w->scn, kinds, errs) != 0) bad = 1;

    rc = net_init_json(&w->net, &w->scn.doc, w->scn.regions, w->scn.network, errs);
    if (rc == SIM_ENOMEM) return rc;
    if (rc != 0) bad = 1; /* go on: the region names are known, components can still be checked */
    if (w->net.n == 0 || !w->net.names || !w->net.names[0]) return SIM_EPARSE;

    report_conf rcf;
    memset(&rcf, 0, sizeof rcf);
    if (conf_read_fields(&w->scn.doc, w->scn.report, "report", report_fields, NULL, &rcf, errs) != 0) bad = 1;
    else if (rcf.window <= 0) {
        conf_error_at(errs, &w->scn.doc, w->scn.report, "report.window", "expected a window above 0");
        bad = 1;
    }
    w->window = rcf.window > 0 ? rcf.window : SIM_S;
    conf_free_fields(report_fields, &rcf);


    w->env.eng = &w->eng;
    w->env.net = &w->net;
    w->env.reqs = &w->reqs;
    w->env.seed = w->seed;
    w->env.warmup = w->scn.warmup;
    w->env.end = w->scn.duration;
    w->env.doc = &w->scn.doc;
    w->env.issued = on_issued;
    w->env.completed = on_completed;
    w->env.event = on_event;
    w->env.known_id = known_id;
    w->trace_every = o->trace_sample;
    if (w->trace_every) w->env.trace = on_trace;
    w->env.world = w;

    for (size_t i = 0; i < w->scn.ncomps; i++) {
        const scn_component *sc = &w->scn.comps[i];
        const comp_kind *k = sc->kind ? comp_kind_find(sc->kind) : NULL;
        if (!k) {
            bad = 1; /* reported by scenario_check_kinds */
            continue;
        }
        int region = region_of(w, sc->region, sc->node, sc->jpath, errs);
        if (region < 0) {
            bad = 1;
            continue;
        }
        component *c;
        rc = comp_create(k, sc->id, sc->group, region, sc->node, sc->jpath, scenario_component_keys, &w->env, &c,
                         errs);
        if (rc == SIM_ENOMEM) return rc;
        if (rc != 0) {
            bad = 1;
            continue;
        }
        if (add_comp(w, c) != 0) {
            comp_free(c);
            return SIM_ENOMEM;
        }
    }
    rc = build_workload(w, errs);
    if (rc == SIM_ENOMEM) return rc;
    if (rc) bad = 1;

    for (size_t i = 0; i < w->ncomps; i++) {
        component *c = w->comps[i];
        if (c->kind->ops->link && (rc = c->kind->ops->link(c, errs)) != 0) {
            if (rc == SIM_ENOMEM) return rc;
            bad = 1;
        }
    }
    /* the fault timeline needs the built components (ids, groups, regions) */
    if (!bad && (rc = fault_run_load(w, errs)) != 0) {
        if (rc == SIM_ENOMEM) return rc;
        bad = 1;
    }
    if (!bad) {
        int *colour = calloc(w->ncomps ? w->ncomps : 1, sizeof *colour);
        component **stack = calloc(w->ncomps + 1, sizeof *stack);
        if (!colour || !stack) {
            free(colour);
            free(stack);
            return SIM_ENOMEM;
        }
        for (size_t i = 0; i < w->ncomps; i++)
            if (colour[i] == 0 && find_cycles(w, w->comps[i], colour, stack, 0, errs) != 0) bad = 1;
        free(colour);
        free(stack);
    }
    if (!bad) {
        bool any_source = false;
        for (size_t i = 0; i < w->ncomps; i++)
            if (w->comps[i]->kind->flags & COMP_KIND_SOURCE) any_source = true;
        if (!any_source) {
            conf_error_at(errs, &w->scn.doc, w->scn.doc.root, "components",
                          "no client: add a component of kind \"client\" (or a `workload` population) to issue requests");
            bad = 1;
        }
    }
    return bad ? SIM_EPARSE : 0;
}

void world_free(world *w)
{
    fault_run_free(w);
    for (size_t i = 0; i < w->ncomps; i++) comp_free(w->comps[i]);
    free(w->comps);
    w->comps = NULL;
    w->ncomps = 0;
    sim_engine_free(&w->eng);
    req_pool_free(&w->reqs);
    net_free(&w->net);
    scenario_free(&w->scn);
    sim_hist_free(&w->all.latency);
    sim_hist_free(&w->w_latency);
    for (int i = 0; i < REQ_NOPS; i++) sim_hist_free(&w->by_op[i].latency);
    ts_free(&w->ts);
    for (size_t i = 0; i < w->ntraces; i++) free(w->traces[i].hops);
    free(w->traces);
    w->traces = NULL;
    w->ntraces = 0;
    for (size_t i = 0; i < w->nevents; i++) free(w->events[i]);
    free(w->events);
    w->events = NULL;
    w->nevents = 0;
}

/* ---- running --------------------------------------------------------------- */

static void ev_warmup(sim_engine *eng, sim_event *ev)
{
    (void)eng;
    world *w = ev->target;
    for (size_t i = 0; i < w->ncomps; i++) comp_reset_stats(w->comps[i]);
}

static int ts_columns(world *w)
{
    static const char *const base[] = { "t_s", "offered", "completed", "failed", "timed_out", "rejected", "p50_ms",
                                        "p99_ms" };
    for (size_t i = 0; i < sizeof base / sizeof *base; i++)
        if (ts_add_col(&w->ts, base[i]) != 0) return SIM_ENOMEM;
    char name[512];
    for (size_t i = 0; i < w->ncomps; i++)
        if (w->comps[i]->cache) {
            snprintf(name, sizeof name, "hit_ratio:%s", w->comps[i]->id);
            if (ts_add_col(&w->ts, name) != 0) return SIM_ENOMEM;
        }
    for (size_t i = 0; i < w->ncomps; i++)
        if (w->comps[i]->st) {
            snprintf(name, sizeof name, "util:%s", w->comps[i]->id);
            if (ts_add_col(&w->ts, name) != 0) return SIM_ENOMEM;
            snprintf(name, sizeof name, "queue:%s", w->comps[i]->id);
            if (ts_add_col(&w->ts, name) != 0) return SIM_ENOMEM;
        }
    return 0;
}

/* Closes the window [w_start, now): one row of timeseries.csv. */
static void close_window(world *w)
{
    double *row = calloc(w->ts.ncols, sizeof *row);
    if (!row) {
        w->eng.error = SIM_ENOMEM;
        return;
    }
    size_t k = 0;
    row[k++] = sim_time_to_s(w->w_start);
    row[k++] = (double)w->w_offered;
    row[k++] = (double)w->w_completed;
    row[k++] = (double)w->w_failed;
    row[k++] = (double)w->w_timed_out;
    row[k++] = (double)w->w_rejected;
    row[k++] = w->w_latency.count ? sim_hist_quantile(&w->w_latency, 0.5) / 1e6 : NAN;
    row[k++] = w->w_latency.count ? sim_hist_quantile(&w->w_latency, 0.99) / 1e6 : NAN;
    for (size_t i = 0; i < w->ncomps; i++) {
        component *c = w->comps[i];
        if (!c->cache) continue;
        row[k++] = c->win_requests ? (double)c->win_hits / (double)c->win_requests : NAN;
        c->win_requests = c->win_hits = 0;
    }
    for (size_t i = 0; i < w->ncomps; i++) {
        component *c = w->comps[i];
        if (!c->st) continue;
        double u, q;
        station_window(c->st, &u, &q);
        /* rounded so that the CSV does not show float noise */
        row[k++] = round(u * 1e6) / 1e6;
        row[k++] = round(q * 1e6) / 1e6;
    }
    for (size_t i = 6; i < 8; i++)
        if (!isnan(row[i])) row[i] = round(row[i] * 1e4) / 1e4;
    if (ts_add_row(&w->ts, row) != 0) w->eng.error = SIM_ENOMEM;
    free(row);
    w->w_offered = w->w_completed = w->w_failed = w->w_timed_out = w->w_rejected = 0;
    sim_hist_reset(&w->w_latency);
    w->w_start = w->eng.now;
}

static void ev_window(sim_engine *eng, sim_event *ev)
{
    world *w = ev->target;
    close_window(w);
    if (eng->now + w->window <= w->env.end) sim_schedule(eng, w->window, ev_window, w, NULL, 0);
}

static sim_engine *volatile g_running;

static void on_sigint(int sig)
{
    (void)sig;
    if (g_running) sim_stop(g_running);
}

int world_run(world *w, const world_opts *o)
{
    if (ts_columns(w) != 0) return SIM_ENOMEM;
    sim_engine *eng = &w->eng;
    sim_schedule_at(eng, w->scn.warmup, ev_warmup, w, NULL, 0);
    for (size_t i = 0; i < w->ncomps; i++) {
        component *c = w->comps[i];
        if (c->kind->ops->start) {
            int rc = c->kind->ops->start(c);
            if (rc != 0) return rc;
        }
    }
    if (w->window <= w->scn.duration) sim_schedule_at(eng, w->window, ev_window, w, NULL, 0);
    if (fault_run_start(w) != 0) return SIM_ENOMEM;

    progress pr;
    bool show = o->progress != WORLD_PROGRESS_OFF;
    if (show) progress_start(&pr, eng, w->scn.duration, stderr);
    struct sigaction sa, old;
    if (o->handle_sigint) {
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_sigint;
        sa.sa_flags = SA_RESETHAND; /* a second Ctrl-C kills as usual */
        sigemptyset(&sa.sa_mask);
        g_running = eng;
        sigaction(SIGINT, &sa, &old);
    }
    double t0 = progress_now();
    int rc = sim_run(eng, w->scn.duration);
    w->wall_s = progress_now() - t0;
    if (o->handle_sigint) {
        sigaction(SIGINT, &old, NULL);
        g_running = NULL;
    }
    if (show) progress_finish(&pr);
    w->ran = true;
    w->reached = eng->now;
    w->run_error = rc;
    if (rc == SIM_EINTR) {
        w->partial = true;
        world_event(w, "interrupted", "", "run stopped before its end: partial results");
    }
    /* the last, possibly shorter, window */
    if (eng->now > w->w_start || w->ts.nrows == 0) close_window(w);
    if (rc == SIM_EINTR) return rc;
    return rc ? rc : eng->error;
}

/* ---- writing ---------------------------------------------------------------- */

static int mkdir_p(const char *dir)
{
    char buf[4096];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof buf) return SIM_EINVAL;
    memcpy(buf, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] == '/' || buf[i] == 0) {
            char ch = buf[i];
            buf[i] = 0;
            if (mkdir(buf, 0777) != 0 && errno != EEXIST) return SIM_EIO;
            buf[i] = ch;
        }
    }
    return 0;
}

static FILE *open_out(const char *dir, const char *name, char *path, size_t len)
{
    snprintf(path, len, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) fprintf(stderr, "cdnsim: cannot write %s: %s\n", path, strerror(errno));
    return f;
}

static int close_out(FILE *f, const char *path)
{
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        fprintf(stderr, "cdnsim: error writing %s\n", path);
        return SIM_EIO;
    }
    return 0;
}

int world_write(world *w, const char *dir)
{
    if (mkdir_p(dir) != 0) {
        fprintf(stderr, "cdnsim: cannot create directory %s: %s\n", dir, strerror(errno));
        return SIM_EIO;
    }
    char path[4200];
    int rc = 0;
    cJSON *s = world_summary(w);
    char *text = s ? cJSON_Print(s) : NULL;
    cJSON_Delete(s);
    if (!text) return SIM_ENOMEM;
    FILE *f = open_out(dir, "summary.json", path, sizeof path);
    if (!f) {
        free(text);
        return SIM_EIO;
    }
    fputs(text, f);
    fputc('\n', f);
    free(text);
    if (close_out(f, path) != 0) rc = SIM_EIO;

    if (!(f = open_out(dir, "timeseries.csv", path, sizeof path))) return SIM_EIO;
    ts_write_csv(&w->ts, f);
    if (close_out(f, path) != 0) rc = SIM_EIO;

    if (!(f = open_out(dir, "latency.csv", path, sizeof path))) return SIM_EIO;
    summary_write_latency_csv(&w->all.latency, f);
    if (close_out(f, path) != 0) rc = SIM_EIO;

    if (!(f = open_out(dir, "events.csv", path, sizeof path))) return SIM_EIO;
    fputs("t_s,event,target,detail\n", f);
    for (size_t i = 0; i < w->nevents; i++) fprintf(f, "%s\n", w->events[i]);
    if (close_out(f, path) != 0) rc = SIM_EIO;

    if (w->trace_every) {
        if (!(f = open_out(dir, "trace.jsonl", path, sizeof path))) return SIM_EIO;
        if (write_traces(w, f) != 0) rc = SIM_ENOMEM;
        if (close_out(f, path) != 0) rc = SIM_EIO;
    } else {
        /* no trace from an earlier run may pass for this run's */
        snprintf(path, sizeof path, "%s/trace.jsonl", dir);
        if (unlink(path) != 0 && errno != ENOENT) rc = SIM_EIO;
    }
    return rc;
}

const char *world_outdir(const world *w, const world_opts *o, char *buf, size_t len)
{
    if (o->outdir && *o->outdir) {
        snprintf(buf, len, "%s", o->outdir);
        return buf;
    }
    /* The name becomes one path component: no separators, no "..", nothing
     * hidden, so a scenario cannot make a run write outside out/. */
    const char *name = w->scn.name && *w->scn.name ? w->scn.name : "scenario";
    size_t k = (size_t)snprintf(buf, len, "out/%s", name[0] == '.' ? "_" : "");
    for (const char *p = name; *p && k + 1 < len; p++) {
        char ch = *p;
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' ||
                  ch == '_' || ch == '.';
        buf[k++] = ok ? ch : '_';
    }
    if (k < len) buf[k] = 0;
    return buf;
}

int world_run_file(const char *path, const world_opts *o, conf_errors *errs, char *out_dir, size_t out_len)
{
    world w;
    int rc = world_load(&w, path, o, errs);
    if (rc != 0) {
        world_free(&w);
        return rc;
    }
    char dir[4096];
    world_outdir(&w, o, dir, sizeof dir);
    if (out_dir && out_len) snprintf(out_dir, out_len, "%s", dir);
    rc = world_run(&w, o);
    if (rc != 0 && rc != SIM_EINTR) {
        fprintf(stderr, "cdnsim: run failed at simulated time %.3fs: %s\n", sim_time_to_s(w.eng.now), sim_strerror(rc));
        world_free(&w);
        return rc;
    }
    int wrc = world_write(&w, dir);
    if (wrc == 0 && o->log) {
        fprintf(o->log, "%s: %s/summary.json (%s simulated %.1fs in %.2fs wall, %llu events)\n",
                rc == SIM_EINTR ? "interrupted, partial summary" : "summary", dir, w.scn.name,
                sim_time_to_s(w.reached), w.wall_s, (unsigned long long)w.eng.events);
        fflush(o->log);
    }
    world_free(&w);
    return wrc ? wrc : rc;
}

/* ---- show -------------------------------------------------------------------- */

static void label(world *w, component **v, size_t n, char *buf, size_t len)
{
    component *c = v[0];
    bool same_group = true, same_region = true;
    for (size_t i = 1; i < n; i++) {
        if (!v[i]->group || !c->group || strcmp(v[i]->group, c->group)) same_group = false;
        if (v[i]->region != c->region) same_region = false;
    }
    const char *name = n == 1 ? c->id : same_group && c->group ? c->group : c->kind->name;
    size_t k = (size_t)snprintf(buf, len, "%s", name);
    if (k < len && !(c->kind->flags & COMP_KIND_LOCAL) && same_region)
        k += (size_t)snprintf(buf + k, len - k, "[%s]", w->net.names[c->region]);
    if (k < len && n > 1) snprintf(buf + k, len - k, " x%zu", n);
}

static void print_from(world *w, component *c, int client_region, FILE *f, int depth)
{
    if (depth > REQ_PATH_MAX) {
        fputs(" -> ...", f);
        return;
    }
    component *next[256];
    size_t n = 0;
    if (c->kind == &dns_kind) {
        /* geo routing: only the targets this client's region resolves to */
        for (size_t i = 0; i < c->nlinks && n < 256; i++) {
            component *t = dns_target(c, client_region, 0);
            if (t && t->region == c->links[i]->region) next[n++] = c->links[i];
        }
    } else {
        for (size_t i = 0; i < c->nlinks && n < 256; i++) next[n++] = c->links[i];
    }
    if (n == 0) return;
    /* group consecutive links of one kind: alternatives (an lb's backends, a
     * gateway's data nodes) share a kind; steps taken in turn (a gateway's
     * metadata then data node) do not */
    size_t ngroups = 0, starts[256], lens[256];
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && next[i]->kind == next[i - 1]->kind) {
            lens[ngroups - 1]++;
            continue;
        }
        starts[ngroups] = i;
        lens[ngroups++] = 1;
    }
    char buf[512];
    if (ngroups == 1) {
        label(w, next + starts[0], lens[0], buf, sizeof buf);
        fprintf(f, " -> %s", buf);
        print_from(w, next[starts[0]], client_region, f, depth + 1);
        return;
    }
    fputs(" -> {", f);
    for (size_t g = 0; g < ngroups; g++) {
        label(w, next + starts[g], lens[g], buf, sizeof buf);
        fprintf(f, "%s%s", g ? ", " : "", buf);
        print_from(w, next[starts[g]], client_region, f, depth + 1);
    }
    fputs("}", f);
}

void world_print_paths(world *w, FILE *f)
{
    for (size_t i = 0; i < w->ncomps; i++) {
        component *c = w->comps[i];
        if (!(c->kind->flags & COMP_KIND_SOURCE)) continue;
        fprintf(f, "%s[%s]", c->id, w->net.names[c->region]);
        print_from(w, c, c->region, f, 0);
        fputc('\n', f);
    }
}

/* A reference as `show` prints it: `show` expands counts, so a group name
 * would no longer name anything in its output; each name becomes the ids of
 * the members it stands for (a one-member group: that member's id). */
static cJSON *resolved_refs(const scenario *scn, const cJSON *v, bool list)
{
    cJSON *out = list ? cJSON_CreateArray() : NULL;
    size_t idx[256];
    if (!list) {
        if (!cJSON_IsString(v) || !*v->valuestring) return NULL;
        if (scenario_resolve(scn, v->valuestring, idx, 1) != 1) return NULL;
        return cJSON_CreateString(scn->comps[idx[0]].id);
    }
    if (!out) return NULL;
    const cJSON *it;
    cJSON_ArrayForEach(it, v) {
        size_t n = cJSON_IsString(it) ? scenario_resolve(scn, it->valuestring, idx, 256) : 0;
        if (n == 0 || n > 256) { /* dangling or huge: leave the name as written */
            cJSON_AddItemToArray(out, cJSON_Duplicate(it, 1));
            continue;
        }
        for (size_t k = 0; k < n; k++) cJSON_AddItemToArray(out, cJSON_CreateString(scn->comps[idx[k]].id));
    }
    return out;
}

/* One component as the scenario language writes it, every parameter filled
 * in, so that `show`'s output parses back to the same world: parameters
 * whose default is "absent" (null) are left out, since a JSON null is not a
 * value a scenario may write, and references name members, not groups. */
static cJSON *effective_comp(const scenario *scn, const component *c, const char *region)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddStringToObject(o, "id", c->id);
    cJSON_AddStringToObject(o, "kind", c->kind->name);
    cJSON_AddStringToObject(o, "region", region);
    cJSON *params = conf_fields_to_json(c->kind->fields, c->conf);
    if (params) {
        cJSON *it = params->child;
        while (it) {
            cJSON *nx = it->next;
            cJSON *v = cJSON_DetachItemViaPointer(params, it);
            if (cJSON_IsNull(v)) {
                cJSON_Delete(v);
                it = nx;
                continue;
            }
            for (const conf_field *f = c->kind->fields; f->key; f++) {
                if (strcmp(f->key, v->string) || (f->type != CONF_REF && f->type != CONF_REFLIST)) continue;
                cJSON *r = resolved_refs(scn, v, f->type == CONF_REFLIST);
                if (r) {
                    cJSON_AddItemToObject(o, v->string, r);
                    cJSON_Delete(v);
                    v = NULL;
                }
                break;
            }
            if (v) cJSON_AddItemToObject(o, v->string, v);
            it = nx;
        }
        cJSON_Delete(params);
    }
    return o;
}

/* Replaces o[key] in place (keeping the key order of the file), or adds it. */
static void put_in_place(cJSON *o, const char *key, cJSON *v)
{
    if (v && conf_json_set_member(o, key, cJSON_GetObjectItemCaseSensitive(o, key), v) != 0) cJSON_Delete(v);
}

void world_show(world *w, FILE *f)
{
    cJSON *eff = scenario_effective_json(&w->scn);
    if (!eff) eff = cJSON_CreateObject();
    if (!eff) return;
    char seed[24];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)w->seed);
    /* a string of digits: a JSON number would lose seeds above 2^53 */
    put_in_place(eff, "seed", w->seed < (1ull << 53) ? cJSON_CreateNumber((double)w->seed) : cJSON_CreateString(seed));
    /* the network in the scenario language, plus every pair of regions with its
     * mean delay under "_links" (a comment key: read by people, ignored on input) */
    cJSON *nt = net_conf_to_json(&w->scn.doc, w->scn.network);
    if (cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(nt, "pairs"))) /* absent: none */
        put_in_place(nt, "pairs", cJSON_CreateArray());
    cJSON *links = net_to_json(&w->net);
    if (nt && links) {
        cJSON *l = cJSON_DetachItemFromObjectCaseSensitive(links, "links");
        if (l) cJSON_AddItemToObject(nt, "_links", l);
    }
    cJSON_Delete(links);
    put_in_place(eff, "network", nt);
    cJSON *comps = cJSON_CreateArray();
    cJSON *wl = cJSON_CreateObject();
    for (size_t i = 0; comps && wl && i < w->ncomps; i++) {
        component *c = w->comps[i];
        cJSON *o = effective_comp(&w->scn, c, w->net.names[c->region]);
        if (!o) continue;
        if (i < w->scn.ncomps) cJSON_AddItemToArray(comps, o);
        else {
            cJSON_DeleteItemFromObjectCaseSensitive(o, "id");
            cJSON_DeleteItemFromObjectCaseSensitive(o, "kind");
            cJSON_AddItemToObject(wl, c->id, o);
        }
    }
    cJSON_DeleteItemFromObjectCaseSensitive(eff, "components");
    cJSON_DeleteItemFromObjectCaseSensitive(eff, "workload");
    if (comps) cJSON_AddItemToObject(eff, "components", comps);
    if (wl && wl->child) cJSON_AddItemToObject(eff, "workload", wl);
    else cJSON_Delete(wl);
    char *text = cJSON_Print(eff);
    if (text) fprintf(f, "%s\n", text);
    free(text);
    cJSON_Delete(eff);
    fputs("\nrequest paths (client -> ... ; a cache hit answers at the edge, a miss continues):\n", f);
    world_print_paths(w, f);
}
