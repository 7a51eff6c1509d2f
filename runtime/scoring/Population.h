// The population pass: functions over all (non-vetoed) records of a run.
// Exact: keys are exact values (Rational: a decimal slot is {raw, 1}, a
// rational slot num/den), compared exactly; ranks are plain integers.
#pragma once

#include <cstdint>
#include <map>
#include <unordered_map>
#include <vector>

#include "decimal.hpp"
#include "runtime/scoring/Program.h"

namespace rubric::runtime {

// Standard competition ranks (1, 2, 2, 4) of keys[i] among the records with
// included[i] != 0 — the highest key is 1st when `descending`. Records not
// included get rank 0 ("none"). Ranks are plain integers. `dense`: dense ranks
// instead (1, 2, 2, 3: 并列不跳号, the next rank follows the tied one).
std::vector<int64_t> competitionRanks(const std::vector<Rational> &keys, const std::vector<uint8_t> &included,
                                      bool descending, bool dense = false);

// The same within each group (records with equal groups[i]).
std::vector<int64_t> groupCompetitionRanks(const std::vector<Rational> &keys, const std::vector<uint8_t> &included,
                                           const std::vector<int64_t> &groups, bool descending, bool dense = false);

// Sum / Average / Max / Min / Count of keys over included records, exactly.
// Count counts the included records whose key is not 0. Average is the exact
// sum ÷ count; an empty population gives 0. On overflow stores
// RB_DEC_ERR_OVERFLOW in *err (and returns 0).
Rational populationAggregate(PopFunc func, const std::vector<Rational> &keys, const std::vector<uint8_t> &included,
                            int32_t *err);

// Ranks from a histogram of keys (key → count), for streaming: memory is
// the number of distinct keys, not of records. Keys are kept in lowest terms
// (so one value has one representation) in an open-addressing table: one
// cache line a row instead of a walk down a tree.
class RankHistogram {
 public:
  void add(Rational key) { add(key, 1); }
  void add(Rational key, int64_t count);  // a negative count takes rows out again
  // Turns counts into competition ranks (highest key = 1 when descending).
  void finish(bool descending = true) {
    sortKeys(descending);
    assignRanks();
  }
  // finish() in two steps, so that the sort can run on another thread while
  // this one does other work (ResultOutput::whileSortingRanks). Counts may
  // change in between; assignRanks() sorts again only if a key was added.
  void sortKeys(bool descending = true);
  void assignRanks();
  // A hint that `key` is added or looked up soon: its slot is fetched into
  // the cache (with many distinct totals the table outgrows it).
  void prefetch(Rational key) const;
  // Rank of a key that was added (after finish()); 0 for any other.
  int64_t rank(Rational key) const;
  size_t distinctKeys() const { return used_; }

 private:
  static constexpr int64_t kEmpty = INT64_MIN;
  struct Slot {
    Rational key;
    int64_t value = kEmpty;  // the count, after finish() the rank; kEmpty: no key
  };
  size_t home(Rational key) const;  // the slot a key (in lowest terms) is looked for from
  size_t find(Rational key) const;  // the key's slot, or the empty slot where it would go
  void grow();
  std::vector<Slot> slots_;
  size_t used_ = 0;
  struct Entry {  // the key beside its slot's index: the sort reads no slot
    Rational key;
    size_t slot;
  };
  std::vector<Entry> order_;  // sortKeys(): every key, in rank order
  bool sorted_ = false;       // order_ holds every key, at their slots (no key added, no grow() since)
  bool descending_ = true;
};

} // namespace rubric::runtime
