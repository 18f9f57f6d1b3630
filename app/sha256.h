/* app/sha256.h - SHA-256 (FIPS 180-4), for the scenario hash in summaries.
 *
 * A small one-shot implementation: the scenario file is hashed once per run,
 * so speed does not matter; none of the libraries we link provides one. */
#ifndef APP_SHA256_H
#define APP_SHA256_H

#include <stddef.h>
#include <stdint.h>

/* The 32-byte digest of len bytes at data (data may be NULL when len is 0). */
void app_sha256(const void *data, size_t len, uint8_t out[32]);

/* The same as 64 lowercase hex digits and a NUL. */
void app_sha256_hex(const void *data, size_t len, char hex[65]);

#endif
