/* app/cmd_calibrate.c - `cdnsim calibrate`: measure this machine's disk with
 * the chunk store at concurrency 1 and write service-time distributions a
 * scenario can use ({"empirical": "calib/NAME.json"}). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/cmd_args.h"
#include "app/commands.h"
#include "app/jsonmem.h"
#include "chunkio/bench.h"
#include "chunkio/calib.h"
#include "chunkio/chunkio.h"
#include "sim/errors.h"

static const char usage_text[] =
    "usage: cdnsim calibrate --dir D[,D...] --out calib/NAME.json [--sizes 64KiB,1MiB] [--ops N]\n"
    "                        [--buffered] [--keys K] [--only read|write] [--primary read-1MiB] [--seed S]\n"
    "                        [--curve 2,4,8,16,32] [--journal 32] [--spells] [--warmup N]\n"
    "\n"
    "Measures whole-chunk reads and durable writes with the chunk store (cdnsim chunkio)\n"
    "at concurrency 1, for each chunk size, and fits each series: lognormal by maximum\n"
    "likelihood and the empirical distribution (a quantile table dense in the tail, so\n"
    "that it reproduces the measured p99.9). Prints one line per series with the\n"
    "Kolmogorov-Smirnov distance of each fit.\n"
    "\n"
    "Writes OUT (all series under \"_series\"; the top-level \"quantiles\" are the\n"
    "--primary series, by default the reads at the largest size) and one file per\n"
    "series next to it, OUT without .json plus .OP-SIZE.json. Each file is usable as\n"
    "{\"empirical\": \"calib/NAME.json\"} in a scenario; times are in ns.\n"
    "\n"
    "With --curve, the reads of each size are also measured at each of those\n"
    "concurrencies, and their throughput (reads/s x chunk size) becomes the disk's\n"
    "bandwidth_curve, with the point at 1 from the concurrency-1 series: the read\n"
    "series' file gets it as \"_curve\", and a disk to paste into a scenario is\n"
    "printed (access, bandwidth_curve, transfer_order fifo: docs/calibration.md; the\n"
    "file is named as --out names it, and a scenario reads it from its own directory).\n"
    "\n"
    "With --journal C, the writes of each size are also measured at concurrency C,\n"
    "where the filesystem's serialised part (its commits) is always busy, and the\n"
    "times between consecutive write completions become the series journal-SIZE.\n"
    "Their mean, 1 / (writes/s), is the disk's `journal` (printed); the file keeps\n"
    "their distribution, which a disk can also draw from per write\n"
    "(docs/calibration.md says how each fits).\n"
    "\n"
    "With --spells, each write series is searched for slow spells: 3 or more writes\n"
    "in a row, each over 1.5 x the median. Their writes leave the series (its file\n"
    "is the disk outside spells), and their count, mean length, time between them\n"
    "and slowdown go into the file as \"_spells\" and are printed as the disk's\n"
    "spell_every, spell_length and spell_factor. Spells come about once a second\n"
    "here: use --ops 10000 or more to see a few dozen.\n"
    "\n"
    "options:\n"
    "  --dir D[,D...]   store directories on the disk to measure (created if missing)\n"
    "  --out FILE       where to write (its directory must exist)\n"
    "  --sizes LIST     chunk sizes, 4KiB..8MiB (default 64KiB,1MiB)\n"
    "  --ops N          operations per series (default 1000; p99.9 needs >= 1000)\n"
    "  --warmup N       run N operations before each measured run, unmeasured (default 0;\n"
    "                   like chunkio bench --warmup: the first operations after the working\n"
    "                   set is written are slower than the rest)\n"
    "  --buffered       use the page cache (default: O_DIRECT, which measures the device)\n"
    "  --keys K         chunks in the read working set (default 64)\n"
    "  --only OP        measure only reads or only writes (default both)\n"
    "  --primary S      the series written as OUT's top-level quantiles, named OP-SIZE\n"
    "                   like read-1MiB (default: the reads at the largest size)\n"
    "  --seed S         seed of the key order and payload bytes (default 1; the curve's\n"
    "                   runs use S + 1, other draws than the series they extend)\n"
    "  --curve LIST     read concurrencies to measure the bandwidth curve at, increasing,\n"
    "                   2 to 4096, at most 16 of them (reads only)\n"
    "  --journal C      also measure the journal series at C writes in flight, 2 to 4096\n"
    "                   (writes only; 32 saturates this machine's disk)\n"
    "  --spells         take slow spells out of the write series and describe them\n"
    "exit codes: 0 ok, 1 measurement or write failed, 2 bad arguments\n";

#define MAX_SIZES 8
#define MAX_CURVE 16

static int bad(const char *fmt, const char *a)
{
    fprintf(stderr, "cdnsim calibrate: ");
    fprintf(stderr, fmt, a);
    fprintf(stderr, " (see cdnsim calibrate --help)\n");
    return APP_EXIT_USAGE;
}

static void size_name(char *buf, size_t len, uint64_t b)
{
    if (b % (1u << 20) == 0) snprintf(buf, len, "%lluMiB", (unsigned long long)(b >> 20));
    else if (b % 1024 == 0) snprintf(buf, len, "%lluKiB", (unsigned long long)(b >> 10));
    else snprintf(buf, len, "%llu", (unsigned long long)b);
}

/* Writes j to path. Returns 0, or -1 with errno set: ENOMEM when any of
 * cJSON's allocations has failed in this process (app/jsonmem.h), since a
 * cJSON_Add... that failed left its item out and a calibration file with a
 * part missing must not be written. */
