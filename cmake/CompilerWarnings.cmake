# INTERFACE target carrying the project's warning and sanitizer flags, so they
# apply to our own targets only and never leak into a consumer's build.
add_library(uploader_warnings INTERFACE)
target_compile_options(uploader_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
  $<$<BOOL:${SENTRY_SOURCEMAPS_WERROR}>:-Werror>
  # GCC 12 at -O3 warns about std::string's own inlined copies ("may overlap
  # up to 9223372036854775813 bytes"), a known false positive (GCC PR 105329).
  $<$<AND:$<CXX_COMPILER_ID:GNU>,$<VERSION_LESS:$<CXX_COMPILER_VERSION>,13>>:-Wno-restrict>)
if(SENTRY_SOURCEMAPS_SANITIZE)
  set(_sanitize_flags -fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  target_compile_options(uploader_warnings INTERFACE ${_sanitize_flags})
  target_link_options(uploader_warnings INTERFACE ${_sanitize_flags})
endif()
if(SENTRY_SOURCEMAPS_FUZZ)
  # Coverage instrumentation for libFuzzer in the library; the fuzz targets
  # add the fuzzer runtime (-fsanitize=fuzzer) themselves.
  set(_fuzz_flags -fsanitize=address,undefined -fno-omit-frame-pointer
                  -fno-sanitize-recover=undefined)
  target_compile_options(uploader_warnings INTERFACE
    ${_fuzz_flags} -fsanitize=fuzzer-no-link)
  target_link_options(uploader_warnings INTERFACE ${_fuzz_flags})
endif()
