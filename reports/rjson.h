/* reports/rjson.h - reading and writing the JSON files of a run directory
 * (summary.json) with errors that say where.
 */
#ifndef REPORTS_RJSON_H
#define REPORTS_RJSON_H

#include <stddef.h>

#include <cjson/cJSON.h>

/* Reads and parses the JSON file at path. On success *out is the tree (the
 * caller frees it with cJSON_Delete) and 0 is returned. On error *out is
 * NULL, err receives one line such as
 *     "run/summary.json:7:3: malformed JSON near '}'"  or
 *     "run/summary.json: cannot read: No such file or directory"
 * and the result is SIM_ENOENT (missing/unreadable), SIM_EPARSE (malformed or
 * not an object at the top) or SIM_ENOMEM. */
int reports_json_load(const char *path, cJSON **out, char *err, size_t errlen);

/* Writes root, formatted, to path atomically (temporary file + rename) with a
 * trailing newline. 0, SIM_ENOMEM or SIM_EIO. */
int reports_json_save(const char *path, const cJSON *root);

/* The number at the dotted path (e.g. "latency_ms.p99") below obj, or `def`
 * when absent or not a number. Keys are looked up case-sensitively. */
double reports_json_num(const cJSON *obj, const char *dotted, double def);
/* The string at the dotted path, or NULL. Borrowed from the tree. */
const char *reports_json_str(const cJSON *obj, const char *dotted);

#endif
