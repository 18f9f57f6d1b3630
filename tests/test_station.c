/* tests/test_station.c - the queueing station: FIFO order, queue limit,
 * c servers, time averages, crash. */
#include <stdlib.h>

#include "models/request.h"
#include "models/station.h"
#include "sim/engine.h"
#include "sim/errors.h"
#include "sim/rng.h"
#include "tests/harness.h"

typedef struct {
    uint64_t ids[16];
    sim_time_t at[16];
    int n;
    sim_engine *eng;
} done_log;

static void on_done(void *owner, request *r)
{
    done_log *l = owner;
    l->ids[l->n] = r->id;
    l->at[l->n++] = l->eng->now;
}

static void setup(station *s, sim_engine *eng, done_log *log, int64_t servers, int64_t qlimit, double service_ns,
                  gsl_rng *rng)
{
    station_conf sc = { .servers = servers, .queue_limit = qlimit, .per_byte_ns = 0 };
    sim_dist_const(&sc.service, service_ns);
    log->n = 0;
    log->eng = eng;
    CHECK_EQ_I64(station_init(s, eng, &sc, rng, on_done, log), 0);
    sim_dist_free(&sc.service);
}

typedef struct {
    station *s;
    request *r;
} arrival;

static void ev_arrive(sim_engine *eng, sim_event *ev)
{
    (void)eng;
    station_arrive(ev->target, ev->arg);
}

static void test_fifo_order(void)
{
    sim_engine eng;
    sim_engine_init(&eng);
    req_pool pool;
    req_pool_init(&pool);
    gsl_rng *rng = sim_rng_stream(1, "t");
    station s;
    done_log log;
    setup(&s, &eng, &log, 1, -1, 1e6, rng);
    request *r[4];
    for (int i = 0; i < 4; i++) {
        r[i] = req_new(&pool);
        /* arrivals at 0, 0.1, 0.2, 0.3 ms: each waits for the one before */
        sim_schedule(&eng, i * 100 * SIM_US, ev_arrive, &s, r[i], 0);
    }
    CHECK_EQ_I64(sim_run(&eng, SIM_TIME_MAX), 0);
    CHECK_EQ_I64(log.n, 4);
    for (int i = 0; i < 4; i++) {
        CHECK_EQ_U64(log.ids[i], r[i]->id);
        CHECK_EQ_I64(log.at[i], (i + 1) * SIM_MS);
    }
    CHECK_EQ_U64(s.served, 4);
    /* busy the whole 4 ms: utilisation 1; queue: 1 waiting over [0.1,1], 2 over [0.2,1]? computed: */
    CHECK_NEAR(station_utilization(&s), 1.0, 1e-12);
    /* waiting customers: r1 waits 0.9 ms, r2 1.8 ms, r3 2.7 ms -> area 5.4 ms over 4 ms */
    CHECK_NEAR(station_mean_queue(&s), 5.4 / 4.0, 1e-9);
    station_free(&s);
    gsl_rng_free(rng);
    req_pool_free(&pool);
    sim_engine_free(&eng);
}

static void test_queue_limit_rejects(void)
{
    sim_engine eng;
    sim_engine_init(&eng);
    req_pool pool;
    req_pool_init(&pool);
    gsl_rng *rng = sim_rng_stream(1, "t");
    station s;
    done_log log;
    setup(&s, &eng, &log, 1, 1, 1e6, rng);
    request *a = req_new(&pool), *b = req_new(&pool), *c = req_new(&pool);
    CHECK_EQ_I64(station_arrive(&s, a), 0);          /* in service */
    CHECK_EQ_I64(station_arrive(&s, b), 0);          /* waits (1 of 1) */
    CHECK_EQ_I64(station_arrive(&s, c), SIM_ENOSPC); /* queue full */
    CHECK_EQ_U64(s.rejected, 1);
    sim_run(&eng, SIM_TIME_MAX);
    CHECK_EQ_I64(log.n, 2);
    station_free(&s);
    /* queue_limit 0: no waiting room at all */
    setup(&s, &eng, &log, 2, 0, 1e6, rng);
    CHECK_EQ_I64(station_arrive(&s, a), 0);
    CHECK_EQ_I64(station_arrive(&s, b), 0);
    CHECK_EQ_I64(station_arrive(&s, c), SIM_ENOSPC);
    sim_run(&eng, SIM_TIME_MAX);
    station_free(&s);
    gsl_rng_free(rng);
    req_pool_free(&pool);
    sim_engine_free(&eng);
}

