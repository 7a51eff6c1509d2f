// Hand-built IR programs, compiled with the ORC JIT, checked against values
// computed by hand. Every case runs at O0 and O2, with inline decimal fast
// paths and with plain calls to rb_dec_*.
#include <catch2/catch.hpp>

#include <limits>

#include "CodegenTestUtil.h"

using namespace rubric::codegen_test;
using rubric::codegen::CodeGenOptions;

namespace {

struct Config {
  int opt;
  bool inlineDecimal;
  int perFunction = 16;  // CodeGenOptions::assignmentsPerFunction
};

// O0/O2 × inline/calls, plus one function per assignment and one per phase.
Config anyConfig() {
  return GENERATE(Config{0, true}, Config{2, true}, Config{0, false}, Config{2, false}, Config{0, true, 1},
                  Config{2, true, 0});
}

std::unique_ptr<rubric::jit::KernelJit> build(ProgramBuilder &b, Config c) {
  CodeGenOptions o;
  o.inlineDecimal = c.inlineDecimal;
  o.assignmentsPerFunction = c.perFunction;
  return compile(b.p, c.opt, o);
}

} // namespace

TEST_CASE("exact decimal arithmetic", "[codegen]") {
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int mul = b.output(b.bin(Op::Mul, b.dec("15"), b.dec("0.2")));
  int add = b.output(b.bin(Op::Add, b.dec("0.1"), b.dec("0.2")));
  // Round(18 × 7 / 8, 1) = Round(15.75, 1) = 15.8
  int r1 = b.output(b.un(Op::Round, b.bin(Op::Div, b.bin(Op::Mul, b.dec("18"), b.dec("7")), b.dec("8")), 1));
  int r2 = b.output(b.un(Op::Round, b.dec("0.25"), 1));
  int r3 = b.output(b.un(Op::Round, b.dec("-0.25"), 1));
  int fl = b.output(b.un(Op::Floor, b.dec("-1.21"), 1));
  int ce = b.output(b.un(Op::Ceil, b.dec("1.21"), 1));
  int sub = b.output(b.bin(Op::Sub, b.dec("1"), b.dec("0.9")));
  int neg = b.output(b.un(Op::Neg, b.dec("2.5")));
  int dv = b.output(b.bin(Op::Div, b.dec("2"), b.dec("3")));       // 2/3 exactly (shown 0.666667)
  int dvn = b.output(b.bin(Op::Div, b.dec("-2"), b.dec("3")));     // -2/3
  int mr = b.output(b.bin(Op::Mul, b.dec("0.0005"), b.dec("0.001"))); // 0.0000005 exactly (shown 0.000001)
  // 10 ÷ 3 × 3 = 10 exactly, so the comparison with 10 holds
  int back = b.output(b.cmp(CmpKind::Ge, b.bin(Op::Mul, b.bin(Op::Div, b.dec("10"), b.dec("3")), b.dec("3")), b.dec("10")));
  int mn = b.output(b.bin(Op::Min, b.dec("3"), b.dec("-4")));
  int mx = b.output(b.bin(Op::Max, b.dec("3"), b.dec("-4")));
  auto j = build(b, cfg);
  Frame f(b.p, 2);
  f.run(j->kernel(), 1);
  for (int r = 0; r < 2; ++r) {
    CHECK(f.slots[mul][r] == 3000000);
    CHECK(f.slots[add][r] == 300000);
    CHECK(f.slots[add][r] == D("0.3"));
    CHECK(f.slots[r1][r] == D("15.8"));
    CHECK(f.slots[r2][r] == D("0.3"));
    CHECK(f.slots[r3][r] == D("-0.3"));
    CHECK(f.slots[fl][r] == D("-1.3"));
    CHECK(f.slots[ce][r] == D("1.3"));
    CHECK(f.slots[sub][r] == D("0.1"));
    CHECK(f.slots[neg][r] == D("-2.5"));
    CHECK(f.value(dv, r) == rubric::Rational{2'000'000, 3});   // raw 2·10^6 / 3
    CHECK(f.value(dv, r).toDecimal().raw() == D("0.666667"));
    CHECK(f.value(dvn, r) == rubric::Rational{-2'000'000, 3});
    CHECK(f.value(dvn, r).toDecimal().raw() == D("-0.666667"));
    CHECK(f.value(mr, r) == rubric::Rational{1, 2});            // half a raw unit
    CHECK(f.value(mr, r).toDecimal().raw() == D("0.000001"));
    CHECK(f.slots[back][r] == 1);
    CHECK(f.slots[mn][r] == D("-4"));
    CHECK(f.slots[mx][r] == D("3"));
    CHECK(f.errors[r] == 0);
  }
}

TEST_CASE("columns, parameters and per-record values", "[codegen]") {
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int score = b.column("score");
  int weight = b.param("weight");
  int s = b.output(b.bin(Op::Mul, b.col(score), b.par(weight)));
  int pass = b.output(b.cmp(CmpKind::Ge, b.col(score), b.dec("60")));
  auto j = build(b, cfg);
  Frame f(b.p, 4);
  f.cols[score] = {D("59.5"), D("60"), D("100"), D("0")};
  f.params[weight] = D("0.2");
  f.run(j->kernel(), 1);
  CHECK(f.slots[s] == std::vector<int64_t>{D("11.9"), D("12"), D("20"), 0});
  CHECK(f.slots[pass] == std::vector<int64_t>{0, 1, 1, 0});
  // A sub-range touches only its records.
  Frame g(b.p, 4);
  g.cols[score] = f.cols[score];
  g.params[weight] = D("1");
  g.run(j->kernel(), 1, 1, 3);
  CHECK(g.slots[s] == std::vector<int64_t>{-777, D("60"), D("100"), -777});
}

TEST_CASE("comparisons and logic are 0/1", "[codegen]") {
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int x = b.column("x");
  ExprId three = b.dec("3");
  std::vector<int> cmps;
  for (CmpKind k : {CmpKind::Ge, CmpKind::Gt, CmpKind::Le, CmpKind::Lt, CmpKind::Eq, CmpKind::Ne})
    cmps.push_back(b.output(b.cmp(k, b.col(x), three)));
  ExprId gt = b.cmp(CmpKind::Gt, b.col(x), three);
  ExprId odd = b.col(b.column("flag"));  // any nonzero counts as true
  int andS = b.output(b.bin(Op::And, gt, odd));
  int orS = b.output(b.bin(Op::Or, gt, odd));
  int notS = b.output(b.un(Op::Not, odd));
  auto j = build(b, cfg);
  Frame f(b.p, 3);
  f.cols[x] = {D("2.999999"), D("3"), D("3.000001")};
  f.cols[b.p.desc.columns.size() - 1] = {0, 7, -1};
  f.run(j->kernel(), 1);
  //                     ge gt le lt eq ne
  int expect[3][6] = {{0, 0, 1, 1, 0, 1}, {1, 0, 1, 0, 1, 0}, {1, 1, 0, 0, 0, 1}};
  for (int r = 0; r < 3; ++r)
    for (int k = 0; k < 6; ++k) CHECK(f.slots[cmps[k]][r] == expect[r][k]);
  CHECK(f.slots[andS] == std::vector<int64_t>{0, 0, 1});
  CHECK(f.slots[orS] == std::vector<int64_t>{0, 1, 1});
  CHECK(f.slots[notS] == std::vector<int64_t>{1, 0, 0});
}

TEST_CASE("summing 0.001 a thousand times gives exactly 1", "[codegen]") {
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int L = b.list("items");
  int v = b.elementColumn(L, "v");
  int sum = b.output(b.agg(AggKind::Sum, L, b.elem(v)));
  int avg = b.output(b.agg(AggKind::Average, L, b.elem(v)));
  int len = b.output(b.listLen(L));
  auto j = build(b, cfg);
  Frame f(b.p, 1);
  std::vector<std::vector<int64_t>> els(1000, std::vector<int64_t>{D("0.001")});
  f.setList(b.p, L, {v}, {els});
  f.run(j->kernel(), 1);
  CHECK(f.slots[sum][0] == D("1"));
  CHECK(f.slots[sum][0] == 1000000);
  CHECK(f.slots[avg][0] == D("0.001"));
  CHECK(f.slots[len][0] == D("1000"));
  CHECK(f.errors[0] == 0);
}

TEST_CASE("an overflow sets the record's error — the first error wins", "[codegen]") {
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int x = b.column("x");
  int y = b.column("y");
  // slot 0: x × y (overflows for record 1), slot 1: 1 / y (÷0 for record 2)
  int prod = b.output(b.bin(Op::Mul, b.col(x), b.col(y)));
  int quot = b.output(b.bin(Op::Div, b.dec("1"), b.col(y)));
  int big = b.output(b.bin(Op::Add, b.col(x), b.col(x)));
  auto j = build(b, cfg);
  Frame f(b.p, 4);
  const int64_t huge = D("9000000000000");  // 9×10^12, near the rb_dec limit
  f.cols[x] = {D("2"), huge, D("1"), D("1")};
  f.cols[y] = {D("3"), D("2"), 0, D("1")};
  f.errors[3] = RB_DEC_ERR_SYNTAX;  // an earlier error is kept
  f.run(j->kernel(), 1);
  CHECK(f.slots[prod][0] == D("6"));
  CHECK(f.errors[0] == 0);
  CHECK(f.slots[prod][1] == 0);       // the failed op yields 0 …
  CHECK(f.slots[quot][1] == D("0.5")); // … and evaluation continues
  CHECK(f.slots[big][1] == 0);
  CHECK(RB_ERR_CODE(f.errors[1]) == RB_DEC_ERR_OVERFLOW);
  CHECK(RB_ERR_SLOT(f.errors[1]) == prod);  // the item that failed (Kernel.h)
  CHECK(f.slots[prod][2] == 0);
  CHECK(f.slots[quot][2] == 0);
  CHECK(RB_ERR_CODE(f.errors[2]) == RB_DEC_ERR_DIV_ZERO);
  CHECK(RB_ERR_SLOT(f.errors[2]) == quot);
  CHECK(f.slots[quot][3] == D("1"));
  CHECK(RB_ERR_CODE(f.errors[3]) == RB_DEC_ERR_SYNTAX);
}

TEST_CASE("first error of a record: division by zero before an overflow", "[codegen]") {
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int x = b.column("x");
  b.output(b.bin(Op::Div, b.col(x), b.dec("0")));
  b.output(b.bin(Op::Mul, b.col(x), b.col(x)));
  auto j = build(b, cfg);
  Frame f(b.p, 1);
  f.cols[x] = {D("9000000000000")};
  f.run(j->kernel(), 1);
  CHECK(RB_ERR_CODE(f.errors[0]) == RB_DEC_ERR_DIV_ZERO);
  CHECK(RB_ERR_SLOT(f.errors[0]) == 0);  // the first assignment
}

TEST_CASE("Select evaluates only the chosen arm", "[codegen]") {
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int d = b.column("d");
  // d ≠ 0 ? 10 / d : 0
  ExprId safe = b.select(b.cmp(CmpKind::Ne, b.col(d), b.k(0)), b.bin(Op::Div, b.dec("10"), b.col(d)), b.k(0));
  int s = b.output(safe);
  // d = 0 ? 10 / d : 1 — takes the failing arm when d = 0
  ExprId unsafe = b.select(b.cmp(CmpKind::Eq, b.col(d), b.k(0)), b.bin(Op::Div, b.dec("10"), b.col(d)), b.dec("1"));
  int u = b.output(unsafe);
  auto j = build(b, cfg);
  Frame f(b.p, 2);
  f.cols[d] = {0, D("4")};
  f.run(j->kernel(), 1);
  CHECK(f.slots[s] == std::vector<int64_t>{0, D("2.5")});
  CHECK(f.slots[u] == std::vector<int64_t>{0, D("1")});
  CHECK(RB_ERR_CODE(f.errors[0]) == RB_DEC_ERR_DIV_ZERO);  // from `unsafe` only
  CHECK(RB_ERR_SLOT(f.errors[0]) == u);
  CHECK(f.errors[1] == 0);

  // Only the safe select: no error at all.
  ProgramBuilder b2;
  int d2 = b2.column("d");
  b2.output(b2.select(b2.cmp(CmpKind::Ne, b2.col(d2), b2.k(0)), b2.bin(Op::Div, b2.dec("10"), b2.col(d2)), b2.k(0)));
  auto j2 = build(b2, cfg);
  Frame g(b2.p, 2);
  g.cols[d2] = {0, D("4")};
  g.run(j2->kernel(), 1);
  CHECK(g.errors == std::vector<int32_t>{0, 0});
  CHECK(g.slots[0] == std::vector<int64_t>{0, D("2.5")});
}

TEST_CASE("list aggregates on empty and non-empty lists", "[codegen]") {
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int L = b.list("rounds");
  int v = b.elementColumn(L, "v");
  ExprId e = b.elem(v);
  int mx = b.output(b.agg(AggKind::Max, L, e));
  int mn = b.output(b.agg(AggKind::Min, L, e));
  int avg = b.output(b.agg(AggKind::Average, L, e));
  int sum = b.output(b.agg(AggKind::Sum, L, e));
  int cnt = b.output(b.agg(AggKind::Count, L, e));
  int all = b.output(b.agg(AggKind::All, L, e));
  int any = b.output(b.agg(AggKind::Any, L, e));
  int len = b.output(b.listLen(L));
  int cntGe = b.output(b.agg(AggKind::Count, L, b.cmp(CmpKind::Ge, e, b.dec("1"))));
  auto j = build(b, cfg);
  Frame f(b.p, 5);
  f.setList(b.p, L, {v},
            {{},                                                  // empty
             {{D("-2")}, {D("-5")}, {D("-1")}},                   // all negative
             {{D("1")}, {0}, {D("2")}},                           // one zero
             {{D("1")}, {D("1")}, {D("2")}},                      // 4/3
             {{0}}});                                             // a single zero
  f.run(j->kernel(), 1);
  CHECK(f.slots[mx] == std::vector<int64_t>{0, D("-1"), D("2"), D("2"), 0});
  CHECK(f.slots[mn] == std::vector<int64_t>{0, D("-5"), 0, D("1"), 0});
  // exact means: −8/3, 3/3 = 1, 4/3 (raw units: −8·10^6 / 3 …)
  std::vector<rubric::Rational> avgs{{0, 1}, {-8'000'000, 3}, {1'000'000, 1}, {4'000'000, 3}, {0, 1}};
  for (int r = 0; r < 5; ++r) CHECK(f.value(avg, r) == avgs[r]);
  CHECK(f.slots[sum] == std::vector<int64_t>{0, D("-8"), D("3"), D("4"), 0});
  CHECK(f.slots[cnt] == std::vector<int64_t>{0, D("3"), D("2"), D("3"), 0});
  CHECK(f.slots[all] == std::vector<int64_t>{1, 1, 0, 1, 0});
  CHECK(f.slots[any] == std::vector<int64_t>{0, 1, 1, 1, 0});
  CHECK(f.slots[len] == std::vector<int64_t>{0, D("3"), D("3"), D("3"), D("1")});
  CHECK(f.slots[cntGe] == std::vector<int64_t>{0, 0, D("2"), D("3"), 0});
  CHECK(f.errors == std::vector<int32_t>{0, 0, 0, 0, 0});
}

