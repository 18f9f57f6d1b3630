/* tests/test_trace.c - the trace readers: good files, and every kind of bad
 * file we could think of (missing columns, garbage, empty, huge ids,
 * truncated binary records, random bytes). */
#include <stdlib.h>

#include "models/trace.h"
#include "sim/errors.h"
#include "sim/rng.h"
#include "tests/harness.h"
#include "tests/suite_dir.h"

static char path[512];

static const char *put(const char *name, const char *text)
{
    snprintf(path, sizeof path, "%s/%s", suite_dir, name);
    CHECK_EQ_I64(tests_write_file(path, text), 0);
    return path;
}

static const char *put_bin(const char *name, const void *data, size_t n)
{
    snprintf(path, sizeof path, "%s/%s", suite_dir, name);
    FILE *f = fopen(path, "wb");
    CHECK_TRUE(f != NULL);
    if (f) {
        if (n) CHECK_EQ_U64(fwrite(data, 1, n, f), n);
        fclose(f);
    }
    return path;
}

static trace_opts csv_opts(void)
{
    return (trace_opts){ .format = TRACE_CSV, .time_col = 1, .id_col = 2, .size_col = 3 };
}

/* Opens and reads everything; returns the count or the negative error. */
static long read_all(const char *p, const trace_opts *o, trace_req *out, size_t n, char *err, size_t errn)
{
    trace_reader r;
    long rc = trace_open(&r, p, o);
    long total = 0;
    if (rc == 0) {
        long k;
        while ((k = trace_read(&r, out + total, n - (size_t)total)) > 0) total += k;
        rc = k < 0 ? k : total;
    }
    if (err) snprintf(err, errn, "%s", trace_error(&r));
    trace_close(&r);
    return rc;
}

static void test_csv_good(void)
{
    trace_req q[16];
    trace_opts o = csv_opts();
    /* CRLF, blank lines, spaces, quotes, a string id, a decimal time. */
    const char *p = put("good.csv", "time,obj_id,obj_size\r\n"
                                    "1,10,100\r\n"
                                    "\r\n"
                                    " 2 , 18446744073709551615 , 7 \n"
                                    "3.5,\"img/logo.png\",9\n"
                                    "4,00042,1");
    CHECK_EQ_I64(read_all(p, &o, q, 16, NULL, 0), 4);
    CHECK_NEAR(q[0].time, 1, 0);
    CHECK_EQ_U64(q[0].id, 10);
    CHECK_EQ_U64(q[0].size, 100);
    CHECK_EQ_I64(q[0].next_access, -1);
    CHECK_EQ_U64(q[1].id, UINT64_MAX);
    CHECK_EQ_U64(q[1].size, 7);
    CHECK_NEAR(q[2].time, 3.5, 0);
    CHECK_EQ_U64(q[2].id, trace_hash_string("img/logo.png", 12));
    CHECK_EQ_U64(q[3].id, 42);
    /* --id-str hashes numeric ids too; a missing time column numbers the
     * requests; ignore_size gives size 1 without reading the column. */
    o.id_as_string = true;
    o.time_col = 0;
    o.ignore_size = true;
    CHECK_EQ_I64(read_all(p, &o, q, 16, NULL, 0), 4);
    CHECK_EQ_U64(q[0].id, trace_hash_string("10", 2));
    CHECK_NEAR(q[3].time, 3, 0);
    CHECK_EQ_U64(q[0].size, 1);
    /* cloudPhysicsIO's layout: a non-numeric op column that is not read. */
    p = put("cphy.csv", "version,time,op,size,lbn\n1,5633898,2a,512,42932745\n1,5633899,28,6656,7\n");
    o = (trace_opts){ .format = TRACE_CSV, .time_col = 2, .id_col = 5, .size_col = 4 };
    CHECK_EQ_I64(read_all(p, &o, q, 16, NULL, 0), 2);
    CHECK_EQ_U64(q[0].id, 42932745);
    CHECK_EQ_U64(q[1].size, 6656);
    /* No header, tab separated. */
    p = put("tab.tsv", "5\t6\t7\n");
    o = (trace_opts){ .format = TRACE_CSV, .time_col = 1, .id_col = 2, .size_col = 3, .no_header = true, .delim = '\t' };
    CHECK_EQ_I64(read_all(p, &o, q, 16, NULL, 0), 1);
    CHECK_EQ_U64(q[0].size, 7);
    /* Header only: no requests, no error. */
    p = put("hdr.csv", "time,id,size\n");
    o = csv_opts();
    CHECK_EQ_I64(read_all(p, &o, q, 16, NULL, 0), 0);
}

