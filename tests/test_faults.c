/* tests/test_faults.c - the fault timeline: every action and target form,
 * malformed entries with their located errors, action ordering. */
#include <stdlib.h>
#include <string.h>

#include "models/faults.h"
#include "sim/errors.h"
#include "tests/harness.h"

enum { US = 0, EU = 1, AP = 2 };
static const char *const regions[] = { "us-east", "eu-west", "ap-south" };
#define SLOWCRASH (FAULTS_CAN_SLOW | FAULTS_CAN_CRASH)
static const faults_comp comps[] = {
    { "origin-1", "origin", "server", US, SLOWCRASH },                    /* 0 */
    { "origin-2", "origin", "server", US, SLOWCRASH },                    /* 1 */
    { "edge-1", "edge", "cdn_edge", US, SLOWCRASH | FAULTS_CAN_FLUSH },   /* 2 */
    { "edge-2", "edge", "cdn_edge", EU, SLOWCRASH | FAULTS_CAN_FLUSH },   /* 3 */
    { "edge-3", "edge", "cdn_edge", AP, SLOWCRASH | FAULTS_CAN_FLUSH },   /* 4 */
    { "disk-1", NULL, "disk", US, SLOWCRASH },                            /* 5 */
    { "lb", NULL, "lb", US, FAULTS_CAN_CRASH },                           /* 6 */
    { "users", NULL, "client", US, 0 },                                   /* 7 */
};
static const faults_world world = { comps, sizeof comps / sizeof *comps, regions, 3 };

/* Parses {"faults": <arr>}; returns the rc and the errors joined by '\n'. */
static int parse(const char *arr, faults *fs, char *errs_out, size_t len)
{
    char text[4096];
    snprintf(text, sizeof text, "{\"faults\": %s}", arr);
    conf_doc doc;
    conf_errors errs;
    conf_errors_init(&errs);
    int rc = conf_doc_parse(&doc, "t.json", text, strlen(text), &errs);
    if (rc == 0) rc = faults_parse(fs, &doc, cJSON_GetObjectItemCaseSensitive(doc.root, "faults"), &world, &errs);
    else fs->v = NULL, fs->n = 0;
    size_t k = 0;
    errs_out[0] = 0;
    for (size_t i = 0; i < errs.n && k < len; i++) k += (size_t)snprintf(errs_out + k, len - k, "%s\n", errs.msgs[i]);
    conf_errors_free(&errs);
    conf_doc_free(&doc);
    return rc;
}

static void test_crash_forms(void)
{
    faults fs;
    char err[2048];
    int rc = parse("[{\"at\": \"60s\", \"crash\": \"origin-2\", \"recover\": \"90s\"},"
                   " {\"at\": \"60s\", \"crash\": {\"group\": \"edge\", \"count\": 2}},"
                   " {\"at\": \"1min\", \"crash\": {\"region\": \"us-east\"}},"
                   " {\"at\": \"5s\", \"for\": \"2s\", \"crash\": [\"disk-1\", \"lb\", \"disk-1\"]},"
                   " {\"at\": \"5s\", \"until\": \"7s\", \"crash\": \"origin\", \"label\": \"both origins\"},"
                   " {\"at\": \"0\", \"crash\": {\"kind\": \"cdn_edge\", \"region\": \"eu-west\"}, \"refuse\": true}]",
                   &fs, err, sizeof err);
    CHECK_EQ_I64(rc, 0);
    CHECK_STR(err, "");
    CHECK_EQ_U64(fs.n, 6);
    if (fs.n != 6) { faults_free(&fs); return; }
    fault *f = &fs.v[0];
    CHECK_EQ_I64(f->kind, FAULT_CRASH);
    CHECK_EQ_I64(f->at, 60 * SIM_S);
    CHECK_EQ_I64(f->until, 90 * SIM_S);
    CHECK_EQ_U64(f->ntargets, 1);
    CHECK_EQ_U64(f->targets[0], 1);
    CHECK_STR(f->label, "crash origin-2");
    CHECK_STR(f->jpath, "faults[0]");
    f = &fs.v[1];
    CHECK_EQ_I64(f->until, FAULT_FOREVER);
    CHECK_EQ_U64(f->ntargets, 2);
    CHECK_EQ_U64(f->targets[0], 2);
    CHECK_EQ_U64(f->targets[1], 3);
    CHECK_STR(f->label, "crash 2 of group edge");
    /* a region: everything there that can crash, not the users */
    f = &fs.v[2];
    CHECK_EQ_U64(f->ntargets, 5);
    for (size_t i = 0; i < f->ntargets; i++) CHECK_TRUE(f->targets[i] != 7 && comps[f->targets[i]].region == US);
    CHECK_STR(f->label, "crash region us-east");
    f = &fs.v[3];
    CHECK_EQ_I64(f->until, 7 * SIM_S);
    CHECK_EQ_U64(f->ntargets, 2); /* disk-1 named twice counts once */
    CHECK_STR(f->label, "crash disk-1,lb,disk-1");
    f = &fs.v[4];
    CHECK_EQ_U64(f->ntargets, 2);
    CHECK_STR(f->label, "both origins");
    f = &fs.v[5];
    CHECK_EQ_I64(f->at, 0);
    CHECK_EQ_U64(f->ntargets, 1);
    CHECK_EQ_U64(f->targets[0], 3);
    CHECK_TRUE(f->refuse);
    CHECK_TRUE(!fs.v[0].refuse);
    faults_free(&fs);
}