TEST_CASE("All/Any stop at the deciding element, like the interpreter", "[codegen]") {
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int L = b.list("xs");
  int v = b.elementColumn(L, "v");
  // body: 1 / v — fails on v = 0; All stops at the first zero body, so an
  // element after a zero body is never evaluated.
  int all = b.output(b.agg(AggKind::All, L, b.cmp(CmpKind::Gt, b.bin(Op::Div, b.dec("1"), b.elem(v)), b.dec("0.6"))));
  auto j = build(b, cfg);
  Frame f(b.p, 2);
  f.setList(b.p, L, {v}, {{{D("2")}, {0}}, {{D("1")}, {0}}});
  f.run(j->kernel(), 1);
  CHECK(f.slots[all] == std::vector<int64_t>{0, 0});
  CHECK(f.errors[0] == 0);                    // stopped at 1/2 = 0.5 ≤ 0.6
  CHECK(RB_ERR_CODE(f.errors[1]) == RB_DEC_ERR_DIV_ZERO);  // 1/1 > 0.6, then 1/0
}

TEST_CASE("TopAvg: top k and top percent", "[codegen]") {
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int L = b.list("scores");
  int v = b.elementColumn(L, "v");
  int top2 = b.output(b.topAvg(L, b.elem(v), D("2"), false));
  int top50 = b.output(b.topAvg(L, b.elem(v), D("50"), true));
  int top10 = b.output(b.topAvg(L, b.elem(v), D("10"), true));  // floor(n/10) → at least 1
  int top9 = b.output(b.topAvg(L, b.elem(v), D("9"), false));   // more than n → n
  auto j = build(b, cfg);
  Frame f(b.p, 3);
  f.setList(b.p, L, {v},
            {{{D("70")}, {D("90")}, {D("80")}, {D("60")}, {D("85")}},  // 5 values
             {},
             {{D("1")}}});
  f.run(j->kernel(), 1);
  CHECK(f.slots[top2][0] == D("87.5"));          // (90 + 85) / 2
  CHECK(f.slots[top50][0] == D("87.5"));         // floor(5 × 50%) = 2
  CHECK(f.slots[top10][0] == D("90"));
  CHECK(f.slots[top9][0] == D("77"));            // 385 / 5
  CHECK(f.slots[top2][1] == 0);
  CHECK(f.slots[top50][1] == 0);
  CHECK(f.slots[top2][2] == D("1"));
  CHECK(f.errors == std::vector<int32_t>{0, 0, 0});
}

TEST_CASE("TopAvg over a long list (heap buffer) matches the interpreter's definition", "[codegen]") {
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int L = b.list("scores");
  int v = b.elementColumn(L, "v");
  int top = b.output(b.topAvg(L, b.bin(Op::Mul, b.elem(v), b.dec("0.5")), D("33"), true));
  auto j = build(b, cfg);
  Frame f(b.p, 1);
  std::vector<std::vector<int64_t>> els;
  for (int i = 0; i < 300; ++i) els.push_back({D("1") * ((i * 37) % 101)});
  f.setList(b.p, L, {v}, {els});
  f.run(j->kernel(), 1);
  // k = floor(300 × 33%) = 99 best of (i × 37 mod 101) / 2
  std::vector<int64_t> vals;
  for (auto &e : els) vals.push_back(e[0] / 2);
  std::sort(vals.rbegin(), vals.rend());
  int64_t s = 0;
  for (int i = 0; i < 99; ++i) s += vals[i];
  int32_t err = 0;
  rubric::Rational want;
  want.num = rb_rat_div(s, 1, 99 * RB_DEC_ONE, 1, &want.den, &err);  // the exact mean
  CHECK(f.value(top, 0) == want);
  CHECK(f.errors[0] == 0);
}

TEST_CASE("Elem binds to the innermost list body", "[codegen]") {
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int A = b.list("A");
  int a = b.elementColumn(A, "a");
  int Bl = b.list("B");
  int bb = b.elementColumn(Bl, "b");
  // Σ_a (a × Σ_b b): inside B's body Elem is B's element, outside it A's.
  ExprId innerSum = b.agg(AggKind::Sum, Bl, b.elem(bb));
  ExprId outer = b.agg(AggKind::Sum, A, b.bin(Op::Mul, b.elem(a), innerSum));
  int s = b.output(outer);
  auto j = build(b, cfg);
  Frame f(b.p, 2);
  f.setList(b.p, A, {a}, {{{D("1")}, {D("2")}}, {}});
  f.setList(b.p, Bl, {bb}, {{{D("10")}, {D("0.5")}}, {{D("3")}}});
  f.run(j->kernel(), 1);
  CHECK(f.slots[s] == std::vector<int64_t>{D("31.5"), 0});  // (1 + 2) × 10.5
}

TEST_CASE("phases: only the given phase runs — slots flow between assignments", "[codegen]") {
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int x = b.column("x");
  int s1 = b.output(b.bin(Op::Mul, b.col(x), b.dec("2")), 1);
  int s1b = b.output(b.bin(Op::Add, b.slotRef(s1), b.dec("1")), 1);  // reads s1 in the same phase
  int pop = b.slot(2, "population");                                  // filled by the runtime
  int s2 = b.output(b.bin(Op::Add, b.slotRef(s1b), b.slotRef(pop)), 2);
  auto j = build(b, cfg);
  Frame f(b.p, 2);
  f.cols[x] = {D("1.5"), D("4")};
  f.run(j->kernel(), 1);
  CHECK(f.slots[s1] == std::vector<int64_t>{D("3"), D("8")});
  CHECK(f.slots[s1b] == std::vector<int64_t>{D("4"), D("9")});
  CHECK(f.slots[s2] == std::vector<int64_t>{-777, -777});  // phase 2 not run yet
  f.slots[pop] = {D("100"), D("200")};
  f.slots[s1] = {0, 0};  // phase 2 must not recompute phase 1
  f.run(j->kernel(), 2);
  CHECK(f.slots[s1] == std::vector<int64_t>{0, 0});
  CHECK(f.slots[s2] == std::vector<int64_t>{D("104"), D("209")});
  f.run(j->kernel(), 3);  // no such phase: nothing happens
  CHECK(f.slots[s2] == std::vector<int64_t>{D("104"), D("209")});
}

TEST_CASE("a shared subexpression is evaluated once per record and reused", "[codegen]") {
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int x = b.column("x");
  ExprId sq = b.bin(Op::Mul, b.col(x), b.col(x));
  ExprId capped = b.bin(Op::Min, sq, b.dec("50"));
  int s1 = b.output(capped);
  int s2 = b.output(b.select(b.cmp(CmpKind::Gt, sq, b.dec("10")), sq, b.un(Op::Neg, sq)));
  auto j = build(b, cfg);
  Frame f(b.p, 3);
  f.cols[x] = {D("3"), D("8"), D("-1.5")};
  f.run(j->kernel(), 1);
  CHECK(f.slots[s1] == std::vector<int64_t>{D("9"), D("50"), D("2.25")});
  CHECK(f.slots[s2] == std::vector<int64_t>{D("-9"), D("64"), D("-2.25")});
}

TEST_CASE("copies of one expression built separately are one value: slot reads and first errors as written", "[codegen]") {
  // FromSema writes a 令 name out at each use; code generation computes equal
  // copies once per record. Each copy below is built anew (its own ExprIds).
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int x = b.column("x");
  int p = b.param("p");
  int s = b.slot(1);
  auto quotient = [&] { return b.bin(Op::Div, b.col(x), b.par(p)); };
  auto readPlusOne = [&] { return b.bin(Op::Add, b.slotRef(s), b.dec("1")); };
  int q1 = b.output(b.bin(Op::Add, quotient(), b.dec("1")));
  int before = b.output(readPlusOne());
  b.assign(s, b.bin(Op::Mul, quotient(), b.dec("2")));
  int after = b.output(readPlusOne());  // an equal copy read after the slot changed: the new value
  int q2 = b.output(b.bin(Op::Sub, quotient(), b.dec("1")));
  auto j = build(b, cfg);
  Frame f(b.p, 2);
  f.cols[x] = {D("3"), D("3")};
  f.slots[s] = {D("5"), D("5")};
  f.params[p] = D("4");
  f.run(j->kernel(), 1, 0, 1);
  // record 0: 3 ÷ 4 = 0.75; q1 = 1.75, before = 5 + 1 = 6, s = 1.5, after = 2.5, q2 = −0.25
  CHECK(f.value(q1, 0) == rubric::Rational{D("1.75"), 1});
  CHECK(f.slots[before][0] == D("6"));
  CHECK(f.value(s, 0) == rubric::Rational{D("1.5"), 1});
  CHECK(f.value(after, 0) == rubric::Rational{D("2.5"), 1});
  CHECK(f.value(q2, 0) == rubric::Rational{D("-0.25"), 1});
  CHECK(f.errors[0] == 0);
  // record 1 with p = 0: every copy fails (yields 0); the error names the first copy's item
  f.params[p] = 0;
  f.run(j->kernel(), 1, 1, 2);
  CHECK(f.value(q1, 1) == rubric::Rational{D("1"), 1});   // 0 + 1
  CHECK(f.value(q2, 1) == rubric::Rational{D("-1"), 1});  // 0 − 1
  CHECK(RB_ERR_CODE(f.errors[1]) == RB_DEC_ERR_DIV_ZERO);
  CHECK(RB_ERR_SLOT(f.errors[1]) == q1);
}

TEST_CASE("best per group with checks and counts over one list: the values and the first error of separate loops", "[codegen]") {
  // 分组最高 is one 最好 per group; with 任一/计数 over the same list they are
  // computed in one pass. A 求和 over the same list that can overflow is not
  // among them: its error still names its own item.
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int L = b.list("L");
  int key = b.elementColumn(L, "key");
  int val = b.elementColumn(L, "val");
  auto best = [&](int64_t group) {
    return b.agg(AggKind::Max, L, b.select(b.cmp(CmpKind::Eq, b.elem(key), b.k(group)), b.elem(val), b.k(0)));
  };
  int g0 = b.output(best(0));
  int sum = b.output(b.agg(AggKind::Sum, L, b.elem(val)));
  int g1 = b.output(best(1));
  int g2 = b.output(best(2));
  int any = b.output(b.agg(AggKind::Any, L, b.cmp(CmpKind::Gt, b.elem(val), b.dec("4"))));
  int all = b.output(b.agg(AggKind::All, L, b.cmp(CmpKind::Gt, b.elem(val), b.dec("2"))));
  int cnt = b.output(b.agg(AggKind::Count, L, b.cmp(CmpKind::Ge, b.elem(val), b.dec("3.5"))));
  auto j = build(b, cfg);
  Frame f(b.p, 3);
  const int64_t huge = D("9000000000000");  // two of them overflow a sum
  f.setList(b.p, L, {key, val},
            {{{0, D("3")}, {1, D("4")}, {0, D("5")}, {2, D("1")}},
             {},
             {{2, huge}, {2, huge}}});
  f.run(j->kernel(), 1);
  // record 0: group 0 max(3, 5) = 5, group 1: 4, group 2: 1; sum 3+4+5+1 = 13;
  //   any(> 4): 5 → 1; all(> 2): 1 is not → 0; count(≥ 3.5): 4, 5 → 2
  // record 1 (empty): 0, 0, 0, 0; any 0; all 1; count 0
  // record 2: groups 0 and 1 empty → 0, group 2: huge; sum overflows → 0 and the error;
  //   any 1; all 1; count 2
  CHECK(f.slots[g0] == std::vector<int64_t>{D("5"), 0, 0});
  CHECK(f.slots[g1] == std::vector<int64_t>{D("4"), 0, 0});
  CHECK(f.slots[g2] == std::vector<int64_t>{D("1"), 0, huge});
  CHECK(f.slots[sum] == std::vector<int64_t>{D("13"), 0, 0});
  CHECK(f.slots[any] == std::vector<int64_t>{1, 0, 1});
  CHECK(f.slots[all] == std::vector<int64_t>{0, 1, 1});
  CHECK(f.slots[cnt] == std::vector<int64_t>{D("2"), 0, D("2")});
  CHECK(f.errors[0] == 0);
  CHECK(f.errors[1] == 0);
  CHECK(RB_ERR_CODE(f.errors[2]) == RB_DEC_ERR_OVERFLOW);
  CHECK(RB_ERR_SLOT(f.errors[2]) == sum);
}

