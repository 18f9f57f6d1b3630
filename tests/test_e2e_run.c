/* tests/test_e2e_run.c - bin/cdnsim run / validate / show end to end: the
 * demo writes its four files with the documented columns, runs are
 * deterministic, --set and --seed act, Ctrl-C leaves a partial summary, bad
 * scenarios exit 2 with located messages, show prints the request paths. */
#include <cjson/cJSON.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "models/client.h"
#include "sim/dist.h"
#include "tests/e2e.h"
#include "tests/harness.h"

/* The summary without the two lines that depend on the wall clock. */
static char *strip_wall(const char *s)
{
    char *o = malloc(strlen(s) + 1), *q = o;
    if (!o) return NULL;
    while (*s) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s + 1) : strlen(s);
        if (!memmem(s, len, "\"wall_s\"", 8) && !memmem(s, len, "\"events_per_s\"", 14)) {
            memcpy(q, s, len);
            q += len;
        }
        s += len;
    }
    *q = 0;
    return o;
}

/* A short demo: the scenario of `make demo` cut to 20 s (10 s under ASan). */
static const char *short_demo(void)
{
    return tests_under_asan() ? "--set duration=10s --set warmup=2s" : "--set duration=20s --set warmup=5s";
}

static void test_demo_files(void)
{
    char *dir = tests_mkdtemp();
    char args[8192], *out = NULL, *err = NULL;
    snprintf(args, sizeof args, "run scenarios/demo.json %s --out %s/d", short_demo(), dir);
    CHECK_EQ_I64(e2e_cdnsim(args, &out, &err), 0);
    CHECK_CONTAINS(out, "summary.json");
    char sub[4200];
    snprintf(sub, sizeof sub, "%s/d", dir);
    char *s = e2e_read_in(sub, "summary.json");
    CHECK_TRUE(s != NULL);
    if (s) {
        CHECK_CONTAINS(s, "\"schema\":\t\"cdnsim.summary/1\"");
        CHECK_CONTAINS(s, "\"sha256\":\t\"");
        CHECK_CONTAINS(s, "\"partial\":\tfalse");
        CHECK_CONTAINS(s, "\"throughput_rps\"");
        CHECK_CONTAINS(s, "\"p999\"");
        CHECK_CONTAINS(s, "\"GET\"");
        CHECK_CONTAINS(s, "\"edge-us-east-1\"");
        CHECK_CONTAINS(s, "\"hit_ratio\"");
        CHECK_CONTAINS(s, "\"byte_hit_ratio\"");
        CHECK_CONTAINS(s, "\"links\":\t[\"origin-lb\"]");
        CHECK_CONTAINS(s, "\"sim_s\":\t");
    }
    char *ts = e2e_read_in(sub, "timeseries.csv");
    CHECK_TRUE(ts != NULL);
    if (ts) {
        CHECK_TRUE(!strncmp(ts, "t_s,offered,completed,failed,timed_out,rejected,p50_ms,p99_ms,hit_ratio:edge-us-east-1,", 87));
        CHECK_CONTAINS(ts, ",util:gateway-1,queue:gateway-1,");
        CHECK_CONTAINS(ts, ",util:dn3-disk-6,queue:dn3-disk-6\n");
        /* one row per 1 s window: 20 (or 10) rows after the header */
        int lines = 0;
        for (char *p = ts; *p; p++) lines += *p == '\n';
        CHECK_EQ_I64(lines, tests_under_asan() ? 11 : 21);
    }
    char *lat = e2e_read_in(sub, "latency.csv");
    CHECK_TRUE(lat != NULL);
    if (lat) {
        CHECK_TRUE(!strncmp(lat, "q,latency_ms\n0.001,", 19));
        CHECK_CONTAINS(lat, "\n0.5,");
        CHECK_CONTAINS(lat, "\n0.99,");
        CHECK_CONTAINS(lat, "\n0.999,");
        CHECK_CONTAINS(lat, "\n1,");
    }
    char *ev = e2e_read_in(sub, "events.csv");
    CHECK_TRUE(ev && !strcmp(ev, "t_s,event,target,detail\n"));
    free(s);
    free(ts);
    free(lat);
    free(ev);
    free(out);
    free(err);
    tests_rmtree(dir);
    free(dir);
}

