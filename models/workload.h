/* models/workload.h - what the kinds that issue requests (client,
 * trace_replay) do alike at both ends of a request's life: stamping and
 * counting it when it leaves, and counting its latency and telling the
 * world when its final answer is back. Keeping this in one place keeps
 * the two kinds' numbers comparable. */
#ifndef MODELS_WORKLOAD_H
#define MODELS_WORKLOAD_H

#include "app/conf.h"
#include "models/component.h"
#include "models/request.h"

/* Resolves the workload's `to` parameter (one component, required) into
 * *to. Returns 0, or the error of comp_resolve (reported in errs). */
int workload_link(component *c, component **to, conf_errors *errs);

/* r, filled in by workload c, leaves now: sets its issue and arrival times
 * to now; after warm-up marks it REQ_F_MEASURED and counts it in
 * c->requests; then calls env->issued (if set). r stays the caller's. */
void workload_issue(component *c, request *r);

/* The final answer of r is back at workload c: after warm-up counts it in
 * c->responses and, when r was measured, records its latency (now - issued)
 * in c->latency; then calls env->completed (if set). r stays the caller's
 * (it is not freed). */
void workload_complete(component *c, request *r);

#endif