TEST_CASE("GroupAgg: each key's elements merged, then the outer aggregate over the groups", "[codegen]") {
  // 前50%平均(人员 按 姓名: 平均(成绩)) and its siblings. Keys are what the
  // records loader stores for a text key: equal keys, one group.
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int L = b.list("人员");
  int key = b.elementColumn(L, "姓名");
  int v = b.elementColumn(L, "成绩");
  auto group = [&](AggKind inner, int64_t outer, ExprId body, int64_t fraction = 0, bool percent = false) {
    return b.groupAgg(L, key, inner, outer, body, fraction, percent);
  };
  const int64_t top = rubric::ir::kGroupOuterTop;
  auto outerOf = [](AggKind k) { return static_cast<int64_t>(k); };
  int topAvg = b.output(group(AggKind::Average, top, b.elem(v), D("50"), true));
  int topMax = b.output(group(AggKind::Max, top, b.elem(v), D("50"), true));
  int top2Max = b.output(group(AggKind::Max, top, b.elem(v), D("2"), false));
  int avgAvg = b.output(group(AggKind::Average, outerOf(AggKind::Average), b.elem(v)));
  int sumMin = b.output(group(AggKind::Min, outerOf(AggKind::Sum), b.elem(v)));
  int persons = b.output(group(AggKind::Any, outerOf(AggKind::Count), b.k(1)));
  int anyOver10 = b.output(group(AggKind::Any, outerOf(AggKind::Count), b.cmp(CmpKind::Gt, b.elem(v), b.dec("10"))));
  int allAtLeast9 = b.output(group(AggKind::All, outerOf(AggKind::All), b.cmp(CmpKind::Ge, b.elem(v), b.dec("9"))));
  int maxCount = b.output(group(AggKind::Count, outerOf(AggKind::Max), b.cmp(CmpKind::Ge, b.elem(v), b.dec("9"))));
  auto j = build(b, cfg);
  Frame f(b.p, 4);
  f.setList(b.p, L, {key, v},
            {{{0, D("15")}, {1, D("12")}, {0, D("9")}, {3, D("6")}},  // 甲 15, 9; 乙 12; 丙 6
             {},                                                   // nobody
             {{5, D("1")}, {5, D("2")}},                            // one person, two rounds
             {{7, D("1")}, {7, D("1")}, {7, D("2")}, {8, D("3")}}}); // 甲 1, 1, 2; 乙 3
  f.run(j->kernel(), 1);
  using R = rubric::Rational;
  // record 0: 平均 甲 (15 + 9)/2 = 12, 乙 12, 丙 6; 最好 甲 15, 乙 12, 丙 6; 3 persons, ⌊3 × 50%⌋ = 1
  CHECK(f.value(topAvg, 0) == R{D("12"), 1});
  CHECK(f.value(topMax, 0) == R{D("15"), 1});
  CHECK(f.value(top2Max, 0) == R{D("13.5"), 1});      // (15 + 12)/2
  CHECK(f.value(avgAvg, 0) == R{D("10"), 1});         // (12 + 12 + 6)/3
  CHECK(f.value(sumMin, 0) == R{D("27"), 1});         // 9 + 12 + 6
  CHECK(f.value(persons, 0) == R{D("3"), 1});
  CHECK(f.value(anyOver10, 0) == R{D("2"), 1});       // 甲 (15), 乙 (12); not 丙
  CHECK(f.value(allAtLeast9, 0) == R{0, 1});          // 丙 6 < 9
  CHECK(f.value(maxCount, 0) == R{D("2"), 1});        // 甲 15 and 9
  // record 1: no group — 0, except 全部 (1)
  for (int s : {topAvg, topMax, top2Max, avgAvg, sumMin, persons, anyOver10, maxCount}) CHECK(f.value(s, 1) == R{0, 1});
  CHECK(f.value(allAtLeast9, 1) == R{1, 1});
  // record 2: one group 平均(1, 2) = 1.5; 最好 2; one person
  CHECK(f.value(topAvg, 2) == R{D("1.5"), 1});
  CHECK(f.value(topMax, 2) == R{D("2"), 1});
  CHECK(f.value(avgAvg, 2) == R{D("1.5"), 1});
  CHECK(f.value(sumMin, 2) == R{D("1"), 1});
  CHECK(f.value(persons, 2) == R{D("1"), 1});
  // record 3: 甲 (1 + 1 + 2)/3 = 4/3, 乙 3: top ⌊2 × 50%⌋ = 1 → 3; mean (4/3 + 3)/2 = 13/6
  CHECK(f.value(topAvg, 3) == R{D("3"), 1});
  CHECK(f.value(avgAvg, 3) == R{D("13") / 2, 3});     // 13/6 = 6.5/3 (raw 6500000 / 3)
  CHECK(f.value(top2Max, 3) == R{D("2.5"), 1});       // 最好: 甲 2, 乙 3 → (2 + 3)/2
  CHECK(f.errors == std::vector<int32_t>{0, 0, 0, 0});
}

TEST_CASE("GroupAgg inline: groups of 1–3 equal keys, every merge, ties at the top average's edge, past 64 elements", "[codegen]") {
  // The inline form (genGroupAggInline) with a wide body, 0.4 × 成绩 (7 decimals),
  // and the call path (inlineDecimal off, > 64 elements) must give these same
  // hand-computed values. Keys are the loader's group indices (equal after
  // trimming: the same number; tests/e2e/group_aggregate_test.sh trims " 甲 ").
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int L = b.list("人员");
  int key = b.elementColumn(L, "姓名");
  int v = b.elementColumn(L, "成绩");
  auto group = [&](AggKind inner, int64_t outer, ExprId body, int64_t fraction = 0, bool percent = false) {
    return b.groupAgg(L, key, inner, outer, body, fraction, percent);
  };
  const int64_t top = rubric::ir::kGroupOuterTop;
  auto outerOf = [](AggKind k) { return static_cast<int64_t>(k); };
  ExprId body = b.bin(Op::Mul, b.dec("0.4"), b.elem(v));  // wide: 10^-7 units
  int top50Avg = b.output(group(AggKind::Average, top, body, D("50"), true));
  int top2Avg = b.output(group(AggKind::Average, top, body, D("2"), false));
  int top3Avg = b.output(group(AggKind::Average, top, body, D("3"), false));
  int sumAvg = b.output(group(AggKind::Average, outerOf(AggKind::Sum), body));
  int avgAvg = b.output(group(AggKind::Average, outerOf(AggKind::Average), body));
  int maxMin = b.output(group(AggKind::Min, outerOf(AggKind::Max), body));
  int minMax = b.output(group(AggKind::Max, outerOf(AggKind::Min), body));
  int sumSum = b.output(group(AggKind::Sum, outerOf(AggKind::Sum), body));
  int top50Min = b.output(group(AggKind::Min, top, body, D("50"), true));
  int maxAvg = b.output(group(AggKind::Average, outerOf(AggKind::Max), body));
  ExprId atLeast2 = b.cmp(CmpKind::Ge, b.elem(v), b.dec("2"));
  int countCount = b.output(group(AggKind::Count, outerOf(AggKind::Count), atLeast2));
  int maxCount = b.output(group(AggKind::Count, outerOf(AggKind::Max), atLeast2));
  int allAny = b.output(group(AggKind::Any, outerOf(AggKind::All), b.cmp(CmpKind::Gt, b.elem(v), b.dec("3"))));
  int anyAll = b.output(group(AggKind::All, outerOf(AggKind::Any), b.cmp(CmpKind::Ge, b.elem(v), b.dec("1"))));
  int persons = b.output(group(AggKind::Any, outerOf(AggKind::Count), b.k(1)));
  auto j = build(b, cfg);
  std::vector<std::vector<int64_t>> long70;
  for (int i = 0; i < 70; ++i) long70.push_back({i % 2, D("1")});
  Frame f(b.p, 4);
  f.setList(b.p, L, {key, v},
            {{{10, D("1")}, {20, D("3")}, {10, D("2")}, {30, D("5")}, {20, D("0.000001")}, {10, D("4")}},
             {},
             {{1, D("2")}, {2, D("5")}, {1, D("4")}, {3, D("3")}, {4, D("1")}},
             long70});
  f.run(j->kernel(), 1);
  using R = rubric::Rational;
  // record 0, 0.4 × 成绩: A (key 10) 0.4, 0.8, 1.6; B (20) 1.2, 0.0000004; C (30) 2.
  //   平均: A 2.8/3 = 14/15, B 1.2000004/2 = 0.6000002, C 2 (raw: 14·10^6/15, 3000001/5, 2·10^6).
  CHECK(f.value(top50Avg, 0) == R{D("2"), 1});                 // ⌊3 × 50%⌋ = 1: C
  CHECK(f.value(top2Avg, 0) == R{4400000, 3});                 // (2 + 14/15)/2 = 22/15 → 22·10^6/15 = 4.4·10^6/3
  CHECK(f.value(top3Avg, 0) == R{53000003, 45});               // the sum below / 3
  CHECK(f.value(sumAvg, 0) == R{53000003, 15});                // (14·10^6 + 3·3000001 + 30·10^6)/15; 53000003 ⊥ 15
  CHECK(f.value(avgAvg, 0) == R{53000003, 45});
  CHECK(f.value(maxMin, 0) == R{D("2"), 1});                   // 最差: A 0.4, B 0.0000004, C 2
  CHECK(f.value(minMax, 0) == R{D("1.2"), 1});                 // 最好: A 1.6, B 1.2, C 2
  CHECK(f.value(sumSum, 0) == R{30000002, 5});                 // 6.0000004 = 6000000.4 raw
  CHECK(f.value(top50Min, 0) == R{D("2"), 1});
  CHECK(f.value(maxAvg, 0) == R{D("2"), 1});
  CHECK(f.value(countCount, 0) == R{D("3"), 1});               // ≥ 2: A 2 (2, 4), B 1 (3), C 1 (5): 3 groups
  CHECK(f.value(maxCount, 0) == R{D("2"), 1});
  CHECK(f.value(allAny, 0) == R{0, 1});                        // > 3: A 4, B none, C 5
  CHECK(f.value(anyAll, 0) == R{1, 1});                        // ≥ 1: all of A
  CHECK(f.value(persons, 0) == R{D("3"), 1});
  // record 1: no element — 0, except 全部 (1)
  for (int s : {top50Avg, top2Avg, top3Avg, sumAvg, avgAvg, maxMin, minMax, sumSum, top50Min, maxAvg, countCount,
                maxCount, anyAll, persons})
    CHECK(f.value(s, 1) == R{0, 1});
  CHECK(f.value(allAny, 1) == R{1, 1});
  // record 2: 平均 key 1 (0.8 + 1.6)/2 = 1.2, key 2 2, key 3 1.2, key 4 0.4. Top 2 (⌊4 × 50%⌋):
  //   2 and one of the tied 1.2 → 1.6 (both tied: 2.2; neither: 1); top 3: (2 + 1.2 + 1.2)/3 = 4.4/3.
  CHECK(f.value(top50Avg, 2) == R{D("1.6"), 1});
  CHECK(f.value(top2Avg, 2) == R{D("1.6"), 1});
  CHECK(f.value(top3Avg, 2) == R{4400000, 3});
  CHECK(f.value(sumAvg, 2) == R{D("4.8"), 1});                 // 1.2 + 2 + 1.2 + 0.4
  CHECK(f.value(avgAvg, 2) == R{D("1.2"), 1});                 // 4.8 / 4
  CHECK(f.value(persons, 2) == R{D("4"), 1});
  // record 3: 70 elements (past the inline form's 64: the call), keys 0, 1 alternating, 成绩 1:
  //   two groups of 35 of 0.4; top 1 of 2: 0.4; 求和(求和) 70 × 0.4 = 28.
  CHECK(f.value(top50Avg, 3) == R{D("0.4"), 1});
  CHECK(f.value(sumSum, 3) == R{D("28"), 1});
  CHECK(f.value(persons, 3) == R{D("2"), 1});
  CHECK(f.errors == std::vector<int32_t>{0, 0, 0, 0});
}

TEST_CASE("GroupAgg inline: where int64 could overflow the helper decides, on the same slot", "[codegen]") {
  // The inline form leaves for rb_kernel_group_aggregate when a value, a running
  // sum or the outer sum of magnitudes passes int64: the helper's value, and its
  // error only when it meets one.
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int L = b.list("人员");
  int key = b.elementColumn(L, "姓名");
  int v = b.elementColumn(L, "成绩");
  auto group = [&](AggKind inner, int64_t outer, ExprId body) {
    return b.groupAgg(L, key, inner, outer, body, D("50"), true);
  };
  int wideTop = b.output(group(AggKind::Average, rubric::ir::kGroupOuterTop, b.bin(Op::Mul, b.dec("0.4"), b.elem(v))));
  int sumSum = b.output(group(AggKind::Sum, static_cast<int64_t>(AggKind::Sum), b.elem(v)));
  auto j = build(b, cfg);
  Frame f(b.p, 3);
  const int64_t big = D("5000000000000");  // 5·10^18 raw
  f.setList(b.p, L, {key, v},
            {{{1, D("3000000000000")}},                 // 0.4 × 3·10^18 raw = 1.2·10^19 units of 10^-7: past int64
             {{1, big}, {2, -big}},                     // groups 5·10^18 and −5·10^18: Σ|·| = 10^19
             {{1, big}, {1, big}, {1, -big}}});         // one group: 5·10^18 + 5·10^18 overflows
  f.run(j->kernel(), 1);
  using R = rubric::Rational;
  CHECK(f.value(wideTop, 0) == R{D("1200000000000"), 1});  // 1.2·10^18 raw fits: no error
  CHECK(f.value(sumSum, 0) == R{D("3000000000000"), 1});
  CHECK(f.value(sumSum, 1) == R{0, 1});                    // 5·10^18 − 5·10^18: no error
  CHECK(f.errors[0] == 0);
  CHECK(f.errors[1] == 0);
  CHECK(f.value(wideTop, 1) == R{D("2000000000000"), 1});  // groups 2·10^18 and −2·10^18 raw: top 1
  // record 2: 0.4 × 成绩 (2·10^19 units of 10^-7 each) are 2·10^18 raw as fractions; the helper's
  // running sum 4·10^18 fits, then 2·10^18 / 3. 求和's running sum 10^19 overflows in rb_rat_add:
  // 0 and the error, on its slot.
  CHECK(f.value(wideTop, 2) == R{2000000000000000000, 3});
  CHECK(f.value(sumSum, 2) == R{0, 1});
  CHECK(RB_ERR_CODE(f.errors[2]) == RB_DEC_ERR_OVERFLOW);
  CHECK(RB_ERR_SLOT(f.errors[2]) == sumSum);
}

