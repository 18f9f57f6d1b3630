/* chunkio/format.c - chunk headers, block checksums and key names. */
#include "chunkio/format.h"

#include <isa-l/crc.h>
#include <string.h>

#include "sim/errors.h"

uint32_t chunkio_crc32c(const void *buf, size_t len)
{
    /* ISA-L's crc32_iscsi takes an int length and leaves the final inversion
     * to the caller; feeding it in pieces keeps lengths in range and the
     * standard CRC32C (check value 0xe3069283 for "123456789") results. */
    uint32_t crc = 0xffffffffu;
    const unsigned char *p = buf;
    while (len > 0) {
        size_t n = len > (1u << 30) ? (1u << 30) : len;
        crc = crc32_iscsi((unsigned char *)p, (int)n, crc);
        p += n;
        len -= n;
    }
    return ~crc;
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
    return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static uint32_t nblocks_of(uint64_t len)
{
    return (uint32_t)((len + CHUNKIO_BLOCK - 1) / CHUNKIO_BLOCK);
}

uint32_t chunkio_hdr_size(size_t klen, uint64_t data_len)
{
    return (uint32_t)chunkio_align_up(CHUNKIO_FIXED_HDR + klen + 4u * (uint64_t)nblocks_of(data_len));
}

void chunkio_hdr_encode(uint8_t *out, const void *key, size_t klen, const void *data,
                        uint64_t data_len, uint32_t replicas)
{
    uint32_t hs = chunkio_hdr_size(klen, data_len), nb = nblocks_of(data_len);
    memset(out, 0, hs);
    memcpy(out, CHUNKIO_MAGIC, 8);
    put32(out + 8, CHUNKIO_VERSION);
    put32(out + 12, hs);
    put64(out + 16, data_len);
    put32(out + 24, CHUNKIO_BLOCK);
    put32(out + 28, nb);
    put32(out + 32, (uint32_t)klen);
    put32(out + 36, replicas);
    if (klen) memcpy(out + CHUNKIO_FIXED_HDR, key, klen);
    uint8_t *crcs = out + CHUNKIO_FIXED_HDR + klen;
    const uint8_t *d = data;
    for (uint32_t i = 0; i < nb; i++) {
        uint64_t o = (uint64_t)i * CHUNKIO_BLOCK;
        uint64_t n = data_len - o < CHUNKIO_BLOCK ? data_len - o : CHUNKIO_BLOCK;
        put32(crcs + 4u * i, chunkio_crc32c(d + o, n));
    }
    put32(out + 40, chunkio_crc32c(out, hs));
}

int chunkio_hdr_peek(const uint8_t *buf, size_t avail, chunkio_hdr *h, const char **why)
{
    const char *w = NULL;
    if (avail < CHUNKIO_FIXED_HDR) w = "file shorter than a header";
    else if (memcmp(buf, CHUNKIO_MAGIC, 8) != 0) w = "bad magic";
    else if (get32(buf + 8) != CHUNKIO_VERSION) w = "unknown format version";
    if (!w) {
        h->header_size = get32(buf + 12);
        h->data_len = get64(buf + 16);
        h->block_size = get32(buf + 24);
        h->nblocks = get32(buf + 28);
        h->key_len = get32(buf + 32);
        h->replicas = get32(buf + 36);
        h->key = h->crcs = NULL;
        if (h->block_size != CHUNKIO_BLOCK) w = "bad block size";
        else if (h->data_len > CHUNKIO_MAX_CHUNK) w = "data length out of range";
        else if (h->nblocks != nblocks_of(h->data_len)) w = "block count does not match length";
        else if (h->key_len > CHUNKIO_MAX_KEY) w = "key length out of range";
        else if (h->header_size != chunkio_hdr_size(h->key_len, h->data_len)) w = "bad header size";
        else if (h->replicas < 1 || h->replicas > CHUNKIO_MAX_DIRS) w = "bad replica count";
    }
    if (w) {
        if (why) *why = w;
        return SIM_ECORRUPT;
    }
    return 0;
}

int chunkio_hdr_check(const uint8_t *buf, chunkio_hdr *h, const char **why)
{
    /* The CRC was computed with its own field zero: recompute the same way
     * without copying the header, by checksumming around the field. */
    static const uint8_t zero4[4] = { 0, 0, 0, 0 };
    uint32_t crc = 0xffffffffu;
    crc = crc32_iscsi((unsigned char *)buf, 40, crc);
    crc = crc32_iscsi((unsigned char *)zero4, 4, crc);
    crc = crc32_iscsi((unsigned char *)buf + 44, (int)(h->header_size - 44), crc);
    if (~crc != get32(buf + 40)) {
        if (why) *why = "header checksum mismatch";
        return SIM_ECORRUPT;
    }
    h->key = buf + CHUNKIO_FIXED_HDR;
    h->crcs = buf + CHUNKIO_FIXED_HDR + h->key_len;
    return 0;
}

uint32_t chunkio_hdr_block_crc(const chunkio_hdr *h, uint32_t i)
{
    return get32(h->crcs + 4u * i);
}

static const char hexd[] = "0123456789abcdef";

size_t chunkio_key_path(const void *key, size_t klen, char *out, size_t *dirlen)
{
    const uint8_t *k = key;
    uint32_t h = chunkio_crc32c(key, klen);
    size_t n = 0;
    out[n++] = hexd[(h >> 28) & 15];
    out[n++] = hexd[(h >> 24) & 15];
    out[n++] = '/';
    out[n++] = hexd[(h >> 20) & 15];
    out[n++] = hexd[(h >> 16) & 15];
    size_t dl = n;
    out[n++] = '/';
    if (klen == 0) {
        memcpy(out + n, "_.ck", 5);
        *dirlen = dl;
        return n + 4;
    }
    size_t seg = 0;
    for (size_t i = 0; i < klen; i++) {
        if (seg == CHUNKIO_SEG_HEX) {
            memcpy(out + n, ".d", 2);
            n += 2;
            dl = n;
            out[n++] = '/';
            seg = 0;
        }
        out[n++] = hexd[k[i] >> 4];
        out[n++] = hexd[k[i] & 15];
        seg += 2;
    }
    memcpy(out + n, ".ck", 4);
    *dirlen = dl;
    return n + 3;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

long chunkio_key_from_name(const char *name, uint8_t *key)
{
    if (!strcmp(name, "_.ck")) return 0;
    size_t kl = 0;
    const char *p = name;
    for (;;) {
        size_t seg = 0;
        while (hexval(p[0]) >= 0) {
            if (hexval(p[1]) < 0 || kl >= CHUNKIO_MAX_KEY) return -1;
            key[kl++] = (uint8_t)(hexval(p[0]) << 4 | hexval(p[1]));
            p += 2;
            seg += 2;
        }
        if (seg == 0 || seg > CHUNKIO_SEG_HEX) return -1;
        if (!strcmp(p, ".ck")) return (long)kl;
        if (strncmp(p, ".d/", 3) != 0 || seg != CHUNKIO_SEG_HEX) return -1;
        p += 3;
    }
}
