/* models/component.h - the common interface of every component kind.
 *
 * A component is one box of the architecture (a client population, a DNS
 * resolver, a CDN edge, a load balancer, a disk...). Its kind is a table:
 * name, help line, the conf_field table of its parameters, the size of its
 * config struct, and its operations. A new kind is one file pair in models/
 * plus one line in models/registry.c; nothing else changes.
 *
 * Life of a component (driven by app/world.c):
 *   comp_create()      reads the parameters with conf_read_fields into
 *                      c->conf, then ops->create builds the private state;
 *   ops->link          resolves the ids it sends to (comp_resolve), which
 *                      reports dangling references at their JSON path;
 *   ops->start         schedules initial events (clients start arriving);
 *   ops->on_request / ops->on_response   as requests and answers arrive;
 *   ops->reset_stats   at the end of warm-up (the base counters are reset by
 *                      comp_reset_stats before it is called);
 *   ops->report        adds kind-specific fields to the summary object;
 *   ops->free          releases the private state.
 * Fault hooks (issue 5) may be NULL: crash (drop in-flight work and answer
 * nothing), recover, set_slow(factor), flush (caches).
 *
 * Messages between components always go through comp_send / comp_respond,
 * which add the network delay of models/net for the two regions, so models
 * never schedule deliveries themselves.
 */
#ifndef MODELS_COMPONENT_H
#define MODELS_COMPONENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <gsl/gsl_rng.h>

#include "app/conf.h"
#include "models/request.h"
#include "sim/engine.h"
#include "sim/hist.h"

typedef struct component component;
typedef struct comp_kind comp_kind;
struct net;
struct station;
struct cache;

/* What every component sees of the world running it. Owned by the world. */
typedef struct comp_env {
    sim_engine *eng;
    struct net *net;
    req_pool *reqs;
    uint64_t seed;
    sim_time_t warmup;            /* measurements start here */
    sim_time_t end;               /* simulated duration */
    const conf_doc *doc;          /* for located errors while linking */
    component **comps;            /* every component, in scenario order */
    size_t ncomps;
    /* Called by clients; the world keeps the overall statistics. */
    void (*issued)(struct comp_env *env, request *r);
    void (*completed)(struct comp_env *env, request *r);
    /* A notable event for events.csv (faults, ejections, ...). */
    void (*event)(struct comp_env *env, const char *event, const component *target, const char *detail);
    /* Optional: true when `id` names a component of the scenario even if it
     * could not be built (its own errors are reported already), so that a
     * reference to it is not reported again as dangling. */
    bool (*known_id)(struct comp_env *env, const char *id);
    /* Optional: a traced request (r->trace != 0) reached a step at component
     * c: "send", "arrive", "hit", "miss", "forward", "respond", "return",
     * "drop". Called through comp_trace(). */
    void (*trace)(struct comp_env *env, request *r, const component *c, const char *what);
    void *world;
} comp_env;

typedef struct comp_ops {
    /* Builds c->state from c->conf. Errors go to errs (located at c->jpath);
     * returns 0 or a SIM_E* code. */
    int (*create)(component *c, conf_errors *errs);
    /* Resolves references with comp_resolve. 0 or SIM_EPARSE. */
    int (*link)(component *c, conf_errors *errs);
    /* Schedules initial events. 0 or SIM_E*. May be NULL. */
    int (*start)(component *c);
    /* A request arrived (r->arrived == now, r->at == c). */
    void (*on_request)(component *c, request *r);
    /* A response to a request c forwarded came back; the hop c pushed has
     * been popped into *hop (hop->state is what c pushed; r->arrived is
     * restored to the time r had arrived at c). */
    void (*on_response)(component *c, request *r, const req_hop *hop);
    void (*reset_stats)(component *c);                 /* may be NULL */
    void (*report)(component *c, cJSON *obj);          /* may be NULL */
    void (*free)(component *c);                        /* may be NULL */
    void (*crash)(component *c);                       /* may be NULL */
    void (*recover)(component *c);                     /* may be NULL */
    void (*set_slow)(component *c, double factor);     /* may be NULL */
    void (*flush)(component *c);                       /* may be NULL */
} comp_ops;

enum {
    /* Reached without a network hop: co-located with whoever talks to it
     * (a DNS resolver near the client, a disk inside its data node). */
    COMP_KIND_LOCAL = 1u << 0,
    /* Issues requests (has no upstream caller). */
    COMP_KIND_SOURCE = 1u << 1,
};

struct comp_kind {
    const char *name;
    const char *help;              /* one line, for `show` and docs */
    const conf_field *fields;      /* parameters, NULL-key terminated */
    size_t conf_size;              /* size of the struct fields fill */
    const comp_ops *ops;
    unsigned flags;                /* COMP_KIND_* */
};

