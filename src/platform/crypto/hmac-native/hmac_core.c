#include "hmac_core.h"

#include <openssl/crypto.h>
#include <pthread.h>
#include <string.h>

#include "sha256_ni.h"

/* Below this many values per thread, starting a thread costs more than it saves. */
#define MIN_VALUES_PER_THREAD 16384
#define MAX_THREADS 16

void hdh_hmac_key_init(hdh_hmac_key *key, const uint8_t *secret, size_t len) {
  uint8_t block[64] = {0}, pad[64];
  if (len > sizeof block)
    SHA256(secret, len, block); /* RFC 2104: a key longer than a block is hashed first */
  else if (len)
    memcpy(block, secret, len);
  for (int i = 0; i < 64; i++) pad[i] = block[i] ^ 0x36;
  SHA256_Init(&key->inner);
  SHA256_Update(&key->inner, pad, sizeof pad);
  for (int i = 0; i < 64; i++) pad[i] = block[i] ^ 0x5c;
  SHA256_Init(&key->outer);
  SHA256_Update(&key->outer, pad, sizeof pad);
  OPENSSL_cleanse(block, sizeof block);
  OPENSSL_cleanse(pad, sizeof pad);
}

void hdh_hmac_key_clear(hdh_hmac_key *key) { OPENSSL_cleanse(key, sizeof *key); }

int hdh_hmac_has_shani(void) {
  static int cached = -1;
  if (cached < 0) cached = hdh_shani_available();
  return cached;
}

static const char HEX[] = "0123456789abcdef";

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
/* 32 bytes to 64 hex characters, sixteen nibbles per table lookup (SSSE3: always there with SHA-NI). */
__attribute__((target("ssse3"))) static void hex32_ssse3(const uint8_t mac[32], uint8_t *o) {
  const __m128i digits = _mm_loadu_si128((const __m128i *)HEX), low = _mm_set1_epi8(0x0f);
  for (int half = 0; half < 2; half++) {
    __m128i v = _mm_loadu_si128((const __m128i *)(mac + 16 * half));
    __m128i hi = _mm_shuffle_epi8(digits, _mm_and_si128(_mm_srli_epi16(v, 4), low));
    __m128i lo = _mm_shuffle_epi8(digits, _mm_and_si128(v, low));
    _mm_storeu_si128((__m128i *)(o + 32 * half), _mm_unpacklo_epi8(hi, lo));
    _mm_storeu_si128((__m128i *)(o + 32 * half + 16), _mm_unpackhi_epi8(hi, lo));
  }
}
#define HAVE_HEX32_SSSE3 1
#endif

static void hex32(const uint8_t mac[32], uint8_t *o) {
  for (int j = 0; j < 32; j++) {
    o[2 * j] = (uint8_t)HEX[mac[j] >> 4];
    o[2 * j + 1] = (uint8_t)HEX[mac[j] & 15];
  }
}

static inline void emit(uint8_t *out, size_t i, const uint8_t mac[32], int hex) {
  if (!hex) {
    memcpy(out + 32 * i, mac, 32);
    return;
  }
#ifdef HAVE_HEX32_SSSE3
  if (hdh_hmac_has_shani()) {
    hex32_ssse3(mac, out + 64 * i);
    return;
  }
#endif
  hex32(mac, out + 64 * i);
}

static inline void value_at(const hdh_values *v, size_t i, const uint8_t **start, size_t *len) {
  if (v->offsets) {
    *start = v->data + v->offsets[i];
    *len = v->offsets[i + 1] - v->offsets[i];
  } else {
    *start = v->data + i * v->width;
    *len = v->width;
  }
}

static void hmac_openssl(const hdh_hmac_key *key, const uint8_t *value, size_t len, uint8_t mac[32]) {
  uint8_t inner[32];
  SHA256_CTX ctx = key->inner;
  SHA256_Update(&ctx, value, len);
  SHA256_Final(inner, &ctx);
  ctx = key->outer;
  SHA256_Update(&ctx, inner, sizeof inner);
  SHA256_Final(mac, &ctx);
}

static void hmac_range(const hdh_hmac_key *key, const hdh_values *v, size_t from, size_t to, uint8_t *out, int flags) {
  const int hex = flags & HDH_OUT_HEX;
  uint8_t mac[HDH_NI_LANES][32];
  if ((flags & HDH_CORE_OPENSSL) || !hdh_hmac_has_shani()) {
    for (size_t i = from; i < to; i++) {
      const uint8_t *start;
      size_t len;
      value_at(v, i, &start, &len);
      hmac_openssl(key, start, len, mac[0]);
      emit(out, i, mac[0], hex);
    }
    return;
  }
  /* Short values go through the SHA extensions HDH_NI_LANES at a time; long ones one by one. */
  size_t i = from;
  while (i < to) {
    const uint8_t *starts[HDH_NI_LANES];
    size_t lens[HDH_NI_LANES], index[HDH_NI_LANES];
    int count = 0;
    while (i < to && count < HDH_NI_LANES) {
      const uint8_t *start;
      size_t len;
      value_at(v, i, &start, &len);
      if (len > HDH_SHORT_MAX) {
        hmac_openssl(key, start, len, mac[0]);
        emit(out, i, mac[0], hex);
      } else {
        starts[count] = start;
        lens[count] = len;
        index[count++] = i;
      }
      i++;
    }
    if (!count) continue;
    hdh_shani_hmac_short(key->inner.h, key->outer.h, count, starts, lens, mac);
    for (int k = 0; k < count; k++) emit(out, index[k], mac[k], hex);
  }
}

typedef struct {
  const hdh_hmac_key *key;
  const hdh_values *values;
  size_t from, to;
  uint8_t *out;
  int flags;
} part;

static void *run_part(void *arg) {
  part *p = arg;
  hmac_range(p->key, p->values, p->from, p->to, p->out, p->flags);
  return NULL;
}

int hdh_hmac_batch(const hdh_hmac_key *key, const hdh_values *values, uint8_t *out, int flags, int threads) {
  size_t n = values->n;
  if (threads > MAX_THREADS) threads = MAX_THREADS;
  if (threads < 1 || n < (size_t)MIN_VALUES_PER_THREAD * 2) threads = 1;
  while (threads > 1 && n / (size_t)threads < MIN_VALUES_PER_THREAD) threads--;
  if (threads == 1) {
    hmac_range(key, values, 0, n, out, flags);
    return 1;
  }
  part parts[MAX_THREADS];
  pthread_t ids[MAX_THREADS];
  int started[MAX_THREADS] = {0};
  for (int t = 0; t < threads; t++) {
    parts[t] = (part){key, values, n * (size_t)t / (size_t)threads, n * (size_t)(t + 1) / (size_t)threads, out, flags};
  }
  /* The calling thread takes the first part; a thread that cannot start leaves its part to it too. */
  for (int t = 1; t < threads; t++) started[t] = pthread_create(&ids[t], NULL, run_part, &parts[t]) == 0;
  run_part(&parts[0]);
  int used = 1;
  for (int t = 1; t < threads; t++) {
    if (started[t]) {
      pthread_join(ids[t], NULL);
      used++;
    } else {
      run_part(&parts[t]);
    }
  }
  return used;
}
