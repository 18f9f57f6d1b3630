/* sim/evpool.c - slab allocator behind the event free list. */
#include <stdlib.h>
#include <string.h>

#include "sim/errors.h"
#include "sim/event.h"

#define SIM_EVPOOL_FIRST_SLAB 1024
#define SIM_EVPOOL_MAX_SLAB (1u << 16)

void sim_evpool_init(sim_evpool *pool)
{
    pool->free_list = NULL;
    pool->slabs = NULL;
    pool->nslabs = pool->cap_slabs = 0;
    pool->slab_events = SIM_EVPOOL_FIRST_SLAB;
    pool->live = pool->total = 0;
}

void sim_evpool_free(sim_evpool *pool)
{
    for (size_t i = 0; i < pool->nslabs; i++) free(pool->slabs[i]);
    free(pool->slabs);
    sim_evpool_init(pool);
}

/* Adds one slab, each slab twice the previous up to a cap, so a pool that
 * grows to a million events makes a few dozen allocations in all. */
int sim_evpool_grow(sim_evpool *pool)
{
    if (pool->nslabs == pool->cap_slabs) {
        size_t cap = pool->cap_slabs ? pool->cap_slabs * 2 : 16;
        sim_event **s = realloc(pool->slabs, cap * sizeof *s);
        if (!s) return SIM_ENOMEM;
        pool->slabs = s;
        pool->cap_slabs = cap;
    }
    size_t n = pool->slab_events;
    /* Cache-line aligned, so that an event is exactly one line: malloc's
     * 16-byte alignment would split most records across two lines, and the
     * run loop reads both ends of the record (fn, gen, flags). */
    sim_event *slab = aligned_alloc(64, n * sizeof *slab);
    if (!slab) return SIM_ENOMEM;
    memset(slab, 0, n * sizeof *slab);
    pool->slabs[pool->nslabs++] = slab;
    /* Thread the slab onto the free list in address order. */
    for (size_t i = n; i-- > 0;) {
        slab[i].link.next = pool->free_list;
        pool->free_list = &slab[i];
    }
    pool->total += n;
    if (pool->slab_events < SIM_EVPOOL_MAX_SLAB) pool->slab_events *= 2;
    return 0;
}

int sim_evpool_reserve(sim_evpool *pool, size_t n)
{
    while (pool->total - pool->live < n) {
        int rc = sim_evpool_grow(pool);
        if (rc) return rc;
    }
    return 0;
}
