/* models/app_cache.c - application cache, cache-aside (see app_cache.h). */
#include "models/app_cache.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/cache/cache.h"
#include "models/comp_cache.h"
#include "models/comp_station.h"
#include "sim/errors.h"
#include "sim/rng.h"

/* Defaults. A GET in an in-memory store costs a few microseconds of CPU
 * (request parsing; the RAM access itself is ~100 ns): we assume lognormal
 * mean 20 us, p99 100 us, on one server (Redis runs commands on one thread).
 * Values are copied at RAM speed, ~20 GB/s (../shared/reference/
 * latency-numbers.md: RAM read of 1 MiB ~50 us). 1 GiB of memory, LRU (as
 * Redis' allkeys-lru), no expiry. */
static const conf_field app_cache_fields[] = {
    STATION_FIELDS(app_cache_conf, st, "1", "{\"lognormal\": {\"mean\": \"20us\", \"p99\": \"100us\"}}", "-1"),
    { "read_bandwidth", CONF_BANDWIDTH, offsetof(app_cache_conf, read_bandwidth), "\"20GB/s\"",
      "rate at which a value is copied out of RAM: adds size / read_bandwidth to each GET", 0, 0, NULL, NULL },
    { "cache_size", CONF_BYTES, offsetof(app_cache_conf, cache_size), "\"1GiB\"",
      "memory for cached values, in bytes", 0, 0, NULL, NULL },
    { "policy", CONF_ENUM, offsetof(app_cache_conf, policy), "\"lru\"",
      "eviction policy (see docs/caching.md)", 0, 0, cache_policy_names, NULL },
    { "ttl", CONF_DURATION, offsetof(app_cache_conf, ttl), "\"0s\"",
      "values expire this long after they are set; 0 = never", 0, 0, NULL, NULL },
    { "database", CONF_REF, offsetof(app_cache_conf, database), NULL,
      "id of the database the application reads on a miss", 0, 0, NULL, NULL },
    { "fall_through", CONF_BOOL, offsetof(app_cache_conf, fall_through), "false",
      "when the cache server crashes, the application reads the database directly (else it is down too)", 0, 0,
      NULL, NULL },
    COMP_TIMEOUT_FIELD(app_cache_conf, timeout, "the database"),
    { NULL, 0, 0, NULL, NULL, 0, 0, NULL, NULL },
};

typedef struct app_cache_state {
    station st;
    cache *cache;
    component *db;
    uint64_t db_reads, sets, bytes_from_db;
    bool cache_down;     /* fall_through mode: the cache server is crashed */
    uint64_t fell_through;
} app_cache_state;

static void app_cache_get_done(void *owner, request *r);

static int app_cache_create(component *c, conf_errors *errs)
{
    app_cache_conf *cf = c->conf;
    app_cache_state *s = calloc(1, sizeof *s);
    if (!s) return SIM_ENOMEM;
    c->state = s;
    c->hop_timeout = cf->timeout;
    cf->st.per_byte_ns = station_ns_per_byte(cf->read_bandwidth);
    int rc = comp_station_init(c, &s->st, &cf->st, app_cache_get_done, errs);
    if (rc != 0) return rc;
    cache_params p;
    memset(&p, 0, sizeof p);
    p.policy = cache_policy_names[cf->policy];
    p.capacity = cf->cache_size;
    p.ttl = cf->ttl;
    p.seed = c->env->seed;
    p.rng_name = c->id;
    return comp_cache_create(c, &p, &s->cache, errs);
}

static int app_cache_link(component *c, conf_errors *errs)
{
    app_cache_state *s = c->state;
    component **t;
    size_t n;
    int rc = comp_resolve(c, "database", true, &t, &n, errs);
    if (rc != 0) return rc;
    s->db = t[0];
    free(t);
    return 0;
}