TEST_CASE("reading a slot before it is assigned sees the previous contents", "[codegen]") {
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int s = b.slot(1);
  int before = b.slot(1);
  int after = b.slot(1);
  ExprId read = b.bin(Op::Add, b.slotRef(s), b.dec("1"));
  b.assign(before, read);
  b.assign(s, b.dec("10"));
  b.assign(after, read);  // same ExprId: must see the new value
  auto j = build(b, cfg);
  Frame f(b.p, 1);
  f.slots[s] = {D("5")};
  f.run(j->kernel(), 1);
  CHECK(f.slots[before][0] == D("6"));
  CHECK(f.slots[after][0] == D("11"));
}

TEST_CASE("malformed programs are rejected with an error, not a crash", "[codegen]") {
  ProgramBuilder b;
  b.column("x");
  Expr bad;
  bad.op = Op::Column;
  bad.index = 5;
  b.output(b.p.add(bad));
  auto j = rubric::jit::KernelJit::create(b.p, 0);
  REQUIRE(!j);
  std::string msg = llvm::toString(j.takeError());
  CHECK(msg.find("column 5") != std::string::npos);

  ProgramBuilder c;
  c.output(c.elem(c.column("y")));  // Elem outside a list body
  auto j2 = rubric::jit::KernelJit::create(c.p, 0);
  REQUIRE(!j2);
  CHECK(llvm::toString(j2.takeError()).find("Elem outside") != std::string::npos);

  ProgramBuilder d;
  Expr self;
  self.op = Op::Neg;
  self.a = 0;  // expr 0 is its own operand
  d.output(d.p.add(self));
  auto j3 = rubric::jit::KernelJit::create(d.p, 0);
  REQUIRE(!j3);
  CHECK(llvm::toString(j3.takeError()).find("depends on itself") != std::string::npos);
}

TEST_CASE("a shared Elem node inside a nested aggregate over the same list is the inner element", "[codegen]") {
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int L = b.list("scores");
  int v = b.elementColumn(L, "v");
  ExprId e = b.elem(v);  // one node, used in both bodies
  // 计数(scores, v ≥ 平均(scores, v)): how many are at least the average
  ExprId avg = b.agg(AggKind::Average, L, e);
  int atLeastAvg = b.output(b.agg(AggKind::Count, L, b.cmp(CmpKind::Ge, e, avg)));
  // and the same with the inner aggregate evaluated first in the body
  int aboveAvg = b.output(b.agg(AggKind::Count, L, b.cmp(CmpKind::Lt, avg, e)));
  auto j = build(b, cfg);
  Frame f(b.p, 2);
  f.setList(b.p, L, {v}, {{{D("1")}, {D("2")}, {D("6")}}, {{D("5")}, {D("5")}}});
  f.run(j->kernel(), 1);
  CHECK(f.slots[atLeastAvg] == std::vector<int64_t>{D("1"), D("2")});  // avg 3: only 6; avg 5: both
  CHECK(f.slots[aboveAvg] == std::vector<int64_t>{D("1"), 0});
}

// ───── Values past 6 decimals: the wide fixed point and the fraction fast paths ─────
// Every slot below is checked as the reduced pair the interpreter stores
// (numerator, denominator in raw units, real value = num / (den × 10^6)).
namespace {
std::string pairOf(const Frame &f, int s, int64_t r) {
  return std::to_string(f.slots[s][r]) + "/" + std::to_string(f.dens[s][r]);
}
} // namespace

TEST_CASE("a percentage times a 6-decimal score stays exact (2025 巴南 个人 4.1)", "[codegen][wide]") {
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int a = b.column("a"), c2 = b.column("b"), c3 = b.column("c");
  ExprId pa = b.bin(Op::Mul, b.dec("0.4"), b.col(a));  // 7 decimals
  ExprId pb = b.bin(Op::Mul, b.dec("0.5"), b.col(c2));
  ExprId pc = b.bin(Op::Mul, b.dec("0.1"), b.col(c3));
  int s1 = b.output(pa);
  int s2 = b.output(b.bin(Op::Mul, b.dec("25"), b.bin(Op::Add, b.bin(Op::Add, pa, pb), pc)));
  int s3 = b.output(b.cmp(CmpKind::Ge, pa, b.dec("0.24")));
  int s3b = b.output(b.cmp(CmpKind::Eq, pb, b.dec("0.24")));
  int s4 = b.output(b.un(Op::Round, pa, 6));
  int s5 = b.output(b.un(Op::Floor, pa, 6));
  int s6 = b.output(b.un(Op::Ceil, pa, 2));
  int s7 = b.output(b.bin(Op::Mul, b.col(a), b.col(c2)));  // 12 decimals
  int s8 = b.output(b.bin(Op::Max, pa, pb));
  auto j = build(b, cfg);
  Frame f(b.p, 2);
  f.cols[a] = {D("0.599999"), D("-0.599999")};
  f.cols[c2] = {D("0.850001"), D("0.48")};
  f.cols[c3] = {D("1"), 0};
  f.run(j->kernel(), 1);
  // 0.4 × 0.599999 = 0.2399996 = 239999.6 raw = 1199998/5 raw
  CHECK(pairOf(f, s1, 0) == "1199998/5");
  CHECK(pairOf(f, s1, 1) == "-1199998/5");
  // 25 × (0.2399996 + 0.4250005 + 0.1) = 25 × 0.7650001 = 19.1250025 = 38250005/2 raw
  CHECK(pairOf(f, s2, 0) == "38250005/2");
  // 25 × (−0.2399996 + 0.24 + 0) = 25 × 0.0000004 = 0.00001: a decimal again, 10 raw
  CHECK(pairOf(f, s2, 1) == "10/1");
  CHECK(f.slots[s3] == std::vector<int64_t>{0, 0});   // ±0.2399996 ≥ 0.24: no
  CHECK(f.slots[s3b] == std::vector<int64_t>{0, 1});  // 0.5 × 0.48 = 0.24 exactly
  CHECK(f.slots[s4] == std::vector<int64_t>{D("0.24"), D("-0.24")});       // 0.2399996 → 0.240000 (half up from 0.6)
  CHECK(f.slots[s5] == std::vector<int64_t>{D("0.239999"), D("-0.24")});   // floor; floor(−0.2399996) = −0.240000
  CHECK(f.slots[s6] == std::vector<int64_t>{D("0.24"), D("-0.23")});       // ceil to 2 decimals
  // 0.599999 × 0.850001 = 509999749999 × 10^-12 = 509999749999/10^6 raw (odd, no factor 5)
  CHECK(pairOf(f, s7, 0) == "509999749999/1000000");
  // −0.599999 × 0.48 = −0.28799952 = −28799952/100 raw = −7199988/25 raw
  CHECK(pairOf(f, s7, 1) == "-7199988/25");
  // max(0.2399996, 0.4250005) = 425000.5 raw = 850001/2; max(−0.2399996, 0.24) = 0.24
  CHECK(pairOf(f, s8, 0) == "850001/2");
  CHECK(pairOf(f, s8, 1) == "240000/1");
  CHECK(f.errors == std::vector<int32_t>{0, 0});
}

TEST_CASE("half a raw unit rounds away from zero — floor and ceil go to the next unit", "[codegen][wide]") {
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int a = b.column("a");
  ExprId half = b.bin(Op::Mul, b.dec("0.5"), b.col(a));  // ±0.0000005 for a = ±0.000001
  int r = b.output(b.un(Op::Round, half, 6));
  int fl = b.output(b.un(Op::Floor, half, 6));
  int ce = b.output(b.un(Op::Ceil, half, 6));
  int r0 = b.output(b.un(Op::Round, half, 0));
  auto j = build(b, cfg);
  Frame f(b.p, 2);
  f.cols[a] = {D("0.000001"), D("-0.000001")};
  f.run(j->kernel(), 1);
  CHECK(f.slots[r] == std::vector<int64_t>{1, -1});    // 0.0000005 → 0.000001, −0.0000005 → −0.000001
  CHECK(f.slots[fl] == std::vector<int64_t>{0, -1});
  CHECK(f.slots[ce] == std::vector<int64_t>{1, 0});
  CHECK(f.slots[r0] == std::vector<int64_t>{0, 0});
  CHECK(f.errors == std::vector<int32_t>{0, 0});
}

TEST_CASE("wide values near the int64 limit: exact when the reduced result fits, an error when not", "[codegen][wide]") {
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  const int64_t huge = D("9000000000000");  // 9×10^12 = 9×10^18 raw, INT64_MAX ≈ 9.22×10^18
  auto run = [&](const char *factor, std::vector<int64_t> column) {
    ProgramBuilder b;
    int a = b.column("a");
    int s = b.output(b.bin(Op::Mul, b.dec(factor), b.col(a)));
    auto j = build(b, cfg);
    Frame f(b.p, static_cast<int64_t>(column.size()));
    f.cols[a] = column;
    f.run(j->kernel(), 1);
    return std::make_pair(f, s);
  };
  {
    // 0.5 × 9×10^18 raw: 45×10^18 tenths of a raw unit do not fit in int64, the
    // reduced value 4.5×10^18 raw does: no error.
    auto [f, s] = run("0.5", {huge, -huge, D("0.000001")});
    CHECK(pairOf(f, s, 0) == "4500000000000000000/1");
    CHECK(pairOf(f, s, 1) == "-4500000000000000000/1");
    CHECK(pairOf(f, s, 2) == "1/2");  // 0.0000005
    CHECK(f.errors == std::vector<int32_t>{0, 0, 0});
  }
  {
    // 3.5 × 9×10^18 raw = 3.15×10^19 raw: beyond int64 → overflow, the slot is 0
    auto [f, s] = run("3.5", {huge, -huge, D("0.000001")});
    CHECK(pairOf(f, s, 0) == "0/1");
    CHECK(RB_ERR_CODE(f.errors[0]) == RB_DEC_ERR_OVERFLOW);
    CHECK(RB_ERR_CODE(f.errors[1]) == RB_DEC_ERR_OVERFLOW);
    CHECK(pairOf(f, s, 2) == "7/2");  // 0.0000035 = 3.5 raw
    CHECK(f.errors[2] == 0);
  }
  {
    // a × a: (9×10^12)² = 8.1×10^25: overflow; 0.000001² = 10^-12 = 1/10^6 raw
    ProgramBuilder b;
    int a = b.column("a");
    int s = b.output(b.bin(Op::Mul, b.col(a), b.col(a)));
    int t = b.output(b.bin(Op::Mul, b.bin(Op::Mul, b.col(a), b.col(a)), b.col(a)));  // 18 decimals
    auto j = build(b, cfg);
    Frame f(b.p, 2);
    f.cols[a] = {huge, D("0.001")};
    f.run(j->kernel(), 1);
    CHECK(pairOf(f, s, 0) == "0/1");
    CHECK(RB_ERR_CODE(f.errors[0]) == RB_DEC_ERR_OVERFLOW);
    CHECK(pairOf(f, s, 1) == "1/1");  // 0.001² = 0.000001 = 1 raw
    CHECK(pairOf(f, t, 1) == "1/1000");  // 0.001³ = 10^-9 = 1/1000 raw
    CHECK(f.errors[1] == 0);
  }
}

TEST_CASE("fractions plus decimals stay reduced without a gcd — equal denominators reduce", "[codegen][wide]") {
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int a = b.column("a"), c2 = b.column("b");
  ExprId third = b.bin(Op::Div, b.col(a), b.dec("3"));
  int sum = b.output(b.bin(Op::Add, third, b.col(c2)));
  int diff = b.output(b.bin(Op::Sub, b.col(c2), third));
  int same = b.output(b.bin(Op::Add, third, b.bin(Op::Div, b.col(c2), b.dec("3"))));
  auto j = build(b, cfg);
  Frame f(b.p, 3);
  f.cols[a] = {D("1"), D("1"), D("1")};
  f.cols[c2] = {D("0.5"), D("2"), 4'000'000'000'000'000'000};
  f.run(j->kernel(), 1);
  // 1/3 + 0.5 = (10^6 + 3 × 500000)/3 raw = 2500000/3; 0.5 − 1/3 = 500000/3
  CHECK(pairOf(f, sum, 0) == "2500000/3");
  CHECK(pairOf(f, diff, 0) == "500000/3");
  // 1/3 + 0.5/3 = 1500000/3 raw = 500000: equal denominators, reduced to a decimal
  CHECK(pairOf(f, same, 0) == "500000/1");
  // 1/3 + 2/3 = 1; 1/3 + 2 = 7/3 → 7000000/3 raw
  CHECK(pairOf(f, same, 1) == "1000000/1");
  CHECK(pairOf(f, sum, 1) == "7000000/3");
  CHECK(f.errors[0] == 0);
  CHECK(f.errors[1] == 0);
  // 10^6/3 + 4×10^18: numerator 10^6 + 1.2×10^19 > INT64_MAX, and gcd with 3 is 1
  // (1.2×10^19 ≡ 0, 10^6 ≡ 1 mod 3): a real overflow, not a wrong number
  CHECK(pairOf(f, sum, 2) == "0/1");
  CHECK(RB_ERR_CODE(f.errors[2]) == RB_DEC_ERR_OVERFLOW);
  CHECK(RB_ERR_SLOT(f.errors[2]) == sum);
}

TEST_CASE("aggregates over a wide body: best, sum and average are exact", "[codegen][wide]") {
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int L = b.list("rounds");
  int x = b.elementColumn(L, "x");
  ExprId body = b.bin(Op::Mul, b.dec("0.4"), b.elem(x));
  int best = b.output(b.agg(AggKind::Max, L, body));
  int worst = b.output(b.agg(AggKind::Min, L, body));
  int sum = b.output(b.agg(AggKind::Sum, L, body));
  int avg = b.output(b.agg(AggKind::Average, L, body));
  int top = b.output(b.topAvg(L, body, D("1"), false));
  auto j = build(b, cfg);
  Frame f(b.p, 2);
  f.setList(b.p, L, {x}, {{{D("0.599999")}, {D("0.000001")}}, {}});
  f.run(j->kernel(), 1);
  // bodies 0.2399996 (1199998/5 raw) and 0.0000004 (2/5 raw)
  CHECK(pairOf(f, best, 0) == "1199998/5");
  CHECK(pairOf(f, worst, 0) == "2/5");
  CHECK(pairOf(f, sum, 0) == "240000/1");  // 0.2399996 + 0.0000004 = 0.24
  CHECK(pairOf(f, avg, 0) == "120000/1");  // 0.24 / 2
  CHECK(pairOf(f, top, 0) == "1199998/5"); // the top 1
  for (int s : {best, worst, sum, avg}) CHECK(pairOf(f, s, 1) == "0/1");  // empty list: 0
  CHECK(f.errors == std::vector<int32_t>{0, 0});
}

