/* models/cdn_edge.c - CDN edge: cache lookup, hit service, miss forwarding. */
#include "models/cdn_edge.h"

#include <stdlib.h>
#include <string.h>

#include "models/cache/cache.h"
#include "models/comp_cache.h"
#include "models/comp_station.h"
#include "sim/errors.h"
#include "sim/rng.h"

/* Defaults from ../shared/reference/latency-numbers.md: hits are read from
 * NVMe SSD (random read median 80-150 us, p99 a few hundred us -> lognormal
 * mean 150 us, p99 600 us including request handling) at 2 GB/s (SSD
 * sequential 1-3 GB/s); 64 concurrent reads; a 10 GiB cache. */
static const conf_field cdn_edge_fields[] = {
    STATION_FIELDS(cdn_edge_conf, st, "64", "{\"lognormal\": {\"mean\": \"150us\", \"p99\": \"600us\"}}", "-1"),
    { "read_bandwidth", CONF_BANDWIDTH, offsetof(cdn_edge_conf, read_bandwidth), "\"2GB/s\"",
      "rate at which a hit is read from the cache's storage: adds size / read_bandwidth", 0, 0, NULL, NULL },
    { "cache_size", CONF_BYTES, offsetof(cdn_edge_conf, cache_size), "\"10GiB\"",
      "cache capacity in bytes", 0, 0, NULL, NULL },
    { "policy", CONF_ENUM, offsetof(cdn_edge_conf, policy), "\"lru\"",
      "cache replacement policy (see docs/caching.md)", 0, 0, cache_policy_names, NULL },
    { "upstream", CONF_REF, offsetof(cdn_edge_conf, upstream), NULL,
      "id of where misses go (the origin's load balancer, a parent cache)", 0, 0, NULL, NULL },
    { "ttl", CONF_DURATION, offsetof(cdn_edge_conf, ttl), "\"0s\"",
      "cached objects expire this long after insertion (Cache-Control max-age); 0 = never", 0, 0, NULL, NULL },
    { "ttl_by_size", CONF_JSON, offsetof(cdn_edge_conf, ttl_by_size), "[]",
      "TTL per object class: [{\"up_to\": \"64KiB\", \"ttl\": \"60s\"}, ...]; the first class with up_to >= "
      "the object's size applies, larger objects use ttl", 0, 0, NULL, NULL },
    { "admit_max_size", CONF_BYTES, offsetof(cdn_edge_conf, admit_max_size), "\"0B\"",
      "cache only objects of at most this size (0 = any size)", 0, 0, NULL, NULL },
    { "admit_one_in", CONF_INT, offsetof(cdn_edge_conf, admit_one_in), "1",
      "probabilistic admission: cache a miss with probability 1/N (1 = always)", 0, 1e12, NULL, NULL },
    { "collapse", CONF_BOOL, offsetof(cdn_edge_conf, collapse), "false",
      "request collapsing: concurrent misses for one object wait for a single upstream fetch", 0, 0, NULL, NULL },
    COMP_TIMEOUT_FIELD(cdn_edge_conf, timeout, "the upstream"),
    { NULL, 0, 0, NULL, NULL, 0, 0, NULL, NULL },
};

/* An upstream fetch in flight (used), with the requests waiting for it
 * (chained through qnext: a waiting request is in no station). */
typedef struct pending_fetch {
    uint64_t object;
    request *head, *tail;
    bool used;
} pending_fetch;

typedef struct cdn_edge_state {
    station st;
    cache *cache;
    component *up;
    uint64_t misses_sent, fills, collapsed, bytes_upstream;
    /* Request collapsing: open addressing, linear probing, backward-shift
     * deletion; grows by doubling at half full (no allocation per request). */
    pending_fetch *pend;
    size_t pend_cap, pend_n;
    /* ttl_by_size, parsed: classes in the order written */
    uint64_t class_up_to[16];
    sim_time_t class_ttl[16];
    size_t nclasses;
} cdn_edge_state;

enum { HOP_FETCH = 0, HOP_LEADER = 1, HOP_WRITE = 2 }; /* hop state: a leader has waiters to release;
                                                          a PUT passing through */

static void edge_hit_done(void *owner, request *r);
static int read_ttl_classes(component *c, cdn_edge_state *s, conf_errors *errs);

