/* tests/test_chunkio.c - the chunk store library: format, key names, put/get,
 * range reads, corruption and repair, temporaries, full disk, unwritable
 * directories, and crash consistency under SIGKILL. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gsl/gsl_rng.h>

#include "chunkio/bench.h"
#include "chunkio/chunkio.h"
#include "chunkio/format.h"
#include "chunkio/internal.h"
#include "sim/errors.h"
#include "sim/rng.h"
#include "tests/harness.h"

static char *path_join(const char *a, const char *b)
{
    char *p = NULL;
    if (asprintf(&p, "%s/%s", a, b) < 0) return NULL;
    return p;
}

/* Deterministic content of a given length for sequence number s. */
static void fill(uint8_t *buf, size_t len, uint64_t s)
{
    uint64_t x = s * 0x9e3779b97f4a7c15ULL + 1;
    for (size_t i = 0; i < len; i++) {
        if (i % 8 == 0) x = sim_mix64(x);
        buf[i] = (uint8_t)(x >> (8 * (i % 8)));
    }
}

static int open1(chunkio_store *st, const char *dir, int direct, unsigned replicas)
{
    chunkio_opts o = { .direct = direct, .replicas = replicas, .create = 1 };
    char err[512];
    int rc = chunkio_store_open(st, &dir, 1, &o, err, sizeof err);
    if (rc) fprintf(stderr, "open: %s\n", err);
    return rc;
}

static void test_crc_and_header(void)
{
    CHECK_EQ_U64(chunkio_crc32c("123456789", 9), 0xe3069283u);
    CHECK_EQ_U64(chunkio_crc32c("", 0), 0);
    uint8_t data[200000];
    fill(data, sizeof data, 7);
    const char key[] = "some/key";
    uint32_t hs = chunkio_hdr_size(sizeof key - 1, sizeof data);
    CHECK_EQ_U64(hs, 4096);
    CHECK_EQ_U64(chunkio_hdr_size(1024, CHUNKIO_MAX_CHUNK), 4096); /* 48 + 1024 + 512 */
    uint8_t *h = calloc(1, hs);
    chunkio_hdr_encode(h, key, sizeof key - 1, data, sizeof data, 2);
    chunkio_hdr hd;
    const char *why = NULL;
    CHECK_EQ_I64(chunkio_hdr_peek(h, hs, &hd, &why), 0);
    CHECK_EQ_I64(chunkio_hdr_check(h, &hd, &why), 0);
    CHECK_EQ_U64(hd.data_len, sizeof data);
    CHECK_EQ_U64(hd.nblocks, 4);
    CHECK_EQ_U64(hd.replicas, 2);
    CHECK_TRUE(memcmp(hd.key, key, sizeof key - 1) == 0);
    CHECK_EQ_U64(chunkio_hdr_block_crc(&hd, 3), chunkio_crc32c(data + 3 * 65536, sizeof data - 3 * 65536));
    /* Any flipped byte of the header, padding included, is caught. */
    size_t spots[] = { 0, 9, 17, 30, 40, 47, 50, 70, 1000, 4095 };
    for (size_t i = 0; i < sizeof spots / sizeof spots[0]; i++) {
        h[spots[i]] ^= 0x20;
        int bad = chunkio_hdr_peek(h, hs, &hd, &why) != 0 || chunkio_hdr_check(h, &hd, &why) != 0;
        CHECK_TRUE(bad);
        h[spots[i]] ^= 0x20;
    }
    /* Garbage and short buffers are rejected with a reason, never read past. */
    uint8_t junk[64];
    memset(junk, 0xab, sizeof junk);
    why = NULL;
    CHECK_EQ_I64(chunkio_hdr_peek(junk, sizeof junk, &hd, &why), SIM_ECORRUPT);
    CHECK_TRUE(why != NULL);
    CHECK_EQ_I64(chunkio_hdr_peek(h, 20, &hd, &why), SIM_ECORRUPT);
    memcpy(junk, h, 48);
    junk[16] = 0xff; /* data_len far beyond the limit */
    junk[22] = 0xff;
    CHECK_EQ_I64(chunkio_hdr_peek(junk, 48, &hd, &why), SIM_ECORRUPT);
    free(h);
}

static void test_key_names(void)
{
    uint8_t key[CHUNKIO_MAX_KEY], back[CHUNKIO_MAX_KEY];
    size_t lens[] = { 0, 1, 2, 119, 120, 121, 240, 241, 1023, 1024 };
    for (size_t t = 0; t < sizeof lens / sizeof lens[0]; t++) {
        size_t kl = lens[t];
        for (size_t i = 0; i < kl; i++) key[i] = (uint8_t)(i * 37 + t);
        if (kl > 3) memcpy(key, "../", 3);
        char rel[CHUNKIO_MAX_RELPATH];
        size_t dl;
        size_t n = chunkio_key_path(key, kl, rel, &dl);
        CHECK_EQ_U64(strlen(rel), n);
        CHECK_TRUE(n < CHUNKIO_MAX_RELPATH);
        CHECK_TRUE(rel[dl] == '/');
        CHECK_TRUE(strstr(rel, "..") == NULL);
        CHECK_TRUE(rel[0] != '/');
        CHECK_EQ_U64(strspn(rel, "0123456789abcdef/._dck"), n);
        /* No component longer than NAME_MAX. */
        size_t comp = 0, maxc = 0;
        for (size_t i = 0; i < n; i++) {
            comp = rel[i] == '/' ? 0 : comp + 1;
            if (comp > maxc) maxc = comp;
        }
        CHECK_TRUE(maxc <= 255);
        CHECK_EQ_I64(chunkio_key_from_name(rel + 6, back), (long)kl);
        CHECK_TRUE(kl == 0 || memcmp(back, key, kl) == 0);
    }
    /* Names that no key produces are refused. */
    const char *bad[] = { "", ".ck", "abc.ck", "zz.ck", "61", "61.d/62.ck", "../61.ck", "61.ck.tmp", NULL };
    for (int i = 0; bad[i]; i++) CHECK_EQ_I64(chunkio_key_from_name(bad[i], back), -1);
}

