/* app/conf.c - error collection, "did you mean", and short renderings of
 * JSON values for "found ..." messages. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "app/conf.h"
#include "sim/errors.h"

#define CONF_ERRORS_DEFAULT_MAX 50

void conf_errors_init(conf_errors *e)
{
    memset(e, 0, sizeof *e);
    e->max = CONF_ERRORS_DEFAULT_MAX;
}

void conf_errors_free(conf_errors *e)
{
    for (size_t i = 0; i < e->n; i++) free(e->msgs[i]);
    free(e->msgs);
    size_t max = e->max;
    memset(e, 0, sizeof *e);
    e->max = max;
}

void conf_errors_add(conf_errors *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = NULL;
    int r = vasprintf(&msg, fmt, ap);
    va_end(ap);
    if (r < 0) msg = NULL;
    /* The members of a `count` entry share their entry's text, so the same
     * mistake is found once per member: keep one copy. */
    if (msg) {
        for (size_t i = 0; i < e->n; i++) {
            if (!strcmp(e->msgs[i], msg)) {
                free(msg);
                return;
            }
        }
    }
    size_t max = e->max ? e->max : CONF_ERRORS_DEFAULT_MAX;
    if (e->n >= max) {
        e->dropped++;
        free(msg);
        return;
    }
    if (e->n == e->cap) {
        size_t cap = e->cap ? 2 * e->cap : 8;
        char **m = realloc(e->msgs, cap * sizeof *m);
        if (!m) {
            e->dropped++;
            free(msg);
            return;
        }
        e->msgs = m;
        e->cap = cap;
    }
    /* Out of memory while formatting still counts as an error. */
    e->msgs[e->n++] = msg ? msg : strdup("(out of memory while formatting an error)");
    if (!e->msgs[e->n - 1]) e->n--, e->dropped++;
}

void conf_errors_print(const conf_errors *e, FILE *f)
{
    for (size_t i = 0; i < e->n; i++) fprintf(f, "%s\n", e->msgs[i]);
    if (e->dropped) fprintf(f, "%zu more error%s\n", e->dropped, e->dropped == 1 ? "" : "s");
}

/* ---- found ... ----------------------------------------------------------- */

/* Appends s to buf (capacity len, used *n) escaping control bytes, and cutting
 * at a UTF-8 character boundary when `limit` bytes of s have been used. */
static void put_escaped(char *buf, size_t len, size_t *n, const char *s, size_t limit, int *cut)
{
    size_t i = 0;
    for (; s[i] && i < limit; i++) {
        unsigned char c = (unsigned char)s[i];
        char tmp[8];
        if (c == '"') strcpy(tmp, "\\\"");
        else if (c == '\\') strcpy(tmp, "\\\\");
        else if (c == '\n') strcpy(tmp, "\\n");
        else if (c == '\t') strcpy(tmp, "\\t");
        else if (c < 0x20 || c == 0x7f) snprintf(tmp, sizeof tmp, "\\x%02x", c);
        else tmp[0] = (char)c, tmp[1] = 0;
        size_t k = strlen(tmp);
        if (*n + k + 1 > len) break;
        memcpy(buf + *n, tmp, k);
        *n += k;
        buf[*n] = 0;
    }
    if (s[i]) {
        /* Do not leave half a UTF-8 sequence before the "...". */
        while (*n > 0 && ((unsigned char)buf[*n - 1] & 0xC0) == 0x80) (*n)--;
        if (*n > 0 && ((unsigned char)buf[*n - 1] & 0xC0) == 0xC0) (*n)--;
        buf[*n] = 0;
        *cut = 1;
    }
}

const char *conf_found(const cJSON *node, char *buf, size_t len)
{
    if (!buf || len == 0) return buf;
    buf[0] = 0;
    if (!node) {
        snprintf(buf, len, "nothing");
    } else if (cJSON_IsString(node)) {
        size_t n = 0;
        int cut = 0;
        if (len < 8) {
            snprintf(buf, len, "\"...\"");
            return buf;
        }
        buf[n++] = '"';
        buf[n] = 0;
        size_t limit = len > 48 ? 40 : len - 8;
        put_escaped(buf, len - 5, &n, node->valuestring ? node->valuestring : "", limit, &cut);
        snprintf(buf + n, len - n, "%s\"", cut ? "..." : "");
    } else if (cJSON_IsNumber(node)) {
        double v = node->valuedouble;
        if (!isfinite(v)) snprintf(buf, len, "a number out of range");
        else if (v == floor(v) && fabs(v) < 1e15) snprintf(buf, len, "%.0f", v);
        else snprintf(buf, len, "%.6g", v);
    } else if (cJSON_IsBool(node)) {
        snprintf(buf, len, "%s", cJSON_IsTrue(node) ? "true" : "false");
    } else if (cJSON_IsNull(node)) {
        snprintf(buf, len, "null");
    } else if (cJSON_IsArray(node)) {
        int n = cJSON_GetArraySize(node);
        snprintf(buf, len, n == 0 ? "an empty array" : "an array of %d", n);
    } else if (cJSON_IsObject(node)) {
        snprintf(buf, len, node->child ? "an object" : "an empty object");
    } else {
        snprintf(buf, len, "an invalid value");
    }
    return buf;
}

/* ---- did you mean -------------------------------------------------------- */

/* Optimal string alignment distance (Levenshtein plus adjacent
 * transpositions, so "cahce" is one edit from "cache"), case-insensitive.
 * Words longer than 64 bytes are never close to a key. */
static size_t osa_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64) return (size_t)-1;
    size_t d[65][65];
    for (size_t i = 0; i <= la; i++) d[i][0] = i;
    for (size_t j = 0; j <= lb; j++) d[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
            size_t cost = ca != cb;
            size_t best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < best) best = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
                tolower((unsigned char)a[i - 2]) == cb && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[la][lb];
}

const char *conf_did_you_mean(const char *word, const char *const *candidates, size_t n)
{
    if (!word || !candidates) return NULL;
    size_t wl = strlen(word);
    size_t limit = wl / 3 > 2 ? wl / 3 : 2;
    const char *best = NULL;
    size_t bestd = (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        if (!candidates[i]) continue;
        size_t d = osa_distance(word, candidates[i]);
        /* A one-letter word is within 2 edits of every short key: only
         * suggest when the distance is less than the word's length. */
        if (d <= limit && d < wl + (wl == 0) && d < bestd) {
            best = candidates[i];
            bestd = d;
        }
    }
    if (best || wl < 3) return best;
    /* A word that is the start of exactly one candidate, up to a '_' ("cache" for
     * "cache_size", "read" for "read_from"): too many edits away for the distance,
     * but almost surely what was meant. */
    for (size_t i = 0; i < n; i++) {
        if (!candidates[i] || strncmp(candidates[i], word, wl) || candidates[i][wl] != '_') continue;
        if (best) return NULL; /* ambiguous: "ttl" for ttl_by_size and ttl_x */
        best = candidates[i];
    }
    return best;
}