static void test_determinism(void)
{
    char *dir = tests_mkdtemp();
    char args[8192];
    char *a = NULL, *b = NULL, *c = NULL;
    for (int i = 0; i < 3; i++) {
        snprintf(args, sizeof args, "run scenarios/demo.json %s -q --no-report --out %s/r%d %s", short_demo(), dir, i,
                 i == 2 ? "--seed 2" : "");
        CHECK_EQ_I64(e2e_cdnsim(args, NULL, NULL), 0);
    }
    char sub[4200];
    snprintf(sub, sizeof sub, "%s/r0", dir);
    char *s0 = e2e_read_in(sub, "summary.json");
    snprintf(sub, sizeof sub, "%s/r1", dir);
    char *s1 = e2e_read_in(sub, "summary.json");
    snprintf(sub, sizeof sub, "%s/r2", dir);
    char *s2 = e2e_read_in(sub, "summary.json");
    CHECK_TRUE(s0 && s1 && s2);
    if (s0 && s1 && s2) {
        a = strip_wall(s0);
        b = strip_wall(s1);
        c = strip_wall(s2);
        /* the same seed: identical but for wall_s and events_per_s */
        CHECK_TRUE(a && b && !strcmp(a, b));
        CHECK_TRUE(strlen(a) + 2 < strlen(s0)); /* the two lines were there */
        /* another seed: different draws (this test can fail) */
        CHECK_TRUE(c && strcmp(a, c) != 0);
        CHECK_CONTAINS(c, "\"seed\":\t2,");
    }
    /* the time series too */
    snprintf(sub, sizeof sub, "%s/r0", dir);
    char *t0 = e2e_read_in(sub, "timeseries.csv");
    snprintf(sub, sizeof sub, "%s/r1", dir);
    char *t1 = e2e_read_in(sub, "timeseries.csv");
    CHECK_TRUE(t0 && t1 && !strcmp(t0, t1));
    free(t0);
    free(t1);
    free(a);
    free(b);
    free(c);
    free(s0);
    free(s1);
    free(s2);
    tests_rmtree(dir);
    free(dir);
}

static void test_set_and_default_out(void)
{
    char *dir = tests_mkdtemp();
    char args[8192], *out = NULL, *err = NULL;
    /* --set on a group changes every member; default output dir out/<name> */
    snprintf(args, sizeof args,
             "cd %s && %s run %s/scenarios/demo.json -q --set duration=3s --set warmup=1s "
             "--set components.edge.cache_size=1KiB",
             dir, tests_cdnsim_bin()[0] == '/' ? tests_cdnsim_bin() : "$OLDPWD/bin/cdnsim", getenv("PWD"));
    int rc = tests_run(args, &out, &err);
    CHECK_EQ_I64(rc, 0);
    CHECK_CONTAINS(out, "out/demo/summary.json");
    char sub[4200];
    snprintf(sub, sizeof sub, "%s/out/demo", dir);
    char *s = e2e_read_in(sub, "summary.json");
    CHECK_TRUE(s != NULL);
    if (s) {
        CHECK_CONTAINS(s, "\"sim_s\":\t3.000000");
        /* a 1 KiB cache holds no photo: every request misses */
        CHECK_CONTAINS(s, "\"hit_ratio\":\t0.000000");
    }
    free(s);
    free(out);
    free(err);
    /* the default directory is one safe path component made from the name (the
     * scenario layer already rejects separators and ".."; this is the second line) */
    char path[4200];
    snprintf(path, sizeof path, "%s/n.json", dir);
    CHECK_EQ_I64(tests_write_file(path, "{\"name\": \"x y\", \"duration\": \"1s\", \"regions\": {\"a\": {}}, "
                                        "\"components\": [{\"id\": \"c\", \"kind\": \"client\", \"region\": \"a\", "
                                        "\"to\": \"s\"}, {\"id\": \"s\", \"kind\": \"server\", \"region\": \"a\"}]}"), 0);
    snprintf(args, sizeof args, "cd %s && %s run -q --no-report n.json", dir,
             tests_cdnsim_bin()[0] == '/' ? tests_cdnsim_bin() : "$OLDPWD/bin/cdnsim");
    CHECK_EQ_I64(tests_run(args, &out, NULL), 0);
    CHECK_CONTAINS(out, "out/x_y/summary.json");
    free(out);
    tests_rmtree(dir);
    free(dir);
}

