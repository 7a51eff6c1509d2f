// Tier coverage: a tier table must neither overlap nor leave gaps over the
// subject's domain. Pure arithmetic on exact decimals, so it is unit-tested
// on its own.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace rubric::sema {

struct TierBound {
  int64_t raw;        // exact decimal, scaled by 10^6 (rb_dec)
  bool inclusive;
};
struct TierInterval {
  std::optional<TierBound> lo, hi;  // absent = unbounded
};

struct TierProblem {
  enum Kind { Overlap, Gap } kind;
  size_t first = 0, second = 0;     // Overlap: the two tiers (0-based)
  int64_t at = 0;                   // a value inside the overlap / the start of the gap
  bool atInclusive = true;          // Gap: whether `at` itself is uncovered
  bool toInfinity = false;          // Gap: extends to +∞
  int64_t gapEnd = 0;               // Gap: where it ends (exclusive unless gapEndInclusive)
  bool gapEndInclusive = false;
};

// domainMin: the smallest value the subject can take (0 for counts and
// percentages), or nullopt for unbounded. integers: the subject is a count, so
// only whole numbers need covering ("3 至 5" and "6 及以上" leave no gap).
std::vector<TierProblem> checkTierCoverage(const std::vector<TierInterval> &tiers,
                                           std::optional<int64_t> domainMin, bool integers,
                                           bool hasElse);

} // namespace rubric::sema