struct component {
    const comp_kind *kind;
    char *id;                      /* unique */
    char *group;                   /* the entry's id before `count` expansion, or NULL */
    int region;                    /* index in env->net */
    size_t index;                  /* position in env->comps */
    comp_env *env;
    const cJSON *node;             /* the component's JSON object (borrowed) */
    char *jpath;                   /* "components[3]" */
    void *conf;                    /* kind->conf_size bytes, filled from JSON */
    void *state;                   /* private to the kind */
    component **links;             /* every component it may send to */
    size_t nlinks, cap_links;
    gsl_rng *rng;                  /* stream "<id>": the kind's own draws */
    gsl_rng *net_rng;              /* stream "<id>/net": delays of what it sends */
    bool down;                     /* crashed */
    bool refuse;                   /* while down: new requests are refused at once (the
                                      host answers, the process is dead) instead of lost */
    double slow;                   /* service-time factor, 1 normally */
    /* Measurements since the last reset (end of warm-up). */
    uint64_t requests;             /* requests arrived (for a client: issued) */
    uint64_t responses;            /* responses it sent back (or completed) */
    uint64_t dropped;              /* requests lost here (crashed) */
    /* Per-hop timeout (issue 5): a kind that opts in sets hop_timeout from its
     * `timeout` parameter (COMP_TIMEOUT_FIELD) and forwards with
     * comp_forward_timed; 0 waits as long as it takes. */
    sim_time_t hop_timeout;
    uint64_t hop_timeouts;         /* upstream calls given up on (answered timed_out) */
    uint64_t hop_late;             /* answers that came back after that: discarded */
    sim_hist latency;              /* ns from arrival to response */
    struct station *st;            /* its queueing station, if any */
    struct cache *cache;           /* its cache, if any */
    uint64_t win_requests, win_hits; /* cache lookups in the current window */
};

/* Creates a component of `kind` from its JSON object: allocates it, reads the
 * parameters (keys in `ignore` belong to the scenario layer), opens its random
 * streams and calls ops->create. On success returns 0 and *out (the caller
 * frees it with comp_free). On error records located messages in errs and
 * returns SIM_EPARSE (or SIM_ENOMEM); nothing is left allocated. */
int comp_create(const comp_kind *kind, const char *id, const char *group, int region,
                const cJSON *node, const char *jpath, const char *const *ignore,
                comp_env *env, component **out, conf_errors *errs);

/* Same with the parameters already filled in (tests, programmatic worlds):
 * the conf_size bytes at `conf` are copied and what they point to (strings,
 * lists, distributions) now belongs to the component, released with
 * conf_free_fields. node is NULL and jpath is the id. */
int comp_create_with(const comp_kind *kind, const char *id, int region, const void *conf, comp_env *env,
                     component **out, conf_errors *errs);

/* Calls ops->free and releases everything the component owns. NULL is ok. */
void comp_free(component *c);

/* Resolves the ids stored in c->conf by the CONF_REF or CONF_REFLIST field
 * `key` to components. An id names one component, or every component of a
 * group (an entry expanded with `count`). Unknown ids are recorded in errs at
 * "<jpath>.<key>" with a did-you-mean suggestion, and a reference to itself is
 * an error. On success sets *out (a malloc'd array the caller owns, NULL when
 * the field is empty) and *n, adds the targets to c->links, and returns 0;
 * `required` makes an empty list an error. Returns SIM_EPARSE or SIM_ENOMEM. */
int comp_resolve(component *c, const char *key, bool required, component ***out, size_t *n,
                 conf_errors *errs);

/* Finds a component by id, or NULL. */
component *comp_find(const comp_env *env, const char *id);

/* Finds a CONF_REF/REFLIST field by key in c's table, for error locations. */
const conf_field *comp_field(const component *c, const char *key);

/* Sends request r from `from` to `to`: after the network delay between their
 * regions (zero when either kind is COMP_KIND_LOCAL) plus bytes / bandwidth,
 * `to` gets on_request. The caller pushed itself first if it wants the
 * response (comp_forward does both). */
void comp_send(component *from, component *to, request *r, uint64_t bytes);

/* Same, but the hop starts in region `src_region` (a resolver sending on
 * behalf of its client). */
void comp_send_from(component *from, int src_region, component *to, request *r, uint64_t bytes);

/* Pushes `from` with `state` on r's return path and sends r to `to` with a
 * request message of `bytes`. When the path is full, fails r back instead. */
void comp_forward(component *from, component *to, request *r, uint32_t state, uint64_t bytes);