static void test_sigint_partial(void)
{
    char *dir = tests_mkdtemp();
    char args[8192], *out = NULL, *err = NULL;
    snprintf(args, sizeof args,
             "%s run scenarios/demo.json -q --no-report --set duration=2h --out %s/p & pid=$!; "
             /* wait (up to 20 s) until the run catches SIGINT (value 2 in the last
              * hex digit of SigCgt): a loaded machine may take long to start it */
             "i=0; while [ $i -lt 200 ]; do m=$(sed -n 's/^SigCgt:[[:space:]]*//p' /proc/$pid/status); "
             "[ -n \"$m\" ] && [ $(( 0x${m#${m%%?}} & 2 )) -ne 0 ] && break; sleep 0.1; i=$((i+1)); done; "
             "sleep 0.5; kill -INT $pid; wait $pid",
             tests_cdnsim_bin(), dir);
    int rc = tests_run(args, &out, &err);
    CHECK_EQ_I64(rc, 1);
    CHECK_CONTAINS(out, "interrupted, partial summary");
    char sub[4200];
    snprintf(sub, sizeof sub, "%s/p", dir);
    char *s = e2e_read_in(sub, "summary.json");
    CHECK_TRUE(s != NULL);
    if (s) CHECK_CONTAINS(s, "\"partial\":\ttrue");
    char *ev = e2e_read_in(sub, "events.csv");
    if (ev) CHECK_CONTAINS(ev, ",interrupted,");
    free(ev);
    free(s);
    free(out);
    free(err);
    tests_rmtree(dir);
    free(dir);
}

typedef struct {
    const char *what;
    const char *json;      /* the scenario */
    const char *expect;    /* in stderr */
} bad_case;

#define HEAD "{\"name\": \"bad\", \"duration\": \"10s\", \"regions\": {\"a\": {}, \"b\": {}}, \"components\": ["
#define CL "{\"id\": \"c\", \"kind\": \"client\", \"region\": \"a\", \"to\": \"s\"}"
#define SRV "{\"id\": \"s\", \"kind\": \"server\", \"region\": \"a\"}"