static void test_parse_size(void)
{
    uint64_t v;
    CHECK_EQ_I64(chunkio_parse_size("4096", &v), 0);
    CHECK_EQ_U64(v, 4096);
    CHECK_EQ_I64(chunkio_parse_size("64KiB", &v), 0);
    CHECK_EQ_U64(v, 65536);
    CHECK_EQ_I64(chunkio_parse_size("1MiB", &v), 0);
    CHECK_EQ_U64(v, 1048576);
    CHECK_EQ_I64(chunkio_parse_size("1.5M", &v), 0);
    CHECK_EQ_U64(v, 1572864);
    CHECK_EQ_I64(chunkio_parse_size("4KB", &v), 0);
    CHECK_EQ_U64(v, 4000);
    const char *bad[] = { "", "MiB", "-1", "1 parsec", "1.3", "1e30", "nan", "4KiBx", NULL };
    for (int i = 0; bad[i]; i++) CHECK_EQ_I64(chunkio_parse_size(bad[i], &v), SIM_EPARSE);
}

static void roundtrip(int direct)
{
    char *root = tests_mkdtemp();
    char *d = path_join(root, "disk");
    chunkio_store st;
    CHECK_EQ_I64(open1(&st, d, direct, 1), 0);
    chunkio_ctx c;
    chunkio_ctx_init(&c);
    size_t sizes[] = { 0, 1, 4095, 4096, 65535, 65536, 65537, 300000, 1u << 20 };
    uint8_t *buf = malloc(1u << 20);
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        char key[32];
        snprintf(key, sizeof key, "obj-%zu", i);
        fill(buf, sizes[i], i);
        CHECK_EQ_I64(chunkio_put(&st, &c, key, strlen(key), buf, sizes[i]), 0);
    }
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        char key[32];
        snprintf(key, sizeof key, "obj-%zu", i);
        fill(buf, sizes[i], i);
        const uint8_t *got;
        size_t n;
        uint64_t total;
        CHECK_EQ_I64(chunkio_get(&st, &c, key, strlen(key), 0, SIZE_MAX, &got, &n, &total), 0);
        CHECK_EQ_U64(n, sizes[i]);
        CHECK_EQ_U64(total, sizes[i]);
        CHECK_TRUE(n == sizes[i] && memcmp(got, buf, n) == 0);
        /* A range crossing a block boundary, and one past the end. */
        if (sizes[i] > 70000) {
            CHECK_EQ_I64(chunkio_get(&st, &c, key, strlen(key), 65000, 2000, &got, &n, NULL), 0);
            CHECK_EQ_U64(n, 2000);
            CHECK_TRUE(memcmp(got, buf + 65000, 2000) == 0);
        }
        CHECK_EQ_I64(chunkio_get(&st, &c, key, strlen(key), sizes[i] + 10, 5, &got, &n, NULL), 0);
        CHECK_EQ_U64(n, 0);
    }
    /* Overwrite replaces; delete removes. */
    fill(buf, 5000, 99);
    CHECK_EQ_I64(chunkio_put(&st, &c, "obj-1", 5, buf, 5000), 0);
    const uint8_t *got;
    size_t n;
    CHECK_EQ_I64(chunkio_get(&st, &c, "obj-1", 5, 0, SIZE_MAX, &got, &n, NULL), 0);
    CHECK_TRUE(n == 5000 && memcmp(got, buf, n) == 0);
    CHECK_EQ_I64(chunkio_delete(&st, &c, "obj-1", 5), 0);
    CHECK_EQ_I64(chunkio_get(&st, &c, "obj-1", 5, 0, SIZE_MAX, &got, &n, NULL), SIM_ENOENT);
    CHECK_EQ_I64(chunkio_delete(&st, &c, "obj-1", 5), SIM_ENOENT);
    CHECK_EQ_I64(chunkio_put(&st, &c, "big", 3, buf, CHUNKIO_MAX_CHUNK + 1), SIM_EINVAL);
    chunkio_verify_report r;
    CHECK_EQ_I64(chunkio_verify(&st, &c, 1, &r), 0);
    CHECK_EQ_U64(r.chunks, 8);
    CHECK_EQ_U64(r.ok, 8);
    CHECK_EQ_U64(r.corrupt + r.missing + r.repaired, 0);
    free(buf);
    chunkio_ctx_free(&c);
    chunkio_store_close(&st);
    tests_rmtree(root);
    free(d);
    free(root);
}

static void test_roundtrip_buffered(void) { roundtrip(0); }
static void test_roundtrip_direct(void) { roundtrip(1); }

/* A buffer for a chunk of 1 MiB or more starts on a 2 MiB boundary (so that a
 * huge page can hold all of it, chunkio/store.c) and keeps the header bytes
 * already read when it grows; a small one stays small. */
static void test_buffer_alignment(void)
{
    chunkio_ctx c;
    chunkio_ctx_init(&c);
    CHECK_EQ_I64(chunkio_ctx_reserve(&c, 68u << 10), 0);
    CHECK_EQ_U64(c.cap, 128u << 10);
    CHECK_EQ_U64((uintptr_t)c.buf % CHUNKIO_ALIGN, 0);
    memset(c.buf, 0x5a, 4096);
    CHECK_EQ_I64(chunkio_ctx_reserve(&c, (1u << 20) + 4096), 0);
    CHECK_EQ_U64(c.cap, 2u << 20);
    CHECK_EQ_U64((uintptr_t)c.buf % (2u << 20), 0);
    CHECK_EQ_U64(c.buf[0], 0x5a);
    CHECK_EQ_U64(c.buf[4095], 0x5a);
    chunkio_ctx_free(&c);
}

