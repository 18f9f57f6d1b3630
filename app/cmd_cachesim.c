/* app/cmd_cachesim.c - `cdnsim cachesim`: one cache over a request trace, as
 * fast as the trace can be read, one JSON line per (policy, cache size).
 *
 * Counting matches libCacheSim's cachesim (see models/cache/cache.c): a
 * request for an object larger than the cache is a miss and is not
 * inserted; miss_ratio = misses / requests; byte_miss_ratio = sum of the
 * sizes of missed requests / sum of the sizes of all requests.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <time.h>

#include "app/cmd_args.h"
#include "app/commands.h"
#include "app/conf.h"
#include "models/cache/cache.h"
#include "models/trace.h"
#include "sim/errors.h"

static void help(FILE *f)
{
    fprintf(f,
        "usage: cdnsim cachesim --trace FILE --policy P[,P...] --cache-size SIZE[,SIZE...] [options]\n"
        "\n"
        "Simulates one cache over a request trace and prints one JSON line per policy and\n"
        "cache size: policy, cache_size, size_unit, requests, hits, misses, miss_ratio,\n"
        "bytes_requested, bytes_missed, byte_miss_ratio, evictions, expirations (--ttl),\n"
        "rejected (refused by --admit-size/--admit-prob), too_large (larger than the cache,\n"
        "never inserted), skipped,\n"
        "mean_eviction_age (trace time units; null if none), seconds, requests_per_s,\n"
        "cpu_seconds, requests_per_cpu_s. Each (policy, size) is a separate pass over the\n"
        "file; the rates count reading and parsing the trace too; requests_per_cpu_s uses\n"
        "the process's CPU time (user + system), which other jobs on the machine do not inflate.\n"
        "\n"
        "  --trace FILE          the trace (required)\n"
        "  --format F            csv or oracleGeneral; default: oracleGeneral if FILE's name\n"
        "                        contains \"oracleGeneral\" or ends in .bin, else csv\n"
        "  --time-col N          CSV column of the time (1-based; 0 = none, time = request\n"
        "                        number); default 1\n"
        "  --id-col N            CSV column of the object id; default 2. Ids are unsigned\n"
        "                        decimal numbers; any other text is hashed to 64 bits\n"
        "  --size-col N          CSV column of the size in bytes; default 3 (0 = none: size 1)\n"
        "  --no-header           CSV: the first line is a request, not a header\n"
        "  --id-str              CSV: hash every id as text, numeric ones too\n"
        "  --delim C             CSV field separator (one character; \"tab\" for a tab); default ,\n"
        "  --policy P[,P...]     ");
    for (const char *const *p = cache_policy_names; *p; p++) fprintf(f, "%s%s", *p, p[1] ? ", " : "\n");
    for (const char *const *p = cache_policy_names; *p; p++) fprintf(f, "                          %-7s %s\n", *p, cache_policy_summary(*p));
    fprintf(f,
        "  --cache-size S[,S...] capacity in bytes: a whole number or one with a unit\n"
        "                        (B, KB, MB, GB, TB = powers of 1000; KiB, MiB, GiB, TiB =\n"
        "                        powers of 1024), e.g. 1GiB or 1.5MB; with --ignore-size, a\n"
        "                        number of objects (whole number)\n"
        "  --ignore-size         every object has size 1; sizes are object counts\n"
        "  --ttl T               objects expire T trace-time units after insertion (default:\n"
        "                        never); an expired object is a miss\n"
        "  --admit-size BYTES    admit only objects of at most BYTES\n"
        "  --admit-prob P        admit each miss with probability P (0..1)\n"
        "  --seed N              seed of the admission stream (default 1)\n"
        "  --skip-bad            skip malformed lines or records (counted in \"skipped\")\n"
        "                        instead of stopping at the first one\n"
        "  -h, --help            this text\n"
        "\n"
        "Time is taken from the trace as seconds (oracleGeneral's unit); only --ttl and\n"
        "mean_eviction_age depend on it.\n"
        "\n"
        "examples:\n"
        "  cdnsim cachesim --trace ../shared/traces/sdsc-http.csv --policy lru --cache-size 100 --ignore-size\n"
        "  cdnsim cachesim --trace ../shared/traces/cloudPhysicsIO.csv --time-col 2 --id-col 5 \\\n"
        "      --size-col 4 --policy lru,s3fifo --cache-size 1MiB,16MiB\n"
        "\n"
        "exit codes: 0 ok, 1 run failed (out of memory, read error), 2 bad arguments or trace\n");
}

/* A size: bytes in the scenario language's units (conf_parse_bytes: "1GiB",
 * "1.5MB", "1000"), or with --ignore-size a whole number of objects. */
