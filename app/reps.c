/* app/reps.c - replications as parallel child processes, then aggregation. */
#include "app/reps.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app/commands.h"
#include "app/conf.h"
#include "reports/aggregate.h"
#include "reports/rbuf.h"
#include "reports/rjson.h"
#include "reports/reports.h"
#include "sim/errors.h"
#include "sim/rng.h"

int app_reps_parse_count(const char *s, unsigned max, unsigned *out)
{
    if (!s || !*s) return -1;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9') return -1;
    errno = 0;
    unsigned long v = strtoul(s, NULL, 10);
    if (errno || v < 1 || v > max) return -1;
    *out = (unsigned)v;
    return 0;
}

static int mkdir_p(const char *path)
{
    char buf[4096];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof buf) return -1;
    memcpy(buf, path, n + 1);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    return (mkdir(buf, 0755) != 0 && errno != EEXIST) ? -1 : 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path) != 0 && errno != ENOENT ? -1 : 0;
}

/* Replications left over from an earlier run with more of them would be
 * read by compare as if they belonged to this one: remove DIR/reps/K for
 * K >= R (only numeric names, only under DIR/reps). */
static void remove_stale(const char *outdir, unsigned reps)
{
    char path[4096];
    for (unsigned k = reps;; k++) {
        snprintf(path, sizeof path, "%s/reps/%u", outdir, k);
        struct stat st;
        if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) break;
        nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    }
}

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

typedef struct child {
    pid_t pid;
    unsigned rep;
} child;

static pid_t spawn(const app_reps_opts *o, unsigned rep, uint64_t seed, const char *dir)
{
    char seedbuf[32], log[4200];
    snprintf(seedbuf, sizeof seedbuf, "%" PRIu64, seed);
    snprintf(log, sizeof log, "%s/run.log", dir);
    size_t n = 0;
    const char **argv = calloc(12 + 2 * o->nsets, sizeof *argv);
    if (!argv) return -1;
    const char *exe = o->exe ? o->exe : "/proc/self/exe";
    argv[n++] = "cdnsim";
    argv[n++] = "run";
    argv[n++] = o->scenario;
    argv[n++] = "--seed";
    argv[n++] = seedbuf;
    argv[n++] = "--out";
    argv[n++] = dir;
    argv[n++] = "--quiet";
    argv[n++] = "--no-report";
    for (size_t i = 0; i < o->nsets; i++) {
        argv[n++] = "--set";
        argv[n++] = o->sets[i];
    }
    argv[n] = NULL;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        /* The child: its own output file, default signal handling (it
         * handles Ctrl-C itself and writes a partial summary). */
        signal(SIGINT, SIG_DFL);
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int in = open("/dev/null", O_RDONLY);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        if (in >= 0) dup2(in, 0);
        execv(exe, (char *const *)argv);
        fprintf(stderr, "cannot run %s: %s\n", exe, strerror(errno));
        _exit(APP_EXIT_FAIL);
    }
    (void)rep;
    free(argv);
    return pid;
}

static void show_log(FILE *log, const char *dir)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/run.log", dir);
    char *text = reports_read_file(path, NULL);
    if (text && *text) {
        fprintf(log, "--- %s ---\n%s", path, text);
        if (text[strlen(text) - 1] != '\n') fputc('\n', log);
    }
    free(text);
}

