/* app/summary.h - the summary.json object and latency.csv of a run
 * (schema "cdnsim.summary/1", documented in docs/summary.md). */
#ifndef APP_SUMMARY_H
#define APP_SUMMARY_H

#include <stdio.h>

#include "sim/hist.h"

#define SUMMARY_SCHEMA "cdnsim.summary/1"

/* The quantiles latency.csv lists (the last one, 1, is the maximum). */
extern const double summary_quantiles[];
extern const size_t summary_nquantiles;

/* Writes "q,latency_ms" then one line per quantile of h (in ns), in ms. */
void summary_write_latency_csv(const sim_hist *h, FILE *f);

#endif