TEST_CASE("division by a constant whose reciprocal terminates is exact", "[codegen][wide]") {
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int x = b.column("x");
  int half = b.output(b.bin(Op::Div, b.col(x), b.dec("2")));
  int twice = b.output(b.bin(Op::Div, b.col(x), b.dec("0.5")));
  int cent = b.output(b.bin(Op::Div, b.col(x), b.dec("100")));
  int negQuarter = b.output(b.bin(Op::Div, b.col(x), b.dec("-4")));
  int third = b.output(b.bin(Op::Div, b.col(x), b.dec("3")));
  auto j = build(b, cfg);
  Frame f(b.p, 3);
  f.cols[x] = {D("0.000001"), D("3"), D("9000000000000")};
  f.run(j->kernel(), 1);
  // 0.000001 ÷ 2 = 0.0000005 = 1/2 raw; 3 ÷ 2 = 1.5
  CHECK(pairOf(f, half, 0) == "1/2");
  CHECK(pairOf(f, half, 1) == "1500000/1");
  CHECK(pairOf(f, twice, 0) == "2/1");          // ÷ 0.5 = × 2
  CHECK(pairOf(f, cent, 0) == "1/100");         // 10^-8 = 0.01 raw
  CHECK(pairOf(f, cent, 1) == "30000/1");       // 0.03
  CHECK(pairOf(f, negQuarter, 1) == "-750000/1");  // 3 ÷ −4 = −0.75
  CHECK(pairOf(f, third, 1) == "1000000/1");    // 3 ÷ 3 = 1
  CHECK(pairOf(f, third, 0) == "1/3");          // 0.000001 ÷ 3 = 1/3 raw
  CHECK(f.errors[0] == 0);
  CHECK(f.errors[1] == 0);
  // 9×10^12 ÷ 2 = 4.5×10^12 fits; the next one, 9×10^12 ÷ 0.5 = 1.8×10^13, does not:
  // 1.8×10^19 raw > INT64_MAX, so the record's error is an overflow at that slot
  CHECK(pairOf(f, half, 2) == "4500000000000000000/1");
  CHECK(pairOf(f, twice, 2) == "0/1");
  CHECK(RB_ERR_CODE(f.errors[2]) == RB_DEC_ERR_OVERFLOW);
  CHECK(RB_ERR_SLOT(f.errors[2]) == twice);
}

TEST_CASE("fractions over two denominators: exact and reduced, overflow an error (新疆 集体 四.1)", "[codegen][wide]") {
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int a = b.column("a"), t1 = b.column("t1"), c = b.column("c"), t2 = b.column("t2"), n = b.column("n");
  // 新疆 集体 四.1: n 超过 0.5 × (a ÷ t1 + c ÷ t2) ÷ 2
  ExprId share = b.bin(Op::Add, b.bin(Op::Div, b.col(a), b.col(t1)), b.bin(Op::Div, b.col(c), b.col(t2)));
  ExprId base = b.bin(Op::Div, b.bin(Op::Mul, b.dec("0.5"), share), b.dec("2"));
  int sum = b.output(share);
  int quarter = b.output(base);
  int over = b.output(b.cmp(CmpKind::Gt, b.col(n), base));
  auto j = build(b, cfg);
  Frame f(b.p, 4);
  f.cols[a] = {D("1"), D("1"), D("4000000000000"), D("1000000000000")};
  f.cols[t1] = {D("6"), D("4"), D("3"), D("3")};
  f.cols[c] = {D("1"), D("1"), D("4000000000000"), D("1000000000000")};
  f.cols[t2] = {D("10"), D("4"), D("7"), D("6")};
  f.cols[n] = {D("0.066667"), D("0.125"), D("0"), D("0")};
  f.run(j->kernel(), 1);
  // 1/6 + 1/10 = 4/15 = 4·10^6/15 raw = 800000/3; × 0.5 ÷ 2 = 1/15 = 200000/3 raw
  CHECK(pairOf(f, sum, 0) == "800000/3");
  CHECK(pairOf(f, quarter, 0) == "200000/3");
  CHECK(f.slots[over][0] == 1);  // 0.066667 > 0.0666666…
  // 1/4 + 1/4 = 0.5; 0.5 × 0.5 ÷ 2 = 0.125, and 0.125 is not > 0.125
  CHECK(pairOf(f, sum, 1) == "500000/1");
  CHECK(pairOf(f, quarter, 1) == "125000/1");
  CHECK(f.slots[over][1] == 0);
  CHECK(f.errors[0] == 0);
  CHECK(f.errors[1] == 0);
  // 4·10^12/3 + 4·10^12/7 = 4·10^13/21: numerator 4·10^19 raw > INT64_MAX, and
  // gcd(4·10^19, 21) = 1 — a real overflow, reported on the first slot that meets it
  CHECK(pairOf(f, sum, 2) == "0/1");
  CHECK(RB_ERR_CODE(f.errors[2]) == RB_DEC_ERR_OVERFLOW);
  CHECK(RB_ERR_SLOT(f.errors[2]) == sum);
  // 10^12/3 + 10^12/6 = 5·10^11: the cross products overflow int64, the
  // reduced sum does not (10^18/3 + 5·10^17/3 = 1.5·10^18/3 raw = 5·10^17)
  CHECK(pairOf(f, sum, 3) == "500000000000000000/1");
  CHECK(pairOf(f, quarter, 3) == "125000000000000000/1");  // 5·10^11 × 0.5 ÷ 2 = 1.25·10^11
  CHECK(f.errors[3] == 0);
}

TEST_CASE("top average of a wide body: the running sum may pass int64 only when its reduced form fits", "[codegen][wide]") {
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int L = b.list("people");
  int x = b.elementColumn(L, "x");
  ExprId body = b.bin(Op::Mul, b.dec("0.5"), b.elem(x));  // 7 decimals: wide
  int top2 = b.output(b.topAvg(L, body, D("2"), false));
  int top3 = b.output(b.topAvg(L, body, D("3"), false));
  int top50 = b.output(b.topAvg(L, body, D("50"), true));
  auto j = build(b, cfg);
  Frame f(b.p, 2);
  f.setList(b.p, L, {x},
            {{{D("9000000000000")}, {D("1")}, {D("9000000000000")}, {D("9000000000000")}},
             {{D("0.000001")}, {D("0.000003")}, {D("0.000002")}}});
  f.run(j->kernel(), 1);
  // row 0: bodies 4.5·10^12 (×3) and 0.5. Top 2: sum 9·10^12 = 9·10^18 raw (its
  // wide form 9·10^19 tenths does not fit in int64, the reduced one does), mean
  // 4.5·10^12 = 4.5·10^18 raw
  CHECK(pairOf(f, top2, 0) == "4500000000000000000/1");
  // top 50% of 4 = top 2: the same
  CHECK(pairOf(f, top50, 0) == "4500000000000000000/1");
  // top 3: the running sum 1.35·10^13 = 1.35·10^19 raw does not fit: overflow,
  // reported on that slot; its value is 0
  CHECK(pairOf(f, top3, 0) == "0/1");
  CHECK(RB_ERR_CODE(f.errors[0]) == RB_DEC_ERR_OVERFLOW);
  CHECK(RB_ERR_SLOT(f.errors[0]) == top3);
  // row 1: bodies 0.0000005, 0.0000015, 0.000001 (5, 15, 10 tenths of a raw unit).
  // Top 2: (15 + 10)/2 = 12.5 tenths = 5/4 raw; top 3: 30/3 = 10 tenths = 1 raw;
  // top 50% of 3 = top 1: 15 tenths = 3/2 raw
  CHECK(pairOf(f, top2, 1) == "5/4");
  CHECK(pairOf(f, top3, 1) == "1/1");
  CHECK(pairOf(f, top50, 1) == "3/2");
  CHECK(f.errors[1] == 0);
}

// 连续年数: a 年份集 column holds bit (y − 1990) per year y; YearRun counts the
// consecutive years ending at imm, as an rb_dec count, in a compare and a product.
TEST_CASE("YearRun: consecutive years of a year-set column", "[codegen]") {
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int years = b.column("获奖年份");
  b.p.desc.columns[years].kind = rubric::runtime::ValueKind::YearSet;
  Expr run;
  run.op = Op::YearRun;
  run.index = years;
  run.imm = 2024;
  ExprId r = b.p.add(run);
  int count = b.output(r);
  int vetoed = b.output(b.cmp(CmpKind::Ge, r, b.dec("3")));
  int points = b.output(b.bin(Op::Mul, b.dec("0.5"), r));
  auto j = build(b, cfg);
  Frame f(b.p, 4);
  auto bit = [](int y) { return int64_t{1} << (y - 1990); };
  f.cols[years] = {bit(2022) | bit(2023) | bit(2024),            // 2024, 2023, 2022 → 3
                   bit(2021) | bit(2022) | bit(2024),            // 2024; 2023 missing → 1
                   bit(2021) | bit(2022) | bit(2023),            // 2024 missing → 0
                   bit(2019) | bit(2020) | bit(2021) | bit(2022) | bit(2023) | bit(2024)};  // → 6
  f.run(j->kernel(), 1);
  CHECK(f.slots[count] == std::vector<int64_t>{D("3"), D("1"), 0, D("6")});
  CHECK(f.slots[vetoed] == std::vector<int64_t>{1, 0, 0, 1});
  CHECK(f.slots[points] == std::vector<int64_t>{D("1.5"), D("0.5"), 0, D("3")});  // 0.5 × 3, 0.5 × 1, 0, 0.5 × 6
}

TEST_CASE("comparing with a decimal times a fraction: cross-multiplied, same values and errors (新疆 集体 四)", "[codegen][wide]") {
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int n = b.column("n"), a = b.column("a"), t = b.column("t"), c = b.column("c");
  // 查处案件数 超过 c × (a ÷ t); the product never becomes a slot of its own
  ExprId frac = b.bin(Op::Div, b.col(a), b.col(t));
  ExprId prod = b.bin(Op::Mul, b.col(c), frac);
  int gt = b.output(b.cmp(CmpKind::Gt, b.col(n), prod));
  int ge = b.output(b.cmp(CmpKind::Ge, b.col(n), prod));
  int eq = b.output(b.cmp(CmpKind::Eq, b.col(n), prod));
  int lt = b.output(b.cmp(CmpKind::Lt, b.col(n), prod));
  int le = b.output(b.cmp(CmpKind::Le, b.col(n), b.bin(Op::Mul, frac, b.col(c))));  // fraction first
  auto j = build(b, cfg);
  Frame f(b.p, 6);
  f.cols[n] = {D("0.1"), D("-0.099999"), D("0.999999"), D("1"), D("9000000000000"), D("5")};
  f.cols[a] = {D("1"), D("1"), D("2"), D("9000000000000"), D("9000000000000"), D("1")};
  f.cols[t] = {D("3"), D("-3"), D("3"), D("7"), D("3"), D("1")};
  f.cols[c] = {D("0.3"), D("0.3"), D("1.5"), D("2"), D("3"), D("5")};
  f.errors[5] = RB_DEC_ERR_SYNTAX;  // an untagged error from before the kernel
  f.run(j->kernel(), 1);
  auto row = [&](int r) { return f.slotRow(r, {gt, ge, eq, lt, le}); };
  // 0.3 × (1 ÷ 3) = 0.3 × 1000000/3 raw = 0.1 exactly: n = 0.1 is equal (≥, =, ≤ hold; >, < do not)
  CHECK(row(0) == std::vector<int64_t>{0, 1, 1, 0, 1});
  // 1 ÷ (−3) = −1000000/3 raw (the denominator kept positive); × 0.3 = −0.1 < −0.099999
  CHECK(row(1) == std::vector<int64_t>{1, 1, 0, 0, 0});
  // 1.5 × (2 ÷ 3) = 1; 0.999999 < 1
  CHECK(row(2) == std::vector<int64_t>{0, 0, 0, 1, 1});
  // 9·10^12 ÷ 7 = 9·10^18/7 raw (gcd 1); × 2 = 1.8·10^19/7 raw: the reduced numerator
  // is beyond int64 → overflow, the product is 0, and 1 > 0 (as rb_rat_mul, then the
  // comparison with 0); the error names the first assignment that met it
  CHECK(row(3) == std::vector<int64_t>{1, 1, 0, 0, 0});
  CHECK(RB_ERR_CODE(f.errors[3]) == RB_DEC_ERR_OVERFLOW);
  CHECK(RB_ERR_SLOT(f.errors[3]) == gt);
  // 9·10^12 ÷ 3 = 3·10^18 raw; × 3: c·n = 3·10^6 · 3·10^18 = 9·10^24 is beyond int64,
  // but the reduced product 9·10^24 / 10^6 = 9·10^18 raw (9·10^12) fits: no error, equal
  CHECK(row(4) == std::vector<int64_t>{0, 1, 1, 0, 1});
  CHECK(f.errors[4] == 0);
  CHECK(f.errors[0] == 0);
  CHECK(f.errors[1] == 0);
  CHECK(f.errors[2] == 0);
  // 5 × (1 ÷ 1) = 5 = n; the untagged error is kept and names the first assignment
  CHECK(row(5) == std::vector<int64_t>{0, 1, 1, 0, 1});
  CHECK(RB_ERR_CODE(f.errors[5]) == RB_DEC_ERR_SYNTAX);
  CHECK(RB_ERR_SLOT(f.errors[5]) == gt);
}

