/* app/conf_stub.c - TEMPORARY stubs so that code written against app/conf.h
 * and app/scenario.h links while the real implementation is being written.
 * Every function fails with SIM_ENOTSUP (or does nothing). Removed when the
 * implementation lands. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "app/conf.h"
#include "app/scenario.h"
#include "sim/errors.h"


int conf_read_dist(const conf_doc *doc, const cJSON *node, const char *jpath, conf_unit unit,
                   sim_dist *out, conf_errors *errs)
{ (void)doc; (void)node; (void)jpath; (void)unit; (void)out; (void)errs; return SIM_ENOTSUP; }
cJSON *conf_dist_to_json(const sim_dist *d, conf_unit unit) { (void)d; (void)unit; return cJSON_CreateNull(); }
void conf_dist_release(sim_dist *d) { memset(d, 0, sizeof *d); }
