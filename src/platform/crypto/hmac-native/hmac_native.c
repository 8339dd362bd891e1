/*
 * N-API glue of the batch HMAC (see ../hmac-batch.ts for the JavaScript side and the fallback).
 *
 *   hmac(key, data, offsets | null, width, flags, threads[, out]) → Buffer, or out itself  (calling thread)
 *   hmacAsync(key, data, offsets | null, width, flags, threads)   → Promise<Buffer> (libuv pool; inputs copied)
 *   abi, shaNi, openssl                                                  (what was loaded)
 *
 * OpenSSL is the one Node itself links (its symbols are resolved from the node binary).
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "hmac_core.h"

/* Bumped when the JavaScript contract changes: the loader refuses a stale build. */
#define HDH_HMAC_ABI 2

#define CHECK(env, call)                                                                                           \
  do {                                                                                                             \
    if ((call) != napi_ok) {                                                                                       \
      throw_last(env);                                                                                             \
      return NULL;                                                                                                 \
    }                                                                                                              \
  } while (0)

static void throw_last(napi_env env) {
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (pending) return;
  const napi_extended_error_info *info = NULL;
  napi_get_last_error_info(env, &info);
  napi_throw_error(env, "ERR_HDH_HMAC_NAPI", info && info->error_message ? info->error_message : "N-API call failed");
}

static napi_value fail(napi_env env, const char *message) {
  napi_throw_type_error(env, "ERR_HDH_HMAC_ARGS", message);
  return NULL;
}

/* A Uint8Array (Buffer included) as pointer and length; 0 when the value is not one. */
static int get_bytes(napi_env env, napi_value value, const uint8_t **data, size_t *len) {
  bool is_typed = false;
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed) return 0;
  napi_typedarray_type type;
  void *ptr = NULL;
  if (napi_get_typedarray_info(env, value, &type, len, &ptr, NULL, NULL) != napi_ok) return 0;
  if (type != napi_uint8_array && type != napi_uint8_clamped_array) return 0;
  *data = ptr;
  return 1;
}

typedef struct {
  const uint8_t *key;
  size_t key_len;
  hdh_values values;
  size_t offsets_len; /* entries in offsets, n + 1 */
  size_t data_len;
  int flags;
  int threads;
} request;

/* Parses and checks the arguments so that no value can point outside data. */
static napi_value parse(napi_env env, napi_callback_info info, request *r) {
  size_t argc = 6;
  napi_value argv[6];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 6) return fail(env, "hmac(key, data, offsets, width, flags, threads) takes six arguments");
  size_t data_len = 0;
  if (!get_bytes(env, argv[0], &r->key, &r->key_len)) return fail(env, "key must be a Uint8Array");
  if (!get_bytes(env, argv[1], &r->values.data, &data_len)) return fail(env, "data must be a Uint8Array");
  uint32_t width = 0, flags = 0, threads = 1;
  CHECK(env, napi_get_value_uint32(env, argv[3], &width));
  CHECK(env, napi_get_value_uint32(env, argv[4], &flags));
  CHECK(env, napi_get_value_uint32(env, argv[5], &threads));
  r->flags = (int)(flags & (HDH_OUT_HEX | HDH_CORE_OPENSSL));
  r->threads = threads < 1 ? 1 : (int)threads;
  r->data_len = data_len;
  r->values.offsets = NULL;
  r->values.width = width;
  r->offsets_len = 0;
  napi_valuetype kind;
  CHECK(env, napi_typeof(env, argv[2], &kind));
  if (kind == napi_null || kind == napi_undefined) {
    if (width == 0) return fail(env, "without offsets, width must be at least 1");
    if (data_len % width) return fail(env, "data length is not a multiple of width");
    r->values.n = data_len / width;
    return argv[0];
  }
  bool is_typed = false;
  napi_typedarray_type type;
  size_t count = 0;
  void *ptr = NULL;
  CHECK(env, napi_is_typedarray(env, argv[2], &is_typed));
  if (!is_typed) return fail(env, "offsets must be a Uint32Array or null");
  CHECK(env, napi_get_typedarray_info(env, argv[2], &type, &count, &ptr, NULL, NULL));
  if (type != napi_uint32_array || count < 1) return fail(env, "offsets must be a Uint32Array of n + 1 entries");
  const uint32_t *offsets = ptr;
  for (size_t i = 0; i + 1 < count; i++)
    if (offsets[i] > offsets[i + 1]) return fail(env, "offsets must not decrease");
  if (offsets[count - 1] > data_len) return fail(env, "offsets point past the end of data");
  r->values.offsets = offsets;
  r->offsets_len = count;
  r->values.n = count - 1;
  return argv[0];
}

static size_t out_size(const request *r) { return r->values.n * ((r->flags & HDH_OUT_HEX) ? 64 : 32); }