static const bad_case bad_cases[] = {
    { "dangling reference", HEAD "{\"id\": \"c\", \"kind\": \"client\", \"region\": \"a\", \"to\": \"srv\"}, " SRV "]}",
      "components[0].to: no component with id \"srv\"" },
    { "cycle", HEAD CL ", {\"id\": \"s\", \"kind\": \"server\", \"region\": \"a\", \"next\": \"t\"}, "
               "{\"id\": \"t\", \"kind\": \"server\", \"region\": \"a\", \"next\": \"s\"}]}",
      "cycle in the component graph: s -> t -> s" },
    { "self reference", HEAD CL ", {\"id\": \"s\", \"kind\": \"server\", \"region\": \"a\", \"next\": \"s\"}]}",
      "components[1].next: \"s\" refers to itself" },
    { "unknown key", HEAD CL ", {\"id\": \"s\", \"kind\": \"server\", \"region\": \"a\", \"servrs\": 2}]}",
      "components[1].servrs: unknown key (did you mean \"servers\"?)" },
    { "negative size", HEAD CL ", {\"id\": \"s\", \"kind\": \"cdn_edge\", \"region\": \"a\", \"cache_size\": \"-5GiB\", "
                       "\"upstream\": \"o\"}, {\"id\": \"o\", \"kind\": \"server\", \"region\": \"a\"}]}",
      "components[1].cache_size" },
    { "wrong type", HEAD "{\"id\": \"c\", \"kind\": \"client\", \"region\": \"a\", \"to\": \"s\", \"rate\": true}, " SRV "]}",
      "components[0].rate" },
    { "unknown region", HEAD CL ", {\"id\": \"s\", \"kind\": \"server\", \"region\": \"us-east\"}]}",
      "components[1].region: unknown region \"us-east\"" },
    { "bad enum", HEAD "{\"id\": \"c\", \"kind\": \"client\", \"region\": \"a\", \"to\": \"l\"}, "
                  "{\"id\": \"l\", \"kind\": \"lb\", \"region\": \"a\", \"policy\": \"fastest\", \"backends\": \"s\"}, " SRV "]}",
      "components[1].policy" },
    { "missing required", HEAD "{\"id\": \"c\", \"kind\": \"client\", \"region\": \"a\"}, " SRV "]}",
      "missing required key \"to\"" },
    { "no client", HEAD SRV "]}", "no client" },
    { "zero servers", HEAD CL ", {\"id\": \"s\", \"kind\": \"server\", \"region\": \"a\", \"servers\": 0}]}",
      "components[1].servers" },
    { "unknown network region", "{\"name\": \"bad\", \"duration\": \"10s\", \"regions\": {\"a\": {}}, \"network\": "
                                "{\"pairs\": [{\"between\": [\"a\", \"x\"], \"delay\": \"5ms\"}]}, \"components\": [" CL ", " SRV "]}",
      "network.pairs[0]: between: unknown region \"x\"" },
    { "bad delay", "{\"name\": \"bad\", \"duration\": \"10s\", \"regions\": {\"a\": {}}, \"network\": "
                   "{\"same_region\": {\"delay\": \"5 parsecs\"}}, \"components\": [" CL ", " SRV "]}",
      "network.same_region.delay" },
    { "truncated", HEAD CL ", {\"id\": \"s\", \"kind\": \"ser", "bad.json:1:" },
    { "faults not yet", "{\"name\": \"bad\", \"duration\": \"10s\", \"regions\": {\"a\": {}}, \"faults\": [{\"at\": \"1s\"}], "
                        "\"components\": [" CL ", " SRV "]}",
      "faults" },
    { "pairs not a list", "{\"name\": \"bad\", \"duration\": \"10s\", \"regions\": {\"a\": {}}, \"network\": "
                          "{\"pairs\": {\"between\": [\"a\", \"a\"]}}, \"components\": [" CL ", " SRV "]}",
      "network.pairs: expected a list" },
    { "between of one", "{\"name\": \"bad\", \"duration\": \"10s\", \"regions\": {\"a\": {}, \"b\": {}}, \"network\": "
                        "{\"pairs\": [{\"between\": [\"a\"], \"delay\": \"5ms\"}]}, \"components\": [" CL ", " SRV "]}",
      "network.pairs[0].between: expected two region names" },
    { "region settings", "{\"name\": \"bad\", \"duration\": \"10s\", \"regions\": {\"a\": {\"zone\": 1}}, "
                         "\"components\": [" CL ", " SRV "]}",
      "regions.a: expected {}" },
    { "workload not a client", "{\"name\": \"bad\", \"duration\": \"10s\", \"regions\": {\"a\": {}}, "
                               "\"workload\": {\"u\": {\"region\": \"a\", \"to\": \"s\", \"rat\": \"5/s\"}}, "
                               "\"components\": [" SRV "]}",
      "workload.u.rat: unknown key (did you mean \"rate\"?)" },
    { "bad report window", "{\"name\": \"bad\", \"duration\": \"10s\", \"regions\": {\"a\": {}}, \"report\": {\"windw\": \"1s\"}, "
                           "\"components\": [" CL ", " SRV "]}",
      "report.windw: unknown key (did you mean \"window\"?)" },
};

