// Ahead-of-time output: an object file that defines rubric_kernel and the
// embedded program JSON, linked with `cc` against the C runtime only.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include "CodegenTestUtil.h"
#include "codegen/CodeGen.h"

using namespace rubric::codegen_test;
namespace fs = std::filesystem;

namespace {

std::string runCapture(const std::string &cmd, int *status) {
  std::string out;
  FILE *p = popen(cmd.c_str(), "r");
  if (!p) {
    *status = -1;
    return out;
  }
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  *status = pclose(p);
  return out;
}

fs::path scratchDir() {
  fs::path d = fs::temp_directory_path() / ("rubric_codegen_test_" + std::to_string(getpid()));
  fs::create_directories(d);
  return d;
}

ProgramBuilder sampleProgram() {
  ProgramBuilder b;
  int score = b.column("score");
  int L = b.list("items");
  int v = b.elementColumn(L, "v");
  b.output(b.un(Op::Round, b.bin(Op::Div, b.bin(Op::Mul, b.col(score), b.dec("7")), b.dec("8")), 1));
  b.output(b.agg(AggKind::Sum, L, b.elem(v)));
  b.output(b.topAvg(L, b.elem(v), D("2"), false));
  b.output(b.bin(Op::Mul, b.slotRef(0), b.dec("2")), 2);
  rubric::ir::markRationalSlots(b.p);  // slot 2 (an average) gets a denominator
  return b;
}

const char *kMain = R"(#include <stdio.h>
#include <string.h>
#include "runtime/scoring/Kernel.h"
void rubric_kernel(const rb_frame *, int64_t, int64_t, int32_t);
extern const char rubric_program_json[];
extern const int64_t rubric_program_json_size;
int main(void) {
  int64_t score[2] = {18000000, 1000000};
  int64_t offs[3] = {0, 3, 3};
  int64_t v[3] = {1000, 2000000, 500000};
  const void *cols[3] = {score, offs, v};
  int64_t params[1] = {0};
  int64_t s0[2], s1[2], s2[2], s3[2];
  int64_t *slots[4] = {s0, s1, s2, s3};
  int64_t d2[2];
  int64_t *dens[4] = {0, 0, d2, 0};
  int32_t errors[2] = {0, 0};
  rb_frame f = {cols, params, slots, errors, dens};
  rubric_kernel(&f, 0, 2, 1);
  rubric_kernel(&f, 0, 2, 2);
  for (int r = 0; r < 2; ++r)
    printf("%lld %lld %lld/%lld %lld %d\n", (long long)s0[r], (long long)s1[r], (long long)s2[r],
           (long long)d2[r], (long long)s3[r], errors[r]);
  printf("%s %d\n", rubric_program_json, (int)(strlen(rubric_program_json) == rubric_program_json_size));
  return 0;
}
)";

} // namespace

TEST_CASE("emitObjectFile writes an object defining rubric_kernel that links with cc", "[codegen][aot]") {
  int opt = GENERATE(0, 2);
  CAPTURE(opt);
  ProgramBuilder b = sampleProgram();
  llvm::LLVMContext ctx;
  auto m = rubric::codegen::generateKernel(b.p, ctx);
  rubric::codegen::addProgramJson(*m, R"({"scheme":"测试"})");
  rubric::codegen::optimize(*m, opt);
  std::string ir = rubric::codegen::emitLlvmText(*m);
  CHECK(ir.find("define void @rubric_kernel(") != std::string::npos);
  CHECK(ir.find("@rubric_program_json = ") != std::string::npos);

  fs::path dir = scratchDir();
  fs::path obj = dir / ("kernel" + std::to_string(opt) + ".o");
  std::string error;
  REQUIRE(rubric::codegen::emitObjectFile(*m, obj.string(), &error));
  CHECK(error.empty());
  REQUIRE(fs::exists(obj));
  CHECK(fs::file_size(obj) > 0);

#ifdef RUBRIC_NM
  int status = 0;
  std::string syms = runCapture(std::string(RUBRIC_NM) + " " + obj.string(), &status);
  INFO(syms);
  CHECK(status == 0);
  CHECK(syms.find(" T rubric_kernel") != std::string::npos);
  CHECK(syms.find(" R rubric_program_json") != std::string::npos);
  CHECK(syms.find(" U rb_rat_round") != std::string::npos);  // round(score × 7 ÷ 8) on the exact fraction
#endif

#if defined(RUBRIC_CC) && defined(RUBRIC_DECIMAL_LIB) && defined(RUBRIC_HELPERS_LIB)
  fs::path mainC = dir / "main.c";
  std::ofstream(mainC) << kMain;
  fs::path exe = dir / ("scorer" + std::to_string(opt));
  std::string cmd = std::string(RUBRIC_CC) + " -I" RUBRIC_REPO_ROOT " -o " + exe.string() + " " + mainC.string() +
                    " " + obj.string() + " " RUBRIC_HELPERS_LIB " " RUBRIC_DECIMAL_LIB " 2>&1";
  int st = 0;
  std::string linkOut = runCapture(cmd, &st);
  INFO(cmd << "\n" << linkOut);
  REQUIRE(st == 0);
  std::string out = runCapture(exe.string(), &st);
  CHECK(st == 0);
  // record 0: round(18 × 7 / 8, 1) = 15.8; Σ = 2.501; top 2 = (2 + 0.5) / 2 = 1.25 (exact: /1); phase 2: 31.6
  // record 1: round(0.875, 1) = 0.9; empty list → 0, 0/1; 1.8
  CHECK(out == "15800000 2501000 1250000/1 31600000 0\n"
               "900000 0 0/1 1800000 0\n"
               "{\"scheme\":\"测试\"} 1\n");
#endif
  fs::remove_all(dir);
}

TEST_CASE("emitObjectFile reports an unwritable path", "[codegen][aot]") {
  ProgramBuilder b = sampleProgram();
  llvm::LLVMContext ctx;
  auto m = rubric::codegen::generateKernel(b.p, ctx);
  std::string error;
  CHECK_FALSE(rubric::codegen::emitObjectFile(*m, "/nonexistent-dir/x/kernel.o", &error));
  CHECK(error.find("cannot open") != std::string::npos);
}

// The hint keeps x86's cmov converter from turning the rubric's selects into
// branches that mispredict on mixed records (CodeGen.cpp, markSelectsUnpredictable).
TEST_CASE("every select of the generated kernel is marked unpredictable", "[codegen]") {
  ProgramBuilder b = sampleProgram();
  llvm::LLVMContext ctx;
  auto m = rubric::codegen::generateKernel(b.p, ctx);
  std::istringstream ir(rubric::codegen::emitLlvmText(*m));
  int selects = 0;
  for (std::string line; std::getline(ir, line);) {
    if (line.find(" = select ") == std::string::npos) continue;
    ++selects;
    INFO(line);
    CHECK(line.find("!unpredictable") != std::string::npos);
  }
  CHECK(selects > 0);
}
