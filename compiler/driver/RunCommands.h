// Arguments of the commands that run a rubric (score, build, explain, test).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "diagnostics/Diagnostic.h"
#include "ir/Ir.h"
#include "report/Trace.h"
#include "runtime/scoring/Columns.h"
#include "runtime/scoring/Kernel.h"

namespace rubric::driver {

struct ScoreArgs {
  std::vector<std::string> readings;   // --reading NAME=OPTION, repeatable
  std::string rubric;
  std::vector<std::string> inputs;
  std::string output, params, encoding = "auto", sheet;
  std::string sort;  // --sort: "" (the format's default), 排名/rank, 输入/input
  std::vector<std::string> with;  // --with 名=文件: another scheme's records for 不共用 checks
  bool items = false, strict = false, interp = false, timing = false;
  // O0 by default: the largest bundled rubric JIT-compiles in ~60 ms at O0 and
  // ~320 ms at O2 (docs/performance.md); `build` uses O2, where run time matters.
  int optLevel = 0;
  int threads = 0;  // --threads: 0 = every core
  Lang lang = Lang::Zh;
};
int runScore(const ScoreArgs &args);

struct BuildArgs {
  std::vector<std::string> readings;   // --reading NAME=OPTION, repeatable
  std::string rubric, output, emit = "exe";
  int optLevel = 2;
  Lang lang = Lang::Zh;
};
int runBuild(const BuildArgs &args);

struct ExplainArgs {
  std::vector<std::string> readings;   // --reading NAME=OPTION, repeatable
  std::string rubric, input, id, params, encoding = "auto", sheet;
  std::string format = "text";   // text | html | json
  std::string output;            // a file (default: stdout); with `all`, a folder
  bool all = false;              // every scored candidate, one file each in `output`
  std::vector<std::string> with; // --with 名=文件: a 全体另给 import's records (or a 不共用 check's)
  Lang lang = Lang::Zh;
};
int runExplain(const ExplainArgs &args);

struct TestArgs {
  std::vector<std::string> readings;   // --reading NAME=OPTION, repeatable
  std::vector<std::string> rubrics;
  bool interp = false;
  Lang lang = Lang::Zh;
};
int runTest(const TestArgs &args);

// Scored batches kept by an interpreting kernel, so single records can be
// explained after a run (input order = the order batches arrive in).
struct CapturedBatch {
  std::vector<runtime::InputColumn> cols;  // each at its width, as the frame had it
  std::vector<std::vector<int64_t>> slots;
  std::vector<std::vector<int64_t>> dens;  // per slot; empty unless the slot is rational
  std::vector<int64_t *> denPtrs;          // what find() hands out as rb_frame::dens
  std::vector<int64_t> params;
  std::vector<int32_t> errors;
  int64_t size = 0;
};
struct Capture {
  const ir::Program *program = nullptr;
  std::vector<CapturedBatch> batches;
  // Per output row (a scored record without a run-time error), in order: the
  // texts of its group keys, which the frame holds only as places.
  std::vector<report::GroupKeyTexts> keyTexts;
  std::vector<runtime::RecordOrigin> origins;  // … and where it was read
  // The 校验 the run found failed across records (唯一, 不共用), by the row they were said of
  // (source, row): the per-record frame cannot show them, so the sheet adds them.
  std::map<std::pair<int32_t, int64_t>, std::vector<report::VetoTrace>> checksAcross;
  // The frame of the k-th scored record (in input order); false if out of range.
  bool find(int64_t k, rb_frame &frame, int64_t &record, std::vector<const void *> &cols,
            std::vector<int64_t *> &slots);
  // The frame of the k-th record that scored without a run-time error: the
  // k-th row of the run's output (a record the kernel rejected has none).
  bool findScored(int64_t k, rb_frame &frame, int64_t &record, std::vector<const void *> &cols,
                  std::vector<int64_t *> &slots);
};
// Installs `capture` for the current thread and returns a kernel that
// interprets and records every batch.
rb_kernel_fn capturingKernel(Capture &capture);

} // namespace rubric::driver
