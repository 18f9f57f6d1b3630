/* app/cmd_bench.c - `cdnsim bench phold`: the PHOLD benchmark on the engine.
 *
 * PHOLD as ROSS defines it: N logical processes (LPs), E events each at the
 * start, each at L + Exp(M - L). Handling an event at (t, lp) counts it for
 * lp, then with probability R sends one new event to a uniformly random LP
 * (possibly lp itself), else to lp, at t + L + Exp(M - L); the run stops when
 * the next event is past T. Model time units are seconds of simulated time
 * (1.0 = 1e9 ns).
 *
 * It uses exactly what the models use: sim_schedule()/sim_run(), the engine's
 * event pool, one stream per LP from sim_rng_stream(seed, "phold/lp/<i>") and
 * GSL's samplers. The draws of one event, in order, from the handling LP's
 * stream: gsl_rng_uniform (remote?), gsl_rng_uniform_int (which LP, only when
 * remote), gsl_ran_exponential (delay). bench/phold_bare.c replays the same
 * draws without the engine, so both count the same events.
 */
#include <errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/cmd_args.h"
#include "app/commands.h"
#include "sim/engine.h"
#include "sim/errors.h"
#include "sim/rng.h"

typedef struct phold_model phold_model;

typedef struct {
    gsl_rng *rng;
    uint64_t count; /* events handled by this LP */
    phold_model *model;
} phold_lp;

struct phold_model {
    phold_lp *lps;
    size_t n;
    double remote;    /* R */
    double lookahead; /* L, model units */
    double exp_mean;  /* M - L */
};

/* The handler: target is the LP, arg its random stream (the engine warms
 * both before the handler runs, which matters once a million LPs and their
 * streams no longer fit in cache). */
static void phold_event(sim_engine *eng, sim_event *ev)
{
    phold_lp *lp = ev->target;
    gsl_rng *r = ev->arg;
    phold_model *m = lp->model;
    lp->count++;
    phold_lp *dst = lp;
    if (gsl_rng_uniform(r) < m->remote) dst = &m->lps[gsl_rng_uniform_int(r, m->n)];
    sim_time_t delay = sim_time_from_s(m->lookahead + gsl_ran_exponential(r, m->exp_mean));
    sim_schedule(eng, delay, phold_event, dst, dst->rng, 0);
}

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double now_s(void) { return clock_s(CLOCK_MONOTONIC); }

static void phold_usage(FILE *f)
{
    fprintf(f,
        "usage: cdnsim bench phold --lps N --start-events E --end T [options]\n"
        "\n"
        "Runs PHOLD (ROSS semantics) on the cdnsim engine and prints one JSON line.\n"
        "N logical processes start with E events each at L + Exp(M - L); handling an\n"
        "event at (t, lp) counts it, then sends one new event at t + L + Exp(M - L)\n"
        "to a uniformly random LP with probability R (else to lp itself). The run\n"
        "stops when the next event is past T. Time unit: 1.0 = 1 s of simulated\n"
        "time (1e9 ns). Each LP draws from its own stream, sim_rng_stream(S,\n"
        "\"phold/lp/<index>\").\n"
        "\n"
        "required:\n"
        "  --lps N            logical processes, 1 .. 100000000\n"
        "  --start-events E   events per LP at the start, 0 .. 1000000 (N*E <= 2^31)\n"
        "  --end T            stop time in model units, 0 .. 9e9\n"
        "options:\n"
        "  --remote R         probability of sending to a random LP, 0 .. 1 (default 0.25)\n"
        "  --lookahead L      minimum delay, 0 .. 1e9 (default 0.1)\n"
        "  --mean M           mean delay, 0 < M <= 1e9 and M >= L (default 1.0)\n"
        "  --seed S           scenario seed, unsigned 64-bit integer (default 1)\n"
        "  --queue Q          pending-event set: adaptive (default), heap or ladder\n"
        "  --threshold K      size at which adaptive switches heap -> ladder\n"
        "                     (default %d)\n"
        "  -h, --help         this text\n"
        "\n"
        "output (one line of JSON): the parameters, then\n"
        "  events        events handled with time <= T\n"
        "  wall_s        seconds spent in the event loop (sim_run) only\n"
        "  events_per_s  events / wall_s\n"
        "  pending       events still scheduled after the run\n"
        "  cpu_s         CPU seconds of the process during the event loop\n"
        "  setup_s       seconds spent creating LPs, streams and start events\n"
        "  rebuilds, spawns  ladder statistics (0 while the set stayed a heap)\n"
        "\n"
        "exit status: 0 ok, 1 run failed (out of memory), 2 bad arguments\n",
        SIM_EVSET_DEFAULT_THRESHOLD);
}

