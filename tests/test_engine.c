/* tests/test_engine.c - the run loop: ordering, ties, cancellation, run-until. */
#include <stdio.h>
#include <stdlib.h>

#include "sim/engine.h"
#include "sim/errors.h"
#include "tests/harness.h"

typedef struct {
    int order[64];
    sim_time_t at[64];
    int n;
} trace_log;

static void log_event(sim_engine *eng, sim_event *ev)
{
    trace_log *log = ev->target;
    log->at[log->n] = eng->now;
    log->order[log->n++] = (int)ev->data;
}

static void test_order_and_ties(void)
{
    sim_engine eng;
    trace_log log = { .n = 0 };
    sim_engine_init(&eng);
    sim_schedule(&eng, 30, log_event, &log, NULL, 0);
    sim_schedule(&eng, 10, log_event, &log, NULL, 1);
    sim_schedule(&eng, 20, log_event, &log, NULL, 2);
    sim_schedule(&eng, 10, log_event, &log, NULL, 3); /* tie with 1: runs after it */
    sim_schedule(&eng, 10, log_event, &log, NULL, 4);
    CHECK_EQ_I64(sim_run(&eng, SIM_TIME_MAX), 0);
    int want[] = { 1, 3, 4, 2, 0 };
    CHECK_EQ_I64(log.n, 5);
    for (int i = 0; i < 5; i++) CHECK_EQ_I64(log.order[i], want[i]);
    CHECK_EQ_I64(log.at[0], 10);
    CHECK_EQ_I64(log.at[4], 30);
    CHECK_EQ_U64(eng.events, 5);
    sim_engine_free(&eng);
}

static void test_cancel(void)
{
    sim_engine eng;
    trace_log log = { .n = 0 };
    sim_engine_init(&eng);
    sim_event_ref a = sim_schedule(&eng, 10, log_event, &log, NULL, 0);
    sim_event_ref b = sim_schedule(&eng, 20, log_event, &log, NULL, 1);
    CHECK_EQ_U64(sim_pending(&eng), 2);
    CHECK_TRUE(sim_cancel(&eng, a));
    CHECK_TRUE(!sim_cancel(&eng, a)); /* twice: no */
    CHECK_EQ_U64(sim_pending(&eng), 1);
    CHECK_EQ_I64(sim_run(&eng, SIM_TIME_MAX), 0);
    CHECK_EQ_I64(log.n, 1);
    CHECK_EQ_I64(log.order[0], 1);
    CHECK_TRUE(!sim_cancel(&eng, b)); /* already ran */
    CHECK_TRUE(!sim_event_pending(b));
    /* A stale ref must not cancel the event that now reuses the record. */
    sim_event_ref c = sim_schedule(&eng, 5, log_event, &log, NULL, 2);
    CHECK_TRUE(!sim_cancel(&eng, a));
    CHECK_TRUE(sim_event_pending(c));
    sim_run(&eng, SIM_TIME_MAX);
    CHECK_EQ_I64(log.n, 2);
    sim_engine_free(&eng);
}

static void test_run_until_resumes(void)
{
    sim_engine eng;
    trace_log log = { .n = 0 };
    sim_engine_init(&eng);
    for (int i = 0; i < 10; i++) sim_schedule(&eng, (i + 1) * SIM_S, log_event, &log, NULL, (uint64_t)i);
    CHECK_EQ_I64(sim_run(&eng, 5 * SIM_S), 0);
    CHECK_EQ_I64(log.n, 5);
    CHECK_EQ_I64(eng.now, 5 * SIM_S);
    CHECK_EQ_U64(sim_pending(&eng), 5);
    CHECK_EQ_I64(sim_run(&eng, 100 * SIM_S), 0);
    CHECK_EQ_I64(log.n, 10);
    CHECK_EQ_I64(eng.now, 10 * SIM_S);
    sim_engine_free(&eng);
}

static void stopper(sim_engine *eng, sim_event *ev)
{
    log_event(eng, ev);
    sim_stop(eng);
}