static void test_hostile_keys(void)
{
    char *root = tests_mkdtemp();
    char *d = path_join(root, "store");
    chunkio_store st;
    CHECK_EQ_I64(open1(&st, d, 0, 1), 0);
    chunkio_ctx c;
    chunkio_ctx_init(&c);
    struct { const char *k; size_t n; } keys[] = {
        { "../escape", 9 }, { "/etc/passwd", 11 }, { "a/../../b", 9 }, { "..", 2 }, { ".", 1 },
        { "", 0 }, { "a\0b", 3 }, { "a", 1 }, { "a\0", 2 }, { "tmp", 3 }, { "\n\r\xff\xfe", 4 },
    };
    size_t nk = sizeof keys / sizeof keys[0];
    for (size_t i = 0; i < nk; i++) {
        char v[16];
        snprintf(v, sizeof v, "value-%zu", i);
        CHECK_EQ_I64(chunkio_put(&st, &c, keys[i].k, keys[i].n, v, strlen(v)), 0);
    }
    for (size_t i = 0; i < nk; i++) {
        char v[16];
        snprintf(v, sizeof v, "value-%zu", i);
        const uint8_t *got;
        size_t n;
        CHECK_EQ_I64(chunkio_get(&st, &c, keys[i].k, keys[i].n, 0, SIZE_MAX, &got, &n, NULL), 0);
        CHECK_TRUE(n == strlen(v) && memcmp(got, v, n) == 0); /* "a\0b", "a", "a\0" stay distinct */
    }
    /* 1024 bytes is fine; 1025 and 1 MiB are refused before touching the disk. */
    uint8_t *big = malloc(1u << 20);
    memset(big, '/', 1u << 20);
    memcpy(big, "../", 3);
    CHECK_EQ_I64(chunkio_put(&st, &c, big, 1024, "x", 1), 0);
    const uint8_t *got;
    size_t n;
    CHECK_EQ_I64(chunkio_get(&st, &c, big, 1024, 0, SIZE_MAX, &got, &n, NULL), 0);
    CHECK_EQ_I64(chunkio_put(&st, &c, big, 1025, "x", 1), SIM_EINVAL);
    CHECK_CONTAINS(c.err, "1024");
    CHECK_EQ_I64(chunkio_put(&st, &c, big, 1u << 20, "x", 1), SIM_EINVAL);
    CHECK_EQ_I64(chunkio_get(&st, &c, big, 1u << 20, 0, SIZE_MAX, &got, &n, NULL), SIM_EINVAL);
    free(big);
    /* Nothing was created outside the store: the temp root holds only it. */
    char *cmd = NULL;
    CHECK_TRUE(asprintf(&cmd, "cd '%s' && find . -mindepth 1 | grep -v '^./store' | wc -l", root) > 0);
    char *out = NULL;
    CHECK_EQ_I64(tests_run(cmd, &out, NULL), 0);
    CHECK_STR(out, "0\n");
    free(out);
    free(cmd);
    chunkio_verify_report r;
    CHECK_EQ_I64(chunkio_verify(&st, &c, 0, &r), 0);
    CHECK_EQ_U64(r.chunks, nk + 1);
    CHECK_EQ_U64(r.ok, nk + 1);
    chunkio_ctx_free(&c);
    chunkio_store_close(&st);
    tests_rmtree(root);
    free(d);
    free(root);
}

/* Path of the copy of key in directory dir. */
static char *copy_path(const char *dir, const char *key)
{
    char rel[CHUNKIO_MAX_RELPATH];
    size_t dl;
    chunkio_key_path(key, strlen(key), rel, &dl);
    return path_join(dir, rel);
}

/* A read leaves the chunk's inode alone: with the access time set before
 * the modification time, relatime (and strictatime) would update it on the
 * next read unless chunkio opens with O_NOATIME. On a filesystem mounted
 * noatime the check cannot fail, and says so. As root, a reader who does
 * not own the file and has no CAP_FOWNER is refused O_NOATIME: the open
 * falls back to a plain one. */
static void test_read_keeps_atime(void)
{
    char *root = tests_mkdtemp();
    char *d = path_join(root, "d");
    uint8_t buf[10000];
    fill(buf, sizeof buf, 3);
    for (int direct = 0; direct <= 1; direct++) {
        chunkio_store st;
        CHECK_EQ_I64(open1(&st, d, direct, 1), 0);
        chunkio_ctx c;
        chunkio_ctx_init(&c);
        CHECK_EQ_I64(chunkio_put(&st, &c, "k", 1, buf, sizeof buf), 0);
        char *p = copy_path(d, "k");
        struct stat before, after;
        CHECK_EQ_I64(stat(p, &before), 0);
        struct timespec ts[2] = { { before.st_mtim.tv_sec - 100, 0 }, { UTIME_OMIT, UTIME_OMIT } };
        CHECK_EQ_I64(utimensat(AT_FDCWD, p, ts, 0), 0);
        const uint8_t *got;
        size_t n;
        CHECK_EQ_I64(chunkio_get(&st, &c, "k", 1, 0, SIZE_MAX, &got, &n, NULL), 0);
        CHECK_TRUE(n == sizeof buf && memcmp(got, buf, n) == 0);
        CHECK_EQ_I64(stat(p, &after), 0);
        CHECK_EQ_I64(after.st_atim.tv_sec, before.st_mtim.tv_sec - 100);
        struct statvfs vf;
        if (statvfs(p, &vf) == 0 && (vf.f_flag & ST_NOATIME))
            fprintf(stderr, "\n  read_keeps_atime: %s is mounted noatime, so this check cannot fail here\n", root);
        free(p);
        chunkio_ctx_free(&c);
        chunkio_store_close(&st);
    }
    if (geteuid() == 0) {
        char rel[CHUNKIO_MAX_RELPATH];
        size_t dl;
        chunkio_key_path("k", 1, rel, &dl);
        int dfd = open(d, O_RDONLY | O_DIRECTORY);
        CHECK_TRUE(dfd >= 0);
        pid_t pid = fork();
        if (pid == 0) {
            /* nobody: not the owner, no CAP_FOWNER; O_NOATIME alone gives EPERM */
            if (setgid(65534) != 0 || setuid(65534) != 0) _exit(3);
            int plain = openat(dfd, rel, O_RDONLY | O_NOATIME);
            if (plain >= 0 || errno != EPERM) _exit(4);
            int fd = chunkio_open_read(dfd, rel, 0);
            _exit(fd >= 0 ? 0 : 5);
        }
        int status = 0;
        CHECK_EQ_I64(waitpid(pid, &status, 0), pid);
        CHECK_TRUE(WIFEXITED(status));
        CHECK_EQ_I64(WEXITSTATUS(status), 0);
        close(dfd);
    } else {
        fprintf(stderr, "\n  read_keeps_atime: not root, the EPERM fallback is not exercised\n");
    }
    free(d);
    tests_rmtree(root);
    free(root);
}

/* A symbolic link planted at a chunk's path is not followed, by the store's
 * reads nor by chunkio_open_read itself (which the io_uring engine calls):
 * the link points at a byte-exact copy of the chunk outside the store, so
 * only the refusal to follow it can make the read fail. */