static int cdn_edge_create(component *c, conf_errors *errs)
{
    cdn_edge_conf *cf = c->conf;
    cdn_edge_state *s = calloc(1, sizeof *s);
    if (!s) return SIM_ENOMEM;
    c->state = s;
    c->hop_timeout = cf->timeout;
    cf->st.per_byte_ns = station_ns_per_byte(cf->read_bandwidth);
    int rc = comp_station_init(c, &s->st, &cf->st, edge_hit_done, errs);
    if (rc != 0) return rc;
    cache_params p;
    memset(&p, 0, sizeof p);
    p.policy = cache_policy_names[cf->policy];
    p.capacity = cf->cache_size;
    p.seed = c->env->seed ^ sim_rng_key(c->env->seed, c->id);
    p.ttl = cf->ttl;
    char rng_name[512];
    snprintf(rng_name, sizeof rng_name, "%s/admission", c->id);
    if (cf->admit_one_in >= 2) {
        p.admission = CACHE_ADMIT_PROB;
        p.admit_prob = 1.0 / (double)cf->admit_one_in;
        p.rng_name = rng_name;
        p.seed = c->env->seed;
    } else if (cf->admit_max_size > 0) {
        p.admission = CACHE_ADMIT_SIZE;
        p.admit_max_size = cf->admit_max_size;
    }
    /* The policy name was checked against cache_policy_names when the
     * parameters were read; what is left to fail is the combination of
     * values, or memory. */
    rc = comp_cache_create(c, &p, &s->cache, errs);
    if (rc != 0) return rc;
    return read_ttl_classes(c, s, errs);
}

/* Reads ttl_by_size into s->class_*. Errors are located at the element. */
static int read_ttl_classes(component *c, cdn_edge_state *s, conf_errors *errs)
{
    cdn_edge_conf *cf = c->conf;
    const cJSON *a = cf->ttl_by_size;
    char jp[512];
    snprintf(jp, sizeof jp, "%s.ttl_by_size", c->jpath);
    if (!a) return 0;
    if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) > 16) {
        conf_error_at(errs, c->env->doc, a, jp, "expected a list of at most 16 classes like {\"up_to\": \"64KiB\", \"ttl\": \"60s\"}");
        return SIM_EPARSE;
    }
    int bad = 0, i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, a)
    {
        char ep[560];
        snprintf(ep, sizeof ep, "%s[%d]", jp, i++);
        const cJSON *u = cJSON_GetObjectItemCaseSensitive(it, "up_to");
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(it, "ttl");
        uint64_t up = 0;
        sim_time_t ttl = 0;
        if (!cJSON_IsObject(it) || cJSON_GetArraySize(it) != 2 || !cJSON_IsString(u) || !cJSON_IsString(t) ||
            conf_parse_bytes(u->valuestring, &up) || conf_parse_duration(t->valuestring, &ttl) || ttl < 0) {
            conf_error_at(errs, c->env->doc, it, ep,
                          "expected {\"up_to\": a size like \"64KiB\", \"ttl\": a duration like \"60s\" (0 = never)}");
            bad = 1;
            continue;
        }
        s->class_up_to[s->nclasses] = up;
        s->class_ttl[s->nclasses++] = ttl;
    }
    return bad ? SIM_EPARSE : 0;
}

/* The TTL of an object of `size`: its class's, or the cache's default. */
static sim_time_t ttl_for(const cdn_edge_state *s, uint64_t size)
{
    for (size_t i = 0; i < s->nclasses; i++)
        if (size <= s->class_up_to[i]) return s->class_ttl[i];
    return CACHE_TTL_DEFAULT;
}

static int cdn_edge_link(component *c, conf_errors *errs)
{
    cdn_edge_state *s = c->state;
    component **t;
    size_t n;
    int rc = comp_resolve(c, "upstream", true, &t, &n, errs);
    if (rc != 0) return rc;
    s->up = t[0];
    free(t);
    return 0;
}

static size_t pend_slot(const cdn_edge_state *s, uint64_t object)
{
    size_t m = s->pend_cap - 1, i = sim_mix64(object) & m;
    while (s->pend[i].used && s->pend[i].object != object) i = (i + 1) & m;
    return i;
}

static int pend_grow(cdn_edge_state *s)
{
    size_t ncap = s->pend_cap ? s->pend_cap * 2 : 64, ocap = s->pend_cap;
    pending_fetch *np = calloc(ncap, sizeof *np), *old = s->pend;
    if (!np) return SIM_ENOMEM;
    s->pend = np;
    s->pend_cap = ncap;
    for (size_t i = 0; i < ocap; i++)
        if (old[i].used) s->pend[pend_slot(s, old[i].object)] = old[i];
    free(old);
    return 0;
}

/* Removes the entry at slot i, shifting later entries of its cluster back
 * (Knuth's algorithm R), so no tombstones accumulate. */
static void pend_del(cdn_edge_state *s, size_t i)
{
    size_t m = s->pend_cap - 1, j = i;
    for (;;) {
        j = (j + 1) & m;
        if (!s->pend[j].used) break;
        size_t k = sim_mix64(s->pend[j].object) & m;
        if (i <= j ? (i < k && k <= j) : (i < k || k <= j)) continue;
        s->pend[i] = s->pend[j];
        i = j;
    }
    memset(&s->pend[i], 0, sizeof s->pend[i]);
    s->pend_n--;
}

