/* models/app_cache.h - an application cache (a Redis-like key-value store in
 * RAM) used cache-aside in front of a database.
 *
 * Every request first asks the cache (a GET served by the cache's station:
 * `service` plus size / `read_bandwidth`). A hit is answered from there. A
 * miss then goes to `database`, as the application would do next, and when
 * the row comes back the application writes it into the cache (the SET of
 * cache-aside; its own cost is not on the request's path) and answers.
 * Entries expire `ttl` after the SET (0 = never). Capacity, policy and
 * counting are those of models/cache (docs/caching.md).
 */
#ifndef MODELS_APP_CACHE_H
#define MODELS_APP_CACHE_H

#include "models/component.h"
#include "models/station.h"

extern const comp_kind app_cache_kind;

typedef struct app_cache_conf {
    station_conf st;
    double read_bandwidth;
    uint64_t cache_size;
    char *policy;
    sim_time_t ttl;
    char *database;
} app_cache_conf;

#endif
