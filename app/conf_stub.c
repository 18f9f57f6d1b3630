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

const char *const scenario_component_keys[] = { "id", "kind", "region", "count", NULL };

void conf_errors_init(conf_errors *e) { memset(e, 0, sizeof *e); e->max = 50; }
void conf_errors_free(conf_errors *e)
{
    for (size_t i = 0; i < e->n; i++) free(e->msgs[i]);
    free(e->msgs);
    memset(e, 0, sizeof *e);
}
void conf_errors_add(conf_errors *e, const char *fmt, ...) { (void)e; (void)fmt; }
void conf_errors_print(const conf_errors *e, FILE *f) { (void)e; (void)f; }
int conf_doc_load(conf_doc *doc, const char *path, conf_errors *errs)
{ (void)path; (void)errs; memset(doc, 0, sizeof *doc); return SIM_ENOTSUP; }
int conf_doc_parse(conf_doc *doc, const char *name, const char *text, size_t len, conf_errors *errs)
{ (void)name; (void)text; (void)len; (void)errs; memset(doc, 0, sizeof *doc); return SIM_ENOTSUP; }
void conf_doc_free(conf_doc *doc) { (void)doc; }
void conf_doc_pos(const conf_doc *doc, const cJSON *node, int *line, int *col)
{ (void)doc; (void)node; *line = 0; *col = 0; }
void conf_error_at(conf_errors *e, const conf_doc *doc, const cJSON *node, const char *jpath,
                   const char *fmt, ...) { (void)e; (void)doc; (void)node; (void)jpath; (void)fmt; }
const char *conf_found(const cJSON *node, char *buf, size_t len) { (void)node; if (len) buf[0] = 0; return buf; }
const char *conf_did_you_mean(const char *word, const char *const *candidates, size_t n)
{ (void)word; (void)candidates; (void)n; return NULL; }
int conf_parse_duration(const char *s, sim_time_t *out) { (void)s; (void)out; return SIM_ENOTSUP; }
int conf_parse_bytes(const char *s, uint64_t *out) { (void)s; (void)out; return SIM_ENOTSUP; }
int conf_parse_bandwidth(const char *s, double *o) { (void)s; (void)o; return SIM_ENOTSUP; }
int conf_parse_rate(const char *s, double *o) { (void)s; (void)o; return SIM_ENOTSUP; }
int conf_parse_percent(const char *s, double *o) { (void)s; (void)o; return SIM_ENOTSUP; }
const char *conf_format_duration(sim_time_t t, char *buf, size_t len) { (void)t; if (len) buf[0] = 0; return buf; }
const char *conf_format_bytes(uint64_t b, char *buf, size_t len) { (void)b; if (len) buf[0] = 0; return buf; }
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

int scenario_load(scenario *s, const char *path, const char *const *sets, size_t nsets,
                  conf_errors *errs)
{ (void)path; (void)sets; (void)nsets; (void)errs; memset(s, 0, sizeof *s); return SIM_ENOTSUP; }
int scenario_parse(scenario *s, const char *name, const char *dir, const char *text, size_t len,
                   const char *const *sets, size_t nsets, conf_errors *errs)
{ (void)name; (void)dir; (void)text; (void)len; (void)sets; (void)nsets; (void)errs; memset(s, 0, sizeof *s); return SIM_ENOTSUP; }
void scenario_free(scenario *s) { (void)s; }
int scenario_check_kinds(const scenario *s, const char *const *kinds, conf_errors *errs)
{ (void)s; (void)kinds; (void)errs; return SIM_ENOTSUP; }
size_t scenario_resolve(const scenario *s, const char *ref, size_t *idx, size_t max)
{ (void)s; (void)ref; (void)idx; (void)max; return 0; }
long scenario_find(const scenario *s, const char *id) { (void)s; (void)id; return -1; }
cJSON *scenario_effective_json(const scenario *s) { (void)s; return NULL; }
void app_sha256_hex(const void *data, size_t len, char hex[65]) { (void)data; (void)len; hex[0] = 0; }
