/* app/cmd_chunkio.c - `cdnsim chunkio put|get|verify|bench`: the real chunk
 * store (chunkio/) from the command line, for scripts, tests and measuring. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/cmd_args.h"
#include "app/commands.h"
#include "chunkio/bench.h"
#include "chunkio/chunkio.h"
#include "sim/errors.h"
#include "sim/hist.h"

static const char usage_text[] =
    "usage: cdnsim chunkio put    --dir D[,D...] [options] KEY FILE   (FILE '-' = stdin)\n"
    "       cdnsim chunkio get    --dir D[,D...] [options] KEY        (chunk to stdout)\n"
    "       cdnsim chunkio verify --dir D[,D...] [--no-repair]\n"
    "       cdnsim chunkio bench  --dir D[,D...] --chunk 1MiB --ops N --concurrency C\n"
    "                             --mix read:70,write:30 [--direct] [--replicas R] [--keep]\n"
    "                             [--keys K] [--engine threads|uring] [--seed S] [--latencies FILE]\n"
    "                             [--warmup N]\n"
    "\n"
    "A store is one or more directories, one per data node disk; pass the same\n"
    "directories (in any order) to every command. Chunks hold at most 8 MiB; keys\n"
    "are byte strings of at most 1024 bytes.\n"
    "\n"
    "options:\n"
    "  --dir D[,D...]   store directories (repeatable); put and bench create missing ones\n"
    "  --replicas R     copies per chunk on R different directories (default 1)\n"
    "  --quorum W       a put succeeds once W copies are durable (default R)\n"
    "  --direct         O_DIRECT I/O with aligned buffers (bypasses the page cache)\n"
    "  --hex            KEY is given as hex (for keys with NUL or other bytes)\n"
    "  --offset N, --length N   get: a byte range (only the blocks it touches are checked)\n"
    "  --no-repair      verify: report only, change nothing\n"
    "  --chunk SIZE     bench: bytes per chunk, 4KiB..8MiB (default 1MiB)\n"
    "  --ops N          bench: measured operations (default 1000)\n"
    "  --warmup N       bench: first run N operations that are not measured, so that the\n"
    "                   workers' simultaneous start is left out (default 0; threads engine)\n"
    "  --concurrency C  bench: operations in flight, closed loop (default 1)\n"
    "  --mix read:R,write:W   bench: operation mix in percent (default read:70,write:30)\n"
    "  --keys K         bench: working-set chunks written before measuring (default 64)\n"
    "  --keep           bench: leave the chunks (verify can check them)\n"
    "  --engine E       bench: threads (default) or uring\n"
    "  --seed S         bench: seed of the operation and key draws and payload bytes (default 1)\n"
    "  --latencies FILE bench: also write every operation's latency as CSV (op,latency_ns,end_ns,\n"
    "                   write_ns,fdatasync_ns,rename_ns,dir_fsync_ns; end_ns: when it ended,\n"
    "                   after the measured phase began; then a write's time in each step of\n"
    "                   a durable write, empty for reads and with io_uring), reads then\n"
    "                   writes, each in completion order\n"
    "\n"
    "output: get writes the chunk to stdout; verify and bench print one JSON line;\n"
    "bench prints a progress line on stderr every second.\n"
    "exit codes: 0 ok, 1 failed (not found, corrupt, I/O error, unrepaired chunks), 2 bad arguments\n";

typedef struct {
    const char *dirs[CHUNKIO_MAX_DIRS];
    unsigned ndirs;
    char *dirbuf[CHUNKIO_MAX_DIRS];
    chunkio_opts so;
    int hex, no_repair, keep;
    uint64_t offset, length;
    int has_length;
    chunkio_bench_opts bo;
    const char *latencies; /* bench: CSV of every latency, or NULL */
    const char *pos[4];
    int npos;
} args_t;

static int bad(const char *fmt, const char *a)
{
    fprintf(stderr, "cdnsim chunkio: ");
    fprintf(stderr, fmt, a);
    fprintf(stderr, " (see cdnsim chunkio --help)\n");
    return APP_EXIT_USAGE;
}

