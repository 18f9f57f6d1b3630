/* chunkio/internal.h - helpers shared by the files of chunkio/, not public. */
#ifndef CHUNKIO_INTERNAL_H
#define CHUNKIO_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "chunkio/chunkio.h"
#include "chunkio/format.h"

/* Formats c->err. */
void chunkio_seterr(chunkio_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Maps an errno value to a SIM_E* code. */
int chunkio_errno_code(int e);
/* Grows c's aligned scratch buffer to at least `need` bytes (contents are
 * kept). 0 or SIM_ENOMEM. */
int chunkio_ctx_reserve(chunkio_ctx *c, size_t need);
/* Writes one durable copy into directory di (tmp, fdatasync, rename, dir
 * fsync). Uses c's buffer, so data must not point into it. */
int chunkio_write_copy(chunkio_store *st, chunkio_ctx *c, unsigned di, const void *key, size_t klen,
                       const void *data, size_t len, uint32_t replicas);
/* Reads and verifies one copy in directory di; see chunkio_get. hout, if not
 * NULL, receives the header (its pointers into c's buffer). */
int chunkio_read_copy(chunkio_store *st, chunkio_ctx *c, unsigned di, const void *key, size_t klen,
                      uint64_t off, size_t len, const uint8_t **data, size_t *n, uint64_t *total,
                      chunkio_hdr *hout);

/* Opens the chunk file rel below the directory dirfd for reading, with
 * extra flags (O_DIRECT), O_NOFOLLOW (a symbolic link planted at a chunk's
 * path is refused with ELOOP, so no read leaves the store, whichever
 * engine asks) and O_NOATIME: a read must not write
 * the inode. Under relatime the first read after a write would update the
 * file's access time, and the next durable write's directory fsync would
 * write that inode too (docs/calibration.md, "Reads that write"). The
 * kernel refuses O_NOATIME (EPERM) to a caller who neither owns the file
 * nor has CAP_FOWNER; the open is then retried without it. A descriptor,
 * or -1 with errno set. */
int chunkio_open_read(int dirfd, const char *rel, int flags);
/* Opens (creating as needed, each new directory's parent fsync'ed) the
 * directory rel[0..len) below root. A descriptor or -errno. */
int chunkio_open_dirs(int root, const char *rel, size_t len);
/* Creates a locked temporary ".PID.THREAD.SEQ.tmp" in the directory pfd
 * (the chunk's own directory, below store directory di), its name into tmp.
 * A descriptor, or a negative SIM_E* code with c->err set. */
int chunkio_open_temp(chunkio_store *st, chunkio_ctx *c, unsigned di, int pfd, char *tmp, size_t tmplen);
/* Calls fn(fd, "xx/yy", arg) for every fan-out directory below root (fd
 * open on it, which fn closes), in directory order, until fn returns
 * nonzero; returns that, or 0. When root itself cannot be listed, returns
 * SIM_EIO with the system's errno in *err. Directories below it that
 * cannot be opened are skipped. */
int chunkio_each_fanout(int root, int (*fn)(int fd, const char *fan, void *arg), void *arg, int *err);
/* Whether a directory entry's name is a temporary's (see chunkio_open_temp). */
int chunkio_is_temp_name(const char *name);
/* Checks a whole chunk file held in buf (got bytes): header, key, every
 * block. 0 with *len = data length, or SIM_ECORRUPT with c->err naming
 * `where`. */
int chunkio_check_whole(chunkio_ctx *c, const char *where, const void *key, size_t klen, const uint8_t *buf,
                        size_t got, uint64_t *len);

#endif
