// Score one input under two compiled rubrics and list who changes: the one
// "score and compare" that `readings --impact` (one reading changed at a time)
// and `diff --data` (last year's rubric against this year's) share. Each run
// is the one `score --interp` does (runtime::runScoring with the interpreter,
// the oracle); candidates are matched by their identifier.
#pragma once

#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "diagnostics/Diagnostic.h"
#include "driver/Compiled.h"

namespace rubric::driver {

// What a candidate's result row says that a change of rubric can change.
struct Outcome {
  std::string total, rank, award, status;
  bool operator==(const Outcome &) const = default;
};
using Outcomes = std::vector<std::pair<std::string, Outcome>>;   // by identifier, in input order

// How to read the input (the options `score` takes for it).
struct InputSpec {
  std::string file, params, encoding = "auto", sheet;
  std::vector<std::string> with;  // --with 名=文件: a 全体另给 import's records, a 不共用 check's other scheme
  Lang lang = Lang::Zh;
};

// Scores the input with `c`, writing the runtime's messages (missing columns,
// rejected rows) to `messages`. False when nothing could be scored (the
// messages then say why).
bool scoreInput(const Compiled &c, const InputSpec &input, std::ostream &messages, Outcomes &out);

struct OutcomeChange {
  std::string id;
  Outcome before, after;
};
// The candidates in both runs whose outcome differs, in the order of `before`.
std::vector<OutcomeChange> changedOutcomes(const Outcomes &before, const Outcomes &after);

// The parts that changed, each as "总分 31 → 25" / "排名 2 → 1" / "奖项 无 → 优秀".
std::vector<std::string> changeParts(const OutcomeChange &change, Lang lang);

} // namespace rubric::driver
