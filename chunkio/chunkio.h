/* chunkio/chunkio.h - a small, crash-safe chunk store on real disks.
 *
 * A store is a list of directories, each standing for one data node's disk.
 * A chunk is a byte string of at most CHUNKIO_MAX_CHUNK bytes named by a key
 * (any byte string of at most CHUNKIO_MAX_KEY bytes). A put writes `replicas`
 * copies on that many different directories, chosen by rendezvous hashing on
 * the key and each directory's real path (so the order in which directories
 * are listed does not matter), and succeeds when `write_quorum` copies are
 * durable. A get tries the placement directories first, then every other
 * directory, and returns the first copy whose checksums verify.
 *
 * Durability and atomicity: every copy is written to a temporary beside the
 * chunk's final name (so that the rename stays within one directory),
 * fdatasync'ed, renamed into place and the directory is fsync'ed before the
 * put returns. A crash at any moment leaves either the old chunk, the new chunk,
 * or (for a chunk never acknowledged) nothing; temporaries left by a crash are
 * removed by the next chunkio_store_open. The on-disk format (header, CRC32C
 * per 64 KiB block) is described in docs/chunkio.md and chunkio/format.h.
 *
 * Threads: a store may be shared by any number of threads once opened; each
 * thread uses its own chunkio_ctx (scratch buffers and the last error text).
 */
#ifndef CHUNKIO_CHUNKIO_H
#define CHUNKIO_CHUNKIO_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#define CHUNKIO_MAX_KEY 1024u
#define CHUNKIO_MAX_CHUNK (8u << 20)
#define CHUNKIO_MAX_DIRS 64u
#define CHUNKIO_ALIGN 4096u

typedef struct chunkio_opts {
    int direct;          /* O_DIRECT for chunk data (aligned buffers) */
    unsigned replicas;   /* copies per put, 1..ndirs (0 means 1) */
    unsigned write_quorum; /* copies that must be durable, 1..replicas (0: all) */
    int create;          /* create missing top-level directories */
} chunkio_opts;

typedef struct chunkio_dir {
    char *path;          /* as given, for messages (owned) */
    int fd;              /* O_DIRECTORY descriptor of the root */
    uint64_t hash;       /* of its real path, for placement */
    int marker;          /* this process's writer marker DIR/.writer.PID.N, locked; -1: none yet */
    char marker_name[48];
} chunkio_dir;

typedef struct chunkio_store {
    chunkio_dir dirs[CHUNKIO_MAX_DIRS];
    unsigned ndirs;
    chunkio_opts opts;
    uint64_t temps_removed; /* leftover temporaries removed by open */
    unsigned dead_writers;  /* markers of writers that died, found by open */
    pthread_mutex_t marker_lock; /* guards the dirs' markers while threads write */
} chunkio_store;

/* Per-thread context: an aligned scratch buffer reused by every operation
 * (no allocation per operation once it has grown), counters of what reads
 * saw, and a one-line description of the last error with the path and the
 * system's reason. */
/* The steps of a durable write (chunkio_put), in order: create the
 * temporary and write the chunk into it; fdatasync it; rename it over the
 * chunk's name; fsync the directory. */
enum { CHUNKIO_STEP_WRITE, CHUNKIO_STEP_FDATASYNC, CHUNKIO_STEP_RENAME, CHUNKIO_STEP_DIRSYNC, CHUNKIO_NSTEPS };
extern const char *const chunkio_step_names[CHUNKIO_NSTEPS]; /* "write", "fdatasync", "rename", "dir_fsync" */

typedef struct chunkio_ctx {
    uint8_t *buf;
    size_t cap;
    int64_t step_ns[CHUNKIO_NSTEPS]; /* the last chunkio_put's time in each step, ns, summed over its
                                        copies (a step not reached stays 0) */
    uint64_t corrupt_seen;     /* copies that failed a checksum on read */
    uint64_t served_by_replica;/* gets answered by a copy other than the first tried */
    unsigned tmp_seq;
    char err[1024];
} chunkio_ctx;

void chunkio_ctx_init(chunkio_ctx *c);
void chunkio_ctx_free(chunkio_ctx *c);