static void test_csv_bad(void)
{
    trace_req q[16];
    char err[512];
    trace_opts o = csv_opts();
    const char *p;

    p = put("empty.csv", "");
    CHECK_EQ_I64(read_all(p, &o, q, 16, err, sizeof err), SIM_EPARSE);
    CHECK_CONTAINS(err, "empty file");

    p = put("short-header.csv", "time,id\n1,2\n");
    CHECK_EQ_I64(read_all(p, &o, q, 16, err, sizeof err), SIM_EPARSE);
    CHECK_CONTAINS(err, "short-header.csv:1: the header has 2 columns but column 3 is asked for");

    p = put("short-line.csv", "t,id,size\n1,2,3\n4,5\n");
    CHECK_EQ_I64(read_all(p, &o, q, 16, err, sizeof err), SIM_EPARSE);
    CHECK_CONTAINS(err, "short-line.csv:3: expected at least 3 columns, found 2");

    p = put("garbage-size.csv", "t,id,size\n1,2,3\n\n4,5,abc\n");
    CHECK_EQ_I64(read_all(p, &o, q, 16, err, sizeof err), SIM_EPARSE);
    CHECK_CONTAINS(err, "garbage-size.csv:4: column 3 (size): expected a whole number of bytes >= 1, found 'abc'");

    p = put("zero-size.csv", "t,id,size\n1,2,0\n");
    CHECK_EQ_I64(read_all(p, &o, q, 16, err, sizeof err), SIM_EPARSE);
    CHECK_CONTAINS(err, ":2: column 3 (size)");

    p = put("huge-size.csv", "t,id,size\n1,2,99999999999999999999999\n");
    CHECK_EQ_I64(read_all(p, &o, q, 16, err, sizeof err), SIM_EPARSE);
    CHECK_CONTAINS(err, "below 2^64");

    p = put("huge-id.csv", "t,id,size\n1,184467440737095516160,3\n");
    CHECK_EQ_I64(read_all(p, &o, q, 16, err, sizeof err), SIM_EPARSE);
    CHECK_CONTAINS(err, "huge-id.csv:2: column 2 (id): '184467440737095516160' is larger than 2^64-1");
    o.id_as_string = true; /* then it is just text */
    CHECK_EQ_I64(read_all(p, &o, q, 16, err, sizeof err), 1);
    o.id_as_string = false;

    p = put("empty-id.csv", "t,id,size\n1,,3\n");
    CHECK_EQ_I64(read_all(p, &o, q, 16, err, sizeof err), SIM_EPARSE);
    CHECK_CONTAINS(err, ":2: column 2 (id): expected an id, found an empty field");

    p = put("bad-time.csv", "t,id,size\nnoon,1,3\n1e999,1,3\n");
    CHECK_EQ_I64(read_all(p, &o, q, 16, err, sizeof err), SIM_EPARSE);
    CHECK_CONTAINS(err, ":2: column 1 (time): expected a number, found 'noon'");

    /* --skip-bad: the good lines survive, the bad ones are counted. */
    p = put("mixed.csv", "t,id,size\n1,1,1\nx,2,2\n3,3\n4,4,4\n5,5,-5\n");
    o.skip_bad = true;
    trace_reader r;
    CHECK_EQ_I64(trace_open(&r, p, &o), 0);
    CHECK_EQ_I64(trace_read(&r, q, 16), 2);
    CHECK_EQ_U64(trace_skipped(&r), 3);
    CHECK_EQ_U64(q[1].id, 4);
    /* rewind starts over, counters too */
    CHECK_EQ_I64(trace_rewind(&r), 0);
    CHECK_EQ_I64(trace_read(&r, q, 1), 1);
    CHECK_EQ_U64(q[0].id, 1);
    trace_close(&r);
    o.skip_bad = false;

    /* Options. */
    o.id_col = 0;
    CHECK_EQ_I64(trace_open(&r, p, &o), SIM_EINVAL);
    trace_close(&r);
    o = csv_opts();
    CHECK_EQ_I64(trace_open(&r, "/nonexistent/trace.csv", &o), SIM_ENOENT);
    CHECK_CONTAINS(trace_error(&r), "/nonexistent/trace.csv: cannot open");
    trace_close(&r);
    trace_format f;
    CHECK_EQ_I64(trace_format_parse("oraclegeneral", &f), 0);
    CHECK_EQ_I64(f, TRACE_ORACLE_GENERAL);
    CHECK_EQ_I64(trace_format_parse("parquet", &f), SIM_EINVAL);
}

