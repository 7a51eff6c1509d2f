// Random candidate records for differential testing, generated straight into
// kernel columns. Values are biased toward the rubric's own constants (tier
// bounds, thresholds, caps) and one unit either side of them, so every
// boundary and cap is exercised, plus empty lists and vetoes.
#pragma once

#include <cstdint>
#include <iterator>
#include <numeric>
#include <random>
#include <set>
#include <vector>

#include "ir/Ir.h"
#include "runtime/scoring/Kernel.h"
#include "rubric_decimal.h"
#include "FrameVectors.h"

namespace rubric::testing {

struct Batch : FrameVectors {
  int64_t n = 0;

  void resetOutputs(size_t slotCount) {
    slots.assign(slotCount, std::vector<int64_t>(static_cast<size_t>(n), 0));
    dens.assign(slotCount, std::vector<int64_t>(static_cast<size_t>(n), 1));
    errors.assign(static_cast<size_t>(n), 0);
    bind();
  }
};

inline std::vector<int64_t> interestingConstants(const ir::Program &p) {
  std::set<int64_t> values = {0, RB_DEC_ONE};
  for (const auto &e : p.exprs)
    if (e.op == ir::Op::Const && e.imm > -1000 * RB_DEC_ONE && e.imm < 1000000 * RB_DEC_ONE) {
      values.insert(e.imm);
      values.insert(e.imm + 1);            // just above (decimal fields)
      values.insert(e.imm - 1);
      values.insert(e.imm + RB_DEC_ONE);   // one above / below (counts)
      values.insert(e.imm - RB_DEC_ONE);
      values.insert(e.imm + RB_DEC_ONE / 100);  // 1% either side (percentages)
      values.insert(e.imm - RB_DEC_ONE / 100);
    }
  return {values.begin(), values.end()};
}

class RecordGenerator {
public:
  // Percentages near the rubric's bounds are its constants and one raw unit
  // (0.0001%) either side; a step of 100 raw units (0.01%) instead keeps them
  // to what evaluators type ("85.25%"), for benchmarks of typical data.
  int64_t percentStep = 1;

  RecordGenerator(const ir::Program &p, uint64_t seed) : p_(p), rng_(seed), constants_(interestingConstants(p)) {}

  int64_t value(runtime::ValueKind kind, const std::vector<std::string> &enumValues) {
    std::uniform_int_distribution<int> coin(0, 9);
    switch (kind) {
    case runtime::ValueKind::Bool: return coin(rng_) < 5;
    case runtime::ValueKind::Enum: {
      if (enumValues.empty()) return 0;
      std::uniform_int_distribution<int64_t> d(0, static_cast<int64_t>(enumValues.size()) - 1);
      return d(rng_);
    }
    case runtime::ValueKind::Text: return 0;
    case runtime::ValueKind::YearSet: {
      // Any subset of 2019 … 2024 (the bundled schemes' history years): runs of 0 to 6 years.
      std::uniform_int_distribution<int64_t> bits(0, 63);
      return bits(rng_) << (2019 - 1990);  // bit (y − RB_YEAR_SET_FIRST), RB_YEAR_SET_FIRST = 1990
    }
    case runtime::ValueKind::Count: {
      int c = coin(rng_);
      if (c < 4) return pickConstant(true);
      std::uniform_int_distribution<int64_t> d(0, c < 9 ? 12 : 400);
      return d(rng_) * RB_DEC_ONE;
    }
    case runtime::ValueKind::Percent: {
      int c = coin(rng_);
      if (c < 5) return clampNonNegative(pickConstant(false)) / percentStep * percentStep;
      std::uniform_int_distribution<int64_t> d(0, 12000); // 0 … 120.00% in 0.01% steps
      return d(rng_) * (RB_DEC_ONE / 10000);
    }
    case runtime::ValueKind::Date: {
      // A date constant of the rubric, the day before or after it (kept within the month), or any day of 2020–2023.
      if (coin(rng_) < 6 && !p_.dateLiterals.empty()) {
        std::uniform_int_distribution<size_t> k(0, p_.dateLiterals.size() - 1);
        int64_t v = p_.exprs[p_.dateLiterals[k(rng_)]].imm;
        int side = coin(rng_) % 3;
        return side == 0 && v % 100 > 1 ? v - 1 : side == 1 && v % 100 < 28 ? v + 1 : v;
      }
      std::uniform_int_distribution<int64_t> y(2020, 2023), m(1, 12), d(1, 28);
      return y(rng_) * 10000 + m(rng_) * 100 + d(rng_);
    }
    case runtime::ValueKind::Decimal: {
      int c = coin(rng_);
      if (c < 5) return pickConstant(false);
      std::uniform_int_distribution<int64_t> d(0, 200000); // 0 … 200 in 0.001 steps
      return d(rng_) * (RB_DEC_ONE / 1000);
    }
    }
    return 0;
  }

