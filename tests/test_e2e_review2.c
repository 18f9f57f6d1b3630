/* tests/test_e2e_review2.c - the fault stories, the caches and the chunk store
 * as a teacher, a cache researcher and a storage engineer meet them, end to
 * end through bin/cdnsim. Each test comes from a problem found by using them:
 * a scenario description that promised what the run does not show, a
 * cachesim flag silently ignored or a counter missing from its output, a
 * chunkio error that named the wrong mistake. Data: tests/data/review2/. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "tests/harness.h"

static int cdnsim(const char *args, char **out, char **err)
{
    char *cmd = NULL;
    if (asprintf(&cmd, "%s %s", tests_cdnsim_bin(), args) < 0) return -1;
    int rc = tests_run(cmd, out, err);
    free(cmd);
    return rc;
}

/* cachesim printed no count of expirations, admission refusals or objects
 * too large for the cache, so --ttl and --admit-* could not be checked. The
 * TTL trace: one object at t = 0, 5, 10, 15, 21 with --ttl 10: miss, hit,
 * expired (inserted again at 10), hit, expired: 2 hits, 2 expirations, for
 * every policy. The sizes trace (4, 20, 8 bytes, twice) in 16 bytes admitting
 * at most 6: the 20-byte object is too large twice, the 8-byte one refused
 * twice, the 4-byte one hits once. */
static void test_cachesim_counts(void)
{
    char *out = NULL, *err = NULL;
    CHECK_EQ_I64(cdnsim("cachesim --trace tests/data/review2/ttl.csv --policy lru,fifo,clock,sieve,lfu,s3fifo "
                        "--cache-size 10 --ttl 10", &out, &err), 0);
    int lines = 0;
    for (const char *p = out; p && (p = strstr(p, "\"hits\":2,\"misses\":3,")); p++) lines++;
    CHECK_EQ_I64(lines, 6);
    lines = 0;
    for (const char *p = out; p && (p = strstr(p, "\"evictions\":0,\"expirations\":2,\"rejected\":0,\"too_large\":0,"));
         p++)
        lines++;
    CHECK_EQ_I64(lines, 6);
    free(out), free(err);
    CHECK_EQ_I64(cdnsim("cachesim --trace tests/data/review2/sizes.csv --policy lru --cache-size 16 --admit-size 6",
                        &out, &err), 0);
    CHECK_CONTAINS(out, "\"requests\":6,\"hits\":1,\"misses\":5,");
    CHECK_CONTAINS(out, "\"expirations\":0,\"rejected\":2,\"too_large\":2,\"skipped\":0,");
    free(out), free(err);
}

/* Arguments cachesim used to accept and ignore: an empty item in a list
 * ("lru," ran lru alone, "10,,20" two sizes), CSV column options on an
 * oracleGeneral trace; and --time-col -1 was answered with an --id-col
 * example, while 0 is allowed for the time and size columns. */
static void test_cachesim_args(void)
{
    static const struct {
        const char *args, *msg;
    } cases[] = {
        { "--trace tests/data/review2/ttl.csv --policy lru, --cache-size 10", "--policy has an empty item: 'lru,'" },
        { "--trace tests/data/review2/ttl.csv --policy lru --cache-size 10,,20",
          "--cache-size has an empty item: '10,,20'" },
        { "--trace tests/data/review2/ttl.csv --policy lru --cache-size ,10", "--cache-size has an empty item" },
        { "--trace tests/data/review2/two.oracleGeneral.bin --policy lru --cache-size 1KiB --time-col 2",
          "--time-col applies to CSV traces only" },
        { "--trace tests/data/review2/two.oracleGeneral.bin --policy lru --cache-size 1KiB --no-header",
          "--no-header applies to CSV traces only" },
        { "--trace tests/data/review2/ttl.csv --policy lru --cache-size 10 --size-col -1",
          "--size-col expects a column number (from 1), or 0 for none" },
        { "--trace tests/data/review2/ttl.csv --policy lru --cache-size 10 --id-col 0",
          "--id-col expects a column number (from 1)" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char args[600];
        snprintf(args, sizeof args, "cachesim %s", cases[i].args);
        char *out = NULL, *err = NULL;
        CHECK_EQ_I64(cdnsim(args, &out, &err), 2);
        CHECK_CONTAINS(err, cases[i].msg);
        CHECK_TRUE(out && !*out);
        free(out), free(err);
    }
    /* The same trace without the column option runs; --time-col 0 on a CSV is fine. */
    char *out = NULL;
    CHECK_EQ_I64(cdnsim("cachesim --trace tests/data/review2/two.oracleGeneral.bin --policy lru --cache-size 1KiB",
                        &out, NULL), 0);
    CHECK_CONTAINS(out, "\"requests\":2,\"hits\":1,");
    free(out);
    CHECK_EQ_I64(cdnsim("cachesim --trace tests/data/review2/ttl.csv --policy lru --cache-size 10 --time-col 0",
                        &out, NULL), 0);
    CHECK_CONTAINS(out, "\"requests\":5,\"hits\":4,");
    free(out);
}

/* `chunkio put --hex zz` said "KEY must be at most 1024 bytes of hex": the
 * key was short, it was not hex. */
static void test_chunkio_hex_key(void)
{
    char *dir = tests_mkdtemp();
    CHECK_TRUE(dir != NULL);
    if (!dir) return;
    char args[4096];
    char *err = NULL;
    static const char *const bad[] = { "zz", "abc", "0g" };
    for (size_t i = 0; i < 3; i++) {
        snprintf(args, sizeof args, "chunkio put --dir %s/d --hex %s tests/data/review2/ttl.csv", dir, bad[i]);
        CHECK_EQ_I64(cdnsim(args, NULL, &err), 2);
        CHECK_CONTAINS(err, "with --hex, KEY must be hex digits, two per byte");
        CHECK_TRUE(err && !strstr(err, "at most 1024"));
        free(err);
    }
    /* 1025 bytes in hex: the length is the problem, and the message says so. */
    char key[2 * 1025 + 1];
    memset(key, 'a', sizeof key - 1);
    key[sizeof key - 1] = 0;
    snprintf(args, sizeof args, "chunkio get --dir %s/d --hex %s", dir, key);
    CHECK_EQ_I64(cdnsim(args, NULL, &err), 2);
    CHECK_CONTAINS(err, "KEY must be at most 1024 bytes (2048 hex digits)");
    free(err);
    /* A good hex key with a NUL and a slash round-trips. */
    char *out = NULL;
    snprintf(args, sizeof args, "chunkio put --dir %s/d --hex 002f2e2e tests/data/review2/ttl.csv", dir);
    CHECK_EQ_I64(cdnsim(args, NULL, NULL), 0);
    snprintf(args, sizeof args, "chunkio get --dir %s/d --hex 002f2e2e", dir);
    CHECK_EQ_I64(cdnsim(args, &out, NULL), 0);
    char *want = tests_read_file("tests/data/review2/ttl.csv", NULL);
    CHECK_STR(out, want);
    free(want), free(out);
    tests_rmtree(dir);
    free(dir);
}

void test_e2e_review2_register(void)
{
    static const tests_case cases[] = {
        { "cachesim_counts", test_cachesim_counts },
        { "cachesim_args", test_cachesim_args },
        { "chunkio_hex_key", test_chunkio_hex_key },
        { NULL, NULL },
    };
    tests_add_suite("e2e_review2", cases);
}
