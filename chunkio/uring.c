/* chunkio/uring.c - the closed-loop workload driven by io_uring.
 *
 * One thread keeps `concurrency` operations in flight on one ring. The data
 * path goes through the ring: a read is one IORING_OP_READ of the whole file;
 * a write is IORING_OP_WRITE linked to IORING_OP_FSYNC (DATASYNC), then,
 * after the rename, an IORING_OP_FSYNC of the directory. The metadata steps
 * (open, fstat, rename, close) are plain system calls made by the same
 * thread: they are short and rarely touch the device, and keeping them out of
 * the ring keeps the state machine small. The uring engine writes one copy
 * (replicas 1) and reads the key's first placement directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_rng.h>

#include "chunkio/bench.h"
#include "chunkio/internal.h"
#include "sim/errors.h"
#include "sim/rng.h"

int chunkio_uring_run(chunkio_store *st, const chunkio_bench_opts *o, chunkio_bench_result *res,
                      uint64_t tag, const uint8_t *payload);

enum { S_IDLE, S_READ, S_WRITE, S_DIRSYNC };

typedef struct {
    int stage;
    int fd, pfd;
    int pending;        /* CQEs still expected for this stage */
    int res;            /* first negative result, or the read's byte count */
    unsigned di;
    int64_t t0;
    char key[64];
    size_t klen;
    char tmp[96];
    char rel[CHUNKIO_MAX_RELPATH];
    size_t dirlen;
    chunkio_ctx c;      /* its buffer holds the chunk being read or written */
} slot_t;

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

typedef struct {
    chunkio_store *st;
    const chunkio_bench_opts *o;
    chunkio_bench_result *res;
    struct io_uring ring;
    gsl_rng *rng;
    uint64_t tag, issued, completed;
    const uint8_t *payload;
    int64_t t0;             /* when the measured phase began */
} uctx;

