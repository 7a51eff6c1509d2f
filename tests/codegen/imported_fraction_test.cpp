// An imported fraction (别名.总分 of 引用 … 全体另给): numerator column ÷
// denominator column, the pair the runtime writes for the imported run's
// reduced value (ImportRun.cpp). Code generation takes a denominator of 1 as
// is and any other through rb_rat_div's definition; the values and errors
// here are computed by hand, and the interpreter (the oracle, which divides)
// must give the same on every record, on every engine configuration.
#include <catch2/catch.hpp>

#include "CodegenTestUtil.h"
#include "interp/Interpreter.h"

using namespace rubric::codegen_test;

namespace {

struct Config {
  int opt;
  bool inlineDecimal;
  int perFunction;
};

std::string pairOf(const Frame &f, int s, int64_t r) {
  return std::to_string(f.slots[s][r]) + "/" + std::to_string(f.dens[s][r]);
}

// numerator and denominator columns of one ImportResult of an import 集体.
struct ImportedTotal {
  int num, den;
};

ImportedTotal importTotal(ProgramBuilder &b) {
  ImportedTotal t{b.column("集体.总分"), b.column("集体.总分（分母）")};
  rubric::runtime::ImportedScheme im;
  im.alias = "集体";
  im.results.push_back({"总分", 0, t.num, t.den});
  b.p.desc.imports.push_back(std::move(im));
  return t;
}

} // namespace

TEST_CASE("an imported fraction is loaded as numerator and denominator: the interpreter's values and errors",
          "[codegen][wide]") {
  Config cfg = GENERATE(Config{0, true, 16}, Config{2, true, 16}, Config{0, false, 16}, Config{2, false, 16},
                        Config{0, true, 1}, Config{2, true, 0});
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  ImportedTotal t = importTotal(b);
  ExprId total = b.bin(Op::Div, b.col(t.num), b.col(t.den));
  int q = b.output(total);
  int twice = b.output(b.bin(Op::Mul, total, b.dec("2")));
  int square = b.output(b.bin(Op::Mul, total, total));
  rubric::codegen::CodeGenOptions o;
  o.inlineDecimal = cfg.inlineDecimal;
  o.assignmentsPerFunction = cfg.perFunction;
  auto j = compile(b.p, cfg.opt, o);

  Frame f(b.p, 9);
  // What the runtime writes (reduced, denominator × 10^6): 187/2 points = 93.5 = 93,500,000/1 raw;
  // −1/3 point = −1,000,000/3 raw; 90 = 90,000,000/1; 1/4,000,000,001 raw.
  // What no writer produces, decided as rb_rat_div decides it: a denominator 0, a negative one
  // (1 ÷ −3), a fraction not reduced (3 ÷ 6, 2 ÷ 6) and a denominator that is not whole (3 ÷ 1.5).
  f.cols[t.num] = {D("93.5"), D("-1"), D("90"), 1, D("1"), D("1"), D("3"), D("3"), D("2")};
  f.cols[t.den] = {D("1"), D("3"), D("1"), 4000000001LL * RB_DEC_ONE, 0, D("-3"), D("6"), D("1.5"), D("6")};
  Frame oracle = f;
  f.run(j->kernel(), 1);

  // 187/2 = 93.5: 93,500,000/1 raw; × 2 = 187; 93.5² = 8742.25
  CHECK(pairOf(f, q, 0) == "93500000/1");
  CHECK(pairOf(f, twice, 0) == "187000000/1");
  CHECK(pairOf(f, square, 0) == "8742250000/1");
  // −1/3 = −10^6/3 raw; × 2 = −2·10^6/3; (−1/3)² = 1/9 = 10^6/9 raw
  CHECK(pairOf(f, q, 1) == "-1000000/3");
  CHECK(pairOf(f, twice, 1) == "-2000000/3");
  CHECK(pairOf(f, square, 1) == "1000000/9");
  // 90 with denominator 1: 90; 180; 8100
  CHECK(pairOf(f, q, 2) == "90000000/1");
  CHECK(pairOf(f, twice, 2) == "180000000/1");
  CHECK(pairOf(f, square, 2) == "8100000000/1");
  // 1/4,000,000,001 raw; × 2 = 2/4,000,000,001 (odd: gcd 1); squared the denominator
  // is 4,000,000,001² · 10^6 > 2^63 even reduced: overflow, 0, reported on the product's slot
  CHECK(pairOf(f, q, 3) == "1/4000000001");
  CHECK(pairOf(f, twice, 3) == "2/4000000001");
  CHECK(pairOf(f, square, 3) == "0/1");
  CHECK(RB_ERR_CODE(f.errors[3]) == RB_DEC_ERR_OVERFLOW);
  CHECK(RB_ERR_SLOT(f.errors[3]) == square);
  // 1 ÷ 0: division by zero, 0, on the fraction's own slot; 0 × 2 = 0, 0² = 0
  CHECK(pairOf(f, q, 4) == "0/1");
  CHECK(pairOf(f, twice, 4) == "0/1");
  CHECK(RB_ERR_CODE(f.errors[4]) == RB_DEC_ERR_DIV_ZERO);
  CHECK(RB_ERR_SLOT(f.errors[4]) == q);
  // 1 ÷ (−3) = −1/3, the denominator made positive; × 2 = −2/3; squared 1/9
  CHECK(pairOf(f, q, 5) == "-1000000/3");
  CHECK(pairOf(f, twice, 5) == "-2000000/3");
  CHECK(pairOf(f, square, 5) == "1000000/9");
  // 3 ÷ 6 = 0.5, reduced; × 2 = 1; 0.25
  CHECK(pairOf(f, q, 6) == "500000/1");
  CHECK(pairOf(f, twice, 6) == "1000000/1");
  CHECK(pairOf(f, square, 6) == "250000/1");
  // 3 ÷ 1.5 = 2; 4; 4
  CHECK(pairOf(f, q, 7) == "2000000/1");
  CHECK(pairOf(f, twice, 7) == "4000000/1");
  CHECK(pairOf(f, square, 7) == "4000000/1");
  // 2 ÷ 6 = 1/3 = 10^6/3 raw (2·10^6/6 reduced by 2); × 2 = 2/3; 1/9
  CHECK(pairOf(f, q, 8) == "1000000/3");
  CHECK(pairOf(f, twice, 8) == "2000000/3");
  CHECK(pairOf(f, square, 8) == "1000000/9");
  for (int r : {0, 1, 2, 5, 6, 7, 8}) CHECK(f.errors[r] == 0);

  // The oracle divides (rb_rat_div) on every record: same slots, denominators and errors.
  oracle.run(rubric::interp::bindKernel(b.p), 1);
  CHECK(oracle.slots == f.slots);
  CHECK(oracle.dens == f.dens);
  CHECK(oracle.errors == f.errors);
}
