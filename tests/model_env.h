/* tests/model_env.h - a "test world" for model tests that wire components by
 * hand (no scenario file): an engine, a network of constant delays, a
 * request pool, and the comp_env the components see.
 *
 * Usage:
 *     model_env t;
 *     model_env_init(&t, 1, (const char *[]){ "a" }, 1e6, 1e9, 1e6, 1e9, 7);
 *     component *s = model_env_add(&t, &server_kind, "s", 0, &conf);
 *     ...
 *     model_env_run(&t, SIM_S);   (or model_env_link + start by hand)
 *     model_env_free(&t);
 *
 * Linked into the test binary as a helper (any file in tests/ whose name
 * does not start with test_). */
#ifndef TESTS_MODEL_ENV_H
#define TESTS_MODEL_ENV_H

#include <stddef.h>
#include <stdint.h>

#include "app/conf.h"
#include "models/client.h"
#include "models/component.h"
#include "models/gateway.h"
#include "models/net.h"
#include "models/request.h"
#include "models/server.h"
#include "sim/engine.h"

#define MODEL_ENV_MAX 24

typedef struct model_env {
    sim_engine eng;
    net nt;
    req_pool pool;
    comp_env env;                 /* env.world is this model_env unless the test sets its own */
    component *c[MODEL_ENV_MAX];  /* in the order added; c[i]->index == i */
    size_t n;
    /* Counted by the default completion hook (model_env_completed): answers
     * that came back, by status (REQ_PENDING counts as ok), the latency of
     * the first and of the last one, and of the first one of each operation. */
    uint64_t done, ok, failed, rejected;
    sim_time_t first_latency, last_latency;
    sim_time_t first_by_op[REQ_NOPS];
} model_env;

/* Builds an empty world on `nregions` regions named `names`: every message
 * takes a constant `same_ns` (bandwidth `same_bw` bytes/s, 0 = unlimited)
 * inside a region and `cross_ns` (`cross_bw`) between two. Components draw
 * from streams of `seed`; env.completed is model_env_completed and
 * env.world is t (a test may replace either, and set env.event). Records a
 * test failure if the network cannot be built. Release with
 * model_env_free(). */
void model_env_init(model_env *t, size_t nregions, const char *const *names, double same_ns, double same_bw,
                    double cross_ns, double cross_bw, uint64_t seed);

/* The default env.completed: counts the answer in t->done/ok/failed/rejected
 * and keeps its latency in t->first_latency (the first answer),
 * t->first_by_op[r->op] (the first of its operation) and t->last_latency
 * (env->world must be the model_env). */
void model_env_completed(comp_env *env, request *r);

/* Creates a component of kind k from its config struct (comp_create_with;
 * the component takes what conf owns) in region `region` and appends it.
 * Records a test failure (one CHECK) unless it was created; returns it, or
 * NULL. The model_env owns the component. */
component *model_env_add(model_env *t, const comp_kind *k, const char *id, int region, const void *conf);

/* Links every component (ops->link). Returns 1 if any link failed, else 0;
 * records no test failure itself. */
int model_env_link(model_env *t);

/* Links every component, checking each link (one CHECK per component with a
 * link operation), starts every component, and runs the engine to `until`. */
void model_env_run(model_env *t, sim_time_t until);

/* Frees the components, the network, the pool and the engine. */
void model_env_free(model_env *t);

/* ---- configurations with constant times, for model_env_add ---- */

/* A list of n ids (the const char * arguments, at most 16), each
 * strdup'd: the component that receives it in its conf owns it. */
conf_strlist model_env_list(size_t n, ...);

/* A server with `servers` servers, a constant service time of service_ns
 * and an unlimited queue (the rest zero: defaults). */
server_conf model_env_server(double service_ns, int64_t servers);

/* A gateway with one server, a constant service time of service_ns, an
 * unlimited queue, `metadata` (strdup'd; "" = none) and `datanodes` (taken
 * over); the rest zero (defaults). */
gateway_conf model_env_gateway(double service_ns, const char *metadata, conf_strlist datanodes);

/* A closed-loop client of `users` users sending to `to` (strdup'd): no
 * think time, no last mile, `objects` objects chosen uniformly (zipf 0),
 * every one of `size` bytes. */
client_conf model_env_client(const char *to, int64_t users, int64_t objects, double size);

#endif
