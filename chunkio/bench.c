/* chunkio/bench.c - the closed-loop workload with a pool of threads. */
#include "chunkio/bench.h"

#include <errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "chunkio/internal.h"
#include "sim/errors.h"
#include "sim/rng.h"

int chunkio_uring_run(chunkio_store *st, const chunkio_bench_opts *o, chunkio_bench_result *res,
                      uint64_t tag, const uint8_t *payload);

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

size_t chunkio_bench_key(char *buf, size_t len, uint64_t tag, unsigned i)
{
    int n = snprintf(buf, len, "bench/%016llx/%u", (unsigned long long)tag, i);
    return n < 0 ? 0 : (size_t)n;
}

typedef struct {
    chunkio_store *st;
    const chunkio_bench_opts *o;
    chunkio_bench_result *res;
    const uint8_t *payload;
    uint64_t tag;
    int preload;                 /* writing the working set, not measuring */
    int64_t t0;                  /* when the phase began (CLOCK_MONOTONIC ns) */
    _Atomic int64_t measured_t0; /* earliest start of a measured operation, ns after t0 */
    _Atomic uint64_t next;       /* next operation number to issue */
    _Atomic uint64_t done;
    _Atomic uint64_t nread, nwrite, errors;
    pthread_mutex_t err_lock;
} shared_t;

typedef struct {
    shared_t *sh;
    unsigned id;
} worker_t;

static void note_error(shared_t *sh, int rc, const chunkio_ctx *c)
{
    atomic_fetch_add(&sh->errors, 1);
    pthread_mutex_lock(&sh->err_lock);
    if (!sh->res->err[0]) {
        /* c->err alone fills the buffer; the code's name goes first. */
        int n = snprintf(sh->res->err, sizeof sh->res->err, "%s: ", sim_strerror(rc));
        if (n > 0 && (size_t)n < sizeof sh->res->err)
            memcpy(sh->res->err + n, c->err, strnlen(c->err, sizeof sh->res->err - (size_t)n - 1) + 1);
        sh->res->err[sizeof sh->res->err - 1] = '\0';
    }
    pthread_mutex_unlock(&sh->err_lock);
}

static void *worker(void *arg)
{
    worker_t *w = arg;
    shared_t *sh = w->sh;
    const chunkio_bench_opts *o = sh->o;
    chunkio_ctx c;
    chunkio_ctx_init(&c);
    char name[64];
    snprintf(name, sizeof name, "chunkio.bench/worker-%u", w->id);
    gsl_rng *rng = sim_rng_stream(o->seed, name);
    uint64_t warm = sh->preload ? 0 : o->warmup;
    uint64_t limit = sh->preload ? o->keys : warm + o->ops;
    char key[64];
    for (;;) {
        uint64_t i = atomic_fetch_add(&sh->next, 1);
        if (i >= limit || !rng) break;
        int is_read = 0;
        unsigned k = (unsigned)i;
        if (!sh->preload) {
            is_read = gsl_rng_uniform(rng) < o->read_frac;
            k = (unsigned)gsl_rng_uniform_int(rng, o->keys);
        }
        size_t kl = chunkio_bench_key(key, sizeof key, sh->tag, k);
        int64_t t0 = now_ns();
        if (warm && i >= warm) {
            /* Operation `warm` is the first measured one to be handed out,
             * but not necessarily the first to start: its thread may be
             * descheduled between the handout and the clock, while others
             * start (and even finish) theirs. So the measured phase begins
             * at the earliest start of any measured operation. */
            int64_t at = t0 - sh->t0, cur = atomic_load(&sh->measured_t0);
            while (at < cur && !atomic_compare_exchange_weak(&sh->measured_t0, &cur, at)) {}
        }
        int rc;
        if (is_read) {
            const uint8_t *d;
            size_t n;
            rc = chunkio_get(sh->st, &c, key, kl, 0, SIZE_MAX, &d, &n, NULL);
        } else {
            rc = chunkio_put(sh->st, &c, key, kl, sh->payload, o->chunk);
        }
        int64_t t1 = now_ns(), dt = t1 - t0;
        if (rc) {
            note_error(sh, rc, &c);
        } else if (!sh->preload && i >= warm) {
            if (is_read) {
                uint64_t i = atomic_fetch_add(&sh->nread, 1);
                sh->res->read_ns[i] = dt;
                sh->res->read_end_ns[i] = t1 - sh->t0;
            } else {
                uint64_t i = atomic_fetch_add(&sh->nwrite, 1);
                sh->res->write_ns[i] = dt;
                sh->res->write_end_ns[i] = t1 - sh->t0;
                memcpy(sh->res->write_step_ns + i * CHUNKIO_NSTEPS, c.step_ns, sizeof c.step_ns);
            }
        }
        atomic_fetch_add(&sh->done, 1);
    }
    if (rng) gsl_rng_free(rng);
    chunkio_ctx_free(&c);
    return NULL;
}