static void test_validate_errors(void)
{
    char *dir = tests_mkdtemp();
    char path[4200], args[8192];
    snprintf(path, sizeof path, "%s/bad.json", dir);
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        const bad_case *bc = &bad_cases[i];
        CHECK_EQ_I64(tests_write_file(path, bc->json), 0);
        char *out = NULL, *err = NULL;
        snprintf(args, sizeof args, "validate %s", path);
        int rc = e2e_cdnsim(args, &out, &err);
        if (rc != 2) fprintf(stderr, "\n    case \"%s\": exit %d, stderr: %s\n", bc->what, rc, err);
        CHECK_EQ_I64(rc, 2);
        CHECK_CONTAINS(err, bc->expect);
        CHECK_CONTAINS(err, "bad.json:");
        /* run refuses it the same way */
        free(out);
        free(err);
        snprintf(args, sizeof args, "run -q --no-report %s --out %s/o", path, dir);
        CHECK_EQ_I64(e2e_cdnsim(args, NULL, NULL), 2);
    }
    /* and a good one passes */
    char *out = NULL;
    CHECK_EQ_I64(e2e_cdnsim("validate scenarios/demo.json", &out, NULL), 0);
    CHECK_CONTAINS(out, "ok: scenarios/demo.json (36 components, 3 regions)");
    free(out);
    tests_rmtree(dir);
    free(dir);
}

static void test_usage_errors(void)
{
    char *err = NULL;
    CHECK_EQ_I64(e2e_cdnsim("run", NULL, &err), 2);
    CHECK_CONTAINS(err, "missing SCENARIO");
    free(err);
    CHECK_EQ_I64(e2e_cdnsim("run scenarios/demo.json --seed -3", NULL, &err), 2);
    CHECK_CONTAINS(err, "--seed expects a non-negative integer");
    free(err);
    CHECK_EQ_I64(e2e_cdnsim("run scenarios/demo.json --frobnicate", NULL, &err), 2);
    CHECK_CONTAINS(err, "unknown option \"--frobnicate\"");
    free(err);
    CHECK_EQ_I64(e2e_cdnsim("run scenarios/demo.json --set duration", NULL, &err), 2);
    CHECK_CONTAINS(err, "--set expects PATH=VALUE");
    free(err);
    CHECK_EQ_I64(e2e_cdnsim("validate no/such/file.json", NULL, &err), 2);
    CHECK_CONTAINS(err, "no/such/file.json");
    free(err);
    char *out = NULL;
    const char *cmds[] = { "run", "validate", "show" };
    for (int i = 0; i < 3; i++) {
        char a[64];
        snprintf(a, sizeof a, "%s --help", cmds[i]);
        CHECK_EQ_I64(e2e_cdnsim(a, &out, NULL), 0);
        CHECK_CONTAINS(out, "usage: cdnsim ");
        CHECK_CONTAINS(out, "exit codes");
        free(out);
    }
}

static void test_show_paths(void)
{
    char *out = NULL, *err = NULL;
    CHECK_EQ_I64(e2e_cdnsim("show scenarios/demo.json", &out, &err), 0);
    /* the effective scenario: defaults filled in, count expanded */
    CHECK_CONTAINS(out, "\"id\":\t\"edge-eu-west-2\"");
    CHECK_CONTAINS(out, "\"policy\":\t\"lru\"");
    CHECK_CONTAINS(out, "request paths");
    CHECK_CONTAINS(out, "users-us[us-east] -> dns -> edge[us-east] x2 -> origin-lb[us-east] -> gateway[us-east] x3 -> "
                        "{metadata[us-east], datanode[us-east] x3 -> dn1-disk x6}");
    CHECK_CONTAINS(out, "users-ap[ap-south] -> dns -> edge[ap-south] x2 -> origin-lb[us-east]");
    free(out);
    free(err);
    CHECK_EQ_I64(e2e_cdnsim("show scenarios/demo.json --paths --set components.users-eu.to=origin-lb", &out, &err), 0);
    CHECK_CONTAINS(out, "users-eu[eu-west] -> origin-lb[us-east] -> ");
    free(out);
    free(err);
    CHECK_EQ_I64(e2e_cdnsim("show --kinds", &out, NULL), 0);
    CHECK_CONTAINS(out, "### `cdn_edge`");
    CHECK_CONTAINS(out, "cache_size");
    free(out);
}

/* --trace-sample N: every N-th request's path through the graph, one JSON
 * object per line, in trace.jsonl. */
