/* app/faultrun.h - what summary.json says about each fault of the timeline.
 *
 * The world (app/world.c) parses the `faults` section and applies each step
 * through the component hooks and the network's fault state. This module
 * measures them: fault_run_start() schedules, at every step, an event that
 * runs just after the world's own and snapshots the counters it needs; a
 * model reporting "health_down" for a target (fault_run_note) stamps the
 * detection. fault_run_report() then writes, per fault: time to detect (first
 * health-check ejection of a target), time to recover (from the time series:
 * back within 10% of before the fault), requests that failed meanwhile, the
 * peak utilisation of the survivors (the targets' peers: same group, or the
 * other backends of a balancer sending to a target), and the load the
 * targets and their peers received relative to the offered load; plus the
 * run's availability. docs/faults.md defines each number.
 */
#ifndef APP_FAULTRUN_H
#define APP_FAULTRUN_H

#include <cjson/cJSON.h>

#include "app/conf.h"
#include "models/component.h"

struct world;

/* Prepares the per-fault measurements once w->faults is parsed; sets
 * w->fault_stats. 0 or SIM_ENOMEM. */
int fault_run_load(struct world *w);

/* Schedules the snapshots, after the world scheduled its fault steps.
 * 0 or SIM_ENOMEM. */
int fault_run_start(struct world *w);

/* A model reported `event` about `target` (e.g. "health_down"): notes the
 * first detection of each running fault whose targets include it. */
void fault_run_note(struct world *w, const char *event, const component *target);

/* Adds "availability" and the "faults" array to a summary object. */
void fault_run_report(const struct world *w, cJSON *summary);

void fault_run_free(struct world *w);

#endif
