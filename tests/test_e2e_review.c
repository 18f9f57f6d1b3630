/* tests/test_e2e_review.c - what a newcomer meets first, end to end through
 * bin/cdnsim: the complete example and the error examples of
 * docs/scenario.md are what the binary really accepts and prints, a missing
 * comma is pointed at, `validate` counts in English, and report.html shows
 * the same availability as summary.json (with its interval when replicated),
 * and `run --reps -q` says where the summary is, on stdout, as a single run does.
 * Each test here comes from a problem found by using cdnsim as a student, a
 * capacity planner and a CI job would. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "tests/e2e.h"
#include "tests/harness.h"

/* The text of docs/scenario.md between the first line containing `after`
 * and the end of the next fenced block (malloc'd, or NULL). */
static char *doc_block(const char *doc, const char *after, const char *fence)
{
    const char *p = strstr(doc, after);
    if (!p) return NULL;
    p = strstr(p, fence);
    if (!p) return NULL;
    p = strchr(p, '\n');
    if (!p) return NULL;
    p++;
    const char *e = strstr(p, "```");
    if (!e) return NULL;
    return strndup(p, (size_t)(e - p));
}

/* Every line of the error examples in docs/scenario.md is printed, exactly,
 * by `cdnsim validate` on the file it names, which then exits 2. */
static void test_doc_error_examples(void)
{
    char *doc = tests_read_file("docs/scenario.md", NULL);
    CHECK_TRUE(doc != NULL);
    if (!doc) return;
    char *block = doc_block(doc, "Examples, as `cdnsim validate` prints them", "```\n");
    CHECK_TRUE(block != NULL);
    int lines = 0;
    for (char *line = block ? strtok(block, "\n") : NULL; line; line = strtok(NULL, "\n")) {
        char file[256];
        const char *colon = strchr(line, ':');
        if (!colon || (size_t)(colon - line) >= sizeof file) {
            tests_fail(__FILE__, __LINE__, "example without a file name: %s", line);
            continue;
        }
        snprintf(file, sizeof file, "%.*s", (int)(colon - line), line);
        static const char *const dirs[] = { "tests/data/scenarios/bad/", "tests/data/review/" };
        const char *dir = NULL;
        char path[512];
        for (size_t i = 0; i < 2 && !dir; i++) {
            snprintf(path, sizeof path, "%s%s", dirs[i], file);
            char *t = tests_read_file(path, NULL);
            if (t) dir = dirs[i];
            free(t);
        }
        if (!dir) {
            tests_fail(__FILE__, __LINE__, "docs/scenario.md names %s, which is in neither data directory", file);
            continue;
        }
        char args[1024], want[2048];
        snprintf(args, sizeof args, "validate %s", path);
        snprintf(want, sizeof want, "%s%s\n", dir, line);
        char *err = NULL;
        CHECK_EQ_I64(e2e_cdnsim(args, NULL, &err), 2);
        CHECK_CONTAINS(err, want);
        free(err);
        lines++;
    }
    CHECK_TRUE(lines >= 10);
    free(block);
    free(doc);
}

/* The complete example of docs/scenario.md is valid, and the --set paths
 * and messages the page shows are what the binary does. */
static void test_doc_complete_example(void)
{
    char *doc = tests_read_file("docs/scenario.md", NULL);
    CHECK_TRUE(doc != NULL);
    if (!doc) return;
    char *json = doc_block(doc, "## A complete example", "```json\n");
    CHECK_TRUE(json != NULL);
    char *dir = tests_mkdtemp();
    char path[4200], args[8192];
    snprintf(path, sizeof path, "%s/photo.json", dir);
    CHECK_EQ_I64(tests_write_file(path, json ? json : ""), 0);
    char *out = NULL, *err = NULL;
    snprintf(args, sizeof args, "validate %s", path);
    CHECK_EQ_I64(e2e_cdnsim(args, &out, &err), 0);
    CHECK_CONTAINS(out, "(19 components, 2 regions)");
    free(out);
    free(err);

    /* the paths the page gives as examples of --set */
    snprintf(args, sizeof args,
             "validate %s --set components.edge.cache_size=20GiB --set defaults.cdn_edge.cache_size=1GiB "
             "--set components[4].policy=round_robin --set network.same_region.bandwidth=1Gbit/s "
             "--set components.edge-us-east-2.cache_size=1GiB --set components.gateway.count=5",
             path);
    CHECK_EQ_I64(e2e_cdnsim(args, &out, &err), 0);
    CHECK_CONTAINS(out, "(21 components, 2 regions)");
    free(out);
    free(err);

    /* the three messages the page shows, one per bad --set */
    char *msgs = doc_block(doc, "happens before any check, so a bad value", "```\n");
    CHECK_TRUE(msgs != NULL);
    static const char *const sets[] = { "'components.edge.cache_size=20 parsecs'", "durration=1min",
                                        "components.edgee.cache_size=1GiB" };
    char *line = msgs ? strtok(msgs, "\n") : NULL;
    for (size_t i = 0; i < 3; i++, line = strtok(NULL, "\n")) {
        CHECK_TRUE(line != NULL);
        if (!line) break;
        snprintf(args, sizeof args, "validate %s --set %s", path, sets[i]);
        CHECK_EQ_I64(e2e_cdnsim(args, NULL, &err), 2);
        char want[1024];
        snprintf(want, sizeof want, "%s\n", line);
        CHECK_CONTAINS(err, want);
        free(err);
    }
    free(msgs);
    tests_rmtree(dir);
    free(dir);
    free(json);
    free(doc);
}