static void test_c_servers(void)
{
    sim_engine eng;
    sim_engine_init(&eng);
    req_pool pool;
    req_pool_init(&pool);
    gsl_rng *rng = sim_rng_stream(1, "t");
    station s;
    done_log log;
    setup(&s, &eng, &log, 3, -1, 2e6, rng);
    for (int i = 0; i < 7; i++) station_arrive(&s, req_new(&pool));
    CHECK_EQ_I64(s.busy, 3);
    CHECK_EQ_U64(s.qlen, 4);
    sim_run(&eng, SIM_TIME_MAX);
    CHECK_EQ_I64(log.n, 7);
    sim_time_t want[] = { 2, 2, 2, 4, 4, 4, 6 };
    for (int i = 0; i < 7; i++) CHECK_EQ_I64(log.at[i], want[i] * SIM_MS);
    /* busy servers: 3 for 4 ms, 1 for 2 ms -> 14 server-ms over 6 ms, / 3 servers */
    CHECK_NEAR(station_utilization(&s), 14.0 / 6.0 / 3.0, 1e-12);
    station_free(&s);
    gsl_rng_free(rng);
    req_pool_free(&pool);
    sim_engine_free(&eng);
}

static void test_per_byte_and_slow(void)
{
    sim_engine eng;
    sim_engine_init(&eng);
    req_pool pool;
    req_pool_init(&pool);
    gsl_rng *rng = sim_rng_stream(1, "t");
    station_conf sc = { .servers = 1, .queue_limit = -1, .per_byte_ns = station_ns_per_byte(1e9) };
    sim_dist_const(&sc.service, 1000);
    station s;
    done_log log = { .n = 0, .eng = &eng };
    CHECK_EQ_I64(station_init(&s, &eng, &sc, rng, on_done, &log), 0);
    request *r = req_new(&pool);
    r->size = 1000000; /* 1 MB at 1 GB/s = 1 ms, plus 1 us */
    station_arrive(&s, r);
    sim_run(&eng, SIM_TIME_MAX);
    CHECK_EQ_I64(log.at[0], SIM_MS + SIM_US);
    station_set_slow(&s, 2.0);
    station_arrive(&s, req_new(&pool)); /* size 0: 1 us, twice as slow */
    sim_run(&eng, SIM_TIME_MAX);
    CHECK_EQ_I64(log.at[1] - log.at[0], 2 * SIM_US);
    sim_dist_free(&sc.service);
    station_free(&s);
    gsl_rng_free(rng);
    req_pool_free(&pool);
    sim_engine_free(&eng);
}

static int dropped;
static void on_drop(void *owner, request *r)
{
    (void)owner;
    (void)r;
    dropped++;
}

static void test_drop_all(void)
{
    sim_engine eng;
    sim_engine_init(&eng);
    req_pool pool;
    req_pool_init(&pool);
    gsl_rng *rng = sim_rng_stream(1, "t");
    station s;
    done_log log;
    setup(&s, &eng, &log, 2, -1, 1e6, rng);
    for (int i = 0; i < 5; i++) station_arrive(&s, req_new(&pool));
    dropped = 0;
    station_drop_all(&s, on_drop);
    CHECK_EQ_I64(dropped, 5);
    CHECK_EQ_I64(s.busy, 0);
    CHECK_EQ_U64(s.qlen, 0);
    sim_run(&eng, SIM_TIME_MAX);
    CHECK_EQ_I64(log.n, 0); /* the cancelled completions never ran */
    /* the station still works afterwards */
    station_arrive(&s, req_new(&pool));
    sim_run(&eng, SIM_TIME_MAX);
    CHECK_EQ_I64(log.n, 1);
    station_free(&s);
    gsl_rng_free(rng);
    req_pool_free(&pool);
    sim_engine_free(&eng);
}

static void test_request_pool(void)
{
    req_pool p;
    req_pool_init(&p);
    request *a = req_new(&p);
    uint32_t g = a->gen;
    CHECK_EQ_U64(a->id, 0);
    CHECK_EQ_I64(req_push(a, NULL, 7), 0);
    req_free(&p, a);
    request *b = req_new(&p); /* recycled: same record, new generation and id */
    CHECK_TRUE(b == a);
    CHECK_TRUE(b->gen != g);
    CHECK_EQ_U64(b->id, 1);
    CHECK_EQ_I64(b->depth, 0);
    for (int i = 0; i < REQ_PATH_MAX; i++) CHECK_EQ_I64(req_push(b, NULL, (uint32_t)i), 0);
    CHECK_EQ_I64(req_push(b, NULL, 99), SIM_ERANGE);
    req_hop h;
    CHECK_TRUE(req_pop(b, &h));
    CHECK_EQ_I64(h.state, REQ_PATH_MAX - 1);
    /* many live requests: slabs grow, all distinct */
    for (int i = 0; i < 5000; i++) CHECK_TRUE(req_new(&p) != NULL || 0);
    CHECK_EQ_U64(p.live, 5001);
    req_pool_free(&p);
}

void test_station_register(void)
{
    static const tests_case cases[] = {
        { "fifo_order", test_fifo_order },
        { "queue_limit_rejects", test_queue_limit_rejects },
        { "c_servers", test_c_servers },
        { "per_byte_and_slow", test_per_byte_and_slow },
        { "drop_all", test_drop_all },
        { "request_pool", test_request_pool },
        { NULL, NULL },
    };
    tests_add_suite("station", cases);
}