static void cdn_edge_on_request(component *c, request *r)
{
    cdn_edge_state *s = c->state;
    cdn_edge_conf *cf = c->conf;
    if (r->op == REQ_PUT) {
        /* a write is never served here: it goes upstream, and the cached
         * copy (now stale) is dropped at once */
        cache_remove(s->cache, r->object);
        comp_forward_timed(c, s->up, r, HOP_WRITE, req_request_bytes(r));
        return;
    }
    bool hit = cache_lookup(s->cache, r->object, r->size, c->env->eng->now);
    c->win_requests++;
    if (hit) {
        c->win_hits++;
        r->flags |= REQ_F_HIT;
        comp_trace(c, r, "hit");
        if (station_arrive(&s->st, r) != 0) {
            r->status = REQ_REJECTED;
            comp_respond(c, r, 0);
        }
        return;
    }
    r->flags |= REQ_F_MISS;
    comp_trace(c, r, "miss");
    uint32_t state = HOP_FETCH;
    if (cf->collapse && ((s->pend_n + 1) * 2 <= s->pend_cap || pend_grow(s) == 0)) {
        size_t i = pend_slot(s, r->object);
        pending_fetch *pf = &s->pend[i];
        if (pf->used) { /* a fetch is in flight: wait for it */
            r->qnext = NULL;
            if (!pf->head) pf->head = r;
            else pf->tail->qnext = r;
            pf->tail = r;
            s->collapsed++;
            return;
        }
        pf->object = r->object; /* the leader: fetch, with no waiters yet */
        pf->head = pf->tail = NULL;
        pf->used = true;
        s->pend_n++;
        state = HOP_LEADER;
    }
    s->misses_sent++;
    comp_forward_timed(c, s->up, r, state, req_request_bytes(r));
}

static void edge_hit_done(void *owner, request *r)
{
    component *c = owner;
    comp_respond(c, r, req_response_bytes(r));
}

static void cdn_edge_on_response(component *c, request *r, const req_hop *hop)
{
    cdn_edge_state *s = c->state;
    if (hop->state == HOP_WRITE) {
        comp_respond(c, r, req_response_bytes(r));
        return;
    }
    if (r->status == REQ_PENDING || r->status == REQ_OK) {
        s->bytes_upstream += r->size;
        cdn_edge_conf *cf = c->conf;
        /* With both admission rules, the cache draws the probability and the
         * size limit is applied here. */
        bool too_big = cf->admit_max_size > 0 && r->size > cf->admit_max_size;
        if (!too_big && cache_insert_ttl(s->cache, r->object, r->size, c->env->eng->now, ttl_for(s, r->size)))
            s->fills++;
    }
    request *w = NULL;
    if (hop->state == HOP_LEADER && s->pend_cap) {
        size_t i = pend_slot(s, r->object);
        if (s->pend[i].used) {
            w = s->pend[i].head;
            pend_del(s, i);
        }
    }
    uint8_t status = r->status;
    comp_respond(c, r, req_response_bytes(r));
    /* The waiters get the leader's outcome, each with its own latency. */
    while (w) {
        request *next = w->qnext;
        w->qnext = NULL;
        w->status = status;
        comp_respond(c, w, req_response_bytes(w));
        w = next;
    }
}

static void cdn_edge_reset_stats(component *c)
{
    cdn_edge_state *s = c->state;
    s->misses_sent = s->fills = s->collapsed = s->bytes_upstream = 0;
}

static void cdn_edge_report(component *c, cJSON *o)
{
    cdn_edge_state *s = c->state;
    comp_json_num(o, "misses_forwarded", (double)s->misses_sent, "%.0f");
    comp_json_num(o, "collapsed", (double)s->collapsed, "%.0f");
    comp_json_num(o, "bytes_upstream", (double)s->bytes_upstream, "%.0f");
    comp_cache_report(s->cache, o);
}

static void edge_drop(void *owner, request *r) { comp_drop(owner, r); }

static void cdn_edge_crash(component *c)
{
    cdn_edge_state *s = c->state;
    station_drop_all(&s->st, edge_drop);
    /* Requests waiting for a collapsed fetch are lost with the edge. */
    for (size_t i = 0; i < s->pend_cap; i++) {
        pending_fetch *pf = &s->pend[i];
        for (request *w = pf->head; w;) {
            request *next = w->qnext;
            w->qnext = NULL;
            comp_drop(c, w);
            w = next;
        }
        memset(pf, 0, sizeof *pf);
    }
    s->pend_n = 0;
}

static void cdn_edge_free(component *c)
{
    cdn_edge_state *s = c->state;
    station_free(&s->st);
    if (s->cache) cache_free(s->cache);
    free(s->pend);
    free(s);
    c->state = NULL;
}

static const comp_ops cdn_edge_ops = {
    .create = cdn_edge_create,
    .link = cdn_edge_link,
    .on_request = cdn_edge_on_request,
    .on_response = cdn_edge_on_response,
    .reset_stats = cdn_edge_reset_stats,
    .report = cdn_edge_report,
    .free = cdn_edge_free,
    .crash = cdn_edge_crash,
};

const comp_kind cdn_edge_kind = {
    .name = "cdn_edge",
    .help = "CDN edge: byte-sized cache; hits read locally, misses go upstream and fill the cache",
    .fields = cdn_edge_fields,
    .conf_size = sizeof(cdn_edge_conf),
    .ops = &cdn_edge_ops,
    .flags = 0,
};