/* "1 region", not "1 regions". */
static void test_validate_counts(void)
{
    char *out = NULL;
    CHECK_EQ_I64(e2e_cdnsim("validate tests/data/review/cdn.json", &out, NULL), 0);
    CHECK_CONTAINS(out, "ok: tests/data/review/cdn.json (3 components, 1 region)\n");
    free(out);
}

/* A missing comma inside an array is pointed at too; on one line there is
 * no line to point at, and the message stays as it was. */
static void test_missing_comma_hint(void)
{
    char *dir = tests_mkdtemp();
    char path[4200], args[8192];
    snprintf(path, sizeof path, "%s/c.json", dir);
    CHECK_EQ_I64(tests_write_file(path, "{\"name\": \"c\",\n \"components\": [\n  {\"id\": \"a\"}\n  {\"id\": \"b\"}\n ]}\n"), 0);
    char *err = NULL;
    snprintf(args, sizeof args, "validate %s", path);
    CHECK_EQ_I64(e2e_cdnsim(args, NULL, &err), 2);
    CHECK_CONTAINS(err, "c.json:4:3: expected ',' or ']' after an array element, found '{' "
                        "(is a ',' missing at the end of line 3?)\n");
    free(err);
    CHECK_EQ_I64(tests_write_file(path, "{\"name\": \"c\" \"seed\": 1}"), 0);
    CHECK_EQ_I64(e2e_cdnsim(args, NULL, &err), 2);
    CHECK_CONTAINS(err, "c.json:1:14: expected ',' or '}' after an object member, found '\"'\n");
    free(err);
    tests_rmtree(dir);
    free(dir);
}

/* report.html's availability card is summary.json's availability
 * (completed / issued), printed as a percentage with 3 decimals. */
static void check_availability_card(const char *rundir, int replicated)
{
    char path[4300];
    snprintf(path, sizeof path, "%s/summary.json", rundir);
    char *text = tests_read_file(path, NULL);
    CHECK_TRUE(text != NULL);
    cJSON *sum = text ? cJSON_Parse(text) : NULL;
    free(text);
    const cJSON *av = cJSON_GetObjectItem(sum, "availability");
    CHECK_TRUE(cJSON_IsNumber(av));
    snprintf(path, sizeof path, "%s/report.html", rundir);
    char *html = tests_read_file(path, NULL);
    CHECK_TRUE(html != NULL);
    if (cJSON_IsNumber(av) && html) {
        char want[128];
        snprintf(want, sizeof want, "<div class=\"v\">%.3f%%", 100 * av->valuedouble);
        CHECK_CONTAINS(html, want);
        CHECK_CONTAINS(html, "availability (completed / issued)");
        /* in-flight requests at the end make completed < issued, so the
         * page must not show 100% for this scenario */
        CHECK_TRUE(av->valuedouble < 1);
        if (replicated) {
            snprintf(want, sizeof want, "<div class=\"v\">%.3f%% <span class=\"ci\">&plusmn; ",
                     100 * av->valuedouble);
            CHECK_CONTAINS(html, want);
        }
    }
    free(html);
    cJSON_Delete(sum);
}

