/* models/cache/s3fifo.c - S3-FIFO (Yang et al., "FIFO queues are all you
 * need for cache eviction", SOSP'23).
 *
 * Three FIFO queues: a small one S (10% of the capacity, at least one unit),
 * a main one M (the rest) and a ghost G that remembers only the ids (and
 * sizes) of objects recently evicted from S, up to M's capacity in total.
 * Each cached object has a 2-bit frequency: 0 on insertion, +1 per hit,
 * capped at 3.
 *   - A miss whose id is in G goes to M (it was requested again soon after
 *     leaving S); any other miss goes to S. Objects larger than S's share
 *     also go straight to M.
 *   - To evict: if M holds more than its share, or S is empty, evict from
 *     M, else from S.
 *   - From S: the oldest object moves to M (frequency reset to 0) if it was
 *     requested at least once while in S (threshold 1, as the first
 *     author's blog post illustrates; libCacheSim defaults to two requests)
 *     and the next oldest is examined; the first one never requested is
 *     evicted into G.
 *   - From M: the oldest object, if its frequency is above 0, goes back to
 *     M's newest end with frequency - 1 (CLOCK with a 2-bit counter);
 *     otherwise it is evicted.
 * Ghost entries are pool entries kept in the hash index (kind GHOST): an
 * object's entry simply changes kind when it is demoted, so demotion never
 * allocates. O(1) amortised per request.
 */
#include <stdlib.h>

#include "models/cache/cache_impl.h"
#include "sim/errors.h"

enum { Q_SMALL = 1, Q_MAIN = 2, Q_GHOST = 3 };

typedef struct {
    uint32_t small, main, ghost;             /* sentinels */
    uint64_t small_used, main_used, ghost_used;
    uint64_t small_cap, main_cap, ghost_cap; /* in charge units */
} s3_state;

static int s3_init(cache *c)
{
    if (!c->pstate && !(c->pstate = calloc(1, sizeof(s3_state)))) return SIM_ENOMEM;
    s3_state *s = c->pstate;
    uint64_t cap = c->p.capacity;
    s->small_cap = cap / 10 ? cap / 10 : 1;
    s->main_cap = cap > s->small_cap ? cap - s->small_cap : 0;
    s->ghost_cap = s->main_cap;
    s->small_used = s->main_used = s->ghost_used = 0;
    if ((s->small = cache_node_alloc(c)) == CACHE_NIL) return SIM_ENOMEM;
    if ((s->main = cache_node_alloc(c)) == CACHE_NIL) return SIM_ENOMEM;
    if ((s->ghost = cache_node_alloc(c)) == CACHE_NIL) return SIM_ENOMEM;
    return 0;
}

static void s3_hit(cache *c, uint32_t e)
{
    if (c->pool[e].freq < 3) c->pool[e].freq++;
}

static void to_main(cache *c, s3_state *s, uint32_t e)
{
    c->pool[e].queue = Q_MAIN;
    c->pool[e].freq = 0;
    s->main_used += c->pool[e].charge;
    cache_list_push_back(c, s->main, e);
}

static void s3_insert(cache *c, uint32_t e, bool was_ghost)
{
    s3_state *s = c->pstate;
    if (was_ghost || c->pool[e].charge > s->small_cap) {
        to_main(c, s, e);
        return;
    }
    c->pool[e].queue = Q_SMALL;
    c->pool[e].freq = 0;
    s->small_used += c->pool[e].charge;
    cache_list_push_back(c, s->small, e);
}

static void s3_unlink(cache *c, uint32_t e)
{
    s3_state *s = c->pstate;
    if (c->pool[e].queue == Q_SMALL) s->small_used -= c->pool[e].charge;
    else s->main_used -= c->pool[e].charge;
    cache_list_remove(c, e);
}

static void s3_forget_ghost(cache *c, uint32_t e)
{
    s3_state *s = c->pstate;
    s->ghost_used -= c->pool[e].charge;
    cache_list_remove(c, e);
}

static uint32_t evict_main(cache *c, s3_state *s)
{
    while (!cache_list_empty(c, s->main)) {
        uint32_t t = c->pool[s->main].next;
        if (c->pool[t].freq > 0) {
            c->pool[t].freq--;
            cache_list_move_back(c, s->main, t);
            continue;
        }
        s3_unlink(c, t);
        return t;
    }
    return CACHE_NIL;
}

static uint32_t evict_small(cache *c, s3_state *s)
{
    while (!cache_list_empty(c, s->small)) {
        uint32_t t = c->pool[s->small].next;
        s3_unlink(c, t);
        if (c->pool[t].freq >= 1) {
            to_main(c, s, t);
            continue;
        }
        uint64_t ch = c->pool[t].charge;
        if (ch <= s->ghost_cap) {
            /* Make room in G first, so that t itself is never trimmed. */
            while (s->ghost_used + ch > s->ghost_cap) {
                uint32_t g = c->pool[s->ghost].next;
                s3_forget_ghost(c, g);
                cache_entry_release(c, g);
            }
            c->pool[t].kind = CACHE_ENTRY_GHOST;
            c->pool[t].queue = Q_GHOST;
            s->ghost_used += ch;
            cache_list_push_back(c, s->ghost, t);
        }
        return t;
    }
    return CACHE_NIL;
}

static uint32_t s3_victim(cache *c)
{
    s3_state *s = c->pstate;
    uint32_t v = CACHE_NIL;
    if (s->main_used > s->main_cap || cache_list_empty(c, s->small)) v = evict_main(c, s);
    if (v == CACHE_NIL) v = evict_small(c, s);
    if (v == CACHE_NIL) v = evict_main(c, s);
    return v;
}

const cache_ops cache_ops_s3fifo = {
    .name = "s3fifo",
    .summary = "S3-FIFO: small FIFO (10%) filters one-hit wonders, main FIFO with 2-bit CLOCK, ghost FIFO",
    .touch_on_hit = true,
    .init = s3_init,
    .hit = s3_hit,
    .insert = s3_insert,
    .victim = s3_victim,
    .unlink = s3_unlink,
    .forget_ghost = s3_forget_ghost,
};
