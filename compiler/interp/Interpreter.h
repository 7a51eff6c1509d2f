// The reference interpreter: the oracle. It evaluates the scoring IR exactly
// as documented in ir/Ir.h, one record and one expression at a time, with the
// shared decimal runtime — no cleverness, so it is easy to trust. The JIT and
// generated executables must agree with it bit for bit.
#pragma once

#include <string>
#include <vector>

#include "ir/Ir.h"
#include "runtime/scoring/Kernel.h"

namespace rubric::interp {

// Runs the assignments of `phase` for records [begin, end) of a frame.
void runKernel(const ir::Program &program, const rb_frame *frame, int64_t begin, int64_t end, int32_t phase);

// An rb_kernel_fn that interprets `program`. One program at a time per thread.
rb_kernel_fn bindKernel(const ir::Program &program);

// Evaluates one expression for one record (explain uses it for each rule).
int64_t evaluate(const ir::Program &program, const rb_frame *frame, int64_t record, ir::ExprId expr, int32_t *error);

// The average of the k best values: k = floor(n × p%) (at least 1) for a
// percentage, else min(n, k). Shared so the JIT helper cannot drift.
int64_t topAverage(std::vector<int64_t> values, int64_t fraction, bool percent, int32_t *error);

} // namespace rubric::interp
