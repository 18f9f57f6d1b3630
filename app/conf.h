/* app/conf.h - the scenario language's building blocks: located JSON,
 * errors that say where and what, human units, distributions, and typed field
 * tables that models use to read their parameters.
 *
 * The contract between the scenario layer (app/scenario.c) and the models:
 * a model declares its parameters as a conf_field table and reads them with
 * conf_read_fields(), which checks types and units, fills defaults, rejects
 * unknown keys with a "did you mean" suggestion, and records every problem in
 * a conf_errors list with file:line:col and the JSON path. Nothing written
 * wrongly is silently defaulted.
 *
 * Error message format (one line each, collected, printed together):
 *     demo.json:41:17: components[3].cache.size: expected a size like "10GiB", found "10 parsecs"
 *     demo.json:12:5: components[0].cahce: unknown key (did you mean "cache"?)
 */
#ifndef APP_CONF_H
#define APP_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "sim/dist.h"
#include "sim/time.h"

/* ---- errors ---------------------------------------------------------- */

typedef struct conf_errors {
    char **msgs;
    size_t n, cap;
    size_t max;        /* stop recording after this many (default 50) */
    size_t dropped;    /* errors past max */
} conf_errors;

void conf_errors_init(conf_errors *e);
void conf_errors_free(conf_errors *e);
/* Adds a formatted message verbatim. A message identical to one already
 * recorded is dropped (the members of a `count` entry share their text, so
 * one mistake would otherwise be reported once per member). */