static void test_csv_long_and_random(void)
{
    /* A line longer than the 4 MiB buffer is an error, not a crash. */
    size_t n = (5u << 20) + 100;
    char *big = malloc(n + 1);
    memcpy(big, "t,id,size\n1,", 12);
    memset(big + 12, '7', n - 12);
    big[n] = 0;
    const char *p = put("long.csv", big);
    free(big);
    trace_opts o = csv_opts();
    trace_req q[4];
    char err[512];
    CHECK_EQ_I64(read_all(p, &o, q, 4, err, sizeof err), SIM_EPARSE);
    CHECK_CONTAINS(err, "long.csv:2: line longer than");

    /* Random bytes (NULs included) as CSV, with and without skip_bad:
     * whatever happens, no crash, no hang, and a located message. */
    gsl_rng *g = sim_rng_stream(7, "test/trace-fuzz");
    char *buf = malloc(4096);
    for (int rep = 0; rep < 40; rep++) {
        size_t len = gsl_rng_uniform_int(g, 4096);
        for (size_t i = 0; i < len; i++) {
            /* mostly digits, commas and newlines so that some lines parse */
            static const char alphabet[] = "0123456789,,,\n\n\r \"ab\t-.";
            buf[i] = gsl_rng_uniform(g) < 0.1 ? (char)gsl_rng_uniform_int(g, 256)
                                               : alphabet[gsl_rng_uniform_int(g, sizeof alphabet - 1)];
        }
        p = put_bin("fuzz.csv", buf, len);
        trace_req many[4096];
        o.skip_bad = rep & 1;
        long rc = read_all(p, &o, many, 4096, err, sizeof err);
        CHECK_TRUE(rc >= 0 || rc == SIM_EPARSE);
        if (rc < 0) CHECK_CONTAINS(err, "fuzz.csv");
    }
    free(buf);
    gsl_rng_free(g);
}

static void og_record(unsigned char *p, uint32_t t, uint64_t id, uint32_t size, int64_t next)
{
    memcpy(p, &t, 4);
    memcpy(p + 4, &id, 8);
    memcpy(p + 12, &size, 4);
    memcpy(p + 16, &next, 8);
}

static void test_oracle_general(void)
{
    trace_opts o = { .format = TRACE_ORACLE_GENERAL };
    unsigned char rec[24 * 4 + 10];
    og_record(rec, 5, 1, 100, 2);
    og_record(rec + 24, 6, UINT64_MAX, 4000000000u, -1);
    og_record(rec + 48, 7, 1, 100, -1);
    trace_req q[8];
    char err[512];
    const char *p = put_bin("t.oracleGeneral", rec, 72);
    CHECK_EQ_I64(read_all(p, &o, q, 8, NULL, 0), 3);
    CHECK_NEAR(q[0].time, 5, 0);
    CHECK_EQ_U64(q[0].id, 1);
    CHECK_EQ_U64(q[0].size, 100);
    CHECK_EQ_I64(q[0].next_access, 2);
    CHECK_EQ_U64(q[1].id, UINT64_MAX);
    CHECK_EQ_U64(q[1].size, 4000000000u);
    CHECK_EQ_I64(q[1].next_access, -1);

    /* A truncated last record. */
    p = put_bin("trunc.oracleGeneral", rec, 72 + 10);
    CHECK_EQ_I64(read_all(p, &o, q, 8, err, sizeof err), SIM_EPARSE);
    CHECK_CONTAINS(err, "trunc.oracleGeneral: record 4 (byte 72): truncated: 10 of 24 bytes");
    o.skip_bad = true;
    trace_reader r;
    CHECK_EQ_I64(trace_open(&r, p, &o), 0);
    CHECK_EQ_I64(trace_read(&r, q, 8), 3);
    CHECK_EQ_I64(trace_read(&r, q, 8), 0);
    CHECK_EQ_U64(trace_skipped(&r), 1);
    trace_close(&r);
    o.skip_bad = false;

    /* Size 0 is malformed unless sizes are ignored. */
    og_record(rec + 24, 6, 9, 0, -1);
    p = put_bin("zero.oracleGeneral", rec, 72);
    CHECK_EQ_I64(read_all(p, &o, q, 8, err, sizeof err), SIM_EPARSE);
    CHECK_CONTAINS(err, "record 2 (byte 24): size 0");
    o.ignore_size = true;
    CHECK_EQ_I64(read_all(p, &o, q, 8, err, sizeof err), 3);
    CHECK_EQ_U64(q[0].size, 1);
    o.ignore_size = false;

    p = put_bin("empty.oracleGeneral", rec, 0);
    CHECK_EQ_I64(read_all(p, &o, q, 8, err, sizeof err), SIM_EPARSE);
    CHECK_CONTAINS(err, "empty file");
    p = put_bin("short.oracleGeneral", rec, 5);
    CHECK_EQ_I64(read_all(p, &o, q, 8, err, sizeof err), SIM_EPARSE);
    CHECK_CONTAINS(err, "record 1 (byte 0): truncated: 5 of 24");
    static const unsigned char zst[8] = { 0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0 };
    p = put_bin("t.oracleGeneral.zst", zst, 8);
    CHECK_EQ_I64(read_all(p, &o, q, 8, err, sizeof err), SIM_EPARSE);
    CHECK_CONTAINS(err, "zstd-compressed");
    /* A CSV given as oracleGeneral is refused up front, not read as records. */
    static const char csv[] = "time,id,size\n1,42,100\n2,43,200\n3,42,100\n";
    p = put_bin("csv.oracleGeneral", csv, sizeof csv - 1);
    CHECK_EQ_I64(read_all(p, &o, q, 8, err, sizeof err), SIM_EPARSE);
    CHECK_CONTAINS(err, "looks like text (a CSV?)");
    CHECK_CONTAINS(err, "use --format csv");
    /* Records whose bytes happen to be printable are still records: without a
     * line end in the first 64 bytes nothing is refused. */
    static const char printable[48] = "AAAABBBBBBBBCCCCDDDDDDDDAAAABBBBBBBBCCCCDDDDDDDD";
    p = put_bin("printable.oracleGeneral", printable, 48);
    CHECK_EQ_I64(read_all(p, &o, q, 8, err, sizeof err), 2);
}

