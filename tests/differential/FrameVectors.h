// Vectors that back an rb_frame in tests and benches (tests/codegen's Frame,
// tests/differential's Batch, kernel_bench): a column, slot and denominator
// array each, and the pointer arrays the kernel reads them through.
#pragma once

#include <cstdint>
#include <vector>

#include "runtime/scoring/Kernel.h"

namespace rubric::testing {

struct FrameVectors {
  std::vector<std::vector<int64_t>> cols;  // one per Program column (list offsets: n+1 entries)
  std::vector<int64_t> params;
  std::vector<std::vector<int64_t>> slots;
  std::vector<std::vector<int64_t>> dens;  // per slot (1 unless the slot holds a fraction)
  std::vector<int32_t> errors;
  std::vector<const int64_t *> colPtrs;
  std::vector<int64_t *> slotPtrs, denPtrs;
  rb_frame frame{};

  // Points the frame at the vectors (again after any of them was reassigned).
  rb_frame *bind() {
    colPtrs.clear();
    for (auto &c : cols) colPtrs.push_back(c.data());
    slotPtrs.clear();
    for (auto &s : slots) slotPtrs.push_back(s.data());
    denPtrs.clear();
    for (auto &d : dens) denPtrs.push_back(d.data());
    frame.cols = colPtrs.data();
    frame.params = params.data();
    frame.slots = slotPtrs.data();
    frame.errors = errors.data();
    frame.dens = denPtrs.data();
    return &frame;
  }
};

} // namespace rubric::testing
