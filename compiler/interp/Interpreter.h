// The reference interpreter: the oracle. It evaluates the scoring IR exactly
// as documented in ir/Ir.h, one record and one expression at a time, with the
// shared decimal runtime — no cleverness, so it is easy to trust. The JIT and
// generated executables must agree with it bit for bit.
#pragma once

#include <string>
#include <vector>

#include "decimal.hpp"
#include "ir/Ir.h"
#include "runtime/scoring/Kernel.h"

namespace rubric::interp {

// Runs the assignments of `phase` for records [begin, end) of a frame.
void runKernel(const ir::Program &program, const rb_frame *frame, int64_t begin, int64_t end, int32_t phase);

// An rb_kernel_fn that interprets `program`. One program at a time per thread.
// Throws std::logic_error if a slot may hold a fraction but is not marked
// rational (see ir::markRationalSlots).
rb_kernel_fn bindKernel(const ir::Program &program);

// Evaluates one expression for one record, exactly (explain uses it for each rule).
Rational evaluate(const ir::Program &program, const rb_frame *frame, int64_t record, ir::ExprId expr, int32_t *error);


} // namespace rubric::interp
