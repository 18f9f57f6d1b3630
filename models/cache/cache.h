/* models/cache/cache.h - the cache interface: one table of functions per
 * policy, so a new policy is one new file (in the style of libCacheSim).
 *
 * A cache maps 64-bit object ids to cached objects of a given size. Capacity
 * is in bytes, or in objects when the cache was made with `count_objects`
 * (every object then counts as 1). All operations are O(1) for LRU, FIFO,
 * CLOCK and SIEVE (amortised for the others as documented per policy), and
 * allocate nothing per request: entries come from a pool sized at creation
 * from capacity (and grown geometrically only when objects are smaller than
 * the pool assumed).
 *
 * Time (for TTL expiry) is passed in by the caller: the cache has no clock.
 */
#ifndef MODELS_CACHE_CACHE_H
#define MODELS_CACHE_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/time.h"

typedef struct cache cache;

typedef enum {
    CACHE_ADMIT_ALL = 0,     /* admit every miss */
    CACHE_ADMIT_SIZE,        /* admit only objects <= admit_max_size bytes */
    CACHE_ADMIT_PROB,        /* admit with probability admit_prob */
} cache_admission;

typedef struct cache_params {
    const char *policy;      /* "lru", "fifo", "clock", "lfu", "s3fifo", "sieve" */
    uint64_t capacity;       /* bytes, or objects when count_objects */
    bool count_objects;      /* every object has size 1 */
    sim_time_t ttl;          /* 0 = no expiry; else entries expire ttl after insert */
    cache_admission admission;
    uint64_t admit_max_size; /* for CACHE_ADMIT_SIZE */
    double admit_prob;       /* for CACHE_ADMIT_PROB */
    uint64_t seed;           /* for probabilistic admission / randomised policies */
    const char *rng_name;    /* stable stream name for sim_rng_stream(seed, name);
                                NULL = "cache" (give each cache its own, e.g. "edge-1/cache") */
    /* called (when not NULL) each time memory runs out and the cache acts
     * otherwise than its policy says (see cache_error), with no_memory_ctx */
    void (*on_no_memory)(void *ctx);
    void *no_memory_ctx;
} cache_params;

typedef struct cache_stats {
    uint64_t requests, hits, misses;
    uint64_t bytes_requested, bytes_hit, bytes_missed;
    uint64_t insertions, evictions, expirations, rejected; /* rejected by admission */
    uint64_t too_large;      /* misses not inserted because size > capacity */
    double evict_age_sum;    /* sum over evictions of (now - stamp) in ns, where stamp is the
                                last access (insertion for FIFO): see cache_characteristic_time */
} cache_stats;

/* Creates a cache. Returns 0 and sets *out, or SIM_EINVAL (unknown policy,
 * bad parameters) / SIM_ENOMEM. The caller owns it; free with cache_free. */
int cache_create(const cache_params *p, cache **out);
void cache_free(cache *c);

/* One request, the common path: looks `id` up; on a hit updates the policy's
 * state and returns true; on a miss admits and inserts the object (evicting
 * as needed) when admission allows, and returns false. Updates stats.
 * Objects larger than the capacity are never inserted. */
bool cache_get(cache *c, uint64_t id, uint64_t size, sim_time_t now);

/* Lookup without side effects on policy state or stats: true if present and
 * not expired at `now`. */
bool cache_find(const cache *c, uint64_t id, sim_time_t now);

/* Inserts (or refreshes) an object without counting a request; used when a
 * miss is filled later (after the upstream fetch returns). Admission applies.
 * Returns true if the object is now cached. */
bool cache_insert(cache *c, uint64_t id, uint64_t size, sim_time_t now);

/* Lookup that counts a request and updates policy state on a hit, but does
 * not insert on a miss (the caller inserts when the fetch completes). */
bool cache_lookup(cache *c, uint64_t id, uint64_t size, sim_time_t now);

/* Removes an object if present. Returns true if it was. */
bool cache_remove(cache *c, uint64_t id);

/* Empties the cache (a `flush` fault); stats are kept. */
void cache_clear(cache *c);

/* SIM_ENOMEM once the cache could not get memory and had to act otherwise
 * than its policy says (an object served uncached, an LFU frequency not
 * counted), else 0. Never reset: results after it are not the policy's, and
 * the caller should stop and report it. */
int cache_error(const cache *c);

const cache_stats *cache_get_stats(const cache *c);
void cache_reset_stats(cache *c);

uint64_t cache_used(const cache *c);      /* bytes (or objects) in use */
uint64_t cache_objects(const cache *c);   /* objects cached */
uint64_t cache_capacity(const cache *c);
const char *cache_policy_name(const cache *c);

/* ---- additions (beyond the first interface) ---- */

/* TTL value meaning "use the cache's default ttl" in the *_ttl calls. */
#define CACHE_TTL_DEFAULT ((sim_time_t)-1)

/* cache_get / cache_insert with a per-object time to live (HTTP max-age per
 * object class): ttl > 0 expires the object ttl after insertion, 0 never,
 * CACHE_TTL_DEFAULT uses cache_params.ttl. A hit does not extend the ttl. */
bool cache_get_ttl(cache *c, uint64_t id, uint64_t size, sim_time_t now, sim_time_t ttl);
bool cache_insert_ttl(cache *c, uint64_t id, uint64_t size, sim_time_t now, sim_time_t ttl);

/* Hints the CPU to load the index slot of `id`: call a few requests ahead
 * when replaying a trace. No effect on results. */
void cache_prefetch(const cache *c, uint64_t id);

/* Mean age at eviction in ns (time since the last access; since insertion
 * for FIFO): an estimate of the characteristic time T of Che's approximation
 * for LRU and of the FIFO approximation. NAN when nothing was evicted. */
double cache_characteristic_time(const cache *c);

/* Metadata bytes per cached object: the pool entry plus the index slots
 * (at the maximum load of 0.5). Reported in docs/caching.md. */
size_t cache_entry_bytes(void);
size_t cache_index_bytes_per_entry(void);

/* One-line description of a policy (for --help), or NULL if unknown. */
const char *cache_policy_summary(const char *policy);

/* Names of the available policies, NULL-terminated (for --help and errors). */
extern const char *const cache_policy_names[];

#endif