static int bad_arg(const char *opt, const char *want, const char *got)
{
    fprintf(stderr, "cdnsim bench phold: %s expects %s, got '%s' (see cdnsim bench phold --help)\n",
            opt, want, got ? got : "(nothing)");
    return APP_EXIT_USAGE;
}

/* Strict parser: the whole string must be a number in [lo, hi]
 * (cmd_parse_u64's rules for whole numbers). */
static int parse_double(const char *s, double lo, double hi, double *out)
{
    if (!s || !*s || *s == ' ') return -1;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || !isfinite(v) || v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

static int cmd_phold(int argc, char **argv)
{
    uint64_t n = 0, e = 0, seed = 1, threshold = 0;
    double remote = 0.25, lookahead = 0.1, mean = 1.0, end = 0;
    int have_n = 0, have_e = 0, have_t = 0;
    sim_evset_kind kind = SIM_EVSET_ADAPTIVE;
    for (int i = 1; i < argc; i += 2) { /* every option takes one value */
        const char *o = argv[i];
        if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
            phold_usage(stdout);
            return APP_EXIT_OK;
        }
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(o, "--lps")) {
            if (cmd_parse_u64(v, 1, 100000000, &n)) return bad_arg(o, "an integer in [1, 100000000]", v);
            have_n = 1;
        } else if (!strcmp(o, "--start-events")) {
            if (cmd_parse_u64(v, 0, 1000000, &e)) return bad_arg(o, "an integer in [0, 1000000]", v);
            have_e = 1;
        } else if (!strcmp(o, "--end")) {
            if (parse_double(v, 0, 9e9, &end)) return bad_arg(o, "a number of model time units in [0, 9e9]", v);
            have_t = 1;
        } else if (!strcmp(o, "--remote")) {
            if (parse_double(v, 0, 1, &remote)) return bad_arg(o, "a probability in [0, 1]", v);
        } else if (!strcmp(o, "--lookahead")) {
            if (parse_double(v, 0, 1e9, &lookahead)) return bad_arg(o, "a number in [0, 1e9]", v);
        } else if (!strcmp(o, "--mean")) {
            if (parse_double(v, 0, 1e9, &mean)) return bad_arg(o, "a number in [0, 1e9]", v);
        } else if (!strcmp(o, "--seed")) {
            if (cmd_parse_u64(v, 0, UINT64_MAX, &seed)) return bad_arg(o, "an unsigned 64-bit integer", v);
        } else if (!strcmp(o, "--threshold")) {
            if (cmd_parse_u64(v, 1, (uint64_t)1 << 40, &threshold)) return bad_arg(o, "an integer in [1, 2^40]", v);
        } else if (!strcmp(o, "--queue")) {
            if (v && !strcmp(v, "adaptive")) kind = SIM_EVSET_ADAPTIVE;
            else if (v && !strcmp(v, "heap")) kind = SIM_EVSET_HEAP;
            else if (v && !strcmp(v, "ladder")) kind = SIM_EVSET_LADDER;
            else return bad_arg(o, "adaptive, heap or ladder", v);
        } else {
            fprintf(stderr, "cdnsim bench phold: unknown option '%s' (see cdnsim bench phold --help)\n", o);
            return APP_EXIT_USAGE;
        }
    }
    if (!have_n || !have_e || !have_t) {
        fprintf(stderr, "cdnsim bench phold: missing %s (see cdnsim bench phold --help)\n",
                !have_n ? "--lps N" : !have_e ? "--start-events E" : "--end T");
        return APP_EXIT_USAGE;
    }
    if (n * e > ((uint64_t)1 << 31)) {
        fprintf(stderr, "cdnsim bench phold: --lps times --start-events is %llu, above the limit 2^31\n",
                (unsigned long long)(n * e));
        return APP_EXIT_USAGE;
    }
    if (!(mean > 0) || lookahead > mean) {
        fprintf(stderr, "cdnsim bench phold: need --mean > 0 and --lookahead <= --mean, got mean %g, lookahead %g\n",
                mean, lookahead);
        return APP_EXIT_USAGE;
    }

    int status = APP_EXIT_OK;
    double t0 = now_s();
    phold_model m = { NULL, (size_t)n, remote, lookahead, mean - lookahead };
    sim_engine eng;
    sim_engine_init(&eng);
    sim_engine_set_queue(&eng, kind, (size_t)threshold);
    m.lps = calloc((size_t)n, sizeof *m.lps);
    if (!m.lps || sim_evpool_reserve(&eng.pool, (size_t)(n * e) + 1) != 0) goto oom;
    for (size_t i = 0; i < m.n; i++) {
        char name[48];
        snprintf(name, sizeof name, "phold/lp/%zu", i);
        if (!(m.lps[i].rng = sim_rng_stream(seed, name))) goto oom;
        m.lps[i].model = &m;
    }
    for (size_t i = 0; i < m.n; i++)
        for (uint64_t k = 0; k < e; k++)
            sim_schedule(&eng, sim_time_from_s(lookahead + gsl_ran_exponential(m.lps[i].rng, m.exp_mean)),
                         phold_event, &m.lps[i], m.lps[i].rng, 0);
    if (eng.error) goto oom;
    double t1 = now_s(), c1 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    int rc = sim_run(&eng, sim_time_from_s(end));
    double t2 = now_s(), c2 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    if (rc != 0) {
        fprintf(stderr, "cdnsim bench phold: run failed: %s\n", sim_strerror(rc));
        status = APP_EXIT_FAIL;
    } else {
        uint64_t sum = 0;
        for (size_t i = 0; i < m.n; i++) sum += m.lps[i].count;
        if (sum != eng.events) {
            fprintf(stderr, "cdnsim bench phold: internal error: LP counts %llu != engine events %llu\n",
                    (unsigned long long)sum, (unsigned long long)eng.events);
            status = APP_EXIT_FAIL;
        }
        double wall = t2 - t1;
        printf("{\"bench\":\"phold\",\"lps\":%llu,\"start_events\":%llu,\"remote\":%g,\"lookahead\":%g,"
               "\"mean\":%g,\"end\":%g,\"seed\":%llu,\"queue\":\"%s\",\"events\":%llu,\"wall_s\":%.6f,"
               "\"events_per_s\":%.0f,\"pending\":%zu,\"cpu_s\":%.6f,\"setup_s\":%.6f,\"rebuilds\":%llu,\"spawns\":%llu}\n",
               (unsigned long long)n, (unsigned long long)e, remote, lookahead, mean, end,
               (unsigned long long)seed, sim_evset_kind_name(kind), (unsigned long long)eng.events, wall,
               wall > 0 ? (double)eng.events / wall : 0.0, sim_pending(&eng), c2 - c1, t1 - t0,
               (unsigned long long)eng.set.rebuilds, (unsigned long long)eng.set.spawns);
    }
    goto done;
