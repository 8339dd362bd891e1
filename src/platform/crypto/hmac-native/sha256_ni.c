/*
 * SHA-256 compression with the x86 SHA extensions (sha256rnds2, sha256msg1, sha256msg2), written
 * from the FIPS 180-4 definition. One lane is latency-bound on sha256rnds2; interleaving four
 * independent messages lets the core overlap them. Only short HMAC inputs use it; every result
 * is checked against OpenSSL at load and in the tests.
 */
#include "sha256_ni.h"

#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>

#define NI_TARGET __attribute__((target("sha,sse4.1,ssse3")))
#define NI_INLINE NI_TARGET __attribute__((always_inline)) static inline

static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be,
    0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
    0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85,
    0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
    0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
    0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

int hdh_shani_available(void) {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
  int sse41 = (c >> 19) & 1, ssse3 = (c >> 9) & 1;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
  return sse41 && ssse3 && ((b >> 29) & 1);
}

/* The SHA instructions keep the state as (A,B,E,F) and (C,D,G,H). */
typedef struct {
  __m128i abef, cdgh;
} lane_state;

NI_INLINE lane_state load_state(const uint32_t h[8]) {
  __m128i dcba = _mm_loadu_si128((const __m128i *)h), hgfe = _mm_loadu_si128((const __m128i *)(h + 4));
  __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1), efgh = _mm_shuffle_epi32(hgfe, 0x1B);
  lane_state s = {_mm_alignr_epi8(cdab, efgh, 8), _mm_blend_epi16(efgh, cdab, 0xF0)};
  return s;
}

/* Back to the words h0..h3 and h4..h7, in order. */
NI_INLINE void store_words(lane_state s, __m128i *h0123, __m128i *h4567) {
  __m128i feba = _mm_shuffle_epi32(s.abef, 0x1B), dchg = _mm_shuffle_epi32(s.cdgh, 0xB1);
  *h0123 = _mm_blend_epi16(feba, dchg, 0xF0);
  *h4567 = _mm_alignr_epi8(dchg, feba, 8);
}

NI_INLINE void four_rounds(lane_state *s, __m128i w, int group) {
  __m128i wk = _mm_add_epi32(w, _mm_loadu_si128((const __m128i *)&K256[4 * group]));
  s->cdgh = _mm_sha256rnds2_epu32(s->cdgh, s->abef, wk);
  s->abef = _mm_sha256rnds2_epu32(s->abef, s->cdgh, _mm_shuffle_epi32(wk, 0x0E));
}

/*
 * Compresses one block per lane. w[k][0..3] hold the block's sixteen message words; the
 * schedule W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16] is computed four words at a time
 * in place: msg1 gives W[t-16] + σ0(W[t-15]), alignr brings W[t-7], msg2 adds σ1(W[t-2]).
 */
#define DEFINE_COMPRESS(LANES)                                                                                          \
  NI_INLINE void compress_##LANES(lane_state *s, __m128i (*w)[4]) {                                                     \
    lane_state saved[LANES];                                                                                            \
    for (int k = 0; k < LANES; k++) saved[k] = s[k];                                                                    \
    _Pragma("GCC unroll 16") for (int g = 0; g < 16; g++) {                                                             \
      for (int k = 0; k < LANES; k++) {                                                                                 \
        if (g >= 4) {                                                                                                   \
          __m128i x = _mm_sha256msg1_epu32(w[k][g & 3], w[k][(g + 1) & 3]);                                           \
          x = _mm_add_epi32(x, _mm_alignr_epi8(w[k][(g + 3) & 3], w[k][(g + 2) & 3], 4));                             \
          w[k][g & 3] = _mm_sha256msg2_epu32(x, w[k][(g + 3) & 3]);                                                     \
        }                                                                                                               \
        four_rounds(&s[k], w[k][g & 3], g);                                                                             \
      }                                                                                                                 \
    }                                                                                                                   \
    for (int k = 0; k < LANES; k++) {                                                                                   \
      s[k].abef = _mm_add_epi32(s[k].abef, saved[k].abef);                                                              \
      s[k].cdgh = _mm_add_epi32(s[k].cdgh, saved[k].cdgh);                                                              \
    }                                                                                                                   \
  }

DEFINE_COMPRESS(1)
DEFINE_COMPRESS(4)

#define BYTESWAP_WORDS _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL)

/*
 * The inner block: value, 0x80, zeros, then the bit length of ipad block + value. The outer
 * block: the inner digest (its words are the inner state as is), 0x80, zeros, 768 bits.
 */
#define DEFINE_HMAC(LANES)                                                                                               \
  NI_TARGET static void hmac_##LANES(const uint32_t inner[8], const uint32_t outer[8], const uint8_t *const *values,   \
                                     const size_t *lens, uint8_t (*mac)[32]) {                                          \
    lane_state s[LANES];                                                                                                \
    __m128i w[LANES][4];                                                                                                \
    const lane_state in = load_state(inner), out = load_state(outer);                                                  \
    for (int k = 0; k < LANES; k++) {                                                                                   \
      uint8_t block[64] = {0};                                                                                          \
      if (lens[k]) memcpy(block, values[k], lens[k]);                                                                              \
      block[lens[k]] = 0x80;                                                                                            \
      uint64_t bits = __builtin_bswap64((uint64_t)(64 + lens[k]) * 8);                                                  \
      memcpy(block + 56, &bits, 8);                                                                                     \
      for (int j = 0; j < 4; j++) w[k][j] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(block + 16 * j)), BYTESWAP_WORDS); \
      s[k] = in;                                                                                                        \
    }                                                                                                                   \
    compress_##LANES(s, w);                                                                                             \
    for (int k = 0; k < LANES; k++) {                                                                                   \
      store_words(s[k], &w[k][0], &w[k][1]);                                                                            \
      w[k][2] = _mm_set_epi32(0, 0, 0, (int)0x80000000u);                                                               \
      w[k][3] = _mm_set_epi32(768, 0, 0, 0);                                                                            \
      s[k] = out;                                                                                                       \
    }                                                                                                                   \
    compress_##LANES(s, w);                                                                                             \
    for (int k = 0; k < LANES; k++) {                                                                                   \
      __m128i lo, hi;                                                                                                   \
      store_words(s[k], &lo, &hi);                                                                                      \
      _mm_storeu_si128((__m128i *)mac[k], _mm_shuffle_epi8(lo, BYTESWAP_WORDS));                                        \
      _mm_storeu_si128((__m128i *)(mac[k] + 16), _mm_shuffle_epi8(hi, BYTESWAP_WORDS));                                 \
    }                                                                                                                   \
  }

DEFINE_HMAC(1)
DEFINE_HMAC(4)

void hdh_shani_hmac_short(const uint32_t inner[8], const uint32_t outer[8], int count, const uint8_t *const *values, const size_t *lens,
                          uint8_t (*mac)[32]) {
  if (count == HDH_NI_LANES) {
    hmac_4(inner, outer, values, lens, mac);
    return;
  }
  for (int k = 0; k < count; k++) hmac_1(inner, outer, values + k, lens + k, mac + k);
}

#else

int hdh_shani_available(void) { return 0; }

void hdh_shani_hmac_short(const uint32_t inner[8], const uint32_t outer[8], int count, const uint8_t *const *values, const size_t *lens,
                          uint8_t (*mac)[32]) {
  (void)inner, (void)outer, (void)count, (void)values, (void)lens, (void)mac;
}

#endif