static int run_phase(shared_t *sh, int preload)
{
    const chunkio_bench_opts *o = sh->o;
    sh->preload = preload;
    atomic_store(&sh->next, 0);
    atomic_store(&sh->done, 0);
    atomic_store(&sh->measured_t0, INT64_MAX);
    unsigned nt = o->concurrency;
    pthread_t *th = calloc(nt, sizeof *th);
    worker_t *ws = calloc(nt, sizeof *ws);
    if (!th || !ws) {
        free(th);
        free(ws);
        return SIM_ENOMEM;
    }
    unsigned started = 0;
    sh->t0 = now_ns();
    for (unsigned i = 0; i < nt; i++) {
        ws[i] = (worker_t){ sh, i };
        if (pthread_create(&th[i], NULL, worker, &ws[i]) != 0) break;
        started++;
    }
    uint64_t limit = preload ? o->keys : o->warmup + o->ops;
    int64_t t0 = sh->t0, last = t0;
    while (started && atomic_load(&sh->done) < limit) {
        if (atomic_load(&sh->next) >= limit + started) break; /* all workers left */
        usleep(20000);
        int64_t t = now_ns();
        if (o->progress && t - last >= 1000000000) {
            uint64_t d = atomic_load(&sh->done);
            fprintf(o->progress, "chunkio bench: %s %llu/%llu ops, %.0f ops/s\n", preload ? "preload" : "run",
                    (unsigned long long)d, (unsigned long long)limit, (double)d / ((double)(t - t0) / 1e9));
            fflush(o->progress);
            last = t;
        }
    }
    for (unsigned i = 0; i < started; i++) pthread_join(th[i], NULL);
    if (!preload) {
        /* The phase ended when its last operation did, not when the loop
         * above next looked (every 20 ms: most of a short run). After a
         * warm-up, times count from the start of the first measured
         * operation. */
        chunkio_bench_result *r = sh->res;
        int64_t m0 = o->warmup ? atomic_load(&sh->measured_t0) : 0;
        if (m0 == INT64_MAX) m0 = 0; /* no measured operation started */
        int64_t end = 0;
        for (uint64_t i = 0, n = atomic_load(&sh->nread); i < n; i++) {
            r->read_end_ns[i] -= m0;
            if (r->read_end_ns[i] > end) end = r->read_end_ns[i];
        }
        for (uint64_t i = 0, n = atomic_load(&sh->nwrite); i < n; i++) {
            r->write_end_ns[i] -= m0;
            if (r->write_end_ns[i] > end) end = r->write_end_ns[i];
        }
        sh->res->elapsed_s = (double)(end > 0 ? end : now_ns() - t0 - m0) / 1e9;
    }
    free(th);
    free(ws);
    return started == nt ? 0 : SIM_ENOMEM;
}

