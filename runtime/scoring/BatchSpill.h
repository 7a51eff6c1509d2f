// Batches of records held on disk between the stages of a run (Stages.h):
// scored batches the scorer holds back until the read ends (a repeated
// identifier may still be found), so that memory does not grow with the rows.
// Every vector of a Batch is written (integers as zigzag varints, most of
// them one byte) and read back as it was.
#pragma once

#include <cstdint>
#include <string>

#include "runtime/scoring/Columns.h"
#include "runtime/scoring/Output.h"

namespace rubric::runtime {

class BatchSpill {
 public:
  bool ok() const { return file_.ok(); }
  void put(const Batch &b);
  int64_t batches() const { return file_.records(); }
  // Then the batches in the order put, each into `b` (a Batch of the same program).
  void rewind() { file_.rewind(); }
  bool next(Batch &b);
  // A write or read failed: what was read back is incomplete.
  bool failed() const { return failed_ || !file_.ok() || file_.failed(); }

 private:
  Spill file_;
  std::string buf_;
  bool failed_ = false;
};

} // namespace rubric::runtime