static void fail(uctx *u, slot_t *s, int code, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void fail(uctx *u, slot_t *s, int code, const char *fmt, ...)
{
    (void)s;
    u->res->errors++;
    if (!u->res->err[0]) {
        va_list ap;
        va_start(ap, fmt);
        int n = snprintf(u->res->err, sizeof u->res->err, "%s: ", sim_strerror(code));
        if (n > 0 && (size_t)n < sizeof u->res->err) vsnprintf(u->res->err + n, sizeof u->res->err - (size_t)n, fmt, ap);
        va_end(ap);
    }
}

static struct io_uring_sqe *sqe_for(uctx *u, slot_t *s)
{
    struct io_uring_sqe *q = io_uring_get_sqe(&u->ring);
    if (!q) {
        io_uring_submit(&u->ring);
        q = io_uring_get_sqe(&u->ring);
    }
    if (q) io_uring_sqe_set_data(q, s);
    return q;
}

static void finish(uctx *u, slot_t *s, int ok, int is_read)
{
    int64_t t1 = now_ns(), dt = t1 - s->t0;
    if (ok) {
        if (is_read) {
            u->res->read_end_ns[u->res->nread] = t1 - u->t0;
            u->res->read_ns[u->res->nread++] = dt;
        } else {
            u->res->write_end_ns[u->res->nwrite] = t1 - u->t0;
            u->res->write_ns[u->res->nwrite++] = dt;
        }
    }
    if (s->fd >= 0) close(s->fd);
    if (s->pfd >= 0) close(s->pfd);
    s->fd = s->pfd = -1;
    s->stage = S_IDLE;
    u->completed++;
}

/* Starts the next operation in slot s (or leaves it idle when all are issued). */
static void start(uctx *u, slot_t *s)
{
    while (u->issued < u->o->ops) {
        u->issued++;
        const chunkio_bench_opts *o = u->o;
        int is_read = gsl_rng_uniform(u->rng) < o->read_frac;
        unsigned k = (unsigned)gsl_rng_uniform_int(u->rng, o->keys);
        s->klen = chunkio_bench_key(s->key, sizeof s->key, u->tag, k);
        chunkio_placement(u->st, s->key, s->klen, &s->di, 1);
        chunkio_key_path(s->key, s->klen, s->rel, &s->dirlen);
        chunkio_dir *d = &u->st->dirs[s->di];
        int direct = u->st->opts.direct;
        s->t0 = now_ns();
        s->fd = s->pfd = -1;
        s->res = 0;
        if (is_read) {
            s->fd = chunkio_open_read(d->fd, s->rel, direct ? O_DIRECT : 0);
            struct stat sb;
            if (s->fd < 0 || fstat(s->fd, &sb) != 0) {
                fail(u, s, SIM_EIO, "%s/%s: cannot open: %s", d->path, s->rel, strerror(errno));
                finish(u, s, 0, 1);
                continue;
            }
            size_t want = (size_t)chunkio_align_up((uint64_t)sb.st_size);
            if (chunkio_ctx_reserve(&s->c, want) != 0) {
                fail(u, s, SIM_ENOMEM, "out of memory");
                finish(u, s, 0, 1);
                continue;
            }
            struct io_uring_sqe *q = sqe_for(u, s);
            io_uring_prep_read(q, s->fd, s->c.buf, (unsigned)want, 0);
            s->stage = S_READ;
            s->pending = 1;
            s->res = 0;
            return;
        }
        uint32_t hs = chunkio_hdr_size(s->klen, o->chunk);
        uint64_t total = hs + chunkio_align_up(o->chunk);
        if (chunkio_ctx_reserve(&s->c, total) != 0) {
            fail(u, s, SIM_ENOMEM, "out of memory");
            finish(u, s, 0, 0);
            continue;
        }
        chunkio_hdr_encode(s->c.buf, s->key, s->klen, u->payload, o->chunk, 1);
        memcpy(s->c.buf + hs, u->payload, o->chunk);
        memset(s->c.buf + hs + o->chunk, 0, total - hs - o->chunk);
        s->pfd = chunkio_open_dirs(d->fd, s->rel, s->dirlen);
        if (s->pfd < 0) {
            fail(u, s, SIM_EIO, "%s: cannot create the chunk's directory: %s", d->path, strerror(-s->pfd));
            s->pfd = -1;
            finish(u, s, 0, 0);
            continue;
        }
        s->fd = chunkio_open_temp(u->st, &s->c, s->di, s->pfd, s->tmp, sizeof s->tmp);
        if (s->fd < 0) {
            fail(u, s, s->fd, "%s", s->c.err);
            s->fd = -1;
            finish(u, s, 0, 0);
            continue;
        }
        struct io_uring_sqe *w = sqe_for(u, s);
        io_uring_prep_write(w, s->fd, s->c.buf, (unsigned)total, 0);
        w->flags |= IOSQE_IO_LINK;
        struct io_uring_sqe *f = sqe_for(u, s);
        io_uring_prep_fsync(f, s->fd, IORING_FSYNC_DATASYNC);
        s->stage = S_WRITE;
        s->pending = 2;
        return;
    }
}

static void advance(uctx *u, slot_t *s)
{
    chunkio_dir *d = &u->st->dirs[s->di];
    if (s->stage == S_READ) {
        uint64_t len;
        char where[CHUNKIO_MAX_RELPATH + 300];
        snprintf(where, sizeof where, "%s/%s", d->path, s->rel);
        if (s->res < 0) {
            fail(u, s, SIM_EIO, "%s: read failed: %s", where, strerror(-s->res));
            finish(u, s, 0, 1);
        } else if (chunkio_check_whole(&s->c, where, s->key, s->klen, s->c.buf, (size_t)s->res, &len) != 0) {
            fail(u, s, SIM_ECORRUPT, "%s", s->c.err);
            finish(u, s, 0, 1);
        } else {
            finish(u, s, 1, 1);
        }
    } else if (s->stage == S_WRITE) {
        if (s->res < 0 || renameat(s->pfd, s->tmp, s->pfd, s->rel + s->dirlen + 1) != 0) {
            int e = s->res < 0 ? -s->res : errno;
            fail(u, s, chunkio_errno_code(e) == SIM_ENOSPC ? SIM_ENOSPC : SIM_EIO, "%s: write of a chunk failed: %s",
                 d->path, strerror(e));
            unlinkat(s->pfd, s->tmp, 0);
            finish(u, s, 0, 0);
        } else {
            struct io_uring_sqe *q = sqe_for(u, s);
            io_uring_prep_fsync(q, s->pfd, 0);
            s->stage = S_DIRSYNC;
            s->pending = 1;
            return;
        }
    } else if (s->stage == S_DIRSYNC) {
        if (s->res < 0) fail(u, s, SIM_EIO, "%s: directory fsync failed: %s", d->path, strerror(-s->res));
        finish(u, s, s->res >= 0, 0);
    }
    start(u, s);
}

int chunkio_uring_run(chunkio_store *st, const chunkio_bench_opts *o, chunkio_bench_result *res,
                      uint64_t tag, const uint8_t *payload)
{
    if (st->opts.replicas > 1) {
        snprintf(res->err, sizeof res->err,
                 "the uring engine writes one copy per chunk; use --engine threads for --replicas %u",
                 st->opts.replicas);
        return SIM_ENOTSUP;
    }
    uctx u = { .st = st, .o = o, .res = res, .tag = tag, .payload = payload };
    unsigned entries = 2 * o->concurrency + 8;
    int e = io_uring_queue_init(entries, &u.ring, 0);
    if (e < 0) {
        snprintf(res->err, sizeof res->err,
                 "io_uring is not available here (io_uring_setup: %s; a sandbox or "
                 "/proc/sys/kernel/io_uring_disabled may forbid it); use --engine threads",
                 strerror(-e));
        return SIM_ENOTSUP;
    }
    u.rng = sim_rng_stream(o->seed, "chunkio.bench/uring");
    slot_t *slots = calloc(o->concurrency, sizeof *slots);
    if (!u.rng || !slots) {
        free(slots);
        if (u.rng) gsl_rng_free(u.rng);
        io_uring_queue_exit(&u.ring);
        snprintf(res->err, sizeof res->err, "out of memory");
        return SIM_ENOMEM;
    }
    int64_t t0 = now_ns(), last = t0;
    u.t0 = t0;
    for (unsigned i = 0; i < o->concurrency; i++) {
        chunkio_ctx_init(&slots[i].c);
        slots[i].fd = slots[i].pfd = -1;
        start(&u, &slots[i]);
    }
    int rc = 0;
    while (u.completed < u.issued) {
        int r = io_uring_submit_and_wait(&u.ring, 1);
        if (r < 0 && r != -EINTR) {
            snprintf(res->err, sizeof res->err, "io_uring_submit_and_wait: %s", strerror(-r));
            rc = SIM_EIO;
            break;
        }
        struct io_uring_cqe *cqe;
        unsigned head, seen = 0;
        slot_t *ready[64];
        unsigned nready = 0;
        io_uring_for_each_cqe(&u.ring, head, cqe)
        {
            slot_t *s = io_uring_cqe_get_data(cqe);
            seen++;
            if (cqe->res < 0 && s->res >= 0) s->res = cqe->res;
            else if (s->stage == S_READ && s->res >= 0) s->res = cqe->res;
            if (--s->pending == 0 && nready < 64) ready[nready++] = s;
            if (nready == 64) break;
        }
        io_uring_cq_advance(&u.ring, seen);
        for (unsigned i = 0; i < nready; i++) advance(&u, ready[i]);
        int64_t t = now_ns();
        if (o->progress && t - last >= 1000000000) {
            fprintf(o->progress, "chunkio bench: run %llu/%llu ops, %.0f ops/s (uring)\n",
                    (unsigned long long)u.completed, (unsigned long long)o->ops,
                    (double)u.completed / ((double)(t - t0) / 1e9));
            fflush(o->progress);
            last = t;
        }
    }
    res->elapsed_s = (double)(now_ns() - t0) / 1e9;
    for (unsigned i = 0; i < o->concurrency; i++) {
        if (slots[i].fd >= 0) close(slots[i].fd);
        if (slots[i].pfd >= 0) close(slots[i].pfd);
        chunkio_ctx_free(&slots[i].c);
    }
    free(slots);
    gsl_rng_free(u.rng);
    io_uring_queue_exit(&u.ring);
    return rc;
}
