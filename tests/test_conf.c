/* tests/test_conf.c - the scenario language's building blocks: error lists,
 * "did you mean", located JSON (positions with CRLF and UTF-8, syntax errors),
 * sha256 vectors, and field tables of every type with their errors. */
#include <stddef.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "app/conf.h"
#include "app/sha256.h"
#include "sim/errors.h"
#include "sim/rng.h"
#include "tests/failalloc.h"
#include "tests/harness.h"

static void test_errors_list(void)
{
    conf_errors e;
    conf_errors_init(&e);
    CHECK_EQ_U64(e.max, 50);
    conf_errors_add(&e, "a %d", 1);
    conf_errors_add(&e, "a %d", 1); /* identical: kept once */
    conf_errors_add(&e, "b");
    CHECK_EQ_U64(e.n, 2);
    e.max = 3;
    for (int i = 0; i < 10; i++) conf_errors_add(&e, "x%d", i);
    CHECK_EQ_U64(e.n, 3);
    CHECK_EQ_U64(e.dropped, 9);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    conf_errors_print(&e, f);
    fclose(f);
    CHECK_STR(out, "a 1\nb\nx0\n9 more errors\n");
    free(out);
    conf_errors_free(&e);
    CHECK_EQ_U64(e.n, 0);
}

static void test_did_you_mean(void)
{
    const char *keys[] = { "cache", "service", "servers", "queue_limit", "size", "policy" };
    size_t n = sizeof keys / sizeof keys[0];
    CHECK_STR(conf_did_you_mean("cahce", keys, n), "cache");       /* transposition */
    CHECK_STR(conf_did_you_mean("cach", keys, n), "cache");        /* deletion */
    CHECK_STR(conf_did_you_mean("Cache", keys, n), "cache");       /* case */
    CHECK_STR(conf_did_you_mean("sevrers", keys, n), "servers");
    CHECK_STR(conf_did_you_mean("queuelimit", keys, n), "queue_limit");
    CHECK_STR(conf_did_you_mean("sise", keys, n), "size");
    CHECK_TRUE(conf_did_you_mean("bandwidth", keys, n) == NULL);  /* nothing close */
    CHECK_TRUE(conf_did_you_mean("x", keys, n) == NULL);          /* too short to guess */
    CHECK_TRUE(conf_did_you_mean("", keys, n) == NULL);
    CHECK_TRUE(conf_did_you_mean("cache", NULL, 0) == NULL);
    /* Long words are compared, not overflowed. */
    char longw[300];
    memset(longw, 'a', sizeof longw - 1);
    longw[sizeof longw - 1] = 0;
    CHECK_TRUE(conf_did_you_mean(longw, keys, n) == NULL);
}

static void test_found(void)
{
    char b[64];
    cJSON *s = cJSON_CreateString("10 parsecs");
    CHECK_STR(conf_found(s, b, sizeof b), "\"10 parsecs\"");
    cJSON_Delete(s);
    s = cJSON_CreateString("a\nb\"c");
    CHECK_STR(conf_found(s, b, sizeof b), "\"a\\nb\\\"c\"");
    cJSON_Delete(s);
    s = cJSON_CreateString("0123456789012345678901234567890123456789xyz");
    CHECK_STR(conf_found(s, b, sizeof b), "\"0123456789012345678901234567890123456789...\"");
    cJSON_Delete(s);
    /* Cutting never splits a UTF-8 character: 39 ASCII bytes then "é". */
    s = cJSON_CreateString("012345678901234567890123456789012345678\xc3\xa9zz");
    CHECK_STR(conf_found(s, b, sizeof b), "\"012345678901234567890123456789012345678...\"");
    cJSON_Delete(s);
    cJSON *num = cJSON_CreateNumber(12);
    CHECK_STR(conf_found(num, b, sizeof b), "12");
    cJSON_SetNumberValue(num, 1.5);
    CHECK_STR(conf_found(num, b, sizeof b), "1.5");
    cJSON_Delete(num);
    cJSON *a = cJSON_Parse("[1,2,3]");
    CHECK_STR(conf_found(a, b, sizeof b), "an array of 3");
    cJSON_Delete(a);
    a = cJSON_Parse("{\"x\":1}");
    CHECK_STR(conf_found(a, b, sizeof b), "an object");
    cJSON_Delete(a);
    CHECK_STR(conf_found(NULL, b, sizeof b), "nothing");
    cJSON *t = cJSON_CreateTrue();
    CHECK_STR(conf_found(t, b, sizeof b), "true");
    cJSON_Delete(t);
}

