/*
 * HMAC-SHA-256 of short values (at most 55 bytes: one block after the key block) with the x86
 * SHA extensions, several values interleaved so the CPU overlaps their round chains.
 */
#ifndef HDH_SHA256_NI_H
#define HDH_SHA256_NI_H

#include <stddef.h>
#include <stdint.h>

/* The longest value whose inner hash is one block: 64 - 1 (0x80) - 8 (bit length). */
#define HDH_SHORT_MAX 55
/* How many values one call interleaves. */
#define HDH_NI_LANES 4 /* sha256_ni.c instantiates the 4-lane variant by name */

/* 1 when this CPU (and build) has the SHA extensions with SSE4.1 and SSSE3. */
int hdh_shani_available(void);

/*
 * For k < count (1..HDH_NI_LANES): mac[k] = HMAC(values[k]) where `inner` and `outer` are the
 * SHA-256 chaining values after the key block xor ipad / opad, and lens[k] <= HDH_SHORT_MAX.
 */
void hdh_shani_hmac_short(const uint32_t inner[8], const uint32_t outer[8], int count, const uint8_t *const *values, const size_t *lens,
                          uint8_t (*mac)[32]);

#endif
