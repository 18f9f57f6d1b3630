/* models/component.c - what all kinds share: creation from JSON, reference
 * resolution, message passing through the network, base measurements. */
#include "models/component.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/cache/cache.h"
#include "models/net.h"
#include "models/station.h"
#include "sim/errors.h"
#include "sim/rng.h"

static int comp_alloc(const comp_kind *kind, const char *id, const char *group, int region,
                      const cJSON *node, const char *jpath, comp_env *env, component **out)
{
    *out = NULL;
    component *c = calloc(1, sizeof *c);
    if (!c) return SIM_ENOMEM;
    c->kind = kind;
    c->env = env;
    c->region = region;
    c->node = node;
    c->slow = 1.0;
    c->id = strdup(id);
    c->jpath = strdup(jpath ? jpath : id);
    c->group = group ? strdup(group) : NULL;
    c->conf = calloc(1, kind->conf_size ? kind->conf_size : 1);
    c->rng = sim_rng_stream(env->seed, id);
    c->net_rng = c->id ? comp_stream(c, "net") : NULL;
    if (!c->id || !c->jpath || (group && !c->group) || !c->conf || !c->rng || !c->net_rng ||
        sim_hist_init(&c->latency) != 0) {
        comp_free(c);
        return SIM_ENOMEM;
    }
    *out = c;
    return 0;
}