static void test_sha256(void)
{
    char hex[65];
    /* FIPS 180-4 / NIST example vectors. */
    app_sha256_hex("", 0, hex);
    CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    app_sha256_hex("abc", 3, hex);
    CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"; /* 56 bytes: two padding blocks */
    app_sha256_hex(m, strlen(m), hex);
    CHECK_STR(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    const char *m2 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
    app_sha256_hex(m2, strlen(m2), hex);
    CHECK_STR(hex, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
    /* One million 'a' (many full blocks). */
    char *big = malloc(1000000);
    memset(big, 'a', 1000000);
    app_sha256_hex(big, 1000000, hex);
    CHECK_STR(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(big);
}

/* ---- located JSON --------------------------------------------------------- */

static conf_doc parse_ok(const char *text)
{
    conf_doc d;
    conf_errors e;
    conf_errors_init(&e);
    int r = conf_doc_parse(&d, "t.json", text, strlen(text), &e);
    CHECK_EQ_I64(r, 0);
    if (e.n) tests_fail(__FILE__, __LINE__, "unexpected errors: %s", tests_errors_joined(&e));
    conf_errors_free(&e);
    return d;
}

#define CHECK_POS(doc, node, L, C) do { int _l, _c; conf_doc_pos(doc, node, &_l, &_c); \
    CHECK_EQ_I64(_l, L); CHECK_EQ_I64(_c, C); } while (0)

static void test_positions(void)
{
    const char *text =
        "{\n"
        "  \"a\": 1,\n"
        "  \"b\": {\"c\": [10, \"x\", {\"d\": true}]},\n"
        "  \"e\": \"h\xc3\xa9llo\", \"f\": null\n"
        "}\n";
    conf_doc d = parse_ok(text);
    CHECK_TRUE(d.root != NULL);
    if (!d.root) return;
    const cJSON *a = cJSON_GetObjectItem(d.root, "a");
    const cJSON *b = cJSON_GetObjectItem(d.root, "b");
    const cJSON *c = cJSON_GetObjectItem(b, "c");
    const cJSON *ten = cJSON_GetArrayItem(c, 0), *x = cJSON_GetArrayItem(c, 1), *o = cJSON_GetArrayItem(c, 2);
    const cJSON *dd = cJSON_GetObjectItem(o, "d");
    const cJSON *f = cJSON_GetObjectItem(d.root, "f");
    CHECK_POS(&d, d.root, 1, 1);
    CHECK_POS(&d, a, 2, 8);
    CHECK_POS(&d, b, 3, 8);
    CHECK_POS(&d, c, 3, 14);
    CHECK_POS(&d, ten, 3, 15);
    CHECK_POS(&d, x, 3, 19);
    CHECK_POS(&d, o, 3, 24);
    CHECK_POS(&d, dd, 3, 30);
    CHECK_POS(&d, f, 4, 22); /* "é" is one column */
    int l, col;
    conf_doc_key_pos(&d, dd, &l, &col);
    CHECK_EQ_I64(l, 3);
    CHECK_EQ_I64(col, 25);
    conf_doc_key_pos(&d, x, &l, &col); /* not a member: the value */
    CHECK_EQ_I64(col, 19);
    CHECK_TRUE(conf_doc_source(&d, ten) && !strncmp(conf_doc_source(&d, ten), "10", 2));

    /* A node added after parsing reports its nearest located ancestor. */
    cJSON *added = cJSON_CreateNumber(5);
    cJSON_AddItemToObject((cJSON *)o, "new", added);
    CHECK_POS(&d, added, 3, 24);
    CHECK_TRUE(conf_doc_source(&d, added) == NULL);
    /* A node not in the tree at all: 0:0. */
    cJSON *stray = cJSON_CreateNull();
    CHECK_POS(&d, stray, 0, 0);
    cJSON_Delete(stray);

    /* Error lines use the positions and the path. */
    conf_errors e;
    conf_errors_init(&e);
    conf_error_at(&e, &d, dd, "b.c[2].d", "expected %s", "a number");
    conf_error_at_key(&e, &d, dd, "b.c[2].d", "unknown key");
    conf_error_at(&e, &d, NULL, NULL, "no node");
    CHECK_STR(e.msgs[0], "t.json:3:30: b.c[2].d: expected a number");
    CHECK_STR(e.msgs[1], "t.json:3:25: b.c[2].d: unknown key");
    CHECK_STR(e.msgs[2], "t.json: no node");

    /* Copies and command-line nodes. */
    cJSON *copy = cJSON_Duplicate(b, 1);
    CHECK_EQ_I64(conf_doc_alias(&d, copy, b), 0);
    CHECK_POS(&d, cJSON_GetArrayItem(cJSON_GetObjectItem(copy, "c"), 1), 3, 19);
    cJSON *setv = cJSON_CreateString("zz");
    CHECK_EQ_I64(conf_doc_mark(&d, setv, "--set b.c"), 0);
    conf_error_at(&e, &d, setv, "b.c", "bad");
    CHECK_STR(e.msgs[3], "--set b.c: b.c: bad");
    CHECK_STR(conf_doc_origin(&d, setv), "--set b.c");
    conf_doc_forget(&d, copy);
    CHECK_POS(&d, cJSON_GetArrayItem(cJSON_GetObjectItem(copy, "c"), 1), 0, 0);
    cJSON_Delete(copy);
    conf_doc_forget(&d, setv);
    cJSON_Delete(setv);
    conf_errors_free(&e);
    conf_doc_free(&d);
    conf_doc_free(&d); /* twice is safe */
}

static void test_positions_crlf_bom(void)
{
    /* CRLF line ends, a BOM, tabs, and a lone CR. */
    const char *text = "\xEF\xBB\xBF{\r\n\t\"a\": {\r\n\t\t\"b\": [1,\r\n 2]\r\n\t},\r\"z\": \"\xe2\x82\xac\xe2\x82\xac\", \"y\": 0\r\n}";
    conf_doc d = parse_ok(text);
    if (!d.root) return;
    const cJSON *a = cJSON_GetObjectItem(d.root, "a");
    const cJSON *bb = cJSON_GetObjectItem(a, "b");
    CHECK_POS(&d, d.root, 1, 2); /* the BOM is one character */
    CHECK_POS(&d, a, 2, 7);
    CHECK_POS(&d, bb, 3, 8);
    CHECK_POS(&d, cJSON_GetArrayItem(bb, 1), 4, 2);
    CHECK_POS(&d, cJSON_GetObjectItem(d.root, "z"), 6, 6);
    CHECK_POS(&d, cJSON_GetObjectItem(d.root, "y"), 6, 17); /* two 3-byte euro signs = 2 columns */
    conf_doc_free(&d);
}

/* Parses text expecting failure; the single message must equal `want`. */
static void syntax(const char *text, size_t len, const char *want, int line)
{
    conf_doc d;
    conf_errors e;
    conf_errors_init(&e);
    int r = conf_doc_parse(&d, "s.json", text, len, &e);
    if (r != SIM_EPARSE) tests_fail(__FILE__, line, "parse returned %d for %s", r, text);
    if (e.n != 1 || strcmp(e.msgs[0], want))
        tests_fail(__FILE__, line, "got \"%s\", want \"%s\"", e.n ? e.msgs[0] : "(none)", want);
    else CU_PASS(want);
    CHECK_TRUE(d.root == NULL && d.text == NULL);
    conf_errors_free(&e);
}
#define SYNTAX(text, want) syntax(text, strlen(text), want, __LINE__)

static void test_syntax_errors(void)
{
    SYNTAX("", "s.json:1:1: empty file: expected a JSON object");
    SYNTAX(" \n\t ", "s.json:2:3: empty file: expected a JSON object");
    SYNTAX("{\n  \"a\": 1,\n  \"b\": [1, 2",
           "s.json:3:13: unexpected end of file: the array opened at 3:8 is not closed (expected ',' or ']'; "
           "the file looks truncated)");
    SYNTAX("{\"a\": {\"b\": 1}", "s.json:1:15: unexpected end of file: the object opened at 1:1 is not closed "
           "(expected ',' or '}'; the file looks truncated)");
    SYNTAX("{\"a\": ", "s.json:1:7: unexpected end of file: expected a value (the file looks truncated)");
    SYNTAX("{\"a\" 1}", "s.json:1:6: expected ':' after the key \"a\", found '1'");
    SYNTAX("{\"a\": 1 \"b\": 2}", "s.json:1:9: expected ',' or '}' after an object member, found '\"'");
    SYNTAX("{\"a\": [1 2]}", "s.json:1:10: expected ',' or ']' after an array element, found '2'");
    SYNTAX("{\"a\": 1,}", "s.json:1:9: expected a key after ',', found '}' (JSON does not allow a trailing comma)");
    SYNTAX("{\"a\": [1,]}", "s.json:1:10: expected a value after ',', found ']' (JSON does not allow a trailing comma)");
    SYNTAX("{'a': 1}", "s.json:1:2: expected a key in double quotes, found \"'\" (JSON strings use double quotes)");
    SYNTAX("{a: 1}", "s.json:1:2: expected a key in double quotes, found 'a'");
    SYNTAX("{\"size\": 10GiB}", "s.json:1:10: invalid number '10GiB' (a value with a unit is a string: write \"10GiB\")");
    SYNTAX("{\"a\": 012}", "s.json:1:7: invalid number: leading zeros are not allowed in JSON");
    SYNTAX("{\"a\": -}", "s.json:1:7: invalid number '-'");
    SYNTAX("{\"a\": 1.}", "s.json:1:7: invalid number '1.'");
    SYNTAX("{\"a\": tru}", "s.json:1:7: expected a value, found the word 'tru' (strings are written in double quotes; "
           "the only bare words are true, false and null)");
    SYNTAX("{\"a\": \"abc}", "s.json:1:7: unterminated string: the file ends before its closing '\"'");
    SYNTAX("{\"a\": \"ab\nc\"}", "s.json:1:7: unterminated string (a string cannot span lines; write \\n for a newline)");
    SYNTAX("{\"a\": \"a\\qb\"}", "s.json:1:9: invalid escape in a string: '\\' followed by 'q' (valid: \\\" \\\\ \\/ \\b "
           "\\f \\n \\r \\t \\uXXXX)");
    SYNTAX("{\"a\": \"\\u12\"}", "s.json:1:8: invalid \\u escape: expected 4 hex digits");
    SYNTAX("{\"a\": \"\\ud800x\"}", "s.json:1:8: invalid \\u escape: unpaired UTF-16 high surrogate");
    SYNTAX("{\"a\": \"\\u0000\"}", "s.json:1:8: \\u0000 is not allowed in a string");
    SYNTAX("{\"a\": \"x\ty\"}", "s.json:1:9: control character 0x09 in a string (write it as an escape like \\t or \\u0009)");
    SYNTAX("{\"a\": 1} x", "s.json:1:10: unexpected 'x' after the end of the top-level value");
    SYNTAX("{\"a\": 1} {}", "s.json:1:10: unexpected '{' after the end of the top-level value");
    SYNTAX("{// note\n}", "s.json:1:2: expected a key in double quotes, found '/'");
    SYNTAX("{\"a\": // note\n1}", "s.json:1:7: comments are not allowed in JSON");
    SYNTAX("[1, 2]", "s.json:1:1: expected a JSON object {...} at the top level, found an array of 2");
    SYNTAX("\"just a string\"", "s.json:1:1: expected a JSON object {...} at the top level, found \"just a string\"");
    SYNTAX("{\"a\": 1, \"a\": 2}", "s.json:1:10: duplicate key \"a\" (first at 1:2)");
    /* CRLF and UTF-8 before the error. */
    SYNTAX("{\r\n  \"\xc3\xa9t\xc3\xa9\": 1,\r\n  \"b\": x\r\n}", "s.json:3:8: expected a value, found the word 'x' "
           "(strings are written in double quotes; the only bare words are true, false and null)");
    SYNTAX("{\"a\": \xc3\xa9}", "s.json:1:7: expected a value (object, array, string, number, true, false or null), "
           "found '\xc3\xa9'");
    /* A NUL byte: reported, never truncating the file silently. */
    syntax("{\"a\": 1}\0{", 10, "s.json:1:9: unexpected a NUL byte after the end of the top-level value", __LINE__);
    syntax("{\"a\": \"x\0y\"}", 12, "s.json:1:9: control character 0x00 in a string (write it as an escape like \\t or "
           "\\u0000)", __LINE__);
    syntax("{\"a\":\0 1}", 9, "s.json:1:6: expected a value (object, array, string, number, true, false or null), "
           "found a NUL byte", __LINE__);

    /* Nesting: 1000 levels parse, 1001 do not. */
    char *deep = malloc(2 * 1001 + 16);
    size_t n = 0;
    deep[n++] = '{';
    memcpy(deep + n, "\"a\":", 4), n += 4;
    for (int i = 0; i < 998; i++) deep[n++] = '[';
    for (int i = 0; i < 998; i++) deep[n++] = ']';
    deep[n++] = '}';
    conf_doc d;
    conf_errors e;
    conf_errors_init(&e);
    CHECK_EQ_I64(conf_doc_parse(&d, "deep.json", deep, n, &e), 0);
    conf_doc_free(&d);
    n = 0;
    deep[n++] = '{';
    memcpy(deep + n, "\"a\":", 4), n += 4;
    for (int i = 0; i < 1000; i++) deep[n++] = '[';
    for (int i = 0; i < 1000; i++) deep[n++] = ']';
    deep[n++] = '}';
    CHECK_EQ_I64(conf_doc_parse(&d, "deep.json", deep, n, &e), SIM_EPARSE);
    CHECK_EQ_U64(e.n, 1);
    if (e.n) CHECK_STR(e.msgs[0], "deep.json:1:1005: nesting deeper than 1000 levels");
    free(deep);
    conf_errors_free(&e);

    /* Missing file. */
    conf_errors_init(&e);
    CHECK_EQ_I64(conf_doc_load(&d, "/nonexistent/x.json", &e), SIM_ENOENT);
    CHECK_STR(e.msgs[0], "/nonexistent/x.json: cannot open: No such file or directory");
    conf_errors_free(&e);
}

static void test_doc_load(void)
{
    char *dir = tests_mkdtemp();
    CHECK_TRUE(dir != NULL);
    if (!dir) return;
    char path[512];
    snprintf(path, sizeof path, "%s/sub.json", dir);
    CHECK_EQ_I64(tests_write_file(path, "{\n \"k\": [1, 2]\n}\n"), 0);
    conf_doc d;
    conf_errors e;
    conf_errors_init(&e);
    CHECK_EQ_I64(conf_doc_load(&d, path, &e), 0);
    CHECK_STR(d.dir, dir);
    CHECK_STR(d.path, path);
    CHECK_POS(&d, cJSON_GetArrayItem(cJSON_GetObjectItem(d.root, "k"), 1), 2, 11);
    conf_doc_free(&d);
    /* A directory is not a file. */
    CHECK_TRUE(conf_doc_load(&d, dir, &e) < 0);
    CHECK_EQ_U64(e.n, 1);
    conf_errors_free(&e);
    tests_rmtree(dir);
    free(dir);
}

/* ---- field tables --------------------------------------------------------- */

typedef struct {
    int64_t size;
    bool on;
} inner_t;

typedef struct {
    bool b;
    int64_t i;
    double d;
    sim_time_t t;
    uint64_t bytes;
    double bw, rate, pct;
    char *s;
    int mode;
    char *ref;
    conf_strlist refs;
    inner_t in;
    const cJSON *raw;
} all_t;

static const char *const modes[] = { "lru", "fifo", "sieve", NULL };

static const conf_field inner_fields[] = {
    { "size", CONF_INT, offsetof(inner_t, size), "4", "entries", 1, 100, NULL, NULL },
    { "on", CONF_BOOL, offsetof(inner_t, on), NULL, "required inner flag", 0, 0, NULL, NULL },
    { NULL, 0, 0, NULL, NULL, 0, 0, NULL, NULL },
};

static const conf_field all_fields[] = {
    { "b", CONF_BOOL, offsetof(all_t, b), "true", "a flag", 0, 0, NULL, NULL },
    { "i", CONF_INT, offsetof(all_t, i), "3", "a count", 0, 10, NULL, NULL },
    { "d", CONF_DOUBLE, offsetof(all_t, d), "0.5", "a | weight", -1, 1, NULL, NULL },
    { "t", CONF_DURATION, offsetof(all_t, t), "\"2ms\"", "a delay", 0, 0, NULL, NULL },
    { "bytes", CONF_BYTES, offsetof(all_t, bytes), "\"1KiB\"", "a size", 0, 0, NULL, NULL },
    { "bw", CONF_BANDWIDTH, offsetof(all_t, bw), "\"1Gbit/s\"", "link", 0, 0, NULL, NULL },
    { "rate", CONF_RATE, offsetof(all_t, rate), "\"100/s\"", "arrivals", 0, 0, NULL, NULL },
    { "pct", CONF_PERCENT, offsetof(all_t, pct), "\"90%\"", "share", 0, 0, NULL, NULL },
    { "s", CONF_STRING, offsetof(all_t, s), "\"hello\"", "a name", 0, 0, NULL, NULL },
    { "mode", CONF_ENUM, offsetof(all_t, mode), "\"lru\"", "policy", 0, 0, modes, NULL },
    { "ref", CONF_REF, offsetof(all_t, ref), NULL, "next hop", 0, 0, NULL, NULL },
    { "refs", CONF_REFLIST, offsetof(all_t, refs), "[]", "backends", 0, 0, NULL, NULL },
    { "in", CONF_OBJECT, offsetof(all_t, in), NULL, "inner", 0, 0, NULL, inner_fields },
    { "raw", CONF_JSON, offsetof(all_t, raw), "null", "anything", 0, 0, NULL, NULL },
    { NULL, 0, 0, NULL, NULL, 0, 0, NULL, NULL },
};

static void test_fields_values_and_defaults(void)
{
    conf_doc d = parse_ok("{\"c\": {\"id\": \"x\", \"_comment\": \"ignored\", \"b\": false, \"i\": 10, \"d\": -0.25, "
                          "\"t\": \"1.5s\", \"bytes\": \"10GiB\", \"bw\": \"100Mbit/s\", \"rate\": 5, \"pct\": 0.25, "
                          "\"s\": \"s3\", \"mode\": \"sieve\", \"ref\": \"lb\", \"refs\": [\"a\", \"b\"], "
                          "\"in\": {\"on\": true}, \"raw\": {\"q\": [1]}}}");
    if (!d.root) return;
    all_t v;
    memset(&v, 0x55, sizeof v); /* garbage: reading must reset everything */
    conf_errors e;
    conf_errors_init(&e);
    const char *ignore[] = { "id", NULL };
    int r = conf_read_fields(&d, cJSON_GetObjectItem(d.root, "c"), "components[0]", all_fields, ignore, &v, &e);
    CHECK_EQ_I64(r, 0);
    if (e.n) tests_fail(__FILE__, __LINE__, "%s", tests_errors_joined(&e));
    CHECK_TRUE(!v.b);
    CHECK_EQ_I64(v.i, 10);
    CHECK_NEAR(v.d, -0.25, 0);
    CHECK_EQ_I64(v.t, 1500 * SIM_MS);
    CHECK_EQ_U64(v.bytes, 10ULL << 30);
    CHECK_NEAR(v.bw, 12.5e6, 1e-6);
    CHECK_NEAR(v.rate, 5, 0);
    CHECK_NEAR(v.pct, 0.25, 0);
    CHECK_STR(v.s, "s3");
    CHECK_EQ_I64(v.mode, 2);
    CHECK_STR(v.ref, "lb");
    CHECK_EQ_U64(v.refs.n, 2);
    if (v.refs.n == 2) CHECK_STR(v.refs.v[1], "b");
    CHECK_EQ_I64(v.in.size, 4);
    CHECK_TRUE(v.in.on);
    CHECK_TRUE(v.raw && cJSON_IsObject(v.raw));

    cJSON *j = conf_fields_to_json(all_fields, &v);
    char *txt = cJSON_PrintUnformatted(j);
    CHECK_STR(txt, "{\"b\":false,\"i\":10,\"d\":-0.25,\"t\":\"1.5s\",\"bytes\":\"10GiB\",\"bw\":\"100Mbit/s\","
                   "\"rate\":\"5/s\",\"pct\":\"25%\",\"s\":\"s3\",\"mode\":\"sieve\",\"ref\":\"lb\",\"refs\":[\"a\",\"b\"],"
                   "\"in\":{\"size\":4,\"on\":true},\"raw\":{\"q\":[1]}}");
    free(txt);
    cJSON_Delete(j);
    conf_free_fields(all_fields, &v);
    CHECK_TRUE(v.s == NULL && v.refs.v == NULL);

    /* Defaults: only the required keys written; a single ref is a list of one. */
    conf_doc d2 = parse_ok("{\"ref\": \"o\", \"refs\": \"solo\", \"in\": {\"on\": false}}");
    r = conf_read_fields(&d2, d2.root, "x", all_fields, NULL, &v, &e);
    CHECK_EQ_I64(r, 0);
    CHECK_TRUE(v.b);
    CHECK_EQ_I64(v.i, 3);
    CHECK_EQ_I64(v.t, 2 * SIM_MS);
    CHECK_EQ_U64(v.bytes, 1024);
    CHECK_NEAR(v.bw, 125e6, 1e-6);
    CHECK_NEAR(v.rate, 100, 0);
    CHECK_NEAR(v.pct, 0.9, 1e-15);
    CHECK_STR(v.s, "hello");
    CHECK_EQ_I64(v.mode, 0);
    CHECK_EQ_U64(v.refs.n, 1);
    CHECK_TRUE(v.raw == NULL);
    conf_free_fields(all_fields, &v);
    conf_doc_free(&d2);
    CHECK_EQ_U64(e.n, 0);

    /* Markdown for the docs. */
    char *md = NULL;
    size_t mdlen = 0;
    FILE *f = open_memstream(&md, &mdlen);
    conf_fields_markdown(all_fields, f);
    fclose(f);
    CHECK_CONTAINS(md, "| key | type | default | meaning |\n|---|---|---|---|\n");
    CHECK_CONTAINS(md, "| `i` | integer, 0 to 10 | `3` | a count |");
    CHECK_CONTAINS(md, "| `d` | number, -1 to 1 | `0.5` | a \\| weight |");
    CHECK_CONTAINS(md, "| `mode` | one of `lru`, `fifo`, `sieve` | `\"lru\"` | policy |");
    CHECK_CONTAINS(md, "| `ref` | component id | required | next hop |");
    CHECK_CONTAINS(md, "| `in.on` | bool | required | required inner flag |");
    free(md);
    conf_errors_free(&e);
    conf_doc_free(&d);
}

/* Reads `obj_text` (the object at "c") and expects exactly the messages in
 * `want` (newline-terminated each) in order. */
static void fields_errors(const char *obj_text, const char *want, int line)
{
    char *text = NULL;
    if (asprintf(&text, "{\"c\":\n%s}", obj_text) < 0) return;
    conf_doc d;
    conf_errors e;
    conf_errors_init(&e);
    if (conf_doc_parse(&d, "f.json", text, strlen(text), &e)) {
        tests_fail(__FILE__, line, "did not parse: %s", tests_errors_joined(&e));
        free(text);
        conf_errors_free(&e);
        return;
    }
    all_t v;
    int r = conf_read_fields(&d, cJSON_GetObjectItem(d.root, "c"), "components[3]", all_fields, NULL, &v, &e);
    if (r != SIM_EPARSE) tests_fail(__FILE__, line, "conf_read_fields returned %d", r);
    const char *got = tests_errors_joined(&e);
    if (strcmp(got, want)) tests_fail(__FILE__, line, "got:\n%swant:\n%s", got, want);
    else CU_PASS(want);
    conf_free_fields(all_fields, &v);
    conf_doc_free(&d);
    conf_errors_free(&e);
    free(text);
}
#define FIELDS_ERR(obj, want) fields_errors(obj, want, __LINE__)
#define BASE "\"ref\": \"r\", \"in\": {\"on\": true}"

static void test_fields_errors(void)
{
    FIELDS_ERR("{" BASE ", \"bytse\": 1}", "f.json:2:34: components[3].bytse: unknown key (did you mean \"bytes\"?)\n");
    FIELDS_ERR("{" BASE ", \"zzzzzz\": 1}",
               "f.json:2:34: components[3].zzzzzz: unknown key (known: b, i, d, t, bytes, bw, rate, pct, s, mode, ref, "
               "refs, in, raw)\n");
    FIELDS_ERR("{\"in\": {\"on\": true}}", "f.json:2:1: components[3]: missing required key \"ref\" (expected a component id)\n");
    FIELDS_ERR("{\"ref\": \"r\"}", "f.json:2:1: components[3].in: missing required key \"on\" (expected true or false)\n");
    FIELDS_ERR("{" BASE ", \"b\": \"yes\"}", "f.json:2:39: components[3].b: expected true or false, found \"yes\"\n");
    FIELDS_ERR("{" BASE ", \"i\": 11}", "f.json:2:39: components[3].i: expected a number from 0 to 10, found 11\n");
    FIELDS_ERR("{" BASE ", \"i\": 2.5}", "f.json:2:39: components[3].i: expected a whole number, found 2.5\n");
    FIELDS_ERR("{" BASE ", \"i\": \"2\"}", "f.json:2:39: components[3].i: expected a whole number, found \"2\"\n");
    FIELDS_ERR("{" BASE ", \"d\": 1e999}", "f.json:2:39: components[3].d: expected a number, found a number out of range\n");
    FIELDS_ERR("{" BASE ", \"t\": 100}",
               "f.json:2:39: components[3].t: expected a duration with a unit like \"100ms\" or \"100s\", found the bare "
               "number 100\n");
    FIELDS_ERR("{" BASE ", \"t\": \"-5ms\"}", "f.json:2:39: components[3].t: expected a duration like \"50ms\" (units "
               "ns, us, ms, s, min, h), found the negative value \"-5ms\"\n");
    FIELDS_ERR("{" BASE ", \"t\": \"5 parsecs\"}", "f.json:2:39: components[3].t: expected a duration like \"50ms\" "
               "(units ns, us, ms, s, min, h), found \"5 parsecs\"\n");
    FIELDS_ERR("{" BASE ", \"bytes\": \"-1GiB\"}", "f.json:2:43: components[3].bytes: expected a size like \"10GiB\" "
               "(B, KB, MB, GB, TB, KiB, MiB, GiB, TiB), found the negative value \"-1GiB\"\n");
    FIELDS_ERR("{" BASE ", \"bytes\": -5}", "f.json:2:43: components[3].bytes: expected a size like \"10GiB\" (B, KB, "
               "MB, GB, TB, KiB, MiB, GiB, TiB), found -5\n");
    FIELDS_ERR("{" BASE ", \"bytes\": \"99999999999PiB\"}",
               "f.json:2:43: components[3].bytes: value out of range: \"99999999999PiB\"\n");
    FIELDS_ERR("{" BASE ", \"bw\": 100}", "f.json:2:40: components[3].bw: expected a bandwidth like \"1Gbit/s\" or "
               "\"500MB/s\", found the bare number 100 (bits or bytes?)\n");
    FIELDS_ERR("{" BASE ", \"rate\": \"fast\"}", "f.json:2:42: components[3].rate: expected a rate like \"2000/s\" "
               "(/s, /ms, /min, /h), found \"fast\"\n");
    FIELDS_ERR("{" BASE ", \"pct\": 1.5}", "f.json:2:41: components[3].pct: expected a fraction from 0 to 1 (or a "
               "percentage like \"90%\"), found 1.5\n");
    FIELDS_ERR("{" BASE ", \"pct\": \"120%\"}",
               "f.json:2:41: components[3].pct: expected a percentage from 0% to 100%, found \"120%\"\n");
    FIELDS_ERR("{" BASE ", \"s\": 5}", "f.json:2:39: components[3].s: expected a string, found 5\n");
    FIELDS_ERR("{" BASE ", \"mode\": \"lur\"}", "f.json:2:42: components[3].mode: expected one of \"lru\", \"fifo\", "
               "\"sieve\", found \"lur\" (did you mean \"lru\"?)\n");
    FIELDS_ERR("{" BASE ", \"mode\": 1}", "f.json:2:42: components[3].mode: expected one of \"lru\", \"fifo\", "
               "\"sieve\", found 1\n");
    FIELDS_ERR("{\"ref\": \"\", \"in\": {\"on\": true}}", "f.json:2:9: components[3].ref: expected a component id, found \"\"\n");
    FIELDS_ERR("{" BASE ", \"refs\": [\"a\", 3]}", "f.json:2:48: components[3].refs[1]: expected a component id, found 3\n");
    FIELDS_ERR("{" BASE ", \"refs\": {}}", "f.json:2:42: components[3].refs: expected a component id or a list of ids, "
               "found an empty object\n");
    FIELDS_ERR("{\"ref\": \"r\", \"in\": 5}", "f.json:2:20: components[3].in: expected an object {...}, found 5\n");
    FIELDS_ERR("{\"ref\": \"r\", \"in\": {\"on\": true, \"size\": 0, \"of\": 1}}",
               "f.json:2:44: components[3].in.of: unknown key (did you mean \"on\"?)\n"
               "f.json:2:41: components[3].in.size: expected a number from 1 to 100, found 0\n");
    FIELDS_ERR("[1]", "f.json:2:1: components[3]: expected an object {...}, found an array of 1\n");
    /* Several problems in one object: all reported, in order. */
    FIELDS_ERR("{\"i\": -1, \"t\": \"x\", \"in\": {\"on\": 1}}",
               "f.json:2:7: components[3].i: expected a number from 0 to 10, found -1\n"
               "f.json:2:16: components[3].t: expected a duration like \"50ms\" (units ns, us, ms, s, min, h), found \"x\"\n"
               "f.json:2:1: components[3]: missing required key \"ref\" (expected a component id)\n"
               "f.json:2:34: components[3].in.on: expected true or false, found 1\n");
}


/* ---- distributions -------------------------------------------------------- */

/* Reads the distribution at key "d" of `obj_text`; returns 0 and fills *out,
 * or records errors and compares them with want (when not NULL). */
static int dist_of(const char *obj_text, conf_unit u, sim_dist *out, const char *want, int line)
{
    conf_doc d;
    conf_errors e;
    conf_errors_init(&e);
    if (conf_doc_parse(&d, "d.json", obj_text, strlen(obj_text), &e)) {
        tests_fail(__FILE__, line, "did not parse: %s", tests_errors_joined(&e));
        conf_errors_free(&e);
        return -100;
    }
    int r = conf_read_dist(&d, cJSON_GetObjectItem(d.root, "d"), "x.d", u, out, &e);
    if (want) {
        if (r != SIM_EPARSE) tests_fail(__FILE__, line, "conf_read_dist returned %d, want an error", r);
        const char *got = tests_errors_joined(&e);
        if (strcmp(got, want)) tests_fail(__FILE__, line, "got:\n%swant:\n%s", got, want);
        else CU_PASS(want);
    } else if (r) {
        tests_fail(__FILE__, line, "conf_read_dist failed: %s", tests_errors_joined(&e));
    }
    conf_doc_free(&d);
    conf_errors_free(&e);
    return r;
}

#define DIST_OK(text, u, kind_, a_, b_) do { sim_dist _d; if (!dist_of(text, u, &_d, NULL, __LINE__)) { \
    CHECK_EQ_I64(_d.kind, kind_); CHECK_NEAR(_d.a, a_, fabs((double)(a_)) * 1e-9); if ((double)(b_) != 0) CHECK_NEAR(_d.b, b_, fabs((double)(b_)) * 1e-9); \
    sim_dist_free(&_d); } } while (0)
