/* tests/test_e2e_cachesim.c - bin/cdnsim cachesim end to end: help, exit
 * codes, JSON lines, units, formats, bad traces. */
#include <stdlib.h>

#include "models/cache/cache.h"
#include "models/trace.h"
#include "tests/harness.h"
#include "tests/suite_dir.h"


/* Runs `cdnsim cachesim ARGS`; returns the exit status. */
static int sim(const char *args, char **out, char **err)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "%s cachesim %s", tests_cdnsim_bin(), args);
    return tests_run(cmd, out, err);
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; s && *s; s++) n += *s == '\n';
    return n;
}

static void test_help_and_usage(void)
{
    char *out = NULL, *err = NULL;
    CHECK_EQ_I64(sim("--help", &out, &err), 0);
    for (const char *const *p = cache_policy_names; *p; p++) CHECK_CONTAINS(out, *p);
    CHECK_CONTAINS(out, "--cache-size");
    CHECK_CONTAINS(out, "--ignore-size");
    CHECK_CONTAINS(out, "--skip-bad");
    CHECK_CONTAINS(out, "exit codes: 0 ok, 1");
    free(out), free(err);

    static const struct { const char *args, *msg; } bad[] = {
        { "", "--trace FILE is required" },
        { "--trace x.csv --cache-size 10", "--policy is required" },
        { "--trace x.csv --policy lru", "--cache-size is required" },
        { "--trace x.csv --policy lru2 --cache-size 10", "unknown policy 'lru2'" },
        { "--trace x.csv --policy lru --cache-size '10 parsecs'", "found '10 parsecs'" },
        { "--trace x.csv --policy lru --cache-size 1KiB --ignore-size", "object counts" },
        { "--trace x.csv --policy lru --cache-size 10 --id-col 0", "--id-col expects a column number" },
        { "--trace x.csv --policy lru --cache-size 10 --format parquet", "csv or oracleGeneral" },
        { "--trace x.csv --policy lru --cache-size 10 --bogus", "unknown option '--bogus'" },
        { "--trace x.csv --policy lru --cache-size 10 --admit-prob 2", "probability" },
        /* numbers are whole, unsigned and in range: no sign, no space, no overflow */
        { "--trace x.csv --policy lru --cache-size 10 --seed +3", "--seed expects a whole number, found '+3'" },
        { "--trace x.csv --policy lru --cache-size 10 --seed 99999999999999999999", "--seed expects a whole number" },
        { "--trace x.csv --policy lru --cache-size 10 --seed -1", "--seed expects a whole number" },
        { "--trace x.csv --policy lru --cache-size 10 --id-col ' 2'", "--id-col expects a column number" },
        { "--trace x.csv --policy lru --cache-size 10 --time-col 100001", "--time-col expects a column number" },
        { "--trace x.csv --policy lru --cache-size +10 --ignore-size", "found '+10'" },
        { "--trace x.csv --policy lru --cache-size 99999999999999999999 --ignore-size", "99999999999999999999" },
        { "--trace", "--trace needs a value" },
        { "--trace /nonexistent/t.csv --policy lru --cache-size 10", "/nonexistent/t.csv: cannot open" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_EQ_I64(sim(bad[i].args, &out, &err), 2);
        CHECK_CONTAINS(err, bad[i].msg);
        CHECK_EQ_I64(count_lines(out), 0);
        free(out), free(err);
    }
}

/* The library's own result on the same trace, to compare with the binary. */
static uint64_t lib_misses(const char *file, const char *policy, uint64_t cap, bool objects)
{
    trace_opts o = { .format = TRACE_CSV, .time_col = 1, .id_col = 2, .size_col = 3, .ignore_size = objects };
    cache_params cp = { .policy = policy, .capacity = cap, .count_objects = objects };
    cache *c = NULL;
    trace_reader r;
    cache_create(&cp, &c);
    trace_open(&r, file, &o);
    trace_req q[512];
    long k;
    while ((k = trace_read(&r, q, 512)) > 0)
        for (long i = 0; i < k; i++) cache_get(c, q[i].id, q[i].size, 0);
    uint64_t m = cache_get_stats(c)->misses;
    trace_close(&r);
    cache_free(c);
    return m;
}

static void test_shared_trace(void)
{
    char file[512], args[1024], want[128];
    snprintf(file, sizeof file, "%s/traces/sdsc-http.csv", tests_shared_dir());
    char *out = NULL, *err = NULL;
    snprintf(args, sizeof args, "--trace %s --policy lru,fifo --cache-size 10,100,500 --ignore-size", file);
    CHECK_EQ_I64(sim(args, &out, &err), 0);
    CHECK_EQ_I64(count_lines(out), 6);
    CHECK_CONTAINS(out, "\"policy\":\"lru\",\"cache_size\":100,\"size_unit\":\"objects\",\"requests\":25050");
    snprintf(want, sizeof want, "\"policy\":\"fifo\",\"cache_size\":500,\"size_unit\":\"objects\",\"requests\":25050,");
    CHECK_CONTAINS(out, want);
    snprintf(want, sizeof want, "\"misses\":%llu,", (unsigned long long)lib_misses(file, "lru", 100, true));
    CHECK_CONTAINS(out, want);
    CHECK_CONTAINS(out, "\"requests_per_s\":");
    CHECK_CONTAINS(out, "\"byte_miss_ratio\":");
    free(out), free(err);

    /* Units: 1KiB = 1024 bytes. */
    snprintf(file, sizeof file, "%s/traces/webcachesim_test.csv", tests_shared_dir());
    snprintf(args, sizeof args, "--trace %s --policy s3fifo --cache-size 1KiB --time-col 1 --id-col 2 --size-col 3", file);
    CHECK_EQ_I64(sim(args, &out, &err), 0);
    CHECK_CONTAINS(out, "\"cache_size\":1024,\"size_unit\":\"bytes\"");
    snprintf(want, sizeof want, "\"misses\":%llu,", (unsigned long long)lib_misses(file, "s3fifo", 1024, false));
    CHECK_CONTAINS(out, want);
    free(out), free(err);
}

static void test_bad_traces(void)
{
    char p[600], args[1024];
    char *out = NULL, *err = NULL;
    snprintf(p, sizeof p, "%s/bad.csv", suite_dir);
    tests_write_file(p, "time,id,size\n1,1,10\n2,2,ten\n3,1,10\n");
    snprintf(args, sizeof args, "--trace %s --policy lru --cache-size 100", p);
    CHECK_EQ_I64(sim(args, &out, &err), 2);
    CHECK_CONTAINS(err, "bad.csv:3: column 3 (size)");
    CHECK_EQ_I64(count_lines(out), 0);
    free(out), free(err);
    snprintf(args, sizeof args, "--trace %s --policy lru --cache-size 100 --skip-bad", p);
    CHECK_EQ_I64(sim(args, &out, &err), 0);
    CHECK_CONTAINS(out, "\"requests\":2,\"hits\":1,");
    CHECK_CONTAINS(out, "\"skipped\":1,");
    free(out), free(err);

    snprintf(p, sizeof p, "%s/empty.csv", suite_dir);
    tests_write_file(p, "time,id,size\n");
    snprintf(args, sizeof args, "--trace %s --policy lru --cache-size 100", p);
    CHECK_EQ_I64(sim(args, &out, &err), 2);
    CHECK_CONTAINS(err, "no requests");
    free(out), free(err);

    /* oracleGeneral, recognised by name; a truncated tail is reported. */
    snprintf(p, sizeof p, "%s/t.oracleGeneral.bin", suite_dir);
    FILE *f = fopen(p, "wb");
    for (uint32_t i = 0; i < 10; i++) {
        uint32_t t = i, size = 100;
        uint64_t id = i % 3;
        int64_t next = -1;
        fwrite(&t, 4, 1, f), fwrite(&id, 8, 1, f), fwrite(&size, 4, 1, f), fwrite(&next, 8, 1, f);
    }
    fclose(f);
    snprintf(args, sizeof args, "--trace %s --policy fifo --cache-size 1000", p);
    CHECK_EQ_I64(sim(args, &out, &err), 0);
    CHECK_CONTAINS(out, "\"requests\":10,\"hits\":7,\"misses\":3,\"miss_ratio\":0.300000");
    free(out), free(err);
    f = fopen(p, "ab");
    fwrite("abc", 1, 3, f);
    fclose(f);
    CHECK_EQ_I64(sim(args, &out, &err), 2);
    CHECK_CONTAINS(err, "record 11 (byte 240): truncated: 3 of 24 bytes");
    free(out), free(err);
    /* The same file read as CSV is garbage: an error, not a crash. */
    snprintf(args, sizeof args, "--trace %s --format csv --policy fifo --cache-size 1000", p);
    int rc = sim(args, &out, &err);
    CHECK_TRUE(rc == 2);
    free(out), free(err);
}

/* Every option --help lists, with an effect we can predict by hand. */
static void test_options(void)
{
    char p[600], args[1024];
    char *out = NULL, *err = NULL;
    /* No header, tab separated, string ids; times 0..5 s. Requests:
     * a(10 B) b(20 B) a a b c(500 B). */
    snprintf(p, sizeof p, "%s/opts.tsv", suite_dir);
    tests_write_file(p, "0\ta\t10\n1\tb\t20\n2\ta\t10\n3\ta\t10\n4\tb\t20\n5\tc\t500\n");
    /* a, b miss; a, a, b hit; c misses: 3 misses, 40 of 570 bytes hit. */
    snprintf(args, sizeof args, "--trace %s --no-header --delim tab --policy lru --cache-size 1000", p);
    CHECK_EQ_I64(sim(args, &out, &err), 0);
    CHECK_CONTAINS(out, "\"requests\":6,\"hits\":3,\"misses\":3,");
    CHECK_CONTAINS(out, "\"bytes_requested\":570,\"bytes_missed\":530,");
    free(out), free(err);
    /* --ttl 1.5: a (set at 0) expires at 1.5 s: the request at 2 misses,
     * the one at 3 hits; b (set at 1) expires at 2.5: the one at 4 misses. */
    snprintf(args, sizeof args, "--trace %s --no-header --delim tab --policy fifo --cache-size 1000 --ttl 1.5", p);
    CHECK_EQ_I64(sim(args, &out, &err), 0);
    CHECK_CONTAINS(out, "\"requests\":6,\"hits\":1,\"misses\":5,");
    free(out), free(err);
    /* --admit-size 15: only a is cached: a hits twice. */
    snprintf(args, sizeof args, "--trace %s --no-header --delim tab --policy lru --cache-size 1000 --admit-size 15", p);
    CHECK_EQ_I64(sim(args, &out, &err), 0);
    CHECK_CONTAINS(out, "\"hits\":2,");
    free(out), free(err);
    /* --admit-prob 0: nothing is cached; 1: as without admission. */
    snprintf(args, sizeof args, "--trace %s --no-header --delim tab --policy lru --cache-size 1000 --admit-prob 0 --seed 3", p);
    CHECK_EQ_I64(sim(args, &out, &err), 0);
    CHECK_CONTAINS(out, "\"hits\":0,");
    free(out), free(err);
    snprintf(args, sizeof args, "--trace %s --no-header --delim tab --policy lru --cache-size 1000 --admit-prob 1", p);
    CHECK_EQ_I64(sim(args, &out, &err), 0);
    CHECK_CONTAINS(out, "\"hits\":3,");
    free(out), free(err);
    /* Column choice and --id-str: ids 7 and 007 are one object as numbers,
     * two as text. */
    snprintf(p, sizeof p, "%s/cols.csv", suite_dir);
    tests_write_file(p, "size,id\n5,7\n5,007\n");
    snprintf(args, sizeof args, "--trace %s --time-col 0 --id-col 2 --size-col 1 --policy lru --cache-size 100", p);
    CHECK_EQ_I64(sim(args, &out, &err), 0);
    CHECK_CONTAINS(out, "\"hits\":1,");
    free(out), free(err);
    snprintf(args, sizeof args, "--trace=%s --time-col=0 --id-col=2 --size-col=1 --id-str --policy=lru --cache-size=100", p);
    CHECK_EQ_I64(sim(args, &out, &err), 0);
    CHECK_CONTAINS(out, "\"hits\":0,");
    free(out), free(err);
    /* --format oracleGeneral forces the binary reader on any name; this
     * file is text, which the binary reader refuses up front. */
    snprintf(args, sizeof args, "--trace %s --format oracleGeneral --policy lru --cache-size 100", p);
    CHECK_EQ_I64(sim(args, &out, &err), 2);
    CHECK_CONTAINS(err, "looks like text (a CSV?)");
    free(out), free(err);
}

void test_e2e_cachesim_register(void)
{
    static const tests_case cases[] = {
        { "help_and_usage", test_help_and_usage },
        { "shared_trace", test_shared_trace },
        { "bad_traces", test_bad_traces },
        { "options", test_options },
        { NULL, NULL },
    };
    CU_pSuite s = CU_add_suite("e2e_cachesim", suite_dir_setup, suite_dir_teardown);
    for (const tests_case *c = cases; c->name; c++) CU_add_test(s, c->name, c->fn);
}
