/* models/cdn_edge.h - a CDN edge server with a cache sized in bytes.
 *
 * A request looks the object up in the cache (models/cache, policy `policy`,
 * LRU by default). A hit is served by the edge's station: a read whose
 * service time is `service` (request handling plus the storage access) plus
 * size / `read_bandwidth`. A miss is forwarded to `upstream` (an origin load
 * balancer, a parent cache) without queueing at the edge, and the object is
 * inserted when the response comes back. Concurrent misses for the same
 * object are not collapsed (each goes upstream).
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
    char *policy;
    char *upstream;
} cdn_edge_conf;

#endif
