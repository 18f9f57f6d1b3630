/* tests/test_scenario.c - scenario files: sections, defaults, count, --set,
 * ids, kinds, the effective JSON, malformed files under
 * tests/data/scenarios/bad/ (each with its exact located messages), and a
 * fuzz loop of truncations and byte flips that must never crash. */
#include <stddef.h>
#include <stdlib.h>

#include "app/scenario.h"
#include "app/sha256.h"
#include "sim/errors.h"
#include "sim/rng.h"
#include "tests/harness.h"

/* The photo scenario in miniature. Line numbers matter to the tests below. */
static const char good[] =
    "{\n"                                                                                     /* 1 */
    "  \"name\": \"photo\",\n"                                                                /* 2 */
    "  \"description\": \"browser -> edge -> lb -> origin\",\n"                               /* 3 */
    "  \"duration\": \"5min\",\n"                                                             /* 4 */
    "  \"warmup\": \"30s\",\n"                                                                /* 5 */
    "  \"regions\": {\"us-east\": {}, \"eu-west\": {}},\n"                                    /* 6 */
    "  \"network\": {\"same_region\": \"1ms\"}, \"_comment\": \"keys with _ are comments\",\n" /* 7 */
    "  \"defaults\": {\"_why\": \"shared by every edge\",\n"                                  /* 8 */
    "    \"cdn_edge\": {\"cache\": {\"size\": \"10GiB\", \"policy\": \"lru\"}, \"service\": {\"exp\": \"1ms\"}}\n" /* 9 */
    "  },\n"                                                                                  /* 10 */
    "  \"components\": [\n"                                                                   /* 11 */
    "    {\"id\": \"edge\", \"kind\": \"cdn_edge\", \"region\": [\"us-east\", \"eu-west\"], \"count\": 2,\n" /* 12 */
    "     \"cache\": {\"size\": \"20GiB\"}, \"service\": {\"const\": \"2ms\"}},\n"            /* 13 */
    "    {\"id\": \"lb\", \"kind\": \"lb\", \"region\": \"us-east\", \"to\": \"origin\"},\n"  /* 14 */
    "    {\"id\": \"origin\", \"kind\": \"gateway\", \"region\": \"us-east\", \"count\": 3},\n" /* 15 */
    "    {\"id\": \"solo\", \"kind\": \"cdn_edge\", \"region\": \"eu-west\", \"_note\": \"all defaults\"}\n" /* 16 */
    "  ],\n"                                                                                  /* 17 */
    "  \"workload\": {\"rate\": \"2000/s\"},\n"                                               /* 18 */
    "  \"faults\": [],\n"                                                                     /* 19 */
    "  \"report\": {}\n"                                                                      /* 20 */
    "}\n";

static int load_good(scenario *s, const char *const *sets, size_t nsets, conf_errors *e)
{
    return scenario_parse(s, "photo.json", NULL, good, sizeof good - 1, sets, nsets, e);
}

