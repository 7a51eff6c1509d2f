// A set of byte strings, each remembered with the line it was first seen on:
// the bytes in one arena, an open-addressing table of entry numbers tagged with
// 32 bits of the hash. About 40 bytes per value (a 24-byte entry, 8–16 bytes of
// table) plus the value itself.
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
    auto tag = static_cast<uint32_t>(hash(s) >> 32);
    if ((entries_.size() + 1) * 2 > table_.size()) grow();
    size_t mask = table_.size() - 1;
    for (size_t i = tag & mask;; i = (i + 1) & mask) {
      uint64_t slot = table_[i];
      if (slot == 0) {
        entries_.push_back({arena_.size(), line, static_cast<uint32_t>(s.size())});
        arena_.insert(arena_.end(), s.begin(), s.end());
        table_[i] = (uint64_t{tag} << 32) | entries_.size();
        return line;
      }
      if (static_cast<uint32_t>(slot >> 32) != tag) continue;  // most misses end here, without the entry
      const Entry &e = entries_[static_cast<uint32_t>(slot) - 1];
      if (e.size == s.size() && std::memcmp(arena_.data() + e.offset, s.data(), s.size()) == 0) return e.line;
    }
  }

private:
  struct Entry {
    uint64_t offset;
    int64_t line;
    uint32_t size;
  };

  static uint64_t hash(std::string_view s) {  // FNV-1a, then a final mix (the tag is the high half)
    uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ULL;
    return h ^ (h >> 32);
  }

  void grow() {  // the tags in the slots say where each goes: no entry is read
    std::vector<uint64_t> bigger(table_.size() * 2, 0);
    size_t mask = bigger.size() - 1;
    for (uint64_t slot : table_) {
      if (slot == 0) continue;
      size_t i = (slot >> 32) & mask;
      while (bigger[i] != 0) i = (i + 1) & mask;
      bigger[i] = slot;
    }
    table_.swap(bigger);
  }

  std::vector<uint64_t> table_;  // (32-bit hash tag << 32) | entry number + 1; 0 = empty
  std::vector<Entry> entries_;
  std::vector<char> arena_;
};

} // namespace baseline
