/* models/cache/cache.c - the cache core shared by every policy: the entry
 * pool, the hash index, TTL, admission, capacity accounting and statistics.
 * Policies (one file each) only order entries: see cache_impl.h.
 *
 * Counting follows libCacheSim's cache_get_base so that cachesim results can
 * be compared with it: a request is a hit when the object is cached and not
 * expired (the cached size is kept even if the request names another size);
 * otherwise it is a miss, and the object is inserted after evicting until it
 * fits, unless it is larger than the whole cache or admission refuses it.
 */
#include "models/cache/cache_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/errors.h"
#include "sim/rng.h"

static const cache_ops *const policies[] = {
    &cache_ops_lru, &cache_ops_fifo, &cache_ops_clock, &cache_ops_sieve, &cache_ops_lfu, &cache_ops_s3fifo, NULL,
};

const char *const cache_policy_names[] = { "lru", "fifo", "clock", "sieve", "lfu", "s3fifo", NULL };

static const cache_ops *find_policy(const char *name)
{
    if (!name) return NULL;
    for (int i = 0; policies[i]; i++)
        if (!strcmp(policies[i]->name, name)) return policies[i];
    return NULL;
}

const char *cache_policy_summary(const char *policy)
{
    const cache_ops *o = find_policy(policy);
    return o ? o->summary : NULL;
}

size_t cache_entry_bytes(void) { return sizeof(cache_entry); }
size_t cache_index_bytes_per_entry(void) { return 2 * sizeof(uint64_t); }

/* ---- hash index ---- */

#define SLOT_EMPTY ((uint64_t)CACHE_NIL)

static inline uint32_t slot_entry(uint64_t s) { return (uint32_t)s; }
static inline uint32_t slot_tag(uint64_t s) { return (uint32_t)(s >> 32); }
static inline uint32_t id_tag(uint64_t id) { return (uint32_t)(sim_mix64(id) >> 32); }

/* The entry of `id` (whose tag is id_tag(id)), or CACHE_NIL. */
static uint32_t idx_find(const cache *c, uint64_t id, uint32_t tag)
{
    uint64_t i = tag & c->mask;
    for (;;) {
        uint64_t s = c->slots[i];
        uint32_t e = slot_entry(s);
        if (e == CACHE_NIL) return CACHE_NIL;
        if (slot_tag(s) == tag && c->pool[e].id == id) return e;
        i = (i + 1) & c->mask;
    }
}

/* Inserts entry e (whose id is not in the index). The table never fills:
 * it has at least two slots per pool entry. */
static void idx_put(uint64_t *slots, uint64_t mask, uint32_t tag, uint32_t e)
{
    uint64_t i = tag & mask;
    while (slot_entry(slots[i]) != CACHE_NIL) i = (i + 1) & mask;
    slots[i] = ((uint64_t)tag << 32) | e;
}

/* Backward-shift deletion (Knuth 6.4, algorithm R): later slots of the same
 * cluster move back when their home allows it, so no tombstones accumulate. */
static void idx_del(cache *c, uint32_t e)
{
    uint64_t m = c->mask, i = c->pool[e].tag & m;
    while (slot_entry(c->slots[i]) != e) i = (i + 1) & m;
    uint64_t j = i;
    for (;;) {
        j = (j + 1) & m;
        uint64_t s = c->slots[j];
        if (slot_entry(s) == CACHE_NIL) break;
        uint64_t k = slot_tag(s) & m; /* home of the key in slot j */
        /* It may move to i only if its home is not cyclically in (i, j]. */
        bool stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
        if (stays) continue;
        c->slots[i] = s;
        i = j;
    }
    c->slots[i] = SLOT_EMPTY;
}

static int idx_alloc(uint64_t nslots, uint64_t **out)
{
    uint64_t *s = malloc(nslots * sizeof *s);
    if (!s) return SIM_ENOMEM;
    memset(s, 0xff, nslots * sizeof *s); /* every slot empty (entry CACHE_NIL) */
    *out = s;
    return 0;
}

/* ---- pool ---- */

/* Doubles the pool, and the index with it when it would drop below two
 * slots per entry. All or nothing: on failure nothing changed. */
