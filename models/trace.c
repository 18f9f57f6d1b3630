/* models/trace.c - CSV and oracleGeneral trace readers (see trace.h).
 *
 * Both read the file with read(2) into one buffer (4 MiB) and parse in
 * place: a CSV line is found with memchr and its fields are parsed where they
 * lie; binary records are copied field by field with memcpy (no alignment
 * assumption). A CSV line may not be longer than the buffer.
 */
#include "models/trace.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "sim/errors.h"
#include "sim/rng.h"

#define TRACE_BUF (4u << 20)
#define OG_RECORD 24

uint64_t trace_hash_string(const char *s, size_t len)
{
    uint64_t h = sim_mix64(0x9e3779b97f4a7c15ULL ^ (uint64_t)len);
    while (len >= 8) {
        uint64_t b = 0;
        for (int i = 7; i >= 0; i--) b = (b << 8) | (unsigned char)s[i];
        h = sim_mix64(h ^ b);
        s += 8;
        len -= 8;
    }
    uint64_t b = 0;
    for (size_t i = len; i > 0; i--) b = (b << 8) | (unsigned char)s[i - 1];
    return sim_mix64(h ^ b ^ 0x2545f4914f6cdd1dULL);
}

int trace_format_parse(const char *s, trace_format *out)
{
    if (!s) return SIM_EINVAL;
    if (!strcasecmp(s, "csv")) *out = TRACE_CSV;
    else if (!strcasecmp(s, "oracleGeneral")) *out = TRACE_ORACLE_GENERAL;
    else return SIM_EINVAL;
    return 0;
}

static int fail(trace_reader *r, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(trace_reader *r, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err, sizeof r->err, fmt, ap);
    va_end(ap);
    return code;
}

/* A printable, shortened copy of a field for messages. */
static const char *show(const char *s, size_t n, char *buf, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 4 < cap; i++) {
        unsigned char ch = (unsigned char)s[i];
        buf[k++] = ch >= 32 && ch < 127 ? (char)ch : '?';
        if (i == 39 && n > 40) {
            buf[k++] = '.', buf[k++] = '.', buf[k++] = '.';
            break;
        }
    }
    buf[k] = 0;
    return buf;
}

/* Refills the buffer, keeping the unread tail. Returns 0 or SIM_EIO. */
static int fill(trace_reader *r)
{
    if (r->pos > 0) {
        memmove(r->buf, r->buf + r->pos, r->len - r->pos);
        r->len -= r->pos;
        r->pos = 0;
    }
    while (!r->eof && r->len < r->cap) {
        ssize_t k = read(r->fd, r->buf + r->len, r->cap - r->len);
        if (k < 0) {
            if (errno == EINTR) continue;
            return fail(r, SIM_EIO, "%s: read failed: %s", r->path, strerror(errno));
        }
        if (k == 0) r->eof = true;
        r->len += (size_t)k;
        if (r->len >= r->cap / 2) break; /* enough to work on */
    }
    return 0;
}

/* The next CSV line (without its newline and a trailing '\r') in *s, *n.
 * Returns 1, 0 at the end, or a negative error. */
static int next_line(trace_reader *r, const char **s, size_t *n)
{
    for (;;) {
        char *start = r->buf + r->pos;
        size_t avail = r->len - r->pos;
        char *nl = avail ? memchr(start, '\n', avail) : NULL;
        if (nl || (r->eof && avail)) {
            size_t k = nl ? (size_t)(nl - start) : avail;
            r->pos += nl ? k + 1 : k;
            if (k && start[k - 1] == '\r') k--;
            r->line++;
            *s = start;
            *n = k;
            return 1;
        }
        if (r->eof) return 0;
        if (r->pos == 0 && r->len == r->cap)
            return fail(r, SIM_EPARSE, "%s:%llu: line longer than %u bytes", r->path,
                        (unsigned long long)r->line + 1, (unsigned)r->cap);
        int rc = fill(r);
        if (rc) return rc;
    }
}

static void trim(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == '\t')) (*s)++, (*n)--;
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t')) (*n)--;
    if (*n >= 2 && (*s)[0] == '"' && (*s)[*n - 1] == '"') (*s)++, *n -= 2;
}

/* Unsigned decimal. Returns 0 ok, 1 not all digits (or empty), 2 overflow. */
static int parse_u64(const char *s, size_t n, uint64_t *out)
{
    if (n == 0) return 1;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned)(unsigned char)s[i] - '0';
        if (d > 9) return 1;
        if (v > (UINT64_MAX - d) / 10) return 2;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

static int parse_time(const char *s, size_t n, double *out)
{
    uint64_t u;
    if (parse_u64(s, n, &u) == 0) {
        *out = (double)u;
        return 0;
    }
    char tmp[64];
    if (n == 0 || n >= sizeof tmp) return 1;
    memcpy(tmp, s, n);
    tmp[n] = 0;
    char *end;
    double v = strtod(tmp, &end);
    if (end != tmp + n || !isfinite(v)) return 1;
    *out = v;
    return 0;
}

