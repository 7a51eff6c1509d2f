// IdRegistry (IdRegistry.h).
#include "runtime/scoring/IdRegistry.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <thread>

#include "runtime/scoring/ExternalSort.h"
#include "runtime/scoring/Text.h"

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

bool seqLess(std::string_view a, std::string_view b) {
  return getField<uint64_t>(a, kSeqAt) < getField<uint64_t>(b, kSeqAt);
}

} // namespace

size_t IdRegistry::budgetFromEnvironment() {
  return runtime::budgetFromEnvironment("RUBRICC_UNIQUE_BUDGET_BYTES", kDefaultBudget);
}

IdRegistry::IdRegistry(std::vector<std::string> files, HashFn hash, size_t budgetBytes)
    : files_(std::move(files)), tableBudget_(budgetBytes / 2), table_(hash ? hash : textHash),
      spillBudget_(budgetBytes / 4), repeats_(std::make_unique<RecordSorter>(budgetBytes / 4, seqLess)) {
  spills_.push_back(std::make_unique<RecordSorter>(spillBudget_, idLess));
}

IdRegistry::~IdRegistry() = default;

std::string IdRegistry::placeText(int32_t source, int64_t row) const {
  auto s = static_cast<size_t>(source);
  return (s < files_.size() ? files_[s] : std::string("?")) + ":" + std::to_string(row);
}

void IdRegistry::prefetch(std::string_view id) const { table_.prefetch(table_.hash(id)); }

void IdRegistry::prefetch(const IdLookup &lookup) const {
  if (!lookup.id.empty()) table_.prefetch(lookup.hash);
}

// A repeat of the entry: false, and where the entry was first seen.
bool IdRegistry::repeatOf(int64_t entry, std::string &firstSeen) const {
  uint64_t where = table_.payload(entry);
  firstSeen = placeText(static_cast<int32_t>(where >> 40), static_cast<int64_t>(where & ((uint64_t{1} << 40) - 1)));
  return false;
}

void IdRegistry::lookUp(std::string_view id, IdLookup &out) const {
  out.entry = -2;
  out.id.assign(id);
  out.hash = table_.hash(id);
  if (!frozen()) return;  // the claiming thread is filling the table
  size_t empty;
  out.entry = table_.probe(id, out.hash, empty);
}

// What claim() below decides, with the probe a worker made (the table has not
// changed since: it was frozen), or with its hash (the table was filling).
bool IdRegistry::claim(std::string_view id, const RecordOrigin &at, std::string &firstSeen, bool scored,
                       const IdLookup &lookup) {
  if (lookup.id != id || id.empty()) return claim(id, at, firstSeen, scored);
  if (lookup.entry == -2) return claimHashed(id, lookup.hash, at, firstSeen, scored);
  if (lookup.entry >= 0) return repeatOf(lookup.entry, firstSeen);
  spill(id, lookup.hash, at, scored);  // not in the frozen table: a repeat of it, if any, is found at the end
  return true;
}

bool IdRegistry::claim(std::string_view id, const RecordOrigin &at, std::string &firstSeen, bool scored) {
  return claimHashed(id, table_.hash(id), at, firstSeen, scored);
}

bool IdRegistry::claimHashed(std::string_view id, uint64_t h, const RecordOrigin &at, std::string &firstSeen,
                             bool scored) {
  if (!frozen_ && table_.bytesWithOneMore(id.size()) > tableBudget_) frozen_.store(true, std::memory_order_release);
  bool frozen = frozen_.load(std::memory_order_relaxed);
  if (!frozen) table_.makeRoom();
  size_t empty;
  int64_t entry = table_.probe(id, h, empty);
  if (entry >= 0) return repeatOf(entry, firstSeen);
  if (!frozen && empty != SIZE_MAX) {
    table_.add(empty, id, h, static_cast<uint64_t>(at.source) << 40 | static_cast<uint64_t>(at.row));
    return true;
  }
  spill(id, h, at, scored);  // not in the frozen table: a repeat of it, if any, is found at the end
  return true;
}

void IdRegistry::spill(std::string_view id, uint64_t hash, const RecordOrigin &at, bool scored) {
  char head[kIdAt];  // (the fields laid out in place: no string built a field at a time)
  uint64_t seq = seq_++;
  auto flag = static_cast<uint8_t>(scored);
  std::memcpy(head + kSeqAt, &seq, sizeof seq);
  std::memcpy(head + kSourceAt, &at.source, sizeof at.source);
  std::memcpy(head + kRowAt, &at.row, sizeof at.row);
  std::memcpy(head + kScoredAt, &flag, sizeof flag);
  std::string_view fields(head, kIdAt);
  auto half = static_cast<uint8_t>(spills_.size() > 1 ? hash >> 32 & 1 : 0);  // (the table's slot uses the low bits)
  spills_[half]->put(fields, id);
}

void IdRegistry::splitSpill() {
  if (seq_ > 0 || spills_.size() > 1) return;  // something spilled already: one sort it stays
  spills_.clear();
  for (int half = 0; half < 2; ++half) spills_.push_back(std::make_unique<RecordSorter>(spillBudget_ / 2, idLess));
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
// One half of the spill (splitSpill; else the whole of it).
bool IdRegistry::findSpilledRepeats(size_t half) {
  std::string first;  // the current group's first record
  std::string repeat;
  return spills_[half]->finish([&](std::string_view r) {
    // (the same size means an identifier of the same length: compared inline, no memcmp call a record)
    if (r.size() != first.size() || !detail::sameBytes(first.data() + kIdAt, r.data() + kIdAt, r.size() - kIdAt)) {
      first.assign(r);
      return;
    }
    repeat.assign(r.substr(0, kIdAt));
    repeat.append(first, kSourceAt, 4 + 8);  // the first occurrence's source and row
    repeat.append(r.substr(kIdAt));
    std::lock_guard<std::mutex> lock(repeatsMutex_);  // (the other half's merge may put one too)
    repeats_->put(repeat);
  });
}

bool IdRegistry::finish(const std::function<void(const Repeat &)> &report) {
  bool ok = true, otherOk = true;
  {
    std::jthread other;  // the second half's merge beside the first
    if (spills_.size() > 1) other = std::jthread([&] { otherOk = findSpilledRepeats(1); });
    ok = findSpilledRepeats(0);
  }
  if (!ok || !otherOk) return false;
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
