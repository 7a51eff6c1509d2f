// A set of byte strings, each remembered with the line it was first seen on:
// the bytes in one arena, an open-addressing table of 32-bit entry numbers.
// About 40 bytes per value (a 32-byte entry, 4–8 bytes of table) plus the value itself.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace baseline {

class StringSet {
public:
  StringSet() : table_(1024, 0) {}

  // The line `s` was first seen on, after remembering it with `line` if it is new.
  int64_t insert(std::string_view s, int64_t line) {
    uint64_t h = hash(s);
    if ((entries_.size() + 1) * 2 > table_.size()) grow();
    size_t mask = table_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      uint32_t slot = table_[i];
      if (slot == 0) {
        entries_.push_back({h, arena_.size(), static_cast<uint32_t>(s.size()), line});
        arena_.insert(arena_.end(), s.begin(), s.end());
        table_[i] = static_cast<uint32_t>(entries_.size());
        return line;
      }
      const Entry &e = entries_[slot - 1];
      if (e.hash == h && e.size == s.size() && std::memcmp(arena_.data() + e.offset, s.data(), s.size()) == 0)
        return e.line;
    }
  }

private:
  struct Entry {
    uint64_t hash;
    uint64_t offset;
    uint32_t size;
    int64_t line;
  };

  static uint64_t hash(std::string_view s) {  // FNV-1a, then a final mix for the low bits
    uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ULL;
    return h ^ (h >> 32);
  }

  void grow() {
    std::vector<uint32_t> bigger(table_.size() * 2, 0);
    size_t mask = bigger.size() - 1;
    for (size_t k = 0; k < entries_.size(); ++k) {
      size_t i = entries_[k].hash & mask;
      while (bigger[i] != 0) i = (i + 1) & mask;
      bigger[i] = static_cast<uint32_t>(k + 1);
    }
    table_.swap(bigger);
  }

  std::vector<uint32_t> table_;
  std::vector<Entry> entries_;
  std::vector<char> arena_;
};

} // namespace baseline