static void test_load_good(void)
{
    scenario s;
    conf_errors e;
    conf_errors_init(&e);
    CHECK_EQ_I64(load_good(&s, NULL, 0, &e), 0);
    CHECK_EQ_U64(e.n, 0);
    if (e.n) tests_fail(__FILE__, __LINE__, "%s", tests_errors_joined(&e));
    CHECK_STR(s.name, "photo");
    CHECK_STR(s.description, "browser -> edge -> lb -> origin");
    CHECK_EQ_U64(s.seed, 1); /* default */
    CHECK_EQ_I64(s.duration, 300 * SIM_S);
    CHECK_EQ_I64(s.warmup, 30 * SIM_S);
    char hex[65];
    app_sha256_hex(good, sizeof good - 1, hex);
    CHECK_STR(s.sha256, hex);
    CHECK_TRUE(cJSON_IsObject(s.regions) && cJSON_IsObject(s.network) && cJSON_IsObject(s.workload));
    CHECK_TRUE(cJSON_IsArray(s.faults) && cJSON_IsObject(s.report) && cJSON_IsObject(s.defaults));

    /* 2 regions x 2 edges, 1 lb, 3 origins, 1 solo edge, in file order. */
    const char *ids[] = { "edge-us-east-1", "edge-us-east-2", "edge-eu-west-1", "edge-eu-west-2", "lb",
                          "origin-1", "origin-2", "origin-3", "solo" };
    const char *regions[] = { "us-east", "us-east", "eu-west", "eu-west", "us-east", "us-east", "us-east",
                              "us-east", "eu-west" };
    const unsigned replicas[] = { 1, 2, 1, 2, 0, 1, 2, 3, 0 };
    CHECK_EQ_U64(s.ncomps, 9);
    for (size_t i = 0; i < s.ncomps && i < 9; i++) {
        CHECK_STR(s.comps[i].id, ids[i]);
        CHECK_STR(s.comps[i].region, regions[i]);
        CHECK_EQ_U64(s.comps[i].replica, replicas[i]);
        /* the member's node carries its own id and region, no count */
        CHECK_STR(cJSON_GetObjectItem(s.comps[i].node, "id")->valuestring, ids[i]);
        CHECK_STR(cJSON_GetObjectItem(s.comps[i].node, "region")->valuestring, regions[i]);
        CHECK_TRUE(cJSON_GetObjectItem(s.comps[i].node, "count") == NULL);
    }
    CHECK_STR(s.comps[0].group, "edge");
    CHECK_STR(s.comps[0].kind, "cdn_edge");
    CHECK_STR(s.comps[0].jpath, "components[0]");
    CHECK_STR(s.comps[4].group, "lb");
    CHECK_STR(s.comps[8].jpath, "components[3]");

    /* Defaults merged key by key under the component; its own keys win, and
     * a distribution replaces the default's whole. */
    const cJSON *cache = cJSON_GetObjectItem(s.comps[2].node, "cache");
    CHECK_STR(cJSON_GetObjectItem(cache, "size")->valuestring, "20GiB");
    CHECK_STR(cJSON_GetObjectItem(cache, "policy")->valuestring, "lru");
    const cJSON *svc = cJSON_GetObjectItem(s.comps[2].node, "service");
    CHECK_TRUE(cJSON_GetObjectItem(svc, "const") && !cJSON_GetObjectItem(svc, "exp"));
    const cJSON *solo_cache = cJSON_GetObjectItem(s.comps[8].node, "cache");
    CHECK_STR(cJSON_GetObjectItem(solo_cache, "size")->valuestring, "10GiB");
    CHECK_TRUE(cJSON_GetObjectItem(s.comps[4].node, "cache") == NULL); /* lb has no defaults */

    /* Positions: inherited values point where they were written. */
    int l, c;
    conf_doc_pos(&s.doc, cJSON_GetObjectItem(cache, "size"), &l, &c);
    CHECK_EQ_I64(l, 13);
    CHECK_EQ_I64(c, 24);
    conf_doc_pos(&s.doc, cJSON_GetObjectItem(cache, "policy"), &l, &c);
    CHECK_EQ_I64(l, 9); /* from defaults */
    CHECK_EQ_I64(c, 55);
    conf_doc_pos(&s.doc, cJSON_GetObjectItem(s.comps[3].node, "region"), &l, &c);
    CHECK_EQ_I64(l, 12); /* the "eu-west" inside the list */
    CHECK_EQ_I64(c, 62);
    conf_doc_pos(&s.doc, cJSON_GetObjectItem(s.comps[3].node, "id"), &l, &c);
    CHECK_EQ_I64(l, 12);
    CHECK_EQ_I64(c, 12);

    /* References. */
    size_t idx[8];
    CHECK_EQ_U64(scenario_resolve(&s, "lb", idx, 8), 1);
    CHECK_EQ_U64(idx[0], 4);
    CHECK_EQ_U64(scenario_resolve(&s, "edge", idx, 8), 4);
    CHECK_EQ_U64(idx[3], 3);
    CHECK_EQ_U64(scenario_resolve(&s, "origin", idx, 2), 3); /* total, though only 2 written */
    CHECK_EQ_U64(scenario_resolve(&s, "origin-2", idx, 8), 1);
    CHECK_EQ_U64(idx[0], 6);
    CHECK_EQ_U64(scenario_resolve(&s, "nowhere", idx, 8), 0);
    CHECK_EQ_U64(scenario_resolve(&s, "edge", NULL, 0), 4);
    CHECK_EQ_I64(scenario_find(&s, "solo"), 8);
    CHECK_EQ_I64(scenario_find(&s, "edge"), -1);

    /* Kinds: the runtime's list. */
    const char *kinds[] = { "cdn_edge", "lb", "gateway", NULL };
    CHECK_EQ_I64(scenario_check_kinds(&s, kinds, &e), 0);
    const char *kinds2[] = { "cdn_edge", "lb", "gatway", NULL };
    CHECK_EQ_I64(scenario_check_kinds(&s, kinds2, &e), SIM_EPARSE);
    CHECK_STR(tests_errors_joined(&e), "photo.json:15:30: components[2].kind: unknown kind \"gateway\" (did you mean \"gatway\"?)\n");

    /* The effective scenario. */
    cJSON *eff = scenario_effective_json(&s);
    CHECK_TRUE(eff != NULL);
    if (eff) {
        CHECK_STR(cJSON_GetObjectItem(eff, "duration")->valuestring, "5min");
        CHECK_STR(cJSON_GetObjectItem(eff, "warmup")->valuestring, "30s");
        CHECK_EQ_I64(cJSON_GetObjectItem(eff, "seed")->valuedouble, 1);
        CHECK_EQ_I64(cJSON_GetArraySize(cJSON_GetObjectItem(eff, "components")), 9);
        CHECK_TRUE(cJSON_GetObjectItem(eff, "defaults") == NULL);
        CHECK_TRUE(cJSON_GetObjectItem(eff, "workload") != NULL);
        char *t = cJSON_PrintUnformatted(cJSON_GetArrayItem(cJSON_GetObjectItem(eff, "components"), 1));
        CHECK_STR(t, "{\"id\":\"edge-us-east-2\",\"kind\":\"cdn_edge\",\"region\":\"us-east\",\"cache\":{\"size\":\"20GiB\","
                     "\"policy\":\"lru\"},\"service\":{\"const\":\"2ms\"}}");
        free(t);
        cJSON_Delete(eff);
    }
    scenario_free(&s);
    scenario_free(&s); /* twice is safe */
    conf_errors_free(&e);
}

