/* models/cache/fifo.c - first in, first out.
 *
 * One list in insertion order; hits change nothing; the victim is the oldest
 * insertion. O(1) per request. The eviction age is the time since insertion,
 * which is the characteristic time of the FIFO approximation.
 */
#include <stdlib.h>

#include "models/cache/cache_impl.h"
#include "sim/errors.h"

typedef struct {
    uint32_t list;
} fifo_state;

static int fifo_init(cache *c)
{
    if (!c->pstate && !(c->pstate = calloc(1, sizeof(fifo_state)))) return SIM_ENOMEM;
    fifo_state *s = c->pstate;
    if ((s->list = cache_node_alloc(c)) == CACHE_NIL) return SIM_ENOMEM;
    return 0;
}

static void fifo_hit(cache *c, uint32_t e)
{
    (void)c;
    (void)e;
}

static void fifo_insert(cache *c, uint32_t e, bool was_ghost)
{
    (void)was_ghost;
    fifo_state *s = c->pstate;
    cache_list_push_back(c, s->list, e);
}

static uint32_t fifo_victim(cache *c)
{
    fifo_state *s = c->pstate;
    uint32_t v = c->pool[s->list].next;
    if (v == s->list) return CACHE_NIL;
    cache_list_remove(c, v);
    return v;
}

static void fifo_unlink(cache *c, uint32_t e) { cache_list_remove(c, e); }

const cache_ops cache_ops_fifo = {
    .name = "fifo",
    .summary = "first in, first out: evicts the object inserted longest ago; hits change nothing",
    .touch_on_hit = false,
    .init = fifo_init,
    .hit = fifo_hit,
    .insert = fifo_insert,
    .victim = fifo_victim,
    .unlink = fifo_unlink,
};