#define DIST_ERR(text, u, want) do { sim_dist _d; dist_of(text, u, &_d, want, __LINE__); } while (0)

static void test_dist_forms(void)
{
    DIST_OK("{\"d\": \"2ms\"}", CONF_UNIT_TIME, SIM_DIST_CONST, 2e6, 0);
    DIST_OK("{\"d\": 0}", CONF_UNIT_TIME, SIM_DIST_CONST, 0, 0);
    DIST_OK("{\"d\": 4096}", CONF_UNIT_BYTES, SIM_DIST_CONST, 4096, 0);
    DIST_OK("{\"d\": \"64KiB\"}", CONF_UNIT_BYTES, SIM_DIST_CONST, 65536, 0);
    DIST_OK("{\"d\": 2.5}", CONF_UNIT_NONE, SIM_DIST_CONST, 2.5, 0);
    DIST_OK("{\"d\": {\"const\": \"1s\"}}", CONF_UNIT_TIME, SIM_DIST_CONST, 1e9, 0);
    DIST_OK("{\"d\": {\"uniform\": {\"low\": \"1ms\", \"high\": \"3ms\"}}}", CONF_UNIT_TIME, SIM_DIST_UNIFORM, 1e6, 3e6);
    DIST_OK("{\"d\": {\"exp\": \"1ms\"}}", CONF_UNIT_TIME, SIM_DIST_EXP, 1e6, 0);
    DIST_OK("{\"d\": {\"exp\": {\"mean\": \"250us\"}}}", CONF_UNIT_TIME, SIM_DIST_EXP, 250e3, 0);
    DIST_OK("{\"d\": {\"_why\": \"a comment\", \"exp\": \"1ms\", \"_mean\": \"1ms\"}}", CONF_UNIT_TIME, SIM_DIST_EXP, 1e6, 0);
    DIST_OK("{\"d\": {\"exp\": {\"rate\": \"2000/s\"}}}", CONF_UNIT_TIME, SIM_DIST_EXP, 5e5, 0);
    DIST_OK("{\"d\": {\"normal\": {\"mean\": \"5ms\", \"sd\": \"1ms\"}}}", CONF_UNIT_TIME, SIM_DIST_NORMAL, 5e6, 1e6);
    DIST_OK("{\"d\": {\"lognormal\": {\"mu\": 1.2, \"sigma\": 0.5}}}", CONF_UNIT_TIME, SIM_DIST_LOGNORMAL, 1.2, 0.5);
    DIST_OK("{\"d\": {\"gamma\": {\"shape\": 2, \"scale\": \"1ms\"}}}", CONF_UNIT_TIME, SIM_DIST_GAMMA, 2, 1e6);
    DIST_OK("{\"d\": {\"gamma\": {\"shape\": 2, \"mean\": \"4ms\"}}}", CONF_UNIT_TIME, SIM_DIST_GAMMA, 2, 2e6);
    DIST_OK("{\"d\": {\"weibull\": {\"shape\": 1.5, \"scale\": \"1ms\"}}}", CONF_UNIT_TIME, SIM_DIST_WEIBULL, 1e6, 1.5);
    DIST_OK("{\"d\": {\"pareto\": {\"alpha\": 1.5, \"min\": \"1KiB\"}}}", CONF_UNIT_BYTES, SIM_DIST_PARETO, 1.5, 1024);
    DIST_OK("{\"d\": {\"bounded_pareto\": {\"alpha\": 1.2, \"low\": \"1KiB\", \"high\": \"1GiB\"}}}", CONF_UNIT_BYTES,
            SIM_DIST_BPARETO, 1.2, 1024);

    /* lognormal by mean and p99: the mean and quantile come back. */
    sim_dist d;
    if (!dist_of("{\"d\": {\"lognormal\": {\"mean\": \"2ms\", \"p99\": \"20ms\"}}}", CONF_UNIT_TIME, &d, NULL, __LINE__)) {
        CHECK_EQ_I64(d.kind, SIM_DIST_LOGNORMAL);
        CHECK_NEAR(sim_dist_mean(&d), 2e6, 2e6 * 1e-9);
        CHECK_NEAR(sim_dist_quantile(&d, 0.99), 20e6, 20e6 * 1e-9);
        sim_dist_free(&d);
    }
    if (!dist_of("{\"d\": {\"lognormal\": {\"mean\": \"2ms\", \"sd\": \"1ms\"}}}", CONF_UNIT_TIME, &d, NULL, __LINE__)) {
        CHECK_NEAR(sim_dist_mean(&d), 2e6, 2e6 * 1e-9);
        CHECK_NEAR(sqrt(sim_dist_variance(&d)), 1e6, 1e6 * 1e-9);
        sim_dist_free(&d);
    }
    /* Inline empirical tables, with units and percentages. */
    if (!dist_of("{\"d\": {\"empirical\": {\"quantiles\": [[0, \"1ms\"], [\"50%\", \"2ms\"], [1, \"9ms\"]]}}}",
                 CONF_UNIT_TIME, &d, NULL, __LINE__)) {
        CHECK_EQ_I64(d.kind, SIM_DIST_EMPIRICAL);
        CHECK_NEAR(sim_dist_quantile(&d, 0.5), 2e6, 1);
        CHECK_NEAR(sim_dist_quantile(&d, 1), 9e6, 1);
        sim_dist_free(&d);
    }
    if (!dist_of("{\"d\": {\"empirical\": {\"unit\": \"us\", \"quantiles\": [[0, 100], [1, 300]]}}}", CONF_UNIT_TIME,
                 &d, NULL, __LINE__)) {
        CHECK_NEAR(sim_dist_quantile(&d, 0.5), 200e3, 1);
        sim_dist_free(&d);
    }
    if (!dist_of("{\"d\": {\"empirical\": {\"histogram\": [[\"1ms\", \"2ms\", 10], [\"2ms\", \"4ms\", 30]]}}}",
                 CONF_UNIT_TIME, &d, NULL, __LINE__)) {
        CHECK_EQ_I64(d.kind, SIM_DIST_EMPIRICAL);
        /* mean of the mixture: 0.25 * 1.5ms + 0.75 * 3ms */
        CHECK_NEAR(sim_dist_mean(&d), 2.625e6, 1);
        sim_dist_free(&d);
    }

    /* Back to the language. */
    const struct { const char *in; conf_unit u; const char *out; } rt[] = {
        { "{\"d\": \"2ms\"}", CONF_UNIT_TIME, "\"2ms\"" },
        { "{\"d\": {\"exp\": \"1ms\"}}", CONF_UNIT_TIME, "{\"exp\":\"1ms\"}" },
        { "{\"d\": {\"uniform\": {\"low\": \"1KiB\", \"high\": \"1MiB\"}}}", CONF_UNIT_BYTES,
          "{\"uniform\":{\"low\":\"1KiB\",\"high\":\"1MiB\"}}" },
        { "{\"d\": {\"weibull\": {\"shape\": 1.5, \"scale\": \"1ms\"}}}", CONF_UNIT_TIME,
          "{\"weibull\":{\"shape\":1.5,\"scale\":\"1ms\"}}" },
        /* mu and sigma exact, the mean e^1.125 and p99 e^(1 + 2.326 x 0.5) as comments */
        { "{\"d\": {\"lognormal\": {\"mu\": 1, \"sigma\": 0.5}}}", CONF_UNIT_TIME,
          "{\"lognormal\":{\"mu\":1,\"sigma\":0.5},\"_mean\":\"3ns\",\"_p99\":\"9ns\"}" },
        { "{\"d\": {\"lognormal\": {\"mu\": 1, \"sigma\": 0.5}}}", CONF_UNIT_NONE,
          "{\"lognormal\":{\"mu\":1,\"sigma\":0.5}}" },
        { "{\"d\": {\"bounded_pareto\": {\"alpha\": 1.2, \"low\": \"1KiB\", \"high\": \"1GiB\"}}}", CONF_UNIT_BYTES,
          "{\"bounded_pareto\":{\"alpha\":1.2,\"low\":\"1KiB\",\"high\":\"1GiB\"}}" },
        { "{\"d\": {\"exp\": \"1.5ns\"}}", CONF_UNIT_TIME, "{\"exp\":\"2ns\"}" }, /* durations are whole ns */
    };
    for (size_t i = 0; i < sizeof rt / sizeof rt[0]; i++) {
        if (dist_of(rt[i].in, rt[i].u, &d, NULL, __LINE__)) continue;
        cJSON *j = conf_dist_to_json(&d, rt[i].u);
        char *t = cJSON_PrintUnformatted(j);
        CHECK_STR(t, rt[i].out);
        free(t);
        cJSON_Delete(j);
        sim_dist_free(&d);
    }
    /* A lognormal given by mean and p99 shows them again beside mu and sigma,
     * and what is shown reads back to the same distribution (the comments
     * are skipped). */
    if (!dist_of("{\"d\": {\"lognormal\": {\"mean\": \"2ms\", \"p99\": \"20ms\"}}}", CONF_UNIT_TIME, &d, NULL,
                 __LINE__)) {
        cJSON *j = conf_dist_to_json(&d, CONF_UNIT_TIME);
        char *t = cJSON_PrintUnformatted(j);
        CHECK_CONTAINS(t, "\"_mean\":\"2ms\",\"_p99\":\"20ms\"}");
        char in[512];
        snprintf(in, sizeof in, "{\"d\": %s}", t);
        sim_dist back;
        if (!dist_of(in, CONF_UNIT_TIME, &back, NULL, __LINE__)) {
            CHECK_TRUE(back.kind == SIM_DIST_LOGNORMAL && back.a == d.a && back.b == d.b);
            sim_dist_free(&back);
        }
        free(t);
        cJSON_Delete(j);
        sim_dist_free(&d);
    }
}