static int add_dirs(args_t *a, const char *list)
{
    char *copy = strdup(list);
    if (!copy) return -1;
    char *save = NULL;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (a->ndirs >= CHUNKIO_MAX_DIRS) {
            free(copy);
            return -1;
        }
        a->dirbuf[a->ndirs] = strdup(t);
        a->dirs[a->ndirs] = a->dirbuf[a->ndirs];
        a->ndirs++;
    }
    free(copy);
    return 0;
}

static int parse_mix(const char *s, double *read_frac)
{
    double r = -1, w = -1;
    char buf[128];
    if (strlen(s) >= sizeof buf) return -1;
    strcpy(buf, s);
    char *save = NULL;
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        char *colon = strchr(t, ':');
        if (!colon) return -1;
        *colon = '\0';
        char *end;
        double v = strtod(colon + 1, &end);
        if (*end || end == colon + 1 || !(v >= 0 && v <= 100)) return -1;
        if (!strcmp(t, "read") && r < 0) r = v;
        else if (!strcmp(t, "write") && w < 0) w = v;
        else return -1;
    }
    if (r < 0) r = w >= 0 ? 100 - w : -1;
    if (w < 0) w = 100 - r;
    if (r < 0 || r + w <= 0 || r + w > 100.0001 || r + w < 99.9999) return -1;
    *read_frac = r / (r + w);
    return 0;
}

static void free_args(args_t *a)
{
    for (unsigned i = 0; i < a->ndirs; i++) free(a->dirbuf[i]);
}

/* Returns -1 when parsing succeeded, else an exit code. */
static int parse(args_t *a, int argc, char **argv, const char *cmd)
{
    memset(a, 0, sizeof *a);
    a->bo.chunk = 1u << 20;
    a->bo.ops = 1000;
    a->bo.concurrency = 1;
    a->bo.read_frac = 0.7;
    a->bo.seed = 1;
    int is_bench = !strcmp(cmd, "bench");
    for (int i = 2; i < argc; i++) {
        const char *o = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        uint64_t n;
        if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
            fputs(usage_text, stdout);
            return APP_EXIT_OK;
        } else if (!strcmp(o, "--dir")) {
            if (!v || !*v) return bad("%s needs a directory", o);
            if (add_dirs(a, v)) return bad("too many directories (at most 64) in %s", v);
            i++;
        } else if (!strcmp(o, "--replicas") || !strcmp(o, "--quorum")) {
            if (cmd_parse_u64(v, 1, CHUNKIO_MAX_DIRS, &n))
                return bad("%s needs a count from 1 to 64", o);
            if (o[2] == 'r') a->so.replicas = (unsigned)n;
            else a->so.write_quorum = (unsigned)n;
            i++;
        } else if (!strcmp(o, "--direct")) {
            a->so.direct = 1;
        } else if (!strcmp(o, "--hex")) {
            a->hex = 1;
        } else if (!strcmp(o, "--no-repair")) {
            a->no_repair = 1;
        } else if (!strcmp(o, "--keep")) {
            a->bo.keep = 1;
        } else if (!strcmp(o, "--offset") || !strcmp(o, "--length")) {
            if (!v || chunkio_parse_size(v, &n)) return bad("%s needs a byte count like 4096 or 64KiB", o);
            if (o[2] == 'o') a->offset = n;
            else a->length = n, a->has_length = 1;
            i++;
        } else if (is_bench && !strcmp(o, "--chunk")) {
            if (!v || chunkio_parse_size(v, &n) || n < 4096 || n > CHUNKIO_MAX_CHUNK)
                return bad("--chunk needs a size from 4KiB to 8MiB, got '%s'", v ? v : "");
            a->bo.chunk = (size_t)n;
            i++;
        } else if (is_bench && (!strcmp(o, "--ops") || !strcmp(o, "--seed"))) {
            if (cmd_parse_u64(v, o[2] == 'o' ? 1 : 0, o[2] == 'o' ? 100000000 : UINT64_MAX, &n))
                return bad("%s needs a positive whole number", o);
            if (o[2] == 'o') a->bo.ops = n;
            else a->bo.seed = n;
            i++;
        } else if (is_bench && !strcmp(o, "--warmup")) {
            if (cmd_parse_u64(v, 0, 100000000, &n)) return bad("%s needs a whole number up to 100000000", o);
            a->bo.warmup = n;
            i++;
        } else if (is_bench && (!strcmp(o, "--concurrency") || !strcmp(o, "--keys"))) {
            if (cmd_parse_u64(v, 1, 4096, &n)) return bad("%s needs a count from 1 to 4096", o);
            if (o[2] == 'c') a->bo.concurrency = (unsigned)n;
            else a->bo.keys = (unsigned)n;
            i++;
        } else if (is_bench && !strcmp(o, "--mix")) {
            if (!v || parse_mix(v, &a->bo.read_frac))
                return bad("--mix needs percentages like read:70,write:30 adding up to 100, got '%s'", v ? v : "");
            i++;
        } else if (is_bench && !strcmp(o, "--latencies")) {
            if (!v || !*v) return bad("%s needs a file name", o);
            a->latencies = v;
            i++;
        } else if (is_bench && !strcmp(o, "--engine")) {
            if (v && !strcmp(v, "threads")) a->bo.engine = CHUNKIO_ENGINE_THREADS;
            else if (v && !strcmp(v, "uring")) a->bo.engine = CHUNKIO_ENGINE_URING;
            else return bad("--engine is threads or uring, got '%s'", v ? v : "");
            i++;
        } else if (o[0] == '-' && o[1] != '\0') {
            return bad("unknown option '%s'", o);
        } else {
            if (a->npos >= 4) return bad("unexpected argument '%s'", o);
            a->pos[a->npos++] = o;
        }
    }
    if (a->ndirs == 0) return bad("%s needs --dir", cmd);
    if (a->so.replicas > a->ndirs)
        return bad("--replicas is larger than the number of directories given with --dir%s", "");
    if (a->so.write_quorum > (a->so.replicas ? a->so.replicas : 1))
        return bad("--quorum cannot exceed --replicas%s", "");
    return -1;
}

