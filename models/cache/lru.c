/* models/cache/lru.c - least recently used.
 *
 * One list in recency order: a hit moves the entry to the newest end, a new
 * object goes there too, and the victim is the oldest end. O(1) per request.
 */
#include <stdlib.h>

#include "models/cache/cache_impl.h"
#include "sim/errors.h"

typedef struct {
    uint32_t list; /* sentinel */
} lru_state;

static int lru_init(cache *c)
{
    if (!c->pstate && !(c->pstate = calloc(1, sizeof(lru_state)))) return SIM_ENOMEM;
    lru_state *s = c->pstate;
    if ((s->list = cache_node_alloc(c)) == CACHE_NIL) return SIM_ENOMEM;
    return 0;
}

static void lru_hit(cache *c, uint32_t e)
{
    lru_state *s = c->pstate;
    cache_list_move_back(c, s->list, e);
}

static void lru_insert(cache *c, uint32_t e, bool was_ghost)
{
    (void)was_ghost;
    lru_state *s = c->pstate;
    cache_list_push_back(c, s->list, e);
}

static uint32_t lru_victim(cache *c)
{
    lru_state *s = c->pstate;
    uint32_t v = c->pool[s->list].next;
    if (v == s->list) return CACHE_NIL;
    cache_list_remove(c, v);
    return v;
}

static void lru_unlink(cache *c, uint32_t e) { cache_list_remove(c, e); }

const cache_ops cache_ops_lru = {
    .name = "lru",
    .summary = "least recently used: evicts the object whose last request is oldest",
    .touch_on_hit = true,
    .init = lru_init,
    .hit = lru_hit,
    .insert = lru_insert,
    .victim = lru_victim,
    .unlink = lru_unlink,
};