  Batch generate(int64_t n) {
    Batch b;
    b.n = n;
    b.cols.assign(p_.desc.columns.size(), {});
    for (const auto &cd : p_.desc.columns) b.widths.push_back(cd.width);
    std::vector<bool> isElement(p_.desc.columns.size(), false), isOffsets(p_.desc.columns.size(), false);
    for (const auto &l : p_.desc.lists) {
      isOffsets[l.offsetsColumn] = true;
      for (int c : l.elementColumns) isElement[c] = true;
    }
    for (size_t c = 0; c < p_.desc.columns.size(); ++c)
      if (!isElement[c] && !isOffsets[c]) {
        const auto &cd = p_.desc.columns[c];
        auto &col = b.cols[c];
        col.resize(static_cast<size_t>(n));
        for (int64_t r = 0; r < n; ++r) {
          // Imported totals (sentinel default): mostly absent so the computed total is used.
          if (cd.defaultValue == INT64_MIN) col[r] = rng_() % 3 == 0 ? value(runtime::ValueKind::Decimal, {}) : INT64_MIN;
          else col[r] = value(cd.kind, cd.enumValues);
        }
      }
    fillImportedFractions(b, n);
    std::uniform_int_distribution<int64_t> len(0, 5);
    for (const auto &l : p_.desc.lists) {
      auto &offsets = b.cols[l.offsetsColumn];
      offsets.assign(1, 0);
      for (int64_t r = 0; r < n; ++r) offsets.push_back(offsets.back() + (r % 7 == 0 ? 0 : len(rng_)));
      for (int c : l.elementColumns) {
        const auto &cd = p_.desc.columns[c];
        auto &col = b.cols[c];
        col.resize(static_cast<size_t>(offsets.back()));
        for (auto &v : col) v = value(cd.kind, cd.enumValues);
        // A group key (前50%平均(人员 按 姓名: …)): few distinct keys, so groups have one to several elements.
        if (cd.groupKey)
          for (auto &v : col) v = static_cast<int64_t>(rng_() % 3);
      }
    }
    for (const auto &prm : p_.desc.params) b.params.push_back(std::max<int64_t>(RB_DEC_ONE, value(prm.kind, prm.enumValues)));
    if (b.params.empty()) b.params.push_back(0);
    b.resetOutputs(p_.desc.slots.size());
    return b;
  }

private:
  // A whole-population import's fraction (别名.总分 of 引用 … 全体另给) arrives in
  // two columns, numerator and denominator × 10^6, and real runs only ever
  // carry what the imported scheme's run gives: a reduced fraction with a
  // positive denominator (ImportRun.cpp), a total such as 93.5 or 187/2 (the
  // denominator column 1) and rarely one that does not terminate, such as
  // 61/3. So each record gets p/q points for a q of 1, 2, 3, 4, 6 or 8 (1 and
  // 2 most often) and p from 0 to 120·q, written reduced in raw units: 187/2
  // is 93,500,000 / 1, 61/3 is 61,000,000 / 3. The engines' behaviour on any
  // other pair (0, negative, not whole, not reduced) is tested by hand in
  // tests/codegen, not left to chance here.
  void fillImportedFractions(Batch &b, int64_t n) {
    static constexpr int64_t kDenominators[] = {1, 1, 1, 1, 2, 2, 3, 4, 6, 8};
    std::uniform_int_distribution<size_t> pickDen(0, std::size(kDenominators) - 1);
    for (const auto &im : p_.desc.imports)
      for (const auto &res : im.results) {
        if (res.denColumn < 0) continue;
        auto &num = b.cols[static_cast<size_t>(res.column)], &den = b.cols[static_cast<size_t>(res.denColumn)];
        for (int64_t r = 0; r < n; ++r) {
          int64_t q = kDenominators[pickDen(rng_)];
          int64_t p = std::uniform_int_distribution<int64_t>(0, 120 * q)(rng_);
          int64_t g = std::gcd(p * RB_DEC_ONE, q);  // raw units: p·10^6 / q, reduced
          num[static_cast<size_t>(r)] = p * RB_DEC_ONE / g;
          den[static_cast<size_t>(r)] = q / g * RB_DEC_ONE;
        }
      }
  }

  int64_t pickConstant(bool wholeOnly) {
    std::uniform_int_distribution<size_t> d(0, constants_.size() - 1);
    for (int tries = 0; tries < 8; ++tries) {
      int64_t v = constants_[d(rng_)];
      if (!wholeOnly || (v % RB_DEC_ONE == 0 && v >= 0)) return v;
    }
    return 0;
  }
  static int64_t clampNonNegative(int64_t v) { return v < 0 ? 0 : v; }

  const ir::Program &p_;
  std::mt19937_64 rng_;
  std::vector<int64_t> constants_;
};

} // namespace rubric::testing
