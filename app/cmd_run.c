/* app/cmd_run.c - `cdnsim run`: one simulation run, files in the out dir. */
#include <stdio.h>

#include "app/cmd_args.h"
#include "app/commands.h"
#include "sim/errors.h"

static void run_help(void)
{
    puts("usage: cdnsim run SCENARIO [--seed N] [--out DIR] [--set PATH=VALUE]... [--quiet]\n"
         "\n"
         "Runs the scenario (a JSON file, see docs/scenario.md) for its `duration` and writes\n"
         "into DIR (default out/<scenario name>/):\n"
         "  summary.json    requests, throughput, latency percentiles, per-component results\n"
         "  timeseries.csv  one row per report window (report.window, default 1s)\n"
         "  latency.csv     the latency distribution as quantiles (after warm-up)\n"
         "  events.csv      notable events (faults, interruptions)\n"
         "The files are described in docs/summary.md. Measurements start after `warmup`.\n"
         "\n"
         "options:\n"
         "  --seed N          use seed N instead of the scenario's `seed`\n"
         "  --out DIR         write the files into DIR (created if missing)\n"
         "  --set PATH=VALUE  override one value, e.g. --set components.edge.cache_size=20GiB\n"
         "                    or --set duration=10s (repeatable; VALUE is JSON or a plain string)\n"
         "  --quiet, -q       no progress line on stderr\n"
         "  --help, -h        this help\n"
         "\n"
         "A progress line (simulated time, % done, events/s, ETA) is shown on stderr: in place on\n"
         "a terminal, at growing intervals otherwise. Ctrl-C stops the run and still writes the\n"
         "results so far, with \"partial\": true in summary.json.\n"
         "Same scenario + same seed = byte-identical summary.json except wall_s and events_per_s.\n"
         "\n"
         "exit codes: 0 ok, 1 run failed or interrupted, 2 bad input (errors on stderr)");
}

int cmd_run(int argc, char **argv)
{
    cmd_args a = { .allowed = CMD_ARG_SEED | CMD_ARG_OUT | CMD_ARG_QUIET };
    if (cmd_args_parse(&a, argc, argv) != 0) {
        cmd_args_free(&a);
        return APP_EXIT_USAGE;
    }
    if (a.help) {
        run_help();
        cmd_args_free(&a);
        return APP_EXIT_OK;
    }
    /* Replications (--reps R --jobs J, app/reps.c) hook in here: each
     * replication is one world_run_file() with seed sim_rng_rep_seed(seed, r)
     * and its own output directory. */
    conf_errors errs;
    conf_errors_init(&errs);
    int rc = world_run_file(a.scenario, &a.opts, &errs, NULL, 0);
    int code;
    if (rc == SIM_EINTR) code = APP_EXIT_FAIL;
    else if (rc == SIM_EIO || rc == SIM_ENOMEM) code = APP_EXIT_FAIL;
    else code = cmd_report_errors("run", rc, &errs);
    conf_errors_free(&errs);
    cmd_args_free(&a);
    return code;
}