static napi_value hmac_sync(napi_env env, napi_callback_info info) {
  request r;
  if (!parse(env, info, &r)) return NULL;
  size_t argc = 7;
  napi_value argv[7];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  napi_value result;
  void *out = NULL;
  napi_valuetype kind = napi_undefined;
  if (argc >= 7) CHECK(env, napi_typeof(env, argv[6], &kind));
  if (kind != napi_undefined && kind != napi_null) {
    /* A caller's buffer, reused across chunks: no fresh pages to fault in for every batch. */
    const uint8_t *given = NULL;
    size_t given_len = 0;
    if (!get_bytes(env, argv[6], &given, &given_len)) return fail(env, "out must be a Uint8Array");
    if (given_len < out_size(&r)) return fail(env, "out is too small for the batch");
    if (given < r.values.data + r.data_len && r.values.data < given + given_len) return fail(env, "out must not overlap data");
    out = (void *)given;
    result = argv[6];
  } else {
    CHECK(env, napi_create_buffer(env, out_size(&r), &out, &result));
  }
  hdh_hmac_key key;
  hdh_hmac_key_init(&key, r.key, r.key_len);
  hdh_hmac_batch(&key, &r.values, out, r.flags, r.threads);
  hdh_hmac_key_clear(&key);
  return result;
}

/* The async job owns copies of its inputs: the caller may reuse or transfer its buffers meanwhile. */
typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  hdh_hmac_key key;
  hdh_values values;
  uint8_t *data;
  uint32_t *offsets;
  uint8_t *out;
  size_t out_len;
  int flags, threads;
} job;

static void job_free(job *j) {
  hdh_hmac_key_clear(&j->key);
  free(j->data);
  free(j->offsets);
  free(j->out);
  free(j);
}

static void job_execute(napi_env env, void *data) {
  (void)env;
  job *j = data;
  hdh_hmac_batch(&j->key, &j->values, j->out, j->flags, j->threads);
}

static void free_external(napi_env env, void *data, void *hint) {
  (void)env, (void)hint;
  free(data);
}

static void job_complete(napi_env env, napi_status status, void *data) {
  job *j = data;
  napi_value result = NULL;
  if (status == napi_ok) {
    napi_status made = napi_create_external_buffer(env, j->out_len, j->out, free_external, NULL, &result);
    if (made == napi_ok) {
      j->out = NULL; /* now owned by the Buffer */
    } else {
      void *copy = NULL;
      if (napi_create_buffer_copy(env, j->out_len, j->out, &copy, &result) != napi_ok) result = NULL;
    }
  }
  if (result) {
    napi_resolve_deferred(env, j->deferred, result);
  } else {
    napi_value message, error;
    napi_create_string_utf8(env, "batch HMAC failed", NAPI_AUTO_LENGTH, &message);
    napi_create_error(env, NULL, message, &error);
    napi_reject_deferred(env, j->deferred, error);
  }
  napi_delete_async_work(env, j->work);
  job_free(j);
}

static napi_value hmac_async(napi_env env, napi_callback_info info) {
  request r;
  if (!parse(env, info, &r)) return NULL;
  job *j = calloc(1, sizeof *j);
  if (!j) return fail(env, "out of memory");
  size_t data_len = r.values.offsets ? r.values.offsets[r.offsets_len - 1] : r.values.n * r.values.width;
  j->data = malloc(data_len ? data_len : 1);
  j->offsets = r.values.offsets ? malloc(r.offsets_len * sizeof(uint32_t)) : NULL;
  j->out_len = out_size(&r);
  j->out = malloc(j->out_len ? j->out_len : 1);
  if (!j->data || !j->out || (r.values.offsets && !j->offsets)) {
    job_free(j);
    napi_throw_range_error(env, "ERR_HDH_HMAC_MEMORY", "not enough memory for the batch");
    return NULL;
  }
  if (data_len) memcpy(j->data, r.values.data, data_len);
  if (r.values.offsets) memcpy(j->offsets, r.values.offsets, r.offsets_len * sizeof(uint32_t));
  j->values = (hdh_values){j->data, j->offsets, r.values.width, r.values.n};
  hdh_hmac_key_init(&j->key, r.key, r.key_len);
  j->flags = r.flags;
  j->threads = r.threads;
  napi_value promise, name;
  if (napi_create_promise(env, &j->deferred, &promise) != napi_ok ||
      napi_create_string_utf8(env, "hdh:hmac", NAPI_AUTO_LENGTH, &name) != napi_ok ||
      napi_create_async_work(env, NULL, name, job_execute, job_complete, j, &j->work) != napi_ok ||
      napi_queue_async_work(env, j->work) != napi_ok) {
    job_free(j);
    throw_last(env);
    return NULL;
  }
  return promise;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn, value;
  CHECK(env, napi_create_function(env, "hmac", NAPI_AUTO_LENGTH, hmac_sync, NULL, &fn));
  CHECK(env, napi_set_named_property(env, exports, "hmac", fn));
  CHECK(env, napi_create_function(env, "hmacAsync", NAPI_AUTO_LENGTH, hmac_async, NULL, &fn));
  CHECK(env, napi_set_named_property(env, exports, "hmacAsync", fn));
  CHECK(env, napi_create_uint32(env, HDH_HMAC_ABI, &value));
  CHECK(env, napi_set_named_property(env, exports, "abi", value));
  CHECK(env, napi_get_boolean(env, hdh_hmac_has_shani(), &value));
  CHECK(env, napi_set_named_property(env, exports, "shaNi", value));
  CHECK(env, napi_create_string_utf8(env, OpenSSL_version(OPENSSL_VERSION), NAPI_AUTO_LENGTH, &value));
  CHECK(env, napi_set_named_property(env, exports, "openssl", value));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
