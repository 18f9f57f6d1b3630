/* models/trace.h - streaming readers of request traces.
 *
 * Two formats:
 *   - CSV: one request per line, a header line first (unless no_header),
 *     columns chosen by 1-based number as in libCacheSim (time, id, size).
 *     Ids are unsigned decimal numbers, or any other text, which is hashed
 *     to 64 bits with trace_hash_string() (documented there).
 *   - oracleGeneral (libCacheSim's binary format): 24-byte little-endian
 *     records {u32 time, u64 id, u32 size, i64 next access}; not compressed
 *     (a .zst file is recognised and refused with a hint).
 *
 * The file is read in large blocks and parsed in place: memory does not
 * grow with the trace. Bad input never crashes: the reader stops with a
 * message that names the file and the line (CSV) or record (binary), what
 * was expected and what was found; with skip_bad it skips the line or record
 * and counts it instead.
 *
 * The reader is independent of cachesim, so a workload can replay a trace
 * in a full scenario: trace_req.time is in the trace's own unit (seconds for
 * oracleGeneral), and the caller decides how to map it to simulated time
 * (honoured, scaled or compressed).
 */
#ifndef MODELS_TRACE_H
#define MODELS_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { TRACE_CSV = 0, TRACE_ORACLE_GENERAL } trace_format;

typedef struct trace_opts {
    trace_format format;
    int time_col, id_col, size_col; /* CSV, 1-based; 0 = absent (time = request
                                       number, size = 1). id_col is required. */
    bool no_header;                 /* CSV: the first line is a request */
    bool id_as_string;              /* CSV: hash every id, numeric ones too */
    bool ignore_size;               /* every size is 1 (size column not read) */
    bool skip_bad;                  /* skip and count malformed lines/records */
    char delim;                     /* CSV field separator; 0 = ',' */
} trace_opts;

typedef struct trace_req {
    double time;         /* trace time, in the trace's unit */
    uint64_t id;
    uint64_t size;       /* >= 1 */
    int64_t next_access; /* oracleGeneral's next-access field; -1 for CSV */
} trace_req;

/* Caller-owned; fields are private except through the functions below. */
typedef struct trace_reader {
    trace_opts o;
    int fd;
    char *path;
    char *buf;
    size_t cap, len, pos;
    bool eof;
    uint64_t line;    /* CSV: number of the last line consumed */
    uint64_t record;  /* oracleGeneral: number of records consumed */
    uint64_t skipped; /* malformed lines or records skipped (skip_bad) */
    uint64_t requests;
    int ncols_needed;
    char err[512];
} trace_reader;

/* Opens `path` for reading with options `o` (copied). Returns 0, or a
 * negative SIM_E* code with a message in trace_error(r): SIM_ENOENT (cannot
 * open), SIM_EINVAL (bad options), SIM_EPARSE (bad header, compressed or
 * empty file), SIM_ENOMEM. Whatever it returns, call trace_close(r). */
int trace_open(trace_reader *r, const char *path, const trace_opts *o);

/* Reads up to n requests into out[]. Returns how many (0 at the end of the
 * trace), or a negative SIM_E* code (SIM_EPARSE bad line or record,
 * SIM_EIO read error) with the message in trace_error(r); requests before
 * the bad one in this batch are lost, so stop on an error. */
long trace_read(trace_reader *r, trace_req *out, size_t n);

/* Starts again from the first request. Returns 0 or a SIM_E* code. */
int trace_rewind(trace_reader *r);

/* Releases the file and buffer. Safe on a reader whose open failed. */
void trace_close(trace_reader *r);

/* The last error message, "" if none. */
const char *trace_error(const trace_reader *r);

/* Malformed lines/records skipped so far (with skip_bad). */
uint64_t trace_skipped(const trace_reader *r);

/* Parses "csv" or "oracleGeneral" (case-insensitive). Returns 0 or SIM_EINVAL. */
int trace_format_parse(const char *s, trace_format *out);

/* The 64-bit id of a string id: splitmix64 (sim_mix64) chained over the
 * bytes in 8-byte little-endian blocks, seeded with the length. Stable across
 * platforms and releases; not cryptographic; two distinct strings collide
 * with probability about 2^-64 per pair. */
uint64_t trace_hash_string(const char *s, size_t len);

#endif