static int comp_finish(component *c, component **out, conf_errors *errs)
{
    int rc;
    if (c->kind->ops->create && (rc = c->kind->ops->create(c, errs)) != 0) {
        comp_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

int comp_create(const comp_kind *kind, const char *id, const char *group, int region,
                const cJSON *node, const char *jpath, const char *const *ignore,
                comp_env *env, component **out, conf_errors *errs)
{
    component *c;
    int rc = comp_alloc(kind, id, group, region, node, jpath, env, &c);
    if (rc != 0) return rc;
    if (conf_read_fields(env->doc, node, jpath, kind->fields, ignore, c->conf, errs) != 0) {
        comp_free(c);
        return SIM_EPARSE;
    }
    return comp_finish(c, out, errs);
}

int comp_create_with(const comp_kind *kind, const char *id, int region, const void *conf, comp_env *env,
                     component **out, conf_errors *errs)
{
    component *c;
    int rc = comp_alloc(kind, id, NULL, region, NULL, NULL, env, &c);
    if (rc != 0) return rc;
    memcpy(c->conf, conf, kind->conf_size);
    return comp_finish(c, out, errs);
}

int comp_field_error(const component *c, conf_errors *errs, const char *field, const char *fmt, ...)
{
    char msg[1024], jp[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(jp, sizeof jp, "%s.%s", c->jpath, field);
    const cJSON *at = c->node ? cJSON_GetObjectItemCaseSensitive(c->node, field) : NULL;
    conf_error_at(errs, c->env->doc, at ? at : c->node, jp, "%s", msg);
    return SIM_EPARSE;
}

void comp_free(component *c)
{
    if (!c) return;
    if (c->state && c->kind->ops->free) c->kind->ops->free(c);
    if (c->conf) conf_free_fields(c->kind->fields, c->conf);
    free(c->conf);
    if (c->rng) gsl_rng_free(c->rng);
    if (c->net_rng) gsl_rng_free(c->net_rng);
    sim_hist_free(&c->latency);
    free(c->links);
    free(c->id);
    free(c->group);
    free(c->jpath);
    free(c);
}

component *comp_find(const comp_env *env, const char *id)
{
    for (size_t i = 0; i < env->ncomps; i++)
        if (!strcmp(env->comps[i]->id, id)) return env->comps[i];
    return NULL;
}

const conf_field *comp_field(const component *c, const char *key)
{
    for (const conf_field *f = c->kind->fields; f->key; f++)
        if (!strcmp(f->key, key)) return f;
    return NULL;
}

static int add_link(component *c, component *t)
{
    for (size_t i = 0; i < c->nlinks; i++)
        if (c->links[i] == t) return 0;
    if (c->nlinks == c->cap_links) {
        size_t nc = c->cap_links ? c->cap_links * 2 : 4;
        component **nl = realloc(c->links, nc * sizeof *nl);
        if (!nl) return SIM_ENOMEM;
        c->links = nl;
        c->cap_links = nc;
    }
    c->links[c->nlinks++] = t;
    return 0;
}

static int push_target(component ***arr, size_t *n, size_t *cap, component *t)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 4;
        component **na = realloc(*arr, nc * sizeof *na);
        if (!na) return SIM_ENOMEM;
        *arr = na;
        *cap = nc;
    }
    (*arr)[(*n)++] = t;
    return 0;
}

int comp_resolve(component *c, const char *key, bool required, component ***out, size_t *n,
                 conf_errors *errs)
{
    *out = NULL;
    *n = 0;
    const conf_field *f = comp_field(c, key);
    if (!f || (f->type != CONF_REF && f->type != CONF_REFLIST)) return SIM_EINVAL;
    const char *one = NULL;
    const char *const *ids = NULL;
    size_t nids = 0;
    if (f->type == CONF_REF) {
        one = *(char **)((char *)c->conf + f->offset);
        if (one && *one) {
            ids = &one;
            nids = 1;
        }
    } else {
        conf_strlist *l = (conf_strlist *)((char *)c->conf + f->offset);
        ids = (const char *const *)l->v;
        nids = l->n;
    }
    const cJSON *at = c->node ? cJSON_GetObjectItemCaseSensitive(c->node, key) : NULL;
    char jp[512];
    snprintf(jp, sizeof jp, "%s.%s", c->jpath, key);
    int rc = 0;
    size_t cap = 0;
    if (nids == 0 && required) {
        conf_error_at(errs, c->env->doc, at ? at : c->node, jp,
                      "%s \"%s\" needs at least one component to send to in \"%s\"", c->kind->name, c->id, key);
        return SIM_EPARSE;
    }
    for (size_t i = 0; i < nids; i++) {
        const char *id = ids[i];
        size_t found = 0;
        for (size_t k = 0; k < c->env->ncomps; k++) {
            component *t = c->env->comps[k];
            bool match = !strcmp(t->id, id) || (t->group && !strcmp(t->group, id) && strcmp(id, t->id));
            if (!match) continue;
            /* a group name that is also some other component's exact id is ambiguous: exact id wins */
            found++;
            if (t == c) {
                conf_error_at(errs, c->env->doc, at ? at : c->node, jp,
                              "\"%s\" refers to itself: a component cannot send to itself (cycle)", id);
                rc = SIM_EPARSE;
                continue;
            }
            if (push_target(out, n, &cap, t) != 0 || add_link(c, t) != 0) {
                free(*out);
                *out = NULL;
                *n = 0;
                return SIM_ENOMEM;
            }
        }
        if (!found && c->env->known_id && c->env->known_id(c->env, id)) {
            rc = SIM_EPARSE; /* exists but failed to build: already reported */
            continue;
        }
        if (!found) {
            const char **names = malloc((c->env->ncomps + 1) * sizeof *names);
            const char *sug = NULL;
            if (names) {
                for (size_t k = 0; k < c->env->ncomps; k++) names[k] = c->env->comps[k]->id;
                sug = conf_did_you_mean(id, names, c->env->ncomps);
            }
            conf_error_at(errs, c->env->doc, at ? at : c->node, jp,
                          "no component with id \"%s\"%s%s%s", id, sug ? " (did you mean \"" : "",
                          sug ? sug : "", sug ? "\"?)" : "");
            free(names);
            rc = SIM_EPARSE;
        }
    }
    if (rc != 0) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

/* ---- messages ---------------------------------------------------------- */

static void deliver_request(sim_engine *eng, sim_event *ev)
{
    component *to = ev->target;
    request *r = ev->arg;
    if (to->down) {
        if (to->refuse) {
            /* connection refused: an immediate error, no work done */
            r->arrived = eng->now;
            if (comp_measuring(to)) to->requests++;
            r->status = REQ_FAILED;
            comp_respond(to, r, 0);
            return;
        }
        comp_drop(to, r);
        return;
    }
    r->arrived = eng->now;
    r->at = to;
    comp_trace(to, r, "arrive");
    if (comp_measuring(to)) to->requests++;
    to->kind->ops->on_request(to, r);
}

static void child_back(component *c, request *d, const req_hop *hop);

static void deliver_response(sim_engine *eng, sim_event *ev)
{
    component *to = ev->target;
    request *r = ev->arg;
    req_hop hop;
    if (!req_pop(r, &hop)) return; /* cannot happen: comp_respond checked */
    if ((r->flags & REQ_F_HOP_CHILD) && r->depth == 0) {
        child_back(to, r, &hop);
        return;
    }
    if (to->down) {
        comp_drop(to, r);
        return;
    }
    r->arrived = hop.arrived;
    r->at = to;
    comp_trace(to, r, "return");
    (void)eng;
    to->kind->ops->on_response(to, r, &hop);
}

static sim_time_t hop_delay(component *from, int src, component *to, uint64_t bytes, bool *lost)
{
    *lost = false;
    if (to->kind->flags & COMP_KIND_LOCAL) return 0;
    net *nt = from->env->net;
    if (!nt || src < 0 || to->region < 0) return 0;
    if (net_is_cut(nt, src, to->region) || net_drops(nt, src, to->region, from->net_rng)) {
        *lost = true;
        return 0;
    }
    return net_delay(nt, src, to->region, bytes, from->net_rng);
}

void comp_send_from(component *from, int src_region, component *to, request *r, uint64_t bytes)
{
    bool lost;
    sim_time_t d = hop_delay(from, src_region, to, bytes, &lost);
    r->at = NULL;
    if (lost) {
        comp_drop(to, r);
        return;
    }
    sim_schedule(from->env->eng, d, deliver_request, to, r, 0);
}

void comp_send(component *from, component *to, request *r, uint64_t bytes)
{
    /* a local component (a resolver) sends from where its client is */
    comp_send_from(from, (from->kind->flags & COMP_KIND_LOCAL) ? r->region : from->region, to, r, bytes);
}

void comp_out_of_memory(component *c)
{
    if (!c->env->eng->error) c->env->eng->error = SIM_ENOMEM;
}

void comp_forward(component *from, component *to, request *r, uint32_t state, uint64_t bytes)
{
    if (req_push(r, from, state) != 0) {
        /* deeper than REQ_PATH_MAX: answer with a failure instead of looping */
        r->status = REQ_FAILED;
        comp_respond(from, r, 0);
        return;
    }
    comp_trace(from, r, "forward");
    comp_send(from, to, r, bytes);
}

static void ev_hop_timeout(sim_engine *eng, sim_event *ev);

/* ---- per-hop timeouts (issue 5) ------------------------------------------
 *
 * The request record travels the whole path, so a hop that gives up cannot
 * answer its caller with the record itself while it is still downstream
 * (whoever holds it would later answer too). Instead, as the balancer's tries
 * and the client's hedges do, the waiting hop keeps the caller's request and
 * sends a stand-in (partner = the caller's request). Ownership: before the
 * timeout, the stand-in belongs to the path and the request to the hop;
 * after it, the request goes back up and the stand-in belongs to whoever
 * holds it, then to the hop again, which frees it on return. */

void comp_forward_timed(component *from, component *to, request *r, uint32_t state, uint64_t bytes)
{
    comp_env *env = from->env;
    if (from->hop_timeout <= 0) {
        comp_forward(from, to, r, state, bytes);
        return;
    }
    request *d = req_new(env->reqs);
    if (!d) {
        comp_out_of_memory(from);
        r->status = REQ_FAILED;
        comp_respond(from, r, 0);
        return;
    }
    d->op = r->op;
    d->retries = r->retries;
    d->flags = (r->flags & (REQ_F_MEASURED | REQ_F_HIT | REQ_F_MISS)) | REQ_F_HOP_CHILD;
    d->region = r->region;
    d->object = r->object;
    d->size = r->size;
    d->issued = r->issued;
    d->arrived = r->arrived; /* pushed below as the time r arrived at `from` */
    d->client = r->client;
    d->user = r->user;
    d->partner = r;
    d->trace = r->trace;
    /* the visit of from's station is reported at the stand-in's "forward" */
    d->st_owner = r->st_owner;
    d->st_wait = r->st_wait;
    d->st_service = r->st_service;
    r->st_owner = NULL;
    r->at = NULL;
    d->timeout_ev = sim_schedule(env->eng, from->hop_timeout, ev_hop_timeout, from, d, d->gen);
    comp_forward(from, to, d, state, bytes);
}

void comp_respond(component *from, request *r, uint64_t bytes)
{
    comp_env *env = from->env;
    sim_engine *eng = env->eng;
    if (comp_measuring(from)) {
        sim_hist_record(&from->latency, eng->now - r->arrived);
        from->responses++;
    }
    comp_trace(from, r, "respond");
    req_hop *top = req_top(r);
    if (!top) {
        /* nobody to answer: only a source could be here; finish it */
        if (env->completed) env->completed(env, r);
        return;
    }
    component *to = top->c;
    sim_time_t d = 0;
    bool lost = false;
    if (!(from->kind->flags & COMP_KIND_LOCAL) && !(to->kind->flags & COMP_KIND_LOCAL) && env->net) {
        if (net_is_cut(env->net, from->region, to->region) ||
            net_drops(env->net, from->region, to->region, from->net_rng))
            lost = true;
        else d = net_delay(env->net, from->region, to->region, bytes, from->net_rng);
    }
    r->at = NULL;
    if (lost) {
        comp_drop(to, r);
        return;
    }
    sim_schedule(eng, d, deliver_response, to, r, 0);
}

/* The stand-in d for the request waiting at c is back (its last hop popped
 * into *hop): discard it when it is late, else hand its outcome to the
 * request and let c's kind see the response. */
static void child_back(component *c, request *d, const req_hop *hop)
{
    comp_env *env = c->env;
    if (d->flags & REQ_F_ABANDONED) {
        c->hop_late++;
        comp_trace(c, d, "late");
        req_free(env->reqs, d);
        return;
    }
    if (sim_event_pending(d->timeout_ev)) sim_cancel(env->eng, d->timeout_ev);
    request *r = d->partner;
    r->status = d->status;
    r->flags |= d->flags & (REQ_F_HIT | REQ_F_MISS);
    if (d->st_owner) {
        /* the last station visit, for the trace */
        r->st_owner = d->st_owner;
        r->st_wait = d->st_wait;
        r->st_service = d->st_service;
    }
    req_free(env->reqs, d);
    if (c->down) {
        comp_drop(c, r);
        return;
    }
    r->arrived = hop->arrived;
    r->at = c;
    comp_trace(c, r, "return");
    c->kind->ops->on_response(c, r, hop);
}

static void ev_hop_timeout(sim_engine *eng, sim_event *ev)
{
    (void)eng;
    component *c = ev->target;
    request *d = ev->arg;
    if (ev->data != d->gen || !(d->flags & REQ_F_HOP_CHILD) || !d->partner || c->down) return;
    request *r = d->partner;
    req_hop hop = d->path[0]; /* what `from` pushed, still at the bottom of d's path */
    d->timeout_ev = (sim_event_ref){ 0 };
    d->partner = NULL;
    d->flags |= REQ_F_ABANDONED; /* freed by child_back when (if) it comes back */
    c->hop_timeouts++;
    r->status = REQ_TIMED_OUT;
    r->arrived = hop.arrived;
    r->at = c;
    comp_trace(c, r, "timeout");
    c->kind->ops->on_response(c, r, &hop);
}

void comp_drop(component *c, request *r)
{
    comp_trace(c, r, "drop");
    c->dropped++;
    r->at = NULL;
    if (c->env->event && c->dropped == 1) c->env->event(c->env, "drop", c, "first request dropped");
}

/* ---- measurements ------------------------------------------------------- */

void comp_reset_stats(component *c)
{
    c->requests = c->responses = c->dropped = 0;
    c->hop_timeouts = c->hop_late = 0;
    sim_hist_reset(&c->latency);
    if (c->st) station_reset_stats(c->st);
    if (c->cache) cache_reset_stats(c->cache);
    if (c->kind->ops->reset_stats) c->kind->ops->reset_stats(c);
}

cJSON *comp_json_num(cJSON *obj, const char *key, double v, const char *fmt)
{
    char buf[64];
    if (!isfinite(v)) return cJSON_AddNullToObject(obj, key);
    snprintf(buf, sizeof buf, fmt, v);
    if (!strcmp(buf, "-0") || !strncmp(buf, "-0.", 3)) {
        /* "-0.000" from a tiny negative rounding error: print as zero */
        bool allzero = true;
        for (const char *p = buf + 1; *p; p++)
            if (*p != '0' && *p != '.') allzero = false;
        if (allzero) memmove(buf, buf + 1, strlen(buf));
    }
    cJSON *it = cJSON_CreateRaw(buf);
    if (!it) return NULL;
    if (!cJSON_AddItemToObject(obj, key, it)) { /* the key could not be copied */
        cJSON_Delete(it);
        return NULL;
    }
    return it;
}

cJSON *comp_json_latency(cJSON *obj, const char *key, const sim_hist *h)
{
    cJSON *l = cJSON_AddObjectToObject(obj, key);
    if (!l) return NULL;
    const char *f = "%.4f";
    if (h->count == 0) {
        const char *keys[] = { "mean", "p50", "p90", "p99", "p999", "max" };
        for (int i = 0; i < 6; i++) cJSON_AddNullToObject(l, keys[i]);
        return l;
    }
    comp_json_num(l, "mean", sim_hist_mean(h) / 1e6, f);
    comp_json_num(l, "p50", sim_hist_quantile(h, 0.5) / 1e6, f);
    comp_json_num(l, "p90", sim_hist_quantile(h, 0.9) / 1e6, f);
    comp_json_num(l, "p99", sim_hist_quantile(h, 0.99) / 1e6, f);
    comp_json_num(l, "p999", sim_hist_quantile(h, 0.999) / 1e6, f);
    comp_json_num(l, "max", (double)h->max / 1e6, f);
    return l;
}

cJSON *comp_report(component *c)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddStringToObject(o, "kind", c->kind->name);
    const net *nt = c->env->net;
    if (nt && c->region >= 0 && (size_t)c->region < nt->n) cJSON_AddStringToObject(o, "region", nt->names[c->region]);
    else cJSON_AddNullToObject(o, "region");
    cJSON *links = cJSON_AddArrayToObject(o, "links");
    for (size_t i = 0; links && i < c->nlinks; i++) cJSON_AddItemToArray(links, cJSON_CreateString(c->links[i]->id));
    comp_json_num(o, "requests", (double)c->requests, "%.0f");
    if (c->st) {
        comp_json_num(o, "utilization", station_utilization(c->st), "%.6f");
        comp_json_num(o, "mean_queue", station_mean_queue(c->st), "%.6f");
        comp_json_num(o, "rejected", (double)c->st->rejected, "%.0f");
    } else {
        cJSON_AddNullToObject(o, "utilization");
        cJSON_AddNullToObject(o, "mean_queue");
    }
    comp_json_latency(o, "latency_ms", &c->latency);
    if (c->cache) {
        const cache_stats *cs = cache_get_stats(c->cache);
        comp_json_num(o, "hit_ratio", cs->requests ? (double)cs->hits / (double)cs->requests : NAN, "%.6f");
        comp_json_num(o, "byte_hit_ratio",
                      cs->bytes_requested ? (double)cs->bytes_hit / (double)cs->bytes_requested : NAN, "%.6f");
    }
    if (c->dropped) comp_json_num(o, "dropped", (double)c->dropped, "%.0f");
    if (c->hop_timeout > 0) {
        comp_json_num(o, "timeout_ms", sim_time_to_s(c->hop_timeout) * 1e3, "%.3f");
        comp_json_num(o, "hop_timeouts", (double)c->hop_timeouts, "%.0f");
        comp_json_num(o, "late_discarded", (double)c->hop_late, "%.0f");
    }
    if (c->kind->ops->report) c->kind->ops->report(c, o);
    return o;
}

/* ---- faults ------------------------------------------------------------- */

void comp_crash(component *c)
{
    c->down = true;
    if (c->kind->ops->crash) c->kind->ops->crash(c);
}

void comp_recover(component *c)
{
    c->down = false;
    if (c->kind->ops->recover) c->kind->ops->recover(c);
}

void comp_set_slow(component *c, double factor)
{
    c->slow = factor > 0 ? factor : 1.0;
    if (c->st) station_set_slow(c->st, c->slow);
    if (c->kind->ops->set_slow) c->kind->ops->set_slow(c, c->slow);
}

void comp_flush(component *c)
{
    if (c->cache) cache_clear(c->cache);
    if (c->kind->ops->flush) c->kind->ops->flush(c);
}

gsl_rng *comp_stream(const component *c, const char *purpose)
{
    char name[512];
    int n = snprintf(name, sizeof name, "%s/%s", c->id, purpose);
    if (n < 0 || (size_t)n >= sizeof name) return NULL; /* ids are short; never cut a stream name */
    return sim_rng_stream(c->env->seed, name);
}