static int open_store(args_t *a, chunkio_store *st, int create)
{
    char err[1024];
    a->so.create = create;
    int rc = chunkio_store_open(st, a->dirs, a->ndirs, &a->so, err, sizeof err);
    if (rc) {
        fprintf(stderr, "cdnsim chunkio: %s\n", err);
        return rc == SIM_EINVAL ? APP_EXIT_USAGE : APP_EXIT_FAIL;
    }
    return -1;
}

/* Decodes KEY (or its hex form) into key; returns its length, -1 if it is
 * longer than cap bytes, or -2 if --hex was given and KEY is not hex (an odd
 * number of digits or a character outside 0-9a-fA-F). */
static long get_key(const args_t *a, const char *s, uint8_t *key, size_t cap)
{
    size_t n = strlen(s);
    if (!a->hex) {
        if (n > cap) return -1;
        memcpy(key, s, n);
        return (long)n;
    }
    if (n % 2) return -2;
    if (n / 2 > cap) return -1;
    for (size_t i = 0; i < n / 2; i++) {
        unsigned v;
        if (sscanf(s + 2 * i, "%2x", &v) != 1 || !strchr("0123456789abcdefABCDEF", s[2 * i]) ||
            !strchr("0123456789abcdefABCDEF", s[2 * i + 1]))
            return -2;
        key[i] = (uint8_t)v;
    }
    return (long)(n / 2);
}

/* The usage error for a KEY get_key() refused (kl is its negative result). */
static int bad_key(const args_t *a, long kl)
{
    if (kl == -2)
        return bad("with --hex, KEY must be hex digits, two per byte (e.g. 00ff2e2e), found '%s'", a->pos[0]);
    return bad("KEY must be at most 1024 bytes%s", a->hex ? " (2048 hex digits)" : "");
}

static uint8_t *read_input(const char *path, size_t *len, int *too_big)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f) return NULL;
    size_t cap = 1u << 16, n = 0;
    uint8_t *buf = malloc(cap);
    *too_big = 0;
    while (buf) {
        if (n == cap) {
            if (cap > CHUNKIO_MAX_CHUNK) {
                *too_big = 1;
                break;
            }
            uint8_t *nb = realloc(buf, cap * 2);
            if (!nb) break;
            buf = nb;
            cap *= 2;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        if (r == 0) {
            if (ferror(f)) break;
            *len = n;
            if (f != stdin) fclose(f);
            if (n > CHUNKIO_MAX_CHUNK) *too_big = 1;
            return buf;
        }
        n += r;
    }
    free(buf);
    if (f != stdin) fclose(f);
    return NULL;
}

