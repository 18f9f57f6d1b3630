/* app/faultrun.h - the fault timeline applied to a running world, and what
 * summary.json says about each fault.
 *
 * world_load() calls fault_run_load() once the components are built (the
 * parser, models/faults.h, needs their ids, groups, kinds and regions);
 * world_run() calls fault_run_start(), which schedules one event per step of
 * the timeline. Each step calls the component fault hooks (comp_crash,
 * comp_recover, comp_set_slow, comp_flush) or changes the network (slow
 * link, partition, degraded link), and writes a line to events.csv.
 * Overlapping faults compose: a component crashed by two faults comes back
 * when both have ended; slow factors multiply; a link stays cut while any
 * partition covers it.
 *
 * Measurements per fault (for summary.json's "faults" array, see
 * docs/faults.md): when a health check first ejected one of its targets
 * (time to detect), when the time series was back within 10% of before the
 * fault (time to recover), requests that failed meanwhile, the peak
 * utilisation of the survivors (the targets' peers), and the load the
 * targets and their peers received relative to the offered load.
 */
#ifndef APP_FAULTRUN_H
#define APP_FAULTRUN_H

#include <cjson/cJSON.h>

#include "app/conf.h"
#include "models/component.h"

struct world;

/* Parses the scenario's `faults` against the built world. Errors are
 * located in errs. Returns 0, SIM_EPARSE or SIM_ENOMEM; w->faults is set
 * (possibly to an empty timeline) unless out of memory. */
int fault_run_load(struct world *w, conf_errors *errs);

/* Schedules the timeline's steps on w's engine. 0 or SIM_ENOMEM. */
int fault_run_start(struct world *w);

/* A model reported `event` about `target` (e.g. "health_down"): notes the
 * first detection of each running fault whose targets include it. */
void fault_run_note(struct world *w, const char *event, const component *target);

/* Adds "availability" and the "faults" array to a summary object. Returns
 * 0, or SIM_ENOMEM when a fault's report could not be completed (the
 * summary is then not to be used). */
int fault_run_report(const struct world *w, cJSON *summary);

void fault_run_free(struct world *w);

#endif
