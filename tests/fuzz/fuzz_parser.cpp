// libFuzzer target: arbitrary bytes → parse → (if it parsed) sema → render
// every diagnostic, as `rubricc check --format text|json|sarif` would. Any crash,
// sanitizer report, uncaught exception or timeout is a bug. The one invariant
// checked: a file that did not parse has at least one error diagnostic.
//
// Build (clang only; see CMakeLists.txt):
//   CC=clang-19 CXX=clang++-19 cmake -S . -B build-fuzz -G Ninja -DRUBRICC_FUZZ=ON
//   ninja -C build-fuzz fuzz_parser
//   ./build-fuzz/tests/fuzz/fuzz_parser -max_total_time=60 -timeout=10 corpus/ rubrics/*/
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "ast/AstPrinter.h"
#include "diagnostics/Diagnostic.h"
#include "parse/Parser.h"
#include "sema/Sema.h"
#include "support/Source.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace rubric;
  auto src = std::make_shared<SourceFile>("fuzz.rubric",
                                          std::string(reinterpret_cast<const char *>(data), size));
  DiagnosticEngine diags;
  auto file = parse::parseFile(src, diags);
  if (file) {
    // Imports are not followed: the fuzzer must not read the file system.
    sema::CheckOptions options;
    options.loadFile = [](const std::string &, std::string *error) -> std::shared_ptr<SourceFile> {
      if (error) *error = "not available while fuzzing";
      return nullptr;
    };
    auto checked = sema::check(*file, diags, options);
    if (!checked) std::abort();
    (void)ast::printAst(*file);
  } else if (diags.errorCount() == 0) {
    std::abort(); // no AST and no error: the user would see nothing
  }
  for (const auto &d : diags.all()) {
    (void)renderText(d, Lang::Zh, true);
    (void)renderText(d, Lang::En);
  }
  (void)renderDiagnostics(diags.all(), DiagFormat::Json, Lang::Zh);
  (void)renderDiagnostics(diags.all(), DiagFormat::Sarif, Lang::En);
  return 0;
}