/* What a model would do: read its parameters with a field table. */
typedef struct {
    struct {
        uint64_t size;
        char *policy;
    } cache;
    sim_dist service;
} edge_conf;

static const conf_field cache_fields[] = {
    { "size", CONF_BYTES, offsetof(edge_conf, cache.size) - offsetof(edge_conf, cache), "\"1GiB\"", "bytes", 0, 0, NULL, NULL },
    { "policy", CONF_STRING, offsetof(edge_conf, cache.policy) - offsetof(edge_conf, cache), "\"lru\"", "policy", 0, 0,
      NULL, NULL },
    { NULL, 0, 0, NULL, NULL, 0, 0, NULL, NULL },
};
static const conf_field edge_fields[] = {
    { "cache", CONF_OBJECT, offsetof(edge_conf, cache), NULL, "the cache", 0, 0, NULL, cache_fields },
    { "service", CONF_DIST_TIME, offsetof(edge_conf, service), "\"1ms\"", "service time", 0, 0, NULL, NULL },
    { NULL, 0, 0, NULL, NULL, 0, 0, NULL, NULL },
};

/* Reads every cdn_edge component with edge_fields; returns the joined errors. */
static const char *read_edges(const scenario *s, conf_errors *e)
{
    for (size_t i = 0; i < s->ncomps; i++) {
        if (strcmp(s->comps[i].kind, "cdn_edge")) continue;
        edge_conf ec;
        conf_read_fields(&s->doc, s->comps[i].node, s->comps[i].jpath, edge_fields, scenario_component_keys, &ec, e);
        conf_free_fields(edge_fields, &ec);
    }
    return tests_errors_joined(e);
}