static void test_dist_errors(void)
{
    DIST_ERR("{\"d\": \"5 parsecs\"}", CONF_UNIT_TIME, "d.json:1:7: x.d: expected a duration like \"2ms\", found \"5 parsecs\"\n");
    DIST_ERR("{\"d\": 100}", CONF_UNIT_TIME,
             "d.json:1:7: x.d: expected a duration with a unit like \"100ms\", found the bare number 100\n");
    DIST_ERR("{\"d\": \"-1KiB\"}", CONF_UNIT_BYTES,
             "d.json:1:7: x.d: expected a size like \"64KiB\", found the negative value \"-1KiB\"\n");
    DIST_ERR("{\"d\": true}", CONF_UNIT_TIME, "d.json:1:7: x.d: expected a duration like \"2ms\" or a distribution like "
             "{\"exp\": \"1ms\"}, found true\n");
    DIST_ERR("{\"d\": {}}", CONF_UNIT_TIME, "d.json:1:7: x.d: a distribution is an object with one key naming its family "
             "(const, uniform, exp, normal, lognormal, gamma, weibull, pareto, bounded_pareto, empirical), found 0 keys\n");
    DIST_ERR("{\"d\": {\"_note\": 1}}", CONF_UNIT_TIME, "d.json:1:7: x.d: a distribution is an object with one key naming "
             "its family (const, uniform, exp, normal, lognormal, gamma, weibull, pareto, bounded_pareto, empirical), found "
             "0 keys\n");
    DIST_ERR("{\"d\": {\"expo\": \"1ms\"}}", CONF_UNIT_TIME, "d.json:1:8: x.d.expo: unknown distribution (did you mean \"exp\"?)\n");
    DIST_ERR("{\"d\": {\"exp\": \"0ms\"}}", CONF_UNIT_TIME, "d.json:1:15: x.d.exp: the mean must be greater than 0\n");
    DIST_ERR("{\"d\": {\"exp\": {\"mean\": \"1ms\", \"rate\": \"5/s\"}}}", CONF_UNIT_TIME,
             "d.json:1:15: x.d.exp: give exactly one of \"mean\" or \"rate\"\n");
    DIST_ERR("{\"d\": {\"uniform\": {\"low\": \"3ms\", \"high\": \"1ms\"}}}", CONF_UNIT_TIME,
             "d.json:1:42: x.d.uniform.high: high must not be below low\n");
    DIST_ERR("{\"d\": {\"uniform\": {\"low\": \"3ms\"}}}", CONF_UNIT_TIME,
             "d.json:1:19: x.d.uniform: missing \"high\" (uniform needs low and high)\n");
    DIST_ERR("{\"d\": {\"normal\": {\"mean\": \"3ms\", \"sd\": \"0\"}}}", CONF_UNIT_TIME,
             "d.json:1:40: x.d.normal.sd: sd must be greater than 0\n");
    DIST_ERR("{\"d\": {\"lognormal\": {\"mean\": \"2ms\", \"p99\": \"1ms\"}}}", CONF_UNIT_TIME,
             "d.json:1:44: x.d.lognormal.p99: p99 must be above the mean for a lognormal\n");
    DIST_ERR("{\"d\": {\"lognormal\": {\"mean\": \"1ms\", \"p99\": \"20ms\"}}}", CONF_UNIT_TIME,
             "d.json:1:44: x.d.lognormal.p99: p99 is too far above the mean: a lognormal has p99 < 14.97 x mean\n");
    DIST_ERR("{\"d\": {\"lognormal\": {\"mean\": \"2ms\"}}}", CONF_UNIT_TIME,
             "d.json:1:21: x.d.lognormal: expected one of the parameter sets {\"mean\": .., \"p99\": ..}, {\"mean\": .., "
             "\"sd\": ..} or {\"mu\": .., \"sigma\": ..}\n");
    DIST_ERR("{\"d\": {\"lognormal\": {\"mean\": \"2ms\", \"p90\": \"9ms\"}}}", CONF_UNIT_TIME,
             "d.json:1:37: x.d.lognormal.p90: unknown lognormal parameter (did you mean \"p99\"?)\n");
    DIST_ERR("{\"d\": {\"gamma\": {\"shape\": -2, \"scale\": \"1ms\"}}}", CONF_UNIT_TIME,
             "d.json:1:27: x.d.gamma.shape: must be greater than 0, found -2\n");
    DIST_ERR("{\"d\": {\"gamma\": {\"shape\": \"2\", \"scale\": \"1ms\"}}}", CONF_UNIT_TIME,
             "d.json:1:27: x.d.gamma.shape: expected a plain number, found \"2\"\n");
    DIST_ERR("{\"d\": {\"weibull\": {\"shape\": 1}}}", CONF_UNIT_TIME,
             "d.json:1:19: x.d.weibull: missing \"scale\" (weibull needs shape and scale)\n");
    DIST_ERR("{\"d\": {\"pareto\": [1.5, 2]}}", CONF_UNIT_BYTES,
             "d.json:1:18: x.d.pareto: expected the pareto parameters as an object like {\"alpha\": 1.5, \"min\": ..}, "
             "found an array of 2\n");
    DIST_ERR("{\"d\": {\"bounded_pareto\": {\"alpha\": 1, \"low\": \"1GiB\", \"high\": \"1KiB\"}}}", CONF_UNIT_BYTES,
             "d.json:1:62: x.d.bounded_pareto.high: high must be above low\n");
    DIST_ERR("{\"d\": {\"empirical\": {\"quantiles\": [[0.1, \"1ms\"], [1, \"2ms\"]]}}}", CONF_UNIT_TIME,
             "d.json:1:37: x.d.empirical.quantiles[0][0]: the first point must be at p = 0 (the minimum), found 0.1\n");
    DIST_ERR("{\"d\": {\"empirical\": {\"quantiles\": [[0, \"3ms\"], [0.5, \"2ms\"], [1, \"4ms\"]]}}}", CONF_UNIT_TIME,
             "d.json:1:54: x.d.empirical.quantiles[1][1]: values must not decrease as p grows: \"2ms\" comes after a "
             "larger value\n");
    DIST_ERR("{\"d\": {\"empirical\": {\"quantiles\": [[0, \"3ms\"], [0, \"3ms\"], [1, \"4ms\"]]}}}", CONF_UNIT_TIME,
             "d.json:1:49: x.d.empirical.quantiles[1][0]: probabilities must increase: 0 after 0\n");
    DIST_ERR("{\"d\": {\"empirical\": {\"quantiles\": [[0, 1], [1, 2]]}}}", CONF_UNIT_TIME,
             "d.json:1:40: x.d.empirical.quantiles[0][1]: expected a duration with a unit like \"1ms\", found the bare "
             "number 1\nd.json:1:48: x.d.empirical.quantiles[1][1]: expected a duration with a unit like \"2ms\", found "
             "the bare number 2\n");
    DIST_ERR("{\"d\": {\"empirical\": {\"unit\": \"KiB\", \"quantiles\": [[0, 1], [1, 2]]}}}", CONF_UNIT_TIME,
             "d.json:1:30: x.d.empirical.unit: expected a time unit (ns, us, ms, s, min, h), found \"KiB\"\n");
    DIST_ERR("{\"d\": {\"empirical\": {\"histogram\": [[\"1ms\", \"2ms\", 0]]}}}", CONF_UNIT_TIME,
             "d.json:1:35: x.d.empirical.histogram: all weights are 0\n");
    DIST_ERR("{\"d\": {\"empirical\": {\"histogram\": [[\"1ms\", \"2ms\"]]}}}", CONF_UNIT_TIME,
             "d.json:1:36: x.d.empirical.histogram[0]: expected a triple [low, high, weight], found an array of 2\n");
    DIST_ERR("{\"d\": {\"empirical\": {\"quantiles\": [], \"histogram\": []}}}", CONF_UNIT_TIME,
             "d.json:1:21: x.d.empirical: give either \"quantiles\" or \"histogram\", not both\n");
    DIST_ERR("{\"d\": {\"empirical\": \"nonexistent/ssd.json\"}}", CONF_UNIT_TIME,
             "d.json:1:21: x.d.empirical: cannot read the empirical file nonexistent/ssd.json: no such file\n");
}

