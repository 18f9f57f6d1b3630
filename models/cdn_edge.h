/* models/cdn_edge.h - a CDN edge server with a cache sized in bytes.
 *
 * A request looks the object up in the cache (models/cache, policy `policy`,
 * LRU by default). A hit is served by the edge's station: a read whose
 * service time is `service` (request handling plus the storage access) plus
 * size / `read_bandwidth`. A miss is forwarded to `upstream` (an origin load
 * balancer, a parent cache) without queueing at the edge, and the object is
 * inserted when the response comes back. Cached objects expire `ttl` after
 * insertion (0 = never; an expired object is a miss), or per object class:
 * `ttl_by_size` lists classes {"up_to": size, "ttl": duration} and the first
 * class whose up_to is at least the object's size gives its TTL (Cache-
 * Control max-age per class: small objects such as pages and API answers
 * briefly, large media for long); objects above every class use `ttl`.
 *
 * Request collapsing (`collapse`, off by default as in nginx's
 * proxy_cache_lock): while a miss for an object is being fetched, later
 * misses for the same object wait for that fetch instead of going upstream
 * too, and are answered when it returns (with its status). Off, every miss
 * goes upstream: the thundering herd a teacher may want to show.
 *
 * Admission: only objects of at most `admit_max_size` bytes are cached (0 =
 * any size), and with `admit_one_in` N >= 2 a miss is cached with
 * probability 1/N (drawn from the edge's own stream "<id>/admission").
 *
 * An edge's upstream may be another cdn_edge (a regional shield), giving
 * edge -> shield -> origin tiers, each with its own cache and counters.
 */
#ifndef MODELS_CDN_EDGE_H
#define MODELS_CDN_EDGE_H

#include "models/component.h"
#include "models/station.h"

extern const comp_kind cdn_edge_kind;

typedef struct cdn_edge_conf {
    station_conf st;
    double read_bandwidth;
    uint64_t cache_size;
    int policy;             /* index into cache_policy_names */
    char *upstream;
    sim_time_t ttl;
    bool collapse;
    const cJSON *ttl_by_size; /* raw: [{"up_to": SIZE, "ttl": DURATION}, ...] */
    uint64_t admit_max_size;  /* 0: no size limit */
    int64_t admit_one_in;     /* cache a miss with probability 1/N (0 or 1: always) */
    sim_time_t timeout;       /* per hop, on upstream fetches and writes; 0: wait (issue 5) */
} cdn_edge_conf;

#endif