static void test_sets(void)
{
    scenario s;
    conf_errors e;
    conf_errors_init(&e);
    const char *sets[] = {
        "duration=10min",                      /* unquoted string */
        "seed=42",                             /* JSON number */
        "workload.rate=\"5000/s\"",            /* quoted string */
        "components.edge.cache.size=40GiB",    /* a group: all its members */
        "components.origin.count=2",           /* before expansion */
        "components.edge-eu-west-2.service={\"exp\": \"3ms\"}", /* one member */
        "components[1].to=origin-1",           /* by index */
        "report.every=1s",                     /* creates a key */
        "defaults.cdn_edge.cache.policy=sieve",
        "description=",                        /* empty string */
    };
    CHECK_EQ_I64(load_good(&s, sets, sizeof sets / sizeof sets[0], &e), 0);
    if (e.n) tests_fail(__FILE__, __LINE__, "%s", tests_errors_joined(&e));
    CHECK_EQ_I64(s.duration, 600 * SIM_S);
    CHECK_EQ_U64(s.seed, 42);
    CHECK_STR(s.description, "");
    CHECK_STR(cJSON_GetObjectItem(s.workload, "rate")->valuestring, "5000/s");
    CHECK_STR(cJSON_GetObjectItem(s.report, "every")->valuestring, "1s");
    CHECK_EQ_U64(s.ncomps, 8);
    for (size_t i = 0; i < 4; i++)
        CHECK_STR(cJSON_GetObjectItem(cJSON_GetObjectItem(s.comps[i].node, "cache"), "size")->valuestring, "40GiB");
    CHECK_STR(cJSON_GetObjectItem(cJSON_GetObjectItem(s.comps[7].node, "cache"), "policy")->valuestring, "sieve");
    CHECK_STR(cJSON_GetObjectItem(cJSON_GetObjectItem(s.comps[0].node, "cache"), "policy")->valuestring, "sieve");
    CHECK_TRUE(cJSON_GetObjectItem(cJSON_GetObjectItem(s.comps[3].node, "service"), "exp") != NULL);
    CHECK_TRUE(cJSON_GetObjectItem(cJSON_GetObjectItem(s.comps[2].node, "service"), "const") != NULL);
    CHECK_STR(cJSON_GetObjectItem(s.comps[4].node, "to")->valuestring, "origin-1");
    CHECK_STR(s.comps[6].id, "origin-2");
    /* The sha256 is of the file as written, not of the overrides. */
    char hex[65];
    app_sha256_hex(good, sizeof good - 1, hex);
    CHECK_STR(s.sha256, hex);
    scenario_free(&s);

    /* A bad value given with --set is reported like a file error, naming the --set. */
    const char *bad_value[] = { "components.edge.cache.size=20 parsecs", "components.solo.cache.sise=1GiB",
                                "warmup=1h" };
    CHECK_EQ_I64(load_good(&s, bad_value, 3, &e), SIM_EPARSE);
    CHECK_STR(tests_errors_joined(&e), "--set warmup: warmup: the warm-up (1h) must be shorter than the duration (5min), which "
                          "includes it\n");
    conf_errors_free(&e);
    conf_errors_init(&e);
    CHECK_STR(read_edges(&s, &e),
              "--set components.edge.cache.size: components[0].cache.size: expected a size like \"10GiB\" (B, KB, MB, "
              "GB, TB, KiB, MiB, GiB, TiB), found \"20 parsecs\"\n"
              "--set components.solo.cache.sise: components[3].cache.sise: unknown key (did you mean \"size\"?)\n");
    scenario_free(&s);
    conf_errors_free(&e);

    /* Paths that do not exist or cannot be set. */
    conf_errors_init(&e);
    const char *bad_paths[] = {
        "durration=5min",
        "components.edgee.cache.size=1GiB",
        "components[9].x=1",
        "seed.x=1",
        "components..x=1",
        "nothing",
        "=5",
        "components.edge-us-east-1.count=5",
        "components.origin-2=5",
        "regions[0]=1",
        "components[1.x=1",
    };
    CHECK_EQ_I64(load_good(&s, bad_paths, sizeof bad_paths / sizeof bad_paths[0], &e), SIM_EPARSE);
    CHECK_STR(tests_errors_joined(&e),
              "--set durration: unknown top-level key \"durration\" (did you mean \"duration\"?)\n"
              "--set components..x: malformed path (expected keys separated by '.', with [N] for a list index, e.g. "
              "components[2].cache_size)\n"
              "--set nothing: expected PATH=VALUE (e.g. --set components.edge.cache_size=20GiB)\n"
              "--set : empty path (expected PATH=VALUE, e.g. --set duration=10min)\n"
              "--set components[1.x: malformed path (expected keys separated by '.', with [N] for a list index, e.g. "
              "components[2].cache_size)\n"
              "--set components[9].x: index [9] is past the end of a list of 4\n"
              "--set regions[0]: [0] indexes a list, but the value there is an object\n"
              "--set seed.x: seed: expected a whole number from 0 to 18446744073709551615, found an object\n"
              "--set components.edgee.cache.size: no component or group \"edgee\" (did you mean \"edge\"?)\n"
              "--set components.edge-us-east-1.count: \"edge-us-east-1\" is one member of the group \"edge\"; its count "
              "can only be changed for the whole group (--set components.edge...)\n"
              "--set components.origin-2: \"origin-2\" is one member of the group \"origin\"; its definition can only be "
              "changed for the whole group (--set components.origin...)\n");
    scenario_free(&s);
    conf_errors_free(&e);
}

