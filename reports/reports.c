/* reports/reports.c - plots, then report.html, for one run directory. */
#include "reports/reports.h"

#include "reports/html.h"
#include "reports/plots.h"

int reports_write(const char *outdir, const reports_options *opt)
{
    reports_options def = { 0 };
    if (!opt) opt = &def;
    FILE *log = opt->log ? opt->log : stderr;
    char err[1024] = "";
    reports_plot_result plots;
    int rc = reports_plots_write(outdir, opt->gnuplot, &plots, err, sizeof err);
    if (rc < 0) {
        fprintf(log, "cdnsim: report: %s\n", err);
        return rc;
    }
    if (plots.why[0]) fprintf(log, "cdnsim: %s\n", plots.why);
    rc = reports_html_write(outdir, &plots, err, sizeof err);
    if (rc < 0) {
        fprintf(log, "cdnsim: report: %s\n", err);
        return rc;
    }
    if (!opt->quiet) fprintf(log, "report: %s/report.html\n", outdir);
    return 0;
}