static int pool_grow(cache *c)
{
    uint64_t ncap = c->pool_cap ? (uint64_t)c->pool_cap * 2 : 64;
    if (ncap > CACHE_NIL - 1) ncap = CACHE_NIL - 1;
    if (ncap <= c->pool_cap) return SIM_ENOMEM;
    uint64_t nslots = c->mask + 1;
    uint64_t *ns = NULL;
    if (nslots < ncap * 2) {
        while (nslots < ncap * 2) nslots *= 2;
        if (idx_alloc(nslots, &ns)) return SIM_ENOMEM;
    }
    cache_entry *np = realloc(c->pool, ncap * sizeof *np);
    if (!np) {
        free(ns);
        return SIM_ENOMEM;
    }
    c->pool = np;
    c->pool_cap = (uint32_t)ncap;
    if (ns) {
        for (uint32_t i = 0; i < c->pool_top; i++) {
            uint8_t k = c->pool[i].kind;
            if (k == CACHE_ENTRY_CACHED || k == CACHE_ENTRY_GHOST) idx_put(ns, nslots - 1, c->pool[i].tag, i);
        }
        free(c->slots);
        c->slots = ns;
        c->mask = nslots - 1;
    }
    return 0;
}

/* Makes sure n more entries can be allocated without failing. */
static bool pool_reserve(cache *c, uint32_t n)
{
    while ((uint64_t)c->pool_cap - c->pool_live < n)
        if (pool_grow(c)) return false;
    return true;
}

static uint32_t pool_alloc(cache *c)
{
    if (!pool_reserve(c, 1)) return CACHE_NIL;
    uint32_t e;
    if (c->free_head != CACHE_NIL) {
        e = c->free_head;
        c->free_head = c->pool[e].next;
    } else {
        e = c->pool_top++;
    }
    c->pool_live++;
    memset(&c->pool[e], 0, sizeof c->pool[e]);
    c->pool[e].prev = c->pool[e].next = e;
    c->pool[e].expires = SIM_TIME_MAX;
    return e;
}

uint32_t cache_node_alloc(cache *c)
{
    uint32_t e = pool_alloc(c);
    if (e != CACHE_NIL) c->pool[e].kind = CACHE_ENTRY_NODE;
    return e;
}

void cache_entry_release(cache *c, uint32_t e)
{
    uint8_t k = c->pool[e].kind;
    if (k == CACHE_ENTRY_CACHED || k == CACHE_ENTRY_GHOST) idx_del(c, e);
    c->pool[e].kind = CACHE_ENTRY_FREE;
    c->pool[e].next = c->free_head;
    c->free_head = e;
    c->pool_live--;
}

/* ---- creation ---- */

static void reset_structures(cache *c)
{
    c->pool_top = 0;
    c->pool_live = 0;
    c->free_head = CACHE_NIL;
    memset(c->slots, 0xff, (c->mask + 1) * sizeof *c->slots);
    c->used = c->nobj = 0;
}

int cache_create(const cache_params *p, cache **out)
{
    if (!p || !out) return SIM_EINVAL;
    *out = NULL;
    const cache_ops *ops = find_policy(p->policy);
    if (!ops) return SIM_EINVAL;
    if (p->ttl < 0) return SIM_EINVAL;
    if (p->admission != CACHE_ADMIT_ALL && p->admission != CACHE_ADMIT_SIZE && p->admission != CACHE_ADMIT_PROB)
        return SIM_EINVAL;
    if (p->admission == CACHE_ADMIT_PROB && !(p->admit_prob >= 0.0 && p->admit_prob <= 1.0)) return SIM_EINVAL;
    cache *c = calloc(1, sizeof *c);
    if (!c) return SIM_ENOMEM;
    c->ops = ops;
    c->p = *p;
    c->p.policy = ops->name;
    c->p.rng_name = NULL; /* not kept: the caller owns the string */
    c->free_head = CACHE_NIL;
    /* Start small and grow: a byte capacity says nothing about object counts. */
    uint64_t want = 64;
    if (p->count_objects && p->capacity < (1u << 16)) want = p->capacity + 64;
    else if (p->count_objects) want = 1u << 16;
    uint64_t nslots = 128;
    while (nslots < want * 2) nslots *= 2;
    int rc = idx_alloc(nslots, &c->slots);
    if (rc) goto fail;
    c->mask = nslots - 1;
    c->pool = malloc(want * sizeof *c->pool);
    if (!c->pool) {
        rc = SIM_ENOMEM;
        goto fail;
    }
    c->pool_cap = (uint32_t)want;
    if (p->admission == CACHE_ADMIT_PROB) {
        c->rng = sim_rng_stream(p->seed, p->rng_name ? p->rng_name : "cache");
        if (!c->rng) {
            rc = SIM_ENOMEM;
            goto fail;
        }
    }
    rc = ops->init(c);
    if (rc) goto fail;
    *out = c;
    return 0;
fail:
    cache_free(c);
    return rc;
}