static int write_json(const char *path, cJSON *j)
{
    if (app_jsonmem_failures() != 0) {
        errno = ENOMEM;
        return -1;
    }
    char *text = cJSON_Print(j);
    if (!text) {
        errno = ENOMEM;
        return -1;
    }
    FILE *f = fopen(path, "w");
    int ok = f && fputs(text, f) >= 0 && fputc('\n', f) != EOF;
    if (f && fclose(f) != 0) ok = 0;
    free(text);
    return ok ? 0 : -1;
}

/* The bandwidth curve of one read series: bo (the series' bench options,
 * concurrency 1) run again at each concurrency of curve[], with seed + 1.
 * Each point is [C, reads/s x chunk size], the first [1, lone_rps x size];
 * they go into the series' JSON j as "_curve", and a disk using them is
 * printed. Returns 0, or the bench's error (reported on stderr). */
static int measure_curve(chunkio_store *st, const chunkio_bench_opts *bo, double lone_rps, const unsigned *curve,
                         unsigned ncurve, cJSON *j, const char *name, const char *path)
{
    cJSON *pts = cJSON_CreateArray();
    cJSON_AddItemToObject(j, "_curve", pts);
    double size = (double)bo->chunk;
    cJSON *p = cJSON_CreateArray();
    cJSON_AddItemToArray(p, cJSON_CreateNumber(1));
    cJSON_AddItemToArray(p, cJSON_CreateNumber(round(lone_rps * size)));
    cJSON_AddItemToArray(pts, p);
    for (unsigned k = 0; k < ncurve; k++) {
        chunkio_bench_opts co = *bo;
        co.concurrency = curve[k];
        co.seed = bo->seed + 1;
        chunkio_bench_result r;
        int rc = chunkio_bench_run(st, &co, &r);
        double rps = rc == 0 && r.elapsed_s > 0 ? (double)r.nread / r.elapsed_s : 0;
        if (rc) fprintf(stderr, "cdnsim calibrate: %s at concurrency %u: %s\n", name, curve[k], r.err);
        chunkio_bench_result_free(&r);
        if (rc) return rc;
        printf("%-14s curve: %u in flight, %.0f reads/s, %.1f MB/s\n", name, curve[k], rps, rps * size / 1e6);
        p = cJSON_CreateArray();
        cJSON_AddItemToArray(p, cJSON_CreateNumber(curve[k]));
        cJSON_AddItemToArray(p, cJSON_CreateNumber(round(rps * size)));
        cJSON_AddItemToArray(pts, p);
    }
    char *c = cJSON_PrintUnformatted(pts);
    printf("%-14s disk: {\"kind\": \"disk\", \"access\": {\"empirical\": \"%s\"}, \"bandwidth_curve\": %s, "
           "\"transfer_order\": \"fifo\"}\n", name, path, c ? c : "[]");
    free(c);
    fflush(stdout);
    return 0;
}