static void test_other_actions(void)
{
    faults fs;
    char err[2048];
    int rc = parse("[{\"at\": \"30s\", \"until\": \"40s\", \"slow\": \"disk-1\", \"factor\": 3},"
                   " {\"at\": \"30s\", \"for\": \"10s\", \"slow\": {\"link\": [\"us-east\", \"eu-west\"]}, \"factor\": 5},"
                   " {\"at\": \"20s\", \"until\": \"50s\", \"partition\": [\"us-east\", \"eu-west\"]},"
                   " {\"at\": \"20s\", \"partition\": \"ap-south\"},"
                   " {\"at\": \"45s\", \"flush\": \"edge-1\"},"
                   " {\"at\": \"45s\", \"flush\": {\"region\": \"us-east\"}},"
                   " {\"at\": \"10s\", \"until\": \"70s\", \"degrade\": {\"link\": [\"us-east\", \"eu-west\"], \"loss\": \"5%\"}},"
                   " {\"at\": \"10s\", \"until\": \"70s\", \"degrade\": {\"link\": [\"ap-south\", \"ap-south\"], \"delay\": \"20ms\"}}]",
                   &fs, err, sizeof err);
    CHECK_EQ_I64(rc, 0);
    CHECK_STR(err, "");
    CHECK_EQ_U64(fs.n, 8);
    if (fs.n != 8) { faults_free(&fs); return; }
    CHECK_EQ_I64(fs.v[0].kind, FAULT_SLOW);
    CHECK_NEAR(fs.v[0].factor, 3, 0);
    CHECK_EQ_U64(fs.v[0].ntargets, 1);
    CHECK_EQ_U64(fs.v[0].targets[0], 5);
    CHECK_STR(fs.v[0].label, "slow disk-1 x3");
    CHECK_EQ_I64(fs.v[1].kind, FAULT_SLOW);
    CHECK_EQ_U64(fs.v[1].ntargets, 0);
    CHECK_EQ_I64(fs.v[1].link[0], US);
    CHECK_EQ_I64(fs.v[1].link[1], EU);
    CHECK_EQ_I64(fs.v[1].until, 40 * SIM_S);
    CHECK_STR(fs.v[1].label, "slow link us-east-eu-west x5");
    CHECK_EQ_I64(fs.v[2].kind, FAULT_PARTITION);
    CHECK_EQ_I64(fs.v[2].link[1], EU);
    CHECK_STR(fs.v[2].label, "partition us-east|eu-west");
    CHECK_EQ_I64(fs.v[3].link[0], AP);
    CHECK_EQ_I64(fs.v[3].link[1], -1);
    CHECK_EQ_I64(fs.v[3].until, FAULT_FOREVER);
    CHECK_EQ_I64(fs.v[4].kind, FAULT_FLUSH);
    CHECK_EQ_I64(fs.v[4].until, fs.v[4].at);
    CHECK_EQ_U64(fs.v[5].ntargets, 1); /* only edge-1 has a cache in us-east */
    CHECK_EQ_U64(fs.v[5].targets[0], 2);
    CHECK_EQ_I64(fs.v[6].kind, FAULT_DEGRADE);
    CHECK_NEAR(fs.v[6].loss, 0.05, 1e-12);
    CHECK_EQ_I64(fs.v[6].delay, 0);
    CHECK_EQ_I64(fs.v[7].delay, 20 * SIM_MS);
    CHECK_EQ_I64(fs.v[7].link[0], AP);
    CHECK_EQ_I64(fs.v[7].link[1], AP);
    faults_free(&fs);
}