void cache_free(cache *c)
{
    if (!c) return;
    free(c->pool);
    free(c->slots);
    free(c->pstate);
    if (c->rng) gsl_rng_free(c->rng);
    free(c);
}

void cache_clear(cache *c)
{
    reset_structures(c);
    /* Cannot fail: the policy state exists already and its few nodes come
     * from a pool that has room for at least 64 entries. */
    (void)c->ops->init(c);
}

/* ---- the request path ---- */

static inline uint64_t charge_of(const cache *c, uint64_t size) { return c->p.count_objects ? 1 : size; }

/* Drops a cached entry that is not the policy's victim (removal, expiry). */
static void drop_cached(cache *c, uint32_t e)
{
    c->ops->unlink(c, e);
    c->used -= c->pool[e].charge;
    c->nobj--;
    cache_entry_release(c, e);
}

static void evict_one(cache *c, sim_time_t now)
{
    uint32_t v = c->ops->victim(c);
    if (v == CACHE_NIL) return;
    cache_entry *pv = &c->pool[v];
    c->used -= pv->charge;
    c->nobj--;
    c->st.evictions++;
    c->st.evict_age_sum += (double)(now - pv->stamp);
    if (pv->kind == CACHE_ENTRY_CACHED) cache_entry_release(c, v);
}

static bool admit(cache *c, uint64_t size)
{
    switch (c->p.admission) {
    case CACHE_ADMIT_SIZE: return size <= c->p.admit_max_size;
    case CACHE_ADMIT_PROB: return gsl_rng_uniform(c->rng) < c->p.admit_prob;
    default: return true;
    }
}

/* Memory ran out and the cache acts otherwise than its policy says: it
 * remembers (cache_error) and tells its owner (on_no_memory). */
static void no_memory(cache *c)
{
    c->error = SIM_ENOMEM;
    if (c->p.on_no_memory) c->p.on_no_memory(c->p.no_memory_ctx);
}

/* Inserts an id known to be absent (no CACHED entry; a ghost has been
 * forgotten already). Returns true if it is now cached. */
static bool insert_new(cache *c, uint64_t id, uint32_t tag, uint64_t size, sim_time_t now, sim_time_t ttl,
                       bool was_ghost)
{
    uint64_t ch = charge_of(c, size);
    if (ch > c->p.capacity) {
        c->st.too_large++;
        return false;
    }
    if (!admit(c, size)) {
        c->st.rejected++;
        return false;
    }
    /* Room for the entry and the policy's nodes (LFU's bucket), so that the
     * policy's own allocations cannot fail. Out of memory: serve uncached,
     * and say so (cache_error). */
    if (!pool_reserve(c, 1 + c->ops->nodes_per_insert)) {
        no_memory(c);
        return false;
    }
    while (c->used + ch > c->p.capacity && c->nobj > 0) evict_one(c, now);
    uint32_t e = pool_alloc(c);
    cache_entry *pe = &c->pool[e];
    pe->id = id;
    pe->charge = ch;
    pe->kind = CACHE_ENTRY_CACHED;
    pe->stamp = now;
    if (ttl < 0) ttl = c->p.ttl;
    pe->expires = ttl > 0 && now <= SIM_TIME_MAX - ttl ? now + ttl : SIM_TIME_MAX;
    pe->tag = tag;
    idx_put(c->slots, c->mask, tag, e);
    c->used += ch;
    c->nobj++;
    c->st.insertions++;
    c->ops->insert(c, e, was_ghost);
    return true;
}

/* Looks id up for a request: returns the cached, fresh entry or CACHE_NIL.
 * Expired entries are removed; a ghost is forgotten (and reported). */
static uint32_t find_fresh(cache *c, uint64_t id, uint32_t tag, sim_time_t now, bool *was_ghost)
{
    uint32_t e = idx_find(c, id, tag);
    *was_ghost = false;
    if (e == CACHE_NIL) return CACHE_NIL;
    cache_entry *pe = &c->pool[e];
    if (pe->kind == CACHE_ENTRY_GHOST) {
        *was_ghost = true;
        return e;
    }
    if (now >= pe->expires) {
        c->st.expirations++;
        drop_cached(c, e);
        return CACHE_NIL;
    }
    return e;
}

