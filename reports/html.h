/* reports/html.h - report.html: one self-contained page per run.
 *
 * The page holds the scenario's name and description, run facts (seed,
 * durations, replications), the headline numbers (with their 95% interval
 * when replicated), the architecture (an inline SVG diagram of components and
 * links, and the same as a list), the plots (PNG embedded as base64 data
 * URIs, so the page needs no other file and no network), a per-component
 * table and the events. Every string that comes from the scenario or a run
 * file is HTML-escaped. Links point only at files of the run directory that
 * exist when the page is written.
 */
#ifndef REPORTS_HTML_H
#define REPORTS_HTML_H

#include <stddef.h>

#include "reports/plots.h"

/* Writes outdir/report.html from outdir/summary.json, outdir/events.csv (if
 * present) and the plots listed in plots (may be NULL: no plots section
 * beyond a note). Returns 0, or SIM_ENOENT / SIM_EPARSE (summary.json missing
 * or malformed, events.csv malformed), SIM_EIO, SIM_ENOMEM with one line in
 * err. */
int reports_html_write(const char *outdir, const reports_plot_result *plots, char *err, size_t errlen);

#endif
