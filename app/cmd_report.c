/* app/cmd_report.c - `cdnsim report DIR`: (re)builds the plots and
 * report.html of an existing run directory, e.g. after editing its data or
 * its gnuplot scripts' templates, or for a run made without them. */
#include <stdio.h>
#include <string.h>

#include "app/commands.h"
#include "reports/reports.h"
#include "sim/errors.h"

static void usage(FILE *f)
{
    fprintf(f,
        "usage: cdnsim report DIR [--quiet]\n"
        "\n"
        "Writes the plots (DIR/plots/*.gp, and *.png and *.svg when gnuplot is installed) and\n"
        "DIR/report.html for the run in DIR, from DIR/summary.json and, when present,\n"
        "DIR/timeseries.csv, DIR/latency.csv and DIR/events.csv. `cdnsim run` does this itself\n"
        "at the end of a run; this command redoes it. Without gnuplot the scripts are still\n"
        "written, and the page says the plots were skipped.\n"
        "\n"
        "options:\n"
        "  --quiet      print nothing on success\n"
        "  -h, --help   this help\n"
        "\n"
        "environment: CDNSIM_GNUPLOT names the gnuplot program (default: gnuplot in PATH)\n"
        "\n"
        "exit status: 0 written, 1 could not write, 2 bad input (no DIR, DIR/summary.json\n"
        "missing or malformed, a malformed CSV)\n");
}

int cmd_report(int argc, char **argv)
{
    const char *dir = NULL;
    reports_options o = { 0 };
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            return APP_EXIT_OK;
        } else if (!strcmp(argv[i], "--quiet") || !strcmp(argv[i], "-q")) {
            o.quiet = 1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "cdnsim report: unknown option '%s' (see cdnsim report --help)\n", argv[i]);
            return APP_EXIT_USAGE;
        } else if (!dir) {
            dir = argv[i];
        } else {
            fprintf(stderr, "cdnsim report: expected one directory, found a second: '%s'\n", argv[i]);
            return APP_EXIT_USAGE;
        }
    }
    if (!dir) {
        fprintf(stderr, "cdnsim report: expected a run directory (see cdnsim report --help)\n");
        return APP_EXIT_USAGE;
    }
    int rc = reports_write(dir, &o);
    if (rc == 0) return APP_EXIT_OK;
    return (rc == SIM_ENOENT || rc == SIM_EPARSE) ? APP_EXIT_USAGE : APP_EXIT_FAIL;
}