/* The journal of one write series: bo's writes (concurrency 1) run again at
 * concurrency jc with seed + 2, enough writers that the filesystem's
 * serialised part is never idle. The times between consecutive
 * completions, leaving out the first tenth (at least jc: the start, when
 * all jc writes were sent together), are fitted into *f like a series;
 * their mean is 1 / (writes/s), the disk's `journal`. *wps gets the writes
 * per second. Returns 0, the bench's error (reported on stderr), SIM_EINVAL
 * when fewer than 2 gaps remain, or SIM_ENOMEM. */
static int measure_journal(chunkio_store *st, const chunkio_bench_opts *bo, unsigned jc, const char *name,
                           chunkio_fit *f, double *wps)
{
    chunkio_bench_opts jo = *bo;
    jo.concurrency = jc;
    jo.seed = bo->seed + 2;
    chunkio_bench_result r;
    int rc = chunkio_bench_run(st, &jo, &r);
    if (rc) {
        fprintf(stderr, "cdnsim calibrate: %s at concurrency %u: %s\n", name, jc, r.err);
        chunkio_bench_result_free(&r);
        return rc;
    }
    *wps = r.elapsed_s > 0 ? (double)r.nwrite / r.elapsed_s : 0;
    size_t n = r.nwrite, skip = n / 10 > jc ? n / 10 : jc;
    int64_t *gap = n > skip + 2 ? malloc((n - skip - 1) * sizeof *gap) : NULL;
    size_t m = 0;
    if (gap) {
        chunkio_sort_ns(r.write_end_ns, n);
        for (size_t i = skip; i + 1 < n; i++) {
            int64_t g = r.write_end_ns[i + 1] - r.write_end_ns[i];
            gap[m++] = g > 0 ? g : 1; /* two ends in the same ns: the fit needs positive times */
        }
        rc = chunkio_fit_samples(gap, m, f);
    } else {
        rc = n > skip + 2 ? SIM_ENOMEM : SIM_EINVAL;
    }
    if (rc) fprintf(stderr, "cdnsim calibrate: %s: cannot fit %zu gaps between writes (%s)\n", name, m, sim_strerror(rc));
    free(gap);
    chunkio_bench_result_free(&r);
    return rc;
}

/* Prints the spells found in the write series `name` and records them in its
 * JSON j as "_spells" (with the disk fields that reproduce them), or says
 * there were none. */
static void print_spells(const char *name, const chunkio_spells *sp, cJSON *j)
{
    cJSON *o = cJSON_AddObjectToObject(j, "_spells");
    cJSON_AddNumberToObject(o, "count", (double)sp->n);
    cJSON_AddNumberToObject(o, "ops", (double)sp->ops);
    if (sp->n == 0) {
        printf("%-14s spells: none (no %d slow writes in a row)\n", name, CHUNKIO_SPELL_MIN);
        fflush(stdout);
        return;
    }
    cJSON_AddNumberToObject(o, "mean_length_ns", round(sp->mean_len_ns));
    cJSON_AddNumberToObject(o, "mean_gap_ns", round(sp->mean_gap_ns));
    cJSON_AddNumberToObject(o, "factor", round(sp->factor * 1000) / 1000);
    cJSON_AddNumberToObject(o, "time_fraction", round(sp->time_frac * 1e6) / 1e6);
    printf("%-14s spells: %zu (%zu writes, %.1f%% of the time), mean length %.1f ms, factor %.2f; disk: "
           "\"spell_every\": {\"exp\": \"%.0fms\"}, \"spell_length\": {\"exp\": \"%.1fms\"}, "
           "\"spell_factor\": %.2f\n",
           name, sp->n, sp->ops, sp->time_frac * 100, sp->mean_len_ns / 1e6, sp->factor, sp->mean_gap_ns / 1e6,
           sp->mean_len_ns / 1e6, sp->factor);
    fflush(stdout);
}