/* Many records and lines, so that reads cross buffer refills at every
 * offset: the sequence must come out intact, in batches of odd sizes. */
static void test_buffer_boundaries(void)
{
    size_t n = 400000; /* 9.6 MB of records: more than two 4 MiB buffers */
    unsigned char *b = malloc(n * 24);
    for (size_t i = 0; i < n; i++) og_record(b + 24 * i, (uint32_t)i, i * 7919, (uint32_t)(i % 1000 + 1), -1);
    const char *p = put_bin("big.oracleGeneral", b, n * 24);
    free(b);
    trace_opts o = { .format = TRACE_ORACLE_GENERAL };
    trace_reader r;
    CHECK_EQ_I64(trace_open(&r, p, &o), 0);
    trace_req q[777];
    size_t seen = 0, bad = 0;
    long k;
    while ((k = trace_read(&r, q, 777)) > 0)
        for (long i = 0; i < k; i++, seen++)
            if (q[i].id != seen * 7919 || q[i].size != seen % 1000 + 1 || q[i].time != (double)seen) bad++;
    CHECK_EQ_I64(k, 0);
    CHECK_EQ_U64(seen, n);
    CHECK_EQ_U64(bad, 0);
    trace_close(&r);

    /* CSV: 300,000 lines of varying length (about 6 MB). */
    size_t cap = 300000 * 40, len = 0;
    char *t = malloc(cap);
    len += (size_t)sprintf(t, "time,id,size\n");
    for (size_t i = 0; i < 300000; i++)
        len += (size_t)sprintf(t + len, "%zu,%zu,%zu\n", i, i * 1000003 % 999983, i % 97 + 1);
    p = put("big.csv", t);
    free(t);
    o = csv_opts();
    CHECK_EQ_I64(trace_open(&r, p, &o), 0);
    seen = bad = 0;
    while ((k = trace_read(&r, q, 777)) > 0)
        for (long i = 0; i < k; i++, seen++)
            if (q[i].id != seen * 1000003 % 999983 || q[i].size != seen % 97 + 1) bad++;
    CHECK_EQ_I64(k, 0);
    CHECK_EQ_U64(seen, 300000);
    CHECK_EQ_U64(bad, 0);
    trace_close(&r);
}

static void test_hash(void)
{
    /* Pinned: the hash is documented as stable across releases. */
    CHECK_EQ_U64(trace_hash_string("", 0), trace_hash_string("", 0));
    CHECK_TRUE(trace_hash_string("a", 1) != trace_hash_string("a\0", 2));
    CHECK_TRUE(trace_hash_string("abcdefgh", 8) != trace_hash_string("abcdefgi", 8));
    CHECK_TRUE(trace_hash_string("abcdefghX", 9) != trace_hash_string("abcdefghY", 9));
    CHECK_EQ_U64(trace_hash_string("img/logo.png", 12), 0x321bba5c288ce2b6ULL);
}

void test_trace_register(void)
{
    static const tests_case cases[] = {
        { "csv_good", test_csv_good },
        { "csv_bad", test_csv_bad },
        { "csv_long_and_random", test_csv_long_and_random },
        { "oracle_general", test_oracle_general },
        { "buffer_boundaries", test_buffer_boundaries },
        { "hash", test_hash },
        { NULL, NULL },
    };
    CU_pSuite s = CU_add_suite("trace", suite_dir_setup, suite_dir_teardown);
    for (const tests_case *c = cases; c->name; c++) CU_add_test(s, c->name, c->fn);
}