int chunkio_bench_run(chunkio_store *st, const chunkio_bench_opts *o0, chunkio_bench_result *res)
{
    memset(res, 0, sizeof *res);
    chunkio_bench_opts o = *o0;
    if (o.keys == 0) o.keys = 64;
    if (o.chunk < 1 || o.chunk > CHUNKIO_MAX_CHUNK || o.ops < 1 || o.concurrency < 1 ||
        o.concurrency > 4096 || !(o.read_frac >= 0 && o.read_frac <= 1) || o.warmup > 100000000) {
        snprintf(res->err, sizeof res->err, "bench options out of range");
        return SIM_EINVAL;
    }
    if (o.warmup && o.engine == CHUNKIO_ENGINE_URING) {
        snprintf(res->err, sizeof res->err, "a warm-up needs the threads engine (--engine threads)");
        return SIM_ENOTSUP;
    }
    res->read_ns = malloc(o.ops * sizeof *res->read_ns);
    res->write_ns = malloc(o.ops * sizeof *res->write_ns);
    res->read_end_ns = malloc(o.ops * sizeof *res->read_end_ns);
    res->write_end_ns = malloc(o.ops * sizeof *res->write_end_ns);
    res->write_step_ns = calloc(o.ops * CHUNKIO_NSTEPS, sizeof *res->write_step_ns);
    uint8_t *payload = malloc(o.chunk);
    if (!res->read_ns || !res->write_ns || !res->read_end_ns || !res->write_end_ns || !res->write_step_ns || !payload) {
        free(payload);
        snprintf(res->err, sizeof res->err, "out of memory for %llu operations",
                 (unsigned long long)o.ops);
        return SIM_ENOMEM;
    }
    /* Incompressible, seeded payload: the same bytes for every write. */
    gsl_rng *r = sim_rng_stream(o.seed, "chunkio.bench/payload");
    for (size_t i = 0; r && i < o.chunk; i++) payload[i] = (uint8_t)gsl_rng_uniform_int(r, 256);
    if (r) gsl_rng_free(r);
    uint64_t tag = sim_mix64((uint64_t)getpid() << 32 ^ (uint64_t)now_ns());

    shared_t sh = { .st = st, .o = &o, .res = res, .payload = payload, .tag = tag };
    pthread_mutex_init(&sh.err_lock, NULL);
    int rc = 0;
    /* Reads need chunks; writes overwrite the same set, so space stays bounded. */
    rc = run_phase(&sh, 1);
    if (rc == 0 && atomic_load(&sh.errors)) rc = SIM_EIO;
    if (rc == 0) {
        if (o.engine == CHUNKIO_ENGINE_URING) {
            rc = chunkio_uring_run(st, &o, res, tag, payload);
        } else {
            rc = run_phase(&sh, 0);
            res->has_steps = 1;
            res->nread = atomic_load(&sh.nread);
            res->nwrite = atomic_load(&sh.nwrite);
            res->errors = atomic_load(&sh.errors);
        }
    }
    if (rc == 0 && res->errors) rc = SIM_EIO;
    if (!o.keep) {
        chunkio_ctx c;
        chunkio_ctx_init(&c);
        char key[64];
        for (unsigned i = 0; i < o.keys; i++) {
            size_t kl = chunkio_bench_key(key, sizeof key, tag, i);
            chunkio_delete(st, &c, key, kl);
        }
        chunkio_ctx_free(&c);
    }
    pthread_mutex_destroy(&sh.err_lock);
    free(payload);
    return rc;
}

void chunkio_bench_result_free(chunkio_bench_result *res)
{
    free(res->read_ns);
    free(res->write_ns);
    free(res->read_end_ns);
    free(res->write_end_ns);
    free(res->write_step_ns);
    res->read_ns = res->write_ns = res->read_end_ns = res->write_end_ns = res->write_step_ns = NULL;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

void chunkio_sort_ns(int64_t *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_i64);
}

double chunkio_quantile_sorted(int64_t *v, uint64_t n, double q)
{
    if (n == 0) return 0;
    chunkio_sort_ns(v, (size_t)n);
    double *d = malloc(n * sizeof *d);
    if (!d) return (double)v[(size_t)(q * (double)(n - 1))];
    for (uint64_t i = 0; i < n; i++) d[i] = (double)v[i];
    double x = gsl_stats_quantile_from_sorted_data(d, 1, n, q);
    free(d);
    return x;
}

int chunkio_parse_size(const char *s, uint64_t *out)
{
    if (!s || !*s) return SIM_EPARSE;
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno || !(v >= 0) || v > 1e18) return SIM_EPARSE;
    struct { const char *u; double m; } units[] = {
        { "", 1 }, { "B", 1 }, { "k", 1024 }, { "K", 1024 }, { "KiB", 1024 }, { "KB", 1e3 },
        { "M", 1048576 }, { "MiB", 1048576 }, { "MB", 1e6 }, { "G", 1073741824 },
        { "GiB", 1073741824 }, { "GB", 1e9 },
    };
    while (*end == ' ') end++;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcmp(end, units[i].u) == 0) {
            double b = v * units[i].m;
            if (b != (double)(uint64_t)b || b > 9e15) return SIM_EPARSE;
            *out = (uint64_t)b;
            return 0;
        }
    }
    return SIM_EPARSE;
}
