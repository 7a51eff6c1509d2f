// libFuzzer target: rubric text → parse → check → scoring IR → the reference
// interpreter on three synthetic records (both phases, population slots
// filled), i.e. what `rubricc score --interp` runs, minus the record files.
// Any crash, sanitizer report, uncaught exception or timeout is a bug. Checked:
//  * a file that does not make it to IR has at least one error diagnostic
//    (the user is never left with nothing);
//  * the program description the generated executable embeds survives
//    JSON → Program → JSON unchanged.
// Records come from the differential test's generator (tests/differential/
// RandomRecords.h), biased to the rubric's own constants, seeded from the
// input so a crash reproduces.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "RandomRecords.h"
#include "diagnostics/Diagnostic.h"
#include "interp/Interpreter.h"
#include "ir/FromSema.h"
#include "parse/Parser.h"
#include "runtime/scoring/Program.h"
#include "sema/Sema.h"
#include "support/Source.h"

namespace {

[[noreturn]] void broken(const char *promise) {
  std::fprintf(stderr, "fuzz: broken promise: %s\n", promise);
  std::abort();
}

std::unique_ptr<rubric::ir::Program> lower(const std::string &text, rubric::DiagnosticEngine &diags) {
  using namespace rubric;
  auto file = parse::parseFile(std::make_shared<SourceFile>("fuzz.rubric", text), diags);
  if (!file) return nullptr;
  // Imports are not followed: the fuzzer must not read the file system.
  sema::CheckOptions options;
  options.loadFile = [](const std::string &, std::string *error) -> std::shared_ptr<SourceFile> {
    if (error) *error = "not available while fuzzing";
    return nullptr;
  };
  auto checked = sema::check(*file, diags, options);
  if (!checked || diags.errorCount() > 0) return nullptr;
  return ir::fromSema(*checked, diags);
}

// Both phases, as the runtime does: phase 1, population values, phase 2.
void score(const rubric::ir::Program &program, rubric::testing::Batch &batch) {
  rubric::interp::runKernel(program, &batch.frame, 0, batch.n, 1);
  for (size_t s = 0; s < program.desc.slots.size(); ++s)
    if (program.desc.slots[s].kind == rubric::runtime::SlotKind::PopValue)
      for (auto &v : batch.slots[s]) v = 7 * RB_DEC_ONE;
  rubric::interp::runKernel(program, &batch.frame, 0, batch.n, 2);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace rubric;
  std::string text(reinterpret_cast<const char *>(data), size);
  DiagnosticEngine diags;
  auto program = lower(text, diags);
  const bool verbose = std::getenv("RUBRIC_FUZZ_VERBOSE") != nullptr; // what each input did
  if (!program) {
    if (diags.errorCount() == 0) broken("no program means an error diagnostic");
    if (verbose) std::fprintf(stderr, "%s", renderDiagnostics(diags.all(), DiagFormat::Text, Lang::En).c_str());
    return 0;
  }
  (void)ir::printProgram(*program);
  std::string json = program->desc.toJson();
  if (runtime::Program::fromJson(json).toJson() != json) broken("the program description round-trips through JSON");

  testing::RecordGenerator generator(*program, std::hash<std::string>{}(text));
  testing::Batch batch = generator.generate(3);
  score(*program, batch);
  if (verbose)
    std::fprintf(stderr, "fuzz: %zu IR expressions, %zu slots, first record error flags %d\n", program->exprs.size(),
                 program->desc.slots.size(), batch.errors[0]);
  return 0;
}