// x ≷ c × f where c·n or d·10^6 is beyond int64 (f = n/d): the product is made
// inline after cancelling g1 = gcd(|c|, d), an overflow certain from |c1·n| alone
// is reported without a gcd, and only the zone between calls rb_rat_mul.
TEST_CASE("comparing with a decimal times a fraction past int64: inline product, rb_rat_mul's values and errors", "[codegen][wide]") {
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int n = b.column("n"), a = b.column("a"), t = b.column("t"), c = b.column("c");
  ExprId frac = b.bin(Op::Div, b.col(a), b.col(t));
  ExprId prod = b.bin(Op::Mul, b.col(c), frac);
  int gt = b.output(b.cmp(CmpKind::Gt, b.col(n), prod));
  int ge = b.output(b.cmp(CmpKind::Ge, b.col(n), prod));
  int eq = b.output(b.cmp(CmpKind::Eq, b.col(n), prod));
  int lt = b.output(b.cmp(CmpKind::Lt, b.col(n), prod));
  int le = b.output(b.cmp(CmpKind::Le, b.col(n), b.bin(Op::Mul, frac, b.col(c))));  // fraction first
  auto j = build(b, cfg);
  Frame f(b.p, 4);
  // f = 9·10^12 ÷ 7 = 9·10^18/7 raw in every record
  f.cols[a] = {D("9000000000000"), D("9000000000000"), D("9000000000000"), D("9000000000000")};
  f.cols[t] = {D("7"), D("7"), D("7"), D("7")};
  f.cols[c] = {D("0.000007"), D("0.000003"), D("-2"), D("-0.000007")};
  f.cols[n] = {D("9000000"), D("3857142.857143"), D("1"), D("-9000000")};
  f.run(j->kernel(), 1);
  auto row = [&](int r) { return f.slotRow(r, {gt, ge, eq, lt, le}); };
  // c = 7 raw: c·n = 6.3·10^19 is beyond int64; g1 = gcd(7, 7) = 7 leaves 1 · 9·10^18 / (1 · 10^6)
  // = 9·10^12 raw = 9000000 exactly: equal
  CHECK(row(0) == std::vector<int64_t>{0, 1, 1, 0, 1});
  // c = 3 raw: g1 = 1, P = 2.7·10^19 (beyond int64, below 2^63·10^6): rb_rat_mul reduces it
  // to 2.7·10^13/7 raw = 3857142.857142857…, below n = 3857142.857143
  CHECK(row(1) == std::vector<int64_t>{1, 1, 0, 0, 0});
  // c = −2·10^6 raw: |P| = 1.8·10^25 > 2^63·10^6 ≈ 9.22·10^24, so even P/10^6 is beyond
  // int64: overflow, the product is 0 and 1 > 0; the error names the first assignment
  CHECK(row(2) == std::vector<int64_t>{1, 1, 0, 0, 0});
  CHECK(RB_ERR_CODE(f.errors[2]) == RB_DEC_ERR_OVERFLOW);
  CHECK(RB_ERR_SLOT(f.errors[2]) == gt);
  // c = −7 raw: as record 0 with the sign, −9000000 = −9000000
  CHECK(row(3) == std::vector<int64_t>{0, 1, 1, 0, 1});
  for (int r : {0, 1, 3}) CHECK(f.errors[r] == 0);
}

TEST_CASE("a sum of two quotients is reduced once: rb_rat_add's value and errors (新疆 集体 四 基准比例)", "[codegen][wide]") {
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int a = b.column("a"), t1 = b.column("t1"), c = b.column("c"), t2 = b.column("t2");
  ExprId q1 = b.bin(Op::Div, b.col(a), b.col(t1)), q2 = b.bin(Op::Div, b.col(c), b.col(t2));
  int sum = b.output(b.bin(Op::Add, q1, q2));
  int diff = b.output(b.bin(Op::Sub, q1, q2));
  auto j = build(b, cfg);
  Frame f(b.p, 4);
  f.cols[a] = {D("1"), D("1"), D("9000000"), D("1")};
  f.cols[t1] = {D("-6"), D("4"), D("0.000007"), 0};
  f.cols[c] = {D("1"), D("1"), D("9000000"), D("1")};
  f.cols[t2] = {D("10"), D("4"), D("0.000011"), D("4")};
  f.run(j->kernel(), 1);
  // 1 ÷ (−6) + 1 ÷ 10 = −1/15 = −10^6/15 raw = −200000/3; − instead: −4/15 = −800000/3
  CHECK(pairOf(f, sum, 0) == "-200000/3");
  CHECK(pairOf(f, diff, 0) == "-800000/3");
  CHECK(f.errors[0] == 0);
  // 1/4 + 1/4 = 0.5; 1/4 − 1/4 = 0 (denominator 1)
  CHECK(pairOf(f, sum, 1) == "500000/1");
  CHECK(pairOf(f, diff, 1) == "0/1");
  CHECK(f.errors[1] == 0);
  // 9·10^6 ÷ 0.000007 = 9·10^12·10^6/7 raw = 9·10^18/7 (fits), likewise 9·10^18/11;
  // their sum 9·10^18·18/77 = 1.62·10^20/77 (gcd 1) and difference 3.6·10^19/77 do not
  // fit: overflow, reported on the first slot, each value 0
  CHECK(pairOf(f, sum, 2) == "0/1");
  CHECK(pairOf(f, diff, 2) == "0/1");
  CHECK(RB_ERR_CODE(f.errors[2]) == RB_DEC_ERR_OVERFLOW);
  CHECK(RB_ERR_SLOT(f.errors[2]) == sum);
  // 1 ÷ 0 fails (0) and the sum goes on: 0 + 1/4 = 0.25, 0 − 1/4 = −0.25
  CHECK(pairOf(f, sum, 3) == "250000/1");
  CHECK(pairOf(f, diff, 3) == "-250000/1");
  CHECK(RB_ERR_CODE(f.errors[3]) == RB_DEC_ERR_DIV_ZERO);
  CHECK(RB_ERR_SLOT(f.errors[3]) == sum);
}

// a ÷ p ± c ÷ q with parameters p and q (新疆 集体 四 基准比例: 重点排污单位数量 ÷
// 全区重点排污单位总数 + 工业污染源排放量 ÷ 全区工业污染源排放量): the lcm of the
// divisors is made once per chunk and each record needs one binary gcd; the
// values and errors are rb_rat_add's (reduced, denominator > 0), and a·10^6
// beyond int64, a reduced numerator beyond int64 and a zero divisor take the
// general path (overflow and division by zero on the first slot, as before).
TEST_CASE("a sum of quotients by parameters: divisors' lcm once per chunk, rb_rat_add's value and errors", "[codegen][wide]") {
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int a = b.column("a"), c = b.column("c");
  int p = b.param("p"), q = b.param("q");
  int sum = b.output(b.bin(Op::Add, b.bin(Op::Div, b.col(a), b.par(p)), b.bin(Op::Div, b.col(c), b.par(q))));
  int diff = b.output(b.bin(Op::Sub, b.bin(Op::Div, b.col(a), b.par(p)), b.bin(Op::Div, b.col(c), b.par(q))));
  // the same divisors and operator as `sum`: its per-chunk constants again
  int swapped = b.output(b.bin(Op::Add, b.bin(Op::Div, b.col(c), b.par(p)), b.bin(Op::Div, b.col(a), b.par(q))));
  auto j = build(b, cfg);
  {
    // 新疆's own parameters: p = 1000, q = 10000
    Frame f(b.p, 2);
    f.params[p] = D("1000");
    f.params[q] = D("10000");
    f.cols[a] = {D("100"), D("1")};
    f.cols[c] = {D("1000"), D("1")};
    f.run(j->kernel(), 1);
    // 100 ÷ 1000 + 1000 ÷ 10000 = 0.1 + 0.1 = 0.2; − : 0; swapped 1000 ÷ 1000 + 100 ÷ 10000 = 1.01
    CHECK(pairOf(f, sum, 0) == "200000/1");
    CHECK(pairOf(f, diff, 0) == "0/1");
    CHECK(pairOf(f, swapped, 0) == "1010000/1");
    // 1 ÷ 1000 ± 1 ÷ 10000 = 0.0011 and 0.0009; swapped 0.0011
    CHECK(pairOf(f, sum, 1) == "1100/1");
    CHECK(pairOf(f, diff, 1) == "900/1");
    CHECK(pairOf(f, swapped, 1) == "1100/1");
    CHECK(f.errors == std::vector<int32_t>{0, 0});
  }
  {
    // p = 3, q = −7: lcm 21, fractions that do not terminate, a negative divisor
    Frame f(b.p, 4);
    f.params[p] = D("3");
    f.params[q] = D("-7");
    f.cols[a] = {D("1"), 1, D("7"), D("9000000000000")};
    f.cols[c] = {D("1"), 0, D("-3"), 0};
    f.run(j->kernel(), 1);
    // 1/3 + 1/(−7) = 7/21 − 3/21 = 4/21 = 4·10^6/21 raw; − : 10/21; swapped = sum
    CHECK(pairOf(f, sum, 0) == "4000000/21");
    CHECK(pairOf(f, diff, 0) == "10000000/21");
    CHECK(pairOf(f, swapped, 0) == "4000000/21");
    // 1 raw ÷ 3 = 1/3 raw, ± 0; swapped 0 ÷ 3 + 1 raw ÷ (−7) = −1/7 raw
    CHECK(pairOf(f, sum, 1) == "1/3");
    CHECK(pairOf(f, diff, 1) == "1/3");
    CHECK(pairOf(f, swapped, 1) == "-1/7");
    // 7/3 + (−3)/(−7) = 49/21 + 9/21 = 58/21; − : 40/21; swapped −3/3 + 7/(−7) = −2
    CHECK(pairOf(f, sum, 2) == "58000000/21");
    CHECK(pairOf(f, diff, 2) == "40000000/21");
    CHECK(pairOf(f, swapped, 2) == "-2000000/1");
    // a = 9·10^12 (a·10^6 beyond int64: the general path) ÷ 3 = 3·10^12, ± 0;
    // swapped 0 + 9·10^12 ÷ (−7) = −9·10^18/7 raw
    CHECK(pairOf(f, sum, 3) == "3000000000000000000/1");
    CHECK(pairOf(f, diff, 3) == "3000000000000000000/1");
    CHECK(pairOf(f, swapped, 3) == "-9000000000000000000/7");
    CHECK(f.errors == std::vector<int32_t>{0, 0, 0, 0});
  }
  {
    // p = 0.000001 (1 raw), q = 0.000003 (3 raw): the reduced sum beyond int64
    Frame f(b.p, 1);
    f.params[p] = 1;
    f.params[q] = 3;
    f.cols[a] = {D("9000000")};  // 9·10^12 raw
    f.cols[c] = {D("9000000")};
    f.run(j->kernel(), 1);
    // 9·10^12 raw ÷ 1 raw = 9·10^18 raw, ÷ 3 raw = 3·10^18 raw: the sum 1.2·10^19 overflows
    // (0, reported on the first slot); the difference 6·10^18 fits; swapped is the sum again
    CHECK(pairOf(f, sum, 0) == "0/1");
    CHECK(pairOf(f, diff, 0) == "6000000000000000000/1");
    CHECK(pairOf(f, swapped, 0) == "0/1");
    CHECK(RB_ERR_CODE(f.errors[0]) == RB_DEC_ERR_OVERFLOW);
    CHECK(RB_ERR_SLOT(f.errors[0]) == sum);
  }
  {
    // p = 0: 1 ÷ 0 fails (0) and the sum goes on: 0 ± 1/4; swapped 1 ÷ 0 again
    Frame f(b.p, 1);
    f.params[p] = 0;
    f.params[q] = D("4");
    f.cols[a] = {D("1")};
    f.cols[c] = {D("1")};
    f.run(j->kernel(), 1);
    CHECK(pairOf(f, sum, 0) == "250000/1");
    CHECK(pairOf(f, diff, 0) == "-250000/1");
    CHECK(pairOf(f, swapped, 0) == "250000/1");
    CHECK(RB_ERR_CODE(f.errors[0]) == RB_DEC_ERR_DIV_ZERO);
    CHECK(RB_ERR_SLOT(f.errors[0]) == sum);
  }
}