/* Parses one CSV line into q. Returns 0, or SIM_EPARSE with a message. */
static int parse_csv_line(trace_reader *r, const char *s, size_t n, trace_req *q)
{
    const trace_opts *o = &r->o;
    char delim = o->delim ? o->delim : ',';
    char sh[64];
    int col = 0;
    q->time = (double)r->requests;
    q->size = 1;
    q->next_access = -1;
    size_t i = 0;
    for (;;) {
        col++;
        size_t j = i;
        while (j < n && s[j] != delim) j++;
        const char *f = s + i;
        size_t fl = j - i;
        trim(&f, &fl);
        if (col == o->id_col) {
            uint64_t v;
            int k = o->id_as_string ? 1 : parse_u64(f, fl, &v);
            if (fl == 0)
                return fail(r, SIM_EPARSE, "%s:%llu: column %d (id): expected an id, found an empty field", r->path,
                            (unsigned long long)r->line, col);
            if (k == 2)
                return fail(r, SIM_EPARSE,
                            "%s:%llu: column %d (id): '%s' is larger than 2^64-1 (use --id-str to hash ids as text)",
                            r->path, (unsigned long long)r->line, col, show(f, fl, sh, sizeof sh));
            q->id = k == 0 ? v : trace_hash_string(f, fl);
        }
        if (col == o->size_col && !o->ignore_size) {
            uint64_t v = 0;
            int k = parse_u64(f, fl, &v);
            if (k || v == 0)
                return fail(r, SIM_EPARSE, "%s:%llu: column %d (size): expected a whole number of bytes >= 1%s, found '%s'",
                            r->path, (unsigned long long)r->line, col, k == 2 ? " below 2^64" : "",
                            show(f, fl, sh, sizeof sh));
            q->size = v;
        }
        if (col == o->time_col) {
            if (parse_time(f, fl, &q->time))
                return fail(r, SIM_EPARSE, "%s:%llu: column %d (time): expected a number, found '%s'", r->path,
                            (unsigned long long)r->line, col, show(f, fl, sh, sizeof sh));
        }
        if (col >= r->ncols_needed || j >= n) break;
        i = j + 1;
    }
    if (col < r->ncols_needed)
        return fail(r, SIM_EPARSE, "%s:%llu: expected at least %d columns, found %d", r->path,
                    (unsigned long long)r->line, r->ncols_needed, col);
    return 0;
}

static long read_csv(trace_reader *r, trace_req *out, size_t n)
{
    size_t k = 0;
    while (k < n) {
        const char *s;
        size_t len;
        int rc = next_line(r, &s, &len);
        if (rc < 0) return rc;
        if (rc == 0) break;
        size_t b = 0;
        while (b < len && (s[b] == ' ' || s[b] == '\t')) b++;
        if (b == len) continue; /* blank line */
        rc = parse_csv_line(r, s, len, &out[k]);
        if (rc) {
            if (!r->o.skip_bad) return rc;
            r->skipped++;
            continue;
        }
        r->requests++;
        k++;
    }
    return (long)k;
}

static long read_og(trace_reader *r, trace_req *out, size_t n)
{
    size_t k = 0;
    while (k < n) {
        if (r->len - r->pos < OG_RECORD) {
            if (!r->eof) {
                int rc = fill(r);
                if (rc) return rc;
                continue;
            }
            size_t rest = r->len - r->pos;
            if (rest == 0) break;
            r->pos = r->len;
            r->record++;
            if (r->o.skip_bad) {
                r->skipped++;
                break;
            }
            return fail(r, SIM_EPARSE, "%s: record %llu (byte %llu): truncated: %zu of %d bytes", r->path,
                        (unsigned long long)r->record, (unsigned long long)(r->record - 1) * OG_RECORD, rest,
                        OG_RECORD);
        }
        /* Parse whole records straight from the buffer. */
        const unsigned char *p = (const unsigned char *)r->buf + r->pos;
        size_t m = (r->len - r->pos) / OG_RECORD;
        if (m > n - k) m = n - k;
        for (size_t i = 0; i < m; i++, p += OG_RECORD) {
            uint32_t t, sz;
            uint64_t id;
            int64_t next;
            memcpy(&t, p, 4);
            memcpy(&id, p + 4, 8);
            memcpy(&sz, p + 12, 4);
            memcpy(&next, p + 16, 8);
            r->record++;
            if (sz == 0 && !r->o.ignore_size) {
                if (!r->o.skip_bad) {
                    r->pos = (size_t)((const char *)p + OG_RECORD - r->buf);
                    return fail(r, SIM_EPARSE, "%s: record %llu (byte %llu): size 0 (expected >= 1)", r->path,
                                (unsigned long long)r->record, (unsigned long long)(r->record - 1) * OG_RECORD);
                }
                r->skipped++;
                continue;
            }
            trace_req *q = &out[k++];
            q->time = (double)t;
            q->id = id;
            q->size = r->o.ignore_size ? 1 : sz;
            q->next_access = next;
        }
        r->pos = (size_t)((const char *)p - r->buf);
    }
    r->requests += k;
    return (long)k;
}

