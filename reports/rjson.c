/* reports/rjson.c - JSON files of a run directory. */
#include "reports/rjson.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/rbuf.h"
#include "sim/errors.h"

int reports_json_load(const char *path, cJSON **out, char *err, size_t errlen)
{
    *out = NULL;
    size_t len = 0;
    errno = 0;
    char *text = reports_read_file(path, &len);
    if (!text) {
        snprintf(err, errlen, "%s: cannot read: %s", path, errno ? strerror(errno) : "out of memory");
        return errno ? SIM_ENOENT : SIM_ENOMEM;
    }
    const char *end = NULL;
    if (memchr(text, '\0', len)) {
        snprintf(err, errlen, "%s: malformed JSON: contains a NUL byte at offset %zu", path,
                 (size_t)((const char *)memchr(text, '\0', len) - text));
        free(text);
        return SIM_EPARSE;
    }
    /* Anything but white space after the value is an error too. */
    cJSON *root = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1); /* the length counts the NUL */
    if (!root) {
        /* cJSON reports where parsing stopped; turn the offset into line:col. */
        const char *at = end ? end : cJSON_GetErrorPtr();
        if (!at || at < text || at > text + len) at = text + len;
        int line = 1, col = 1;
        for (const char *p = text; p < at; p++) {
            if (*p == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        char near[24] = "end of file";
        if (at < text + len) {
            size_t k = 0;
            for (const char *p = at; p < text + len && k < 12 && *p != '\n'; p++)
                near[k++] = (*p >= 0x20 && *p < 0x7f) ? *p : '?';
            near[k] = '\0';
        }
        snprintf(err, errlen, "%s:%d:%d: malformed JSON near '%s'", path, line, col,
                 len == 0 ? "(empty file)" : near);
        free(text);
        return SIM_EPARSE;
    }
    free(text);
    if (!cJSON_IsObject(root)) {
        snprintf(err, errlen, "%s:1:1: expected a JSON object at the top level", path);
        cJSON_Delete(root);
        return SIM_EPARSE;
    }
    *out = root;
    return 0;
}

int reports_json_save(const char *path, const cJSON *root)
{
    char *s = cJSON_Print(root);
    if (!s) return SIM_ENOMEM;
    size_t n = strlen(s);
    char *t = realloc(s, n + 2);
    if (!t) {
        free(s);
        return SIM_ENOMEM;
    }
    t[n] = '\n';
    t[n + 1] = '\0';
    int rc = reports_write_file(path, t, n + 1);
    free(t);
    return rc;
}

static const cJSON *lookup(const cJSON *obj, const char *dotted)
{
    char key[256];
    const char *p = dotted;
    while (obj && *p) {
        const char *dot = strchr(p, '.');
        size_t k = dot ? (size_t)(dot - p) : strlen(p);
        if (k >= sizeof key) return NULL;
        memcpy(key, p, k);
        key[k] = '\0';
        obj = cJSON_GetObjectItemCaseSensitive(obj, key);
        p += k + (dot ? 1 : 0);
        if (!dot) break;
    }
    return obj;
}

double reports_json_num(const cJSON *obj, const char *dotted, double def)
{
    const cJSON *n = lookup(obj, dotted);
    return cJSON_IsNumber(n) ? n->valuedouble : def;
}

const char *reports_json_str(const cJSON *obj, const char *dotted)
{
    const cJSON *n = lookup(obj, dotted);
    return cJSON_IsString(n) ? n->valuestring : NULL;
}
