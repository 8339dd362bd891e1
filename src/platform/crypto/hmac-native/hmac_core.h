/* Batch HMAC-SHA-256 over packed values, on OpenSSL (the one Node links) and the SHA extensions. */
#ifndef HDH_HMAC_CORE_H
#define HDH_HMAC_CORE_H

#define OPENSSL_SUPPRESS_DEPRECATED /* SHA256_CTX is copied per value: the cheapest HMAC state copy */
#include <openssl/sha.h>
#include <stddef.h>
#include <stdint.h>

/* The key, as the two chaining values after its ipad and opad blocks (secret: clear after use). */
typedef struct {
  SHA256_CTX inner, outer;
} hdh_hmac_key;

/* n values: value i is data[offsets[i] .. offsets[i+1]) or, without offsets, width bytes at i × width. */
typedef struct {
  const uint8_t *data;
  const uint32_t *offsets;
  size_t width;
  size_t n;
} hdh_values;

enum {
  HDH_OUT_HEX = 1,      /* write 64 lowercase hex characters per value instead of 32 bytes */
  HDH_CORE_OPENSSL = 2, /* do not use the SHA extensions (tests compare both cores) */
};

void hdh_hmac_key_init(hdh_hmac_key *key, const uint8_t *secret, size_t len);
void hdh_hmac_key_clear(hdh_hmac_key *key);

/* 1 when the SHA-extension core is usable on this CPU. */
int hdh_hmac_has_shani(void);

/* Writes the MAC of every value to out (32 or 64 bytes each), split over up to `threads` threads. */
int hdh_hmac_batch(const hdh_hmac_key *key, const hdh_values *values, uint8_t *out, int flags, int threads);

#endif