static void test_defaults_errors_located(void)
{
    /* A wrong default is reported where the default is written, under the
     * component's path; every member of a count makes the same mistake, and
     * it is reported once. */
    scenario s;
    conf_errors e;
    conf_errors_init(&e);
    CHECK_EQ_I64(scenario_load(&s, "tests/data/scenarios/bad/negative_size.json", NULL, 0, &e), SIM_EPARSE);
    conf_errors_free(&e);
    conf_errors_init(&e);
    CHECK_STR(read_edges(&s, &e), "tests/data/scenarios/bad/negative_size.json:4:36: components[1].cache.size: "
                                  "expected a size like \"10GiB\" (B, KB, MB, GB, TB, KiB, MiB, GiB, TiB), found the "
                                  "negative value \"-10GiB\"\n");
    scenario_free(&s);
    conf_errors_free(&e);

    const char text[] =
        "{\"duration\": \"1s\", \"defaults\": {\"cdn_edge\": {\"cache\": {\"size\": \"x\"}}, \"cnd_edge\": {}, \"lb\": 3},\n"
        " \"components\": [{\"id\": \"e\", \"kind\": \"cdn_edge\", \"region\": \"r\", \"count\": 3}]}";
    conf_errors_init(&e);
    CHECK_EQ_I64(scenario_parse(&s, "d.json", NULL, text, sizeof text - 1, NULL, 0, &e), SIM_EPARSE);
    CHECK_STR(tests_errors_joined(&e), "d.json:1:93: defaults.lb: expected an object of parameters for kind \"lb\", found 3\n");
    CHECK_EQ_U64(s.ncomps, 3);
    const char *kinds[] = { "cdn_edge", "lb", NULL };
    CHECK_EQ_I64(scenario_check_kinds(&s, kinds, &e), SIM_EPARSE);
    conf_errors_free(&e);
    conf_errors_init(&e);
    scenario_check_kinds(&s, kinds, &e);
    CHECK_STR(read_edges(&s, &e), "d.json:1:71: defaults.cnd_edge: unknown kind (did you mean \"cdn_edge\"?)\n"
                                  "d.json:1:64: components[0].cache.size: expected a size like \"10GiB\" (B, KB, MB, GB, "
                                  "TB, KiB, MiB, GiB, TiB), found \"x\"\n");
    scenario_free(&s);
    conf_errors_free(&e);
}

static void test_seed_and_names(void)
{
    scenario s;
    conf_errors e;
    conf_errors_init(&e);
    const char t1[] = "{\"seed\": 18446744073709551615, \"duration\": \"1s\", "
                      "\"components\": [{\"id\": \"a\", \"kind\": \"k\", \"region\": \"r\"}]}";
    CHECK_EQ_I64(scenario_parse(&s, "dir/my-scn.json", NULL, t1, sizeof t1 - 1, NULL, 0, &e), 0);
    CHECK_EQ_U64(s.seed, UINT64_MAX); /* exact, from the digits */
    CHECK_STR(s.name, "my-scn");      /* default: the file name */
    CHECK_STR(s.doc.dir, "dir");
    cJSON *eff = scenario_effective_json(&s);
    CHECK_STR(cJSON_GetObjectItem(eff, "seed")->valuestring, "18446744073709551615");
    cJSON_Delete(eff);
    scenario_free(&s);
    const char t2[] = "{\"seed\": 9007199254740993, \"duration\": \"1s\", "
                      "\"components\": [{\"id\": \"a\", \"kind\": \"k\", \"region\": \"r\"}]}";
    CHECK_EQ_I64(scenario_parse(&s, "x.json", "/data", t2, sizeof t2 - 1, NULL, 0, &e), 0);
    CHECK_EQ_U64(s.seed, 9007199254740993ULL); /* 2^53 + 1: not a double */
    CHECK_STR(s.doc.dir, "/data");
    scenario_free(&s);
    const char *set_seed[] = { "seed=\"12345678901234567890\"" };
    CHECK_EQ_I64(scenario_parse(&s, "x.json", NULL, t2, sizeof t2 - 1, set_seed, 1, &e), 0);
    CHECK_EQ_U64(s.seed, 12345678901234567890ULL);
    scenario_free(&s);
    /* The name becomes out/<name>/: no path tricks. */
    const char t4[] = "{\"name\": \"../../etc\", \"duration\": \"1s\", "
                      "\"components\": [{\"id\": \"a\", \"kind\": \"k\", \"region\": \"r\"}]}";
    CHECK_EQ_I64(scenario_parse(&s, "x.json", NULL, t4, sizeof t4 - 1, NULL, 0, &e), SIM_EPARSE);
    CHECK_STR(tests_errors_joined(&e), "x.json:1:10: name: the name becomes a directory name: it cannot contain '/', '\\' or "
                          "control characters, or be \".\" or \"..\", found \"../../etc\"\n");
    CHECK_STR(s.name, "x");
    scenario_free(&s);
    conf_errors_free(&e);
    conf_errors_init(&e);
    const char *set_name[] = { "name=Photo demo (v2)" };
    CHECK_EQ_I64(scenario_parse(&s, "x.json", NULL, t2, sizeof t2 - 1, set_name, 1, &e), 0);
    CHECK_STR(s.name, "Photo demo (v2)");
    scenario_free(&s);
    /* Ids and group names share one namespace; a count of 1 still makes "a-1". */
    const char t3[] = "{\"duration\": \"1s\", \"components\": [{\"id\": \"a\", \"kind\": \"k\", \"region\": \"r\", "
                      "\"count\": 1}, {\"id\": \"a-1\", \"kind\": \"k\", \"region\": \"r\"}, "
                      "{\"id\": \"a\", \"kind\": \"k\", \"region\": \"r\"}]}";
    CHECK_EQ_I64(scenario_parse(&s, "x.json", NULL, t3, sizeof t3 - 1, NULL, 0, &e), SIM_EPARSE);
    CHECK_STR(tests_errors_joined(&e), "x.json:1:138: components[2].id: duplicate name \"a\" (also the group of components[0], by its "
                          "count at 1:42)\n"
                          "x.json:1:95: components[1].id: duplicate id \"a-1\" (also components[0], by its count at 1:42)\n");
    scenario_free(&s);
    conf_errors_free(&e);
}

