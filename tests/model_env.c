/* tests/model_env.c - the hand-wired test world (see tests/model_env.h). */
#include "tests/model_env.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sim/dist.h"
#include "tests/harness.h"

void model_env_completed(comp_env *env, request *r)
{
    model_env *t = env->world;
    sim_time_t lat = env->eng->now - r->issued;
    if (t->done++ == 0) t->first_latency = lat;
    if (r->op < REQ_NOPS && !t->first_by_op[r->op]) t->first_by_op[r->op] = lat;
    t->last_latency = lat;
    if (r->status == REQ_OK || r->status == REQ_PENDING) t->ok++;
    if (r->status == REQ_FAILED) t->failed++;
    if (r->status == REQ_REJECTED) t->rejected++;
}

void model_env_init(model_env *t, size_t nregions, const char *const *names, double same_ns, double same_bw,
                    double cross_ns, double cross_bw, uint64_t seed)
{
    memset(t, 0, sizeof *t);
    sim_engine_init(&t->eng);
    req_pool_init(&t->pool);
    net_link_conf same = { .bandwidth = same_bw }, cross = { .bandwidth = cross_bw };
    sim_dist_const(&same.delay, same_ns);
    sim_dist_const(&cross.delay, cross_ns);
    CHECK_EQ_I64(net_init_simple(&t->nt, nregions, names, &same, &cross), 0);
    sim_dist_free(&same.delay);
    sim_dist_free(&cross.delay);
    t->env.eng = &t->eng;
    t->env.net = &t->nt;
    t->env.reqs = &t->pool;
    t->env.seed = seed;
    t->env.end = SIM_TIME_MAX;
    t->env.completed = model_env_completed;
    t->env.world = t;
    t->env.comps = t->c;
}

component *model_env_add(model_env *t, const comp_kind *k, const char *id, int region, const void *conf)
{
    if (t->n == MODEL_ENV_MAX) {
        tests_fail(__FILE__, __LINE__, "model_env: more than %d components", MODEL_ENV_MAX);
        return NULL;
    }
    conf_errors errs;
    conf_errors_init(&errs);
    component *c = NULL;
    CHECK_EQ_I64(comp_create_with(k, id, region, conf, &t->env, &c, &errs), 0);
    conf_errors_free(&errs);
    if (!c) return NULL;
    c->index = t->n;
    t->c[t->n++] = c;
    t->env.ncomps = t->n;
    return c;
}

int model_env_link(model_env *t)
{
    conf_errors errs;
    conf_errors_init(&errs);
    int bad = 0;
    for (size_t i = 0; i < t->n; i++)
        if (t->c[i]->kind->ops->link && t->c[i]->kind->ops->link(t->c[i], &errs) != 0) bad = 1;
    conf_errors_free(&errs);
    return bad;
}

void model_env_run(model_env *t, sim_time_t until)
{
    conf_errors errs;
    conf_errors_init(&errs);
    for (size_t i = 0; i < t->n; i++)
        if (t->c[i]->kind->ops->link) CHECK_EQ_I64(t->c[i]->kind->ops->link(t->c[i], &errs), 0);
    conf_errors_free(&errs);
    for (size_t i = 0; i < t->n; i++)
        if (t->c[i]->kind->ops->start) t->c[i]->kind->ops->start(t->c[i]);
    sim_run(&t->eng, until);
}

void model_env_free(model_env *t)
{
    for (size_t i = 0; i < t->n; i++) comp_free(t->c[i]);
    net_free(&t->nt);
    req_pool_free(&t->pool);
    sim_engine_free(&t->eng);
}

static conf_strlist list_of(size_t n, const char *const *ids)
{
    conf_strlist l;
    l.n = n;
    l.v = malloc(n * sizeof *l.v);
    for (size_t i = 0; i < n; i++) l.v[i] = strdup(ids[i]);
    return l;
}

conf_strlist model_env_list(size_t n, ...)
{
    const char *ids[16];
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n && i < 16; i++) ids[i] = va_arg(ap, const char *);
    va_end(ap);
    return list_of(n < 16 ? n : 16, ids);
}

server_conf model_env_server(double service_ns, int64_t servers)
{
    server_conf sc;
    memset(&sc, 0, sizeof sc);
    sc.st.servers = servers;
    sc.st.queue_limit = -1;
    sim_dist_const(&sc.st.service, service_ns);
    return sc;
}

gateway_conf model_env_gateway(double service_ns, const char *metadata, conf_strlist datanodes)
{
    gateway_conf gc;
    memset(&gc, 0, sizeof gc);
    gc.st.servers = 1;
    gc.st.queue_limit = -1;
    sim_dist_const(&gc.st.service, service_ns);
    gc.metadata = strdup(metadata);
    gc.datanodes = datanodes;
    return gc;
}

client_conf model_env_client(const char *to, int64_t users, int64_t objects, double size)
{
    client_conf cc;
    memset(&cc, 0, sizeof cc);
    cc.mode = CLIENT_CLOSED;
    cc.concurrency = users;
    cc.to = strdup(to);
    cc.objects = objects;
    cc.zipf = 0;
    sim_dist_const(&cc.think, 0);
    sim_dist_const(&cc.size, size);
    sim_dist_const(&cc.last_mile, 0);
    return cc;
}
