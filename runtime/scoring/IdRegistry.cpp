// IdRegistry (IdRegistry.h).
#include "runtime/scoring/IdRegistry.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>

#include "runtime/scoring/ChunkWriter.h"
#include "runtime/scoring/ExternalSort.h"

namespace rubric::runtime {

namespace {

// A spilled identifier: seq u64, source i32, row i64, scored u8, then the
// identifier. Sorted by (identifier, seq). (Not by hash first: identifiers
// often come in order — R1, R2, … — and then the runs are nearly sorted
// already, which a hash order would undo.)
constexpr size_t kSeqAt = 0, kSourceAt = 8, kRowAt = 12, kScoredAt = 20, kIdAt = 21;

// The record's identifier's first 8 bytes as a number in their byte order
// (zeros past its end), so that most comparisons need no call of memcmp. A
// shorter identifier is loaded with the record's bytes before it, shifted out.
uint64_t idPrefix(std::string_view r) {
  size_t n = r.size() - kIdAt;
  if (n == 0) return 0;
  uint64_t w;
  std::memcpy(&w, r.data() + (n >= 8 ? kIdAt : r.size() - 8), 8);
  if constexpr (std::endian::native == std::endian::little) w = __builtin_bswap64(w);
  return n >= 8 ? w : w << (8 * (8 - n));
}

bool idLess(std::string_view a, std::string_view b) {
  uint64_t pa = idPrefix(a), pb = idPrefix(b);
  if (pa != pb) return pa < pb;  // (zeros past an end order a prefix first, as compare() does)
  int c = a.substr(kIdAt).compare(b.substr(kIdAt));
  if (c != 0) return c < 0;
  return getField<uint64_t>(a, kSeqAt) < getField<uint64_t>(b, kSeqAt);
}

// A repeat: the repeating record as spilled (seq, source, row, scored), then
// the first occurrence's source i32 and row i64, then the identifier.
constexpr size_t kFirstSourceAt = kIdAt, kFirstRowAt = kIdAt + 4, kRepeatIdAt = kIdAt + 4 + 8;

constexpr size_t kSpillBatchBytes = size_t{64} << 10;  // spillBehind(): ≈ 1,500 identifiers a hand-over

bool seqLess(std::string_view a, std::string_view b) {
  return getField<uint64_t>(a, kSeqAt) < getField<uint64_t>(b, kSeqAt);
}

} // namespace

size_t IdRegistry::budgetFromEnvironment() {
  return runtime::budgetFromEnvironment("RUBRICC_UNIQUE_BUDGET_BYTES", kDefaultBudget);
}

IdRegistry::IdRegistry(std::vector<std::string> files, HashFn hash, size_t budgetBytes)
    : files_(std::move(files)), hash_(hash ? hash : defaultHash), tableBudget_(budgetBytes / 2),
      spill_(std::make_unique<RecordSorter>(budgetBytes / 4, idLess)),
      repeats_(std::make_unique<RecordSorter>(budgetBytes / 4, seqLess)) {}

IdRegistry::~IdRegistry() = default;

std::string IdRegistry::placeText(int32_t source, int64_t row) const {
  auto s = static_cast<size_t>(source);
  return (s < files_.size() ? files_[s] : std::string("?")) + ":" + std::to_string(row);
}

std::string_view IdRegistry::textOf(const Entry &e) const {
  const std::string &block = text_[e.text >> 32];
  size_t at = e.text & 0xFFFFFFFFu;
  uint32_t n = 0;
  std::memcpy(&n, block.data() + at, sizeof n);
  return std::string_view(block).substr(at + sizeof n, n);
}

uint64_t IdRegistry::storeText(std::string_view id) {
  auto n = static_cast<uint32_t>(id.size());
  size_t need = sizeof n + id.size();
  if (text_.empty() || text_.back().size() + need > text_.back().capacity()) {
    text_.emplace_back();
    text_.back().reserve(std::max(kBlock, need));
  }
  std::string &block = text_.back();
  uint64_t at = (static_cast<uint64_t>(text_.size() - 1) << 32) | block.size();
  block.append(reinterpret_cast<const char *>(&n), sizeof n).append(id);
  return at;
}

// Whether the table stays within its budget with one more identifier of
// `idBytes` bytes: what its vectors and text blocks would then hold
// (an estimate: the old vector's memory while one grows is not counted).
bool IdRegistry::fits(size_t idBytes) const {
  size_t n = entries_.size() + 1;
  size_t entryCap = n <= entries_.capacity() ? entries_.capacity() : std::max<size_t>(n, entries_.capacity() * 2);
  size_t slots = n * 2 > slots_.size() ? std::max<size_t>(1024, slots_.size() * 2) : slots_.size();
  bool newBlock = text_.empty() || text_.back().size() + sizeof(uint32_t) + idBytes > text_.back().capacity();
  size_t textBytes = 0;
  for (const std::string &b : text_) textBytes += b.capacity();
  if (newBlock) textBytes += std::max(kBlock, sizeof(uint32_t) + idBytes);
  return entryCap * sizeof(Entry) + slots * (sizeof(uint32_t) + 1) + textBytes <= tableBudget_;
}

// The last 1–7 bytes of an identifier as one word, without a byte loop (a
// memcpy of n bytes is one, and most identifiers are shorter than 8): two
// overlapping 4-byte loads for 4–7 bytes, the first, middle and last byte for
// 1–3. Given n (in the hash already) the word still tells every byte apart.
static uint64_t tailWord(const char *p, size_t n) {
  if (n >= 4) {
    uint32_t lo, hi;
    std::memcpy(&lo, p, 4);
    std::memcpy(&hi, p + n - 4, 4);
    return lo | static_cast<uint64_t>(hi) << 32;
  }
  auto byte = [&](size_t i) { return static_cast<uint64_t>(static_cast<unsigned char>(p[i])); };
  return byte(0) | byte(n / 2) << 8 | byte(n - 1) << 16;
}

// A 64-bit hash of the identifier's bytes, 8 at a time (the table's slot is
// its low bits, the tag its top 7): a multiply-xorshift per word and a final
// avalanche, so that neighbouring identifiers ("R1", "R2", …) scatter.
uint64_t IdRegistry::defaultHash(std::string_view s) {
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

void IdRegistry::prefetch(std::string_view id) const {
  if (slots_.empty()) return;
  size_t i = hash_(id) & (slots_.size() - 1);
  __builtin_prefetch(&tags_[i]);
  __builtin_prefetch(&slots_[i]);
}

void IdRegistry::prefetch(const IdLookup &lookup) const {
  if (slots_.empty() || lookup.id.empty()) return;
  size_t i = lookup.hash & (slots_.size() - 1);
  __builtin_prefetch(&tags_[i]);
  __builtin_prefetch(&slots_[i]);
}

// The entry holding `id`, else -1 with the empty slot where it would go
// (none: a table not made yet).
int64_t IdRegistry::probe(std::string_view id, uint64_t h, size_t &emptySlot) const {
  size_t mask = slots_.size() - 1;
  uint8_t tag = tagOf(h);
  emptySlot = SIZE_MAX;
  for (size_t i = h & mask; !slots_.empty(); i = (i + 1) & mask) {
    if (tags_[i] == 0) {
      emptySlot = i;
      return -1;
    }
    if (tags_[i] == tag && textOf(entries_[slots_[i] - 1]) == id) return slots_[i] - 1;
  }
  return -1;
}

// A repeat of the entry: false, and where the entry was first seen.
bool IdRegistry::repeatOf(int64_t entry, std::string &firstSeen) const {
  const Entry &e = entries_[static_cast<size_t>(entry)];
  firstSeen = placeText(static_cast<int32_t>(e.where >> 40), static_cast<int64_t>(e.where & ((uint64_t{1} << 40) - 1)));
  return false;
}

void IdRegistry::lookUp(std::string_view id, IdLookup &out) const {
  out.entry = -2;
  out.id.assign(id);
  out.hash = hash_(id);
  if (!frozen()) return;  // the claiming thread is filling the table
  size_t empty;
  out.entry = probe(id, out.hash, empty);
}

// What claim() below decides, with the probe a worker made (the table has not
// changed since: it was frozen), or with its hash (the table was filling).
bool IdRegistry::claim(std::string_view id, const RecordOrigin &at, std::string &firstSeen, bool scored,
                       const IdLookup &lookup) {
  if (lookup.id != id || id.empty()) return claim(id, at, firstSeen, scored);
  if (lookup.entry == -2) return claimHashed(id, lookup.hash, at, firstSeen, scored);
  if (lookup.entry >= 0) return repeatOf(lookup.entry, firstSeen);
  spill(id, at, scored);  // not in the frozen table: a repeat of it, if any, is found at the end
  return true;
}

bool IdRegistry::claim(std::string_view id, const RecordOrigin &at, std::string &firstSeen, bool scored) {
  return claimHashed(id, hash_(id), at, firstSeen, scored);
}

bool IdRegistry::claimHashed(std::string_view id, uint64_t h, const RecordOrigin &at, std::string &firstSeen,
                             bool scored) {
  if (!frozen_ && !fits(id.size())) frozen_.store(true, std::memory_order_release);
  bool frozen = frozen_.load(std::memory_order_relaxed);
  if (!frozen && (entries_.size() + 1) * 2 > slots_.size()) grow();
  size_t empty;
  int64_t entry = probe(id, h, empty);
  if (entry >= 0) return repeatOf(entry, firstSeen);
  if (!frozen && empty != SIZE_MAX) {
    uint64_t text = storeText(id);
    entries_.push_back({static_cast<uint64_t>(at.source) << 40 | static_cast<uint64_t>(at.row), text});
    slots_[empty] = static_cast<uint32_t>(entries_.size());
    tags_[empty] = tagOf(h);
    return true;
  }
  spill(id, at, scored);  // not in the frozen table: a repeat of it, if any, is found at the end
  return true;
}

void IdRegistry::grow() {
  slots_.assign(std::max<size_t>(1024, slots_.size() * 2), 0);
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

void IdRegistry::spill(std::string_view id, const RecordOrigin &at, bool scored) {
  char head[kIdAt];  // (the fields laid out in place: no string built a field at a time)
  uint64_t seq = seq_++;
  auto flag = static_cast<uint8_t>(scored);
  std::memcpy(head + kSeqAt, &seq, sizeof seq);
  std::memcpy(head + kSourceAt, &at.source, sizeof at.source);
  std::memcpy(head + kRowAt, &at.row, sizeof at.row);
  std::memcpy(head + kScoredAt, &flag, sizeof flag);
  std::string_view fields(head, kIdAt);
  if (!spiller_) return spill_->put(fields, id);
  putField<uint32_t>(spillBatch_, static_cast<uint32_t>(kIdAt + id.size()));
  spillBatch_.append(fields).append(id);
  if (spillBatch_.size() >= kSpillBatchBytes) spiller_->put(spillBatch_);
}

void IdRegistry::spillBehind() {
  if (!spiller_) spiller_ = std::make_unique<ChunkWriter>([this](const std::string &batch) { putSpilled(batch); }, true);
}

// On the spiller's thread: a batch's records into the sort, in order.
void IdRegistry::putSpilled(const std::string &batch) {
  for (size_t at = 0; at + sizeof(uint32_t) <= batch.size();) {
    auto n = getField<uint32_t>(batch, at);
    spill_->put(std::string_view(batch).substr(at + sizeof n, n));
    at += sizeof n + n;
  }
}

// Every spilled record put: from here on the sort is this thread's again.
void IdRegistry::finishSpillBehind() {
  if (!spiller_) return;
  if (!spillBatch_.empty()) spiller_->put(spillBatch_);
  spiller_.reset();  // waits for the last batch
}

void IdRegistry::noteHeader(int32_t source, const std::string &header) {
  auto s = static_cast<size_t>(source);
  if (s >= headers_.size()) headers_.resize(s + 1);
  headers_[s] = header;
}

bool IdRegistry::knowsHeader(int32_t source) const {
  auto s = static_cast<size_t>(source);
  return s < headers_.size() && !headers_[s].empty();
}

// The spill sorted by (identifier, seq): each group's first record is the
// first occurrence, the others repeat it.
bool IdRegistry::findSpilledRepeats() {
  std::string first;  // the current group's first record
  return spill_->finish([&](std::string_view r) {
    if (first.empty() || std::string_view(first).substr(kIdAt) != r.substr(kIdAt)) {
      first.assign(r);
      return;
    }
    std::string &x = record_;
    x.assign(r.substr(0, kIdAt));
    x.append(first, kSourceAt, 4 + 8);  // the first occurrence's source and row
    x.append(r.substr(kIdAt));
    repeats_->put(x);
  });
}

bool IdRegistry::finish(const std::function<void(const Repeat &)> &report) {
  finishSpillBehind();
  if (!findSpilledRepeats()) return false;
  return repeats_->finish([&](std::string_view r) {
    auto source = getField<int32_t>(r, kSourceAt);
    auto s = static_cast<size_t>(source);
    report(Repeat{r.substr(kRepeatIdAt), RecordOrigin{source, getField<int64_t>(r, kRowAt)},
                  getField<uint8_t>(r, kScoredAt) != 0,
                  placeText(getField<int32_t>(r, kFirstSourceAt), getField<int64_t>(r, kFirstRowAt)),
                  s < headers_.size() ? headers_[s] : std::string()});
  });
}

} // namespace rubric::runtime