static void test_html_availability(void)
{
    char *dir = tests_mkdtemp();
    char args[8192], sub[4200];
    snprintf(args, sizeof args, "run tests/data/review/cdn.json -q --out %s/one", dir);
    CHECK_EQ_I64(e2e_cdnsim(args, NULL, NULL), 0);
    snprintf(sub, sizeof sub, "%s/one", dir);
    check_availability_card(sub, 0);
    snprintf(args, sizeof args, "run tests/data/review/cdn.json -q --reps 2 --jobs 2 --out %s/reps", dir);
    char *out = NULL;
    CHECK_EQ_I64(e2e_cdnsim(args, &out, NULL), 0);
    snprintf(sub, sizeof sub, "%s/reps", dir);
    /* like a single run, the summary's path is on stdout, even with -q */
    char want[4300];
    snprintf(want, sizeof want, "summary: %s/summary.json (2 replications", sub);
    CHECK_CONTAINS(out, want);
    free(out);
    check_availability_card(sub, 1);
    tests_rmtree(dir);
    free(dir);
}

/* `cdnsim --help` lists every command of app/main.c's table and --version;
 * each listed command answers --help with its own usage; a mistyped command
 * gets a suggestion; `show --kinds --help` is help, not the kinds. */
static void test_help_lists_commands(void)
{
    char *src = tests_read_file("app/main.c", NULL);
    CHECK_TRUE(src != NULL);
    char *end = src ? strstr(src, "app_commands[]") : NULL;
    if (end && (end = strstr(end, "};"))) *end = '\0'; /* only the table */
    char *out = NULL;
    CHECK_EQ_I64(e2e_cdnsim("--help", &out, NULL), 0);
    CHECK_CONTAINS(out, "cdnsim --version");
    int n = 0;
    for (const char *p = src ? strstr(src, "app_commands[]") : NULL; p && (p = strstr(p, "{ \"")); n++) {
        p += 3;
        const char *q = strchr(p, '"');
        if (!q) break;
        char name[64], want[80], args[128];
        snprintf(name, sizeof name, "%.*s", (int)(q - p), p);
        snprintf(want, sizeof want, "\n  %s ", name);
        CHECK_CONTAINS(out, want);
        char *hout = NULL;
        snprintf(args, sizeof args, "%s --help", name);
        CHECK_EQ_I64(e2e_cdnsim(args, &hout, NULL), 0);
        snprintf(want, sizeof want, "usage: cdnsim %s", name);
        CHECK_CONTAINS(hout, want);
        free(hout);
        p = q;
    }
    CHECK_TRUE(n >= 9);
    free(out);
    free(src);

    char *err = NULL;
    CHECK_EQ_I64(e2e_cdnsim("rn x.json", NULL, &err), 2);
    CHECK_CONTAINS(err, "unknown command 'rn' (did you mean 'run'?");
    free(err);
    CHECK_EQ_I64(e2e_cdnsim("show --kinds --help", &out, NULL), 0);
    CHECK_CONTAINS(out, "usage: cdnsim show");
    free(out);
}

/* The lines of a summary that do not depend on the wall clock or on the
 * scenario file's bytes. */
static char *stable_summary(const char *path)
{
    char *s = tests_read_file(path, NULL);
    if (!s) return NULL;
    char *o = malloc(strlen(s) + 1), *q = o, *p = s;
    if (!o) {
        free(s);
        return NULL;
    }
    while (*p) {
        char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);
        if (!memmem(p, len, "\"wall_s\"", 8) && !memmem(p, len, "\"events_per_s\"", 14) &&
            !memmem(p, len, "\"sha256\"", 8)) {
            memcpy(q, p, len);
            q += len;
        }
        p += len;
    }
    *q = 0;
    free(s);
    return o;
}

/* `show` prints a scenario: the demo's effective JSON validates (it used to
 * have a network section in another language, nulls the parser refuses and
 * group names that no longer exist), shows the same again, and a scenario
 * without `count` runs to the same summary from it. */
static void test_show_is_a_scenario(void)
{
    char *dir = tests_mkdtemp();
    char args[10000], path[4200];
    static const char *const files[] = { "scenarios/demo.json", "tests/data/review/cdn.json" };
    for (size_t i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/eff%zu.json", dir, i);
        snprintf(args, sizeof args, "show %s | sed '/^request paths/,$d' > %s", files[i], path);
        CHECK_EQ_I64(e2e_cdnsim(args, NULL, NULL), 0);
        char *out = NULL, *err = NULL;
        snprintf(args, sizeof args, "validate %s", path);
        CHECK_EQ_I64(e2e_cdnsim(args, &out, &err), 0);
        CHECK_CONTAINS(out, "ok: ");
        free(out);
        free(err);
        /* a fixed point: showing the shown scenario prints it again */
        snprintf(args, sizeof args, "show %s | sed '/^request paths/,$d' | cmp - %s", path, path);
        CHECK_EQ_I64(e2e_cdnsim(args, NULL, NULL), 0);
    }
    snprintf(args, sizeof args, "run tests/data/review/cdn.json -q --no-report --out %s/a", dir);
    CHECK_EQ_I64(e2e_cdnsim(args, NULL, NULL), 0);
    snprintf(args, sizeof args, "run %s/eff1.json -q --no-report --out %s/b", dir, dir);
    CHECK_EQ_I64(e2e_cdnsim(args, NULL, NULL), 0);
    snprintf(path, sizeof path, "%s/a/summary.json", dir);
    char *a = stable_summary(path);
    snprintf(path, sizeof path, "%s/b/summary.json", dir);
    char *b = stable_summary(path);
    CHECK_TRUE(a && b && !strcmp(a, b));
    CHECK_CONTAINS(a, "\"hit_ratio\"");
    free(a);
    free(b);
    tests_rmtree(dir);
    free(dir);
}