static void test_symlinked_chunk(void)
{
    char *root = tests_mkdtemp();
    char *d = path_join(root, "d");
    char *outside = path_join(root, "outside");
    uint8_t buf[5000];
    fill(buf, sizeof buf, 9);
    chunkio_store st;
    CHECK_EQ_I64(open1(&st, d, 0, 1), 0);
    chunkio_ctx c;
    chunkio_ctx_init(&c);
    CHECK_EQ_I64(chunkio_put(&st, &c, "k", 1, buf, sizeof buf), 0);
    char *p = copy_path(d, "k");
    CHECK_EQ_I64(rename(p, outside), 0);
    CHECK_EQ_I64(symlink(outside, p), 0);
    const uint8_t *got = NULL;
    size_t n = 0;
    int rc = chunkio_get(&st, &c, "k", 1, 0, SIZE_MAX, &got, &n, NULL);
    CHECK_TRUE(rc < 0);
    CHECK_CONTAINS(c.err, "cannot open");
    char rel[CHUNKIO_MAX_RELPATH];
    size_t dl;
    chunkio_key_path("k", 1, rel, &dl);
    int dfd = open(d, O_RDONLY | O_DIRECTORY);
    CHECK_TRUE(dfd >= 0);
    errno = 0;
    int fd = chunkio_open_read(dfd, rel, 0);
    CHECK_EQ_I64(fd, -1);
    CHECK_EQ_I64(errno, ELOOP);
    if (fd >= 0) close(fd);
    close(dfd);
    /* Put back in place, the same bytes read fine: the refusal was the link's. */
    CHECK_EQ_I64(unlink(p), 0);
    CHECK_EQ_I64(rename(outside, p), 0);
    CHECK_EQ_I64(chunkio_get(&st, &c, "k", 1, 0, SIZE_MAX, &got, &n, NULL), 0);
    CHECK_TRUE(n == sizeof buf && memcmp(got, buf, n) == 0);
    free(p);
    chunkio_ctx_free(&c);
    chunkio_store_close(&st);
    tests_rmtree(root);
    free(outside);
    free(d);
    free(root);
}

static void flip_byte(const char *path, off_t off)
{
    int fd = open(path, O_RDWR);
    CHECK_TRUE(fd >= 0);
    uint8_t b = 0;
    CHECK_EQ_I64(pread(fd, &b, 1, off), 1);
    b ^= 0x01;
    CHECK_EQ_I64(pwrite(fd, &b, 1, off), 1);
    close(fd);
}

static void test_corruption_single(void)
{
    char *root = tests_mkdtemp();
    char *d = path_join(root, "d");
    chunkio_store st;
    CHECK_EQ_I64(open1(&st, d, 0, 1), 0);
    chunkio_ctx c;
    chunkio_ctx_init(&c);
    uint8_t *buf = malloc(200000);
    fill(buf, 200000, 5);
    CHECK_EQ_I64(chunkio_put(&st, &c, "k", 1, buf, 200000), 0);
    char *p = copy_path(d, "k");
    flip_byte(p, 4096 + 70000); /* block 1 of the data */
    const uint8_t *got;
    size_t n;
    CHECK_EQ_I64(chunkio_get(&st, &c, "k", 1, 0, SIZE_MAX, &got, &n, NULL), SIM_ECORRUPT);
    CHECK_CONTAINS(c.err, "block 1");
    CHECK_EQ_U64(c.corrupt_seen, 1);
    /* Range reads check only the blocks they touch. */
    CHECK_EQ_I64(chunkio_get(&st, &c, "k", 1, 0, 1000, &got, &n, NULL), 0);
    CHECK_TRUE(n == 1000 && memcmp(got, buf, 1000) == 0);
    CHECK_EQ_I64(chunkio_get(&st, &c, "k", 1, 140000, 1000, &got, &n, NULL), 0);
    CHECK_EQ_I64(chunkio_get(&st, &c, "k", 1, 65536, 10, &got, &n, NULL), SIM_ECORRUPT);
    chunkio_verify_report r;
    CHECK_EQ_I64(chunkio_verify(&st, &c, 1, &r), 0);
    CHECK_EQ_U64(r.corrupt, 1);
    CHECK_EQ_U64(r.ok, 0);
    /* A truncated (torn) file and a damaged header are corrupt too. */
    flip_byte(p, 4096 + 70000);
    CHECK_EQ_I64(chunkio_get(&st, &c, "k", 1, 0, SIZE_MAX, &got, &n, NULL), 0);
    CHECK_EQ_I64(truncate(p, 4096 + 100000), 0);
    CHECK_EQ_I64(chunkio_get(&st, &c, "k", 1, 0, SIZE_MAX, &got, &n, NULL), SIM_ECORRUPT);
    CHECK_EQ_I64(chunkio_put(&st, &c, "k", 1, buf, 200000), 0);
    flip_byte(p, 20);
    CHECK_EQ_I64(chunkio_get(&st, &c, "k", 1, 0, 10, &got, &n, NULL), SIM_ECORRUPT);
    CHECK_EQ_I64(truncate(p, 0), 0);
    CHECK_EQ_I64(chunkio_get(&st, &c, "k", 1, 0, 10, &got, &n, NULL), SIM_ECORRUPT);
    free(p);
    free(buf);
    chunkio_ctx_free(&c);
    chunkio_store_close(&st);
    tests_rmtree(root);
    free(d);
    free(root);
}

