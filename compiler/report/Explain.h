// `rubricc explain`: every point of one candidate — the clause, the branch
// that fired, the values used, the arithmetic and the limit that bound — so
// an evaluator can defend the score. Rendered from the interpreter's trace
// (report/Trace.h) as text for the terminal, a printable html page, or json.
#pragma once

#include <string>
#include <vector>

#include "diagnostics/Diagnostic.h"
#include "report/Trace.h"

namespace rubric::report {

enum class ExplainFormat { Text, Html, Json };

// The scheme's header (方案 { 标题 … 文号 … }).
struct SchemeHeader {
  std::string title, docNo, issuer, period;
};

// What the scoring run says about the candidate beyond its own record: the
// population pass (ranks, awards), taken from the run's output row.
struct Standing {
  std::string candidate;
  std::string rank, levelRank;
  std::vector<std::string> awards;
};

std::string renderExplanation(const Trace &trace, const SchemeHeader &scheme, const Standing &standing,
                              ExplainFormat format, Lang lang);

// The parts of the html page (ExplainHtml.cpp).
std::string renderExplanationHtml(const Trace &trace, const SchemeHeader &scheme, const Standing &standing, Lang lang);

// The status line as the scoring run writes it: 有效, or 取消资格：reason；reason.
std::string statusText(const Trace &trace, Lang lang);
// A rule's points with their sign: +3, −1.4, 0.
std::string signedPoints(const RuleTrace &rule);

} // namespace rubric::report