static int parse_size(const char *s, bool objects, uint64_t *out)
{
    if (!objects) return conf_parse_bytes(s, out) ? SIM_EINVAL : 0;
    return cmd_parse_u64(s, 0, UINT64_MAX, out) ? SIM_EINVAL : 0;
}

/* True when a comma-separated list has an empty item (leading, trailing or
 * doubled comma, or nothing at all). */
static bool has_empty_item(const char *list)
{
    if (!*list || *list == ',') return true;
    size_t n = strlen(list);
    return list[n - 1] == ',' || strstr(list, ",,") != NULL;
}

static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\') fprintf(f, "\\%c", ch);
        else if (ch < 32) fprintf(f, "\\u%04x", ch);
        else fputc(ch, f);
    }
    fputc('"', f);
}

/* CPU time (user + system) of this process so far, in seconds. */
static double cpu_s(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0) return NAN;
    return (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_sec +
           1e-6 * (double)ru.ru_stime.tv_usec;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef struct {
    const char *trace;
    trace_opts topts;
    cache_params cp;
    double ttl_units;
} run_opts;

enum { BATCH = 4096, AHEAD = 8 };

/* One pass. Returns an exit code. */
static int run_one(trace_reader *r, const run_opts *ro, const char *policy, uint64_t size, trace_req *reqs)
{
    cache_params cp = ro->cp;
    cp.policy = policy;
    cp.capacity = size;
    cache *c;
    int rc = cache_create(&cp, &c);
    if (rc) {
        fprintf(stderr, "cdnsim cachesim: cannot create the cache: %s\n", sim_strerror(rc));
        return rc == SIM_ENOMEM ? APP_EXIT_FAIL : APP_EXIT_USAGE;
    }
    double t0 = now_s(), c0 = cpu_s();
    rc = trace_rewind(r);
    long k = 0;
    while (rc == 0 && (k = trace_read(r, reqs, BATCH)) > 0) {
        for (long i = 0; i < k; i++) {
            if (i + AHEAD < k) cache_prefetch(c, reqs[i + AHEAD].id);
            cache_get(c, reqs[i].id, reqs[i].size, sim_time_from_s(reqs[i].time));
        }
    }
    double secs = now_s() - t0, cpu = cpu_s() - c0;
    if (rc == 0 && k < 0) rc = (int)k;
    if (rc) {
        fprintf(stderr, "cdnsim cachesim: %s\n", trace_error(r));
        cache_free(c);
        return rc == SIM_EIO || rc == SIM_ENOMEM ? APP_EXIT_FAIL : APP_EXIT_USAGE;
    }
    if (cache_error(c)) { /* the counts would not be the policy's */
        fprintf(stderr, "cdnsim cachesim: out of memory during the pass (%s, cache size %llu)\n", policy,
                (unsigned long long)size);
        cache_free(c);
        return APP_EXIT_FAIL;
    }
    const cache_stats *st = cache_get_stats(c);
    if (st->requests == 0) {
        fprintf(stderr, "cdnsim cachesim: %s: no requests in the trace%s\n", ro->trace,
                trace_skipped(r) ? " (all lines were malformed and skipped)" : "");
        cache_free(c);
        return APP_EXIT_USAGE;
    }
    printf("{\"trace\":");
    json_str(stdout, ro->trace);
    printf(",\"policy\":\"%s\",\"cache_size\":%llu,\"size_unit\":\"%s\",\"requests\":%llu,\"hits\":%llu,"
           "\"misses\":%llu,\"miss_ratio\":%.6f,\"bytes_requested\":%llu,\"bytes_missed\":%llu,"
           "\"byte_miss_ratio\":%.6f,\"evictions\":%llu,\"expirations\":%llu,\"rejected\":%llu,"
           "\"too_large\":%llu,\"skipped\":%llu,",
           policy, (unsigned long long)size, cp.count_objects ? "objects" : "bytes",
           (unsigned long long)st->requests, (unsigned long long)st->hits, (unsigned long long)st->misses,
           (double)st->misses / (double)st->requests, (unsigned long long)st->bytes_requested,
           (unsigned long long)st->bytes_missed,
           st->bytes_requested ? (double)st->bytes_missed / (double)st->bytes_requested : 0.0,
           (unsigned long long)st->evictions, (unsigned long long)st->expirations,
           (unsigned long long)st->rejected, (unsigned long long)st->too_large,
           (unsigned long long)trace_skipped(r));
    double age = cache_characteristic_time(c);
    if (isnan(age)) printf("\"mean_eviction_age\":null,");
    else printf("\"mean_eviction_age\":%.6g,", age / 1e9);
    printf("\"seconds\":%.6f,\"requests_per_s\":%.0f,\"cpu_seconds\":%.6f,\"requests_per_cpu_s\":%.0f}\n", secs,
           secs > 0 ? (double)st->requests / secs : 0.0, cpu, cpu > 0 ? (double)st->requests / cpu : 0.0);
    fflush(stdout);
    cache_free(c);
    return APP_EXIT_OK;
}

static int usage_error(const char *fmt, const char *a)
{
    fprintf(stderr, "cdnsim cachesim: ");
    fprintf(stderr, fmt, a);
    fprintf(stderr, " (see cdnsim cachesim --help)\n");
    return APP_EXIT_USAGE;
}

int cmd_cachesim(int argc, char **argv)
{
    run_opts ro = { 0 };
    ro.topts.time_col = 1;
    ro.topts.id_col = 2;
    ro.topts.size_col = 3;
    ro.cp.seed = 1;
    ro.cp.rng_name = "cachesim/admission";
    const char *format = NULL, *policies = NULL, *sizes = NULL;
    bool admit_size = false, admit_prob = false;
    const char *csv_only = NULL; /* the first CSV-only option given, to refuse it on a binary trace */
    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            help(stdout);
            return APP_EXIT_OK;
        }
        /* flags without a value */
        if (!strcmp(a, "--no-header")) { ro.topts.no_header = true; csv_only = csv_only ? csv_only : a; continue; }
        if (!strcmp(a, "--id-str")) { ro.topts.id_as_string = true; csv_only = csv_only ? csv_only : a; continue; }
        if (!strcmp(a, "--ignore-size")) { ro.topts.ignore_size = true; ro.cp.count_objects = true; continue; }
        if (!strcmp(a, "--skip-bad")) { ro.topts.skip_bad = true; continue; }
        /* options with a value: --opt V or --opt=V */
        static const char *const valued[] = { "--trace", "--format", "--time-col", "--id-col", "--size-col",
                                              "--delim", "--policy", "--cache-size", "--ttl", "--admit-size",
                                              "--admit-prob", "--seed", NULL };
        const char *name = NULL, *val = NULL;
        for (int j = 0; valued[j]; j++) {
            size_t n = strlen(valued[j]);
            if (!strncmp(a, valued[j], n) && (a[n] == 0 || a[n] == '=')) {
                name = valued[j];
                if (a[n] == '=') val = a + n + 1;
                else if (i + 1 < argc) val = argv[++i];
                else return usage_error("%s needs a value", name);
            }
        }
        if (!name) return usage_error("unknown option '%s'", a);
        uint64_t v;
        if (!strcmp(name, "--trace")) ro.trace = val;
        else if (!strcmp(name, "--format")) format = val;
        else if (!strcmp(name, "--policy")) policies = val;
        else if (!strcmp(name, "--cache-size")) sizes = val;
        else if (!strcmp(name, "--time-col") || !strcmp(name, "--id-col") || !strcmp(name, "--size-col")) {
            bool id = !strcmp(name, "--id-col");
            if (cmd_parse_u64(val, id ? 1 : 0, 100000, &v))
                return usage_error(id ? "%s expects a column number (from 1), e.g. --id-col 2"
                                      : "%s expects a column number (from 1), or 0 for none", name);
            csv_only = csv_only ? csv_only : name;
            if (name[2] == 't') ro.topts.time_col = (int)v;
            else if (name[2] == 'i') ro.topts.id_col = (int)v;
            else ro.topts.size_col = (int)v;
        } else if (!strcmp(name, "--delim")) {
            csv_only = csv_only ? csv_only : name;
            if (!strcmp(val, "tab")) ro.topts.delim = '\t';
            else if (strlen(val) == 1 && val[0] != '"' && val[0] != '\n' && val[0] != '\r') ro.topts.delim = val[0];
            else return usage_error("--delim expects one character or \"tab\", found '%s'", val);
        } else if (!strcmp(name, "--ttl")) {
            char *end;
            double t = strtod(val, &end);
            if (!*val || *end || !(t > 0) || t > 9e9) return usage_error("--ttl expects a positive number, found '%s'", val);
            ro.cp.ttl = sim_time_from_s(t);
        } else if (!strcmp(name, "--admit-size")) {
            if (parse_size(val, false, &ro.cp.admit_max_size))
                return usage_error("--admit-size expects a size like 1MiB, found '%s'", val);
            admit_size = true;
        } else if (!strcmp(name, "--admit-prob")) {
            char *end;
            ro.cp.admit_prob = strtod(val, &end);
            if (!*val || *end || !(ro.cp.admit_prob >= 0 && ro.cp.admit_prob <= 1))
                return usage_error("--admit-prob expects a probability in [0, 1], found '%s'", val);
            admit_prob = true;
        } else if (!strcmp(name, "--seed")) {
            if (cmd_parse_u64(val, 0, UINT64_MAX, &ro.cp.seed))
                return usage_error("--seed expects a whole number, found '%s'", val);
        }
    }
    if (!ro.trace) return usage_error("%s", "--trace FILE is required");
    if (!policies) return usage_error("%s", "--policy is required");
    if (!sizes) return usage_error("%s", "--cache-size is required");
    if (admit_size && admit_prob) return usage_error("%s", "choose one of --admit-size and --admit-prob");
    ro.cp.admission = admit_size ? CACHE_ADMIT_SIZE : admit_prob ? CACHE_ADMIT_PROB : CACHE_ADMIT_ALL;
    if (format) {
        if (trace_format_parse(format, &ro.topts.format))
            return usage_error("--format expects csv or oracleGeneral, found '%s'", format);
    } else {
        size_t n = strlen(ro.trace);
        ro.topts.format = strcasestr(ro.trace, "oracleGeneral") || (n >= 4 && !strcmp(ro.trace + n - 4, ".bin"))
                              ? TRACE_ORACLE_GENERAL : TRACE_CSV;
    }

    /* A column option on an oracleGeneral trace would be silently ignored: the
     * user meant something the format cannot do, so say so. */
    if (csv_only && ro.topts.format != TRACE_CSV)
        return usage_error("%s applies to CSV traces only; this trace is read as oracleGeneral (fixed "
                           "24-byte records: time, id, size, next access)", csv_only);
    /* strtok_r below would skip an empty item ("lru,", "10,,20") silently. */
    if (has_empty_item(policies)) return usage_error("--policy has an empty item: '%s'", policies);
    if (has_empty_item(sizes)) return usage_error("--cache-size has an empty item: '%s'", sizes);

    /* Check every policy and size before the first pass. */
    char *plist = strdup(policies), *slist = strdup(sizes);
    const char *pol[16];
    uint64_t sz[64];
    int np = 0, ns = 0, code = APP_EXIT_OK;
    trace_req *reqs = malloc(BATCH * sizeof *reqs);
    trace_reader r;
    bool opened = false;
    if (!plist || !slist || !reqs) {
        fprintf(stderr, "cdnsim cachesim: out of memory\n");
        code = APP_EXIT_FAIL;
        goto out;
    }
    for (char *save = NULL, *t = strtok_r(plist, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (!cache_policy_summary(t)) {
            code = usage_error("unknown policy '%s'; policies: lru, fifo, clock, sieve, lfu, s3fifo", t);
            goto out;
        }
        if (np == 16) {
            code = usage_error("%s", "at most 16 policies");
            goto out;
        }
        pol[np++] = t;
    }
    for (char *save = NULL, *t = strtok_r(slist, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (parse_size(t, ro.cp.count_objects, &sz[ns])) {
            code = usage_error(ro.cp.count_objects ? "--cache-size with --ignore-size expects object counts "
                                                     "(whole numbers), found '%s'"
                                                   : "--cache-size expects sizes like 1GiB or 1000000, found '%s'",
                               t);
            goto out;
        }
        if (++ns == 64) {
            code = usage_error("%s", "at most 63 cache sizes");
            goto out;
        }
    }
    if (np == 0 || ns == 0) {
        code = usage_error("%s", "--policy and --cache-size need at least one value each");
        goto out;
    }
    opened = true;
    int rc = trace_open(&r, ro.trace, &ro.topts);
    if (rc) {
        fprintf(stderr, "cdnsim cachesim: %s\n", trace_error(&r));
        code = rc == SIM_ENOMEM ? APP_EXIT_FAIL : APP_EXIT_USAGE;
        goto out;
    }
    for (int i = 0; i < np && code == APP_EXIT_OK; i++)
        for (int j = 0; j < ns && code == APP_EXIT_OK; j++) code = run_one(&r, &ro, pol[i], sz[j], reqs);
out:
    if (opened) trace_close(&r);
    free(reqs);
    free(plist);
    free(slist);
    return code;
}
