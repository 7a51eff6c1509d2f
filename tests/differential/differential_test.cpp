// The interpreter is the oracle: for every bundled rubric, the JIT-compiled
// kernel must produce exactly the same slot values and error codes on many
// random records (10,000 per rubric, biased to boundaries and caps).
#include <catch2/catch.hpp>

#include <filesystem>
#include <random>

#include "interp/Interpreter.h"
#include "ir/FromSema.h"
#include "jit/Jit.h"
#include "RandomRecords.h"

using namespace rubric;

namespace {

std::vector<std::string> bundledRubrics() {
  std::vector<std::string> files;
  for (const auto &e : std::filesystem::recursive_directory_iterator(RUBRICS_DIR))
    if (e.path().extension() == ".rubric") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

// Runs both phases, filling population slots with the same pseudo-random values.
void scoreBatch(const ir::Program &p, rb_kernel_fn kernel, testing::Batch &b, uint64_t popSeed) {
  kernel(&b.frame, 0, b.n, 1);
  std::mt19937_64 rng(popSeed);
  for (size_t s = 0; s < p.desc.slots.size(); ++s)
    if (p.desc.slots[s].kind == runtime::SlotKind::PopValue)
      for (auto &v : b.slots[s]) v = static_cast<int64_t>(rng() % 50) * RB_DEC_ONE;
  kernel(&b.frame, 0, b.n, 2);
}

} // namespace

TEST_CASE("JIT agrees with the interpreter on 10,000 random records of every bundled rubric", "[differential]") {
  auto files = bundledRubrics();
  REQUIRE(files.size() >= 2);
  for (const auto &path : files) {
    DYNAMIC_SECTION(path) {
      DiagnosticEngine diags;
      std::string err;
      auto src = SourceFile::load(path, &err);
      REQUIRE(src);
      auto program = ir::compileFile(src, diags);
      INFO(renderDiagnostics(diags.all(), DiagFormat::Text, Lang::Zh));
      REQUIRE(program);

      for (int opt : {0, 2}) {
        auto jit = jit::KernelJit::create(*program, opt);
        if (!jit) FAIL(llvm::toString(jit.takeError()));
        testing::RecordGenerator gen(*program, 20261121);
        testing::Batch viaInterp = gen.generate(10000);
        testing::Batch viaJit = viaInterp;
        viaJit.bind();
        scoreBatch(*program, interp::bindKernel(*program), viaInterp, 7);
        scoreBatch(*program, (*jit)->kernel(), viaJit, 7);
        size_t mismatches = 0;
        for (size_t s = 0; s < program->desc.slots.size(); ++s)
          for (int64_t r = 0; r < viaInterp.n; ++r)
            if (viaInterp.slots[s][r] != viaJit.slots[s][r] && mismatches++ < 5)
              UNSCOPED_INFO("O" << opt << " slot " << s << " (" << program->desc.slots[s].name << ") record " << r
                                << ": interp " << viaInterp.slots[s][r] << " jit " << viaJit.slots[s][r]);
        for (int64_t r = 0; r < viaInterp.n; ++r)
          if (viaInterp.errors[r] != viaJit.errors[r] && mismatches++ < 5)
            UNSCOPED_INFO("O" << opt << " record " << r << " error: interp " << viaInterp.errors[r] << " jit "
                              << viaJit.errors[r]);
        CHECK(mismatches == 0);
      }
    }
  }
}