static void test_corruption_replicas(void)
{
    char *root = tests_mkdtemp();
    char *dirs[3] = { path_join(root, "a"), path_join(root, "b"), path_join(root, "c") };
    chunkio_opts o = { .replicas = 2, .create = 1 };
    chunkio_store st;
    char err[512];
    CHECK_EQ_I64(chunkio_store_open(&st, (const char *const *)dirs, 3, &o, err, sizeof err), 0);
    chunkio_ctx c;
    chunkio_ctx_init(&c);
    uint8_t *buf = malloc(150000);
    fill(buf, 150000, 11);
    for (int i = 0; i < 10; i++) {
        char key[16];
        snprintf(key, sizeof key, "r%d", i);
        CHECK_EQ_I64(chunkio_put(&st, &c, key, strlen(key), buf, 150000), 0);
    }
    unsigned place[3];
    chunkio_placement(&st, "r3", 2, place, 2);
    CHECK_TRUE(place[0] != place[1]);
    char *p0 = copy_path(dirs[place[0]], "r3");
    char *p1 = copy_path(dirs[place[1]], "r3");
    struct stat sb;
    CHECK_EQ_I64(stat(p0, &sb), 0);
    CHECK_EQ_I64(stat(p1, &sb), 0);
    flip_byte(p0, 4096 + 1234); /* the first copy a get tries */
    const uint8_t *got;
    size_t n;
    CHECK_EQ_I64(chunkio_get(&st, &c, "r3", 2, 0, SIZE_MAX, &got, &n, NULL), 0);
    CHECK_TRUE(n == 150000 && memcmp(got, buf, n) == 0);
    CHECK_EQ_U64(c.corrupt_seen, 1);
    CHECK_EQ_U64(c.served_by_replica, 1);
    /* Lose the other copy of r5 entirely; damage both copies of r7. */
    chunkio_placement(&st, "r5", 2, place, 2);
    char *q = copy_path(dirs[place[1]], "r5");
    CHECK_EQ_I64(unlink(q), 0);
    free(q);
    chunkio_placement(&st, "r7", 2, place, 2);
    for (int i = 0; i < 2; i++) {
        q = copy_path(dirs[place[i]], "r7");
        flip_byte(q, 4096 + 99999);
        free(q);
    }
    chunkio_verify_report r;
    CHECK_EQ_I64(chunkio_verify(&st, &c, 1, &r), 0);
    CHECK_EQ_U64(r.chunks, 10);
    CHECK_EQ_U64(r.repaired, 2);   /* r3 (corrupt copy) and r5 (missing copy) */
    CHECK_EQ_U64(r.corrupt, 1);    /* r7: no intact copy */
    CHECK_EQ_U64(r.ok, 7);
    CHECK_EQ_I64(chunkio_verify(&st, &c, 0, &r), 0);
    CHECK_EQ_U64(r.ok, 9);
    CHECK_EQ_U64(r.corrupt, 1);
    c.corrupt_seen = 0;
    CHECK_EQ_I64(chunkio_get(&st, &c, "r3", 2, 0, SIZE_MAX, &got, &n, NULL), 0);
    CHECK_EQ_U64(c.corrupt_seen, 0);
    /* The order of directories does not change placement. */
    chunkio_store st2;
    char *rev[3] = { dirs[2], dirs[0], dirs[1] };
    CHECK_EQ_I64(chunkio_store_open(&st2, (const char *const *)rev, 3, &o, err, sizeof err), 0);
    CHECK_EQ_I64(chunkio_verify(&st2, &c, 0, &r), 0);
    CHECK_EQ_U64(r.ok, 9);
    chunkio_store_close(&st2);
    /* Same directory twice, too many replicas: refused. */
    char *same[2] = { dirs[0], dirs[0] };
    CHECK_EQ_I64(chunkio_store_open(&st2, (const char *const *)same, 2, &o, err, sizeof err), SIM_EINVAL);
    CHECK_CONTAINS(err, "same directory");
    chunkio_opts o4 = { .replicas = 4 };
    CHECK_EQ_I64(chunkio_store_open(&st2, (const char *const *)dirs, 3, &o4, err, sizeof err), SIM_EINVAL);
    free(p0);
    free(p1);
    free(buf);
    chunkio_ctx_free(&c);
    chunkio_store_close(&st);
    for (int i = 0; i < 3; i++) free(dirs[i]);
    tests_rmtree(root);
    free(root);
}

static void test_temp_cleanup(void)
{
    char *root = tests_mkdtemp();
    char *d = path_join(root, "d");
    chunkio_store st;
    CHECK_EQ_I64(open1(&st, d, 0, 1), 0);
    chunkio_store_close(&st);
    /* Temporaries live beside their chunks, in the fan-out directories and
     * the long keys' SEG.d below them; an older build's tmp/ is cleaned too. */
    const char *dirs[] = { "ab", "ab/cd", "ab/cd/0011.d", "tmp", "zz", "zz/cd" };
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
        char *p = path_join(d, dirs[i]);
        CHECK_EQ_I64(mkdir(p, 0755), 0);
        free(p);
    }
    const char *dead[] = { "ab/cd/.1.dead.0.tmp", "ab/cd/0011.d/.1.dead.1.tmp", "tmp/1.dead.2.tmp" };
    const char *kept[] = { "ab/cd/.hidden", "ab/cd/00.ck", "ab/cd/x.tmp", "zz/cd/.1.dead.3.tmp" };
    for (size_t i = 0; i < 3; i++) {
        char *p = path_join(d, dead[i]);
        CHECK_EQ_I64(tests_write_file(p, "partial"), 0);
        free(p);
    }
    for (size_t i = 0; i < 4; i++) { /* not temporaries, or not in the fan-out ("zz" is not hex) */
        char *p = path_join(d, kept[i]);
        CHECK_EQ_I64(tests_write_file(p, "x"), 0);
        free(p);
    }
    char *t1 = path_join(d, "ab/cd/.1.dead.4.tmp"), *t2 = path_join(d, "ab/cd/.2.live.0.tmp");
    CHECK_EQ_I64(tests_write_file(t1, "partial"), 0);
    CHECK_EQ_I64(tests_write_file(t2, "partial"), 0);
    int held = open(t2, O_RDONLY); /* a live writer holds its temporary locked */
    CHECK_EQ_I64(flock(held, LOCK_EX), 0);
    /* No writer died (no unlocked marker): only tmp/ is cleaned, the fan-out
     * is not walked. A live writer's marker (locked) changes nothing. */
    char *live = path_join(d, ".writer.2.0"), *dead_m = path_join(d, ".writer.1.0");
    CHECK_EQ_I64(tests_write_file(live, ""), 0);
    int live_fd = open(live, O_RDONLY);
    CHECK_EQ_I64(flock(live_fd, LOCK_EX), 0);
    CHECK_EQ_I64(open1(&st, d, 0, 1), 0);
    CHECK_EQ_U64(st.temps_removed, 1);
    CHECK_EQ_U64(st.dead_writers, 0);
    chunkio_store_close(&st);
    struct stat sb;
    CHECK_EQ_I64(stat(t1, &sb), 0);
    /* A dead writer's marker: the walk removes every unlocked temporary. */
    CHECK_EQ_I64(tests_write_file(dead_m, ""), 0);
    CHECK_EQ_I64(open1(&st, d, 0, 1), 0);
    CHECK_EQ_U64(st.temps_removed, 3);
    CHECK_EQ_U64(st.dead_writers, 1);
    CHECK_TRUE(stat(dead_m, &sb) != 0); /* its marker goes after the walk */
    CHECK_EQ_I64(stat(live, &sb), 0);
    close(live_fd);
    free(live);
    free(dead_m);
    CHECK_TRUE(stat(t1, &sb) != 0);
    CHECK_EQ_I64(stat(t2, &sb), 0);
    for (size_t i = 0; i < 3; i++) {
        char *p = path_join(d, dead[i]);
        CHECK_TRUE(stat(p, &sb) != 0);
        free(p);
    }
    for (size_t i = 0; i < 4; i++) {
        char *p = path_join(d, kept[i]);
        CHECK_EQ_I64(stat(p, &sb), 0);
        free(p);
    }
    chunkio_store_close(&st);
    close(held);
    CHECK_EQ_I64(open1(&st, d, 0, 1), 0); /* t2's writer died; so did the live marker's process */
    CHECK_EQ_U64(st.temps_removed, 1);
    CHECK_EQ_U64(st.dead_writers, 1);
    chunkio_store_close(&st);
    /* A put leaves no temporary behind, and none outside the chunk's directory. */
    CHECK_EQ_I64(open1(&st, d, 0, 1), 0);
    chunkio_ctx c;
    chunkio_ctx_init(&c);
    CHECK_EQ_I64(chunkio_put(&st, &c, "k", 1, "value", 5), 0);
    char *marker = path_join(d, st.dirs[0].marker_name);
    CHECK_EQ_I64(stat(marker, &sb), 0); /* the writer's marker, while the store is open */
    chunkio_ctx_free(&c);
    chunkio_store_close(&st);
    CHECK_TRUE(stat(marker, &sb) != 0); /* and gone at close */
    free(marker);
    CHECK_EQ_I64(open1(&st, d, 0, 1), 0);
    CHECK_EQ_U64(st.temps_removed, 0);
    CHECK_EQ_U64(st.dead_writers, 0);
    chunkio_store_close(&st);
    /* Missing directory without create, and a file where a directory should be. */
    const char *missing = "/nonexistent-cdnsim-dir";
    chunkio_opts o = { 0 };
    char err[512];
    CHECK_EQ_I64(chunkio_store_open(&st, &missing, 1, &o, err, sizeof err), SIM_ENOENT);
    CHECK_CONTAINS(err, "nonexistent-cdnsim-dir");
    const char *f = t1;
    CHECK_EQ_I64(tests_write_file(t1, "x"), 0);
    CHECK_EQ_I64(chunkio_store_open(&st, &f, 1, &o, err, sizeof err), SIM_EIO);
    CHECK_CONTAINS(err, "Not a directory");
    free(t1);
    free(t2);
    tests_rmtree(root);
    free(d);
    free(root);
}