/* Opens a store over `ndirs` directories (1..CHUNKIO_MAX_DIRS, all distinct
 * real paths). If a writer died there (its marker DIR/.writer.* is no
 * longer locked, see chunkio_store_close), walks every fan-out directory and
 * removes the temporaries that no live writer holds (a writer keeps an flock
 * on its temporary); always removes those an older build left in
 * DIR/tmp/. Their count is added to temps_removed. With opts->create, a missing directory is created. On error
 * returns SIM_EINVAL (bad options, duplicate directory), SIM_ENOENT (missing
 * directory), SIM_EIO (not a directory, cannot be listed, other system
 * error), writes a message naming the directory into errbuf (if not NULL)
 * and leaves nothing open. */
int chunkio_store_open(chunkio_store *st, const char *const *dirs, unsigned ndirs,
                       const chunkio_opts *opts, char *errbuf, size_t errlen);
/* Closes the directories. A store that wrote has left no temporary of its
 * own behind, so its writer markers are removed: the next open need not
 * walk the store. A process that dies without closing leaves its markers,
 * and the next open cleans up after it. */
void chunkio_store_close(chunkio_store *st);

/* Writes a chunk (len <= CHUNKIO_MAX_CHUNK) under key, replacing any older
 * version atomically. The caller keeps ownership of key and data. Returns 0
 * once write_quorum copies are durable; otherwise SIM_EINVAL (key or length),
 * SIM_ENOSPC (disk full, quota, file size limit), SIM_EIO (unwritable
 * directory, other errors), with c->err saying which directory and why.
 * A failed put never damages a chunk acknowledged before. */
int chunkio_put(chunkio_store *st, chunkio_ctx *c, const void *key, size_t klen,
                const void *data, size_t len);

/* Reads bytes [off, off + len) of the chunk (clipped to its length; len may be
 * SIZE_MAX for "to the end") and verifies the CRC of every 64 KiB block it
 * touches. On success *data points into c's scratch buffer (valid until the
 * next call with c), *n is the byte count and *total (if not NULL) the
 * chunk's length. A copy that fails its checksum is counted in
 * c->corrupt_seen and the next copy is tried. Returns 0, SIM_ENOENT (no copy),
 * SIM_ECORRUPT (every copy found is corrupt), SIM_EINVAL, SIM_EIO. */
int chunkio_get(chunkio_store *st, chunkio_ctx *c, const void *key, size_t klen, uint64_t off,
                size_t len, const uint8_t **data, size_t *n, uint64_t *total);

/* Removes every copy of key. 0, SIM_ENOENT (no copy), SIM_EIO. */
int chunkio_delete(chunkio_store *st, chunkio_ctx *c, const void *key, size_t klen);

/* The result of chunkio_verify, counted per chunk (key), except `copies`. */
typedef struct chunkio_verify_report {
    uint64_t chunks;   /* distinct keys found */
    uint64_t copies;   /* chunk files examined */
    uint64_t ok;       /* every placement copy present and intact */
    uint64_t repaired; /* some copy was corrupt or absent; rewritten from an intact one */
    uint64_t corrupt;  /* some corrupt copy could not be repaired (no intact copy, or the write failed) */
    uint64_t missing;  /* some placement copy was absent and could not be restored */
} chunkio_verify_report;

/* Re-reads every chunk file under every directory, checks every checksum,
 * and rewrites corrupt or missing placement copies from an intact copy
 * (repair = 0 only reports). Returns 0 when the walk completed (look at the
 * report for the outcome), SIM_ENOMEM or SIM_EIO if a directory could not be
 * read. */
int chunkio_verify(chunkio_store *st, chunkio_ctx *c, int repair, chunkio_verify_report *rep);

/* The directories (indices into st->dirs) that hold key's copies, best
 * first: writes `count` indices into out (count <= st->ndirs). */
void chunkio_placement(const chunkio_store *st, const void *key, size_t klen, unsigned *out,
                       unsigned count);

/* CRC32C (Castagnoli, as in iSCSI and ext4) of a buffer, from ISA-L. */
uint32_t chunkio_crc32c(const void *buf, size_t len);

#endif