/* Each malformed entry: the error names faults[i] (and the key) and says
 * what was expected. The good entry after a bad one is still read. */
static void test_malformed(void)
{
    static const struct { const char *entry, *want1, *want2; } cases[] = {
        { "\"crash origin-1\"", "t.json:1:13: faults[0]: expected a fault object", "found \"crash origin-1\"" },
        { "{\"crash\": \"origin-1\"}", "faults[0]: missing required key \"at\"", "" },
        { "{\"at\": \"60s\"}", "faults[0]: expected exactly one action", "found 0" },
        { "{\"at\": \"60s\", \"crash\": \"lb\", \"flush\": \"edge-1\"}", "expected exactly one action", "found 2" },
        { "{\"at\": \"60s\", \"crash\": \"origin-3\"}", "faults[0].crash: no component or group \"origin-3\"",
          "did you mean \"origin-1\"" },
        { "{\"at\": \"60s\", \"crash\": \"edg\"}", "no component or group \"edg\"", "did you mean \"edge\"" },
        { "{\"at\": \"60s\", \"crash\": [\"lb\", \"nope-9\"]}", "faults[0].crash[1]: no component or group \"nope-9\"", "" },
        { "{\"at\": \"60s\", \"crash\": [\"lb\", 7]}", "faults[0].crash[1]: expected a component id", "found 7" },
        { "{\"at\": \"60s\", \"crash\": []}", "faults[0].crash: expected at least one component id", "" },
        { "{\"at\": \"60s\", \"crash\": 3}", "faults[0].crash: expected a component id, a list of ids", "found 3" },
        { "{\"at\": \"60s\", \"crash\": \"users\"}", "\"users\" (a client) cannot crash", "" },
        { "{\"at\": \"60s\", \"crash\": {\"group\": \"edge\", \"count\": 4}}", "faults[0].crash.count: count asks for 4",
          "only 3 match" },
        { "{\"at\": \"60s\", \"crash\": {\"group\": \"edgy\"}}", "faults[0].crash.group: no component or group \"edgy\"",
          "did you mean \"edge\"" },
        { "{\"at\": \"60s\", \"crash\": {\"region\": \"us-west\"}}", "faults[0].crash.region: unknown region \"us-west\"",
          "did you mean \"us-east\"" },
        { "{\"at\": \"60s\", \"crash\": {\"kind\": \"dns\"}}", "faults[0].crash.kind: no component of kind \"dns\"", "" },
        { "{\"at\": \"60s\", \"crash\": {\"count\": 2}}", "expected at least one of \"group\", \"region\", \"kind\"", "" },
        { "{\"at\": \"60s\", \"crash\": {\"groop\": \"edge\"}}", "faults[0].crash.groop: unknown key", "did you mean \"group\"" },
        { "{\"at\": \"60s\", \"crash\": \"lb\", \"recover\": \"30s\"}", "faults[0].recover: expected a time after \"at\"",
          "absolute" },
        { "{\"at\": \"60s\", \"crash\": \"lb\", \"until\": \"60s\"}", "faults[0].until: expected a time after \"at\"", "" },
        { "{\"at\": \"60s\", \"crash\": \"lb\", \"for\": \"0\"}", "faults[0].for: expected a duration above 0", "" },
        { "{\"at\": \"60s\", \"crash\": \"lb\", \"for\": \"5s\", \"until\": \"90s\"}", "give only one of", "" },
        { "{\"at\": \"60s\", \"crash\": \"lb\", \"for\": \"5 parsecs\"}", "faults[0].for: ", "5 parsecs" },
        { "{\"at\": 60, \"crash\": \"lb\"}", "faults[0].at: expected a duration with a unit", "" },
        { "{\"at\": \"-5s\", \"crash\": \"lb\"}", "faults[0].at:", "" },
        { "{\"at\": \"60s\", \"crash\": \"lb\", \"factor\": 3}", "faults[0].factor: \"factor\" belongs to a slow fault", "" },
        { "{\"at\": \"60s\", \"slow\": \"disk-1\"}", "faults[0]: missing required key \"factor\"", "" },
        { "{\"at\": \"60s\", \"slow\": \"disk-1\", \"factor\": 0}", "faults[0].factor:", "" },
        { "{\"at\": \"60s\", \"slow\": \"disk-1\", \"factor\": \"3x\"}", "faults[0].factor:", "" },
        { "{\"at\": \"60s\", \"slow\": \"lb\", \"factor\": 2}", "\"lb\" (a lb) has no service time to slow down", "" },
        { "{\"at\": \"60s\", \"slow\": \"disk-1\", \"recover\": \"70s\", \"factor\": 2}",
          "faults[0].recover: \"recover\" ends a crash", "" },
        { "{\"at\": \"60s\", \"slow\": {\"link\": [\"us-east\"]}, \"factor\": 2}", "faults[0].slow.link: expected [\"region-a\", \"region-b\"]",
          "" },
        { "{\"at\": \"60s\", \"slow\": {\"link\": [\"us-east\", \"eu-west\"], \"group\": \"edge\"}, \"factor\": 2}",
          "a slow link takes only \"link\"", "" },
        { "{\"at\": \"60s\", \"partition\": [\"us-east\", \"us-east\"]}", "a partition needs two different regions", "" },
        { "{\"at\": \"60s\", \"partition\": [\"us-east\", \"mars\"]}", "faults[0].partition[1]: unknown region \"mars\"", "" },
        { "{\"at\": \"60s\", \"partition\": [\"us-east\", 3]}", "faults[0].partition[1]: expected a region name", "found 3" },
        { "{\"at\": \"60s\", \"partition\": {\"a\": 1}}", "faults[0].partition: expected a region name or [", "" },
        { "{\"at\": \"60s\", \"flush\": \"origin-1\"}", "\"origin-1\" (a server) has no cache to flush", "" },
        { "{\"at\": \"60s\", \"flush\": \"edge\", \"until\": \"70s\"}", "faults[0].until: a flush is instant", "" },
        { "{\"at\": \"60s\", \"flush\": {\"kind\": \"server\"}}", "faults[0].flush: no component matches (that has a cache)", "" },
        { "{\"at\": \"60s\", \"degrade\": \"us-east\"}", "faults[0].degrade: expected {\"link\"", "" },
        { "{\"at\": \"60s\", \"degrade\": {\"loss\": \"5%\"}}", "faults[0].degrade: missing required key \"link\"", "" },
        { "{\"at\": \"60s\", \"degrade\": {\"link\": [\"us-east\", \"eu-west\"]}}", "a degrade that changes nothing", "" },
        { "{\"at\": \"60s\", \"degrade\": {\"link\": [\"us-east\", \"eu-west\"], \"loss\": \"150%\"}}", "faults[0].degrade.loss:", "" },
        { "{\"at\": \"60s\", \"degrade\": {\"link\": [\"us-east\", \"eu-west\"], \"los\": \"5%\"}}",
          "faults[0].degrade.los: unknown key", "did you mean \"loss\"" },
        { "{\"at\": \"60s\", \"crash\": \"lb\", \"colour\": \"red\"}", "faults[0].colour: unknown key", "" },
        { "{\"at\": \"60s\", \"slow\": \"disk-1\", \"factor\": 2, \"refuse\": true}",
          "faults[0].refuse: \"refuse\" belongs to a crash, not a slow", "" },
        { "{\"at\": \"60s\", \"crash\": \"lb\", \"refuse\": \"yes\"}", "faults[0].refuse:", "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char arr[1024], err[2048];
        snprintf(arr, sizeof arr, "[%s, {\"at\": \"1s\", \"crash\": \"lb\"}]", cases[i].entry);
        faults fs;
        int rc = parse(arr, &fs, err, sizeof err);
        if (rc != SIM_EPARSE || !strstr(err, cases[i].want1) || !strstr(err, cases[i].want2))
            tests_fail(__FILE__, __LINE__, "case %zu %s: rc %d, errors:\n%s(want \"%s\" and \"%s\")", i, cases[i].entry, rc,
                       err, cases[i].want1, cases[i].want2);
        else
            CU_PASS("malformed");
        /* the good entry after it survives */
        CHECK_EQ_U64(fs.n, 1);
        if (fs.n == 1) CHECK_EQ_I64(fs.v[0].at, SIM_S);
        faults_free(&fs);
    }
}

static void test_not_an_array(void)
{
    faults fs;
    char err[1024];
    CHECK_EQ_I64(parse("{\"at\": \"1s\"}", &fs, err, sizeof err), SIM_EPARSE);
    CHECK_CONTAINS(err, "faults: expected an array of fault entries");
    faults_free(&fs);
    CHECK_EQ_I64(parse("[]", &fs, err, sizeof err), 0);
    CHECK_EQ_U64(fs.n, 0);
    faults_free(&fs);
    CHECK_EQ_I64(faults_parse(&fs, NULL, NULL, &world, NULL), 0);
    CHECK_EQ_U64(fs.n, 0);
}

/* Ordering: by time, ends before begins at the same time, file order;
 * flushes and endless faults have no end action. */
static void test_actions_order(void)
{
    faults fs;
    char err[2048];
    int rc = parse("[{\"at\": \"60s\", \"crash\": \"lb\", \"recover\": \"90s\"},"   /* 0 */
                   " {\"at\": \"90s\", \"crash\": \"lb\", \"for\": \"10s\"},"        /* 1: same instant as 0's end */
                   " {\"at\": \"10s\", \"flush\": \"edge\"},"                      /* 2 */
                   " {\"at\": \"60s\", \"partition\": \"ap-south\"},"              /* 3: endless */
                   " {\"at\": \"5s\", \"until\": \"90s\", \"slow\": \"disk-1\", \"factor\": 2}]", /* 4 */
                   &fs, err, sizeof err);
    CHECK_EQ_I64(rc, 0);
    fault_action *a;
    size_t n;
    CHECK_EQ_I64(faults_actions(&fs, &a, &n), 0);
    const struct { sim_time_t t; uint32_t f; bool end; } want[] = {
        { 5, 4, false }, { 10, 2, false }, { 60, 0, false }, { 60, 3, false },
        { 90, 0, true }, { 90, 4, true }, { 90, 1, false }, { 100, 1, true },
    };
    CHECK_EQ_U64(n, 8);
    for (size_t i = 0; i < n && i < 8; i++) {
        if (a[i].t != want[i].t * SIM_S || a[i].fault != want[i].f || a[i].end != want[i].end)
            tests_fail(__FILE__, __LINE__, "action %zu: t %lld fault %u end %d, want %lld %u %d", i, (long long)a[i].t,
                       a[i].fault, a[i].end, (long long)(want[i].t * SIM_S), want[i].f, want[i].end);
    }
    free(a);
    faults_free(&fs);
    faults empty = { NULL, 0 };
    CHECK_EQ_I64(faults_actions(&empty, &a, &n), 0);
    CHECK_EQ_U64(n, 0);
    CHECK_TRUE(a == NULL);
}

void test_faults_register(void)
{
    static const tests_case cases[] = {
        { "crash_forms", test_crash_forms },
        { "other_actions", test_other_actions },
        { "malformed", test_malformed },
        { "not_an_array", test_not_an_array },
        { "actions_order", test_actions_order },
        { NULL, NULL },
    };
    tests_add_suite("faults", cases);
}