/* ---- failures that must not lose acknowledged chunks ------------------- */

/* Runs fn in a child process (so mounts, rlimits and uid changes stay
 * there); the child's exit code is its number of failed checks. */
static int in_child(int (*fn)(const char *), const char *arg)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) _exit(fn(arg));
    int st = 0;
    if (pid < 0 || waitpid(pid, &st, 0) != pid) return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 100 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

#define CCHECK(cond) do { if (!(cond)) { fprintf(stderr, "child check failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); fails++; } } while (0)

static int full_disk_body(const char *root, int try_tmpfs)
{
    int fails = 0;
    char *d = path_join(root, try_tmpfs ? "small" : "limited");
    mkdir(d, 0755);
    /* A 1 MiB tmpfs in a private mount namespace (root only; it vanishes
     * with this process). Otherwise, and always in the second run, a file
     * size limit stands in for a full disk: writes past it fail with EFBIG,
     * which the store reports like ENOSPC. */
    int tmpfs = try_tmpfs && unshare(CLONE_NEWNS) == 0 && mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
                mount("tmpfs", d, "tmpfs", 0, "size=1m") == 0;
    if (!tmpfs) {
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit rl = { 150000, 150000 };
        CCHECK(setrlimit(RLIMIT_FSIZE, &rl) == 0);
    }
    fprintf(stderr, "[full disk simulated with %s] ", tmpfs ? "a 1 MiB tmpfs" : "RLIMIT_FSIZE");
    chunkio_store st;
    CCHECK(open1(&st, d, 0, 1) == 0);
    chunkio_ctx c;
    chunkio_ctx_init(&c);
    static uint8_t buf[150000]; /* the biggest chunk below (the child's own copy) */
    int acked = 0, rc = 0;
    size_t len = tmpfs ? 100000 : 1000;
    for (int i = 0; i < 40; i++) {
        char key[16];
        snprintf(key, sizeof key, "f%d", i);
        fill(buf, len, (uint64_t)i);
        /* Without tmpfs, one chunk is too big for the limit at i == 5. */
        rc = chunkio_put(&st, &c, key, strlen(key), buf, (!tmpfs && i == 5) ? 100000 + 50000 : len);
        if (rc) break;
        acked++;
    }
    CCHECK(rc == SIM_ENOSPC);
    CCHECK(strstr(c.err, tmpfs ? "No space" : "too large") != NULL);
    CCHECK(acked >= 3);
    if (rc != SIM_ENOSPC) fprintf(stderr, "put: %s\n", c.err);
    for (int i = 0; i < acked; i++) {
        char key[16];
        snprintf(key, sizeof key, "f%d", i);
        fill(buf, len, (uint64_t)i);
        const uint8_t *got;
        size_t n;
        CCHECK(chunkio_get(&st, &c, key, strlen(key), 0, SIZE_MAX, &got, &n, NULL) == 0 && n == len &&
               memcmp(got, buf, n) == 0);
    }
    /* The failed put left no temporary behind and no chunk file. */
    chunkio_verify_report r;
    CCHECK(chunkio_verify(&st, &c, 0, &r) == 0);
    CCHECK(r.chunks == (uint64_t)acked && r.ok == (uint64_t)acked);
    char *cmd = NULL;
    CCHECK(asprintf(&cmd, "test -d '%s' && test -z \"$(find '%s' -name '*.tmp')\"", d, d) > 0 && system(cmd) == 0);
    free(cmd);
    chunkio_ctx_free(&c);
    chunkio_store_close(&st);
    if (tmpfs) umount(d);
    free(d);
    return fails;
}