long trace_read(trace_reader *r, trace_req *out, size_t n)
{
    if (r->fd < 0) return SIM_ESTATE;
    return r->o.format == TRACE_CSV ? read_csv(r, out, n) : read_og(r, out, n);
}

/* Whether the n bytes at p are printable ASCII with at least one line end. */
static bool looks_like_text(const char *p, size_t n)
{
    bool eol = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)p[i];
        if (ch == '\n' || ch == '\r') eol = true;
        else if (ch != '\t' && (ch < 0x20 || ch > 0x7e)) return false;
    }
    return eol;
}

static int start(trace_reader *r)
{
    r->pos = r->len = 0;
    r->eof = false;
    r->line = r->record = r->skipped = r->requests = 0;
    r->err[0] = 0;
    int rc = fill(r);
    if (rc) return rc;
    if (r->len == 0) return fail(r, SIM_EPARSE, "%s: empty file (expected %s)", r->path,
                                 r->o.format == TRACE_CSV ? "a header line" : "24-byte records");
    static const unsigned char zstd[4] = { 0x28, 0xb5, 0x2f, 0xfd };
    if (r->len >= 4 && !memcmp(r->buf, zstd, 4))
        return fail(r, SIM_EPARSE, "%s: zstd-compressed; decompress it first (zstd -d FILE)", r->path);
    /* A UTF-8 byte order mark (spreadsheets write one) is not part of the
     * first field: without this, --no-header read "\xef\xbb\xbf0" as a time. */
    static const unsigned char bom[3] = { 0xef, 0xbb, 0xbf };
    if (r->o.format == TRACE_CSV && r->len >= 3 && !memcmp(r->buf, bom, 3)) r->pos = 3;
    /* A text file given as oracleGeneral would be read as records of
     * garbage until the last, truncated one. Binary records have NUL or
     * high bytes in their first 24 (a u32 time, a u64 id, -1 for "no next
     * access"); text has none and has line ends. */
    if (r->o.format == TRACE_ORACLE_GENERAL && looks_like_text(r->buf, r->len < 64 ? r->len : 64))
        return fail(r, SIM_EPARSE, "%s: looks like text (a CSV?), not oracleGeneral's 24-byte binary records; "
                    "use --format csv", r->path);
    if (r->o.format != TRACE_CSV || r->o.no_header) return 0;
    const char *s;
    size_t n;
    rc = next_line(r, &s, &n);
    if (rc < 0) return rc;
    /* Count the header's columns: a column number past them is an error. */
    char delim = r->o.delim ? r->o.delim : ',';
    int cols = 1;
    for (size_t i = 0; i < n; i++) cols += s[i] == delim;
    if (cols < r->ncols_needed)
        return fail(r, SIM_EPARSE, "%s:1: the header has %d column%s but column %d is asked for", r->path, cols,
                    cols == 1 ? "" : "s", r->ncols_needed);
    return 0;
}

int trace_open(trace_reader *r, const char *path, const trace_opts *o)
{
    memset(r, 0, sizeof *r);
    r->fd = -1;
    r->path = strdup(path ? path : "");
    if (!r->path) return fail(r, SIM_ENOMEM, "out of memory");
    r->o = *o;
    if (o->format != TRACE_CSV && o->format != TRACE_ORACLE_GENERAL) return fail(r, SIM_EINVAL, "unknown trace format");
    if (o->format == TRACE_CSV) {
        if (o->id_col < 1) return fail(r, SIM_EINVAL, "CSV traces need an id column (numbered from 1)");
        if (o->time_col < 0 || o->size_col < 0) return fail(r, SIM_EINVAL, "column numbers start at 1");
        if (o->delim == '\n' || o->delim == '\r' || o->delim == '"') return fail(r, SIM_EINVAL, "bad field separator");
        int m = o->id_col;
        if (o->time_col > m) m = o->time_col;
        if (!o->ignore_size && o->size_col > m) m = o->size_col;
        r->ncols_needed = m;
    }
    r->fd = open(r->path, O_RDONLY | O_CLOEXEC);
    if (r->fd < 0) return fail(r, SIM_ENOENT, "%s: cannot open: %s", r->path, strerror(errno));
    r->cap = TRACE_BUF;
    r->buf = malloc(r->cap);
    if (!r->buf) return fail(r, SIM_ENOMEM, "out of memory");
#ifdef POSIX_FADV_SEQUENTIAL
    posix_fadvise(r->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
    return start(r);
}

int trace_rewind(trace_reader *r)
{
    if (r->fd < 0) return SIM_ESTATE;
    if (lseek(r->fd, 0, SEEK_SET) < 0) return fail(r, SIM_EIO, "%s: cannot rewind: %s", r->path, strerror(errno));
    return start(r);
}

void trace_close(trace_reader *r)
{
    if (r->fd >= 0) close(r->fd);
    r->fd = -1;
    free(r->buf);
    free(r->path);
    r->buf = NULL;
    r->path = NULL;
}

const char *trace_error(const trace_reader *r) { return r->err; }
uint64_t trace_skipped(const trace_reader *r) { return r->skipped; }
