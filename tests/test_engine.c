/* tests/test_engine.c - the run loop: ordering, ties, cancellation, run-until. */
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

void test_engine_register(void)
{
    static const tests_case cases[] = {
        { "order_and_ties", test_order_and_ties },
        { "cancel", test_cancel },
        { "run_until_resumes", test_run_until_resumes },
        { "stop", test_stop },
        { NULL, NULL },
    };
    tests_add_suite("engine", cases);
}
