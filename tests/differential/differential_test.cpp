// The interpreter is the oracle: for every bundled rubric, the JIT-compiled
// kernel must produce exactly the same slot values and error codes on many
// random records (10,000 per rubric, biased to boundaries and caps); also
// tests/e2e/names.rubric, written to exercise 令 and 若 … 则 … 否则 …, and
// tests/e2e/bonus_veto.rubric (加分 不设上限, a top-level 加分 row).
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
  files.push_back(NAMES_RUBRIC);   // 令 (top level and in a node) and 若 inside a list body
  files.push_back(BONUS_VETO_RUBRIC);   // 加分 不设上限, a top-level 加分 row, vetoes with 栏目
  return files;
}

// Runs both phases, filling population slots with the same pseudo-random values.
void scoreBatch(const ir::Program &p, rb_kernel_fn kernel, testing::Batch &b, uint64_t popSeed) {
  kernel(&b.frame, 0, b.n, 1);
  std::mt19937_64 rng(popSeed);
  for (size_t s = 0; s < p.desc.slots.size(); ++s)
    if (p.desc.slots[s].kind == runtime::SlotKind::PopValue)
      for (size_t r = 0; r < b.slots[s].size(); ++r) {
        int64_t k = static_cast<int64_t>(rng() % 50);
        b.slots[s][r] = k * RB_DEC_ONE;
        // a rational slot (an average) sometimes holds k/3, reduced: gcd(k·10^6, 3) = 1 when 3 ∤ k
        b.dens[s][r] = p.desc.slots[s].rational && k % 3 != 0 && rng() % 2 ? 3 : 1;
      }
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
            if ((viaInterp.slots[s][r] != viaJit.slots[s][r] || viaInterp.dens[s][r] != viaJit.dens[s][r]) &&
                mismatches++ < 5)
              UNSCOPED_INFO("O" << opt << " slot " << s << " (" << program->desc.slots[s].name << ") record " << r
                                << ": interp " << viaInterp.slots[s][r] << "/" << viaInterp.dens[s][r] << " jit "
                                << viaJit.slots[s][r] << "/" << viaJit.dens[s][r]);
        for (int64_t r = 0; r < viaInterp.n; ++r)
          if (viaInterp.errors[r] != viaJit.errors[r] && mismatches++ < 5)
            UNSCOPED_INFO("O" << opt << " record " << r << " error: interp " << viaInterp.errors[r] << " jit "
                              << viaJit.errors[r]);
        CHECK(mismatches == 0);
      }
    }
  }
}