// ÷ a positive whole number (a count in 平均 and 个数, a parameter such as 9 or 15)
// and a fraction × a whole number are reduced inline by Euclid's steps, and a top
// average of a wide body divides by its count the same way (kernel_helpers.c):
// rb_rat_*'s reduced value; every other operand still goes to rb_rat_div /
// rb_rat_mul (division by zero and overflow as before, on the same slot).
TEST_CASE("division and product by a whole number: reduced inline, rb_rat_*'s value (平均, ÷ 个数, ÷ 9, × 18)", "[codegen][wide]") {
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int a = b.column("a"), n = b.column("n");
  ExprId quotient = b.bin(Op::Div, b.col(a), b.col(n));
  int q = b.output(quotient);
  int t18 = b.output(b.bin(Op::Mul, quotient, b.dec("18")));
  int tneg = b.output(b.bin(Op::Mul, quotient, b.dec("-4")));
  int L = b.list("rounds");
  int x = b.elementColumn(L, "x");
  int avg = b.output(b.agg(AggKind::Average, L, b.elem(x)));
  int top3 = b.output(b.topAvg(L, b.bin(Op::Mul, b.dec("0.4"), b.elem(x)), D("3"), false));  // 7 decimals: wide
  auto j = build(b, cfg);
  Frame f(b.p, 9);
  f.cols[a] = {D("1"), D("-2.5"), D("0.000007"), std::numeric_limits<int64_t>::min(), D("1"), D("5"), D("1"),
               D("12"), D("0")};
  f.cols[n] = {D("3"), D("15"), D("12"), D("6"), D("0.3"), D("-3"), 0, D("4"), D("7")};
  f.setList(b.p, L, {x},
            {{{D("1")}, {D("2")}, {D("2")}},
             {{D("-0.000001")}, {0}, {0}, {0}, {0}, {0}},
             {{D("0.000001")}, {D("0.000002")}, {D("0.000004")}},
             {},
             {{D("0.5")}, {D("0.25")}}});
  f.run(j->kernel(), 1);
  // 1 ÷ 3 = 10^6/3 raw (gcd(10^6, 3) = 1)
  CHECK(pairOf(f, q, 0) == "1000000/3");
  // −2.5 ÷ 15 = −2500000/15 raw, gcd 5: −500000/3 (= −1/6)
  CHECK(pairOf(f, q, 1) == "-500000/3");
  // 0.000007 ÷ 12 = 7/12 raw
  CHECK(pairOf(f, q, 2) == "7/12");
  // INT64_MIN raw ÷ 6: |a| = 2^63, gcd(2^63, 6) = 2: −2^62/3 (a·10^6 overflows: not the whole-quotient path)
  CHECK(pairOf(f, q, 3) == "-4611686018427387904/3");
  // 1 ÷ 0.3 (not whole: rb_rat_div) = 10/3 = 10^7/3 raw
  CHECK(pairOf(f, q, 4) == "10000000/3");
  // 5 ÷ (−3) (negative: rb_rat_div) = −5/3 = −5000000/3 raw
  CHECK(pairOf(f, q, 5) == "-5000000/3");
  // 1 ÷ 0: division by zero, value 0, on the first slot
  CHECK(pairOf(f, q, 6) == "0/1");
  CHECK(RB_ERR_CODE(f.errors[6]) == RB_DEC_ERR_DIV_ZERO);
  CHECK(RB_ERR_SLOT(f.errors[6]) == q);
  // 12 ÷ 4 = 3 and 0 ÷ 7 = 0: whole quotients
  CHECK(pairOf(f, q, 7) == "3000000/1");
  CHECK(pairOf(f, q, 8) == "0/1");
  for (int r : {0, 1, 2, 4, 5, 7, 8}) CHECK(f.errors[r] == 0);
  // × 18 and × (−4): 1/3 × 18 = 6 (gcd(3, 18) = 3); 1/3 × (−4) = −4/3 = −4000000/3 raw
  CHECK(pairOf(f, t18, 0) == "6000000/1");
  CHECK(pairOf(f, tneg, 0) == "-4000000/3");
  // −1/6 × 18 = −3; −1/6 × (−4) = 2/3
  CHECK(pairOf(f, t18, 1) == "-3000000/1");
  CHECK(pairOf(f, tneg, 1) == "2000000/3");
  // 7/12 raw × 18 = 21/2 raw (gcd(12, 18) = 6); × (−4) = −7/3 raw (gcd(12, 4) = 4)
  CHECK(pairOf(f, t18, 2) == "21/2");
  CHECK(pairOf(f, tneg, 2) == "-7/3");
  // −2^62/3 × 18 = −3·2^63 and × (−4) = 2^64/3: past int64 even reduced: overflow,
  // 0, reported on the first of the two slots
  CHECK(pairOf(f, t18, 3) == "0/1");
  CHECK(pairOf(f, tneg, 3) == "0/1");
  CHECK(RB_ERR_CODE(f.errors[3]) == RB_DEC_ERR_OVERFLOW);
  CHECK(RB_ERR_SLOT(f.errors[3]) == t18);
  // 10/3 × 18 = 60; 10/3 × (−4) = −40/3
  CHECK(pairOf(f, t18, 4) == "60000000/1");
  CHECK(pairOf(f, tneg, 4) == "-40000000/3");
  // −5/3 × 18 = −30; −5/3 × (−4) = 20/3
  CHECK(pairOf(f, t18, 5) == "-30000000/1");
  CHECK(pairOf(f, tneg, 5) == "20000000/3");
  // the failed quotient is 0: 0 × 18 = 0, and the record keeps the division's error
  CHECK(pairOf(f, t18, 6) == "0/1");
  CHECK(RB_ERR_SLOT(f.errors[6]) == q);
  // 3 × 18 = 54, 3 × (−4) = −12 (decimals: the decimal product)
  CHECK(pairOf(f, t18, 7) == "54000000/1");
  CHECK(pairOf(f, tneg, 7) == "-12000000/1");
  // 平均: (1 + 2 + 2) ÷ 3 = 5/3 = 5000000/3 raw
  CHECK(pairOf(f, avg, 0) == "5000000/3");
  // (−0.000001 + 0 × 5) ÷ 6 = −1/6 raw
  CHECK(pairOf(f, avg, 1) == "-1/6");
  // (0.000001 + 0.000002 + 0.000004) ÷ 3 = 7/3 raw
  CHECK(pairOf(f, avg, 2) == "7/3");
  // empty: 0; (0.5 + 0.25) ÷ 2 = 0.375
  CHECK(pairOf(f, avg, 3) == "0/1");
  CHECK(pairOf(f, avg, 4) == "375000/1");
  // top 3 of 0.4 × element: row 0 bodies 0.4, 0.8, 0.8: 2 ÷ 3 = 2000000/3 raw;
  // row 2 bodies 0.0000004, 0.0000008, 0.0000016 (4, 8, 16 tenths of a raw unit):
  // sum 28 tenths = 14/5 raw, ÷ 3 = 14/15 raw (gcd(14, 3) = 1);
  // row 4 (two elements, top 3 → both): (0.2 + 0.1) ÷ 2 = 0.15
  CHECK(pairOf(f, top3, 0) == "2000000/3");
  CHECK(pairOf(f, top3, 2) == "14/15");
  CHECK(pairOf(f, top3, 4) == "150000/1");
}

// x × k for a constant whole k (每件 … 扣 1分, × 2, 10分 × …) is one checked
// multiply (decMulWhole): rb_dec_mul's x·k·10^6 / 10^6 leaves no remainder,
// so the value is x·k, or 0 with an overflow named by the first slot.
TEST_CASE("a product by a whole constant: one checked multiply, rb_dec_mul's values and overflow", "[codegen][wide]") {
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int x = b.column("x");
  int m1 = b.output(b.bin(Op::Mul, b.col(x), b.dec("1")));
  int m2 = b.output(b.bin(Op::Mul, b.dec("2"), b.col(x)));  // the constant first
  int m3 = b.output(b.bin(Op::Mul, b.col(x), b.dec("10")));
  int m4 = b.output(b.bin(Op::Mul, b.col(x), b.dec("-3")));
  int m5 = b.output(b.bin(Op::Mul, b.col(x), b.dec("0.5")));  // not whole: 7 decimals, exact as before
  auto j = build(b, cfg);
  Frame f(b.p, 4);
  // 2^62 raw = 4611686018427387904
  f.cols[x] = {D("1.234567"), D("4611686018427.387904"), D("-4611686018427.387904"), 0};
  f.run(j->kernel(), 1);
  auto row = [&](int r) { return f.slotRow(r, {m1, m2, m3, m4}); };
  // 1.234567 × 1, × 2 = 2.469134, × 10 = 12.34567, × −3 = −3.703701,
  // × 0.5 = 0.6172835 = 1234567/2 raw, exact
  CHECK(row(0) == std::vector<int64_t>{1234567, 2469134, 12345670, -3703701});
  CHECK(pairOf(f, m5, 0) == "1234567/2");
  CHECK(f.errors[0] == 0);
  // 2^62 × 2 = 2^63, × 10 and × −3 are beyond int64: 0 each, the error names m2;
  // × 0.5 = 2^61 = 2305843009213693952 raw exactly
  CHECK(row(1) == std::vector<int64_t>{4611686018427387904, 0, 0, 0});
  CHECK(pairOf(f, m5, 1) == "2305843009213693952/1");
  CHECK(RB_ERR_CODE(f.errors[1]) == RB_DEC_ERR_OVERFLOW);
  CHECK(RB_ERR_SLOT(f.errors[1]) == m2);
  // −2^62 × 2 = −2^63 = INT64_MIN fits; × 10 is the first overflow (named m3);
  // × −3 = 3·2^62 is beyond int64 too; × 0.5 = −2^61
  CHECK(row(2) == std::vector<int64_t>{-4611686018427387904, std::numeric_limits<int64_t>::min(), 0, 0});
  CHECK(pairOf(f, m5, 2) == "-2305843009213693952/1");
  CHECK(RB_ERR_CODE(f.errors[2]) == RB_DEC_ERR_OVERFLOW);
  CHECK(RB_ERR_SLOT(f.errors[2]) == m3);
  CHECK(row(3) == std::vector<int64_t>{0, 0, 0, 0});
  CHECK(pairOf(f, m5, 3) == "0/1");
  CHECK(f.errors[3] == 0);
}

// x ≷ a × b for a product of a wide factor (0.5 × w: 7 decimals, 新疆 集体 四.2's
// 50% × 全区罚款总金额) or a fraction with a fraction: when an·bn or ad·bd·10^6 is
// beyond int64 the reduced product is made inline (fractionProduct: no
// rb_rat_mul), once for the three comparisons with it.
TEST_CASE("comparing with a product of a wide factor or two fractions: inline rb_rat_mul, made once", "[codegen][wide]") {
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int n1 = b.column("n1"), w = b.column("w"), a = b.column("a"), t = b.column("t");
  int n2 = b.column("n2"), c = b.column("c"), u = b.column("u");
  ExprId frac1 = b.bin(Op::Div, b.col(a), b.col(t)), frac2 = b.bin(Op::Div, b.col(c), b.col(u));
  ExprId prod1 = b.bin(Op::Mul, b.bin(Op::Mul, b.dec("0.5"), b.col(w)), frac1);
  ExprId prod2 = b.bin(Op::Mul, frac1, frac2);
  int g1 = b.output(b.cmp(CmpKind::Gt, b.col(n1), prod1));
  int e1 = b.output(b.cmp(CmpKind::Ge, b.col(n1), prod1));
  int l1 = b.output(b.cmp(CmpKind::Lt, b.col(n1), prod1));
  int g2 = b.output(b.cmp(CmpKind::Gt, b.col(n2), prod2));
  int q2 = b.output(b.cmp(CmpKind::Eq, b.col(n2), prod2));
  int l2 = b.output(b.cmp(CmpKind::Lt, b.col(n2), prod2));
  auto j = build(b, cfg);
  Frame f(b.p, 4);
  f.cols[n1] = {D("642857142857.142857"), 0, D("642857142857.142858"), D("1")};
  f.cols[w] = {D("1"), D("1"), D("1"), D("3")};
  f.cols[a] = {D("9000000000000"), D("1"), D("9000000000000"), D("9000000000000")};
  f.cols[t] = {D("7"), D("7000000000000"), D("7"), D("7")};
  f.cols[n2] = {D("428571428571.428571"), D("0.000001"), D("1"), D("428571428571.428572")};
  f.cols[c] = {D("1"), D("1"), D("2"), D("1")};
  f.cols[u] = {D("3"), D("3"), D("1"), D("3")};
  f.run(j->kernel(), 1);
  auto row = [&](int r) { return f.slotRow(r, {g1, e1, l1, g2, q2, l2}); };
  // r0: 0.5 × 1 = 500000/1 raw; frac1 = 9·10^12 ÷ 7 = 9·10^18/7 raw; 5·10^5 · 9·10^18
  // is beyond int64, so inline: 500000/10^6 = 1/2, 9·10^18 / 2 = 4.5·10^18, over 7:
  // 4.5·10^18/7 raw; n1·7 = 4499999999999999999 < 4.5·10^18 (>, ≥ false; < true).
  // frac2 = 1 ÷ 3 = 10^6/3 raw; 9·10^18 · 10^6 is beyond int64: g1 = gcd(9·10^18, 3) = 3,
  // 3·10^18 / 10^6 = 3·10^12, times 10^6, over 7·1: 3·10^18/7 raw;
  // n2·7 = 2999999999999999997 < 3·10^18.
  CHECK(row(0) == std::vector<int64_t>{0, 0, 1, 0, 0, 1});
  CHECK(f.errors[0] == 0);
  // r1: frac1 = 1 ÷ 7·10^12 = 1/(7·10^12) raw; prod1 = 500000 · 1 / (7·10^12 · 10^6) > 0 = n1.
  // prod2: ad·bd·10^6 = 7·10^12 · 3 · 10^6 is beyond int64: g2 = gcd(10^6, 7·10^12) = 10^6,
  // 1/10^6 against 1: 1 over 7·10^6 · 3 · 10^6 = 1/(2.1·10^13) raw < 1 raw = n2.
  CHECK(row(1) == std::vector<int64_t>{0, 0, 1, 1, 0, 0});
  CHECK(f.errors[1] == 0);
  // r2: prod1 as r0 and n1·7 = 4500000000000000006 > 4.5·10^18. frac2 = 2 ÷ 1 = 2000000/1:
  // 9·10^12 · 2·10^6 = 1.8·10^19 raw reduced (9·10^18 / 10^6 = 9·10^12, times 2·10^6),
  // beyond int64: overflow, the product is 0, n2 = 1 > 0; the error names g2.
  CHECK(row(2) == std::vector<int64_t>{1, 1, 0, 1, 0, 0});
  CHECK(RB_ERR_CODE(f.errors[2]) == RB_DEC_ERR_OVERFLOW);
  CHECK(RB_ERR_SLOT(f.errors[2]) == g2);
  // r3: 0.5 × 3 = 1.5 = 3/2 over 10^6; 9·10^18 / 2 · 3 = 1.35·10^19 is beyond int64:
  // overflow named g1, prod1 = 0 < 1. prod2 as r0, n2·7 = 3000000000000000004 > 3·10^18.
  CHECK(row(3) == std::vector<int64_t>{1, 1, 0, 1, 0, 0});
  CHECK(RB_ERR_CODE(f.errors[3]) == RB_DEC_ERR_OVERFLOW);
  CHECK(RB_ERR_SLOT(f.errors[3]) == g1);
}

