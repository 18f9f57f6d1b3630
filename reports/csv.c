/* reports/csv.c - a small reader for the run directory's CSV files. */
#include "reports/csv.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/rbuf.h"
#include "sim/errors.h"

typedef struct {
    char **v;
    size_t n, cap;
} strvec;

static int vpush(strvec *sv, char *s)
{
    if (!s) return SIM_ENOMEM;
    if (sv->n == sv->cap) {
        size_t cap = sv->cap ? sv->cap * 2 : 64;
        char **v = realloc(sv->v, cap * sizeof *v);
        if (!v) {
            free(s);
            return SIM_ENOMEM;
        }
        sv->v = v;
        sv->cap = cap;
    }
    sv->v[sv->n++] = s;
    return 0;
}

/* Parses one line starting at *pp into fields appended to out; advances *pp
 * past the line end. Returns the number of fields, 0 for an empty line, or a
 * negative SIM_E* code. */
static long parse_line(const char **pp, strvec *out, int *unterminated)
{
    const char *p = *pp;
    if (*p == '\n' || (*p == '\r' && p[1] == '\n')) {
        *pp = p + (*p == '\r' ? 2 : 1);
        return 0;
    }
    long nf = 0;
    rbuf f;
    rbuf_init(&f);
    for (;;) {
        f.n = 0;
        if (f.s) f.s[0] = '\0';
        if (*p == '"') {
            p++;
            for (;;) {
                if (!*p) {
                    *unterminated = 1;
                    rbuf_free(&f);
                    return SIM_EPARSE;
                }
                if (*p == '"' && p[1] == '"') {
                    rbuf_append(&f, "\"", 1);
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    rbuf_append(&f, p++, 1);
                }
            }
        }
        while (*p && *p != ',' && *p != '\n' && !(*p == '\r' && p[1] == '\n')) rbuf_append(&f, p++, 1);
        if (f.oom) {
            rbuf_free(&f);
            return SIM_ENOMEM;
        }
        if (vpush(out, strdup(rbuf_str(&f))) < 0) {
            rbuf_free(&f);
            return SIM_ENOMEM;
        }
        nf++;
        if (*p == ',') {
            p++;
            continue;
        }
        if (*p == '\r') p++;
        if (*p == '\n') p++;
        break;
    }
    rbuf_free(&f);
    *pp = p;
    return nf;
}

int reports_csv_parse(const char *name, const char *text, reports_csv *c, char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    strvec hdr = { 0 }, cells = { 0 };
    const char *p = text;
    int line = 0, unterminated = 0;
    long nf = 0;
    while (*p && nf == 0) {
        line++;
        nf = parse_line(&p, &hdr, &unterminated);
        if (nf < 0) goto bad;
    }
    if (nf <= 0) {
        snprintf(err, errlen, "%s:1: expected a header line, found an empty file", name);
        free(hdr.v);
        return SIM_EPARSE;
    }
    c->header = hdr.v;
    c->ncols = (size_t)nf;
    while (*p) {
        line++;
        size_t before = cells.n;
        nf = parse_line(&p, &cells, &unterminated);
        if (nf < 0) goto bad;
        if (nf == 0) continue;
        if ((size_t)nf != c->ncols) {
            snprintf(err, errlen, "%s:%d: expected %zu fields (as in the header), found %ld", name, line,
                     c->ncols, nf);
            c->cells = cells.v;
            c->nrows = before / c->ncols;
            for (size_t i = before; i < cells.n; i++) free(cells.v[i]);
            return SIM_EPARSE;
        }
        c->nrows++;
    }
    c->cells = cells.v;
    return 0;
bad:
    if (!c->header) {
        for (size_t i = 0; i < hdr.n; i++) free(hdr.v[i]);
        free(hdr.v);
    }
    c->cells = cells.v;
    c->nrows = c->ncols ? cells.n / c->ncols : 0;
    for (size_t i = c->nrows * c->ncols; i < cells.n; i++) free(cells.v[i]);
    if (nf == SIM_ENOMEM) {
        snprintf(err, errlen, "%s: out of memory", name);
        return SIM_ENOMEM;
    }
    snprintf(err, errlen, "%s:%d: %s", name, line,
             unterminated ? "unterminated quoted field" : "malformed line");
    return SIM_EPARSE;
}

int reports_csv_load(const char *path, reports_csv *c, char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    errno = 0;
    char *text = reports_read_file(path, NULL);
    if (!text) {
        snprintf(err, errlen, "%s: cannot read: %s", path, errno ? strerror(errno) : "out of memory");
        return errno ? SIM_ENOENT : SIM_ENOMEM;
    }
    int rc = reports_csv_parse(path, text, c, err, errlen);
    free(text);
    return rc;
}

void reports_csv_free(reports_csv *c)
{
    for (size_t i = 0; c->header && i < c->ncols; i++) free(c->header[i]);
    for (size_t i = 0; c->cells && i < c->nrows * c->ncols; i++) free(c->cells[i]);
    free(c->header);
    free(c->cells);
    memset(c, 0, sizeof *c);
}

int reports_csv_col(const reports_csv *c, const char *name)
{
    for (size_t i = 0; i < c->ncols; i++)
        if (!strcmp(c->header[i], name)) return (int)i;
    return -1;
}

const char *reports_csv_cell(const reports_csv *c, size_t row, size_t col)
{
    return c->cells[row * c->ncols + col];
}

double reports_csv_num(const reports_csv *c, size_t row, size_t col)
{
    const char *s = reports_csv_cell(c, row, col);
    char *end = NULL;
    double v = strtod(s, &end);
    if (end == s) return NAN;
    while (*end == ' ') end++;
    return *end ? NAN : v;
}

void reports_csv_field(rbuf *b, const char *s)
{
    if (!s) return;
    if (!strpbrk(s, ",\"\r\n")) {
        rbuf_puts(b, s);
        return;
    }
    rbuf_puts(b, "\"");
    for (const char *p = s; *p; p++) {
        if (*p == '"') rbuf_puts(b, "\"");
        rbuf_append(b, p, 1);
    }
    rbuf_puts(b, "\"");
}