static int full_disk_tmpfs_child(const char *root) { return full_disk_body(root, 1); }
static int full_disk_rlimit_child(const char *root) { return full_disk_body(root, 0); }

static void test_full_disk(void)
{
    char *root = tests_mkdtemp();
    CHECK_EQ_I64(in_child(full_disk_tmpfs_child, root), 0);
    CHECK_EQ_I64(in_child(full_disk_rlimit_child, root), 0);
    tests_rmtree(root);
    free(root);
}

static int unwritable_child(const char *d)
{
    int fails = 0;
    /* Root ignores permission bits: become nobody. */
    if (geteuid() == 0) {
        CCHECK(setgid(65534) == 0 && setuid(65534) == 0);
    }
    chunkio_store st;
    chunkio_opts o = { 0 };
    char err[512];
    CCHECK(chunkio_store_open(&st, &d, 1, &o, err, sizeof err) == 0);
    chunkio_ctx c;
    chunkio_ctx_init(&c);
    int rc = chunkio_put(&st, &c, "new", 3, "data", 4);
    CCHECK(rc == SIM_EIO);
    CCHECK(strstr(c.err, "Permission denied") != NULL);
    CCHECK(strstr(c.err, d) != NULL);
    const uint8_t *got;
    size_t n;
    CCHECK(chunkio_get(&st, &c, "old", 3, 0, SIZE_MAX, &got, &n, NULL) == 0 && n == 4 && !memcmp(got, "kept", 4));
    /* Overwriting an acknowledged chunk fails and leaves it intact. */
    CCHECK(chunkio_put(&st, &c, "old", 3, "lost", 4) != 0);
    CCHECK(chunkio_get(&st, &c, "old", 3, 0, SIZE_MAX, &got, &n, NULL) == 0 && n == 4 && !memcmp(got, "kept", 4));
    chunkio_ctx_free(&c);
    chunkio_store_close(&st);
    return fails;
}

/* verify over two read-only directories: nothing can be rewritten, so a
 * lost copy stays missing and a damaged one stays corrupt. */
static int unrepairable_child(const char *root)
{
    int fails = 0;
    if (geteuid() == 0) CCHECK(setgid(65534) == 0 && setuid(65534) == 0);
    char *dirs[2] = { path_join(root, "u1"), path_join(root, "u2") };
    chunkio_opts o = { .replicas = 2 };
    chunkio_store st;
    char err[512];
    CCHECK(chunkio_store_open(&st, (const char *const *)dirs, 2, &o, err, sizeof err) == 0);
    chunkio_ctx c;
    chunkio_ctx_init(&c);
    chunkio_verify_report r;
    CCHECK(chunkio_verify(&st, &c, 1, &r) == 0);
    CCHECK(r.chunks == 3 && r.ok == 1 && r.missing == 1 && r.corrupt == 1 && r.repaired == 0);
    if (!(r.missing == 1 && r.corrupt == 1))
        fprintf(stderr, "verify: ok %llu repaired %llu corrupt %llu missing %llu\n", (unsigned long long)r.ok,
                (unsigned long long)r.repaired, (unsigned long long)r.corrupt, (unsigned long long)r.missing);
    chunkio_ctx_free(&c);
    chunkio_store_close(&st);
    free(dirs[0]);
    free(dirs[1]);
    return fails;
}

static void test_unrepairable(void)
{
    char *root = tests_mkdtemp();
    char *dirs[2] = { path_join(root, "u1"), path_join(root, "u2") };
    chunkio_opts o = { .replicas = 2, .create = 1 };
    chunkio_store st;
    char err[512];
    CHECK_EQ_I64(chunkio_store_open(&st, (const char *const *)dirs, 2, &o, err, sizeof err), 0);
    chunkio_ctx c;
    chunkio_ctx_init(&c);
    CHECK_EQ_I64(chunkio_put(&st, &c, "fine", 4, "aaaa", 4), 0);
    CHECK_EQ_I64(chunkio_put(&st, &c, "lost", 4, "bbbb", 4), 0);
    CHECK_EQ_I64(chunkio_put(&st, &c, "hurt", 4, "cccc", 4), 0);
    chunkio_ctx_free(&c);
    chunkio_store_close(&st);
    char *p = copy_path(dirs[0], "lost");
    CHECK_EQ_I64(unlink(p), 0);
    free(p);
    p = copy_path(dirs[1], "hurt");
    flip_byte(p, 4096 + 1);
    free(p);
    char *cmd = NULL;
    CHECK_TRUE(asprintf(&cmd, "chmod 755 '%s' && chmod -R a+rX '%s' && chmod -R a-w '%s/u1' '%s/u2'", root, root,
                        root, root) > 0);
    CHECK_EQ_I64(system(cmd), 0);
    free(cmd);
    CHECK_EQ_I64(in_child(unrepairable_child, root), 0);
    CHECK_TRUE(asprintf(&cmd, "chmod -R u+w '%s'", root) > 0);
    CHECK_EQ_I64(system(cmd), 0);
    free(cmd);
    tests_rmtree(root);
    free(dirs[0]);
    free(dirs[1]);
    free(root);
}

static void test_unwritable_dir(void)
{
    char *root = tests_mkdtemp();
    char *d = path_join(root, "ro");
    chunkio_store st;
    CHECK_EQ_I64(open1(&st, d, 0, 1), 0);
    chunkio_ctx c;
    chunkio_ctx_init(&c);
    CHECK_EQ_I64(chunkio_put(&st, &c, "old", 3, "kept", 4), 0);
    chunkio_ctx_free(&c);
    chunkio_store_close(&st);
    char *cmd = NULL;
    /* Everyone may read; nobody but root may write (and the child is not root). */
    CHECK_TRUE(asprintf(&cmd, "chmod 755 '%s' && chmod -R a+rX,go-w '%s' && chmod -R a-w '%s'", root, d, d) > 0);
    CHECK_EQ_I64(system(cmd), 0);
    free(cmd);
    CHECK_EQ_I64(in_child(unwritable_child, d), 0);
    CHECK_TRUE(asprintf(&cmd, "chmod -R u+w '%s'", root) > 0);
    CHECK_EQ_I64(system(cmd), 0);
    free(cmd);
    tests_rmtree(root);
    free(d);
    free(root);
}

/* ---- crash consistency -------------------------------------------------- */

#define CRASH_KEYS 16

