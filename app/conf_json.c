/* app/conf_json.c - located JSON: a cJSON tree plus where each value was
 * written.
 *
 * cJSON does not record positions. We first run a small strict JSON scanner
 * of our own over the text: it reports syntax errors precisely (line:col and
 * what was expected, which cJSON's single error pointer cannot say), and on
 * success lists where every value (and every member's key) starts, in document
 * order. cJSON then parses the same text; a pre-order walk of its tree visits
 * values in the same document order, so zipping the two gives each node its
 * offset. The offsets live in a hash map keyed by node address; nodes copied
 * or added later by the scenario layer are registered through conf_doc_alias
 * and conf_doc_mark. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "app/conf.h"
#include "sim/errors.h"
#include "sim/rng.h"

#define CONF_MAX_FILE (256u << 20)  /* a scenario is kilobytes; refuse anything absurd */
#define CONF_MAX_DEPTH 1000         /* cJSON's CJSON_NESTING_LIMIT */
#define NO_OFF ((size_t)-1)

/* ---- node -> position map ------------------------------------------------ */

typedef struct {
    const cJSON *node; /* NULL: empty slot */
    size_t val, key;   /* byte offsets in doc->text; key NO_OFF when not a member */
    int origin;        /* -1: the file; else index into origins (a --set) */
} pos_ent;

typedef struct {
    pos_ent *t;
    size_t cap, n;     /* cap is a power of two */
    char **origins;
    size_t norigins;
} pos_map;

static size_t slot_of(const pos_map *m, const cJSON *node)
{
    return (size_t)sim_mix64((uint64_t)(uintptr_t)node) & (m->cap - 1);
}

static const pos_ent *map_get(const pos_map *m, const cJSON *node)
{
    if (!m || !m->cap || !node) return NULL;
    for (size_t i = slot_of(m, node);; i = (i + 1) & (m->cap - 1)) {
        if (!m->t[i].node) return NULL;
        if (m->t[i].node == node) return &m->t[i];
    }
}

static int map_put(pos_map *m, const cJSON *node, size_t val, size_t key, int origin)
{
    if ((m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        pos_ent *t = calloc(cap, sizeof *t);
        if (!t) return SIM_ENOMEM;
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->t[i].node) continue;
            size_t j = (size_t)sim_mix64((uint64_t)(uintptr_t)m->t[i].node) & (cap - 1);
            while (t[j].node) j = (j + 1) & (cap - 1);
            t[j] = m->t[i];
        }
        free(m->t);
        m->t = t;
        m->cap = cap;
    }
    size_t i = slot_of(m, node);
    while (m->t[i].node && m->t[i].node != node) i = (i + 1) & (m->cap - 1);
    if (!m->t[i].node) m->n++;
    m->t[i] = (pos_ent){ node, val, key, origin };
    return 0;
}

/* Linear probing with backward-shift deletion (no tombstones). */
static void map_del(pos_map *m, const cJSON *node)
{
    if (!m || !m->cap) return;
    size_t i = slot_of(m, node);
    while (m->t[i].node != node) {
        if (!m->t[i].node) return;
        i = (i + 1) & (m->cap - 1);
    }
    m->t[i].node = NULL;
    m->n--;
    for (size_t j = (i + 1) & (m->cap - 1); m->t[j].node; j = (j + 1) & (m->cap - 1)) {
        size_t home = slot_of(m, m->t[j].node);
        /* Move j back to the hole i when its home is not in (i, j]. */
        int between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (!between) {
            m->t[i] = m->t[j];
            m->t[j].node = NULL;
            i = j;
        }
    }
}

static void map_free(pos_map *m)
{
    if (!m) return;
    free(m->t);
    for (size_t i = 0; i < m->norigins; i++) free(m->origins[i]);
    free(m->origins);
    free(m);
}

/* ---- line and column ----------------------------------------------------- */

/* 1-based line and column of byte `off`. Lines end at "\n", "\r\n" or a lone
 * "\r"; columns count characters (UTF-8 continuation bytes do not count), so
 * they match what an editor shows. */
