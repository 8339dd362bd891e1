{
  # Batch HMAC-SHA-256 addon (see hmac_native.c). Built by scripts/build-native.mjs during npm ci;
  # no library is linked: OpenSSL's symbols come from the node binary that loads the addon.
  "targets": [
    {
      "target_name": "hmac_native",
      "sources": ["hmac_native.c", "hmac_core.c", "sha256_ni.c"],
      "cflags": ["-O3", "-std=gnu11", "-Wall", "-Wextra", "-fvisibility=hidden"],
      "cflags!": ["-O2"],
      "xcode_settings": { "OTHER_CFLAGS": ["-O3", "-std=gnu11"] }
    }
  ]
}
