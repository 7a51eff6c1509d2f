// The records contract: each identifier (the 标识 field) is scored once
// across all input files — in memory bounded by a budget, exactly.
//
// Identifiers are kept in a table (TextTable.h: exact, 16 bytes a record plus
// the identifier's length + 4) with where each was seen, until it would pass
// half the budget. A repeat of an identifier in the table is refused at once,
// as its row is read.
//
// When the table is full it is frozen (still searched: the first occurrence
// of every identifier in it is in it, as nothing was spilled before) and every
// other identifier is appended to an external sort (ExternalSort.h) by
// (identifier, order read). At the end of the read each group's first record
// is the first occurrence and the rest are its repeats, reported in the order
// they were read: their rows were scored in the meantime, so the caller drops
// them before population functions, awards and the output see them.
#pragma once

#include <cstddef>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/scoring/Columns.h"
#include "runtime/scoring/TextTable.h"

namespace rubric::runtime {

class RecordSorter;

// IdRegistry::lookUp's answer for one identifier, made ahead of its claim.
struct IdLookup {
  std::string id;      // what was looked up (claim() uses the lookup only for the same id)
  int64_t entry = -2;  // -2: none made (the table was still filling); -1: not in the frozen table; else its entry
  uint64_t hash = 0;   // the id's hash, made on the worker either way (for the claim's probe and prefetch)
};

class IdRegistry {
 public:
  using HashFn = uint64_t (*)(std::string_view);
  // 8 MiB: at 5M rows with text the run's peak is 51 MiB instead of 62.4 MiB with 16 MiB, no slower
  // (the table stays in the caches longer; the rest goes through the sequential external sort).
  static constexpr size_t kDefaultBudget = size_t{8} << 20;
  // RUBRICC_UNIQUE_BUDGET_BYTES when set to a positive number (for tests; the
  // same knob as 校验 唯一's), else kDefaultBudget.
  static size_t budgetFromEnvironment();

  // `hash` is for tests (a constant one makes every identifier collide; null: the default).
  explicit IdRegistry(std::vector<std::string> files, HashFn hash = textHash, size_t budgetBytes = kDefaultBudget);
  ~IdRegistry();
  IdRegistry(const IdRegistry &) = delete;
  IdRegistry &operator=(const IdRegistry &) = delete;

  // Records `id` as seen at `at`. Returns false, and where it was first seen
  // ("file:row"), when it is known at once to repeat an identifier seen
  // before. Once frozen(), a repeat of an identifier not in the table is found
  // only by finish(). `scored`: the row goes on to be scored (false: it is
  // rejected for another reason, yet its identifier counts as seen).
  bool claim(std::string_view id, const RecordOrigin &at, std::string &firstSeen, bool scored = true);
  // A hint that `id` is claimed soon: its slot is fetched into the cache
  // (the table is larger than the cache; the row's other cells are parsed meanwhile).
  void prefetch(std::string_view id) const;
  // The same for a lookUp() made ahead (its hash; no hashing here).
  void prefetch(const IdLookup &lookup) const;

  // The table is full: later rows may turn out to be repeats at the end.
  bool frozen() const { return frozen_.load(std::memory_order_acquire); }

  // Once frozen() the table never changes, so any thread may look an
  // identifier up in it ahead of its claim (the cache misses of the probe off
  // the committing thread). A lookup made before the table froze holds only
  // the id and its hash (the claim probes with it; the table is not read here).
  void lookUp(std::string_view id, IdLookup &out) const;
  // claim() with a lookUp() made for it (used when it is for `id`; else looked up again).
  bool claim(std::string_view id, const RecordOrigin &at, std::string &firstSeen, bool scored, const IdLookup &lookup);
  // --threads > 1: the spill of the identifiers not in the frozen table is split in two by
  // their hash, and finish() merges the halves on two threads (the merge was ≈ 25 ms at the
  // end of a 1M-row read, the other core idle): an identifier and its repeats are in the
  // same half. Before the first claim.
  void splitSpill();
  // The identifier column's header in input file `source`, for finish()'s messages.
  void noteHeader(int32_t source, const std::string &header);
  bool knowsHeader(int32_t source) const;

  struct Repeat {
    std::string_view id;
    RecordOrigin again;     // the repeating row
    bool scored;            // claim()'s `scored` for it
    std::string firstSeen;  // "file:row" of the first occurrence
    std::string header;     // the identifier column in the repeating row's file
  };
  // After the last claim(): every repeat not refused at once, in the order
  // read. False when a temporary file failed (the report is incomplete).
  bool finish(const std::function<void(const Repeat &)> &report);

 private:
  std::string placeText(int32_t source, int64_t row) const;
  void spill(std::string_view id, uint64_t hash, const RecordOrigin &at, bool scored);
  bool findSpilledRepeats(size_t half);
  bool claimHashed(std::string_view id, uint64_t hash, const RecordOrigin &at, std::string &firstSeen, bool scored);
  bool repeatOf(int64_t entry, std::string &firstSeen) const;

  std::vector<std::string> files_;
  size_t tableBudget_;
  std::atomic<bool> frozen_{false};  // set by the claiming thread; read by lookUp's threads
  uint64_t seq_ = 0;
  // The identifiers seen while the table filled, each with where it was seen (source << 40 | row).
  TextTable<uint64_t> table_;
  std::vector<std::string> headers_;          // per input file
  size_t spillBudget_;
  // Identifiers not in the frozen table, by (id, seq): one sort, or two halves by hash (splitSpill).
  std::vector<std::unique_ptr<RecordSorter>> spills_;
  std::unique_ptr<RecordSorter> repeats_;     // repeats found in the spill, by seq
  std::mutex repeatsMutex_;                   // finish(): the two halves' merges put repeats
};

} // namespace rubric::runtime