static void test_dist_empirical_file(void)
{
    char *dir = tests_mkdtemp();
    if (!dir) return;
    char p[1024], calib[512];
    snprintf(calib, sizeof calib, "%s/calib", dir);
    CHECK_EQ_I64(mkdir(calib, 0755), 0);
    snprintf(p, sizeof p, "%s/ssd.json", calib);
    tests_write_file(p, "{\"schema\": \"cdnsim.empirical/1\", \"unit\": \"us\", \"source\": \"fio randread 4KiB\",\n"
                        " \"quantiles\": [[0, 50], [0.5, 80], [0.99, 400], [1, 2000]]}\n");
    snprintf(p, sizeof p, "%s/bad.json", calib);
    tests_write_file(p, "{\"schema\": \"cdnsim.empirical/1\", \"unit\": \"us\",\n \"quantiles\": [[0, 50], [1, -3]]}\n");
    snprintf(p, sizeof p, "%s/noschema.json", calib);
    tests_write_file(p, "{\"quantiles\": [[0, \"1ms\"], [1, \"2ms\"]]}");
    snprintf(p, sizeof p, "%s/broken.json", calib);
    tests_write_file(p, "{\"schema\": \"cdnsim.empirical/1\",\n \"quantiles\": [[0, \"1ms\"]");

    /* The scenario lives in dir; the file name is relative to it. */
    char scn[512];
    snprintf(scn, sizeof scn, "%s/s.json", dir);
    tests_write_file(scn, "{\"ok\": {\"empirical\": \"calib/ssd.json\"},\n \"bad\": {\"empirical\": \"calib/bad.json\"},\n"
                          " \"noschema\": {\"empirical\": \"calib/noschema.json\"},\n"
                          " \"broken\": {\"empirical\": \"calib/broken.json\"}}");
    conf_doc doc;
    conf_errors e;
    conf_errors_init(&e);
    CHECK_EQ_I64(conf_doc_load(&doc, scn, &e), 0);
    sim_dist d;
    CHECK_EQ_I64(conf_read_dist(&doc, cJSON_GetObjectItem(doc.root, "ok"), "ok", CONF_UNIT_TIME, &d, &e), 0);
    CHECK_EQ_U64(e.n, 0);
    CHECK_NEAR(sim_dist_quantile(&d, 0.5), 80e3, 1);
    CHECK_NEAR(sim_dist_quantile(&d, 0.99), 400e3, 1);
    sim_dist_free(&d);

    char want[2048];
    CHECK_EQ_I64(conf_read_dist(&doc, cJSON_GetObjectItem(doc.root, "bad"), "bad", CONF_UNIT_TIME, &d, &e), SIM_EPARSE);
    snprintf(want, sizeof want, "%s/calib/bad.json:2:29: quantiles[1][1]: expected a duration like \"2ms\", found the "
             "negative value -3\n%s:2:23: bad.empirical: the empirical file %s/calib/bad.json is invalid (see above)\n",
             dir, scn, dir);
    CHECK_STR(tests_errors_joined(&e), want);
    conf_errors_free(&e);
    conf_errors_init(&e);
    CHECK_EQ_I64(conf_read_dist(&doc, cJSON_GetObjectItem(doc.root, "noschema"), "n", CONF_UNIT_TIME, &d, &e), SIM_EPARSE);
    snprintf(want, sizeof want, "%s/calib/noschema.json:1:1: missing \"schema\": \"cdnsim.empirical/1\" (an empirical "
             "file says what it is)\n", dir);
    CHECK_CONTAINS(tests_errors_joined(&e), want);
    conf_errors_free(&e);
    conf_errors_init(&e);
    CHECK_EQ_I64(conf_read_dist(&doc, cJSON_GetObjectItem(doc.root, "broken"), "b", CONF_UNIT_TIME, &d, &e), SIM_EPARSE);
    snprintf(want, sizeof want, "%s/calib/broken.json:2:26: unexpected end of file", dir);
    CHECK_CONTAINS(tests_errors_joined(&e), want);
    conf_errors_free(&e);
    conf_doc_free(&doc);
    tests_rmtree(dir);
    free(dir);
}