/* ---- the malformed files ------------------------------------------------- */
/* Each is loaded directly (all messages compared) and through `cdnsim
 * validate` (exit status 2, first message on stderr). */

#define BAD "tests/data/scenarios/bad/"

static void check_bad(const char *file, const char *const *sets, size_t nsets, const char *want, int line)
{
    scenario s;
    conf_errors e;
    conf_errors_init(&e);
    char path[256];
    snprintf(path, sizeof path, BAD "%s", file);
    int r = scenario_load(&s, path, sets, nsets, &e);
    if (r != SIM_EPARSE) tests_fail(__FILE__, line, "%s: scenario_load returned %d, want SIM_EPARSE", file, r);
    const char *got = tests_errors_joined(&e);
    if (strcmp(got, want)) tests_fail(__FILE__, line, "%s: got:\n%swant:\n%s", file, got, want);
    else CU_PASS(file);
    scenario_free(&s);
    conf_errors_free(&e);

    /* The same through the binary: exit 2, and the same first message. */
    char cmd[1024];
    size_t used = (size_t)snprintf(cmd, sizeof cmd, "%s validate %s", tests_cdnsim_bin(), path);
    for (size_t i = 0; i < nsets && used < sizeof cmd; i++)
        used += (size_t)snprintf(cmd + used, sizeof cmd - used, " --set '%s'", sets[i]);
    char *out = NULL, *err = NULL;
    int status = tests_run(cmd, &out, &err);
    if (status != 2) tests_fail(__FILE__, line, "%s: exit status %d, want 2", cmd, status);
    char first[1024];
    size_t fl = strcspn(want, "\n");
    snprintf(first, sizeof first, "%.*s", (int)fl, want);
    if (!err || !strstr(err, first)) tests_fail(__FILE__, line, "%s: stderr \"%s\" lacks \"%s\"", cmd, err ? err : "", first);
    else CU_PASS(cmd);
    free(out);
    free(err);
}
#define CHECK_BAD(file, want) check_bad(file, NULL, 0, want, __LINE__)

