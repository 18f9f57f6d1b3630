/* sim/engine.c - the run loop. */
#include "sim/engine.h"

#include <stdlib.h>

#include "sim/errors.h"

void sim_engine_init(sim_engine *eng)
{
    eng->now = 0;
    eng->next_seq = 0;
    eng->events = 0;
    eng->cancelled_pending = 0;
    eng->error = 0;
    eng->stop = 0;
    sim_evset_init(&eng->set);
    sim_evpool_init(&eng->pool);
    eng->progress = NULL;
    eng->progress_ctx = NULL;
    eng->progress_every = 65536;
    eng->purge_buf = NULL;
    eng->purge_cap = 0;
    eng->purges = 0;
}

int sim_engine_set_queue(sim_engine *eng, sim_evset_kind kind, size_t threshold)
{
    if (eng->next_seq != 0 || sim_evset_size(&eng->set) != 0) return SIM_ESTATE;
    sim_evset_free(&eng->set);
    sim_evset_init_kind(&eng->set, kind, threshold);
    return 0;
}

void sim_engine_free(sim_engine *eng)
{
    sim_evset_free(&eng->set);
    sim_evpool_free(&eng->pool);
    free(eng->purge_buf);
    eng->purge_buf = NULL;
    eng->purge_cap = 0;
}

sim_event_ref sim_schedule_at(sim_engine *eng, sim_time_t t, sim_handler_fn fn,
                              void *target, void *arg, uint64_t data)
{
    sim_event_ref ref = { NULL, 0 };
    sim_event *ev = sim_evpool_get(&eng->pool);
    if (!ev) {
        if (!eng->error) eng->error = SIM_ENOMEM;
        return ref;
    }
    ev->time = t > eng->now ? t : eng->now;
    ev->seq = eng->next_seq++;
    ev->fn = fn;
    ev->target = target;
    ev->arg = arg;
    ev->data = data;
    ev->flags = 0;
    if (sim_evset_push(&eng->set, ev) != 0) {
        sim_evpool_put(&eng->pool, ev);
        if (!eng->error) eng->error = SIM_ENOMEM;
        return ref;
    }
    ref.ev = ev;
    ref.gen = ev->gen;
    return ref;
}

bool sim_cancel(sim_engine *eng, sim_event_ref ref)
{
    if (!sim_event_pending(ref)) return false;
    ref.ev->flags |= SIM_EV_CANCELLED;
    eng->cancelled_pending++;
    return true;
}

/* Cancelled events stay in the set until their time comes, which makes
 * sim_cancel O(1); but a model that cancels most of what it schedules far
 * ahead (a 30 s timeout per request, nearly always cancelled) would keep
 * rate x 30 s dead records. So once the cancelled events are at least
 * SIM_PURGE_MIN and outnumber the live ones, they are purged: every event
 * is taken out in order, the cancelled ones go back to the pool and the
 * others are put back with their own (time, seq), so what runs, and in
 * which order, does not change. A purge of n events follows at least n / 2
 * cancellations: O(1) amortised per cancellation. The scratch array grows
 * by doubling and is kept; if it cannot grow, the purge is skipped (the
 * events are still correct, only the memory is not reclaimed). */
#define SIM_PURGE_MIN 4096

static void purge_cancelled(sim_engine *eng)
{
    size_t n = sim_evset_size(&eng->set);
    if (n > eng->purge_cap) {
        size_t cap = eng->purge_cap ? eng->purge_cap : 4096;
        while (cap < n) cap *= 2;
        sim_event **b = realloc(eng->purge_buf, cap * sizeof *b);
        if (!b) return;
        eng->purge_buf = b;
        eng->purge_cap = cap;
    }
    size_t k = 0;
    sim_event *ev;
    while ((ev = sim_evset_pop(&eng->set)) != NULL) {
        if (ev->flags & SIM_EV_CANCELLED) {
            eng->cancelled_pending--;
            sim_evpool_put(&eng->pool, ev);
        } else {
            eng->purge_buf[k++] = ev;
        }
    }
    for (size_t i = 0; i < k; i++)
        if (sim_evset_push(&eng->set, eng->purge_buf[i]) != 0) {
            /* cannot happen short of memory: the set's blocks were just freed */
            if (!eng->error) eng->error = SIM_ENOMEM;
            for (size_t j = i; j < k; j++) sim_evpool_put(&eng->pool, eng->purge_buf[j]);
            break;
        }
    eng->purges++;
}

int sim_run(sim_engine *eng, sim_time_t until)
{
    eng->stop = 0;
    /* 0 means never: an all-ones mask matches only when the count wraps */
    uint64_t mask = eng->progress_every ? eng->progress_every - 1 : UINT64_MAX;
    for (;;) {
        if (eng->error) return eng->error;
        if (eng->stop) return SIM_EINTR;
        if (eng->cancelled_pending >= SIM_PURGE_MIN && eng->cancelled_pending * 2 > sim_evset_size(&eng->set))
            purge_cancelled(eng);
        sim_event *ev = sim_evset_pop_until(&eng->set, until);
        if (!ev) {
            /* Nothing left at or before `until`: time still advances to it
             * when live events remain beyond. */
            if (sim_pending(eng) > 0 && eng->now < until) eng->now = until;
            return 0;
        }
        if (ev->flags & SIM_EV_CANCELLED) {
            eng->cancelled_pending--;
            sim_evpool_put(&eng->pool, ev);
            continue;
        }
        eng->now = ev->time;
        ev->gen++; /* a running event is no longer pending: refs to it go stale */
        ev->fn(eng, ev);
        sim_evpool_put(&eng->pool, ev);
        if ((++eng->events & mask) == 0 && eng->progress) eng->progress(eng, eng->progress_ctx);
    }
}
