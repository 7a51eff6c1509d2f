#include "runtime/scoring/Population.h"

#include <algorithm>
#include <numeric>

#include "rubric_decimal.h"

namespace rubric::runtime {

namespace {

void rankIndices(std::vector<size_t> &idx, const std::vector<int64_t> &keys, bool descending,
                 std::vector<int64_t> &ranks) {
  std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
    return descending ? keys[a] > keys[b] : keys[a] < keys[b];
  });
  for (size_t i = 0; i < idx.size(); ++i) {
    if (i > 0 && keys[idx[i]] == keys[idx[i - 1]]) ranks[idx[i]] = ranks[idx[i - 1]];
    else ranks[idx[i]] = static_cast<int64_t>(i) + 1;
  }
}

} // namespace

std::vector<int64_t> competitionRanks(const std::vector<int64_t> &keys, const std::vector<uint8_t> &included,
                                      bool descending) {
  std::vector<int64_t> ranks(keys.size(), 0);
  std::vector<size_t> idx;
  for (size_t i = 0; i < keys.size(); ++i)
    if (included[i]) idx.push_back(i);
  rankIndices(idx, keys, descending, ranks);
  return ranks;
}

std::vector<int64_t> groupCompetitionRanks(const std::vector<int64_t> &keys, const std::vector<uint8_t> &included,
                                           const std::vector<int64_t> &groups, bool descending) {
  std::vector<int64_t> ranks(keys.size(), 0);
  std::map<int64_t, std::vector<size_t>> byGroup;
  for (size_t i = 0; i < keys.size(); ++i)
    if (included[i]) byGroup[groups[i]].push_back(i);
  for (auto &[g, idx] : byGroup) rankIndices(idx, keys, descending, ranks);
  return ranks;
}

int64_t populationAggregate(PopFunc func, const std::vector<int64_t> &keys, const std::vector<uint8_t> &included,
                            int32_t *err) {
  int32_t e = RB_DEC_OK;
  int64_t acc = 0, count = 0;
  bool any = false;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (!included[i]) continue;
    int64_t k = keys[i];
    switch (func) {
    case PopFunc::Sum:
    case PopFunc::Average: acc = rb_dec_add(acc, k, &e); ++count; break;
    case PopFunc::Max: acc = any ? std::max(acc, k) : k; break;
    case PopFunc::Min: acc = any ? std::min(acc, k) : k; break;
    case PopFunc::Count: count += k != 0; break;
    default: break;
    }
    any = true;
  }
  int64_t result = acc;
  if (func == PopFunc::Count) result = rb_dec_from_int(count, &e);
  else if (func == PopFunc::Average) result = count ? rb_dec_div(acc, rb_dec_from_int(count, &e), &e) : 0;
  if (e != RB_DEC_OK) {
    if (err) *err = e;
    return 0;
  }
  return result;
}

void RankHistogram::finish(bool descending) {
  std::vector<std::pair<int64_t, int64_t>> sorted(counts_.begin(), counts_.end());
  std::sort(sorted.begin(), sorted.end(), [&](const auto &a, const auto &b) {
    return descending ? a.first > b.first : a.first < b.first;
  });
  int64_t before = 0;
  for (auto &[key, count] : sorted) {
    counts_[key] = before + 1;
    before += count;
  }
}

int64_t RankHistogram::rank(int64_t key) const {
  auto it = counts_.find(key);
  return it == counts_.end() ? 0 : it->second;
}

} // namespace rubric::runtime
