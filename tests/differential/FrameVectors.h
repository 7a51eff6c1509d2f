// Vectors that back an rb_frame in tests and benches (tests/codegen's Frame,
// tests/differential's Batch, kernel_bench): a column, slot and denominator
// array each, and the pointer arrays the kernel reads them through.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "runtime/scoring/Kernel.h"

namespace rubric::testing {

struct FrameVectors {
  std::vector<std::vector<int64_t>> cols;  // one per Program column (list offsets: n+1 entries), as values
  std::vector<int> widths;                 // per column, ColumnDesc::width (missing: 8)
  std::vector<int64_t> params;
  std::vector<std::vector<int64_t>> slots;
  std::vector<std::vector<int64_t>> dens;  // per slot (1 unless the slot holds a fraction)
  std::vector<int32_t> errors;
  std::vector<std::vector<uint8_t>> oneByte;  // the one-byte columns as the kernel reads them (bind)
  std::vector<const void *> colPtrs;
  std::vector<int64_t *> slotPtrs, denPtrs;
  rb_frame frame{};

  // Points the frame at the vectors (again after any of them was reassigned
  // or a one-byte column changed: bind() packs those columns anew).
  rb_frame *bind() {
    colPtrs.clear();
    oneByte.resize(cols.size());
    for (size_t c = 0; c < cols.size(); ++c) {
      if (c >= widths.size() || widths[c] != 1) {
        colPtrs.push_back(cols[c].data());
        continue;
      }
      oneByte[c].clear();
      oneByte[c].reserve(cols[c].size() + 1);  // a valid pointer even when empty
      for (int64_t v : cols[c]) {
        if (v < 0 || v > 255) throw std::logic_error("column " + std::to_string(c) + ": " + std::to_string(v) + " in one byte");
        oneByte[c].push_back(static_cast<uint8_t>(v));
      }
      colPtrs.push_back(oneByte[c].data());
    }
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