/* Every field table type includes distributions. */
typedef struct {
    sim_dist svc;
    sim_dist size;
} dist_fields_t;

static const conf_field dist_fields[] = {
    { "service", CONF_DIST_TIME, offsetof(dist_fields_t, svc), "{\"exp\": \"1ms\"}", "service time", 0, 0, NULL, NULL },
    { "size", CONF_DIST_BYTES, offsetof(dist_fields_t, size), NULL, "object size", 0, 0, NULL, NULL },
    { NULL, 0, 0, NULL, NULL, 0, 0, NULL, NULL },
};

static void test_fields_dist(void)
{
    conf_doc d = parse_ok("{\"size\": {\"pareto\": {\"alpha\": 1.5, \"min\": \"1KiB\"}}, \"bad\": {\"size\": {\"exp\": 5, "
                          "\"x\": 1}}}");
    dist_fields_t v;
    conf_errors e;
    conf_errors_init(&e);
    CHECK_EQ_I64(conf_read_fields(&d, d.root, "c", dist_fields, (const char *[]){ "bad", NULL }, &v, &e), 0);
    CHECK_EQ_I64(v.svc.kind, SIM_DIST_EXP);
    CHECK_NEAR(v.svc.a, 1e6, 0);
    CHECK_EQ_I64(v.size.kind, SIM_DIST_PARETO);
    cJSON *j = conf_fields_to_json(dist_fields, &v);
    char *t = cJSON_PrintUnformatted(j);
    CHECK_STR(t, "{\"service\":{\"exp\":\"1ms\"},\"size\":{\"pareto\":{\"alpha\":1.5,\"min\":\"1KiB\"}}}");
    free(t);
    cJSON_Delete(j);
    conf_free_fields(dist_fields, &v);
    CHECK_EQ_I64(conf_read_fields(&d, cJSON_GetObjectItem(d.root, "bad"), "c.bad", dist_fields, NULL, &v, &e), SIM_EPARSE);
    CHECK_STR(tests_errors_joined(&e), "t.json:1:69: c.bad.size: a distribution is an object with one key naming its family (const, "
              "uniform, exp, normal, lognormal, gamma, weibull, pareto, bounded_pareto, empirical), found 2 keys\n");
    conf_free_fields(dist_fields, &v);
    conf_errors_free(&e);
    conf_doc_free(&d);
}

