/* sim/engine.h - the discrete-event engine: clock, pending events, run loop.
 *
 * Usage:
 *     sim_engine eng;
 *     sim_engine_init(&eng);
 *     sim_schedule(&eng, 5 * SIM_MS, on_arrival, client, NULL, 0);
 *     int rc = sim_run(&eng, 60 * SIM_S);   // run until t = 60 s
 *     sim_engine_free(&eng);
 *
 * Events at the same time run in the order they were scheduled, so a run is a
 * pure function of its inputs and seeds. The engine is single-threaded;
 * parallelism comes from running replications in separate processes.
 */
#ifndef SIM_ENGINE_H
#define SIM_ENGINE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "sim/event.h"
#include "sim/evset.h"
#include "sim/time.h"

typedef struct sim_engine sim_engine;

/* Called every `progress_every` events while sim_run() runs; may call
 * sim_stop(). */
typedef void (*sim_progress_fn)(sim_engine *eng, void *ctx);

struct sim_engine {
    sim_time_t now;             /* current simulated time */
    uint64_t next_seq;          /* seq of the next event scheduled */
    uint64_t events;            /* events handled (cancelled ones excluded) */
    size_t cancelled_pending;   /* cancelled events still in the set */
    int error;                  /* first error (SIM_ENOMEM), 0 if none */
    volatile sig_atomic_t stop; /* set by sim_stop(), also from a signal */
    sim_evset set;
    sim_evpool pool;
    sim_progress_fn progress;   /* optional */
    void *progress_ctx;
    uint64_t progress_every;    /* power of two; default 65536; 0: never */
    sim_event **purge_buf;      /* scratch of the cancelled-event purge (sim/engine.c) */
    size_t purge_cap;
    uint64_t purges;            /* purges done (for tests and curiosity) */
};

/* Initialises an engine at time 0 with no events. Allocates nothing. */
void sim_engine_init(sim_engine *eng);

/* Chooses the pending-event set (see sim/evset.h): SIM_EVSET_ADAPTIVE (the
 * default), SIM_EVSET_HEAP or SIM_EVSET_LADDER; `threshold` is the ADAPTIVE
 * switch-over size (0 = default). Only valid while nothing was ever scheduled
 * (right after sim_engine_init): returns 0, or SIM_ESTATE otherwise. */
int sim_engine_set_queue(sim_engine *eng, sim_evset_kind kind, size_t threshold);

/* Frees all memory of the engine, including pending events. Targets and args
 * of pending events are not touched: they belong to the models. */
void sim_engine_free(sim_engine *eng);

/* Schedules fn(eng, ev) at absolute time t (t >= now; an earlier t is raised
 * to now, so time never runs backwards). Returns a reference for
 * sim_cancel(); on out of memory returns {NULL, 0}, records SIM_ENOMEM in
 * eng->error and sim_run() stops with it. */
sim_event_ref sim_schedule_at(sim_engine *eng, sim_time_t t, sim_handler_fn fn,
                              void *target, void *arg, uint64_t data);

/* Same, at now + delay (delay < 0 counts as 0). */
static inline sim_event_ref sim_schedule(sim_engine *eng, sim_time_t delay, sim_handler_fn fn,
                                         void *target, void *arg, uint64_t data)
{
    return sim_schedule_at(eng, eng->now + (delay > 0 ? delay : 0), fn, target, arg, data);
}

/* Cancels a pending event. Returns true if it was pending and is now
 * cancelled; false if it already ran, is running (a handler cancelling its
 * own event), was already cancelled, or ref is null. O(1): the event stays in
 * the set, is skipped and recycled when reached, and never runs;
 * sim_pending() stops counting it at once. */
bool sim_cancel(sim_engine *eng, sim_event_ref ref);

/* True while the referenced event is scheduled and not cancelled. */
static inline bool sim_event_pending(sim_event_ref ref)
{
    return ref.ev && ref.ev->gen == ref.gen && !(ref.ev->flags & SIM_EV_CANCELLED);
}

/* Runs events in order until the next one is later than `until`, no events
 * remain, or sim_stop() is called. The clock is left at the time of the last
 * event run (or at `until` when live events remain beyond it). Events later
 * than `until` stay pending (and cancellable); sim_run may be called again,
 * with a later `until`, after scheduling more events, to continue.
 * Returns 0 when it reached `until` or ran out of events, SIM_EINTR when
 * stopped, or the engine's error (SIM_ENOMEM). */
int sim_run(sim_engine *eng, sim_time_t until);

/* Asks sim_run() to return after the current event. Safe from a signal
 * handler. */
static inline void sim_stop(sim_engine *eng) { eng->stop = 1; }

/* Events scheduled and neither run nor cancelled. */
static inline size_t sim_pending(const sim_engine *eng)
{
    return sim_evset_size(&eng->set) - eng->cancelled_pending;
}

#endif
