// A table of byte strings, each with a payload, in memory the caller bounds
// (IdRegistry's identifiers, UniquenessCheck's 校验 唯一 values).
//
// The strings lie length-prefixed in 1 MiB blocks, filled in turn and never
// moved (no doubling spikes); the entries (payload, where the string is) in
// the order added; and an open-addressing slot table, at most half full, of
// 4-byte entry numbers and 1-byte tags (7 bits of the hash), so that a string
// not in the table finds its empty slot without reading the entries it
// passes: one cache miss, where a node-based map took two or three. A
// matching tag is confirmed by comparing the bytes, so two different strings
// are never taken for one. 16 bytes a string (with an 8-byte payload) plus
// its length + 4.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace rubric::runtime {

// A 64-bit hash of the bytes, 8 at a time: the table's slot is its low bits,
// the tag its top 7 (neighbouring strings — "R1", "R2", … — scatter).
uint64_t textHash(std::string_view s);

template <class Payload>
class TextTable {
 public:
  using HashFn = uint64_t (*)(std::string_view);
  // `hash` is for tests (a constant one makes every string collide).
  explicit TextTable(HashFn hash = textHash) : hash_(hash) {}

  uint64_t hash(std::string_view s) const { return hash_(s); }
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

  // The entry holding `text` (its hash `h`), else -1 with the empty slot where
  // it would go (SIZE_MAX: no slots yet).
  int64_t probe(std::string_view text, uint64_t h, size_t &emptySlot) const {
    size_t mask = slots_.size() - 1;
    uint8_t tag = tagOf(h);
    emptySlot = SIZE_MAX;
    for (size_t i = h & mask; !slots_.empty(); i = (i + 1) & mask) {
      if (tags_[i] == 0) {
        emptySlot = i;
        return -1;
      }
      if (tags_[i] == tag && textOf(entries_[slots_[i] - 1]) == text) return slots_[i] - 1;
    }
    return -1;
  }
  // Room for one more entry: the slots doubled (rehashed) when they would be
  // more than half full. Before probe(), whose empty slot add() takes.
  void makeRoom() {
    if ((entries_.size() + 1) * 2 > slots_.size()) grow();
  }
  // `text` (not in the table: probe() gave its empty slot) with its payload.
  void add(size_t emptySlot, std::string_view text, uint64_t h, const Payload &payload) {
    entries_.push_back({payload, storeText(text)});
    slots_[emptySlot] = static_cast<uint32_t>(entries_.size());
    tags_[emptySlot] = tagOf(h);
  }
  const Payload &payload(int64_t entry) const { return entries_[static_cast<size_t>(entry)].payload; }
  std::string_view text(int64_t entry) const { return textOf(entries_[static_cast<size_t>(entry)]); }

  // What the table holds: its vectors' and text blocks' capacity.
  size_t bytes() const {
    return entries_.capacity() * sizeof(Entry) + slots_.size() * (sizeof(uint32_t) + 1) + textBytes();
  }
  // What the table would hold with one more string of `bytes` bytes: its
  // vectors and text blocks (an estimate: the old vector's memory while one
  // grows is not counted).
  size_t bytesWithOneMore(size_t bytes) const {
    size_t n = entries_.size() + 1;
    size_t entryCap = n <= entries_.capacity() ? entries_.capacity() : std::max<size_t>(n, entries_.capacity() * 2);
    size_t slots = n * 2 > slots_.size() ? std::max<size_t>(kMinSlots, slots_.size() * 2) : slots_.size();
    bool newBlock = text_.empty() || text_.back().size() + sizeof(uint32_t) + bytes > text_.back().capacity();
    size_t text = textBytes() + (newBlock ? std::max(kBlock, sizeof(uint32_t) + bytes) : 0);
    return entryCap * sizeof(Entry) + slots * (sizeof(uint32_t) + 1) + text;
  }

  // A hint that a string of hash `h` is probed soon: its slot is fetched into the cache.
  void prefetch(uint64_t h) const {
    if (slots_.empty()) return;
    size_t i = h & (slots_.size() - 1);
    __builtin_prefetch(&tags_[i]);
    __builtin_prefetch(&slots_[i]);
  }

 private:
  struct Entry {
    Payload payload;
    uint64_t text;  // block << 32 | offset of the string's bytes in text_ (length-prefixed)
  };
  static constexpr size_t kBlock = size_t{1} << 20;
  static constexpr size_t kMinSlots = 1024;
  static uint8_t tagOf(uint64_t h) { return static_cast<uint8_t>(h >> 57) | 0x80; }
  size_t textBytes() const {
    size_t n = 0;
    for (const std::string &b : text_) n += b.capacity();
    return n;
  }

  std::string_view textOf(const Entry &e) const {
    const std::string &block = text_[e.text >> 32];
    size_t at = e.text & 0xFFFFFFFFu;
    uint32_t n = 0;
    std::memcpy(&n, block.data() + at, sizeof n);
    return std::string_view(block).substr(at + sizeof n, n);
  }
  uint64_t storeText(std::string_view s) {
    auto n = static_cast<uint32_t>(s.size());
    size_t need = sizeof n + s.size();
    if (text_.empty() || text_.back().size() + need > text_.back().capacity()) {
      text_.emplace_back();
      text_.back().reserve(std::max(kBlock, need));
    }
    std::string &block = text_.back();
    uint64_t at = (static_cast<uint64_t>(text_.size() - 1) << 32) | block.size();
    block.append(reinterpret_cast<const char *>(&n), sizeof n).append(s);
    return at;
  }
  // (the hashes are made again from the texts)
  void grow() {
    slots_.assign(std::max<size_t>(kMinSlots, slots_.size() * 2), 0);
    tags_.assign(slots_.size(), 0);
    size_t mask = slots_.size() - 1;
    for (size_t k = 0; k < entries_.size(); ++k) {
      uint64_t h = hash_(textOf(entries_[k]));
      size_t i = h & mask;
      while (tags_[i] != 0) i = (i + 1) & mask;
      slots_[i] = static_cast<uint32_t>(k + 1);
      tags_[i] = tagOf(h);
    }
  }

  HashFn hash_;
  std::vector<std::string> text_;
  std::vector<Entry> entries_;   // in the order added
  std::vector<uint32_t> slots_;  // 1 + index into entries_ (where tags_ is not 0)
  std::vector<uint8_t> tags_;    // per slot: 0 = empty, else tagOf(the entry's hash)
};

} // namespace rubric::runtime