/* The cache is unreachable: straight to the database (no SET after). */
static void fall_through(component *c, request *r)
{
    app_cache_state *s = c->state;
    s->fell_through++;
    s->db_reads++;
    comp_forward_timed(c, s->db, r, 1, req_request_bytes(r));
}

static void app_cache_on_request(component *c, request *r)
{
    app_cache_state *s = c->state;
    if (s->cache_down) {
        fall_through(c, r);
        return;
    }
    if (station_arrive(&s->st, r) != 0) {
        r->status = REQ_REJECTED;
        comp_respond(c, r, 0);
    }
}

/* The GET has been served: answer a hit, or read the database. */
static void app_cache_get_done(void *owner, request *r)
{
    component *c = owner;
    app_cache_state *s = c->state;
    c->win_requests++;
    if (cache_lookup(s->cache, r->object, r->size, c->env->eng->now)) {
        c->win_hits++;
        r->flags |= REQ_F_HIT;
        comp_respond(c, r, req_response_bytes(r));
        return;
    }
    r->flags |= REQ_F_MISS;
    s->db_reads++;
    comp_forward_timed(c, s->db, r, 0, req_request_bytes(r));
}

static void app_cache_on_response(component *c, request *r, const req_hop *hop)
{
    app_cache_state *s = c->state;
    if ((r->status == REQ_PENDING || r->status == REQ_OK) && !s->cache_down && hop->state == 0) {
        s->bytes_from_db += r->size;
        if (cache_insert(s->cache, r->object, r->size, c->env->eng->now)) s->sets++;
    }
    comp_respond(c, r, req_response_bytes(r));
}

static void app_cache_reset_stats(component *c)
{
    app_cache_state *s = c->state;
    s->db_reads = s->sets = s->bytes_from_db = s->fell_through = 0;
}

static void app_cache_report(component *c, cJSON *o)
{
    app_cache_state *s = c->state;
    comp_json_num(o, "database_reads", (double)s->db_reads, "%.0f");
    if (((app_cache_conf *)c->conf)->fall_through) comp_json_num(o, "fell_through", (double)s->fell_through, "%.0f");
    comp_json_num(o, "bytes_from_database", (double)s->bytes_from_db, "%.0f");
    comp_cache_report(s->cache, o);
}

static void app_cache_drop(void *owner, request *r) { comp_drop(owner, r); }

static void app_cache_fall_through(void *owner, request *r) { fall_through(owner, r); }

static void app_cache_crash(component *c)
{
    app_cache_conf *cf = c->conf;
    app_cache_state *s = c->state;
    if (cf->fall_through) {
        /* only the cache server died: the application (this component's
         * request handling) stays up, so undo the base crash's `down` and
         * send everything, the lookups in flight too, to the database */
        c->down = false;
        s->cache_down = true;
        station_drop_all(&s->st, app_cache_fall_through);
    } else {
        station_drop_all(&s->st, app_cache_drop);
    }
    cache_clear(s->cache); /* an in-memory store loses its contents */
}

static void app_cache_recover(component *c)
{
    app_cache_state *s = c->state;
    s->cache_down = false; /* back, empty */
}

static void app_cache_free(component *c)
{
    app_cache_state *s = c->state;
    station_free(&s->st);
    if (s->cache) cache_free(s->cache);
    free(s);
    c->state = NULL;
}

static const comp_ops app_cache_ops = {
    .create = app_cache_create,
    .link = app_cache_link,
    .on_request = app_cache_on_request,
    .on_response = app_cache_on_response,
    .reset_stats = app_cache_reset_stats,
    .report = app_cache_report,
    .free = app_cache_free,
    .crash = app_cache_crash,
    .recover = app_cache_recover,
};

const comp_kind app_cache_kind = {
    .name = "app_cache",
    .help = "application cache in RAM (Redis-like), cache-aside: GET, on a miss read the database and SET",
    .fields = app_cache_fields,
    .conf_size = sizeof(app_cache_conf),
    .ops = &app_cache_ops,
    .flags = 0,
};