static void test_trace_sample(void)
{
    char *dir = tests_mkdtemp();
    char args[8192];
    snprintf(args, sizeof args,
             "run scenarios/demo.json -q --no-report --set duration=3s --set warmup=1s --trace-sample 500 --out %s/t", dir);
    CHECK_EQ_I64(e2e_cdnsim(args, NULL, NULL), 0);
    char sub[4200];
    snprintf(sub, sizeof sub, "%s/t", dir);
    char *tr = e2e_read_in(sub, "trace.jsonl");
    CHECK_TRUE(tr != NULL);
    if (tr) {
        int lines = 0;
        for (char *p = tr; *p; p++) lines += *p == '\n';
        /* ~3000 requests/s for 3 s, ids 0, 500, 1000, ...: about 18 */
        CHECK_TRUE(lines >= 14 && lines <= 22);
        CHECK_TRUE(!strncmp(tr, "{\"id\":0,", 8));
        CHECK_CONTAINS(tr, "\"do\":\"arrive\"");
        CHECK_CONTAINS(tr, "\"c\":\"dns\"");
        CHECK_CONTAINS(tr, "\"wait_ms\":");
        CHECK_CONTAINS(tr, "\"do\":\"hit\"");
        CHECK_CONTAINS(tr, "\"do\":\"miss\"");
    }
    free(tr);
    /* a later run into the same directory without tracing removes it */
    snprintf(args, sizeof args, "run scenarios/demo.json -q --no-report --set duration=2s --set warmup=1s --out %s/t", dir);
    CHECK_EQ_I64(e2e_cdnsim(args, NULL, NULL), 0);
    tr = e2e_read_in(sub, "trace.jsonl");
    CHECK_TRUE(tr == NULL);
    free(tr);
    char *err = NULL;
    /* "-5" once read an unset end pointer (UBSan caught it); a sign, a space
     * or an overflow is refused like 0 */
    static const char *const bad[] = { "0", "-5", "+5", "' 5'", "5x", "99999999999999999999", "''" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "run scenarios/demo.json --trace-sample %s", bad[i]);
        err = NULL;
        CHECK_EQ_I64(e2e_cdnsim(cmd, NULL, &err), 2);
        CHECK_CONTAINS(err, "--trace-sample expects");
        free(err);
    }
    tests_rmtree(dir);
    free(dir);
}

/* A gamma size distribution's quantile is slow (~2 us), so the client
 * remembers sizes in a direct-mapped memo (models/client.c). The memo must
 * change nothing: every traced request's size is client_object_size's for
 * its object. A million objects, so that the memo's 65536 slots collide, and
 * Zipf 0.9, so that popular objects come back to their slots. */
static void test_gamma_sizes_memo(void)
{
    char *dir = tests_mkdtemp();
    char args[8192];
    snprintf(args, sizeof args,
             "run scenarios/demo.json -q --no-report --set duration=10s --set warmup=1s "
             "--set defaults.client.objects=1000000 --set 'defaults.client.size={\"gamma\": {\"shape\": 2, "
             "\"scale\": \"250KiB\"}}' --trace-sample 5 --out %s/t",
             dir);
    CHECK_EQ_I64(e2e_cdnsim(args, NULL, NULL), 0);
    char sub[4200];
    snprintf(sub, sizeof sub, "%s/t", dir);
    char *tr = e2e_read_in(sub, "trace.jsonl");
    CHECK_TRUE(tr != NULL);
    sim_dist d;
    CHECK_EQ_I64(sim_dist_gamma(&d, 2, 256000), 0);
    int lines = 0, wrong = 0;
    for (char *l = tr, *nl; l && *l; l = nl ? nl + 1 : NULL) {
        nl = strchr(l, '\n');
        if (nl) *nl = '\0';
        cJSON *j = cJSON_Parse(l);
        const cJSON *o = cJSON_GetObjectItem(j, "object"), *z = cJSON_GetObjectItem(j, "size");
        lines++;
        if (!cJSON_IsNumber(o) || !cJSON_IsNumber(z) ||
            (uint64_t)z->valuedouble != client_object_size(&d, (uint64_t)o->valuedouble)) {
            if (wrong++ == 0) fprintf(stderr, "\n    first wrong line: %.200s\n", l);
        }
        cJSON_Delete(j);
    }
    /* ~3000 requests/s for 10 s, every 5th: about 6000 */
    CHECK_TRUE(lines > 5000 && lines < 7000);
    CHECK_EQ_I64(wrong, 0);
    sim_dist_free(&d);
    free(tr);
    tests_rmtree(dir);
    free(dir);
}

