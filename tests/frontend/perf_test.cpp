// DESIGN §8: `rubricc check` on every rubric in rubrics/ together: under 0.5 s.
// Parse + check of all of them in this process, timed; the time is printed.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "FrontendTestUtil.h"

using namespace rubric;

namespace {

std::vector<std::string> rubricFiles() {
  std::vector<std::string> out;
  for (const auto &e : std::filesystem::recursive_directory_iterator(RUBRICS_DIR))
    if (e.is_regular_file() && e.path().extension() == ".rubric") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace

// Speed is measured by the bench targets (docs/performance.md), not asserted
// here: a loaded CI machine must not fail a correct build. This prints it.
TEST_CASE("perf: parse and check every rubric under rubrics/ (time printed)", "[perf]") {
  auto files = rubricFiles();
  REQUIRE(!files.empty());
  // Loading the files is part of `rubricc check` too.
  auto start = std::chrono::steady_clock::now();
  size_t errors = 0, bytes = 0;
  for (const auto &path : files) {
    std::string err;
    auto src = SourceFile::load(path, &err);
    REQUIRE(src);
    bytes += src->text().size();
    DiagnosticEngine diags;
    auto file = parse::parseFile(src, diags);
    if (file) sema::check(*file, diags);
    errors += diags.errorCount() + (file ? 0 : 1);
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "perf: parsed and checked " << files.size() << " rubric files (" << bytes << " bytes) in " << seconds
            << " s\n";
  CHECK(errors == 0);
  // A second pass shows the steady state once ANTLR's DFA caches are warm.
  start = std::chrono::steady_clock::now();
  for (const auto &path : files) {
    std::string err;
    auto src = SourceFile::load(path, &err);
    DiagnosticEngine diags;
    auto file = parse::parseFile(src, diags);
    if (file) sema::check(*file, diags);
  }
  double warm = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "perf: second pass (warm caches) " << warm << " s\n";
}

// DESIGN §8: every scheme of every seed is a rubric file that checks clean (or
// with the seed's own arithmetic errors acknowledged). Errors in any file under
// rubrics/ are a regression.
TEST_CASE("every rubric under rubrics/ parses and checks with no error", "[rubrics]") {
  for (const auto &path : rubricFiles()) {
    std::string err;
    auto src = SourceFile::load(path, &err);
    REQUIRE(src);
    DiagnosticEngine diags;
    auto file = parse::parseFile(src, diags);
    if (file) sema::check(*file, diags);
    std::string text;
    for (const auto &d : diags.all())
      if (d.severity == Severity::Error) text += renderText(d, Lang::Zh);
    INFO(path << "\n" << text);
    CHECK(file != nullptr);
    CHECK(diags.errorCount() == 0);
  }
}
