// The reference interpreter: the oracle. It evaluates the scoring IR exactly
// as documented in ir/Ir.h, one record and one expression at a time, with the
// shared decimal runtime — no cleverness, so it is easy to trust. The JIT and
// generated executables must agree with it bit for bit.
#pragma once

#include <map>
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
// Kernels interpreting the program's whole-population imports (Program::imports),
// in order, bound to this thread like bindKernel. At most kMaxBoundImports.
constexpr size_t kMaxBoundImports = 8;
std::vector<rb_kernel_fn> bindImportKernels(const ir::Program &program);

// The values the interpreter computed for one record, kept only when asked
// (explain, test): every expression it evaluated, per element inside a list
// aggregate (elem = the element's index in the list's columns). An expression
// it did not evaluate — the untaken arm of a Select — has none, so the
// recording shows which branch fired. Normal scoring records nothing.
class Recording {
public:
  explicit Recording(size_t exprCount) : values_(exprCount), seen_(exprCount, 0) {}
  // Null when the expression was not evaluated (for that element).
  const Rational *value(ir::ExprId id, int64_t elem = -1) const;
  void note(ir::ExprId id, int64_t elem, Rational v);

private:
  std::vector<Rational> values_;
  std::vector<uint8_t> seen_;
  std::map<std::pair<ir::ExprId, int64_t>, Rational> elements_;
};

// Runs every assignment (phase 1, then phase 2) of one record of a scored
// frame — its population values already filled — storing the same values
// again and recording every evaluated expression. Returns the record's error
// code (0: none).
int32_t recordEvaluation(const ir::Program &program, const rb_frame *frame, int64_t record, Recording &out);


} // namespace rubric::interp