static void linecol(const char *t, size_t len, size_t off, int *line, int *col)
{
    int l = 1, c = 1;
    if (off > len) off = len;
    for (size_t i = 0; i < off; i++) {
        unsigned char ch = (unsigned char)t[i];
        if (ch == '\n') l++, c = 1;
        else if (ch == '\r') {
            if (i + 1 < len && t[i + 1] == '\n') continue;
            l++, c = 1;
        } else if ((ch & 0xC0) != 0x80) c++;
    }
    *line = l;
    *col = c;
}

/* ---- the scanner ----------------------------------------------------------- */

typedef struct {
    size_t val, key;
} scan_ent;

typedef struct {
    const char *t;
    size_t len, pos;
    scan_ent *v;
    size_t n, cap;
    int oom;
    /* on error: */
    size_t err_off;
    char err[256];
} scanner;

static void emit(scanner *s, size_t val, size_t key)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        scan_ent *v = realloc(s->v, cap * sizeof *v);
        if (!v) {
            s->oom = 1;
            return;
        }
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = (scan_ent){ val, key };
}

static int fail(scanner *s, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(scanner *s, size_t off, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->err, sizeof s->err, fmt, ap);
    va_end(ap);
    s->err_off = off;
    return SIM_EPARSE;
}

static void skip_ws(scanner *s)
{
    while (s->pos < s->len) {
        char c = s->t[s->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
        s->pos++;
    }
}

/* A printable rendering of the byte at pos for "found ...". */
static const char *found_char(const scanner *s, size_t pos, char *buf, size_t len)
{
    if (pos >= s->len) return "the end of the file";
    unsigned char c = (unsigned char)s->t[pos];
    if (c == 0) snprintf(buf, len, "a NUL byte");
    else if (c < 0x20 || c == 0x7f) snprintf(buf, len, "control character 0x%02x", c);
    else if (c >= 0x80) {
        size_t k = 1;
        while (pos + k < s->len && k < 4 && ((unsigned char)s->t[pos + k] & 0xC0) == 0x80) k++;
        snprintf(buf, len, "'%.*s'", (int)k, s->t + pos);
    } else snprintf(buf, len, "'%c'", c);
    return buf;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static int read_u4(scanner *s, size_t at, unsigned *out)
{
    if (at + 4 > s->len) return -1;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval(s->t[at + (size_t)i]);
        if (h < 0) return -1;
        v = v * 16 + (unsigned)h;
    }
    *out = v;
    return 0;
}

static int scan_string(scanner *s)
{
    size_t start = s->pos++;
    while (s->pos < s->len) {
        unsigned char c = (unsigned char)s->t[s->pos];
        if (c == '"') {
            s->pos++;
            return 0;
        }
        if (c == '\\') {
            size_t esc = s->pos;
            if (s->pos + 1 >= s->len) break;
            char e = s->t[s->pos + 1];
            if (e == 'u') {
                unsigned u, lo;
                if (read_u4(s, s->pos + 2, &u)) return fail(s, esc, "invalid \\u escape: expected 4 hex digits");
                s->pos += 6;
                if (u == 0) return fail(s, esc, "\\u0000 is not allowed in a string");
                if (u >= 0xDC00 && u <= 0xDFFF)
                    return fail(s, esc, "invalid \\u escape: unpaired UTF-16 low surrogate");
                if (u >= 0xD800 && u <= 0xDBFF) {
                    if (s->pos + 1 >= s->len || s->t[s->pos] != '\\' || s->t[s->pos + 1] != 'u' ||
                        read_u4(s, s->pos + 2, &lo) || lo < 0xDC00 || lo > 0xDFFF)
                        return fail(s, esc, "invalid \\u escape: unpaired UTF-16 high surrogate");
                    s->pos += 6;
                }
                continue;
            }
            if (!strchr("\"\\/bfnrt", e) || e == 0) {
                char b[32];
                return fail(s, esc, "invalid escape in a string: '\\' followed by %s (valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)",
                            found_char(s, s->pos + 1, b, sizeof b));
            }
            s->pos += 2;
            continue;
        }
        if (c < 0x20) {
            if (c == '\n' || c == '\r')
                return fail(s, start, "unterminated string (a string cannot span lines; write \\n for a newline)");
            return fail(s, s->pos, "control character 0x%02x in a string (write it as an escape like \\t or \\u%04x)", c, c);
        }
        s->pos++;
    }
    return fail(s, start, "unterminated string: the file ends before its closing '\"'");
}

static int is_delim(const scanner *s, size_t pos)
{
    if (pos >= s->len) return 1;
    char c = s->t[pos];
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ']' || c == '}' || c == ':';
}

static int scan_number(scanner *s)
{
    size_t start = s->pos;
    const char *t = s->t;
    size_t p = s->pos;
    if (t[p] == '-') p++;
    if (p >= s->len || !(t[p] >= '0' && t[p] <= '9')) goto bad;
    if (t[p] == '0') {
        p++;
        if (p < s->len && t[p] >= '0' && t[p] <= '9')
            return fail(s, start, "invalid number: leading zeros are not allowed in JSON");
    } else {
        while (p < s->len && t[p] >= '0' && t[p] <= '9') p++;
    }
    if (p < s->len && t[p] == '.') {
        p++;
        if (p >= s->len || !(t[p] >= '0' && t[p] <= '9')) goto bad;
        while (p < s->len && t[p] >= '0' && t[p] <= '9') p++;
    }
    if (p < s->len && (t[p] == 'e' || t[p] == 'E')) {
        size_t q = p + 1;
        if (q < s->len && (t[q] == '+' || t[q] == '-')) q++;
        if (q < s->len && t[q] >= '0' && t[q] <= '9') {
            while (q < s->len && t[q] >= '0' && t[q] <= '9') q++;
            p = q;
        }
    }
    if (!is_delim(s, p)) goto bad;
    s->pos = p;
    return 0;
bad:;
    /* The usual cause: a value with a unit written without quotes. */
    size_t e = start;
    while (e < s->len && !is_delim(s, e) && e - start < 40) e++;
    int word = 0;
    for (size_t i = start; i < e; i++)
        if ((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= 'A' && t[i] <= 'Z') || t[i] == '%' || t[i] == '/') word = 1;
    if (word)
        return fail(s, start, "invalid number '%.*s' (a value with a unit is a string: write \"%.*s\")",
                    (int)(e - start), t + start, (int)(e - start), t + start);
    return fail(s, start, "invalid number '%.*s'", (int)(e - start), t + start);
}

static int scan_word(scanner *s)
{
    size_t start = s->pos, p = s->pos;
    while (p < s->len && ((s->t[p] >= 'a' && s->t[p] <= 'z') || (s->t[p] >= 'A' && s->t[p] <= 'Z') ||
                          (s->t[p] >= '0' && s->t[p] <= '9') || s->t[p] == '_'))
        p++;
    size_t n = p - start;
    if ((n == 4 && !memcmp(s->t + start, "true", 4)) || (n == 5 && !memcmp(s->t + start, "false", 5)) ||
        (n == 4 && !memcmp(s->t + start, "null", 4))) {
        s->pos = p;
        return 0;
    }
    int shown = n > 40 ? 40 : (int)n;
    return fail(s, start, "expected a value, found the word '%.*s' (strings are written in double quotes; "
                "the only bare words are true, false and null)", shown, s->t + start);
}

static int value_expected(scanner *s, int after_comma_in_array)
{
    char b[48];
    size_t p = s->pos;
    if (p >= s->len) return fail(s, p, "unexpected end of file: expected a value (the file looks truncated)");
    char c = s->t[p];
    if (c == ']' && after_comma_in_array)
        return fail(s, p, "expected a value after ',', found ']' (JSON does not allow a trailing comma)");
    if (c == '\'') return fail(s, p, "expected a value, found \"'\" (JSON strings use double quotes)");
    if (c == '/' && p + 1 < s->len && (s->t[p + 1] == '/' || s->t[p + 1] == '*'))
        return fail(s, p, "comments are not allowed in JSON");
    return fail(s, p, "expected a value (object, array, string, number, true, false or null), found %s",
                found_char(s, p, b, sizeof b));
}

typedef struct {
    char type;   /* '{' or '[' */
    size_t open; /* offset of the bracket */
} frame;

static int scan_json(scanner *s)
{
    frame *stack = malloc(CONF_MAX_DEPTH * sizeof *stack);
    if (!stack) return SIM_ENOMEM;
    int depth = 0, r = 0;
    enum { VALUE, KEY, AFTER } state = VALUE;
    size_t pending_key = NO_OFF;
    int after_comma = 0;
    char b[48];
    if (s->len >= 3 && !memcmp(s->t, "\xEF\xBB\xBF", 3)) s->pos = 3;
    skip_ws(s);
    if (s->pos >= s->len) {
        r = fail(s, s->pos, "empty file: expected a JSON object");
        goto out;
    }
    for (;;) {
        skip_ws(s);
        if (state == VALUE) {
            if (s->pos >= s->len || !strchr("{[\"-0123456789tfn", s->t[s->pos]) || s->t[s->pos] == 0) {
                if (s->pos < s->len && s->t[s->pos] >= 'a' && s->t[s->pos] <= 'z') {
                    r = scan_word(s);
                    goto out;
                }
                r = value_expected(s, after_comma && depth > 0 && stack[depth - 1].type == '[');
                goto out;
            }
            char c = s->t[s->pos];
            emit(s, s->pos, pending_key);
            pending_key = NO_OFF;
            after_comma = 0;
            if (c == '{' || c == '[') {
                if (depth >= CONF_MAX_DEPTH) {
                    r = fail(s, s->pos, "nesting deeper than %d levels", CONF_MAX_DEPTH);
                    goto out;
                }
                stack[depth++] = (frame){ c, s->pos };
                s->pos++;
                skip_ws(s);
                if (s->pos < s->len && s->t[s->pos] == (c == '{' ? '}' : ']')) {
                    s->pos++;
                    depth--;
                    state = AFTER;
                } else {
                    state = c == '{' ? KEY : VALUE;
                }
                continue;
            }
            if (c == '"') r = scan_string(s);
            else if (c == '-' || (c >= '0' && c <= '9')) r = scan_number(s);
            else r = scan_word(s);
            if (r) goto out;
            state = AFTER;
        } else if (state == KEY) {
            if (s->pos < s->len && s->t[s->pos] == '"') {
                size_t key = s->pos;
                if ((r = scan_string(s))) goto out;
                int kl = (int)(s->pos - key);
                skip_ws(s);
                if (s->pos >= s->len || s->t[s->pos] != ':') {
                    r = fail(s, s->pos, "expected ':' after the key %.*s, found %s", kl > 40 ? 40 : kl,
                             s->t + key, found_char(s, s->pos, b, sizeof b));
                    goto out;
                }
                s->pos++;
                pending_key = key;
                state = VALUE;
                continue;
            }
            if (s->pos >= s->len) {
                int l, c;
                linecol(s->t, s->len, stack[depth - 1].open, &l, &c);
                r = fail(s, s->pos, "unexpected end of file: the object opened at %d:%d is not closed "
                         "(the file looks truncated)", l, c);
            } else if (after_comma && s->t[s->pos] == '}') {
                r = fail(s, s->pos, "expected a key after ',', found '}' (JSON does not allow a trailing comma)");
            } else if (s->t[s->pos] == '\'') {
                r = fail(s, s->pos, "expected a key in double quotes, found \"'\" (JSON strings use double quotes)");
            } else {
                r = fail(s, s->pos, "expected a key in double quotes, found %s", found_char(s, s->pos, b, sizeof b));
            }
            goto out;
        } else { /* AFTER a value */
            if (depth == 0) {
                if (s->pos < s->len)
                    r = fail(s, s->pos, "unexpected %s after the end of the top-level value",
                             found_char(s, s->pos, b, sizeof b));
                goto out;
            }
            frame *f = &stack[depth - 1];
            char close = f->type == '{' ? '}' : ']';
            if (s->pos >= s->len) {
                int l, c;
                linecol(s->t, s->len, f->open, &l, &c);
                r = fail(s, s->pos, "unexpected end of file: the %s opened at %d:%d is not closed "
                         "(expected ',' or '%c'; the file looks truncated)",
                         f->type == '{' ? "object" : "array", l, c, close);
                goto out;
            }
            char c = s->t[s->pos];
            if (c == ',') {
                s->pos++;
                after_comma = 1;
                state = f->type == '{' ? KEY : VALUE;
            } else if (c == close) {
                s->pos++;
                depth--;
            } else {
                /* The usual cause is a ',' forgotten at the end of the previous line: when the
                 * next value starts on a later line than the one before it ended, say where
                 * the comma belongs, since the position reported is that of the next value. */
                char hint[80] = "";
                size_t end = s->pos;
                while (end > 0 && strchr(" \t\r\n", s->t[end - 1])) end--;
                if (strchr("\"{[-0123456789tfn", c) && memchr(s->t + end, '\n', s->pos - end)) {
                    int l, col;
                    linecol(s->t, s->len, end, &l, &col);
                    snprintf(hint, sizeof hint, " (is a ',' missing at the end of line %d?)", l);
                }
                r = fail(s, s->pos, "expected ',' or '%c' after %s, found %s%s", close,
                         f->type == '{' ? "an object member" : "an array element",
                         found_char(s, s->pos, b, sizeof b), hint);
                goto out;
            }
        }
    }
out:
    free(stack);
    if (!r && s->oom) r = SIM_ENOMEM;
    return r;
}

/* ---- documents ----------------------------------------------------------- */

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return strdup(".");
    if (slash == path) return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

static void error_at_off(conf_errors *e, const conf_doc *doc, size_t off, const char *msg)
{
    int l, c;
    linecol(doc->text, doc->len, off, &l, &c);
    conf_errors_add(e, "%s:%d:%d: %s", doc->path, l, c, msg);
}

/* Pre-order walk that gives each node the next scanned offset. */
static int zip_positions(conf_doc *doc, pos_map *m, const scanner *s)
{
    size_t cap = 64, top = 0, i = 0;
    const cJSON **stack = malloc(cap * sizeof *stack);
    if (!stack) return SIM_ENOMEM;
    stack[top++] = doc->root;
    int r = 0;
    while (top) {
        const cJSON *n = stack[--top];
        if (i >= s->n) {
            r = SIM_ECORRUPT;
            break;
        }
        if ((r = map_put(m, n, s->v[i].val, s->v[i].key, -1))) break;
        i++;
        if (top + 2 > cap) {
            const cJSON **ns = realloc(stack, 2 * cap * sizeof *stack);
            if (!ns) {
                r = SIM_ENOMEM;
                break;
            }
            stack = ns;
            cap *= 2;
        }
        if (n != doc->root && n->next) stack[top++] = n->next;
        if ((cJSON_IsObject(n) || cJSON_IsArray(n)) && n->child) stack[top++] = n->child;
    }
    free(stack);
    if (!r && i != s->n) r = SIM_ECORRUPT;
    return r;
}

static int cmp_keys(const void *a, const void *b)
{
    const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
    return strcmp(x->string, y->string);
}

static void report_duplicate(const conf_doc *doc, const cJSON *first, const cJSON *second, conf_errors *e)
{
    int l1 = 0, c1 = 0, l2, c2;
    conf_doc_key_pos(doc, first, &l1, &c1);
    conf_doc_key_pos(doc, second, &l2, &c2);
    if (l2)
        conf_errors_add(e, "%s:%d:%d: duplicate key \"%s\" (first at %d:%d)", doc->path, l2, c2, second->string, l1, c1);
    else
        conf_errors_add(e, "%s: duplicate key \"%s\"", doc->path, second->string);
}

/* JSON allows repeated keys; cJSON keeps both and lookups see the first, so a
 * second "size" would be silently ignored. Report every repeat. */
static int check_duplicates(const conf_doc *doc, const cJSON *root, conf_errors *e)
{
    int bad = 0;
    size_t cap = 64, top = 0;
    const cJSON **stack = malloc(cap * sizeof *stack);
    if (!stack) return SIM_ENOMEM;
    stack[top++] = root;
    while (top) {
        const cJSON *n = stack[--top];
        size_t kids = 0;
        for (const cJSON *c = n->child; c; c = c->next) kids++;
        if (top + kids + 1 > cap) {
            size_t ncap = cap;
            while (top + kids + 1 > ncap) ncap *= 2;
            const cJSON **ns = realloc(stack, ncap * sizeof *ns);
            if (!ns) {
                free(stack);
                return SIM_ENOMEM;
            }
            stack = ns;
            cap = ncap;
        }
        for (const cJSON *c = n->child; c; c = c->next)
            if (c->child) stack[top++] = c;
        if (!cJSON_IsObject(n) || kids < 2) continue;
        if (kids <= 32) {
            for (const cJSON *a = n->child; a; a = a->next)
                for (const cJSON *b = a->next; b; b = b->next)
                    if (!strcmp(a->string, b->string)) {
                        report_duplicate(doc, a, b, e);
                        bad = 1;
                        break;
                    }
        } else {
            const cJSON **v = malloc(kids * sizeof *v);
            if (!v) {
                free(stack);
                return SIM_ENOMEM;
            }
            size_t k = 0;
            for (const cJSON *c = n->child; c; c = c->next) v[k++] = c;
            /* qsort is not stable: pick the pair by document order below */
            qsort(v, kids, sizeof *v, cmp_keys);
            for (size_t i = 1; i < kids; i++)
                if (!strcmp(v[i - 1]->string, v[i]->string)) {
                    const cJSON *first = NULL;
                    for (const cJSON *c = n->child; c; c = c->next)
                        if (!strcmp(c->string, v[i]->string)) {
                            if (!first) first = c;
                            else {
                                report_duplicate(doc, first, c, e);
                                break;
                            }
                        }
                    bad = 1;
                    while (i + 1 < kids && !strcmp(v[i]->string, v[i + 1]->string)) i++;
                }
            free(v);
        }
    }
    free(stack);
    return bad ? SIM_EPARSE : 0;
}

int conf_doc_parse(conf_doc *doc, const char *name, const char *text, size_t len, conf_errors *errs)
{
    memset(doc, 0, sizeof *doc);
    doc->path = strdup(name ? name : "<input>");
    doc->dir = dir_of(doc->path ? doc->path : ".");
    doc->text = malloc(len + 1);
    pos_map *m = calloc(1, sizeof *m);
    if (!doc->path || !doc->dir || !doc->text || !m) {
        free(m);
        conf_errors_add(errs, "%s: out of memory", name ? name : "<input>");
        conf_doc_free(doc);
        return SIM_ENOMEM;
    }
    if (len) memcpy(doc->text, text, len);
    doc->text[len] = 0;
    doc->len = len;
    doc->pos = m;

    scanner s = { .t = doc->text, .len = len };
    int r = scan_json(&s);
    if (r) {
        if (r == SIM_ENOMEM) conf_errors_add(errs, "%s: out of memory", doc->path);
        else error_at_off(errs, doc, s.err_off, s.err);
        free(s.v);
        goto fail;
    }
    const char *end = NULL;
    doc->root = cJSON_ParseWithLengthOpts(doc->text, len, &end, 0);
    if (!doc->root) {
        /* Our scanner accepted what cJSON refused (it should not happen):
         * point at cJSON's position. */
        size_t off = end && end >= doc->text && end <= doc->text + len ? (size_t)(end - doc->text) : 0;
        error_at_off(errs, doc, off, "invalid JSON here");
        free(s.v);
        r = SIM_EPARSE;
        goto fail;
    }
    if (zip_positions(doc, m, &s)) {
        /* Should not happen either; go on without positions rather than fail. */
        free(m->t);
        memset(m, 0, sizeof *m);
    }
    free(s.v);
    if (!cJSON_IsObject(doc->root)) {
        char b[64];
        conf_error_at(errs, doc, doc->root, NULL, "expected a JSON object {...} at the top level, found %s",
                      conf_found(doc->root, b, sizeof b));
        r = SIM_EPARSE;
        goto fail;
    }
    r = check_duplicates(doc, doc->root, errs);
    if (r) goto fail;
    return 0;
fail:
    conf_doc_free(doc);
    return r == SIM_ENOMEM ? SIM_ENOMEM : SIM_EPARSE;
}

int conf_doc_load(conf_doc *doc, const char *path, conf_errors *errs)
{
    memset(doc, 0, sizeof *doc);
    FILE *f = fopen(path, "rb");
    if (!f) {
        int en = errno;
        conf_errors_add(errs, "%s: cannot open: %s", path, strerror(en));
        return en == ENOENT ? SIM_ENOENT : SIM_EIO;
    }
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    int r = 0;
    while (buf) {
        if (len == cap) {
            if (cap >= CONF_MAX_FILE) {
                conf_errors_add(errs, "%s: file larger than %u MiB: not a scenario", path, CONF_MAX_FILE >> 20);
                r = SIM_EPARSE;
                break;
            }
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) {
            if (ferror(f)) {
                conf_errors_add(errs, "%s: cannot read: %s", path, strerror(errno));
                r = SIM_EIO;
            }
            break;
        }
    }
    fclose(f);
    if (!buf) {
        conf_errors_add(errs, "%s: out of memory", path);
        return SIM_ENOMEM;
    }
    if (!r) r = conf_doc_parse(doc, path, buf, len, errs);
    free(buf);
    return r;
}

void conf_doc_free(conf_doc *doc)
{
    if (!doc) return;
    free(doc->path);
    free(doc->dir);
    free(doc->text);
    cJSON_Delete(doc->root);
    map_free(doc->pos);
    memset(doc, 0, sizeof *doc);
}

/* The nearest located node on the chain root..node (nodes the runtime adds
 * after parsing have no entry of their own). Recursion depth is bounded by
 * the nesting limit. */
static const pos_ent *search(const pos_map *m, const cJSON *cur, const cJSON *target, const pos_ent *best,
                             int *found)
{
    const pos_ent *p = map_get(m, cur);
    if (p) best = p;
    if (cur == target) {
        *found = 1;
        return best;
    }
    for (const cJSON *c = cur->child; c; c = c->next) {
        const pos_ent *r = search(m, c, target, best, found);
        if (*found) return r;
    }
    return NULL;
}

static const pos_ent *nearest_located(const conf_doc *doc, const cJSON *node)
{
    int found = 0;
    if (!doc->root) return NULL;
    return search(doc->pos, doc->root, node, NULL, &found);
}

static const pos_ent *find_pos(const conf_doc *doc, const cJSON *node)
{
    if (!doc || !doc->pos || !node) return NULL;
    const pos_ent *p = map_get(doc->pos, node);
    return p ? p : nearest_located(doc, node);
}

void conf_doc_pos(const conf_doc *doc, const cJSON *node, int *line, int *col)
{
    const pos_ent *p = find_pos(doc, node);
    if (!p || p->origin >= 0 || p->val == NO_OFF) {
        *line = *col = 0;
        return;
    }
    linecol(doc->text, doc->len, p->val, line, col);
}

const char *conf_doc_source(const conf_doc *doc, const cJSON *node)
{
    const pos_ent *p = doc && doc->pos ? map_get(doc->pos, node) : NULL;
    if (!p || p->origin >= 0 || p->val == NO_OFF || p->val >= doc->len) return NULL;
    return doc->text + p->val;
}

void conf_doc_key_pos(const conf_doc *doc, const cJSON *node, int *line, int *col)
{
    const pos_ent *p = find_pos(doc, node);
    if (!p || p->origin >= 0) {
        *line = *col = 0;
        return;
    }
    linecol(doc->text, doc->len, p->key != NO_OFF ? p->key : p->val, line, col);
}

/* See conf.h: cJSON_ReplaceItemInObject without its keyless member. */
int conf_json_set_member(cJSON *obj, const char *key, cJSON *old, cJSON *nv)
{
    if (!obj || !key || !nv) return SIM_EINVAL;
    if (!old) return cJSON_AddItemToObject(obj, key, nv) ? 0 : SIM_ENOMEM;
    /* cJSON_ReplaceItemViaPointer relinks whatever it is given: check first */
    const cJSON *m = obj->child;
    while (m && m != old) m = m->next;
    if (!m) return SIM_EINVAL;
    /* the key copied first, with cJSON's allocator (it frees it with cJSON_Delete) */
    size_t n = strlen(key) + 1;
    char *k = cJSON_malloc(n);
    if (!k) return SIM_ENOMEM;
    memcpy(k, key, n);
    if (nv->string && !(nv->type & cJSON_StringIsConst)) cJSON_free(nv->string);
    nv->string = k;
    nv->type &= ~cJSON_StringIsConst;
    if (!cJSON_ReplaceItemViaPointer(obj, old, nv)) { /* not expected: old is a member */
        nv->string = NULL;
        cJSON_free(k);
        return SIM_EINVAL;
    }
    return 0;
}

/* Parallel pre-order walk of two trees of the same shape. */
int conf_doc_alias(conf_doc *doc, const cJSON *copy, const cJSON *src)
{
    pos_map *m = doc ? doc->pos : NULL;
    if (!m || !copy || !src) return 0;
    const pos_ent *p = map_get(m, src);
    if (p) {
        pos_ent e = *p; /* map_put may move the table */
        int r = map_put(m, copy, e.val, e.key, e.origin);
        if (r) return r;
    }
    const cJSON *a = copy->child, *b = src->child;
    for (; a && b; a = a->next, b = b->next) {
        int r = conf_doc_alias(doc, a, b);
        if (r) return r;
    }
    return 0;
}

static int mark_tree(pos_map *m, const cJSON *node, int origin)
{
    int r = map_put(m, node, NO_OFF, NO_OFF, origin);
    for (const cJSON *c = node->child; c && !r; c = c->next) r = mark_tree(m, c, origin);
    return r;
}

int conf_doc_mark(conf_doc *doc, const cJSON *node, const char *origin)
{
    pos_map *m = doc ? doc->pos : NULL;
    if (!m || !node || !origin) return 0;
    int idx = -1;
    for (size_t i = 0; i < m->norigins; i++)
        if (!strcmp(m->origins[i], origin)) idx = (int)i;
    if (idx < 0) {
        char **o = realloc(m->origins, (m->norigins + 1) * sizeof *o);
        if (!o) return SIM_ENOMEM;
        m->origins = o;
        if (!(o[m->norigins] = strdup(origin))) return SIM_ENOMEM;
        idx = (int)m->norigins++;
    }
    return mark_tree(m, node, idx);
}

void conf_doc_forget(conf_doc *doc, const cJSON *node)
{
    pos_map *m = doc ? doc->pos : NULL;
    if (!m || !node) return;
    map_del(m, node);
    for (const cJSON *c = node->child; c; c = c->next) conf_doc_forget(doc, c);
}

const char *conf_doc_origin(const conf_doc *doc, const cJSON *node)
{
    const pos_ent *p = find_pos(doc, node);
    const pos_map *m = doc ? doc->pos : NULL;
    if (!p || p->origin < 0 || !m) return NULL;
    return m->origins[p->origin];
}

static void error_prefix(const conf_doc *doc, const cJSON *node, int use_key, char *buf, size_t len)
{
    buf[0] = 0;
    if (!doc) return;
    const char *origin = conf_doc_origin(doc, node);
    if (origin) {
        snprintf(buf, len, "%s: ", origin);
        return;
    }
    int l, c;
    if (use_key) conf_doc_key_pos(doc, node, &l, &c);
    else conf_doc_pos(doc, node, &l, &c);
    if (l) snprintf(buf, len, "%s:%d:%d: ", doc->path, l, c);
    else snprintf(buf, len, "%s: ", doc->path);
}

static void verror(conf_errors *e, const conf_doc *doc, const cJSON *node, int use_key, const char *jpath,
                   const char *fmt, va_list ap)
{
    char prefix[512];
    error_prefix(doc, node, use_key, prefix, sizeof prefix);
    char *msg = NULL;
    if (vasprintf(&msg, fmt, ap) < 0) msg = NULL;
    if (jpath && *jpath) conf_errors_add(e, "%s%s: %s", prefix, jpath, msg ? msg : "(out of memory)");
    else conf_errors_add(e, "%s%s", prefix, msg ? msg : "(out of memory)");
    free(msg);
}

void conf_error_at(conf_errors *e, const conf_doc *doc, const cJSON *node, const char *jpath,
                   const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verror(e, doc, node, 0, jpath, fmt, ap);
    va_end(ap);
}

void conf_error_at_key(conf_errors *e, const conf_doc *doc, const cJSON *node, const char *jpath,
                       const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verror(e, doc, node, 1, jpath, fmt, ap);
    va_end(ap);
}