void conf_errors_add(conf_errors *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints every message, one per line, then "N more errors" if any dropped. */
void conf_errors_print(const conf_errors *e, FILE *f);

/* ---- located JSON ---------------------------------------------------- */

/* A parsed JSON file that remembers where each value started, so that
 * errors found after parsing can still name a line and column. */
typedef struct conf_doc {
    char *path;        /* as given, for messages */
    char *dir;         /* directory of the file, for relative paths inside it */
    char *text;        /* the file's bytes, NUL-terminated */
    size_t len;
    cJSON *root;
    void *pos;         /* private: map from cJSON node to byte offset */
} conf_doc;

/* Reads and parses a file. On error (missing file, empty, malformed JSON,
 * not an object at top level, a key repeated in one object) adds a located
 * message ("demo.json:7:3: expected ',' or '}' after an object member") and
 * returns SIM_ENOENT (no such file), SIM_EIO (unreadable, a directory),
 * SIM_EPARSE or SIM_ENOMEM; *doc is then zeroed (conf_doc_free is safe).
 * JSON is strict RFC 8259 (no comments, no trailing commas, nesting at most
 * 1000); a UTF-8 byte-order mark is skipped. On success the caller owns doc
 * and frees it with conf_doc_free. */
int conf_doc_load(conf_doc *doc, const char *path, conf_errors *errs);
/* Same from memory; `name` is used in messages. */
int conf_doc_parse(conf_doc *doc, const char *name, const char *text, size_t len, conf_errors *errs);
void conf_doc_free(conf_doc *doc);

/* Line and column (1-based) where node's value starts; nodes added after
 * parsing (defaults, --set) report the position of the nearest located
 * ancestor, or 0:0. */
void conf_doc_pos(const conf_doc *doc, const cJSON *node, int *line, int *col);

/* Where node's value starts in doc->text (for reading a number's exact
 * digits), or NULL for a node not written in the file. */
const char *conf_doc_source(const conf_doc *doc, const cJSON *node);

/* Line and column where the key of an object member starts (for "unknown
 * key" errors); the value's position for other nodes; 0:0 if unknown. */
void conf_doc_key_pos(const conf_doc *doc, const cJSON *node, int *line, int *col);

/* Records "FILE:LINE:COL: JPATH: message" for node. A node that came from the
 * command line (conf_doc_mark) gives "--set PATH: JPATH: message" instead; an
 * unlocated one "FILE: JPATH: message". jpath may be NULL. */
void conf_error_at(conf_errors *e, const conf_doc *doc, const cJSON *node, const char *jpath,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The same located at the member's key rather than its value. */
void conf_error_at_key(conf_errors *e, const conf_doc *doc, const cJSON *node, const char *jpath,
                       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Editing a located tree (used by app/scenario.c for defaults, count and
 * --set). cJSON nodes are found by address, so:
 *  - conf_doc_alias: `copy` (from cJSON_Duplicate(src, 1), same shape) is
 *    located where src was written;
 *  - conf_doc_mark: node and its descendants came from `origin` (e.g.
 *    "--set components.edge.cache.size"), which errors then name;
 *  - conf_doc_forget: call on a subtree before deleting it from the doc's
 *    tree, since a later node may be allocated at the same address.
 * alias and mark return 0 or SIM_ENOMEM. */
int conf_doc_alias(conf_doc *doc, const cJSON *copy, const cJSON *src);

/* Puts nv into object obj under `key`: in the place of obj's member `old`
 * (keeping the members' order), or appended when old is NULL. Returns 0, and
 * obj owns nv; or SIM_ENOMEM (SIM_EINVAL: a NULL argument, or old not in obj), obj
 * unchanged and nv still the caller's. Use it rather than
 * cJSON_ReplaceItemInObject, which, when it cannot copy the key, still puts
 * the replacement in with no key at all, for a later reader to crash on. */
int conf_json_set_member(cJSON *obj, const char *key, cJSON *old, cJSON *nv);
int conf_doc_mark(conf_doc *doc, const cJSON *node, const char *origin);
void conf_doc_forget(conf_doc *doc, const cJSON *node);
/* The origin recorded by conf_doc_mark for node (or its nearest ancestor), or
 * NULL for a node from the file. */
const char *conf_doc_origin(const conf_doc *doc, const cJSON *node);

/* A short rendering of a JSON value for "found ..." (strings quoted, long
 * values cut with "..."), into buf. Returns buf. */
const char *conf_found(const cJSON *node, char *buf, size_t len);

/* The closest candidate to `word` by edit distance, or NULL if none is close
 * enough to suggest (distance > max(2, strlen(word) / 3)). */
const char *conf_did_you_mean(const char *word, const char *const *candidates, size_t n);

/* ---- units ----------------------------------------------------------- */
/* Each parser returns 0 or SIM_EPARSE (not of the form) / SIM_ERANGE (out of
 * range, e.g. negative). Whitespace between number and unit is allowed.
 *
 * duration:  "250ns" "50us" "50µs" "2ms" "1.5s" "2min" "1h"; the number 0
 *            alone is allowed; any other unitless number is an error.
 * bytes:     "512" "512B" "4KB"(10^3) "4KiB"(2^10) "1.5MB" "10GiB" "2TB" "1TiB"
 * bandwidth: "1Gbit/s" "100Mbit/s" "10Gbps" "500MB/s" "1GiB/s" -> bytes/s
 * rate:      "2000/s" "5/ms" "300/min" "1000" (per second) -> per second
 * percent:   "90%" -> 0.9, or a plain number in [0, 1]
 */
int conf_parse_duration(const char *s, sim_time_t *out);
int conf_parse_bytes(const char *s, uint64_t *out);
int conf_parse_bandwidth(const char *s, double *bytes_per_s);
int conf_parse_rate(const char *s, double *per_s);
int conf_parse_percent(const char *s, double *fraction);

/* Formatting for `show` and reports: "1.5s", "10GiB", "1Gbit/s". */
const char *conf_format_duration(sim_time_t t, char *buf, size_t len);
const char *conf_format_bytes(uint64_t b, char *buf, size_t len);
const char *conf_format_bandwidth(double bytes_per_s, char *buf, size_t len);

/* ---- distributions --------------------------------------------------- */

typedef enum { CONF_UNIT_TIME, CONF_UNIT_BYTES, CONF_UNIT_NONE } conf_unit;

/* Reads a distribution written as one of
 *     "2ms"                                   constant (a plain value)
 *     {"const": "2ms"}
 *     {"uniform": {"low": "1ms", "high": "3ms"}}
 *     {"exp": "1ms"}                          (mean; also {"mean": ..} or,
 *                                             for times, {"rate": "1000/s"})
 *     {"normal": {"mean": "5ms", "sd": "1ms"}}    truncated at 0
 *     {"lognormal": {"mean": "2ms", "p99": "20ms"}}  or {"mu": .., "sigma": ..}
 *                                             (mu in log-units of ns/bytes) or {"mean":..,"sd":..}
 *     {"gamma": {"shape": 2, "scale": "1ms"}} or {"shape": 2, "mean": "2ms"}
 *     {"weibull": {"shape": 1.5, "scale": "1ms"}}
 *     {"pareto": {"alpha": 1.5, "min": "1KiB"}}
 *     {"bounded_pareto": {"alpha": 1.2, "low": "1KiB", "high": "1GiB"}}
 *     {"empirical": "calib/ssd.json"}         file relative to the scenario
 *     {"empirical": {"quantiles": [[0, "1ms"], [0.5, "2ms"], [1, "9ms"]]}}
 *     {"empirical": {"histogram": [["1ms", "2ms", 10], ["2ms", "4ms", 3]]}}
 *     {"empirical": {"unit": "us", "quantiles": [[0, 50], [1, 900]]}}
 * An empirical file holds the same object plus "schema": "cdnsim.empirical/1"
 * (docs/scenario.md); its errors are located in that file.
 * with values in the given unit (ns for time, bytes for bytes). On error adds a
 * located message and returns SIM_EPARSE; *out is then unusable. */
int conf_read_dist(const conf_doc *doc, const cJSON *node, const char *jpath, conf_unit unit,
                   sim_dist *out, conf_errors *errs);

/* The distribution written back in the language, for `show`: "2ms",
 * {"exp": "1ms"}, {"lognormal": {"mu": .., "sigma": ..}}, ...; an empirical
 * table is summarised as {"empirical": "<description>"}. NULL on out of memory. */
cJSON *conf_dist_to_json(const sim_dist *d, conf_unit unit);

/* sim_dist_free, then zeroes *d (a zeroed sim_dist is a constant 0, safe to
 * free again). */
void conf_dist_release(sim_dist *d);

/* ---- field tables ---------------------------------------------------- */

typedef enum {
    CONF_BOOL,        /* bool */
    CONF_INT,         /* int64_t, within [min, max] */
    CONF_DOUBLE,      /* double, within [min, max] */
    CONF_DURATION,    /* sim_time_t */
    CONF_BYTES,       /* uint64_t */
    CONF_BANDWIDTH,   /* double, bytes per second */
    CONF_RATE,        /* double, per second */
    CONF_PERCENT,     /* double, fraction in [0, 1] */
    CONF_STRING,      /* char *, owned (freed by conf_free_fields) */
    CONF_ENUM,        /* int: index into enum_values */
    CONF_DIST_TIME,   /* sim_dist, ns */
    CONF_DIST_BYTES,  /* sim_dist, bytes */
    CONF_REF,         /* char *: a component id (checked by the caller) */
    CONF_REFLIST,     /* conf_strlist: ids; a single string is a list of one */
    CONF_OBJECT,      /* nested table `sub`, stored at offset (a struct) */
    CONF_JSON,        /* const cJSON *: kept raw for a later layer (borrowed from the doc) */
} conf_type;

typedef struct conf_strlist {
    char **v;
    size_t n;
} conf_strlist;

typedef struct conf_field {
    const char *key;               /* JSON key */
    conf_type type;
    size_t offset;                 /* offsetof(struct, member) */
    const char *def;               /* default as JSON text ("\"10GiB\"", "4", "true",
                                      "{\"exp\": \"1ms\"}"), or NULL: required */
    const char *help;              /* one line: meaning, for docs and `show` */
    double min, max;               /* for INT/DOUBLE (ignored when min == max == 0) */
    const char *const *enum_values;/* for ENUM, NULL-terminated */
    const struct conf_field *sub;  /* for OBJECT, terminated by a NULL key */
} conf_field;

/* Reads the members of JSON object `obj` (at `jpath`, e.g. "components[3]")
 * into the struct at `out` according to `fields` (terminated by a NULL key).
 * Keys listed in `ignore` (NULL-terminated, may be NULL) are skipped: they
 * belong to the caller (e.g. "id", "kind", "region", "count"); so are keys
 * starting with '_' ("_comment"), which are comments everywhere.
 * Every member the table describes is first reset to its empty value (0,
 * NULL, constant-0 distribution), then set from the JSON or the default; a
 * CONF_OBJECT that is absent is read as {} (its own fields' defaults apply),
 * and its `def` is ignored. A CONF_JSON with a def is NULL when absent.
 * Unknown keys, wrong types, bad units, out-of-range values and missing
 * required keys are each recorded in errs. obj may be NULL (all defaults).
 * Returns 0 when nothing was wrong, SIM_EPARSE otherwise. Whatever the
 * result, owned members that were set must be released with conf_free_fields. */
int conf_read_fields(const conf_doc *doc, const cJSON *obj, const char *jpath,
                     const conf_field *fields, const char *const *ignore, void *out,
                     conf_errors *errs);

/* Releases owned members (strings, lists, distributions, nested objects). */
void conf_free_fields(const conf_field *fields, void *out);

/* The effective values as a JSON object in the same units language
 * ("10GiB", "50ms", distributions as objects): for `show`. */
cJSON *conf_fields_to_json(const conf_field *fields, const void *in);

/* Markdown table of a field table (key, type/unit, default, meaning), for
 * docs/scenario.md. */
void conf_fields_markdown(const conf_field *fields, FILE *f);

#endif
