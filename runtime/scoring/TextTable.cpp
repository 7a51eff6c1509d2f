// textHash (TextTable.h).
#include "runtime/scoring/TextTable.h"

namespace rubric::runtime {

namespace {

// The last 1–7 bytes of a string as one word, without a byte loop (a
// memcpy of n bytes is one, and most identifiers and values are shorter than 8): two
// overlapping 4-byte loads for 4–7 bytes, the first, middle and last byte for
// 1–3. Given n (in the hash already) the word still tells every byte apart.
uint64_t tailWord(const char *p, size_t n) {
  if (n >= 4) {
    uint32_t lo, hi;
    std::memcpy(&lo, p, 4);
    std::memcpy(&hi, p + n - 4, 4);
    return lo | static_cast<uint64_t>(hi) << 32;
  }
  auto byte = [&](size_t i) { return static_cast<uint64_t>(static_cast<unsigned char>(p[i])); };
  return byte(0) | byte(n / 2) << 8 | byte(n - 1) << 16;
}

} // namespace

// A multiply-xorshift per word and a final avalanche.
uint64_t textHash(std::string_view s) {
  constexpr uint64_t kMul = 0x9E3779B97F4A7C15u;
  uint64_t h = kMul ^ s.size();
  const char *p = s.data();
  size_t n = s.size();
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * kMul;
    h ^= h >> 29;
  }
  if (n > 0) h = (h ^ tailWord(p, n)) * kMul;
  h ^= h >> 32;
  h *= 0xD6E8FEB86659FD93u;
  return h ^ (h >> 32);
}

} // namespace rubric::runtime