/* The series journal-SZ of the writes bo measured (measure_journal at
 * concurrency jc): printed as a row of the table, written next to OUT (whose
 * name without .json is out[0..base)) and added to `series`. Returns 0 or
 * an error, already reported on stderr. */
static int journal_series(chunkio_store *st, const chunkio_bench_opts *bo, unsigned jc, const char *sz,
                          const char *out, int base, cJSON *series)
{
    char name[64], path[4096];
    snprintf(name, sizeof name, "journal-%s", sz);
    chunkio_fit f;
    double wps = 0;
    int rc = measure_journal(st, bo, jc, name, &f, &wps);
    if (rc) return rc;
    printf("%-14s %6zu %10.1f %10.1f %10.1f %10.4f %8.4f %9.4f %9.4f %7.4f\n", name, f.n, f.p50 / 1e3, f.p99 / 1e3,
           f.p999 / 1e3, f.mu, f.sigma, f.ks_lognormal, f.ks_empirical, f.ks_crit05);
    snprintf(path, sizeof path, "%.*s.%s.json", base, out, name);
    printf("%-14s %u writes in flight: %.0f writes/s, mean gap %.1f us; disk: \"journal\": \"%.0fus\" "
           "(the gaps' distribution: %s)\n", name, jc, wps, f.mean / 1e3, f.mean / 1e3, path);
    fflush(stdout);
    cJSON *j = chunkio_fit_to_json(&f);
    cJSON *m = cJSON_AddObjectToObject(j, "_journal");
    cJSON_AddStringToObject(m, "what", "times between consecutive durable-write completions at saturation");
    cJSON_AddNumberToObject(m, "concurrency", jc);
    cJSON_AddNumberToObject(m, "writes_per_s", round(wps * 10) / 10);
    if (write_json(path, j) != 0) {
        fprintf(stderr, "cdnsim calibrate: %s: cannot write: %s\n", path, strerror(errno));
        rc = SIM_EIO;
    }
    cJSON_AddItemToObject(series, name, j);
    return rc;
}