static size_t crash_len(uint64_t s) { return 8 + (size_t)((s * 7919) % 300000); }

static void crash_key(char *key, uint64_t s) { snprintf(key, 16, "key-%02u", (unsigned)(s % CRASH_KEYS)); }

/* The child writes versions s = start, start+1, ... of keys key-(s % 16),
 * and reports each one through the pipe once chunkio_put has returned 0. */
static void crash_writer(const char *d, int fd, uint64_t start)
{
    chunkio_store st;
    if (open1(&st, d, 0, 1)) _exit(3);
    chunkio_ctx c;
    chunkio_ctx_init(&c);
    uint8_t *buf = malloc(400000);
    for (uint64_t s = start;; s++) {
        char key[16];
        crash_key(key, s);
        size_t len = crash_len(s);
        fill(buf, len, s);
        memcpy(buf, &s, 8); /* the version, so a reader knows what to expect */
        if (chunkio_put(&st, &c, key, strlen(key), buf, len) != 0) _exit(4);
        if (write(fd, &s, sizeof s) != (ssize_t)sizeof s) _exit(5);
    }
}

static void test_crash_consistency(void)
{
    char *root = tests_mkdtemp();
    char *d = path_join(root, "crash");
    gsl_rng *rng = sim_rng_stream(42, "test.chunkio.crash");
    uint64_t acked_max[CRASH_KEYS];
    int have[CRASH_KEYS] = { 0 };
    uint64_t next = 0, total_acked = 0, temps_removed = 0;
    uint8_t *want = malloc(400000);
    int rounds = 24;
    for (int round = 0; round < rounds; round++) {
        int p[2];
        CHECK_EQ_I64(pipe(p), 0);
        fflush(NULL);
        pid_t pid = fork();
        if (pid == 0) {
            close(p[0]);
            crash_writer(d, p[1], next);
        }
        close(p[1]);
        /* Kill at a random moment: 0-40 ms in, i.e. anywhere from during
         * open to a dozen puts later, usually in the middle of one. */
        usleep((useconds_t)gsl_rng_uniform_int(rng, 40000));
        kill(pid, SIGKILL);
        int wst;
        waitpid(pid, &wst, 0);
        CHECK_TRUE(WIFSIGNALED(wst) && WTERMSIG(wst) == SIGKILL);
        uint64_t s;
        ssize_t r;
        while ((r = read(p[0], &s, sizeof s)) == (ssize_t)sizeof s) {
            unsigned k = (unsigned)(s % CRASH_KEYS);
            acked_max[k] = s;
            have[k] = 1;
            total_acked++;
            if (s + 1 > next) next = s + 1;
        }
        close(p[0]);
        next += CRASH_KEYS; /* versions after the crash are newer than any torn one */
        /* The temporaries the dead writer left (".NAME.tmp"), counted
         * before the store is opened. */
        char *cmd = NULL, *out = NULL;
        CHECK_TRUE(asprintf(&cmd, "find '%s' -type f -name '.?*.tmp' | wc -l", d) > 0);
        CHECK_EQ_I64(tests_run(cmd, &out, NULL), 0);
        uint64_t left = out ? strtoull(out, NULL, 10) : UINT64_MAX;
        free(cmd), free(out);
        /* Every acknowledged version (or a newer complete one) reads back. */
        chunkio_store st;
        CHECK_EQ_I64(open1(&st, d, 0, 1), 0);
        CHECK_EQ_U64(st.temps_removed, left); /* open removed exactly those */
        temps_removed += st.temps_removed;
        /* Opening removed every temporary the dead writer left. */
        CHECK_TRUE(asprintf(&cmd, "test -z \"$(find '%s' -name '*.tmp')\"", d) > 0 && system(cmd) == 0);
        free(cmd);
        chunkio_ctx c;
        chunkio_ctx_init(&c);
        for (unsigned k = 0; k < CRASH_KEYS; k++) {
            char key[16];
            crash_key(key, k);
            const uint8_t *got;
            size_t n;
            int rc = chunkio_get(&st, &c, key, strlen(key), 0, SIZE_MAX, &got, &n, NULL);
            if (!have[k]) {
                CHECK_TRUE(rc == 0 || rc == SIM_ENOENT);
                if (rc) continue;
            }
            CHECK_EQ_I64(rc, 0);
            if (rc) continue;
            uint64_t v;
            memcpy(&v, got, 8);
            CHECK_TRUE(v % CRASH_KEYS == k);
            CHECK_TRUE(!have[k] || v >= acked_max[k]);
            CHECK_EQ_U64(n, crash_len(v));
            fill(want, crash_len(v), v);
            memcpy(want, &v, 8);
            CHECK_TRUE(n == crash_len(v) && memcmp(got, want, n) == 0);
        }
        /* No torn chunk anywhere: every file on disk verifies. */
        chunkio_verify_report rep;
        CHECK_EQ_I64(chunkio_verify(&st, &c, 0, &rep), 0);
        CHECK_EQ_U64(rep.corrupt, 0);
        CHECK_EQ_U64(rep.ok, rep.chunks);
        chunkio_ctx_free(&c);
        chunkio_store_close(&st);
    }
    CHECK_TRUE(total_acked > 0);
    printf("[%llu leftover temporaries removed after the kills] ", (unsigned long long)temps_removed);
    free(want);
    gsl_rng_free(rng);
    tests_rmtree(root);
    free(d);
    free(root);
}

void test_chunkio_register(void)
{
    static const tests_case cases[] = {
        { "crc_and_header", test_crc_and_header },
        { "key_names", test_key_names },
        { "parse_size", test_parse_size },
        { "roundtrip_buffered", test_roundtrip_buffered },
        { "roundtrip_direct", test_roundtrip_direct },
        { "buffer_alignment", test_buffer_alignment },
        { "hostile_keys", test_hostile_keys },
        { "read_keeps_atime", test_read_keeps_atime },
        { "symlinked_chunk", test_symlinked_chunk },
        { "corruption_single", test_corruption_single },
        { "corruption_replicas", test_corruption_replicas },
        { "temp_cleanup", test_temp_cleanup },
        { "full_disk", test_full_disk },
        { "unwritable_dir", test_unwritable_dir },
        { "unrepairable", test_unrepairable },
        { "crash_consistency", test_crash_consistency },
        { NULL, NULL },
    };
    tests_add_suite("chunkio", cases);
}
