#include "runtime/scoring/Population.h"

#include <algorithm>
#include <numeric>

#include "rubric_decimal.h"

namespace rubric::runtime {

namespace {

// Competition ranks (1, 2, 2, 4); dense ranks (1, 2, 2, 3: 并列不跳号) when `dense`.
void rankIndices(std::vector<size_t> &idx, const std::vector<Rational> &keys, bool descending, bool dense,
                 std::vector<int64_t> &ranks) {
  std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
    return descending ? keys[a] > keys[b] : keys[a] < keys[b];
  });
  for (size_t i = 0; i < idx.size(); ++i) {
    if (i > 0 && keys[idx[i]] == keys[idx[i - 1]]) ranks[idx[i]] = ranks[idx[i - 1]];
    else if (dense) ranks[idx[i]] = i > 0 ? ranks[idx[i - 1]] + 1 : 1;
    else ranks[idx[i]] = static_cast<int64_t>(i) + 1;
  }
}

} // namespace

std::vector<int64_t> competitionRanks(const std::vector<Rational> &keys, const std::vector<uint8_t> &included,
                                      bool descending, bool dense) {
  std::vector<int64_t> ranks(keys.size(), 0);
  std::vector<size_t> idx;
  for (size_t i = 0; i < keys.size(); ++i)
    if (included[i]) idx.push_back(i);
  rankIndices(idx, keys, descending, dense, ranks);
  return ranks;
}

std::vector<int64_t> groupCompetitionRanks(const std::vector<Rational> &keys, const std::vector<uint8_t> &included,
                                           const std::vector<int64_t> &groups, bool descending, bool dense) {
  std::vector<int64_t> ranks(keys.size(), 0);
  std::map<int64_t, std::vector<size_t>> byGroup;
  for (size_t i = 0; i < keys.size(); ++i)
    if (included[i]) byGroup[groups[i]].push_back(i);
  for (auto &[g, idx] : byGroup) rankIndices(idx, keys, descending, dense, ranks);
  return ranks;
}

Rational populationAggregate(PopFunc func, const std::vector<Rational> &keys, const std::vector<uint8_t> &included,
                             int32_t *err) {
  int32_t e = RB_DEC_OK;
  Rational acc;
  int64_t count = 0;
  bool any = false;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (!included[i]) continue;
    Rational k = keys[i];
    switch (func) {
    case PopFunc::Sum:
    case PopFunc::Average: acc.num = rb_rat_add(acc.num, acc.den, k.num, k.den, &acc.den, &e); ++count; break;
    case PopFunc::Max: acc = any ? std::max(acc, k) : k; break;
    case PopFunc::Min: acc = any ? std::min(acc, k) : k; break;
    case PopFunc::Count: count += k.num != 0; break;
    default: break;
    }
    any = true;
  }
  Rational result = acc;
  if (func == PopFunc::Count) result = Rational::of(rb_dec_from_int(count, &e));
  else if (func == PopFunc::Average && count == 0) result = Rational{};
  else if (func == PopFunc::Average)
    result.num = rb_rat_div(acc.num, acc.den, rb_dec_from_int(count, &e), 1, &result.den, &e);
  if (e != RB_DEC_OK) {
    if (err) *err = e;
    return Rational{};
  }
  return result;
}

void RankHistogram::finish(bool descending) {
  // counts_ is ordered ascending by exact value.
  int64_t before = 0;
  auto assign = [&](auto &entry) {
    int64_t count = entry.second;
    entry.second = before + 1;
    before += count;
  };
  if (descending) std::for_each(counts_.rbegin(), counts_.rend(), assign);
  else std::for_each(counts_.begin(), counts_.end(), assign);
}

int64_t RankHistogram::rank(Rational key) const {
  auto it = counts_.find(key);
  return it == counts_.end() ? 0 : it->second;
}

} // namespace rubric::runtime
