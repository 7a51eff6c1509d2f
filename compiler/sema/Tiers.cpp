#include "sema/Tiers.h"

#include <algorithm>
#include <limits>

namespace rubric::sema {
namespace {

constexpr int64_t kOne = 1000000; // RB_DEC_ONE
constexpr int64_t kNegInf = std::numeric_limits<int64_t>::min();
constexpr int64_t kPosInf = std::numeric_limits<int64_t>::max();

// A point on the line with an infinitesimal offset: (v, -1) is "just below v",
// (v, +1) "just above v". Intervals become closed ranges of such points.
struct Pt {
  int64_t v;
  int eps;
  bool operator<(const Pt &o) const { return v != o.v ? v < o.v : eps < o.eps; }
  bool operator<=(const Pt &o) const { return !(o < *this); }
};

// Whole numbers as rb_dec raw, computed in 128 bits and saturated, so bounds at
// the top of the decimal range neither overflow nor wrap.
int64_t saturate(__int128 v) {
  return v > kPosInf ? kPosInf : v < kNegInf ? kNegInf : static_cast<int64_t>(v);
}
__int128 floorWhole(int64_t a) { return a >= 0 ? a / kOne : -((-static_cast<__int128>(a) + kOne - 1) / kOne); }
__int128 ceilWhole(int64_t a) { return a >= 0 ? (static_cast<__int128>(a) + kOne - 1) / kOne : -(-static_cast<__int128>(a) / kOne); }
int64_t addSat(int64_t a, int64_t b) { return saturate(static_cast<__int128>(a) + b); }

struct Range {
  Pt start, end;
  size_t index;
};

Range toRange(const TierInterval &t, size_t index, bool integers) {
  Range r{{kNegInf, 0}, {kPosInf, 0}, index};
  if (t.lo) {
    if (integers) {
      __int128 v = t.lo->inclusive ? ceilWhole(t.lo->raw) : floorWhole(t.lo->raw) + 1;
      r.start = {saturate(v * kOne), 0};
    } else {
      r.start = {t.lo->raw, t.lo->inclusive ? 0 : 1};
    }
  }
  if (t.hi) {
    if (integers) {
      __int128 v = t.hi->inclusive ? floorWhole(t.hi->raw) : ceilWhole(t.hi->raw) - 1;
      r.end = {saturate(v * kOne), 0};
    } else {
      r.end = {t.hi->raw, t.hi->inclusive ? 0 : -1};
    }
  }
  return r;
}

// Overlaps: any two ranges sharing a point.
void findOverlaps(const std::vector<Range> &ranges, std::vector<TierProblem> &problems) {
  for (size_t i = 0; i < ranges.size(); ++i)
    for (size_t j = i + 1; j < ranges.size(); ++j) {
      Pt lo = std::max(ranges[i].start, ranges[j].start, [](const Pt &a, const Pt &b) { return a < b; });
      Pt hi = std::min(ranges[i].end, ranges[j].end, [](const Pt &a, const Pt &b) { return a < b; });
      if (lo <= hi) {
        TierProblem p{TierProblem::Overlap};
        p.first = std::min(ranges[i].index, ranges[j].index);
        p.second = std::max(ranges[i].index, ranges[j].index);
        p.at = lo.v;
        problems.push_back(p);
      }
    }
}

// The uncovered points [next, start) before a range, if any (for whole
// numbers only when a whole number lies there).
void noteGapBefore(Pt next, Pt start, bool integers, std::vector<TierProblem> &problems) {
  if (!(next < start) || (integers && next.v >= start.v)) return;
  TierProblem p{TierProblem::Gap};
  p.at = next.v;
  p.atInclusive = next.eps <= 0;
  p.gapEnd = start.v;
  p.gapEndInclusive = start.eps > 0;
  if (integers) { p.gapEnd = addSat(start.v, -kOne); p.gapEndInclusive = true; }
  problems.push_back(p);
}

// Gaps: a sweep from the domain's start over the ranges in order.
void findGaps(std::vector<Range> ranges, std::optional<int64_t> domainMin, bool integers,
              std::vector<TierProblem> &problems) {
  std::sort(ranges.begin(), ranges.end(), [](const Range &a, const Range &b) { return a.start < b.start; });
  Pt next = domainMin ? Pt{*domainMin, 0} : Pt{kNegInf, 0}; // first point not yet covered
  for (const Range &r : ranges) {
    noteGapBefore(next, r.start, integers, problems);
    // Covered to the top: unbounded, or (whole numbers) no representable whole number above.
    if ((r.end.v == kPosInf && (integers || r.end.eps >= 0)) || (integers && r.end.v > kPosInf - kOne)) return;
    Pt after = integers ? Pt{addSat(r.end.v, kOne), 0} : Pt{r.end.v, r.end.eps + 1};
    if (next < after) next = after;
  }
  TierProblem p{TierProblem::Gap};
  p.at = next.v;
  p.atInclusive = next.eps <= 0;
  p.toInfinity = true;
  problems.push_back(p);
}

} // namespace

std::vector<TierProblem> checkTierCoverage(const std::vector<TierInterval> &tiers,
                                           std::optional<int64_t> domainMin, bool integers,
                                           bool hasElse) {
  std::vector<TierProblem> problems;
  std::vector<Range> ranges;
  for (size_t i = 0; i < tiers.size(); ++i) {
    Range r = toRange(tiers[i], i, integers);
    if (domainMin && r.end < Pt{*domainMin, 0}) continue; // entirely below the domain
    if (domainMin && r.start < Pt{*domainMin, 0}) r.start = {*domainMin, 0};
    if (r.end < r.start) continue;                        // empty, e.g. integers in (3, 4)
    ranges.push_back(r);
  }
  findOverlaps(ranges, problems);
  if (!hasElse) findGaps(std::move(ranges), domainMin, integers, problems);
  return problems;
}

} // namespace rubric::sema
