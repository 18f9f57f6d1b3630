/* tests/test_e2e_chunkio.c - `cdnsim chunkio` and `cdnsim calibrate` as a
 * user runs them: exit codes, messages, JSON output, corruption repair. */
#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chunkio/format.h"
#include "tests/e2e.h"
#include "tests/harness.h"

static char *dir;

static int run(char **out, char **err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int run(char **out, char **err, const char *fmt, ...)
{
    char args[4096], *cmd = NULL;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    if (asprintf(&cmd, "cd '%s' && '%s' %s", dir, tests_cdnsim_bin(), args) < 0) return -1;
    int rc = tests_run(cmd, out, err);
    free(cmd);
    return rc;
}

static void setup(void)
{
    dir = tests_mkdtemp();
    /* tests_cdnsim_bin may be relative to the project: make it absolute. */
    static char abs_bin[4096];
    const char *b = tests_cdnsim_bin();
    if (b[0] != '/' && realpath(b, abs_bin)) setenv("CDNSIM_BIN", abs_bin, 1);
}

static void teardown(void)
{
    tests_rmtree(dir);
    free(dir);
}

static void test_help_and_usage_errors(void)
{
    setup();
    char *out, *err;
    CHECK_EQ_I64(run(&out, &err, "chunkio --help"), 0);
    CHECK_CONTAINS(out, "cdnsim chunkio put");
    free(out), free(err);
    CHECK_EQ_I64(run(&out, &err, "chunkio bench --help"), 0);
    CHECK_CONTAINS(out, "--concurrency");
    free(out), free(err);
    CHECK_EQ_I64(run(&out, &err, "calibrate --help"), 0);
    CHECK_CONTAINS(out, "--out");
    free(out), free(err);
    struct { const char *args, *msg; } bad[] = {
        { "chunkio", "usage" },
        { "chunkio frobnicate", "unknown subcommand 'frobnicate'" },
        { "chunkio get k", "needs --dir" },
        { "chunkio get --dir s", "exactly one KEY" },
        { "chunkio put --dir s k", "KEY and FILE" },
        { "chunkio get --dir s --bogus k", "unknown option '--bogus'" },
        { "chunkio get --dir s,t --replicas 3 k", "--replicas is larger" },
        { "chunkio get --dir s --replicas 0 k", "--replicas needs a count" },
        { "chunkio get --dir s --hex 4g k", "exactly one KEY" },
        { "chunkio get --dir s a b c d e", "unexpected argument" },
        { "chunkio get --dir s --hex 4g", "hex" },
        { "chunkio bench --dir s --chunk 3KiB", "--chunk needs a size from 4KiB to 8MiB" },
        { "chunkio bench --dir s --chunk 9MiB", "--chunk needs" },
        { "chunkio bench --dir s --mix read:70,write:20", "adding up to 100" },
        { "chunkio bench --dir s --mix reed:70", "--mix" },
        { "chunkio bench --dir s --ops -5", "--ops needs" },
        { "chunkio bench --dir s --engine fibers", "threads or uring" },
        { "chunkio bench --dir s --warmup many", "--warmup needs a whole number" },
        { "chunkio verify --dir s extra", "takes no KEY" },
        { "calibrate --out x.json", "--dir is required" },
        { "calibrate --dir s", "--out is required" },
        { "calibrate --dir s --out x.json --sizes 1MiB,2parsecs", "--sizes" },
        { "calibrate --dir s --out x.json --ops 1", "--ops" },
        { "calibrate --dir s --out x.json --only both", "--only is read or write" },
        { "calibrate --dir s --out x.json --warmup -1", "--warmup needs a whole number" },
        { "calibrate --dir s --out x.json --curve 1,4", "--curve needs up to 16 increasing concurrencies" },
        { "calibrate --dir s --out x.json --curve 4,2", "--curve needs" },
        { "calibrate --dir s --out x.json --curve 2,x", "--curve needs" },
        { "calibrate --dir s --out x.json --curve 2,,4", "--curve has an empty item" },
        { "calibrate --dir s --out x.json --curve 2,4,", "--curve has an empty item" },
        { "calibrate --dir s --out x.json --curve 5000", "--curve needs" },
        { "calibrate --dir s --out x.json --curve 2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18", "--curve needs" },
        { "calibrate --dir s --out x.json --curve 2 --only write", "cannot go with --only write" },
        { "calibrate --dir s --out x.json --curve", "--curve needs a value" },
        { "calibrate --dir s --out x.json --journal 1", "--journal needs a concurrency from 2 to 4096" },
        { "calibrate --dir s --out x.json --journal 32x", "--journal needs" },
        { "calibrate --dir s --out x.json --journal 5000", "--journal needs" },
        { "calibrate --dir s --out x.json --journal 4 --only read", "cannot go with --only read" },
        { "calibrate --dir s --out x.json --journal", "--journal needs a value" },
        { "calibrate --dir s --out x.json --spells --only read", "--spells looks in the writes" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = run(&out, &err, "%s", bad[i].args);
        if (rc != 2) fprintf(stderr, "args: %s\n", bad[i].args);
        CHECK_EQ_I64(rc, 2);
        CHECK_CONTAINS(err, bad[i].msg);
        free(out), free(err);
    }
    /* An unusable key is refused with exit 2, and nothing was created. */
    char *big = malloc(2100);
    memset(big, 'k', 2099);
    big[2099] = '\0';
    CHECK_EQ_I64(run(&out, &err, "chunkio get --dir s %s", big), 2);
    CHECK_CONTAINS(err, "at most 1024 bytes");
    free(out), free(err);
    free(big);
    teardown();
}

static void test_put_get_verify_repair(void)
{
    setup();
    char *out, *err, path[4200];
    snprintf(path, sizeof path, "%s/in.bin", dir);
    char *content = malloc(200001);
    for (int i = 0; i < 200000; i++) content[i] = (char)('a' + (i * 7) % 26);
    content[200000] = '\0';
    CHECK_EQ_I64(tests_write_file(path, content), 0);
    CHECK_EQ_I64(run(&out, &err, "chunkio put --dir a,b,c --replicas 2 ../etc/passwd in.bin"), 0);
    free(out), free(err);
    CHECK_EQ_I64(run(&out, &err, "chunkio get --dir c,b,a ../etc/passwd"), 0);
    CHECK_TRUE(strcmp(out, content) == 0);
    free(out), free(err);
    CHECK_EQ_I64(run(&out, &err, "chunkio get --dir a,b,c --offset 65530 --length 10 ../etc/passwd"), 0);
    CHECK_TRUE(strncmp(out, content + 65530, 10) == 0 && strlen(out) == 10);
    free(out), free(err);
    /* A key with a NUL byte, via --hex, and stdin as FILE. */
    char *cmd = NULL;
    CHECK_TRUE(asprintf(&cmd, "cd '%s' && printf 'zero' | '%s' chunkio put --dir a,b,c --hex 610062 -", dir,
                        tests_cdnsim_bin()) > 0);
    CHECK_EQ_I64(tests_run(cmd, &out, &err), 0);
    free(cmd);
    free(out), free(err);
    CHECK_EQ_I64(run(&out, &err, "chunkio get --dir a,b,c --hex 610062"), 0);
    CHECK_STR(out, "zero");
    free(out), free(err);
    CHECK_EQ_I64(run(&out, &err, "chunkio get --dir a,b,c a"), 1);
    CHECK_CONTAINS(err, "no copy");
    free(out), free(err);
    CHECK_EQ_I64(run(&out, &err, "chunkio verify --dir a,b,c"), 0);
    CHECK_CONTAINS(out, "\"chunks\": 2, \"copies\": 3, \"ok\": 2, \"repaired\": 0, \"corrupt\": 0, \"missing\": 0");
    free(out), free(err);
    /* Flip a byte in every copy found in a, b and c in turn: the first
     * damaged copy is repaired from the other; verify says so. */
    char rel[CHUNKIO_MAX_RELPATH];
    size_t dl;
    chunkio_key_path("../etc/passwd", 13, rel, &dl);
    const char *dirs[] = { "a", "b", "c" };
    int flipped = 0;
    for (int i = 0; i < 3 && !flipped; i++) {
        char p[8192];
        snprintf(p, sizeof p, "%s/%s/%s", dir, dirs[i], rel);
        struct stat sb;
        if (stat(p, &sb) != 0) continue;
        FILE *f = fopen(p, "r+b");
        CHECK_TRUE(f != NULL);
        fseek(f, 4096 + 150000, SEEK_SET);
        fputc('#', f);
        fclose(f);
        flipped = 1;
    }
    CHECK_TRUE(flipped);
    CHECK_EQ_I64(run(&out, &err, "chunkio get --dir a,b,c ../etc/passwd"), 0);
    CHECK_TRUE(strcmp(out, content) == 0);
    free(out), free(err);
    CHECK_EQ_I64(run(&out, &err, "chunkio verify --dir a,b,c --no-repair"), 1);
    CHECK_CONTAINS(out, "\"repaired\": 0, \"corrupt\": 1");
    free(out), free(err);
    CHECK_EQ_I64(run(&out, &err, "chunkio verify --dir a,b,c"), 0);
    CHECK_CONTAINS(out, "\"ok\": 1, \"repaired\": 1, \"corrupt\": 0");
    free(out), free(err);
    CHECK_EQ_I64(run(&out, &err, "chunkio verify --dir b,c,a"), 0);
    CHECK_CONTAINS(out, "\"ok\": 2, \"repaired\": 0");
    free(out), free(err);
    /* Single copy damaged beyond repair: get and verify exit 1. */
    CHECK_EQ_I64(run(&out, &err, "chunkio put --dir solo k in.bin"), 0);
    free(out), free(err);
    chunkio_key_path("k", 1, rel, &dl);
    char p[8192];
    snprintf(p, sizeof p, "%s/solo/%s", dir, rel);
    FILE *f = fopen(p, "r+b");
    CHECK_TRUE(f != NULL);
    if (f) {
        fseek(f, 4096 + 10, SEEK_SET);
        fputc('#', f);
        fclose(f);
    }
    CHECK_EQ_I64(run(&out, &err, "chunkio get --dir solo k"), 1);
    CHECK_CONTAINS(err, "checksum mismatch in block 0");
    free(out), free(err);
    CHECK_EQ_I64(run(&out, &err, "chunkio verify --dir solo"), 1);
    CHECK_CONTAINS(out, "\"corrupt\": 1");
    free(out), free(err);
    /* Missing directory for get: a clear message, exit 1. */
    CHECK_EQ_I64(run(&out, &err, "chunkio get --dir nowhere k"), 1);
    CHECK_CONTAINS(err, "nowhere: cannot open directory");
    free(out), free(err);
    free(content);
    teardown();
}

static void test_bench_and_calibrate(void)
{
    setup();
    char *out, *err;
    CHECK_EQ_I64(run(&out, &err, "chunkio bench --dir d1,d2 --replicas 2 --chunk 4KiB --ops 40 --keys 8 "
                                 "--concurrency 3 --mix read:50,write:50 --keep"), 0);
    cJSON *j = cJSON_Parse(out);
    CHECK_TRUE(j != NULL);
    if (j) {
        cJSON *r = cJSON_GetObjectItem(j, "read"), *w = cJSON_GetObjectItem(j, "write");
        CHECK_EQ_I64(cJSON_GetObjectItem(r, "count")->valueint + cJSON_GetObjectItem(w, "count")->valueint, 40);
        CHECK_TRUE(cJSON_GetObjectItem(r, "p99_us")->valuedouble >= cJSON_GetObjectItem(r, "p50_us")->valuedouble);
        CHECK_EQ_I64(cJSON_GetObjectItem(j, "replicas")->valueint, 2);
        cJSON_Delete(j);
    }
    free(out), free(err);
    /* --latencies: every operation's latency and end time, reads then writes,
     * one line each; an operation ends after it began (end_ns >= latency_ns). */
    CHECK_EQ_I64(run(&out, &err, "chunkio bench --dir d4 --chunk 4KiB --ops 30 --keys 4 --concurrency 2 "
                                 "--mix read:50,write:50 --latencies lat.csv"), 0);
    /* elapsed_s is when the last operation ended (printed to 1 ms) */
    cJSON *bj = cJSON_Parse(out);
    const cJSON *el = bj ? cJSON_GetObjectItem(bj, "elapsed_s") : NULL;
    double elapsed = cJSON_IsNumber(el) ? el->valuedouble : -1;
    /* the steps of the writes: each one's median, none longer than a write */
    const cJSON *steps = bj ? cJSON_GetObjectItem(bj, "write_steps") : NULL;
    CHECK_EQ_I64(cJSON_GetArraySize(steps), 4);
    static const char *const step_names[] = { "write", "fdatasync", "rename", "dir_fsync" };
    for (int k = 0; k < 4; k++) {
        const cJSON *st = cJSON_GetObjectItem(steps, step_names[k]);
        CHECK_TRUE(cJSON_GetNumberValue(cJSON_GetObjectItem(st, "p50_us")) > 0);
    }
    cJSON_Delete(bj);
    long long last_end = 0;
    free(out), free(err);
    char lp[4200];
    snprintf(lp, sizeof lp, "%s/lat.csv", dir);
    char *csv = tests_read_file(lp, NULL);
    CHECK_TRUE(csv != NULL);
    if (csv) {
        const char *head = "op,latency_ns,end_ns,write_ns,fdatasync_ns,rename_ns,dir_fsync_ns\n";
        CHECK_TRUE(!strncmp(csv, head, strlen(head)));
        int lines = 0, bad = 0, seen_write = 0;
        for (char *l = strchr(csv, '\n'); l && l[1]; l = strchr(l + 1, '\n')) {
            long long ns = -1, end = -1, st[4] = { -1, -1, -1, -1 };
            char op[8] = "";
            lines++;
            if (sscanf(l + 1, "%5[a-z],%lld,%lld", op, &ns, &end) != 3 || ns <= 0 || end < ns) bad++;
            /* a write's four steps are positive and add up to no more than its latency;
             * a read has none (",,,,") */
            int nst = sscanf(l + 1, "%*[a-z],%*d,%*d,%lld,%lld,%lld,%lld", &st[0], &st[1], &st[2], &st[3]);
            if (!strcmp(op, "write") && (nst != 4 || st[0] <= 0 || st[1] <= 0 || st[2] <= 0 || st[3] <= 0 ||
                                         st[0] + st[1] + st[2] + st[3] > ns))
                bad++;
            int at = -1;
            sscanf(l + 1, "%*[a-z],%*d,%*d%n", &at);
            if (!strcmp(op, "read") && (at < 0 || strncmp(l + 1 + at, ",,,,\n", 5))) bad++;
            if (end > last_end) last_end = end;
            else if (!strcmp(op, "write")) seen_write = 1;
            else if (strcmp(op, "read") || seen_write) bad++; /* reads come first */
        }
        CHECK_EQ_I64(lines, 30);
        CHECK_EQ_I64(bad, 0);
        CHECK_NEAR(elapsed, (double)last_end / 1e9, 0.0005 + 1e-9);
    }
    free(csv);
    /* --warmup: 25 operations run first and are left out; the 30 measured
     * ones are counted and timed from the first measured one's start, so
     * every end time is positive and the last is the elapsed time. */
    CHECK_EQ_I64(run(&out, &err, "chunkio bench --dir d4 --chunk 4KiB --ops 30 --warmup 25 --keys 4 --concurrency 3 "
                                 "--mix read:50,write:50 --latencies wlat.csv"), 0);
    CHECK_CONTAINS(out, "\"ops\": 30, \"warmup\": 25");
    bj = cJSON_Parse(out);
    double wel = bj ? cJSON_GetNumberValue(cJSON_GetObjectItem(bj, "elapsed_s")) : -1;
    double nr = bj ? cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetObjectItem(bj, "read"), "count")) : -1;
    double nw = bj ? cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetObjectItem(bj, "write"), "count")) : -1;
    CHECK_NEAR(nr + nw, 30, 0);
    cJSON_Delete(bj);
    free(out), free(err);
    snprintf(lp, sizeof lp, "%s/wlat.csv", dir);
    csv = tests_read_file(lp, NULL);
    CHECK_TRUE(csv != NULL);
    if (csv) {
        int lines = 0, bad = 0;
        long long wlast = 0;
        for (char *l = strchr(csv, '\n'); l && l[1]; l = strchr(l + 1, '\n')) {
            long long ns = -1, end = -1;
            lines++;
            if (sscanf(l + 1, "%*[a-z],%lld,%lld", &ns, &end) != 2 || ns <= 0 || end <= 0) bad++;
            if (end > wlast) wlast = end;
        }
        CHECK_EQ_I64(lines, 30);
        CHECK_EQ_I64(bad, 0);
        CHECK_NEAR(wel, (double)wlast / 1e9, 0.0005 + 1e-9);
    }
    free(csv);
    CHECK_EQ_I64(run(&out, &err, "chunkio bench --dir d4 --chunk 4KiB --ops 5 --keys 4 --warmup 5 --engine uring"), 1);
    CHECK_CONTAINS(err, "a warm-up needs the threads engine");
    free(out), free(err);
    CHECK_EQ_I64(run(&out, &err, "chunkio bench --dir d4 --chunk 4KiB --ops 5 --keys 4 --latencies no/such/dir/l.csv"), 1);
    CHECK_CONTAINS(err, "cannot write no/such/dir/l.csv");
    CHECK_CONTAINS(out, "\"ops\": 5"); /* the measurement itself is still printed */
    free(out), free(err);
    CHECK_EQ_I64(run(&out, &err, "chunkio bench --dir d4 --latencies"), 2);
    CHECK_CONTAINS(err, "--latencies needs a file name");
    free(out), free(err);
    /* --keep left the working set for verify. */
    CHECK_EQ_I64(run(&out, &err, "chunkio verify --dir d1,d2"), 0);
    CHECK_CONTAINS(out, "\"chunks\": 8, \"copies\": 16, \"ok\": 8");
    free(out), free(err);
    /* io_uring: either it runs, or it says clearly why not. */
    int rc = run(&out, &err, "chunkio bench --dir d3 --chunk 4KiB --ops 20 --keys 4 --concurrency 4 --engine uring");
    CHECK_TRUE(rc == 0 || rc == 1);
    if (rc == 0) CHECK_CONTAINS(out, "\"engine\": \"uring\"");
    else CHECK_CONTAINS(err, "io_uring");
    free(out), free(err);
    CHECK_EQ_I64(run(&out, &err, "chunkio verify --dir d3"), 0);
    CHECK_CONTAINS(out, "\"chunks\": 0"); /* without --keep, nothing stays */
    free(out), free(err);
    CHECK_EQ_I64(run(&out, &err, "calibrate --dir cal --out c.json --sizes 4KiB --ops 30 --keys 4 --buffered --warmup 5"), 0);
    CHECK_CONTAINS(out, "read-4KiB");
    CHECK_CONTAINS(out, "write-4KiB");
    free(out), free(err);
    char p[4200];
    j = e2e_read_json_in(dir, "c.json");
    CHECK_TRUE(j != NULL);
    if (j) {
        CHECK_STR(cJSON_GetObjectItem(j, "schema")->valuestring, "cdnsim.empirical/1");
        CHECK_STR(cJSON_GetObjectItem(j, "_primary")->valuestring, "read-4KiB");
        const cJSON *meas = cJSON_GetObjectItem(j, "_measured");
        CHECK_NEAR(cJSON_GetNumberValue(cJSON_GetObjectItem(meas, "warmup")), 5, 0);
        CHECK_NEAR(cJSON_GetNumberValue(cJSON_GetObjectItem(meas, "ops_per_series")), 30, 0);
        cJSON *q = cJSON_GetObjectItem(j, "quantiles");
        CHECK_TRUE(cJSON_GetArraySize(q) > 100);
        CHECK_NEAR(cJSON_GetArrayItem(cJSON_GetArrayItem(q, 0), 0)->valuedouble, 0, 0);
        CHECK_TRUE(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "_series"), "write-4KiB") != NULL);
        cJSON_Delete(j);
    }
    snprintf(p, sizeof p, "%s/c.write-4KiB.json", dir);
    struct stat sb;
    CHECK_EQ_I64(stat(p, &sb), 0);
    /* The files are what a scenario's {"empirical": FILE} reads. */
    snprintf(p, sizeof p, "%s/s.json", dir);
    CHECK_EQ_I64(tests_write_file(p,
        "{\"name\": \"calib-check\", \"duration\": \"1s\", \"regions\": {\"r\": {}},\n"
        " \"components\": [\n"
        "  {\"id\": \"c\", \"kind\": \"client\", \"region\": \"r\", \"mode\": \"closed\", \"to\": \"dn\"},\n"
        "  {\"id\": \"dn\", \"kind\": \"datanode\", \"region\": \"r\", \"disks\": \"d\"},\n"
        "  {\"id\": \"d\", \"kind\": \"disk\", \"region\": \"r\", \"access\": {\"empirical\": \"c.json\"}},\n"
        "  {\"id\": \"d2\", \"kind\": \"disk\", \"region\": \"r\", \"access\": {\"empirical\": \"c.write-4KiB.json\"}}]}\n"), 0);
    CHECK_EQ_I64(run(&out, &err, "validate s.json"), 0);
    free(out), free(err);
    /* --curve: the reads again at 2 and 4 in flight; the curve goes into the
     * read series' file and a disk using it is printed, which a scenario takes. */
    CHECK_EQ_I64(run(&out, &err, "calibrate --dir cal --out k.json --sizes 4KiB --ops 30 --keys 4 --only read --curve 2,4"),
                 0);
    CHECK_CONTAINS(out, "curve: 4 in flight");
    CHECK_CONTAINS(out, "disk: {\"kind\": \"disk\", \"access\": {\"empirical\": \"k.read-4KiB.json\"}, "
                        "\"bandwidth_curve\": [[1,");
    free(out), free(err);
    j = e2e_read_json_in(dir, "k.read-4KiB.json");
    cJSON *curve = j ? cJSON_GetObjectItem(j, "_curve") : NULL;
    CHECK_EQ_I64(cJSON_GetArraySize(curve), 3);
    for (int k = 0; k < cJSON_GetArraySize(curve); k++) {
        cJSON *pt = cJSON_GetArrayItem(curve, k);
        CHECK_NEAR(cJSON_GetArrayItem(pt, 0)->valuedouble, k == 0 ? 1 : 2 * k, 0);
        CHECK_TRUE(cJSON_GetArrayItem(pt, 1)->valuedouble > 0);
    }
    char *pts = curve ? cJSON_PrintUnformatted(curve) : NULL;
    snprintf(p, sizeof p, "%s/s2.json", dir);
    char scen[2048];
    snprintf(scen, sizeof scen,
             "{\"name\": \"calib-curve\", \"duration\": \"1s\", \"regions\": {\"r\": {}},\n"
             " \"components\": [\n"
             "  {\"id\": \"c\", \"kind\": \"client\", \"region\": \"r\", \"mode\": \"closed\", \"to\": \"dn\"},\n"
             "  {\"id\": \"dn\", \"kind\": \"datanode\", \"region\": \"r\", \"disks\": \"d\"},\n"
             "  {\"id\": \"d\", \"kind\": \"disk\", \"region\": \"r\", \"access\": {\"empirical\": \"k.read-4KiB.json\"},\n"
             "   \"bandwidth_curve\": %s, \"transfer_order\": \"fifo\"}]}\n", pts ? pts : "null");
    CHECK_EQ_I64(tests_write_file(p, scen), 0);
    CHECK_EQ_I64(run(&out, &err, "validate s2.json"), 0);
    free(out), free(err);
    free(pts);
    cJSON_Delete(j);
    CHECK_EQ_I64(run(&out, &err, "calibrate --dir cal --out w.json --sizes 4KiB --ops 30 --only write"), 0);
    CHECK_TRUE(strstr(out, "write-4KiB") && !strstr(out, "read-4KiB"));
    free(out), free(err);
    /* --journal: the writes again at 4 in flight; the gaps between their
     * completions are the journal series, whose mean is printed as the
     * disk's journal and whose file a disk can draw from. */
    CHECK_EQ_I64(run(&out, &err, "calibrate --dir cal --out jw.json --sizes 4KiB --ops 30 --only write --journal 4"), 0);
    CHECK_CONTAINS(out, "journal-4KiB");
    CHECK_CONTAINS(out, "4 writes in flight:");
    CHECK_CONTAINS(out, "disk: \"journal\": \"");
    free(out), free(err);
    j = e2e_read_json_in(dir, "jw.journal-4KiB.json");
    cJSON *jm = j ? cJSON_GetObjectItem(j, "_journal") : NULL;
    CHECK_NEAR(cJSON_GetNumberValue(cJSON_GetObjectItem(jm, "concurrency")), 4, 0);
    CHECK_TRUE(cJSON_GetNumberValue(cJSON_GetObjectItem(jm, "writes_per_s")) > 0);
    /* 30 writes, the first max(30 / 10, 4) left out: 25 gaps */
    CHECK_NEAR(cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "_fit"), "n")), 25, 0);
    cJSON_Delete(j);
    snprintf(p, sizeof p, "%s/s3.json", dir);
    CHECK_EQ_I64(tests_write_file(p,
        "{\"name\": \"calib-journal\", \"duration\": \"1s\", \"regions\": {\"r\": {}},\n"
        " \"components\": [\n"
        "  {\"id\": \"c\", \"kind\": \"client\", \"region\": \"r\", \"mode\": \"closed\", \"to\": \"dn\"},\n"
        "  {\"id\": \"dn\", \"kind\": \"datanode\", \"region\": \"r\", \"disks\": \"d\"},\n"
        "  {\"id\": \"d\", \"kind\": \"disk\", \"region\": \"r\", \"write\": {\"empirical\": \"jw.write-4KiB.json\"},\n"
        "   \"shared_bandwidth\": \"1GB/s\", \"journal\": {\"empirical\": \"jw.journal-4KiB.json\"}}]}\n"), 0);
    CHECK_EQ_I64(run(&out, &err, "validate s3.json"), 0);
    free(out), free(err);
    /* --spells: whether or not 30 writes hold a spell, the series says so
     * under "_spells", and the writes left are the series' n */
    CHECK_EQ_I64(run(&out, &err, "calibrate --dir cal --out sp.json --sizes 4KiB --ops 30 --only write --spells"), 0);
    CHECK_CONTAINS(out, "write-4KiB     spells: ");
    free(out), free(err);
    j = e2e_read_json_in(dir, "sp.write-4KiB.json");
    cJSON *sp = j ? cJSON_GetObjectItem(j, "_spells") : NULL;
    CHECK_TRUE(cJSON_IsNumber(cJSON_GetObjectItem(sp, "count")));
    CHECK_NEAR(cJSON_GetNumberValue(cJSON_GetObjectItem(sp, "ops")) +
                   cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "_fit"), "n")),
               30, 0);
    cJSON_Delete(j);
    CHECK_EQ_I64(run(&out, &err, "calibrate --dir cal --out c.json --sizes 4KiB --ops 30 --primary write-9MiB"), 2);
    CHECK_CONTAINS(err, "not a measured series");
    free(out), free(err);
    CHECK_EQ_I64(run(&out, &err, "calibrate --dir cal --out no/such/dir/c.json --sizes 4KiB --ops 30"), 1);
    CHECK_CONTAINS(err, "cannot write");
    free(out), free(err);
    teardown();
}

void test_e2e_chunkio_register(void)
{
    static const tests_case cases[] = {
        { "help_and_usage_errors", test_help_and_usage_errors },
        { "put_get_verify_repair", test_put_get_verify_repair },
        { "bench_and_calibrate", test_bench_and_calibrate },
        { NULL, NULL },
    };
    tests_add_suite("e2e_chunkio", cases);
}