static void test_bad_files(void)
{
    CHECK_BAD("truncated.json", BAD "truncated.json:7:1: unexpected end of file: the object opened at 6:15 is not "
              "closed (expected ',' or '}'; the file looks truncated)\n");
    CHECK_BAD("wrong_types.json",
              BAD "wrong_types.json:2:11: name: expected a non-empty string, found 7\n"
              BAD "wrong_types.json:3:15: duration: expected a duration with a unit like \"300s\", found the bare number 300\n"
              BAD "wrong_types.json:4:14: regions: expected an object {...}, found an array of 2\n"
              BAD "wrong_types.json:5:13: faults: expected a list [...], found an empty object\n"
              BAD "wrong_types.json:6:17: components: expected a list [...] of components, found an object\n");
    CHECK_BAD("negative_size.json", BAD "negative_size.json:7:70: components[0].count: expected a whole number of "
              "copies from 1 to 100000, found -2\n");
    CHECK_BAD("unknown_key.json",
              BAD "unknown_key.json:3:3: durration: unknown top-level key (did you mean \"duration\"?)\n"
              BAD "unknown_key.json:1:1: missing \"duration\" (how much simulated time to run, e.g. \"5min\")\n");
    CHECK_BAD("duplicate_id.json",
              BAD "duplicate_id.json:6:12: components[2].id: duplicate id \"edge-2\" (also components[0], by its count at 4:12)\n"
              BAD "duplicate_id.json:7:12: components[3].id: duplicate id \"lb\" (also components[1], by its id at 5:12)\n");
    CHECK_BAD("bad_unit.json", BAD "bad_unit.json:2:15: duration: expected a duration like \"50ms\" or \"5min\" (units "
              "ns, us, ms, s, min, h), found \"10 minutes\"\n");
    CHECK_BAD("warmup_too_long.json", BAD "warmup_too_long.json:3:13: warmup: the warm-up (90s) must be shorter than "
              "the duration (1min), which includes it\n");
    CHECK_BAD("empty.json", BAD "empty.json:1:1: empty file: expected a JSON object\n");
    CHECK_BAD("not_object.json", BAD "not_object.json:1:1: expected a JSON object {...} at the top level, found an array of 1\n");
    CHECK_BAD("huge_numbers.json",
              BAD "huge_numbers.json:2:11: seed: expected a whole number from 0 to 18446744073709551615, found a number "
              "out of range\n"
              BAD "huge_numbers.json:3:15: duration: duration out of range (0 to 292 years), found \"99999999999h\"\n"
              BAD "huge_numbers.json:4:71: components[0].count: expected a whole number of copies from 1 to 100000, "
              "found 1e+300\n");
    CHECK_BAD("deep_nesting.json", BAD "deep_nesting.json:3:1012: nesting deeper than 1000 levels\n");
    CHECK_BAD("bad_component.json",
              BAD "bad_component.json:4:5: components[0]: missing \"id\" (every component needs a unique id)\n"
              BAD "bad_component.json:5:12: components[1].id: expected an id made of letters, digits, '_' and '-' (at "
              "most 128), found \"has space\"\n"
              BAD "bad_component.json:6:5: components[2]: missing \"kind\" (what the component is, e.g. \"cdn_edge\")\n"
              BAD "bad_component.json:6:34: components[2].region[1]: region \"r1\" is listed twice\n"
              BAD "bad_component.json:7:25: components[3].kind: expected a kind name as a string, found \"\"\n"
              BAD "bad_component.json:7:39: components[3].region: expected a region name, or a non-empty list of region "
              "names (one group of `count` per region), found an empty array\n"
              BAD "bad_component.json:8:5: components[4]: expected a component object {\"id\": ..., \"kind\": ..., "
              "\"region\": ...}, found \"d\"\n");
    CHECK_BAD("duplicate_key.json", BAD "duplicate_key.json:3:3: duplicate key \"duration\" (first at 2:3)\n");
    CHECK_BAD("trailing_comma.json", BAD "trailing_comma.json:5:3: expected a value after ',', found ']' (JSON does not "
              "allow a trailing comma)\n");
    CHECK_BAD("unquoted_unit.json", BAD "unquoted_unit.json:3:70: invalid number '10GiB' (a value with a unit is a "
              "string: write \"10GiB\")\n");
    CHECK_BAD("missing_sections.json",
              BAD "missing_sections.json:2:11: name: expected a non-empty string, found \"\"\n"
              BAD "missing_sections.json:3:11: seed: expected a whole number from 0 to 18446744073709551615, found \"0x10\"\n"
              BAD "missing_sections.json:1:1: missing \"duration\" (how much simulated time to run, e.g. \"5min\")\n"
              BAD "missing_sections.json:4:17: components: expected at least one component, found an empty list\n");
    /* A good file made bad by --set. */
    const char *sets[] = { "components.edge.count=0" };
    check_bad("bad_unit.json", sets, 1,
              BAD "bad_unit.json:2:15: duration: expected a duration like \"50ms\" or \"5min\" (units ns, us, ms, s, "
              "min, h), found \"10 minutes\"\n"
              "--set components.edge.count: no component or group \"edge\"\n", __LINE__);
    /* A missing file. */
    scenario s;
    conf_errors e;
    conf_errors_init(&e);
    CHECK_EQ_I64(scenario_load(&s, BAD "no-such-file.json", NULL, 0, &e), SIM_ENOENT);
    CHECK_STR(tests_errors_joined(&e), BAD "no-such-file.json: cannot open: No such file or directory\n");
    scenario_free(&s);
    conf_errors_free(&e);
}