static int do_put(args_t *a)
{
    if (a->npos != 2) return bad("put needs KEY and FILE%s", "");
    uint8_t key[CHUNKIO_MAX_KEY];
    long kl = get_key(a, a->pos[0], key, sizeof key);
    if (kl < 0) return bad_key(a, kl);
    size_t len = 0;
    int too_big = 0;
    uint8_t *data = read_input(a->pos[1], &len, &too_big);
    if (!data) {
        fprintf(stderr, "cdnsim chunkio: %s: cannot read: %s\n", a->pos[1], strerror(errno));
        return APP_EXIT_USAGE;
    }
    if (too_big) {
        free(data);
        fprintf(stderr, "cdnsim chunkio: %s: larger than the 8 MiB chunk limit\n", a->pos[1]);
        return APP_EXIT_USAGE;
    }
    chunkio_store st;
    int ex = open_store(a, &st, 1);
    if (ex >= 0) {
        free(data);
        return ex;
    }
    chunkio_ctx c;
    chunkio_ctx_init(&c);
    int rc = chunkio_put(&st, &c, key, (size_t)kl, data, len);
    if (rc) fprintf(stderr, "cdnsim chunkio: put failed: %s (%s)\n", c.err, sim_strerror(rc));
    chunkio_ctx_free(&c);
    chunkio_store_close(&st);
    free(data);
    return rc ? APP_EXIT_FAIL : APP_EXIT_OK;
}

static int do_get(args_t *a)
{
    if (a->npos != 1) return bad("get needs exactly one KEY%s", "");
    uint8_t key[CHUNKIO_MAX_KEY];
    long kl = get_key(a, a->pos[0], key, sizeof key);
    if (kl < 0) return bad_key(a, kl);
    chunkio_store st;
    int ex = open_store(a, &st, 0);
    if (ex >= 0) return ex;
    chunkio_ctx c;
    chunkio_ctx_init(&c);
    const uint8_t *d;
    size_t n, total = 0;
    int rc = chunkio_get(&st, &c, key, (size_t)kl, a->offset, a->has_length ? (size_t)a->length : SIZE_MAX, &d,
                         &n, &total);
    if (rc) {
        fprintf(stderr, "cdnsim chunkio: get failed: %s (%s)\n", c.err, sim_strerror(rc));
    } else if (a->offset > 0 && a->offset >= total) {
        /* The library clips a range to the chunk; a range that starts past
         * the end is a mistake (a wrong key or offset), not an empty answer
         * (HTTP says 416 Range Not Satisfiable). */
        fprintf(stderr, "cdnsim chunkio: get failed: --offset %llu is at or past the end of the chunk (%llu bytes)\n",
                (unsigned long long)a->offset, (unsigned long long)total);
        rc = SIM_EINVAL;
    } else {
        if (c.corrupt_seen)
            fprintf(stderr, "cdnsim chunkio: warning: %llu corrupt cop%s skipped; served from a replica "
                    "(run `cdnsim chunkio verify` to repair)\n",
                    (unsigned long long)c.corrupt_seen, c.corrupt_seen == 1 ? "y" : "ies");
        if (fwrite(d, 1, n, stdout) != n || fflush(stdout) != 0) {
            fprintf(stderr, "cdnsim chunkio: cannot write to stdout: %s\n", strerror(errno));
            rc = SIM_EIO;
        }
    }
    chunkio_ctx_free(&c);
    chunkio_store_close(&st);
    return rc ? APP_EXIT_FAIL : APP_EXIT_OK;
}