int app_reps_run(const app_reps_opts *o)
{
    FILE *log = o->log ? o->log : stderr;
    if (o->reps < 1) {
        fprintf(log, "cdnsim run: --reps must be at least 1\n");
        return APP_EXIT_USAGE;
    }
    unsigned jobs = o->jobs;
    if (jobs == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = n > 0 ? (unsigned)n : 1;
    }
    if (jobs > o->reps) jobs = o->reps;
    char path[4096];
    snprintf(path, sizeof path, "%s/reps", o->outdir);
    if (mkdir_p(path) != 0) {
        fprintf(log, "cdnsim run: cannot create %s: %s\n", path, strerror(errno));
        return APP_EXIT_FAIL;
    }
    remove_stale(o->outdir, o->reps);

    uint64_t *seeds = calloc(o->reps, sizeof *seeds);
    char **dirs = calloc(o->reps, sizeof *dirs);
    int *status = calloc(o->reps, sizeof *status);   /* exit code + 1; 0 = not finished */
    child *running = calloc(jobs, sizeof *running);
    if (!seeds || !dirs || !status || !running) {
        free(seeds);
        free(dirs);
        free(status);
        free(running);
        fprintf(log, "cdnsim run: out of memory\n");
        return APP_EXIT_FAIL;
    }
    int code = APP_EXIT_OK;
    for (unsigned k = 0; k < o->reps; k++) {
        seeds[k] = sim_rng_rep_seed(o->seed, k);
        if (asprintf(&dirs[k], "%s/reps/%u", o->outdir, k) < 0) dirs[k] = NULL;
        if (!dirs[k]) code = APP_EXIT_FAIL;
    }
    struct sigaction sa = { 0 }, old;
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    interrupted = 0;
    sigaction(SIGINT, &sa, &old);

    if (!o->quiet)
        fprintf(log, "running %u replications of %s, %u at a time, into %s/reps/\n", o->reps, o->scenario, jobs,
                o->outdir);
    unsigned next = 0, nrun = 0, done = 0;
    int stop = code != APP_EXIT_OK;
    while (nrun > 0 || (!stop && next < o->reps)) {
        while (!stop && !interrupted && nrun < jobs && next < o->reps) {
            unsigned k = next++;
            if (mkdir_p(dirs[k]) != 0) {
                fprintf(log, "cdnsim run: cannot create %s: %s\n", dirs[k], strerror(errno));
                code = APP_EXIT_FAIL;
                stop = 1;
                break;
            }
            pid_t pid = spawn(o, k, seeds[k], dirs[k]);
            if (pid < 0) {
                fprintf(log, "cdnsim run: cannot start replication %u: %s\n", k, strerror(errno));
                code = APP_EXIT_FAIL;
                stop = 1;
                break;
            }
            running[nrun].pid = pid;
            running[nrun].rep = k;
            nrun++;
        }
        if (interrupted) stop = 1;
        if (nrun == 0) break;
        int st = 0;
        pid_t pid = waitpid(-1, &st, 0);
        if (pid < 0) {
            if (errno == EINTR) continue;
            break;
        }
        for (unsigned i = 0; i < nrun; i++) {
            if (running[i].pid != pid) continue;
            unsigned k = running[i].rep;
            running[i] = running[--nrun];
            int ec = WIFEXITED(st) ? WEXITSTATUS(st) : APP_EXIT_FAIL;
            status[k] = ec + 1;
            done++;
            if (ec == APP_EXIT_OK) {
                if (!o->quiet)
                    fprintf(log, "replication %u/%u done (seed %" PRIu64 ")\n", done, o->reps, seeds[k]);
            } else if (!interrupted) {
                fprintf(log, "cdnsim run: replication %u (seed %" PRIu64 ") failed with exit %d:\n", k, seeds[k], ec);
                show_log(log, dirs[k]);
                if (code == APP_EXIT_OK || ec == APP_EXIT_USAGE) code = ec == APP_EXIT_USAGE ? APP_EXIT_USAGE : APP_EXIT_FAIL;
                stop = 1;
            }
            break;
        }
    }
    sigaction(SIGINT, &old, NULL);

    /* Aggregate: every replication on success; after Ctrl-C, those that
     * wrote a summary (their own partial flag marks the aggregate). */
    if (code == APP_EXIT_OK || (interrupted && code != APP_EXIT_USAGE)) {
        const char **have = calloc(o->reps, sizeof *have);
        uint64_t *hs = calloc(o->reps, sizeof *hs);
        size_t nh = 0;
        for (unsigned k = 0; have && hs && k < o->reps; k++) {
            snprintf(path, sizeof path, "%s/summary.json", dirs[k]);
            if (status[k] && access(path, R_OK) == 0 && (status[k] == 1 || interrupted)) {
                hs[nh] = seeds[k];
                have[nh++] = dirs[k];
            }
        }
        char err[1024] = "";
        if (nh == 0) {
            fprintf(log, "cdnsim run: no replication finished\n");
            code = APP_EXIT_FAIL;
        } else if (reports_aggregate_dirs(o->outdir, have, nh, o->seed, hs, err, sizeof err) < 0) {
            fprintf(log, "cdnsim run: aggregating replications: %s\n", err);
            code = APP_EXIT_FAIL;
        } else {
            if (interrupted) {
                /* Mark the aggregate partial: not all replications ran. */
                cJSON *sum = NULL;
                snprintf(path, sizeof path, "%s/summary.json", o->outdir);
                if (reports_json_load(path, &sum, err, sizeof err) == 0) {
                    cJSON *t = cJSON_CreateTrue();
                    if (t && conf_json_set_member(sum, "partial", cJSON_GetObjectItemCaseSensitive(sum, "partial"), t) == 0)
                        reports_json_save(path, sum);
                    else
                        cJSON_Delete(t);
                    cJSON_Delete(sum);
                }
                fprintf(log, "cdnsim run: interrupted: %zu of %u replications aggregated (partial)\n", nh, o->reps);
                code = APP_EXIT_FAIL;
            }
            if (!o->no_report) {
                reports_options ro = { .quiet = o->quiet, .log = log };
                if (reports_write(o->outdir, &ro) < 0) code = APP_EXIT_FAIL;
            }
            /* on stdout even with --quiet, like a single run's line (docs/summary.md), so that a
             * script finds the summary the same way with or without --reps */
            printf("%s: %s/summary.json (%zu replications, 95%% intervals)\n",
                   interrupted ? "interrupted, partial summary" : "summary", o->outdir, nh);
            fflush(stdout);
        }
        free(have);
        free(hs);
    }
    for (unsigned k = 0; k < o->reps; k++) free(dirs[k]);
    free(dirs);
    free(seeds);
    free(status);
    free(running);
    return code;
}
