/* chunkio/format.h - the on-disk format of one chunk copy, and key names.
 *
 * A chunk file is a header of header_size bytes (a multiple of 4096, so data
 * starts aligned for O_DIRECT), then data_len bytes of data, then zeros up to
 * the next multiple of 4096. All integers are little-endian.
 *
 *   off  size  field
 *     0     8  magic "CDNSIMCK"
 *     8     4  version (1)
 *    12     4  header_size (multiple of 4096)
 *    16     8  data_len (<= CHUNKIO_MAX_CHUNK)
 *    24     4  block_size (65536)
 *    28     4  nblocks = ceil(data_len / block_size)
 *    32     4  key_len (<= 1024)
 *    36     4  replicas the chunk was written with (used by verify)
 *    40     4  header CRC32C over all header_size bytes with this field zero
 *    44     4  reserved, 0
 *    48        key bytes, then nblocks CRC32C values (one per data block),
 *              then zeros to header_size
 *
 * Key names: a key's copy lives at FANOUT/NAME under a store directory, where
 * FANOUT is "xx/yy" from the first two bytes of the key's CRC32C (65536 leaf
 * directories keep each directory small), and NAME is the lower-case hex of
 * the key cut into segments of 240 characters: every segment but the last is
 * a directory named SEG.d, the last is the file SEG.ck (the empty key is
 * "_.ck"). Hex is injective and contains neither '/' nor '.', so no key can
 * name a path outside its store or collide with another key, and every
 * component stays under NAME_MAX.
 */
#ifndef CHUNKIO_FORMAT_H
#define CHUNKIO_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "chunkio/chunkio.h"

#define CHUNKIO_MAGIC "CDNSIMCK"
#define CHUNKIO_VERSION 1u
#define CHUNKIO_BLOCK (64u << 10)
#define CHUNKIO_FIXED_HDR 48u
#define CHUNKIO_SEG_HEX 240u
/* Longest relative path of a chunk file: fan-out, segments, suffixes. */
#define CHUNKIO_MAX_RELPATH (6 + (CHUNKIO_MAX_KEY * 2 / CHUNKIO_SEG_HEX + 1) * (CHUNKIO_SEG_HEX + 4) + 8)

typedef struct chunkio_hdr {
    uint32_t header_size;
    uint64_t data_len;
    uint32_t block_size;
    uint32_t nblocks;
    uint32_t key_len;
    uint32_t replicas;
    const uint8_t *key;    /* points into the buffer decoded */
    const uint8_t *crcs;   /* nblocks little-endian u32, into the buffer */
} chunkio_hdr;

static inline uint64_t chunkio_align_up(uint64_t x) { return (x + 4095u) & ~(uint64_t)4095u; }

/* Bytes of header needed for a key and data length. */
uint32_t chunkio_hdr_size(size_t klen, uint64_t data_len);

/* Writes a complete header (header_size bytes, see chunkio_hdr_size) into
 * out, computing one CRC per block of data. */
void chunkio_hdr_encode(uint8_t *out, const void *key, size_t klen, const void *data,
                        uint64_t data_len, uint32_t replicas);

/* Reads the fixed part of a header from the first `avail` bytes (>= 48):
 * checks magic, version and field ranges. Returns 0, or SIM_ECORRUPT with a
 * reason in *why. h->key and h->crcs are only valid after chunkio_hdr_check. */
int chunkio_hdr_peek(const uint8_t *buf, size_t avail, chunkio_hdr *h, const char **why);
/* With the whole header (h->header_size bytes) in buf: checks the header
 * CRC and sets h->key and h->crcs. 0 or SIM_ECORRUPT. */
int chunkio_hdr_check(const uint8_t *buf, chunkio_hdr *h, const char **why);
/* The stored CRC of block i. */
uint32_t chunkio_hdr_block_crc(const chunkio_hdr *h, uint32_t i);

/* The relative path of key's copy ("xx/yy/SEG.d/.../SEG.ck") into out
 * (CHUNKIO_MAX_RELPATH bytes). Returns its length; *dirlen is the length of
 * the directory part (without the trailing '/'). */
size_t chunkio_key_path(const void *key, size_t klen, char *out, size_t *dirlen);
/* Inverse of the NAME part: decodes a relative path below the fan-out
 * ("SEG.d/.../SEG.ck") into key (CHUNKIO_MAX_KEY bytes). Returns the key
 * length, or -1 if the name is not one chunkio_key_path produces. */
long chunkio_key_from_name(const char *name, uint8_t *key);

#endif
