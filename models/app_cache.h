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
 *
 * A crash (issue 5) is the cache server's: it loses its contents. By
 * default the whole component goes down and answers nothing. With
 * `fall_through` the application around it stays up and does what
 * cache-aside code does on a cache error: it reads the database directly
 * (lookups that were in flight too) and skips the SET, until the cache is
 * back, empty. That is the cache outage whose load spike on the database
 * docs/faults.md describes.
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
    int policy;             /* index into cache_policy_names */
    sim_time_t ttl;
    char *database;
    bool fall_through;   /* issue 5: when the cache server is down, read the database */
    sim_time_t timeout;  /* per hop, on database reads; 0: wait (issue 5) */
} app_cache_conf;

#endif