// An expression of parameters (50% × 全区查处案件总数) is made once per chunk
// call at the chunk's entry; each record notes its error where the expression
// stands, as if made there: after an earlier error of the record, not at all
// in an arm the record does not take, and named by the slot that uses it first.
TEST_CASE("an expression of parameters: made once per chunk, its error where it stands", "[codegen][wide]") {
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int x = b.column("x"), y = b.column("y"), z = b.column("z");
  int n = b.column("n"), a = b.column("a"), t = b.column("t");
  int p = b.param("p"), q = b.param("q"), w = b.param("w");
  ExprId p3 = b.bin(Op::Mul, b.par(p), b.dec("3"));
  int twice = b.output(b.bin(Op::Mul, b.col(x), b.dec("2")));
  int times3 = b.output(p3);
  int plus = b.output(b.bin(Op::Add, b.col(y), p3));
  int chosen = b.output(b.select(b.col(z), b.bin(Op::Mul, b.par(q), b.dec("5")), b.dec("7")));
  // 0.5 × w has 7 decimals: a wide value, compared as a fraction (crossCompare)
  ExprId prod = b.bin(Op::Mul, b.bin(Op::Mul, b.dec("0.5"), b.par(w)), b.bin(Op::Div, b.col(a), b.col(t)));
  int above = b.output(b.cmp(CmpKind::Gt, b.col(n), prod));
  int atLeast = b.output(b.cmp(CmpKind::Ge, b.col(n), prod));
  auto j = build(b, cfg);
  Frame f(b.p, 3);
  const int64_t big = D("4611686018427.387904");  // 2^62 raw
  f.cols[x] = {D("1"), big, 0};
  f.cols[y] = {D("2"), 0, 0};
  f.cols[z] = {0, D("1"), D("1")};
  f.cols[n] = {D("642857142857.142857"), D("642857142857.142858"), D("1")};
  f.cols[a] = {D("9000000000000"), D("9000000000000"), D("9000000000000")};
  f.cols[t] = {D("7"), D("7"), D("7")};
  auto row = [&](int r) { return f.slotRow(r, {twice, times3, plus, chosen, above, atLeast}); };

  // p = 2^62 raw: p × 3 is beyond int64 in every record (0, overflow); q = 1, w = 1.
  f.params[p] = big;
  f.params[q] = D("1");
  f.params[w] = D("1");
  f.run(j->kernel(), 1);
  // 0.5 × 1 × 9·10^12 ÷ 7 = 4.5·10^18/7 raw; n·7 = 4499999999999999999 (r0), 4500000000000000006 (r1), 7 (r2)
  // r0: 1 × 2 = 2; p × 3 fails: 0, and y + 0 = 2; z = 0: 7
  CHECK(row(0) == std::vector<int64_t>{D("2"), 0, D("2"), D("7"), 0, 0});
  CHECK(RB_ERR_CODE(f.errors[0]) == RB_DEC_ERR_OVERFLOW);
  CHECK(RB_ERR_SLOT(f.errors[0]) == times3);
  // r1: 2^62 × 2 = 2^63 fails first (named `twice`); z ≠ 0: q × 5 = 5
  CHECK(row(1) == std::vector<int64_t>{0, 0, 0, D("5"), 1, 1});
  CHECK(RB_ERR_SLOT(f.errors[1]) == twice);
  // r2: 0 × 2 = 0, then p × 3's error
  CHECK(row(2) == std::vector<int64_t>{0, 0, 0, D("5"), 0, 0});
  CHECK(RB_ERR_SLOT(f.errors[2]) == times3);

  // p = 1, q = 2^62 raw: q × 5 fails only where z ≠ 0 takes it; records 1–2 as a second call.
  f.params[p] = D("1");
  f.params[q] = big;
  f.errors.assign(3, 0);
  f.run(j->kernel(), 1, 0, 1);
  f.run(j->kernel(), 1, 1, 3);
  // r0: 2, 3, 2 + 3 = 5; z = 0: 7 and no error (q × 5 is not where this record goes)
  CHECK(row(0) == std::vector<int64_t>{D("2"), D("3"), D("5"), D("7"), 0, 0});
  CHECK(f.errors[0] == 0);
  // r1: `twice` fails first; q × 5 = 0
  CHECK(row(1) == std::vector<int64_t>{0, D("3"), D("3"), 0, 1, 1});
  CHECK(RB_ERR_SLOT(f.errors[1]) == twice);
  // r2: q × 5 = 5·2^62 is beyond int64: 0, named `chosen`
  CHECK(row(2) == std::vector<int64_t>{0, D("3"), D("3"), 0, 0, 0});
  CHECK(RB_ERR_CODE(f.errors[2]) == RB_DEC_ERR_OVERFLOW);
  CHECK(RB_ERR_SLOT(f.errors[2]) == chosen);
}

// A fraction ÷ a constant 2^i·5^j (新疆 集体 四's 基准比例 ÷ 2) cancels the
// divisor's 2s and 5s against the numerator without a gcd loop or a division;
// ÷ 3 keeps the Euclid gcd. Both give rb_rat_div's reduced value, and its
// overflow when the denominator times what is left of the divisor is beyond int64.
TEST_CASE("a fraction divided by a constant of 2s and 5s: rb_rat_div's value and overflow", "[codegen][wide]") {
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int x = b.column("x"), y = b.column("y");
  ExprId f = b.bin(Op::Div, b.col(x), b.col(y));
  std::vector<int> s;
  for (const char *k : {"2", "4", "10", "100", "256", "3"}) s.push_back(b.output(b.bin(Op::Div, f, b.dec(k))));
  auto j = build(b, cfg);
  Frame fr(b.p, 6);
  fr.cols[x] = {D("1"), D("0.000001"), D("0.000025"), D("0.000001"), D("-0.000005"), 0};
  fr.cols[y] = {D("7"), D("7"), D("3"), D("4611686018427.387903"), D("2"), D("3")};
  fr.run(j->kernel(), 1);
  auto row = [&](int r) {
    std::vector<std::string> out;
    for (int slot : s) out.push_back(pairOf(fr, slot, r));
    return out;
  };
  // r0: 1 ÷ 7 = 10^6/7 raw; 10^6 = 2^6·5^6 cancels 2, 4, 10, 100 and 2^6 of 256 (15625/(7·4))
  CHECK(row(0) == std::vector<std::string>{"500000/7", "250000/7", "100000/7", "10000/7", "15625/28", "1000000/21"});
  // r1: 1/7 raw: nothing cancels
  CHECK(row(1) == std::vector<std::string>{"1/14", "1/28", "1/70", "1/700", "1/1792", "1/21"});
  // r2: 25/3 raw: 25/6, 25/12, 5/6 (one 5), 1/12 (25 of 100), 25/768 (3·256), 25/9
  CHECK(row(2) == std::vector<std::string>{"25/6", "25/12", "5/6", "1/12", "25/768", "25/9"});
  for (int r : {0, 1, 2}) CHECK(fr.errors[r] == 0);
  // r3: 10^6/(2^62 − 1) raw (2^62 − 1 is odd and not a multiple of 5). ÷ 256 leaves 4 of it:
  // 4·(2^62 − 1) is beyond int64, so 0/1 and overflow named ÷ 256's slot; ÷ 3: 3·(2^62 − 1), the same
  CHECK(row(3) == std::vector<std::string>{"500000/4611686018427387903", "250000/4611686018427387903",
                                           "100000/4611686018427387903", "10000/4611686018427387903", "0/1", "0/1"});
  CHECK(RB_ERR_CODE(fr.errors[3]) == RB_DEC_ERR_OVERFLOW);
  CHECK(RB_ERR_SLOT(fr.errors[3]) == s[4]);
  // r4: −5/2 raw: −5/4, −5/8, −1/4, −1/40, −5/512, −5/6; r5: 0
  CHECK(row(4) == std::vector<std::string>{"-5/4", "-5/8", "-1/4", "-1/40", "-5/512", "-5/6"});
  CHECK(row(5) == std::vector<std::string>{"0/1", "0/1", "0/1", "0/1", "0/1", "0/1"});
  for (int r : {4, 5}) CHECK(fr.errors[r] == 0);
}

// x ≷ h × ((a ÷ p + c ÷ q) ÷ 2) (新疆 集体 四: 基准比例 under a constant Select):
// the sum of quotients by parameters is compared as M·N / D, not reduced, and
// the product first without gcds; where the unreduced sum, its ÷ 2^i·5^j or
// that product leaves int64, the reduced path decides (its value, its errors).
// The sum and the ÷ are stored as well, after the comparisons: reduced.
TEST_CASE("comparing with a product of a sum of quotients by parameters: no reduction while it fits", "[codegen][wide]") {
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int x = b.column("x"), a = b.column("a"), c = b.column("c");
  int p = b.param("p"), q = b.param("q"), h = b.param("h");
  ExprId sum = b.bin(Op::Add, b.bin(Op::Div, b.col(a), b.par(p)), b.bin(Op::Div, b.col(c), b.par(q)));
  ExprId half = b.select(b.cmp(CmpKind::Eq, b.k(0), b.k(0)), b.bin(Op::Div, sum, b.dec("2")), sum);
  ExprId prod = b.bin(Op::Mul, b.par(h), half);
  int gt = b.output(b.cmp(CmpKind::Gt, b.col(x), prod));
  int ge = b.output(b.cmp(CmpKind::Ge, b.col(x), prod));
  int stored = b.output(half);
  auto j = build(b, cfg);
  {
    // p = 3, q = 7, h = 3 (raw multiples of 10^6: M = 1, D = 21)
    Frame f(b.p, 3);
    f.params[p] = D("3");
    f.params[q] = D("7");
    f.params[h] = D("3");
    f.cols[a] = {D("2000000"), D("2000000"), D("2000000")};
    f.cols[c] = {0, 0, 0};
    f.cols[x] = {999999999999, 1000000000000, 1000000000001};
    f.run(j->kernel(), 1);
    // N = 2·10^12 · 7 = 1.4·10^13 over 21, ÷ 2: 7·10^12 / 21 (reduced: 10^12/3 raw);
    // 3·10^6 · 7·10^12 is beyond int64, without gcds 3/1 × 7·10^12/21 = 2.1·10^13/21
    // = 10^12 raw (2·10^6 ÷ 3 ÷ 2 × 3 = 10^6)
    CHECK(f.slotRow(0, {gt, ge}) == std::vector<int64_t>{0, 0});
    CHECK(f.slotRow(1, {gt, ge}) == std::vector<int64_t>{0, 1});
    CHECK(f.slotRow(2, {gt, ge}) == std::vector<int64_t>{1, 1});
    CHECK(pairOf(f, stored, 0) == "1000000000000/3");
    CHECK(f.errors == std::vector<int32_t>{0, 0, 0});
  }
  {
    // p = 0.000003, q = 0.000007 (3 and 7 raw: M = 10^6, D = 21), h = 21
    Frame f(b.p, 3);
    f.params[p] = 3;
    f.params[q] = 7;
    f.params[h] = D("21");
    f.cols[a] = {D("1000000"), D("3000000"), D("2000000")};
    f.cols[c] = {0, 0, 0};
    f.cols[x] = {3500000000000000000, 1, 6999999999999999999};
    f.run(j->kernel(), 1);
    // r0: M·N = 10^6 · 7·10^12 = 7·10^18 over 21, ÷ 2: 3.5·10^18 / 21; × 21 without gcds
    // is beyond int64, so reduced: 5·10^17/3, g1 = gcd(21·10^6, 3) = 3: 7 × 5·10^17 = 3.5·10^18 raw
    CHECK(f.slotRow(0, {gt, ge}) == std::vector<int64_t>{0, 1});
    CHECK(pairOf(f, stored, 0) == "500000000000000000/3");
    CHECK(f.errors[0] == 0);
    // r1: M·N = 10^6 · 2.1·10^13 is beyond int64: reduced, 10^18/1, ÷ 2 = 5·10^17;
    // × 21 = 1.05·10^19 raw, beyond int64 reduced too: overflow named by gt, the product 0 < x
    CHECK(f.slotRow(1, {gt, ge}) == std::vector<int64_t>{1, 1});
    CHECK(pairOf(f, stored, 1) == "500000000000000000/1");
    CHECK(RB_ERR_CODE(f.errors[1]) == RB_DEC_ERR_OVERFLOW);
    CHECK(RB_ERR_SLOT(f.errors[1]) == gt);
    // r2: M·N = 1.4·10^19 is beyond int64: reduced 2·10^18/3, ÷ 2 = 10^18/3; × 21 = 7·10^18 raw
    CHECK(f.slotRow(2, {gt, ge}) == std::vector<int64_t>{0, 0});
    CHECK(pairOf(f, stored, 2) == "1000000000000000000/3");
    CHECK(f.errors[2] == 0);
  }
}

// The ÷ 2^i·5^j of a loose sum whose unreduced denominator × what is left of the
// divisor leaves int64 while the reduced one does not: the reduced path.
TEST_CASE("a loose sum of quotients divided by 128: reduced where its denominator leaves int64", "[codegen][wide]") {
  Config cfg = anyConfig();
  CAPTURE(cfg.opt, cfg.inlineDecimal, cfg.perFunction);
  ProgramBuilder b;
  int x = b.column("x"), a = b.column("a"), c = b.column("c");
  int p = b.param("p"), q = b.param("q"), h = b.param("h");
  ExprId sum = b.bin(Op::Add, b.bin(Op::Div, b.col(a), b.par(p)), b.bin(Op::Div, b.col(c), b.par(q)));
  ExprId part = b.bin(Op::Div, sum, b.dec("128"));
  int gt = b.output(b.cmp(CmpKind::Gt, b.col(x), b.bin(Op::Mul, b.par(h), part)));
  int stored = b.output(part);
  auto j = build(b, cfg);
  // p = 3 raw, q = 3·10^18 + 1 raw (odd, no factor 5, not a multiple of 3): L = D = 9·10^18 + 3,
  // M = 10^6; a = 0, c = 1 raw: N = 3, M·N = 3·10^6 over D. ÷ 128 cancels 2^6 of 3·10^6:
  // 46875 over D·2, beyond int64. Reduced: 10^6/(3·10^18 + 1), ÷ 128 = 15625/(6·10^18 + 2).
  // h = 2: 2 × that = 15625/(3·10^18 + 1) raw, between 0 and 1 raw.
  Frame f(b.p, 2);
  f.params[p] = 3;
  f.params[q] = 3000000000000000001;
  f.params[h] = D("2");
  f.cols[a] = {0, 0};
  f.cols[c] = {1, 1};
  f.cols[x] = {0, 1};
  f.run(j->kernel(), 1);
  CHECK(f.slots[gt] == std::vector<int64_t>{0, 1});
  CHECK(pairOf(f, stored, 0) == "15625/6000000000000000002");
  CHECK(f.errors == std::vector<int32_t>{0, 0});
}