static void test_stop(void)
{
    sim_engine eng;
    trace_log log = { .n = 0 };
    sim_engine_init(&eng);
    sim_schedule(&eng, 1, log_event, &log, NULL, 0);
    sim_schedule(&eng, 2, stopper, &log, NULL, 1);
    sim_schedule(&eng, 3, log_event, &log, NULL, 2);
    CHECK_EQ_I64(sim_run(&eng, SIM_TIME_MAX), SIM_EINTR);
    CHECK_EQ_I64(log.n, 2);
    CHECK_EQ_I64(sim_run(&eng, SIM_TIME_MAX), 0);
    CHECK_EQ_I64(log.n, 3);
    sim_engine_free(&eng);
}


/* A model scheduling an event earlier than one already beyond the previous
 * run's end must see it run first (time never goes backwards). */
static void test_schedule_between_runs_keeps_order(void)
{
    sim_engine eng;
    trace_log log = { .n = 0 };
    sim_engine_init(&eng);
    sim_schedule(&eng, 10 * SIM_S, log_event, &log, NULL, 0);
    CHECK_EQ_I64(sim_run(&eng, 5 * SIM_S), 0);
    CHECK_EQ_I64(eng.now, 5 * SIM_S);
    sim_schedule(&eng, 2 * SIM_S, log_event, &log, NULL, 1); /* at 7 s */
    CHECK_EQ_I64(sim_run(&eng, 20 * SIM_S), 0);
    CHECK_EQ_I64(log.n, 2);
    CHECK_EQ_I64(log.order[0], 1);
    CHECK_EQ_I64(log.at[0], 7 * SIM_S);
    CHECK_EQ_I64(log.order[1], 0);
    CHECK_EQ_I64(log.at[1], 10 * SIM_S);
    sim_engine_free(&eng);
}

/* An event beyond the end of a run stays pending and can be cancelled
 * between runs. */
static void test_cancel_beyond_run_end(void)
{
    sim_engine eng;
    trace_log log = { .n = 0 };
    sim_engine_init(&eng);
    sim_event_ref a = sim_schedule(&eng, 10 * SIM_S, log_event, &log, NULL, 0);
    sim_event_ref b = sim_schedule(&eng, 12 * SIM_S, log_event, &log, NULL, 1);
    CHECK_EQ_I64(sim_run(&eng, 5 * SIM_S), 0);
    CHECK_EQ_U64(sim_pending(&eng), 2);
    CHECK_TRUE(sim_event_pending(a));
    CHECK_TRUE(sim_cancel(&eng, a));
    CHECK_EQ_U64(sim_pending(&eng), 1);
    CHECK_EQ_I64(sim_run(&eng, 11 * SIM_S), 0);
    CHECK_EQ_I64(log.n, 0);
    CHECK_EQ_I64(eng.now, 11 * SIM_S);
    CHECK_EQ_U64(sim_pending(&eng), 1);
    CHECK_TRUE(sim_cancel(&eng, b));
    CHECK_EQ_U64(sim_pending(&eng), 0);
    CHECK_EQ_I64(sim_run(&eng, 20 * SIM_S), 0);
    CHECK_EQ_I64(log.n, 0);
    CHECK_EQ_U64(eng.events, 0);
    CHECK_EQ_I64(eng.now, 11 * SIM_S); /* nothing live remained: the clock stays */
    CHECK_EQ_U64(sim_evset_size(&eng.set), 0); /* the cancelled records went back */
    CHECK_EQ_U64(eng.pool.live, 0);
    sim_engine_free(&eng);
}

typedef struct {
    sim_event_ref self, other;
    bool cancel_self, cancel_other;
    size_t pending_seen;
    trace_log *log;
} canceller;

static void cancelling_handler(sim_engine *eng, sim_event *ev)
{
    canceller *c = ev->target;
    c->log->order[c->log->n++] = (int)ev->data;
    c->cancel_self = sim_cancel(eng, c->self);   /* running: must refuse */
    c->cancel_other = sim_cancel(eng, c->other); /* same time, later seq */
    c->pending_seen = sim_pending(eng);
}

