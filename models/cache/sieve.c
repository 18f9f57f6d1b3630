/* models/cache/sieve.c - SIEVE (Zhang et al., NSDI'24).
 *
 * Entries sit in insertion order and never move; a hit sets a visited bit.
 * A hand starts at the oldest entry and walks towards newer ones: a visited
 * entry loses its bit and is passed over, the first unvisited entry is the
 * victim, and the hand stays at the victim's newer neighbour for the next
 * eviction; past the newest entry it wraps to the oldest. New objects go to
 * the newest end, behind the hand, so they survive until the hand comes
 * round. O(1) amortised.
 */
#include <stdlib.h>

#include "models/cache/cache_impl.h"
#include "sim/errors.h"

typedef struct {
    uint32_t list;
    uint32_t hand; /* next entry to examine; the sentinel means "start at the oldest" */
} sieve_state;

static int sieve_init(cache *c)
{
    if (!c->pstate && !(c->pstate = calloc(1, sizeof(sieve_state)))) return SIM_ENOMEM;
    sieve_state *s = c->pstate;
    if ((s->list = cache_node_alloc(c)) == CACHE_NIL) return SIM_ENOMEM;
    s->hand = s->list;
    return 0;
}

static void sieve_hit(cache *c, uint32_t e) { c->pool[e].freq = 1; }

static void sieve_insert(cache *c, uint32_t e, bool was_ghost)
{
    (void)was_ghost;
    sieve_state *s = c->pstate;
    c->pool[e].freq = 0;
    cache_list_push_back(c, s->list, e);
}

static void sieve_unlink(cache *c, uint32_t e)
{
    sieve_state *s = c->pstate;
    if (s->hand == e) s->hand = c->pool[e].next;
    cache_list_remove(c, e);
}

static uint32_t sieve_victim(cache *c)
{
    sieve_state *s = c->pstate;
    if (cache_list_empty(c, s->list)) return CACHE_NIL;
    uint32_t h = s->hand;
    for (;;) {
        if (h == s->list) h = c->pool[h].next; /* wrap to the oldest */
        if (!c->pool[h].freq) break;
        c->pool[h].freq = 0;
        h = c->pool[h].next;
    }
    s->hand = c->pool[h].next;
    cache_list_remove(c, h);
    return h;
}

const cache_ops cache_ops_sieve = {
    .name = "sieve",
    .summary = "SIEVE: FIFO order, a hand skips (and clears) visited objects; objects never move",
    .touch_on_hit = true,
    .init = sieve_init,
    .hit = sieve_hit,
    .insert = sieve_insert,
    .victim = sieve_victim,
    .unlink = sieve_unlink,
};
