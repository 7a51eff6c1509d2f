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

namespace {
// The key in lowest terms with a positive denominator (a decimal, den 1, as it is).
Rational lowestTerms(Rational k) {
  if (k.den == 1 || k.den == 0) return k;
  uint64_t n = k.num < 0 ? uint64_t{0} - static_cast<uint64_t>(k.num) : static_cast<uint64_t>(k.num);
  uint64_t d = k.den < 0 ? uint64_t{0} - static_cast<uint64_t>(k.den) : static_cast<uint64_t>(k.den);
  uint64_t g = std::gcd(n, d);
  if (g > 1) {  // both divisible: |num| / g and den / g fit again, and keep their signs
    k.num /= static_cast<int64_t>(g);
    k.den /= static_cast<int64_t>(g);
  }
  if (k.den < 0 && k.den != INT64_MIN && k.num != INT64_MIN) k = {-k.num, -k.den};
  return k;
}
} // namespace

size_t RankHistogram::home(Rational key) const {
  uint64_t h = static_cast<uint64_t>(key.num) * 0x9E3779B97F4A7C15ull ^ static_cast<uint64_t>(key.den) * 0xC2B2AE3D27D4EB4Full;
  return static_cast<size_t>(h ^ (h >> 29)) & (slots_.size() - 1);
}

void RankHistogram::prefetch(Rational key) const {
  if (!slots_.empty()) __builtin_prefetch(&slots_[home(lowestTerms(key))]);
}

size_t RankHistogram::find(Rational key) const {
  size_t mask = slots_.size() - 1, i = home(key);
  while (slots_[i].value != kEmpty && !(slots_[i].key == key)) i = (i + 1) & mask;
  return i;
}

void RankHistogram::grow() {
  sorted_ = false;
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(std::max<size_t>(64, old.size() * 2), Slot{});
  for (const Slot &s : old)
    if (s.value != kEmpty) slots_[find(s.key)] = s;
}

void RankHistogram::add(Rational key, int64_t count) {
  if ((used_ + 1) * 4 > slots_.size() * 3) grow();  // at most 3/4 full: short probes
  key = lowestTerms(key);
  Slot &s = slots_[find(key)];
  if (s.value == kEmpty) {
    s = Slot{key, 0};
    ++used_;
    sorted_ = false;
  }
  s.value += count;
}

// Every key, even one whose rows were all taken out: its count may still
// change before assignRanks().
void RankHistogram::sortKeys(bool descending) {
  order_.clear();
  order_.reserve(used_);
  for (size_t i = 0; i < slots_.size(); ++i)
    if (slots_[i].value != kEmpty) order_.push_back({slots_[i].key, i});
  // Keys in lowest terms with the same positive denominator (every decimal
  // total has 1) compare by numerator, inline; others by the exact cross product.
  std::sort(order_.begin(), order_.end(), [descending](const Entry &a, const Entry &b) {
    int32_t c = a.key.den == b.key.den && a.key.den > 0 ? (a.key.num > b.key.num) - (a.key.num < b.key.num)
                                                         : compare(a.key, b.key);
    return descending ? c > 0 : c < 0;
  });
  sorted_ = true;
  descending_ = descending;
}

// Keys with a count of 0 (every row taken out again) take no place.
void RankHistogram::assignRanks() {
  if (!sorted_) sortKeys(descending_);
  int64_t before = 0;
  for (const Entry &e : order_) {
    int64_t &value = slots_[e.slot].value;
    int64_t count = value;
    if (count <= 0) continue;
    value = before + 1;
    before += count;
  }
  sorted_ = false;  // the slots hold ranks now
  std::vector<Entry>().swap(order_);
}

int64_t RankHistogram::rank(Rational key) const {
  if (slots_.empty()) return 0;
  const Slot &s = slots_[find(lowestTerms(key))];
  return s.value == kEmpty || s.value < 0 ? 0 : s.value;
}

} // namespace rubric::runtime