int cmd_calibrate(int argc, char **argv)
{
    const char *dirs[CHUNKIO_MAX_DIRS];
    char *dirbuf[CHUNKIO_MAX_DIRS];
    unsigned ndirs = 0;
    const char *out = NULL, *primary = NULL;
    uint64_t sizes[MAX_SIZES] = { 64u << 10, 1u << 20 };
    unsigned nsizes = 2;
    uint64_t ops = 1000, seed = 1, keys = 64, warmup = 0;
    unsigned curve[MAX_CURVE], ncurve = 0, journal = 0;
    int spells = 0;
    int direct = 1, ex = -1, only = -1; /* -1 both, 0 reads, 1 writes */
    for (int i = 1; i < argc && ex < 0; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        char *end = NULL;
        if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
            fputs(usage_text, stdout);
            ex = APP_EXIT_OK;
        } else if (!strcmp(o, "--dir") && v && *v) {
            char *copy = strdup(v), *save = NULL;
            for (char *t = strtok_r(copy, ",", &save); t && ex < 0; t = strtok_r(NULL, ",", &save)) {
                if (ndirs == CHUNKIO_MAX_DIRS) ex = bad("too many directories%s", "");
                else dirbuf[ndirs] = strdup(t), dirs[ndirs] = dirbuf[ndirs], ndirs++;
            }
            free(copy);
            i++;
        } else if (!strcmp(o, "--out") && v && *v) {
            out = v;
            i++;
        } else if (!strcmp(o, "--primary") && v && *v) {
            primary = v;
            i++;
        } else if (!strcmp(o, "--sizes") && v) {
            char copy[256], *save = NULL;
            nsizes = 0;
            snprintf(copy, sizeof copy, "%s", v);
            /* strtok_r would drop an empty item ("4KiB,,8KiB") silently */
            size_t vl = strlen(v);
            if (!*v || *v == ',' || v[vl - 1] == ',' || strstr(v, ",,"))
                ex = bad("--sizes has an empty item: '%s'", v);
            for (char *t = strtok_r(copy, ",", &save); t && ex < 0; t = strtok_r(NULL, ",", &save)) {
                uint64_t b;
                if (nsizes == MAX_SIZES || chunkio_parse_size(t, &b) || b < 4096 || b > CHUNKIO_MAX_CHUNK)
                    ex = bad("--sizes needs up to 8 sizes from 4KiB to 8MiB, like 64KiB,1MiB; got '%s'", v);
                else sizes[nsizes++] = b;
            }
            if (ex < 0 && nsizes == 0) ex = bad("--sizes is empty%s", "");
            i++;
        } else if ((!strcmp(o, "--ops") || !strcmp(o, "--seed") || !strcmp(o, "--keys")) && v) {
            int seed_opt = o[2] == 's';
            uint64_t x;
            if (cmd_parse_u64(v, seed_opt ? 0 : 2, seed_opt ? UINT64_MAX : 10000000, &x))
                ex = bad("%s needs a whole number (2 or more for --ops and --keys)", o);
            else if (o[2] == 'o') ops = x;
            else if (seed_opt) seed = x;
            else keys = x;
            i++;
        } else if (!strcmp(o, "--warmup") && v) {
            if (cmd_parse_u64(v, 0, 10000000, &warmup))
                ex = bad("--warmup needs a whole number up to 10000000, got '%s'", v);
            i++;
        } else if (!strcmp(o, "--curve") && v) {
            /* like --sizes: every item a whole number, none empty */
            size_t vl = strlen(v);
            if (!*v || *v == ',' || v[vl - 1] == ',' || strstr(v, ",,"))
                ex = bad("--curve has an empty item: '%s'", v);
            for (const char *t = v; ex < 0 && *t;) {
                errno = 0;
                unsigned long long x = strtoull(t, &end, 10);
                if (errno || end == t || (*end && *end != ',') || *t == '-' || x < 2 || x > 4096 || ncurve == MAX_CURVE ||
                    (ncurve && x <= curve[ncurve - 1]))
                    ex = bad("--curve needs up to 16 increasing concurrencies from 2 to 4096, like 2,4,8,16,32; got '%s'",
                             v);
                else curve[ncurve++] = (unsigned)x;
                t = *end ? end + 1 : end;
            }
            i++;
        } else if (!strcmp(o, "--journal") && v) {
            uint64_t x;
            if (cmd_parse_u64(v, 2, 4096, &x)) ex = bad("--journal needs a concurrency from 2 to 4096, like 32; got '%s'", v);
            else journal = (unsigned)x;
            i++;
        } else if (!strcmp(o, "--only") && v) {
            if (!strcmp(v, "read")) only = 0;
            else if (!strcmp(v, "write")) only = 1;
            else ex = bad("--only is read or write, got '%s'", v);
            i++;
        } else if (!strcmp(o, "--spells")) {
            spells = 1;
        } else if (!strcmp(o, "--buffered")) {
            direct = 0;
        } else if (!strcmp(o, "--dir") || !strcmp(o, "--out") || !strcmp(o, "--sizes") || !strcmp(o, "--primary") ||
                   !strcmp(o, "--only") || !strcmp(o, "--curve") || !strcmp(o, "--journal")) {
            ex = bad("%s needs a value", o);
        } else {
            ex = bad("unknown argument '%s'", o);
        }
    }
    if (ex < 0 && ndirs == 0) ex = bad("--dir is required%s", "");
    if (ex < 0 && !out) ex = bad("--out is required%s", "");
    if (ex < 0 && ncurve && only == 1) ex = bad("--curve measures reads: it cannot go with --only write%s", "");
    if (ex < 0 && journal && only == 0) ex = bad("--journal measures writes: it cannot go with --only read%s", "");
    if (ex < 0 && spells && only == 0) ex = bad("--spells looks in the writes: it cannot go with --only read%s", "");
    /* Everything that can be refused is refused before the measurement (which
     * takes minutes at the default --ops), not after it: the --primary series
     * must be one that will be measured, and OUT's directory must be writable. */
    char want_prim[64] = "";
    if (ex < 0) {
        /* the default: the reads (the writes with --only write) at the largest size */
        uint64_t largest = 0;
        for (unsigned s = 0; s < nsizes; s++)
            if (sizes[s] > largest) largest = sizes[s];
        char sz[32];
        size_name(sz, sizeof sz, largest);
        snprintf(want_prim, sizeof want_prim, "%s-%s", only == 1 ? "write" : "read", sz);
        if (primary) {
            int found = 0;
            char names[MAX_SIZES * 2 * 24] = "", name[64];
            for (unsigned s = 0; s < nsizes; s++)
                for (int op = 0; op < 2; op++) {
                    if (only >= 0 && op != only) continue;
                    size_name(sz, sizeof sz, sizes[s]);
                    snprintf(name, sizeof name, "%s-%s", op == 0 ? "read" : "write", sz);
                    if (!strcmp(name, primary)) found = 1;
                    size_t nl = strlen(names);
                    snprintf(names + nl, sizeof names - nl, "%s%s", nl ? ", " : "", name);
                }
            if (!found) {
                fprintf(stderr, "cdnsim calibrate: --primary '%s' is not a measured series; this run measures %s\n", primary,
                        names);
                ex = APP_EXIT_USAGE;
            } else {
                snprintf(want_prim, sizeof want_prim, "%s", primary);
            }
        }
    }
    if (ex < 0) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s", out);
        char *slash = strrchr(dir, '/');
        if (!slash) snprintf(dir, sizeof dir, ".");
        else if (slash == dir) dir[1] = 0;
        else *slash = 0;
        if (access(dir, W_OK | X_OK) != 0) {
            fprintf(stderr, "cdnsim calibrate: --out %s: cannot write into %s: %s\n", out, dir, strerror(errno));
            ex = APP_EXIT_FAIL; /* as a failed write at the end always was: exit 1 */
        }
    }
    if (ex >= 0) {
        for (unsigned i = 0; i < ndirs; i++) free(dirbuf[i]);
        return ex;
    }

    chunkio_store st;
    chunkio_opts so = { .direct = direct, .create = 1 };
    char err[1024];
    if (chunkio_store_open(&st, dirs, ndirs, &so, err, sizeof err) != 0) {
        fprintf(stderr, "cdnsim calibrate: %s\n", err);
        for (unsigned i = 0; i < ndirs; i++) free(dirbuf[i]);
        return APP_EXIT_FAIL;
    }
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "schema", "cdnsim.empirical/1");
    cJSON_AddStringToObject(root, "unit", "ns");
    cJSON *meta = cJSON_AddObjectToObject(root, "_measured");
    cJSON_AddStringToObject(meta, "by", "cdnsim calibrate (chunkio, closed loop, concurrency 1)");
    cJSON_AddBoolToObject(meta, "direct", direct);
    cJSON_AddNumberToObject(meta, "ops_per_series", (double)ops);
    cJSON_AddNumberToObject(meta, "warmup", (double)warmup);
    time_t now = time(NULL);
    char when[32];
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    cJSON_AddStringToObject(meta, "at", when);
    cJSON *series = cJSON_AddObjectToObject(root, "_series");
    char prim[64] = "";
    int rc = 0;
    printf("%-14s %6s %10s %10s %10s %10s %8s %9s %9s %7s\n", "series", "n", "p50_us", "p99_us", "p99.9_us",
           "mu", "sigma", "ks_logn", "ks_empir", "ks_5%");
    for (unsigned s = 0; s < nsizes && rc == 0; s++) {
        for (int op = 0; op < 2 && rc == 0; op++) {
            if (only >= 0 && op != only) continue;
            chunkio_bench_opts bo = { .chunk = sizes[s], .ops = ops, .warmup = warmup, .concurrency = 1,
                                      .read_frac = op == 0 ? 1.0 : 0.0, .keys = (unsigned)keys,
                                      .seed = seed, .progress = stderr };
            chunkio_bench_result r;
            rc = chunkio_bench_run(&st, &bo, &r);
            char sz[32], name[64];
            size_name(sz, sizeof sz, sizes[s]);
            snprintf(name, sizeof name, "%s-%s", op == 0 ? "read" : "write", sz);
            if (rc) {
                fprintf(stderr, "cdnsim calibrate: %s: %s\n", name, r.err);
                chunkio_bench_result_free(&r);
                break;
            }
            chunkio_fit f;
            int64_t *v = op == 0 ? r.read_ns : r.write_ns;
            size_t n = op == 0 ? r.nread : r.nwrite;
            double lone_rps = r.elapsed_s > 0 ? (double)n / r.elapsed_s : 0;
            chunkio_spells sp = { 0 };
            if (op == 1 && spells) { /* the series keeps the writes outside spells */
                size_t kept = n;
                rc = chunkio_find_spells(v, n, r.elapsed_s * 1e9, &kept, &sp);
                if (rc == 0 && kept < 2) rc = SIM_EINVAL;
                if (rc) fprintf(stderr, "cdnsim calibrate: %s: cannot look for spells (%s)\n", name, sim_strerror(rc));
                n = kept;
            }
            if (rc == 0) rc = chunkio_fit_samples(v, n, &f);
            chunkio_bench_result_free(&r);
            if (rc) {
                fprintf(stderr, "cdnsim calibrate: %s: cannot fit %zu samples (%s)\n", name, n, sim_strerror(rc));
                break;
            }
            printf("%-14s %6zu %10.1f %10.1f %10.1f %10.4f %8.4f %9.4f %9.4f %7.4f\n", name, f.n, f.p50 / 1e3,
                   f.p99 / 1e3, f.p999 / 1e3, f.mu, f.sigma, f.ks_lognormal, f.ks_empirical, f.ks_crit05);
            fflush(stdout);
            cJSON *j = chunkio_fit_to_json(&f);
            if (op == 1 && spells) print_spells(name, &sp, j);
            char path[4096];
            size_t ol = strlen(out);
            int base = (int)(ol > 5 && !strcmp(out + ol - 5, ".json") ? ol - 5 : ol);
            snprintf(path, sizeof path, "%.*s.%s.json", base, out, name);
            if (op == 0 && ncurve) {
                rc = measure_curve(&st, &bo, lone_rps, curve, ncurve, j, name, path);
                if (rc) {
                    cJSON_Delete(j);
                    break;
                }
            }
            /* The per-series file, next to OUT. */
            if (write_json(path, j) != 0) {
                fprintf(stderr, "cdnsim calibrate: %s: cannot write: %s\n", path, strerror(errno));
                rc = SIM_EIO;
            }
            cJSON_AddItemToObject(series, name, j);
            if (!strcmp(want_prim, name)) snprintf(prim, sizeof prim, "%s", name);
            if (rc == 0 && op == 1 && journal) rc = journal_series(&st, &bo, journal, sz, out, base, series);
        }
    }
    chunkio_store_close(&st);
    for (unsigned i = 0; i < ndirs; i++) free(dirbuf[i]);
    if (rc == 0 && !prim[0]) { /* cannot happen: want_prim is one of the measured series */
        fprintf(stderr, "cdnsim calibrate: series %s was not measured\n", want_prim);
        rc = SIM_EINVAL;
    }
    if (rc == 0) {
        cJSON *pq = cJSON_GetObjectItem(cJSON_GetObjectItem(series, prim), "quantiles");
        cJSON_AddStringToObject(root, "_primary", prim);
        cJSON *qd = cJSON_Duplicate(pq, 1);
        if (qd && !cJSON_AddItemToObject(root, "quantiles", qd)) cJSON_Delete(qd);
        if (write_json(out, root) != 0) {
            fprintf(stderr, "cdnsim calibrate: %s: cannot write: %s\n", out, strerror(errno));
            rc = SIM_EIO;
        } else {
            fprintf(stderr, "cdnsim calibrate: wrote %s (primary %s) and one file per series\n", out, prim);
        }
    }
    cJSON_Delete(root);
    return rc ? APP_EXIT_FAIL : APP_EXIT_OK;
}