static bool request(cache *c, uint64_t id, uint64_t size, sim_time_t now, sim_time_t ttl, bool fill)
{
    c->st.requests++;
    c->st.bytes_requested += size;
    bool ghost;
    uint32_t tag = id_tag(id);
    uint32_t e = find_fresh(c, id, tag, now, &ghost);
    if (e != CACHE_NIL && !ghost) {
        /* LFU may need a new bucket node on a hit: reserve it here (failing,
         * LFU keeps the old frequency: cache_error says so). */
        if (c->ops->nodes_per_insert && !pool_reserve(c, c->ops->nodes_per_insert)) no_memory(c);
        c->st.hits++;
        c->st.bytes_hit += size;
        if (c->ops->touch_on_hit) c->pool[e].stamp = now;
        c->ops->hit(c, e);
        return true;
    }
    c->st.misses++;
    c->st.bytes_missed += size;
    if (fill) {
        if (ghost) {
            c->ops->forget_ghost(c, e);
            cache_entry_release(c, e);
        }
        insert_new(c, id, tag, size, now, ttl, ghost);
    }
    return false;
}

bool cache_get(cache *c, uint64_t id, uint64_t size, sim_time_t now)
{
    return request(c, id, size, now, CACHE_TTL_DEFAULT, true);
}

bool cache_get_ttl(cache *c, uint64_t id, uint64_t size, sim_time_t now, sim_time_t ttl)
{
    return request(c, id, size, now, ttl, true);
}

bool cache_lookup(cache *c, uint64_t id, uint64_t size, sim_time_t now)
{
    return request(c, id, size, now, CACHE_TTL_DEFAULT, false);
}

bool cache_insert_ttl(cache *c, uint64_t id, uint64_t size, sim_time_t now, sim_time_t ttl)
{
    bool ghost;
    uint32_t tag = id_tag(id);
    uint32_t e = find_fresh(c, id, tag, now, &ghost);
    if (e != CACHE_NIL && !ghost) {
        cache_entry *pe = &c->pool[e];
        if (pe->charge == charge_of(c, size)) {
            /* Refresh: a new copy from upstream restarts its time to live. */
            if (ttl < 0) ttl = c->p.ttl;
            pe->expires = ttl > 0 && now <= SIM_TIME_MAX - ttl ? now + ttl : SIM_TIME_MAX;
            return true;
        }
        drop_cached(c, e); /* the size changed: re-insert as a new object */
    } else if (ghost) {
        c->ops->forget_ghost(c, e);
        cache_entry_release(c, e);
    }
    return insert_new(c, id, tag, size, now, ttl, ghost);
}

bool cache_insert(cache *c, uint64_t id, uint64_t size, sim_time_t now)
{
    return cache_insert_ttl(c, id, size, now, CACHE_TTL_DEFAULT);
}

bool cache_find(const cache *c, uint64_t id, sim_time_t now)
{
    uint32_t e = idx_find(c, id, id_tag(id));
    return e != CACHE_NIL && c->pool[e].kind == CACHE_ENTRY_CACHED && now < c->pool[e].expires;
}

bool cache_remove(cache *c, uint64_t id)
{
    uint32_t e = idx_find(c, id, id_tag(id));
    if (e == CACHE_NIL) return false;
    if (c->pool[e].kind == CACHE_ENTRY_GHOST) {
        c->ops->forget_ghost(c, e);
        cache_entry_release(c, e);
        return false;
    }
    drop_cached(c, e);
    return true;
}

void cache_prefetch(const cache *c, uint64_t id)
{
    __builtin_prefetch(&c->slots[id_tag(id) & c->mask]);
}

int cache_error(const cache *c) { return c->error; }
const cache_stats *cache_get_stats(const cache *c) { return &c->st; }
void cache_reset_stats(cache *c) { memset(&c->st, 0, sizeof c->st); }
uint64_t cache_used(const cache *c) { return c->used; }
uint64_t cache_objects(const cache *c) { return c->nobj; }
uint64_t cache_capacity(const cache *c) { return c->p.capacity; }
const char *cache_policy_name(const cache *c) { return c->ops->name; }

double cache_characteristic_time(const cache *c)
{
    return c->st.evictions ? c->st.evict_age_sum / (double)c->st.evictions : NAN;
}
