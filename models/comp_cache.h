/* models/comp_cache.h - what the kinds that keep a cache of objects
 * (cdn_edge, app_cache) share: building the cache from their parameters with
 * a located error, and the cache fields of their summary. */
#ifndef MODELS_COMP_CACHE_H
#define MODELS_COMP_CACHE_H

#include <cjson/cJSON.h>

#include "app/conf.h"
#include "models/cache/cache.h"
#include "models/component.h"

/* cache_create(p, out), then c->cache = *out so that the base report shows
 * its hit ratio; when the cache runs out of memory, the run is stopped
 * (comp_out_of_memory). The caller owns *out (cache_free). Returns 0; SIM_EPARSE
 * after adding "cannot create a \"POLICY\" cache of N bytes: ..." at c's
 * JSON path to errs when the parameters do not fit together (the policy
 * name itself is checked when the parameters are read); or SIM_ENOMEM. */
int comp_cache_create(component *c, const cache_params *p, cache **out, conf_errors *errs);

/* Adds to the summary object o, in this order: evictions, expirations,
 * characteristic_time_s, cache_used_bytes, cache_objects. */
void comp_cache_report(const cache *k, cJSON *o);

#endif
