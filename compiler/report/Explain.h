// `rubricc explain`: every point of one candidate, with the rule and the
// source line behind it, so an evaluator can defend the score.
#pragma once

#include <string>

#include "ir/Ir.h"
#include "runtime/scoring/Kernel.h"

namespace rubric::report {

// `frame` holds the scored batch (both phases already run); `record` is the
// candidate's index in it.
std::string renderExplanation(const ir::Program &program, const rb_frame *frame, int64_t record,
                              const std::string &candidate, const std::string &status);

} // namespace rubric::report