/* ---- fuzz ----------------------------------------------------------------- */

/* Loads text (and reads every component as a model would) and checks the
 * invariants that must hold whatever the bytes: a result code from the
 * contract, errors exactly when it is not 0, nothing leaked (ASan). */
static int fuzz_one(const char *text, size_t len, const char *const *sets, size_t nsets)
{
    scenario s;
    conf_errors e;
    conf_errors_init(&e);
    int r = scenario_parse(&s, "f.json", NULL, text, len, sets, nsets, &e);
    int ok = (r == 0 && e.n == 0) || (r == SIM_EPARSE && e.n > 0);
    if (!r) {
        read_edges(&s, &e);
        cJSON *eff = scenario_effective_json(&s);
        ok = ok && eff != NULL;
        cJSON_Delete(eff);
        const char *kinds[] = { "cdn_edge", "lb", NULL };
        scenario_check_kinds(&s, kinds, &e);
    }
    for (size_t i = 0; i < e.n; i++) ok = ok && e.msgs[i] && e.msgs[i][0];
    scenario_free(&s);
    conf_errors_free(&e);
    return ok;
}

static void test_fuzz(void)
{
    size_t n = sizeof good - 1;
    char *buf = malloc(n + 1);
    size_t bad = 0, runs = 0;
    /* Every truncation. */
    for (size_t len = 0; len <= n; len++) {
        memcpy(buf, good, len);
        bad += !fuzz_one(buf, len, NULL, 0);
        runs++;
    }
    /* Byte flips, fixed seed: one random byte (any value, NUL included) at
     * each position, and 2000 random multi-byte corruptions. */
    gsl_rng *r = sim_rng_stream(7, "test/fuzz");
    for (size_t pos = 0; pos < n; pos++) {
        memcpy(buf, good, n);
        buf[pos] = (char)gsl_rng_uniform_int(r, 256);
        bad += !fuzz_one(buf, n, NULL, 0);
        runs++;
    }
    static const char structural[] = "{}[]\",:0123456789-.eE \\/tfn\n";
    int iters = tests_under_asan() ? 500 : 2000;
    for (int it = 0; it < iters; it++) {
        memcpy(buf, good, n);
        int k = 1 + (int)gsl_rng_uniform_int(r, 4);
        for (int j = 0; j < k; j++) {
            size_t pos = gsl_rng_uniform_int(r, n);
            buf[pos] = structural[gsl_rng_uniform_int(r, sizeof structural - 1)];
        }
        bad += !fuzz_one(buf, n, NULL, 0);
        runs++;
    }
    /* --set strings with odd bytes. */
    const char *odd[] = { "components.edge.cache=[[[", "components[0]=null", "components=3", "defaults=[]",
                          "components.edge.region=[]", "components.edge.count=100001", "x[99999999999]=1",
                          "components[0][0]=1", "components.edge.id=lb", "regions.a.b.c.d=\"\\u0000\"",
                          "components[4]={\"id\":\"n\",\"kind\":\"lb\",\"region\":\"r\"}", "faults[0]=1" };
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
        bad += !fuzz_one(good, n, &odd[i], 1);
        runs++;
    }
    bad += !fuzz_one(good, n, odd, sizeof odd / sizeof odd[0]);
    gsl_rng_free(r);
    free(buf);
    CHECK_EQ_U64(bad, 0);
    CHECK_TRUE(runs > 2 * n);
}

void test_scenario_register(void)
{
    static const tests_case cases[] = {
        { "load: sections, defaults, count, ids, effective", test_load_good },
        { "--set", test_sets },
        { "defaults: errors located in defaults", test_defaults_errors_located },
        { "seed, names, id namespace", test_seed_and_names },
        { "malformed files", test_bad_files },
        { "fuzz: truncations and byte flips", test_fuzz },
        { NULL, NULL },
    };
    tests_add_suite("scenario", cases);
}