oom:
    fprintf(stderr, "cdnsim bench phold: out of memory setting up %llu LPs and %llu events\n",
            (unsigned long long)n, (unsigned long long)(n * e));
    status = APP_EXIT_FAIL;
done:
    if (m.lps)
        for (size_t i = 0; i < m.n; i++) gsl_rng_free(m.lps[i].rng);
    free(m.lps);
    sim_engine_free(&eng);
    return status;
}

static void bench_usage(FILE *f)
{
    fprintf(f,
        "usage: cdnsim bench BENCHMARK [ARGS...]\n"
        "       cdnsim bench BENCHMARK --help\n"
        "\n"
        "benchmarks:\n"
        "  phold      the PHOLD model on the engine (events per second)\n"
        "\n"
        "`make bench` runs the full set and writes docs/performance.md.\n");
}

int cmd_bench(int argc, char **argv)
{
    if (argc < 2) {
        bench_usage(stderr);
        return APP_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        bench_usage(stdout);
        return APP_EXIT_OK;
    }
    if (!strcmp(argv[1], "phold")) return cmd_phold(argc - 1, argv + 1);
    fprintf(stderr, "cdnsim bench: unknown benchmark '%s' (see cdnsim bench --help)\n", argv[1]);
    return APP_EXIT_USAGE;
}