/* Truncations and byte flips of a document full of distributions: every
 * member is read as a time and as a size distribution; nothing may crash or
 * leak, and a failure always comes with a message. */
static void test_dist_fuzz(void)
{
    static const char text[] =
        "{\"a\": \"2ms\", \"b\": {\"uniform\": {\"low\": \"1ms\", \"high\": \"3ms\"}}, \"c\": {\"exp\": {\"rate\": \"5/s\"}},\n"
        " \"d\": {\"normal\": {\"mean\": \"5ms\", \"sd\": \"1ms\"}}, \"e\": {\"lognormal\": {\"mean\": \"2ms\", \"p99\": \"9ms\"}},\n"
        " \"f\": {\"gamma\": {\"shape\": 2, \"mean\": \"4ms\"}}, \"g\": {\"weibull\": {\"shape\": 1.5, \"scale\": \"1ms\"}},\n"
        " \"h\": {\"bounded_pareto\": {\"alpha\": 1.2, \"low\": \"1KiB\", \"high\": \"1GiB\"}},\n"
        " \"i\": {\"empirical\": {\"unit\": \"us\", \"quantiles\": [[0, 1], [\"50%\", 2], [1, 9]]}},\n"
        " \"j\": {\"empirical\": {\"histogram\": [[\"1ms\", \"2ms\", 10], [\"2ms\", \"4ms\", 3]]}}, \"k\": 4096}";
    size_t n = sizeof text - 1, bad = 0;
    char *buf = malloc(n);
    gsl_rng *r = sim_rng_stream(11, "test/dist-fuzz");
    static const char structural[] = "{}[]\",:0123456789-.eE %/\\n";
    int iters = tests_under_asan() ? 400 : 1500;
    for (int it = 0; it < (int)n + iters; it++) {
        size_t len = n;
        memcpy(buf, text, n);
        if (it < (int)n) {
            len = (size_t)it; /* every truncation */
        } else {
            int k = 1 + (int)gsl_rng_uniform_int(r, 3);
            for (int j = 0; j < k; j++)
                buf[gsl_rng_uniform_int(r, n)] = structural[gsl_rng_uniform_int(r, sizeof structural - 1)];
        }
        conf_doc d;
        conf_errors e;
        conf_errors_init(&e);
        if (!conf_doc_parse(&d, "z.json", buf, len, &e)) {
            for (const cJSON *m = d.root->child; m; m = m->next) {
                for (int u = 0; u < 3; u++) {
                    sim_dist dist;
                    conf_errors one; /* its own list: the shared one drops repeats */
                    conf_errors_init(&one);
                    int rr = conf_read_dist(&d, m, m->string, (conf_unit)u, &dist, &one);
                    if (rr && one.n == 0) bad++; /* failed in silence */
                    conf_errors_free(&one);
                    if (!rr) {
                        cJSON *j = conf_dist_to_json(&dist, (conf_unit)u);
                        if (!j) bad++;
                        cJSON_Delete(j);
                        sim_dist_free(&dist);
                    }
                }
            }
            conf_doc_free(&d);
        } else if (e.n == 0) {
            bad++;
        }
        conf_errors_free(&e);
    }
    gsl_rng_free(r);
    free(buf);
    CHECK_EQ_U64(bad, 0);
}

