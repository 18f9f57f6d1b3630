/* models/workload.c - a workload's requests leaving and coming back (see
 * workload.h). */
#include "models/workload.h"

#include <stdlib.h>

int workload_link(component *c, component **to, conf_errors *errs)
{
    component **t;
    size_t n;
    int rc = comp_resolve(c, "to", true, &t, &n, errs);
    if (rc != 0) return rc;
    *to = t[0];
    free(t);
    return 0;
}

void workload_issue(component *c, request *r)
{
    comp_env *env = c->env;
    r->issued = env->eng->now;
    r->arrived = env->eng->now;
    if (comp_measuring(c)) {
        r->flags |= REQ_F_MEASURED;
        c->requests++;
    }
    if (env->issued) env->issued(env, r);
}

void workload_complete(component *c, request *r)
{
    comp_env *env = c->env;
    if (comp_measuring(c)) {
        c->responses++;
        if (r->flags & REQ_F_MEASURED) sim_hist_record(&c->latency, env->eng->now - r->issued);
    }
    if (env->completed) env->completed(env, r);
}
