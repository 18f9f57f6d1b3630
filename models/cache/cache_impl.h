/* models/cache/cache_impl.h - what the cache core shares with the policy
 * files (not part of the public interface; only the files of models/cache/ include it).
 *
 * Layout. Every cached object, ghost (S3-FIFO's remembered ids) and policy
 * node (list sentinels, LFU frequency buckets) is a cache_entry in one pool,
 * an array that grows geometrically by realloc. Entries refer to each other
 * by 32-bit pool index, never by pointer, so a realloc needs no fix-up and a
 * link costs 4 bytes instead of 8. Policies therefore must not keep a
 * cache_entry pointer across a call that may allocate (cache_node_alloc).
 *
 * The hash index maps an object id to its entry: open addressing with linear
 * probing over a power-of-two table of 8-byte slots, each holding the upper
 * 32 bits of the id's hash (the "tag") and the entry index. The home slot is
 * tag & mask, so deletion (backward shift, no tombstones) never needs to
 * touch an entry to find where a slot's key belongs, and a probe that meets
 * a different tag skips the entry without reading it. The table has at least
 * two slots per pool entry (load <= 0.5).
 *
 * Lists are circular, doubly linked through prev/next, with a sentinel node:
 * sentinel.next is the oldest end (where FIFO-like policies evict) and
 * sentinel.prev the newest end.
 */
#ifndef MODELS_CACHE_CACHE_IMPL_H
#define MODELS_CACHE_CACHE_IMPL_H

#include <gsl/gsl_rng.h>

#include "models/cache/cache.h"

#define CACHE_NIL UINT32_MAX

enum { CACHE_ENTRY_FREE = 0, CACHE_ENTRY_CACHED, CACHE_ENTRY_GHOST, CACHE_ENTRY_NODE };

typedef struct cache_entry {
    uint64_t id;         /* object id; LFU bucket nodes keep their frequency here */
    uint64_t charge;     /* bytes it occupies (1 when the cache counts objects) */
    sim_time_t expires;  /* expired once now >= expires; SIM_TIME_MAX = never */
    sim_time_t stamp;    /* last access (or insertion, for FIFO): eviction age */
    uint32_t prev, next; /* list links; next also chains the pool's free list */
    uint32_t aux, aux2;  /* policy-specific (LFU: bucket of an entry, links of a bucket) */
    uint32_t tag;        /* upper half of sim_mix64(id): the index key (CACHED, GHOST) */
    uint8_t kind;        /* CACHE_ENTRY_* */
    uint8_t queue;       /* S3-FIFO: which queue */
    uint8_t freq;        /* CLOCK / SIEVE visited bit, S3-FIFO 2-bit counter */
    uint8_t spare;
} cache_entry;

typedef struct cache_ops {
    const char *name;
    const char *summary;  /* one line for --help and docs */
    bool touch_on_hit;    /* core sets stamp = now on a hit (false: stamp = insertion time) */
    uint32_t nodes_per_insert; /* nodes hit/insert may allocate (reserved by the core first) */
    /* Allocates c->pstate and sentinel nodes; called at creation and after a
     * clear (when the pool is empty). Returns 0 or SIM_ENOMEM. */
    int (*init)(cache *c);
    /* A hit on cached entry e. */
    void (*hit)(cache *c, uint32_t e);
    /* Links a new cached entry e; was_ghost when the id was a ghost just before. */
    void (*insert)(cache *c, uint32_t e, bool was_ghost);
    /* Chooses a victim among the cached entries, unlinks it and returns it
     * (still CACHED: the core accounts and frees it); or turns it into a ghost
     * (kind GHOST, still indexed) and returns it. CACHE_NIL only if empty. */
    uint32_t (*victim)(cache *c);
    /* Unlinks cached entry e (explicit remove or TTL expiry). */
    void (*unlink)(cache *c, uint32_t e);
    /* Unlinks ghost entry e before the core frees it; NULL if no ghosts. */
    void (*forget_ghost)(cache *c, uint32_t e);
} cache_ops;

struct cache {
    const cache_ops *ops;
    cache_params p;
    uint64_t used, nobj;
    cache_entry *pool;
    uint32_t pool_cap, pool_top, free_head, pool_live;
    uint64_t *slots;
    uint64_t mask;
    cache_stats st;
    int error;            /* SIM_ENOMEM once memory ran out (cache_error); never reset */
    gsl_rng *rng;
    void *pstate;         /* policy state, malloc'd by ops->init, freed by the core */
};

/* ---- pool (cache.c) ---- */

/* A fresh NODE entry (links to itself), or CACHE_NIL on out of memory (never
 * within nodes_per_insert allocations of an insert or hit). May move the
 * pool: re-derive entry pointers after calling it. */
uint32_t cache_node_alloc(cache *c);

/* Removes entry e from the index (if CACHED or GHOST) and returns it to the pool. */
void cache_entry_release(cache *c, uint32_t e);

static inline cache_entry *cache_e(const cache *c, uint32_t i) { return &c->pool[i]; }

/* ---- intrusive circular lists ---- */

static inline void cache_list_init(cache *c, uint32_t s)
{
    c->pool[s].prev = c->pool[s].next = s;
}

static inline bool cache_list_empty(const cache *c, uint32_t s) { return c->pool[s].next == s; }

/* Inserts e just before `at` (at the newest end when `at` is the sentinel). */
static inline void cache_list_insert_before(cache *c, uint32_t at, uint32_t e)
{
    cache_entry *pe = &c->pool[e], *pa = &c->pool[at];
    pe->next = at;
    pe->prev = pa->prev;
    c->pool[pa->prev].next = e;
    pa->prev = e;
}

static inline void cache_list_push_back(cache *c, uint32_t s, uint32_t e) { cache_list_insert_before(c, s, e); }

static inline void cache_list_remove(cache *c, uint32_t e)
{
    cache_entry *pe = &c->pool[e];
    c->pool[pe->prev].next = pe->next;
    c->pool[pe->next].prev = pe->prev;
    pe->prev = pe->next = e;
}

static inline void cache_list_move_back(cache *c, uint32_t s, uint32_t e)
{
    cache_list_remove(c, e);
    cache_list_push_back(c, s, e);
}

/* The policy tables, one per file. */
extern const cache_ops cache_ops_lru, cache_ops_fifo, cache_ops_clock, cache_ops_sieve, cache_ops_lfu,
    cache_ops_s3fifo;

#endif