static void test_cancel_running_and_same_time(void)
{
    sim_engine eng;
    trace_log log = { .n = 0 };
    canceller c = { .log = &log };
    sim_engine_init(&eng);
    c.self = sim_schedule(&eng, 100, cancelling_handler, &c, NULL, 7);
    c.other = sim_schedule(&eng, 100, log_event, &log, NULL, 8);
    sim_schedule(&eng, 200, log_event, &log, NULL, 9);
    CHECK_EQ_U64(sim_pending(&eng), 3);
    CHECK_EQ_I64(sim_run(&eng, SIM_TIME_MAX), 0);
    CHECK_TRUE(!c.cancel_self);
    CHECK_TRUE(c.cancel_other);
    CHECK_EQ_U64(c.pending_seen, 1); /* only the event at 200 */
    CHECK_EQ_I64(log.n, 2);
    CHECK_EQ_I64(log.order[0], 7);
    CHECK_EQ_I64(log.order[1], 9);
    CHECK_EQ_U64(eng.events, 2);
    CHECK_EQ_U64(sim_pending(&eng), 0);
    sim_engine_free(&eng);
}

static void test_set_queue_only_when_fresh(void)
{
    sim_engine eng;
    trace_log log = { .n = 0 };
    sim_engine_init(&eng);
    CHECK_EQ_I64(sim_engine_set_queue(&eng, SIM_EVSET_LADDER, 0), 0);
    sim_schedule(&eng, 1, log_event, &log, NULL, 0);
    CHECK_EQ_I64(sim_engine_set_queue(&eng, SIM_EVSET_HEAP, 0), SIM_ESTATE);
    CHECK_EQ_I64(sim_run(&eng, SIM_TIME_MAX), 0);
    CHECK_EQ_I64(log.n, 1);
    sim_engine_free(&eng);
}

/* ---- a random workload: schedules, cancellations, runs in slices ---- */

typedef struct {
    sim_engine *eng;
    uint64_t rnd;
    sim_event_ref refs[4096];
    size_t live;      /* our own count of pending, non-cancelled events */
    uint64_t hash;    /* of the (time, data) sequence of events run */
    uint64_t ran, mismatches, next_id;
    size_t budget;    /* events still allowed to be scheduled */
} workload;