/* The `timeout` parameter of a kind that opts into per-hop timeouts: a
 * CONF_DURATION at `member` of its conf struct `type`; `what` names who it
 * waits for ("the upstream"). create copies it to c->hop_timeout. */
#define COMP_TIMEOUT_FIELD(type, member, what)                                                          \
    { "timeout", CONF_DURATION, offsetof(type, member), "0",                                           \
      "per hop: answer timed_out when " what " has not answered in this time (0: wait)", 0, 0, NULL, NULL }

/* comp_forward with from->hop_timeout (issue 5). With no timeout it is
 * comp_forward. Otherwise r waits at `from` and a stand-in (a request from
 * env->reqs carrying r's object, size, flags and trace, partner = r, its own
 * return path starting with `from`) makes the trip. When the stand-in comes
 * back in time, its status and hit/miss flags are copied to r, it is freed,
 * and from's on_response runs for r with the hop `from` pushed, exactly as
 * after comp_forward. When the timeout fires first, r gets status
 * REQ_TIMED_OUT and from's on_response runs for it at once (the kind answers
 * its caller as for any error); the stand-in is marked REQ_F_ABANDONED and
 * freed here if it ever comes back (counted in from->hop_late), so nobody
 * answers twice and r is never touched again by the late answer. A stand-in
 * lost on the way (a crash, a lost packet) stays with the pool until the run
 * ends, like any dropped request. While `from` is down its timeouts do
 * nothing (a crashed box answers nothing). Out of memory for the stand-in
 * sets env->eng->error and fails r. */
void comp_forward_timed(component *from, component *to, request *r, uint32_t state, uint64_t bytes);

/* Answers r: records now - r->arrived in from->latency, pops the return path
 * and sends the response (carrying `bytes`, e.g. the object for a GET) to the
 * component on top, whose on_response runs on arrival. Set r->status first
 * when it is not REQ_OK. */
void comp_respond(component *from, request *r, uint64_t bytes);

/* c ran out of memory during the run and could not do what the model says
 * (queue a request, cache an object): records SIM_ENOMEM in the engine,
 * which stops the run before the next event, so that the shortfall is
 * reported as the simulator's failure rather than measured as the modelled
 * system's. The first error recorded is kept. */
void comp_out_of_memory(component *c);

/* Drops r at c: a crashed component answers nothing. Counts it in c->dropped;
 * the request stays with the pool until the run ends (a client timeout, when
 * configured, completes it). */
void comp_drop(component *c, request *r);

/* A random stream of c's own for one purpose: sim_rng_stream(seed,
 * "<id>/<purpose>"), so that each purpose draws independently of the others
 * and of every other component. The caller owns it (gsl_rng_free); NULL on
 * out of memory. */
gsl_rng *comp_stream(const component *c, const char *purpose);

/* Records a configuration error about c's `field`: located at that member of
 * c's JSON node (at the node itself when the field is not written there,
 * e.g. a default that conflicts with another field), with the JSON path
 * "<c->jpath>.<field>" and the printf-style message. Returns SIM_EPARSE,
 * so that a create function can `return comp_field_error(...)`. */
int comp_field_error(const component *c, conf_errors *errs, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Resets the base measurements and calls ops->reset_stats. */
void comp_reset_stats(component *c);

/* Builds the component's summary object (kind, region, links, requests,
 * utilization, mean_queue, latency_ms, then ops->report's fields). Region
 * names come from env->net. Returns NULL on out of memory. */
cJSON *comp_report(component *c);

/* Fault hooks with the base behaviour: crash marks it down (deliveries to it
 * are dropped) and calls ops->crash; recover undoes it; set_slow records the
 * factor and calls ops->set_slow; flush calls ops->flush. */
void comp_crash(component *c);
void comp_recover(component *c);
void comp_set_slow(component *c, double factor);
void comp_flush(component *c);

/* Records a step of a traced request (cheap no-op for the others). */
static inline void comp_trace(const component *c, request *r, const char *what)
{
    if (r->trace && c->env->trace) c->env->trace(c->env, r, c, what);
}

/* Whether measurements are on (now >= warm-up end). */
static inline bool comp_measuring(const component *c) { return c->env->eng->now >= c->env->warmup; }

/* Adds a formatted number to a cJSON object with a fixed format ("%.6f"
 * style via `fmt`), so summaries are byte-stable. Returns the item or NULL. */
cJSON *comp_json_num(cJSON *obj, const char *key, double v, const char *fmt);

/* Adds {mean, p50, p90, p99, p999, max} in milliseconds of h to obj[key]. */
cJSON *comp_json_latency(cJSON *obj, const char *key, const sim_hist *h);

#endif