static double json_num(const cJSON *o, const char *a, const char *b, const char *c)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, a);
    if (x && b) x = cJSON_GetObjectItemCaseSensitive(x, b);
    if (x && c) x = cJSON_GetObjectItemCaseSensitive(x, c);
    return cJSON_IsNumber(x) ? x->valuedouble : NAN;
}

/* scenarios/lb-policies.json tells a student that least connections beats
 * round robin when one backend is slower; check that the run shows it. */
static void test_lb_policies_story(void)
{
    char *dir = tests_mkdtemp();
    char args[8192];
    double p99[2] = { NAN, NAN }, old_util[2] = { NAN, NAN };
    const char *pol[2] = { "round_robin", "least_connections" };
    for (int i = 0; i < 2; i++) {
        snprintf(args, sizeof args, "run scenarios/lb-policies.json -q --no-report %s --set components.lb.policy=%s --out %s/%d",
                 tests_under_asan() ? "--set duration=40s" : "", pol[i], dir, i);
        CHECK_EQ_I64(e2e_cdnsim(args, NULL, NULL), 0);
        char sub[4200];
        snprintf(sub, sizeof sub, "%s/%d", dir, i);
        char *text = e2e_read_in(sub, "summary.json");
        cJSON *j = text ? cJSON_Parse(text) : NULL;
        CHECK_TRUE(j != NULL);
        if (j) {
            p99[i] = json_num(j, "latency_ms", "p99", NULL);
            old_util[i] = json_num(j, "components", "old", "utilization");
        }
        cJSON_Delete(j);
        free(text);
    }
    /* round robin: the old server gets a third, 600/s x 1.5 ms = 0.9 busy
     * (over 30-110 s at this load the estimate's error is well under 0.03) */
    CHECK_NEAR(old_util[0], 0.9, 0.03);
    /* least connections moves load off it, and the tail shrinks at least 2x */
    CHECK_TRUE(old_util[1] < 0.85);
    CHECK_TRUE(p99[1] * 2 < p99[0]);
    tests_rmtree(dir);
    free(dir);
}

/* docs/models.md ends with the output of `cdnsim show --kinds`, so the
 * documented parameters are the ones the code reads. */
static void test_models_doc_in_sync(void)
{
    char *out = NULL;
    CHECK_EQ_I64(e2e_cdnsim("show --kinds", &out, NULL), 0);
    char *doc = tests_read_file("docs/models.md", NULL);
    CHECK_TRUE(doc != NULL);
    const char *marker = "<!-- generated by `cdnsim show --kinds`: do not edit below -->\n\n";
    const char *at = doc ? strstr(doc, marker) : NULL;
    CHECK_TRUE(at != NULL);
    if (at && out) {
        int same = !strcmp(at + strlen(marker), out);
        if (!same) fprintf(stderr, "\n    docs/models.md is stale: run tests/regen_models_doc.sh\n");
        CHECK_TRUE(same);
    }
    free(doc);
    free(out);
}

void test_e2e_run_register(void)
{
    static const tests_case cases[] = {
        { "demo_files", test_demo_files },
        { "determinism", test_determinism },
        { "set_and_default_out", test_set_and_default_out },
        { "sigint_partial", test_sigint_partial },
        { "gamma_sizes_memo", test_gamma_sizes_memo },
        { "validate_errors", test_validate_errors },
        { "usage_errors", test_usage_errors },
        { "show_paths", test_show_paths },
        { "lb_policies_story", test_lb_policies_story },
        { "trace_sample", test_trace_sample },
        { "models_doc_in_sync", test_models_doc_in_sync },
        { NULL, NULL },
    };
    tests_add_suite("e2e_run", cases);
}