static uint64_t wl_rnd(workload *w)
{
    uint64_t z = (w->rnd += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void wl_event(sim_engine *eng, sim_event *ev);

static void wl_schedule(workload *w)
{
    if (!w->budget) return;
    w->budget--;
    uint64_t r = wl_rnd(w);
    /* many ties: zero delays and a few fixed delays, plus spread ones */
    sim_time_t d = r % 4 == 0 ? 0 : r % 4 == 1 ? (sim_time_t)(r >> 8) % 4 * SIM_MS : (sim_time_t)((r >> 8) % (50 * SIM_MS));
    sim_event_ref ref = sim_schedule(w->eng, d, wl_event, w, NULL, w->next_id++);
    w->refs[wl_rnd(w) % 4096] = ref;
    w->live++;
}

static void wl_event(sim_engine *eng, sim_event *ev)
{
    workload *w = ev->target;
    w->ran++;
    w->live--;
    w->hash = (w->hash ^ (uint64_t)eng->now) * 0x100000001b3ULL;
    w->hash = (w->hash ^ ev->data) * 0x100000001b3ULL;
    uint64_t r = wl_rnd(w);
    /* 0, 1, 2 or 2 new events: the population grows until the budget is
     * spent, then drains */
    int k = r % 4 == 0 ? 0 : r % 4 == 1 ? 1 : 2;
    for (int i = 0; i < k; i++) wl_schedule(w);
    if (r % 5 == 0) {
        sim_event_ref *x = &w->refs[(r >> 16) % 4096];
        if (sim_cancel(eng, *x)) w->live--;
    }
    if (sim_pending(eng) != w->live) w->mismatches++;
}

static void run_workload(sim_evset_kind kind, size_t events, uint64_t *hash, uint64_t *ran, uint64_t *mism)
{
    sim_engine eng;
    sim_engine_init(&eng);
    sim_engine_set_queue(&eng, kind, 0);
    static workload w;
    memset(&w, 0, sizeof w);
    w.eng = &eng;
    w.rnd = 99;
    w.budget = events;
    for (int i = 0; i < 2000; i++) wl_schedule(&w);
    /* run in slices, cancelling some events between slices */
    for (sim_time_t t = 10 * SIM_MS; sim_pending(&eng) > 0; t += 10 * SIM_MS) {
        CHECK_EQ_I64(sim_run(&eng, t), 0);
        if (sim_pending(&eng) != w.live) w.mismatches++;
        sim_event_ref *x = &w.refs[wl_rnd(&w) % 4096];
        if (sim_cancel(&eng, *x)) w.live--;
    }
    CHECK_EQ_U64(eng.pool.live, 0);
    *hash = w.hash;
    *ran = w.ran;
    *mism = w.mismatches;
    sim_engine_free(&eng);
}

/* The same workload on every pending-event set must run the same events in
 * the same order, with sim_pending() exact throughout. */
static void test_workload_same_on_every_queue(void)
{
    size_t events = tests_under_asan() ? 30000 : 300000;
    uint64_t h[3], ran[3], mism[3];
    sim_evset_kind kinds[3] = { SIM_EVSET_HEAP, SIM_EVSET_LADDER, SIM_EVSET_ADAPTIVE };
    for (int i = 0; i < 3; i++) {
        run_workload(kinds[i], events, &h[i], &ran[i], &mism[i]);
        CHECK_EQ_U64(mism[i], 0);
    }
    CHECK_TRUE(ran[0] > events / 2);
    CHECK_EQ_U64(ran[1], ran[0]);
    CHECK_EQ_U64(ran[2], ran[0]);
    CHECK_EQ_U64(h[1], h[0]);
    CHECK_EQ_U64(h[2], h[0]);
}

/* The progress hook runs every progress_every events, and never with 0. */
static void count_progress(sim_engine *eng, void *ctx)
{
    (void)eng;
    ++*(int *)ctx;
}

static void noop_event(sim_engine *eng, sim_event *ev)
{
    (void)eng;
    (void)ev;
}

static void test_progress_every(void)
{
    for (int k = 0; k < 2; k++) {
        sim_engine eng;
        int calls = 0;
        sim_engine_init(&eng);
        eng.progress = count_progress;
        eng.progress_ctx = &calls;
        eng.progress_every = k == 0 ? 256 : 0;
        for (int i = 0; i < 1000; i++) sim_schedule(&eng, i, noop_event, NULL, NULL, 0);
        CHECK_EQ_I64(sim_run(&eng, SIM_TIME_MAX), 0);
        CHECK_EQ_I64(calls, k == 0 ? 3 : 0); /* after events 256, 512, 768 */
        sim_engine_free(&eng);
    }
}

/* The purge of cancelled events (sim/engine.c). A driver event, every
 * 1 ms, schedules three events at random times up to 30 s ahead (on a 10 ms
 * grid, so times often tie) and cancels, with probability 9/10 each, the
 * three it scheduled 50 drives earlier, then schedules itself again: like
 * clients whose timeouts are nearly always cancelled by the response. What
 * runs must be exactly the events never cancelled, in (time, seq) order;
 * and the pool must stay near the live events, not grow with the dead. */
#define PURGE_N 60000
typedef struct {
    sim_event_ref ref[PURGE_N];
    sim_time_t at[PURGE_N];
    unsigned char cancelled[PURGE_N];
    int scheduled, drives, fired, bad_order;
    sim_time_t last_at;
    uint64_t last_seq, lcg;
    size_t max_total;
} purge_world;

static uint64_t purge_rand(purge_world *w)
{
    w->lcg = w->lcg * 6364136223846793005ULL + 1442695040888963407ULL;
    return w->lcg >> 33;
}

static void purge_fired(sim_engine *eng, sim_event *ev)
{
    purge_world *w = ev->target;
    int i = (int)ev->data;
    /* (time, seq) strictly increasing, the time the one scheduled */
    if (eng->now != w->at[i] || w->cancelled[i] || eng->now < w->last_at ||
        (eng->now == w->last_at && ev->seq <= w->last_seq))
        w->bad_order++;
    w->last_at = eng->now;
    w->last_seq = ev->seq;
    w->fired++;
}

static void purge_drive(sim_engine *eng, sim_event *ev)
{
    purge_world *w = ev->target;
    for (int k = 0; k < 3 && w->scheduled < PURGE_N; k++) {
        int i = w->scheduled++;
        /* far ahead (up to 30 s), sometimes at the same time as another */
        sim_time_t t = eng->now + (sim_time_t)(purge_rand(w) % 3000) * 10 * SIM_MS;
        w->at[i] = t;
        w->ref[i] = sim_schedule_at(eng, t, purge_fired, w, NULL, (uint64_t)i);
    }
    for (int i = w->scheduled - 153; i >= 0 && i < w->scheduled - 150; i++)
        if (purge_rand(w) % 10 != 0 && sim_cancel(eng, w->ref[i])) w->cancelled[i] = 1;
    if (eng->pool.total > w->max_total) w->max_total = eng->pool.total;
    if (++w->drives < PURGE_N / 3) sim_schedule(eng, SIM_MS, purge_drive, w, NULL, 0);
    (void)ev;
}

static void test_purge_cancelled(void)
{
    purge_world *w = calloc(1, sizeof *w);
    w->lcg = 42;
    sim_engine eng;
    sim_engine_init(&eng);
    sim_schedule(&eng, 0, purge_drive, w, NULL, 0);
    CHECK_EQ_I64(sim_run(&eng, SIM_TIME_MAX), 0);
    int live = 0;
    for (int i = 0; i < w->scheduled; i++) live += !w->cancelled[i];
    CHECK_EQ_I64(w->scheduled, PURGE_N);
    CHECK_EQ_I64(w->fired, live);
    CHECK_EQ_I64(w->bad_order, 0);
    CHECK_TRUE(eng.purges > 0);
    CHECK_EQ_I64(eng.cancelled_pending, 0);
    CHECK_EQ_I64(sim_pending(&eng), 0);
    /* 60,000 events, all scheduled within 20 s and nearly all due after
     * it: without the purge every one is in the pool at the end of the
     * drives. About 1 in 10 stays live (6,000 at the end); the purge keeps
     * the dead below max(SIM_PURGE_MIN = 4096, live) + one drive's 3, so
     * the pool peaks near 12,000 plus one slab: 20,000 is a third of what
     * no purge would hold. */
    CHECK_TRUE(w->max_total < 20000);
    if (w->max_total >= 20000)
        fprintf(stderr, "pool peaked at %zu events, %llu purges\n", w->max_total, (unsigned long long)eng.purges);
    sim_engine_free(&eng);
    free(w);
}

void test_engine_register(void)
{
    static const tests_case cases[] = {
        { "order_and_ties", test_order_and_ties },
        { "cancel", test_cancel },
        { "run_until_resumes", test_run_until_resumes },
        { "stop", test_stop },
        { "schedule_between_runs_keeps_order", test_schedule_between_runs_keeps_order },
        { "cancel_beyond_run_end", test_cancel_beyond_run_end },
        { "cancel_running_and_same_time", test_cancel_running_and_same_time },
        { "set_queue_only_when_fresh", test_set_queue_only_when_fresh },
        { "workload_same_on_every_queue", test_workload_same_on_every_queue },
        { "purge_cancelled", test_purge_cancelled },
        { "progress_every", test_progress_every },
        { NULL, NULL },
    };
    tests_add_suite("engine", cases);
}
