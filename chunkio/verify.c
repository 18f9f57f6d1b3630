/* chunkio/verify.c - re-read every chunk copy, check it, repair from replicas.
 *
 * The walk lists every chunk file under every directory (the key is decoded
 * from the file's name, so even a copy whose header is destroyed is known),
 * groups the copies by key, reads each one completely, and then makes the
 * placement copies whole again from any intact copy.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chunkio/internal.h"
#include "sim/errors.h"

typedef struct {
    uint8_t *key;
    uint16_t klen;
    uint16_t dir;
} vent;

typedef struct {
    vent *v;
    size_t n, cap;
} vlist;

static int vlist_add(vlist *l, const uint8_t *key, size_t klen, unsigned dir)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        vent *nv = realloc(l->v, cap * sizeof *nv);
        if (!nv) return SIM_ENOMEM;
        l->v = nv;
        l->cap = cap;
    }
    vent *e = &l->v[l->n];
    e->key = malloc(klen ? klen : 1);
    if (!e->key) return SIM_ENOMEM;
    memcpy(e->key, key, klen);
    e->klen = (uint16_t)klen;
    e->dir = (uint16_t)dir;
    l->n++;
    return 0;
}

/* Lists chunk files below the directory fd, whose path below the fan-out
 * so far is name[0..len). depth guards against deep trees of other files. */
static int walk_names(int fd, char *name, size_t len, const char *fan, unsigned dir, vlist *l, int depth)
{
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return SIM_EIO;
    }
    int rc = 0;
    struct dirent *de;
    while (rc == 0 && (de = readdir(d)) != NULL) {
        const char *n = de->d_name;
        size_t nl = strlen(n);
        if (n[0] == '.' || len + nl + 2 >= CHUNKIO_MAX_RELPATH) continue;
        memcpy(name + len, n, nl + 1);
        if (nl > 3 && !strcmp(n + nl - 3, ".ck")) {
            uint8_t key[CHUNKIO_MAX_KEY];
            long kl = chunkio_key_from_name(name, key);
            if (kl < 0) continue;
            /* Only a file at the key's own path is a copy of it. */
            char rel[CHUNKIO_MAX_RELPATH];
            size_t dl;
            chunkio_key_path(key, (size_t)kl, rel, &dl);
            if (strncmp(rel, fan, 5) != 0) continue;
            rc = vlist_add(l, key, (size_t)kl, dir);
        } else if (nl > 2 && !strcmp(n + nl - 2, ".d") && depth < 16) {
            int sub = openat(dirfd(d), n, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
            if (sub < 0) continue;
            name[len + nl] = '/';
            rc = walk_names(sub, name, len + nl + 1, fan, dir, l, depth + 1);
        }
    }
    closedir(d);
    return rc;
}

typedef struct walk_arg {
    unsigned dir;
    vlist *l;
} walk_arg;

static int walk_fanout(int fd, const char *fan, void *arg)
{
    walk_arg *w = arg;
    char name[CHUNKIO_MAX_RELPATH];
    return walk_names(fd, name, 0, fan, w->dir, w->l, 0);
}

static int walk_dir(chunkio_store *st, chunkio_ctx *c, unsigned di, vlist *l)
{
    walk_arg w = { di, l };
    int e = 0;
    int rc = chunkio_each_fanout(st->dirs[di].fd, walk_fanout, &w, &e);
    if (e) chunkio_seterr(c, "%s: cannot list: %s", st->dirs[di].path, strerror(e));
    return rc;
}

static int vent_cmp(const void *pa, const void *pb)
{
    const vent *a = pa, *b = pb;
    size_t m = a->klen < b->klen ? a->klen : b->klen;
    int c = m ? memcmp(a->key, b->key, m) : 0;
    if (c) return c;
    if (a->klen != b->klen) return a->klen < b->klen ? -1 : 1;
    return (int)a->dir - (int)b->dir;
}

enum { C_ABSENT = 0, C_GOOD, C_BAD };

static void check_key(chunkio_store *st, chunkio_ctx *c, int repair, const vent *g, size_t ng,
                      chunkio_verify_report *rep)
{
    unsigned char state[CHUNKIO_MAX_DIRS] = { 0 };
    uint8_t *good = NULL;
    size_t good_len = 0;
    uint32_t r = 1;
    for (size_t i = 0; i < ng; i++) {
        const uint8_t *data;
        size_t n;
        uint64_t total;
        chunkio_hdr h;
        rep->copies++;
        int rc = chunkio_read_copy(st, c, g[i].dir, g[i].key, g[i].klen, 0, SIZE_MAX, &data, &n, &total, &h);
        state[g[i].dir] = rc == 0 ? C_GOOD : C_BAD;
        if (rc == 0 && !good) {
            good = malloc(n ? n : 1);
            if (good) {
                memcpy(good, data, n);
                good_len = n;
                r = h.replicas;
            }
        }
    }
    int bad = 0, missing = 0, fixed = 0;
    if (!good) {
        rep->corrupt++;
        return;
    }
    if (r > st->ndirs) r = st->ndirs;
    unsigned place[CHUNKIO_MAX_DIRS];
    unsigned char want[CHUNKIO_MAX_DIRS] = { 0 };
    chunkio_placement(st, g[0].key, g[0].klen, place, r);
    for (unsigned i = 0; i < r; i++) want[place[i]] = 1;
    for (unsigned d = 0; d < st->ndirs; d++) {
        if (state[d] == C_GOOD || (state[d] == C_ABSENT && !want[d])) continue;
        int ok = repair && chunkio_write_copy(st, c, d, g[0].key, g[0].klen, good, good_len, r) == 0;
        if (ok) fixed++;
        else if (state[d] == C_BAD) bad++;
        else missing++;
    }
    free(good);
    if (bad) rep->corrupt++;
    else if (missing) rep->missing++;
    else if (fixed) rep->repaired++;
    else rep->ok++;
}

int chunkio_verify(chunkio_store *st, chunkio_ctx *c, int repair, chunkio_verify_report *rep)
{
    memset(rep, 0, sizeof *rep);
    vlist l = { 0 };
    int rc = 0;
    for (unsigned i = 0; i < st->ndirs && rc == 0; i++) rc = walk_dir(st, c, i, &l);
    if (rc == 0) {
        if (l.n > 1) qsort(l.v, l.n, sizeof *l.v, vent_cmp);
        for (size_t i = 0; i < l.n;) {
            size_t j = i + 1;
            while (j < l.n && l.v[j].klen == l.v[i].klen &&
                   (l.v[i].klen == 0 || memcmp(l.v[j].key, l.v[i].key, l.v[i].klen) == 0))
                j++;
            rep->chunks++;
            check_key(st, c, repair, l.v + i, j - i, rep);
            i = j;
        }
    } else if (rc == SIM_ENOMEM) {
        chunkio_seterr(c, "out of memory listing the store");
    }
    for (size_t i = 0; i < l.n; i++) free(l.v[i].key);
    free(l.v);
    return rc;
}
