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
int conf_read_fields(const conf_doc *doc, const cJSON *obj, const char *jpath,
                     const conf_field *fields, const char *const *ignore, void *out,
                     conf_errors *errs)
{ (void)doc; (void)obj; (void)jpath; (void)fields; (void)ignore; (void)out; (void)errs; return SIM_ENOTSUP; }
void conf_free_fields(const conf_field *fields, void *out) { (void)fields; (void)out; }
cJSON *conf_fields_to_json(const conf_field *fields, const void *in) { (void)fields; (void)in; return NULL; }
void conf_fields_markdown(const conf_field *fields, FILE *f) { (void)fields; (void)f; }

