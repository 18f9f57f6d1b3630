/* models/cache/clock.c - CLOCK (second chance) with one reference bit.
 *
 * Entries sit in insertion order; a hit sets the entry's bit. To evict, the
 * hand looks at the oldest entry: if its bit is set, the bit is cleared and
 * the entry goes back to the newest end (its second chance); otherwise it is
 * the victim. This is the FIFO-reinsertion form of CLOCK, equivalent to a
 * hand sweeping a circular buffer. O(1) amortised: each reinsertion consumes
 * a bit that a hit set.
 */
#include <stdlib.h>

#include "models/cache/cache_impl.h"
#include "sim/errors.h"

typedef struct {
    uint32_t list;
} clock_state;

static int clock_init(cache *c)
{
    if (!c->pstate && !(c->pstate = calloc(1, sizeof(clock_state)))) return SIM_ENOMEM;
    clock_state *s = c->pstate;
    if ((s->list = cache_node_alloc(c)) == CACHE_NIL) return SIM_ENOMEM;
    return 0;
}

static void clock_hit(cache *c, uint32_t e) { c->pool[e].freq = 1; }

static void clock_insert(cache *c, uint32_t e, bool was_ghost)
{
    (void)was_ghost;
    clock_state *s = c->pstate;
    c->pool[e].freq = 0;
    cache_list_push_back(c, s->list, e);
}

static uint32_t clock_victim(cache *c)
{
    clock_state *s = c->pstate;
    for (;;) {
        uint32_t v = c->pool[s->list].next;
        if (v == s->list) return CACHE_NIL;
        if (!c->pool[v].freq) {
            cache_list_remove(c, v);
            return v;
        }
        c->pool[v].freq = 0;
        cache_list_move_back(c, s->list, v);
    }
}

static void clock_unlink(cache *c, uint32_t e) { cache_list_remove(c, e); }

const cache_ops cache_ops_clock = {
    .name = "clock",
    .summary = "CLOCK (second chance): FIFO where a hit object, reaching the hand, is kept once more",
    .touch_on_hit = true,
    .init = clock_init,
    .hit = clock_hit,
    .insert = clock_insert,
    .victim = clock_victim,
    .unlink = clock_unlink,
};
