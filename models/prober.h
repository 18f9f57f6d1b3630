/* models/prober.h - health-checking a pool of components with events.
 *
 * The event-driven side of models/health.h, shared by the load balancer
 * (its backends) and the DNS (its edges). Each target is probed on the fixed
 * schedule of health.h, its first probe at a phase drawn from the owner's
 * stream "<owner id>/health". A probe crosses the network to the target
 * and back (lost on a partitioned or lossy link, late past the timeout) and
 * is answered at once by a target that is up: probes detect crashes,
 * partitions and loss, not slowness. A local owner (the DNS, co-located
 * with its clients) probes without network delay. Each change of state
 * calls on_change and writes "health_down" / "health_up" to events.csv.
 */
#ifndef MODELS_PROBER_H
#define MODELS_PROBER_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>
#include <gsl/gsl_rng.h>

#include "models/component.h"
#include "models/health.h"

typedef struct prober {
    component *owner;
    component **targets;       /* borrowed from the owner */
    size_t n;
    health_conf hc;
    health_member *hm;         /* per target */
    sim_time_t *sent;          /* per target: the outstanding probe's send time */
    gsl_rng *rng;              /* "<owner id>/health" */
    void (*on_change)(component *owner, size_t i, bool up);
} prober;

/* Reads the health_check object `json` (at `jpath`) with health_fields and
 * checks it. Errors are located in errs. Returns 0, SIM_EPARSE or
 * SIM_ENOMEM; *p must be released with prober_free in every case. */
int prober_init(prober *p, component *owner, const cJSON *json, const char *jpath, conf_errors *errs);

/* Sets the targets (borrowed; they must outlive the prober) and the
 * callback. 0 or SIM_ENOMEM. */
int prober_link(prober *p, component **targets, size_t n, void (*on_change)(component *owner, size_t i, bool up));

/* Schedules every target's first probe. */
void prober_start(prober *p);

/* Time target i has spent marked down up to now. */
sim_time_t prober_down_time(const prober *p, size_t i);

void prober_free(prober *p);

#endif
