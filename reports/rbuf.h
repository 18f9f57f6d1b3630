/* reports/rbuf.h - a growable text buffer, with the escapes reports need
 * (HTML text, gnuplot strings) and base64 for data URIs.
 *
 * Errors are sticky: once an append fails for lack of memory, rbuf.oom is set,
 * later appends do nothing, and the writer checks oom once at the end, so
 * page-building code need not check every call.
 */
#ifndef REPORTS_RBUF_H
#define REPORTS_RBUF_H

#include <stddef.h>

typedef struct rbuf {
    char *s;     /* NUL-terminated text, owned; NULL until the first append */
    size_t n;    /* bytes used, without the NUL */
    size_t cap;
    int oom;     /* an append failed */
} rbuf;

void rbuf_init(rbuf *b);
void rbuf_free(rbuf *b);
/* The text so far ("" when empty); valid until the next append. */
const char *rbuf_str(const rbuf *b);
void rbuf_append(rbuf *b, const char *s, size_t n);
void rbuf_puts(rbuf *b, const char *s);
void rbuf_printf(rbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s with & < > " ' replaced by entities, so it is safe both as HTML
 * text and inside a quoted attribute. NULL appends nothing. */
void rbuf_html(rbuf *b, const char *s);
/* Appends s escaped for a double-quoted gnuplot string (\ and " escaped,
 * control characters replaced by spaces). */
void rbuf_gpstr(rbuf *b, const char *s);
/* Appends the standard base64 encoding (RFC 4648, with padding) of data. */
void rbuf_base64(rbuf *b, const unsigned char *data, size_t n);

/* Reads a whole file into a malloc'd NUL-terminated buffer (caller frees);
 * *len gets its size when len is not NULL. NULL when it cannot be read. */
char *reports_read_file(const char *path, size_t *len);

/* True when path names a regular file (following symbolic links). */
int reports_file_exists(const char *path);

/* Writes n bytes to path through a temporary file in the same directory and
 * rename(), so a reader never sees a half-written file. 0 or SIM_EIO. */
int reports_write_file(const char *path, const char *data, size_t n);

#endif
