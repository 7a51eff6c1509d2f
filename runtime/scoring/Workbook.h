// The results workbook beyond its rows (docs/cli.md, 输出): the lines above
// the header (标题, 文号, 期间), headers that carry full marks
// ("一 队伍建设（15分）"), and the 汇总 sheet — counts by status, each
// award's winners, the failed checks. The runner gathers the summary as rows
// are scored; XlsxWriter (Output.h) lays it out.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "decimal.hpp"
#include "runtime/scoring/Output.h"
#include "runtime/scoring/Population.h"
#include "runtime/scoring/Program.h"

namespace rubric::runtime {

// The layout for this program (Output.h).
WorkbookLayout workbookLayout(const Program &program, bool items);

// What the 汇总 sheet reports, gathered one scored row at a time. Memory grows
// with the winners and the failed checks only, not with the scored rows.
class RunSummary {
 public:
  explicit RunSummary(const Program &program);

  // Every scored row once; vetoes = the 取消资格 reasons that fired (none: 有效).
  void scored(const std::vector<std::string> &vetoes);
  // A row an award went to (pending: a quota tie reported as 待定). seq = the
  // row's place in input order, which breaks ties of rank in the lists.
  void awarded(size_t award, int64_t seq, std::string_view id, Rational total, bool pending);
  // A failed 校验 (a 校验 … 当 rule, or a duplicate of 校验 唯一).
  void checkFailed(std::string where, std::string_view id, std::string message);

  // The blocks, with ranks from the run's histogram of totals (finished).
  std::vector<SheetBlock> blocks(const RankHistogram &ranks, int64_t rowsRead, int64_t rowsRejected) const;

 private:
  struct Winner {
    int64_t seq;
    std::string id;
    Rational total;
    bool pending;
  };
  struct FailedCheck {
    std::string where, id, message;
  };
  SheetBlock statusBlock(int64_t rowsRead, int64_t rowsRejected) const;
  SheetBlock awardBlock(size_t award, const RankHistogram &ranks) const;
  SheetBlock checksBlock() const;

  const Program &p_;
  std::string idHeader_;
  int64_t valid_ = 0, vetoed_ = 0;
  std::vector<std::pair<std::string, int64_t>> byVeto_;  // reason → rows, in first-seen order
  std::vector<std::vector<Winner>> winners_;             // per award
  std::vector<FailedCheck> failedChecks_;
};

} // namespace rubric::runtime