static int do_verify(args_t *a)
{
    if (a->npos != 0) return bad("verify takes no KEY ('%s')", a->pos[0]);
    chunkio_store st;
    int ex = open_store(a, &st, 0);
    if (ex >= 0) return ex;
    chunkio_ctx c;
    chunkio_ctx_init(&c);
    chunkio_verify_report r;
    int rc = chunkio_verify(&st, &c, !a->no_repair, &r);
    if (rc) {
        fprintf(stderr, "cdnsim chunkio: verify failed: %s (%s)\n", c.err, sim_strerror(rc));
    } else {
        printf("{\"chunks\": %llu, \"copies\": %llu, \"ok\": %llu, \"repaired\": %llu, \"corrupt\": %llu, "
               "\"missing\": %llu, \"temps_removed\": %llu}\n",
               (unsigned long long)r.chunks, (unsigned long long)r.copies, (unsigned long long)r.ok,
               (unsigned long long)r.repaired, (unsigned long long)r.corrupt, (unsigned long long)r.missing,
               (unsigned long long)st.temps_removed);
    }
    chunkio_ctx_free(&c);
    chunkio_store_close(&st);
    if (rc) return APP_EXIT_FAIL;
    return r.corrupt || r.missing ? APP_EXIT_FAIL : APP_EXIT_OK;
}

/* A histogram of v[0], v[stride], ... (n values) in h. 0, or -1 on out of
 * memory (h then needs no free). */
static int hist_of(sim_hist *h, const int64_t *v, uint64_t n, size_t stride)
{
    if (sim_hist_init(h) != 0) return -1;
    for (uint64_t i = 0; i < n; i++) sim_hist_record(h, v[i * stride]);
    return 0;
}

/* Percentiles come from sim_hist (nearest rank, within 0.2%), the same
 * definition the simulator's reports use, so bench and model compare like
 * for like. */
static void print_lat(const char *name, const int64_t *v, uint64_t n, double elapsed)
{
    sim_hist h;
    if (hist_of(&h, v, n, 1) != 0) {
        printf("\"%s\": null", name);
        return;
    }
    printf("\"%s\": {\"count\": %llu, \"ops_per_s\": %.1f, \"mean_us\": %.1f, \"p50_us\": %.1f, "
           "\"p90_us\": %.1f, \"p99_us\": %.1f, \"p999_us\": %.1f, \"max_us\": %.1f}",
           name, (unsigned long long)n, elapsed > 0 ? (double)n / elapsed : 0, sim_hist_mean(&h) / 1e3,
           sim_hist_quantile(&h, 0.5) / 1e3, sim_hist_quantile(&h, 0.9) / 1e3, sim_hist_quantile(&h, 0.99) / 1e3,
           sim_hist_quantile(&h, 0.999) / 1e3, n ? (double)h.max / 1e3 : 0);
    sim_hist_free(&h);
}

/* "write_steps": the time the writes spent in each step of a durable write
 * (chunkio_step_names), mean and percentiles in us, as print_lat. Prints
 * nothing when the engine did not measure them or there was no write. */
static void print_steps(const chunkio_bench_result *r)
{
    if (!r->has_steps || r->nwrite == 0) return;
    printf(", \"write_steps\": {");
    for (int k = 0; k < CHUNKIO_NSTEPS; k++) {
        sim_hist h;
        if (hist_of(&h, r->write_step_ns + k, r->nwrite, CHUNKIO_NSTEPS) != 0) break;
        printf("%s\"%s\": {\"mean_us\": %.1f, \"p50_us\": %.1f, \"p90_us\": %.1f, \"p99_us\": %.1f}", k ? ", " : "",
               chunkio_step_names[k], sim_hist_mean(&h) / 1e3, sim_hist_quantile(&h, 0.5) / 1e3,
               sim_hist_quantile(&h, 0.9) / 1e3, sim_hist_quantile(&h, 0.99) / 1e3);
        sim_hist_free(&h);
    }
    printf("}");
}

/* Writes every latency of r to path as CSV (op,latency_ns,end_ns, then each
 * step of a durable write, write_ns,fdatasync_ns,rename_ns,dir_fsync_ns:
 * end_ns is when the operation ended, after the start of the measured
 * phase; the steps are empty for reads and with io_uring), reads first.
 * Returns 0, or -1 with a message on stderr (the file may then be partial;
 * the bench's JSON line is printed regardless). */
