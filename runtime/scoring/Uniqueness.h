// 校验 唯一 (Program::validations) in memory independent of the row count.
//
// Values are remembered in tables (TextTable.h, one per check) until they
// would pass half the budget; the tables are then frozen: their values keep
// being found (their first occurrence is in them, as nothing was spilled
// before they froze), every other value goes to a temporary file. The spilled values are sorted externally (runs of a
// quarter of the budget, merged 16 at a time as they accumulate, the rest at
// the end) by (check, value, order read), so that each group's first entry is
// the first occurrence.
// Exact: nothing is hashed lossily, every repeat is found, none is invented.
//
// Duplicates — found at once in a table or at the end in the spill — are
// reported together at the end in the order the repeating values were read,
// so the report does not depend on the budget.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "runtime/scoring/TextTable.h"

namespace rubric::runtime {

class RecordSorter;

class UniquenessCheck {
 public:
  // 8 MiB: at 5M rows with text the run's peak is 51 MiB instead of 62.4 MiB with 16 MiB, no slower
  // (the table stays in the caches longer; the rest goes through the sequential external sort).
  static constexpr size_t kDefaultBudget = size_t{8} << 20;
  // RUBRICC_UNIQUE_BUDGET_BYTES when set to a positive number (for tests), else kDefaultBudget.
  static size_t budgetFromEnvironment();

  explicit UniquenessCheck(size_t budgetBytes = kDefaultBudget);
  ~UniquenessCheck();
  UniquenessCheck(const UniquenessCheck &) = delete;
  UniquenessCheck &operator=(const UniquenessCheck &) = delete;

  // Where a value was read: input file index, row, column header.
  struct Place {
    int32_t source = 0;
    int64_t row = 0;
    std::string_view header;
  };
  struct Duplicate {
    int check = 0;  // Program::validations index
    std::string_view value;
    Place first, again;  // its first occurrence, and this repeat of it
  };

  // Records `value` of check `check` (values of one record are added
  // together, in the order read). True when it is known at once to repeat an
  // earlier value (--strict may stop reading); a repeat of a spilled value is
  // known only in finish().
  bool add(int check, std::string_view value, const Place &at);

  // After the last add(): every duplicate, in the order its repeat was read.
  // False when a temporary file could not be written or read: then the
  // report is incomplete and the caller must not trust it.
  bool finish(const std::function<void(const Duplicate &)> &report) { return findDuplicates() && reportDuplicates(report); }
  // finish() in two steps: the merge that finds the spilled values' duplicates
  // (the long part, and it touches nothing but this check, so it may run on
  // another thread while the caller does other work), then their report.
  bool findDuplicates() { return findSpilledDuplicates(); }
  bool reportDuplicates(const std::function<void(const Duplicate &)> &report);

  bool spilled() const { return spilledValues_ > 0; }

 private:
  struct First {
    int32_t source;
    uint32_t header;
    int64_t row;
  };

  uint32_t headerId(std::string_view header);
  void noteDuplicate(uint64_t seq, int check, std::string_view value, const First &first, const First &again);
  bool findSpilledDuplicates();

  bool fitsOneMore(size_t check, size_t valueBytes) const;

  size_t tableBudget_;
  bool frozen_ = false;
  uint64_t seq_ = 0;
  int64_t spilledValues_ = 0;
  std::vector<TextTable<First>> firsts_;  // per check: each value's first occurrence
  std::vector<std::string> headers_;
  std::unordered_map<std::string, uint32_t> headerIds_;
  std::string lastHeader_;  // headerId's last answer (a record's values mostly come from one column)
  uint32_t lastHeaderId_ = 0;
  std::unique_ptr<RecordSorter> spill_;       // values not in the frozen tables, by (check, value, seq)
  std::unique_ptr<RecordSorter> duplicates_;  // repeats found, by seq
  std::string record_;                        // scratch for the record being put
};

} // namespace rubric::runtime
