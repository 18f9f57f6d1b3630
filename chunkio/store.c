/* chunkio/store.c - opening a store, put, get, delete.
 *
 * Every path below a store directory is opened relative to the directory's
 * descriptor (openat and friends), so the length of the directory's own path
 * never matters and a key's name (hex, see format.h) is the only thing
 * appended to it.
 */
#include "chunkio/chunkio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "chunkio/format.h"
#include "chunkio/internal.h"
#include "sim/errors.h"
#include "sim/rng.h"

const char *const chunkio_step_names[CHUNKIO_NSTEPS] = { "write", "fdatasync", "rename", "dir_fsync" };

static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void chunkio_ctx_init(chunkio_ctx *c)
{
    memset(c, 0, sizeof *c);
}

void chunkio_ctx_free(chunkio_ctx *c)
{
    free(c->buf);
    memset(c, 0, sizeof *c);
}

void chunkio_seterr(chunkio_ctx *c, const char *fmt, ...)
{
    if (!c) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err, sizeof c->err, fmt, ap);
    va_end(ap);
}

int chunkio_errno_code(int e)
{
    switch (e) {
    case ENOSPC: case EDQUOT: case EFBIG: return SIM_ENOSPC;
    case ENOENT: return SIM_ENOENT;
    case ENOMEM: return SIM_ENOMEM;
    case EINTR: return SIM_EINTR;
    case EINVAL: case EOPNOTSUPP: return SIM_ENOTSUP;
    default: return SIM_EIO;
    }
}

/* A buffer of CHUNKIO_HUGE bytes or more starts on a 2 MiB boundary and asks
 * for transparent huge pages (the THP mode "madvise", this machine's, serves
 * only the regions that ask; under "always" the advice changes nothing, and
 * with THP off it is ignored). Why: an O_DIRECT read is cut into device
 * requests of at most max_segments physically contiguous pieces. In 4 KiB
 * pages scattered by chance, a 1 MiB chunk's read (257 pages with its
 * header) was measured as one request in some threads and two in others on
 * a virtio disk (max_segments 254), and throughput at 4 in flight moved
 * between 1,243 and 2,145 reads/s with it (docs/calibration.md). In a huge
 * page the whole read is one piece. Smaller buffers (up to 1 MiB) keep 4 KiB
 * pages: 64 KiB reads never come near the limit. */
#define CHUNKIO_HUGE ((size_t)2 << 20)

int chunkio_ctx_reserve(chunkio_ctx *c, size_t need)
{
    if (need <= c->cap) return 0;
    size_t cap = c->cap ? c->cap : 64u << 10;
    while (cap < need) cap *= 2;
    void *p = NULL;
    if (posix_memalign(&p, cap >= CHUNKIO_HUGE ? CHUNKIO_HUGE : CHUNKIO_ALIGN, cap) != 0) return SIM_ENOMEM;
#ifdef MADV_HUGEPAGE
    if (cap >= CHUNKIO_HUGE) (void)madvise(p, cap, MADV_HUGEPAGE); /* advice: failure changes nothing */
#endif
    if (c->cap) memcpy(p, c->buf, c->cap); /* callers keep a header in it */
    free(c->buf);
    c->buf = p;
    c->cap = cap;
    return 0;
}

static uint64_t hash_bytes(const void *p, size_t n)
{
    /* Two CRC32C passes with different seeds make 64 bits; sim_mix64 spreads
     * them. Placement needs a good spread, not resistance to attack: a user
     * who picks keys can at worst choose which directories hold them. */
    uint32_t a = chunkio_crc32c(p, n);
    uint32_t b = ~a;
    const uint8_t *q = p;
    for (size_t i = 0; i < n; i++) b = (b * 0x01000193u) ^ q[i];
    return sim_mix64((uint64_t)a << 32 | b);
}

void chunkio_placement(const chunkio_store *st, const void *key, size_t klen, unsigned *out,
                       unsigned count)
{
    /* Rendezvous (highest random weight) hashing: each directory scores
     * hash(key, directory); the `count` best hold the copies. Adding a
     * directory moves only the keys it wins. */
    uint64_t kh = hash_bytes(key, klen);
    uint64_t score[CHUNKIO_MAX_DIRS];
    unsigned idx[CHUNKIO_MAX_DIRS];
    for (unsigned i = 0; i < st->ndirs; i++) {
        score[i] = sim_mix64(kh ^ st->dirs[i].hash);
        idx[i] = i;
    }
    for (unsigned i = 0; i < count && i < st->ndirs; i++) {
        unsigned best = i;
        for (unsigned j = i + 1; j < st->ndirs; j++)
            if (score[idx[j]] > score[idx[best]]) best = j;
        unsigned t = idx[i];
        idx[i] = idx[best];
        idx[best] = t;
        out[i] = idx[i];
    }
}

