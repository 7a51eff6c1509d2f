// The population pass: functions over all (non-vetoed) records of a run.
// Exact: keys and results are int64 (rb_dec raw or plain integers).
#pragma once

#include <cstdint>
#include <map>
#include <unordered_map>
#include <vector>

#include "runtime/scoring/Program.h"

namespace rubric::runtime {

// Standard competition ranks (1, 2, 2, 4) of keys[i] among the records with
// included[i] != 0 — the highest key is 1st when `descending`. Records not
// included get rank 0 ("none"). Ranks are plain integers.
std::vector<int64_t> competitionRanks(const std::vector<int64_t> &keys, const std::vector<uint8_t> &included,
                                      bool descending);

// The same within each group (records with equal groups[i]).
std::vector<int64_t> groupCompetitionRanks(const std::vector<int64_t> &keys, const std::vector<uint8_t> &included,
                                           const std::vector<int64_t> &groups, bool descending);

// Sum / Average / Max / Min / Count of keys over included records, as rb_dec
// raw. Count counts the included records whose key is not 0. Average is
// sum ÷ count (rb_dec_div, 6 decimals); an empty population gives 0. On
// overflow stores RB_DEC_ERR_OVERFLOW in *err (and returns 0).
int64_t populationAggregate(PopFunc func, const std::vector<int64_t> &keys, const std::vector<uint8_t> &included,
                            int32_t *err);

// Ranks from a histogram of keys (key → count), for streaming: memory is
// the number of distinct keys, not of records.
class RankHistogram {
 public:
  void add(int64_t key) { ++counts_[key]; }
  void add(int64_t key, int64_t count) { counts_[key] += count; }
  // Turns counts into competition ranks (highest key = 1 when descending).
  void finish(bool descending = true);
  // Rank of a key that was added (after finish()).
  int64_t rank(int64_t key) const;
  size_t distinctKeys() const { return counts_.size(); }

 private:
  std::unordered_map<int64_t, int64_t> counts_;  // key → count, then (after finish) key → rank
};

} // namespace rubric::runtime