/* The issue's own example, --set components.edge.cache.size=..., names a key
 * that does not exist (it is cache_size): the message says which one was
 * meant, since "cache" is the start of exactly one known key. */
static void test_prefix_suggestion(void)
{
    char *err = NULL;
    CHECK_EQ_I64(e2e_cdnsim("validate tests/data/review/cdn.json --set components.edge.cache.size=1GiB", NULL, &err), 2);
    CHECK_CONTAINS(err, "--set components.edge.cache.size: components[1].cache: unknown key (did you mean "
                        "\"cache_size\"?)\n");
    free(err);
}

/* A misspelt cache policy is an enum error with a suggestion, on the edge
 * and on the application cache alike (it used to name the cache's size
 * and list the policies without a suggestion). */
static void test_policy_suggestion(void)
{
    static const char app_cache[] =
        "{\"name\": \"pol\", \"duration\": \"1s\", \"regions\": {\"r\": {}}, \"components\": [\n"
        "{\"id\": \"u\", \"kind\": \"client\", \"region\": \"r\", \"to\": \"c\", \"rate\": \"10/s\"},\n"
        "{\"id\": \"c\", \"kind\": \"app_cache\", \"region\": \"r\", \"policy\": \"sive\", \"database\": \"d\"},\n"
        "{\"id\": \"d\", \"kind\": \"server\", \"region\": \"r\"}]}\n";
    char *err = NULL;
    CHECK_EQ_I64(e2e_cdnsim("validate tests/data/review/cdn.json --set components.edge.policy=lur", NULL, &err), 2);
    CHECK_CONTAINS(err, "components[1].policy: expected one of \"lru\", \"fifo\", \"clock\", \"sieve\", "
                        "\"lfu\", \"s3fifo\", found \"lur\" (did you mean \"lru\"?)");
    free(err);
    char *dir = tests_mkdtemp(), path[4200], args[4300];
    snprintf(path, sizeof path, "%s/pol.json", dir);
    CHECK_EQ_I64(tests_write_file(path, app_cache), 0);
    snprintf(args, sizeof args, "validate %s", path);
    err = NULL;
    CHECK_EQ_I64(e2e_cdnsim(args, NULL, &err), 2);
    CHECK_CONTAINS(err, "pol.json:3:59: components[1].policy: expected one of");
    CHECK_CONTAINS(err, "found \"sive\" (did you mean \"sieve\"?)");
    free(err);
    tests_rmtree(dir);
    free(dir);
}

/* --jobs without --reps is one run: say so rather than let a planner
 * believe the summary has intervals. */
static void test_jobs_without_reps(void)
{
    char *dir = tests_mkdtemp(), args[4300], *err = NULL;
    snprintf(args, sizeof args, "run tests/data/review/cdn.json -q --no-report --jobs 2 --out %s/j", dir);
    CHECK_EQ_I64(e2e_cdnsim(args, NULL, &err), 0);
    CHECK_CONTAINS(err, "warning: --jobs has no effect without --reps");
    free(err);
    tests_rmtree(dir);
    free(dir);
}

void test_e2e_review_register(void);
void test_e2e_review_register(void)
{
    static const tests_case cases[] = {
        { "doc_error_examples", test_doc_error_examples },
        { "doc_complete_example", test_doc_complete_example },
        { "validate_counts", test_validate_counts },
        { "missing_comma_hint", test_missing_comma_hint },
        { "html_availability", test_html_availability },
        { "help_lists_commands", test_help_lists_commands },
        { "show_is_a_scenario", test_show_is_a_scenario },
        { "prefix_suggestion", test_prefix_suggestion },
        { "jobs_without_reps", test_jobs_without_reps },
        { "policy_suggestion", test_policy_suggestion },
        { NULL, NULL },
    };
    tests_add_suite("e2e_review", cases);
}