int chunkio_is_temp_name(const char *n)
{
    size_t nl = strlen(n);
    return n[0] == '.' && nl > 5 && !strcmp(n + nl - 4, ".tmp");
}

/* Removes, in the directory fd (which it closes), the temporaries no live
 * writer holds: a writer keeps LOCK_EX on its temporary from creation to
 * after the rename, and the kernel drops the lock when the writer dies,
 * however it dies. With `all`, every file is a temporary (the tmp/ of
 * stores written before temporaries moved beside their chunks). Below the
 * fan-out it descends into the directories of long keys ("SEG.d"), at most
 * `depth` more levels. 0, or -errno if fd cannot be listed. */
static int clean_temps_in(int fd, int all, int depth, uint64_t *removed)
{
    DIR *dir = fdopendir(fd);
    if (!dir) {
        int e = errno;
        close(fd);
        return -e;
    }
    struct dirent *de;
    while ((de = readdir(dir)) != NULL) {
        const char *n = de->d_name;
        if (!strcmp(n, ".") || !strcmp(n, "..")) continue;
        size_t nl = strlen(n);
        if (!all && depth > 0 && nl > 2 && !strcmp(n + nl - 2, ".d")) {
            int sub = openat(dirfd(dir), n, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
            if (sub >= 0) clean_temps_in(sub, 0, depth - 1, removed);
            continue;
        }
        if (!all && !chunkio_is_temp_name(n)) continue;
        int tf = openat(dirfd(dir), n, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (tf < 0) continue;
        struct stat sb;
        if (fstat(tf, &sb) == 0 && S_ISREG(sb.st_mode) && flock(tf, LOCK_EX | LOCK_NB) == 0) {
            if (unlinkat(dirfd(dir), n, 0) == 0) (*removed)++;
        }
        close(tf);
    }
    closedir(dir);
    return 0;
}

static int is_hex2(const char *s)
{
    return strlen(s) == 2 && strchr("0123456789abcdef", s[0]) && strchr("0123456789abcdef", s[1]);
}

int chunkio_each_fanout(int root, int (*fn)(int fd, const char *fan, void *arg), void *arg, int *err)
{
    int r = openat(root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d1 = r >= 0 ? fdopendir(r) : NULL;
    if (!d1) {
        *err = errno;
        if (r >= 0) close(r);
        return SIM_EIO;
    }
    int rc = 0;
    struct dirent *a;
    while (rc == 0 && (a = readdir(d1)) != NULL) {
        if (!is_hex2(a->d_name)) continue;
        int fa = openat(dirfd(d1), a->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        DIR *d2 = fa >= 0 ? fdopendir(fa) : NULL;
        if (!d2) {
            if (fa >= 0) close(fa);
            continue;
        }
        struct dirent *b;
        while (rc == 0 && (b = readdir(d2)) != NULL) {
            if (!is_hex2(b->d_name)) continue;
            int fb = openat(dirfd(d2), b->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
            if (fb < 0) continue;
            char fan[6] = { a->d_name[0], a->d_name[1], '/', b->d_name[0], b->d_name[1], '\0' };
            rc = fn(fb, fan, arg);
        }
        closedir(d2);
    }
    closedir(d1);
    return rc;
}

static int clean_fanout(int fd, const char *fan, void *removed)
{
    (void)fan;
    clean_temps_in(fd, 0, 16, removed);
    return 0;
}

/* Writer markers. Walking every fan-out directory for leftover
 * temporaries costs a listing per directory (0.18 s warm, 3.5 s cold for
 * 33,681 of them on this machine), too much for every `chunkio get`. So a
 * process, before its first temporary in a store directory, creates
 * DIR/.writer.PID.N, keeps it locked (LOCK_EX) while it lives and removes
 * it at chunkio_store_close, when it has no temporary left. The marker is
 * made durable (the directory is fsync'ed) before any temporary exists. A
 * marker that can be locked belongs to a process that died without
 * closing: only then does opening walk the store. */

/* Whether DIR holds a dead writer's marker; dead markers are removed when
 * `remove` (after the walk). Returns their count. */
static unsigned dead_markers(chunkio_dir *d, int remove)
{
    int r = openat(d->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *dir = r >= 0 ? fdopendir(r) : NULL;
    if (!dir) {
        if (r >= 0) close(r);
        return 0;
    }
    unsigned n = 0;
    struct dirent *de;
    while ((de = readdir(dir)) != NULL) {
        if (strncmp(de->d_name, ".writer.", 8) != 0) continue;
        if (d->marker >= 0 && !strcmp(de->d_name, d->marker_name)) continue;
        int fd = openat(dirfd(dir), de->d_name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0) continue;
        if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
            n++;
            if (remove) unlinkat(dirfd(dir), de->d_name, 0);
        }
        close(fd);
    }
    closedir(dir);
    return n;
}

/* Makes sure this process has a live marker in store directory di before
 * it creates a temporary there. 0, or a SIM_E* code with c->err set. */
static int ensure_marker(chunkio_store *st, chunkio_ctx *c, unsigned di)
{
    chunkio_dir *d = &st->dirs[di];
    pthread_mutex_lock(&st->marker_lock);
    int rc = 0;
    static atomic_uint seq; /* distinct markers for several stores in one process */
    for (int attempt = 0; d->marker < 0 && attempt < 8; attempt++) {
        snprintf(d->marker_name, sizeof d->marker_name, ".writer.%ld.%u", (long)getpid(),
                 atomic_fetch_add(&seq, 1));
        int fd = openat(d->fd, d->marker_name, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0 && errno == EEXIST) continue;
        if (fd < 0 || flock(fd, LOCK_EX) != 0 || fsync(d->fd) != 0) {
            int e = errno;
            if (fd >= 0) {
                unlinkat(d->fd, d->marker_name, 0);
                close(fd);
            }
            chunkio_seterr(c, "%s: cannot create the writer marker: %s", d->path, strerror(e));
            rc = e == ENOSPC || e == EDQUOT ? SIM_ENOSPC : SIM_EIO;
            break;
        }
        d->marker = fd;
    }
    if (rc == 0 && d->marker < 0) {
        chunkio_seterr(c, "%s: cannot create the writer marker: %s", d->path, strerror(EEXIST));
        rc = SIM_EIO;
    }
    pthread_mutex_unlock(&st->marker_lock);
    return rc;
}

/* Removes leftover temporaries from store directory d: in every fan-out
 * directory DIR/xx/yy/ (and the long keys' directories below), and in
 * DIR/tmp/ if an older build left one. A walk over every directory of the
 * store: its cost grows with the number of fan-out directories in use (at
 * most 65536), not with the chunks' sizes. 0 or -errno (the root cannot be
 * listed; leftovers in tmp/ and in directories that cannot be listed stay). */
static int clean_temps(chunkio_store *st, chunkio_dir *d)
{
    int tfd = openat(d->fd, "tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
    if (tfd >= 0) clean_temps_in(tfd, 1, 0, &st->temps_removed);
    unsigned dead = dead_markers(d, 0);
    if (dead == 0) return 0;
    st->dead_writers += dead;
    int e = 0;
    if (chunkio_each_fanout(d->fd, clean_fanout, &st->temps_removed, &e)) return -e;
    dead_markers(d, 1); /* only now: a walk cut short is tried again next time */
    return 0;
}

static void errf(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void errf(char *buf, size_t len, const char *fmt, ...)
{
    if (!buf || !len) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, len, fmt, ap);
    va_end(ap);
}

int chunkio_store_open(chunkio_store *st, const char *const *dirs, unsigned ndirs,
                       const chunkio_opts *opts, char *errbuf, size_t errlen)
{
    memset(st, 0, sizeof *st);
    pthread_mutex_init(&st->marker_lock, NULL);
    for (unsigned i = 0; i < CHUNKIO_MAX_DIRS; i++) st->dirs[i].fd = st->dirs[i].marker = -1;
    if (opts) st->opts = *opts;
    if (ndirs < 1 || ndirs > CHUNKIO_MAX_DIRS) {
        errf(errbuf, errlen, "need 1 to %u directories, got %u", CHUNKIO_MAX_DIRS, ndirs);
        return SIM_EINVAL;
    }
    if (st->opts.replicas == 0) st->opts.replicas = 1;
    if (st->opts.replicas > ndirs) {
        errf(errbuf, errlen, "%u replicas need at least %u directories, got %u", st->opts.replicas,
             st->opts.replicas, ndirs);
        return SIM_EINVAL;
    }
    if (st->opts.write_quorum == 0) st->opts.write_quorum = st->opts.replicas;
    if (st->opts.write_quorum > st->opts.replicas) {
        errf(errbuf, errlen, "write quorum %u exceeds %u replicas", st->opts.write_quorum, st->opts.replicas);
        return SIM_EINVAL;
    }
    int rc = 0;
    for (unsigned i = 0; i < ndirs && rc == 0; i++) {
        chunkio_dir *d = &st->dirs[i];
        const char *p = dirs[i];
        if (!p || !*p) {
            errf(errbuf, errlen, "directory %u: empty path", i + 1);
            rc = SIM_EINVAL;
            break;
        }
        if (st->opts.create && mkdir(p, 0755) != 0 && errno != EEXIST) {
            errf(errbuf, errlen, "%s: cannot create directory: %s", p, strerror(errno));
            rc = chunkio_errno_code(errno) == SIM_ENOENT ? SIM_ENOENT : SIM_EIO;
            break;
        }
        d->fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (d->fd < 0) {
            int e = errno;
            errf(errbuf, errlen, "%s: cannot open directory: %s", p, strerror(e));
            rc = e == ENOENT ? SIM_ENOENT : SIM_EIO;
            break;
        }
        d->path = strdup(p);
        char *real = realpath(p, NULL);
        if (!d->path || !real) {
            free(real);
            errf(errbuf, errlen, "%s: %s", p, real ? "out of memory" : strerror(errno));
            rc = real ? SIM_ENOMEM : SIM_EIO;
            st->ndirs = i + 1;
            break;
        }
        d->hash = hash_bytes(real, strlen(real));
        free(real);
        st->ndirs = i + 1;
        for (unsigned j = 0; j < i; j++) {
            struct stat a, b;
            if (fstat(d->fd, &a) == 0 && fstat(st->dirs[j].fd, &b) == 0 && a.st_dev == b.st_dev &&
                a.st_ino == b.st_ino) {
                errf(errbuf, errlen, "%s and %s are the same directory: replicas must be on different ones",
                     st->dirs[j].path, p);
                rc = SIM_EINVAL;
            }
        }
        if (rc) break;
        int e = clean_temps(st, d);
        /* A read-only store can still serve gets; writes will report it. */
        if (e < 0 && e != -EACCES && e != -EPERM) {
            errf(errbuf, errlen, "%s: cannot look for leftover temporaries: %s", p, strerror(-e));
            rc = SIM_EIO;
            break;
        }
    }
    if (rc) {
        /* ndirs counts the directories that hold something to release. */
        if (st->ndirs == 0 && st->dirs[0].fd >= 0) st->ndirs = 1;
        chunkio_store_close(st);
    }
    return rc;
}

void chunkio_store_close(chunkio_store *st)
{
    for (unsigned i = 0; i < CHUNKIO_MAX_DIRS; i++) {
        chunkio_dir *d = &st->dirs[i];
        if (d->marker >= 0) {
            unlinkat(d->fd, d->marker_name, 0);
            close(d->marker);
            d->marker = -1;
        }
        if (st->dirs[i].fd >= 0) close(st->dirs[i].fd);
        free(st->dirs[i].path);
        st->dirs[i].fd = -1;
        st->dirs[i].path = NULL;
    }
    st->ndirs = 0;
}

/* Opens (creating if needed) the directory `rel` (length len) below root and
 * returns its descriptor. Every directory created has its parent fsync'ed,
 * so a chunk renamed into it is reachable after a crash. */
int chunkio_open_dirs(int root, const char *rel, size_t len)
{
    char path[CHUNKIO_MAX_RELPATH];
    memcpy(path, rel, len);
    path[len] = '\0';
    int fd = openat(root, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0 || errno != ENOENT) return fd >= 0 ? fd : -errno;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && path[i] != '/') continue;
        path[i] = '\0';
        if (mkdirat(root, path, 0755) == 0) {
            char *slash = strrchr(path, '/');
            int pfd;
            if (slash) {
                *slash = '\0';
                pfd = openat(root, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                *slash = '/';
            } else {
                pfd = dup(root);
            }
            if (pfd < 0 || fsync(pfd) != 0) {
                int e = errno;
                if (pfd >= 0) close(pfd);
                return -e;
            }
            close(pfd);
        } else if (errno != EEXIST) {
            return -errno;
        }
        if (i < len) path[i] = '/';
    }
    fd = openat(root, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    return fd >= 0 ? fd : -errno;
}

static int write_all(int fd, const struct iovec *iov0, int cnt, uint64_t total)
{
    struct iovec iov[4];
    memcpy(iov, iov0, (size_t)cnt * sizeof *iov);
    struct iovec *v = iov;
    uint64_t off = 0;
    while (off < total) {
        ssize_t w = pwritev(fd, v, cnt, (off_t)off);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -errno;
        }
        if (w == 0) return -EIO;
        off += (uint64_t)w;
        size_t left = (size_t)w;
        while (cnt > 0 && left >= v->iov_len) {
            left -= v->iov_len;
            v++;
            cnt--;
        }
        if (cnt > 0) {
            v->iov_base = (char *)v->iov_base + left;
            v->iov_len -= left;
        }
    }
    return 0;
}

int chunkio_open_temp(chunkio_store *st, chunkio_ctx *c, unsigned di, int pfd, char *tmp, size_t tmplen)
{
    chunkio_dir *d = &st->dirs[di];
    int direct = st->opts.direct;
    int fd = -1, e = 0;
    int rc = ensure_marker(st, c, di);
    if (rc) return rc;
    for (int attempt = 0; attempt < 8; attempt++) {
        snprintf(tmp, tmplen, ".%ld.%lx.%u.tmp", (long)getpid(), (unsigned long)pthread_self(), c->tmp_seq++);
        fd = openat(pfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | (direct ? O_DIRECT : 0), 0644);
        if (fd < 0) {
            e = errno;
            if (e == EEXIST) continue;
            break;
        }
        /* Lock before anything else; a store opening in another process
         * may have removed the file between create and lock: then retry. */
        struct stat sb;
        if (flock(fd, LOCK_EX) != 0 || fstat(fd, &sb) != 0) {
            e = errno;
            close(fd);
            fd = -1;
            break;
        }
        if (sb.st_nlink > 0) return fd;
        close(fd);
        fd = -1;
    }
    if (direct && e == EINVAL) {
        chunkio_seterr(c, "%s: O_DIRECT is not supported by this filesystem", d->path);
        return SIM_ENOTSUP;
    }
    chunkio_seterr(c, "%s: cannot create a temporary file: %s", d->path, strerror(e ? e : EEXIST));
    return e == ENOSPC || e == EDQUOT ? SIM_ENOSPC : SIM_EIO;
}

static const uint8_t zero_pad[CHUNKIO_ALIGN];

int chunkio_write_copy(chunkio_store *st, chunkio_ctx *c, unsigned di, const void *key, size_t klen,
                       const void *data, size_t len, uint32_t replicas)
{
    chunkio_dir *d = &st->dirs[di];
    char rel[CHUNKIO_MAX_RELPATH];
    size_t dirlen;
    chunkio_key_path(key, klen, rel, &dirlen);
    uint32_t hs = chunkio_hdr_size(klen, len);
    uint64_t padded = chunkio_align_up(len);
    int direct = st->opts.direct;
    int rc = chunkio_ctx_reserve(c, direct ? hs + padded : hs);
    if (rc) {
        chunkio_seterr(c, "%s: out of memory for a %zu-byte chunk", d->path, len);
        return rc;
    }
    chunkio_hdr_encode(c->buf, key, klen, data, len, replicas);

    int64_t t = mono_ns(), t1;
    int pfd = chunkio_open_dirs(d->fd, rel, dirlen);
    if (pfd < 0) {
        chunkio_seterr(c, "%s: cannot create the chunk's directory: %s", d->path, strerror(-pfd));
        return chunkio_errno_code(-pfd) == SIM_ENOSPC ? SIM_ENOSPC : SIM_EIO;
    }
    char tmp[96];
    int fd = chunkio_open_temp(st, c, di, pfd, tmp, sizeof tmp);
    if (fd < 0) {
        close(pfd);
        return fd;
    }

    struct iovec iov[3];
    int cnt;
    uint64_t total = hs + padded;
    if (direct) {
        memcpy(c->buf + hs, data, len);
        memset(c->buf + hs + len, 0, padded - len);
        iov[0] = (struct iovec){ c->buf, total };
        cnt = 1;
    } else {
        iov[0] = (struct iovec){ c->buf, hs };
        iov[1] = (struct iovec){ (void *)data, len };
        iov[2] = (struct iovec){ (void *)zero_pad, padded - len };
        cnt = padded > len ? 3 : 2;
    }
    /* each step's time goes to c->step_ns (a few clock reads per write) */
#define STEP_DONE(k) (t1 = mono_ns(), c->step_ns[k] += t1 - t, t = t1)
    int w = write_all(fd, iov, cnt, total);
    const char *what = "write";
    STEP_DONE(CHUNKIO_STEP_WRITE);
    if (w == 0 && fdatasync(fd) != 0) {
        w = -errno;
        what = "fdatasync";
    }
    STEP_DONE(CHUNKIO_STEP_FDATASYNC);
    if (w == 0 && renameat(pfd, tmp, pfd, rel + dirlen + 1) != 0) {
        w = -errno;
        what = "rename";
    }
    STEP_DONE(CHUNKIO_STEP_RENAME);
    int renamed = w == 0; /* the temporary is gone: nothing to clean up */
    if (w == 0 && fsync(pfd) != 0) {
        /* The chunk is in place but its name may not survive a crash: not
         * durable, so not acknowledged. */
        w = -errno;
        what = "directory fsync";
    }
    STEP_DONE(CHUNKIO_STEP_DIRSYNC);
#undef STEP_DONE
    if (w != 0 && !renamed) unlinkat(pfd, tmp, 0);
    close(fd);
    close(pfd);
    if (w != 0) {
        chunkio_seterr(c, "%s: %s of a %zu-byte chunk failed: %s", d->path, what, len, strerror(-w));
        return chunkio_errno_code(-w) == SIM_ENOSPC ? SIM_ENOSPC : SIM_EIO;
    }
    return 0;
}

static int check_key(chunkio_ctx *c, size_t klen)
{
    if (klen > CHUNKIO_MAX_KEY) {
        chunkio_seterr(c, "key of %zu bytes is longer than the %u-byte limit", klen, CHUNKIO_MAX_KEY);
        return SIM_EINVAL;
    }
    return 0;
}

int chunkio_put(chunkio_store *st, chunkio_ctx *c, const void *key, size_t klen,
                const void *data, size_t len)
{
    if (check_key(c, klen)) return SIM_EINVAL;
    if (len > CHUNKIO_MAX_CHUNK) {
        chunkio_seterr(c, "chunk of %zu bytes is larger than the %u-byte limit", len, CHUNKIO_MAX_CHUNK);
        return SIM_EINVAL;
    }
    unsigned place[CHUNKIO_MAX_DIRS];
    unsigned r = st->opts.replicas;
    chunkio_placement(st, key, klen, place, r);
    memset(c->step_ns, 0, sizeof c->step_ns);
    unsigned done = 0;
    int first_err = 0;
    char first_msg[sizeof c->err];
    first_msg[0] = '\0';
    for (unsigned i = 0; i < r; i++) {
        int rc = chunkio_write_copy(st, c, place[i], key, klen, data, len, r);
        if (rc == 0) {
            done++;
        } else if (!first_err) {
            first_err = rc;
            memcpy(first_msg, c->err, sizeof first_msg);
        }
    }
    if (done >= st->opts.write_quorum) return 0;
    memcpy(c->err, first_msg, sizeof first_msg);
    if (r > 1) {
        size_t n = strlen(c->err);
        snprintf(c->err + n, sizeof c->err - n, " (%u of %u copies durable, quorum %u)", done, r,
                 st->opts.write_quorum);
    }
    return first_err;
}

static int read_full(int fd, uint8_t *buf, size_t len, uint64_t off, size_t *got)
{
    size_t n = 0;
    while (n < len) {
        ssize_t r = pread(fd, buf + n, len - n, (off_t)(off + n));
        if (r < 0) {
            if (errno == EINTR) continue;
            return -errno;
        }
        if (r == 0) break;
        n += (size_t)r;
    }
    *got = n;
    return 0;
}

int chunkio_open_read(int dirfd, const char *rel, int flags)
{
    flags |= O_RDONLY | O_CLOEXEC | O_NOFOLLOW;
    int fd = openat(dirfd, rel, flags | O_NOATIME);
    if (fd < 0 && errno == EPERM) fd = openat(dirfd, rel, flags);
    return fd;
}

int chunkio_read_copy(chunkio_store *st, chunkio_ctx *c, unsigned di, const void *key, size_t klen,
                      uint64_t off, size_t len, const uint8_t **data, size_t *n, uint64_t *total,
                      chunkio_hdr *hout)
{
    chunkio_dir *d = &st->dirs[di];
    char rel[CHUNKIO_MAX_RELPATH];
    size_t dirlen;
    chunkio_key_path(key, klen, rel, &dirlen);
    int direct = st->opts.direct;
    int fd = chunkio_open_read(d->fd, rel, direct ? O_DIRECT : 0);
    if (fd < 0) {
        int e = errno;
        if (e == ENOENT || e == ENOTDIR) return SIM_ENOENT;
        if (direct && e == EINVAL) {
            chunkio_seterr(c, "%s: O_DIRECT is not supported by this filesystem", d->path);
            return SIM_ENOTSUP;
        }
        chunkio_seterr(c, "%s/%s: cannot open: %s", d->path, rel, strerror(e));
        return SIM_EIO;
    }
    /* A read of the whole chunk fetches header and data with one I/O (the
     * file's size says how much); a range read fetches the header first. */
    struct stat sb;
    size_t first = CHUNKIO_ALIGN;
    if (off == 0 && fstat(fd, &sb) == 0 && sb.st_size > 0 && (uint64_t)sb.st_size - CHUNKIO_ALIGN <= len) {
        uint64_t whole = chunkio_align_up((uint64_t)sb.st_size);
        uint64_t most = CHUNKIO_ALIGN + chunkio_align_up(CHUNKIO_MAX_CHUNK);
        first = (size_t)(whole < most ? whole : most);
    }
    int rc = chunkio_ctx_reserve(c, first);
    size_t got = 0;
    const char *why = NULL;
    chunkio_hdr h;
    if (!rc) {
        int e = read_full(fd, c->buf, first, 0, &got);
        if (e) {
            chunkio_seterr(c, "%s/%s: read failed: %s", d->path, rel, strerror(-e));
            rc = SIM_EIO;
        }
    }
    if (!rc && (rc = chunkio_hdr_peek(c->buf, got, &h, &why)) == 0) {
        if (h.header_size > got) {
            if ((rc = chunkio_ctx_reserve(c, h.header_size)) == 0) {
                size_t more = 0;
                int e = read_full(fd, c->buf + got, h.header_size - got, got, &more);
                if (e) rc = SIM_EIO;
                else if (more < h.header_size - got) rc = SIM_ECORRUPT, why = "file shorter than its header";
            }
        }
        if (!rc) rc = chunkio_hdr_check(c->buf, &h, &why);
        if (!rc && (h.key_len != klen || (klen && memcmp(h.key, key, klen) != 0))) {
            rc = SIM_ECORRUPT;
            why = "stored key differs from the file's name";
        }
    }
    if (rc) {
        close(fd);
        if (rc == SIM_ECORRUPT) chunkio_seterr(c, "%s/%s: corrupt: %s", d->path, rel, why ? why : "?");
        return rc;
    }
    /* The blocks the range touches, and nothing else, are read and checked. */
    if (off > h.data_len) off = h.data_len;
    size_t want = len > h.data_len - off ? (size_t)(h.data_len - off) : len;
    uint32_t b0 = (uint32_t)(off / CHUNKIO_BLOCK);
    uint32_t b1 = want ? (uint32_t)((off + want + CHUNKIO_BLOCK - 1) / CHUNKIO_BLOCK) : b0;
    uint64_t from = (uint64_t)b0 * CHUNKIO_BLOCK;
    uint64_t to = (uint64_t)b1 * CHUNKIO_BLOCK;
    if (to > h.data_len) to = h.data_len;
    size_t bytes = (size_t)(to - from);
    size_t io = direct ? (size_t)chunkio_align_up(bytes) : bytes;
    /* The header stays at the start of the buffer (its CRCs are needed);
     * data goes after it, at an aligned offset. */
    size_t hs = h.header_size;
    size_t have = got > hs + from ? got - hs - (size_t)from : 0; /* data bytes already read */
    if (to > from && !(from == 0 && have >= bytes)) {
        if ((rc = chunkio_ctx_reserve(c, hs + io)) != 0) {
            close(fd);
            return rc;
        }
        /* reserve may have moved the buffer: re-point the header. */
        h.key = c->buf + CHUNKIO_FIXED_HDR;
        h.crcs = c->buf + CHUNKIO_FIXED_HDR + h.key_len;
        int e = read_full(fd, c->buf + hs, io, hs + from, &got);
        if (e) {
            close(fd);
            chunkio_seterr(c, "%s/%s: read failed: %s", d->path, rel, strerror(-e));
            return SIM_EIO;
        }
        have = got;
    }
    close(fd);
    if (to > from && have < bytes) {
        chunkio_seterr(c, "%s/%s: corrupt: file shorter than its recorded length", d->path, rel);
        return SIM_ECORRUPT;
    }
    for (uint32_t b = b0; b < b1; b++) {
        uint64_t bo = (uint64_t)b * CHUNKIO_BLOCK - from;
        uint64_t bl = h.data_len - (uint64_t)b * CHUNKIO_BLOCK;
        if (bl > CHUNKIO_BLOCK) bl = CHUNKIO_BLOCK;
        if (chunkio_crc32c(c->buf + hs + bo, bl) != chunkio_hdr_block_crc(&h, b)) {
            chunkio_seterr(c, "%s/%s: corrupt: checksum mismatch in block %u (bytes %llu-%llu)", d->path, rel, b,
                           (unsigned long long)(b * (uint64_t)CHUNKIO_BLOCK),
                           (unsigned long long)(b * (uint64_t)CHUNKIO_BLOCK + bl - 1));
            return SIM_ECORRUPT;
        }
    }
    *data = c->buf + hs + (off - from);
    *n = want;
    if (total) *total = h.data_len;
    if (hout) *hout = h;
    return 0;
}

int chunkio_check_whole(chunkio_ctx *c, const char *where, const void *key, size_t klen, const uint8_t *buf,
                        size_t got, uint64_t *len)
{
    chunkio_hdr h;
    const char *why = NULL;
    int rc = chunkio_hdr_peek(buf, got, &h, &why);
    if (!rc && got < h.header_size) rc = SIM_ECORRUPT, why = "file shorter than its header";
    if (!rc) rc = chunkio_hdr_check(buf, &h, &why);
    if (!rc && (h.key_len != klen || (klen && memcmp(h.key, key, klen) != 0)))
        rc = SIM_ECORRUPT, why = "stored key differs from the file's name";
    if (!rc && got - h.header_size < h.data_len) rc = SIM_ECORRUPT, why = "file shorter than its recorded length";
    for (uint32_t b = 0; !rc && b < h.nblocks; b++) {
        uint64_t bl = h.data_len - (uint64_t)b * CHUNKIO_BLOCK;
        if (bl > CHUNKIO_BLOCK) bl = CHUNKIO_BLOCK;
        if (chunkio_crc32c(buf + h.header_size + (uint64_t)b * CHUNKIO_BLOCK, bl) != chunkio_hdr_block_crc(&h, b))
            rc = SIM_ECORRUPT, why = "checksum mismatch in a data block";
    }
    if (rc) {
        chunkio_seterr(c, "%s: corrupt: %s", where, why);
        return rc;
    }
    *len = h.data_len;
    return 0;
}

int chunkio_get(chunkio_store *st, chunkio_ctx *c, const void *key, size_t klen, uint64_t off,
                size_t len, const uint8_t **data, size_t *n, uint64_t *total)
{
    if (check_key(c, klen)) return SIM_EINVAL;
    unsigned order[CHUNKIO_MAX_DIRS];
    unsigned np = st->opts.replicas;
    chunkio_placement(st, key, klen, order, st->ndirs);
    (void)np;
    int corrupt = 0, ioerr = 0, tried = 0;
    char msg[sizeof c->err];
    msg[0] = '\0';
    for (unsigned i = 0; i < st->ndirs; i++) {
        int rc = chunkio_read_copy(st, c, order[i], key, klen, off, len, data, n, total, NULL);
        if (rc == 0) {
            if (tried) c->served_by_replica++;
            return 0;
        }
        if (rc == SIM_ENOENT) continue;
        tried++;
        if (!msg[0]) memcpy(msg, c->err, sizeof msg);
        if (rc == SIM_ECORRUPT) {
            c->corrupt_seen++;
            corrupt++;
        } else {
            ioerr = rc;
        }
    }
    if (corrupt) {
        memcpy(c->err, msg, sizeof msg);
        return SIM_ECORRUPT;
    }
    if (ioerr) {
        memcpy(c->err, msg, sizeof msg);
        return ioerr;
    }
    chunkio_seterr(c, "no copy of the key in %u director%s", st->ndirs, st->ndirs == 1 ? "y" : "ies");
    return SIM_ENOENT;
}

int chunkio_delete(chunkio_store *st, chunkio_ctx *c, const void *key, size_t klen)
{
    if (check_key(c, klen)) return SIM_EINVAL;
    char rel[CHUNKIO_MAX_RELPATH];
    size_t dirlen;
    chunkio_key_path(key, klen, rel, &dirlen);
    int found = 0, err = 0;
    for (unsigned i = 0; i < st->ndirs; i++) {
        if (unlinkat(st->dirs[i].fd, rel, 0) == 0) found++;
        else if (errno != ENOENT && errno != ENOTDIR) {
            chunkio_seterr(c, "%s/%s: cannot remove: %s", st->dirs[i].path, rel, strerror(errno));
            err = SIM_EIO;
        }
    }
    if (err) return err;
    if (!found) {
        chunkio_seterr(c, "no copy of the key to delete");
        return SIM_ENOENT;
    }
    return 0;
}
