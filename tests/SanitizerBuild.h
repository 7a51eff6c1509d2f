// RUBRIC_UNDER_ASAN: defined in an AddressSanitizer build (RUBRICC_SANITIZE=ON),
// where timings and peak RSS say more about the sanitizer than about us, so
// tests that measure them relax their limits. gcc defines __SANITIZE_ADDRESS__;
// clang answers __has_feature.
#pragma once

#if defined(__SANITIZE_ADDRESS__)
#define RUBRIC_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RUBRIC_UNDER_ASAN 1
#endif
#endif