/* conf_json_set_member: in place, appended, and out of memory with obj
 * unchanged (cJSON_ReplaceItemInObject would leave a member with no key). */
static void test_json_set_member(void)
{
    cJSON *o = cJSON_Parse("{\"a\": 1, \"b\": 2, \"c\": 3}");
    CHECK_TRUE(o != NULL);
    if (!o) return;
    cJSON *v = cJSON_CreateString("two");
    CHECK_EQ_I64(conf_json_set_member(o, "b", cJSON_GetObjectItem(o, "b"), v), 0);
    char *t = cJSON_PrintUnformatted(o);
    CHECK_STR(t, "{\"a\":1,\"b\":\"two\",\"c\":3}");
    free(t);
    CHECK_EQ_I64(conf_json_set_member(o, "d", NULL, cJSON_CreateNumber(4)), 0);
    /* the key copy fails: nothing changes, the new item is still ours */
    v = cJSON_CreateNumber(5);
    failalloc_arm(1, 0);
    int rc = conf_json_set_member(o, "a", cJSON_GetObjectItem(o, "a"), v);
    failalloc_arm(0, 0);
    CHECK_EQ_I64(rc, SIM_ENOMEM);
    CHECK_TRUE(v->string == NULL);
    failalloc_arm(1, 0);
    rc = conf_json_set_member(o, "e", NULL, v);
    failalloc_arm(0, 0);
    CHECK_EQ_I64(rc, SIM_ENOMEM);
    cJSON_Delete(v);
    t = cJSON_PrintUnformatted(o);
    CHECK_STR(t, "{\"a\":1,\"b\":\"two\",\"c\":3,\"d\":4}");
    free(t);
    /* old that is not a member of o */
    cJSON *other = cJSON_CreateObject(), *x = cJSON_CreateTrue();
    cJSON_AddNumberToObject(other, "a", 1);
    CHECK_EQ_I64(conf_json_set_member(o, "a", cJSON_GetObjectItem(other, "a"), x), SIM_EINVAL);
    CHECK_TRUE(x->string == NULL);
    cJSON_Delete(x);
    cJSON_Delete(other);
    CHECK_EQ_I64(conf_json_set_member(o, "a", NULL, NULL), SIM_EINVAL);
    cJSON_Delete(o);
}

void test_conf_register(void)
{
    static const tests_case cases[] = {
        { "error list", test_errors_list },
        { "did you mean", test_did_you_mean },
        { "found rendering", test_found },
        { "sha256 vectors", test_sha256 },
        { "positions", test_positions },
        { "positions with CRLF, BOM, UTF-8", test_positions_crlf_bom },
        { "syntax errors", test_syntax_errors },
        { "load from file", test_doc_load },
        { "fields: values, defaults, json, markdown", test_fields_values_and_defaults },
        { "fields: errors", test_fields_errors },
        { "distributions: every form", test_dist_forms },
        { "distributions: errors", test_dist_errors },
        { "distributions: empirical files", test_dist_empirical_file },
        { "fields: distributions", test_fields_dist },
        { "distributions: fuzz", test_dist_fuzz },
        { "json: set a member", test_json_set_member },
        { NULL, NULL },
    };
    tests_add_suite("conf", cases);
}