static int write_latencies(const char *path, const chunkio_bench_result *r)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "cdnsim chunkio: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    fputs("op,latency_ns,end_ns", f);
    for (int k = 0; k < CHUNKIO_NSTEPS; k++) fprintf(f, ",%s_ns", chunkio_step_names[k]);
    fputs("\n", f);
    for (uint64_t i = 0; i < r->nread; i++)
        fprintf(f, "read,%lld,%lld,,,,\n", (long long)r->read_ns[i], (long long)r->read_end_ns[i]);
    for (uint64_t i = 0; i < r->nwrite; i++) {
        fprintf(f, "write,%lld,%lld", (long long)r->write_ns[i], (long long)r->write_end_ns[i]);
        const int64_t *st = r->write_step_ns + i * CHUNKIO_NSTEPS;
        for (int k = 0; k < CHUNKIO_NSTEPS; k++) {
            if (r->has_steps) fprintf(f, ",%lld", (long long)st[k]);
            else fputs(",", f);
        }
        fputs("\n", f);
    }
    int bad_write = ferror(f);
    if (fclose(f) != 0 || bad_write) {
        fprintf(stderr, "cdnsim chunkio: writing %s failed: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

static int do_bench(args_t *a)
{
    if (a->npos != 0) return bad("bench takes no positional argument ('%s')", a->pos[0]);
    chunkio_store st;
    int ex = open_store(a, &st, 1);
    if (ex >= 0) return ex;
    a->bo.progress = stderr;
    chunkio_bench_result r;
    int rc = chunkio_bench_run(&st, &a->bo, &r);
    if (rc) {
        fprintf(stderr, "cdnsim chunkio: bench failed: %s\n", r.err);
    } else {
        double el = r.elapsed_s;
        uint64_t bytes = (r.nread + r.nwrite) * (uint64_t)a->bo.chunk;
        printf("{\"engine\": \"%s\", \"dirs\": %u, \"chunk\": %zu, \"ops\": %llu, \"warmup\": %llu, "
               "\"concurrency\": %u, "
               "\"read_pct\": %.1f, \"direct\": %s, \"replicas\": %u, \"keys\": %u, \"elapsed_s\": %.3f, "
               "\"ops_per_s\": %.1f, \"mib_per_s\": %.1f, ",
               a->bo.engine == CHUNKIO_ENGINE_URING ? "uring" : "threads", st.ndirs, a->bo.chunk,
               (unsigned long long)a->bo.ops, (unsigned long long)a->bo.warmup, a->bo.concurrency,
               a->bo.read_frac * 100,
               st.opts.direct ? "true" : "false", st.opts.replicas, a->bo.keys ? a->bo.keys : 64, el,
               el > 0 ? (double)(r.nread + r.nwrite) / el : 0, el > 0 ? (double)bytes / el / 1048576.0 : 0);
        print_lat("read", r.read_ns, r.nread, el);
        printf(", ");
        print_lat("write", r.write_ns, r.nwrite, el);
        print_steps(&r);
        printf("}\n");
        if (a->latencies && write_latencies(a->latencies, &r)) rc = SIM_EIO;
    }
    chunkio_bench_result_free(&r);
    chunkio_store_close(&st);
    if (rc == SIM_EINVAL) return APP_EXIT_USAGE;
    return rc ? APP_EXIT_FAIL : APP_EXIT_OK;
}

int cmd_chunkio(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        fputs(usage_text, argc < 2 ? stderr : stdout);
        return argc < 2 ? APP_EXIT_USAGE : APP_EXIT_OK;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "put") && strcmp(cmd, "get") && strcmp(cmd, "verify") && strcmp(cmd, "bench")) {
        fprintf(stderr, "cdnsim chunkio: unknown subcommand '%s' (put, get, verify or bench)\n", cmd);
        return APP_EXIT_USAGE;
    }
    args_t a;
    int ex = parse(&a, argc, argv, cmd);
    if (ex < 0) {
        if (!strcmp(cmd, "put")) ex = do_put(&a);
        else if (!strcmp(cmd, "get")) ex = do_get(&a);
        else if (!strcmp(cmd, "verify")) ex = do_verify(&a);
        else ex = do_bench(&a);
    }
    free_args(&a);
    return ex;
}
