/* app/cmd_run.c - `cdnsim run`: one simulation run, files in the out dir. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cmd_args.h"
#include "app/commands.h"
#include "app/reps.h"
#include "reports/reports.h"
#include "sim/errors.h"

static void run_help(void)
{
    puts("usage: cdnsim run SCENARIO [--seed N] [--out DIR] [--set PATH=VALUE]... [--quiet]\n"
         "                    [--reps R [--jobs J]] [--no-report] [--trace-sample N]\n"
         "\n"
         "Runs the scenario (a JSON file, see docs/scenario.md) for its `duration` and writes\n"
         "into DIR (default out/<scenario name>/):\n"
         "  summary.json    requests, throughput, latency percentiles, per-component results\n"
         "  timeseries.csv  one row per report window (report.window, default 1s)\n"
         "  latency.csv     the latency distribution as quantiles (after warm-up)\n"
         "  events.csv      notable events (faults, interruptions)\n"
         "  plots/, report.html  plots (gnuplot, when installed) and a self-contained page\n"
         "The files are described in docs/summary.md and docs/reports.md. Measurements start\n"
         "after `warmup`.\n"
         "\n"
         "options:\n"
         "  --seed N          use seed N instead of the scenario's `seed`\n"
         "  --out DIR         write the files into DIR (created if missing)\n"
         "  --set PATH=VALUE  override one value, e.g. --set components.edge.cache_size=20GiB\n"
         "                    or --set duration=10s (repeatable; VALUE is JSON or a plain string)\n"
         "  --quiet, -q       no progress line on stderr\n"
         "  --reps R          R independent replications (seeds derived from the seed), each in\n"
         "                    DIR/reps/K; DIR gets their means with 95% confidence intervals\n"
         "  --jobs J          run at most J replications at once (default: the number of CPUs)\n"
         "  --no-report       write the data files only: no plots, no report.html\n"
         "  --trace-sample N  write the hop-by-hop path of every N-th request to DIR/trace.jsonl\n"
         "                    (one JSON object per line: components, times, waits, hit/miss)\n"
         "  --help, -h        this help\n"
         "\n"
         "A progress line (simulated time, % done, events/s, ETA) is shown on stderr: in place on\n"
         "a terminal, at growing intervals otherwise. Ctrl-C stops the run and still writes the\n"
         "results so far, with \"partial\": true in summary.json.\n"
         "Same scenario + same seed = byte-identical summary.json except wall_s and events_per_s.\n"
         "\n"
         "exit codes: 0 ok, 1 run failed or interrupted, 2 bad input (errors on stderr)");
}

struct run_flags {
    unsigned reps, jobs;
    int no_report;
};

static int run_extra(cmd_args *a, int argc, char **argv, int i, void *ctx)
{
    struct run_flags *fl = ctx;
    const char *s = argv[i];
    const char *val = NULL;
    int used = 0;
    if (!strcmp(s, "--trace-sample") || !strncmp(s, "--trace-sample=", 15)) {
        const char *v = s[14] == '=' ? s + 15 : (i + 1 < argc ? argv[i + 1] : NULL);
        uint64_t n;
        if (cmd_parse_u64(v, 1, UINT64_MAX, &n)) {
            fprintf(stderr, "cdnsim run: --trace-sample expects a whole number of at least 1, found \"%s\"\n",
                    v ? v : "");
            return -1;
        }
        a->opts.trace_sample = n;
        return s[14] == '=' ? 1 : 2;
    }
    if (!strcmp(s, "--no-report")) {
        fl->no_report = 1;
        return 1;
    }
    for (int k = 0; k < 2; k++) {
        const char *name = k ? "--jobs" : "--reps";
        size_t n = strlen(name);
        if (!strcmp(s, name)) {
            if (i + 1 >= argc) {
                fprintf(stderr, "cdnsim run: %s needs a value\n", name);
                return -1;
            }
            val = argv[i + 1];
            used = 2;
        } else if (!strncmp(s, name, n) && s[n] == '=') {
            val = s + n + 1;
            used = 1;
        } else {
            continue;
        }
        if (app_reps_parse_count(val, k ? 4096 : 1000000, k ? &fl->jobs : &fl->reps) != 0) {
            fprintf(stderr, "cdnsim run: %s expects a whole number of at least 1, found \"%s\"\n", name, val);
            return -1;
        }
        return used;
    }
    return 0;
}

int cmd_run(int argc, char **argv)
{
    struct run_flags fl = { 1, 0, 0 };
    cmd_args a = { .allowed = CMD_ARG_SEED | CMD_ARG_OUT | CMD_ARG_QUIET, .extra = run_extra, .extra_ctx = &fl };
    int early = cmd_args_begin(&a, argc, argv, run_help);
    if (early >= 0) return early;
    if (fl.jobs && fl.reps <= 1) /* easy to forget --reps and believe in an interval */
        fprintf(stderr, "cdnsim run: warning: --jobs has no effect without --reps R (R >= 2): this is one run\n");
    conf_errors errs;
    conf_errors_init(&errs);
    int code;
    if (fl.reps > 1 && a.opts.trace_sample) {
        fprintf(stderr, "cdnsim run: --trace-sample traces one run: use it without --reps\n");
        code = APP_EXIT_USAGE;
    } else if (fl.reps > 1) {
        /* Replications (app/reps.c): load once to check the input and to
         * resolve the base seed and the output directory, then run R child
         * processes of this command. */
        world w;
        int rc = world_load(&w, a.scenario, &a.opts, &errs);
        code = cmd_report_errors("run", rc, &errs);
        if (code == APP_EXIT_OK) {
            char dir[4096];
            world_outdir(&w, &a.opts, dir, sizeof dir);
            app_reps_opts ro = {
                .exe = NULL, .scenario = a.scenario, .seed = w.seed, .outdir = dir,
                .sets = a.sets, .nsets = a.nsets, .reps = fl.reps, .jobs = fl.jobs,
                .quiet = a.opts.progress == WORLD_PROGRESS_OFF, .no_report = fl.no_report, .log = NULL,
            };
            world_free(&w);
            code = app_reps_run(&ro);
        } else {
            world_free(&w);
        }
    } else {
        char dir[4096] = "";
        int rc = world_run_file(a.scenario, &a.opts, &errs, dir, sizeof dir);
        if (rc == SIM_EINTR || rc == SIM_EIO || rc == SIM_ENOMEM) code = APP_EXIT_FAIL;
        else code = cmd_report_errors("run", rc, &errs);
        if ((rc == 0 || rc == SIM_EINTR) && !fl.no_report) {
            reports_options ro = { .quiet = a.opts.progress == WORLD_PROGRESS_OFF, .gnuplot = NULL, .log = stderr };
            if (reports_write(dir, &ro) != 0 && code == APP_EXIT_OK) code = APP_EXIT_FAIL;
        }
    }
    conf_errors_free(&errs);
    cmd_args_free(&a);
    return code;
}
