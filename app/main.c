/* app/main.c - bin/cdnsim: dispatches to a subcommand. */
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <string.h>

#include "app/commands.h"
#include "app/jsonmem.h"
#include "app/conf.h"

#ifndef CDNSIM_VERSION
#define CDNSIM_VERSION "0.1.0"
#endif

/* In the order a newcomer needs them: scenarios first, then their reports,
 * then the tools around them. */
const app_command app_commands[] = {
    { "run", cmd_run, "run a scenario and write summary.json, timeseries.csv, latency.csv" },
    { "validate", cmd_validate, "check a scenario without running it (exit 2 with every error)" },
    { "show", cmd_show, "print the effective scenario and the request paths" },
    { "report", cmd_report, "write the plots and report.html of a run directory" },
    { "compare", cmd_compare, "compare two runs metric by metric (exit 1 on a regression)" },
    { "cachesim", cmd_cachesim, "simulate one cache over a request trace (CSV or oracleGeneral)" },
    { "chunkio", cmd_chunkio, "the real chunk store: put, get, verify, bench" },
    { "calibrate", cmd_calibrate, "measure this machine's disk and write service-time distributions" },
    { "bench", cmd_bench, "run an engine benchmark (PHOLD)" },
    { NULL, NULL, NULL },
};

static void usage(FILE *f)
{
    fprintf(f, "cdnsim %s - discrete-event simulator of storage + CDN architectures\n\n", CDNSIM_VERSION);
    fprintf(f, "usage: cdnsim COMMAND [ARGS...]\n       cdnsim COMMAND --help\n       cdnsim --version\n\n"
               "commands:\n");
    for (const app_command *c = app_commands; c->name; c++) fprintf(f, "  %-10s %s\n", c->name, c->summary);
    fprintf(f, "\nexit codes: 0 ok, 1 run failed, 2 bad input\n");
}

int main(int argc, char **argv)
{
    /* GSL's default error handler aborts; we check return values instead. */
    gsl_set_error_handler_off();
    app_jsonmem_init();
    if (argc < 2) {
        usage(stderr);
        return APP_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return APP_EXIT_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("cdnsim %s\n", CDNSIM_VERSION);
        return APP_EXIT_OK;
    }
    for (const app_command *c = app_commands; c->name; c++)
        if (!strcmp(argv[1], c->name)) return c->fn(argc - 1, argv + 1);
    const char *names[32];
    size_t n = 0;
    for (const app_command *c = app_commands; c->name && n < 32; c++) names[n++] = c->name;
    const char *near = conf_did_you_mean(argv[1], names, n);
    if (near) fprintf(stderr, "cdnsim: unknown command '%s' (did you mean '%s'? see cdnsim --help)\n", argv[1], near);
    else fprintf(stderr, "cdnsim: unknown command '%s' (see cdnsim --help)\n", argv[1]);
    return APP_EXIT_USAGE;
}
