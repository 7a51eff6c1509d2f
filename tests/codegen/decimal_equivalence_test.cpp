// The inline decimal fast paths of the generated code against the one
// definition in rubric_decimal.c: same value and same error code for edge
// values and for random operands of every magnitude.
#include <catch2/catch.hpp>

#include <random>

#include "CodegenTestUtil.h"

using namespace rubric::codegen_test;

namespace {

std::vector<int64_t> edgeValues() {
  std::vector<int64_t> base = {0, 1, 2, 3, 7, 10, 499999, 500000, 500001, 999999, 1000000, 1000001,
                               1500000, 2500000, 1234567, 4999999, 5000000, 5000001,
                               3037000499LL, 3037000500LL, 4294967296LL,
                               9223372036854LL, 9223372036855LL, 9223372036854775LL,
                               INT64_MAX / 2, INT64_MAX - 1, INT64_MAX,
                               500000000000000000LL, 450000000000000000LL, 999999999999999999LL,
                               1000000000000000000LL};
  std::vector<int64_t> out;
  for (int64_t v : base) {
    out.push_back(v);
    out.push_back(-v);
  }
  out.push_back(INT64_MIN);
  out.push_back(INT64_MIN + 1);
  return out;
}

// Operand pairs: all edge × edge, plus random values of random bit widths.
std::pair<std::vector<int64_t>, std::vector<int64_t>> operands(bool binary) {
  std::vector<int64_t> a, b;
  auto edges = edgeValues();
  for (int64_t x : edges)
    for (int64_t y : binary ? edges : std::vector<int64_t>{0}) {
      a.push_back(x);
      b.push_back(y);
    }
  std::mt19937_64 rng(20240611);
  auto randomValue = [&] {
    int bits = static_cast<int>(rng() % 64);
    uint64_t u = bits == 0 ? 0 : rng() >> (64 - bits);
    int64_t v = static_cast<int64_t>(u);
    if (rng() & 1) v = -v;
    if (rng() % 8 == 0) v = (v / 1000000) * 1000000 + (rng() % 3 == 0 ? 500000 : 0);  // ties
    return v;
  };
  for (int i = 0; i < 20000; ++i) {
    a.push_back(randomValue());
    b.push_back(binary ? randomValue() : 0);
  }
  return {a, b};
}

struct Case {
  const char *name;
  Op op;
  int64_t digits;
};

int64_t decimalReference(Op op, int64_t a, int64_t b, int64_t digits, int32_t *err);

// Products of two 6-decimal columns and quotients are exact fractions (rb_rat_*);
// the rest are decimals.
rubric::Rational reference(Op op, int64_t a, int64_t b, int64_t digits, int32_t *err) {
  rubric::Rational q;
  switch (op) {
    case Op::Mul: q.num = rb_rat_mul(a, 1, b, 1, &q.den, err); return q;
    case Op::Div: q.num = rb_rat_div(a, 1, b, 1, &q.den, err); return q;
    default: return rubric::Rational::of(decimalReference(op, a, b, digits, err));
  }
}

int64_t decimalReference(Op op, int64_t a, int64_t b, int64_t digits, int32_t *err) {
  switch (op) {
    case Op::Add: return rb_dec_add(a, b, err);
    case Op::Sub: return rb_dec_sub(a, b, err);
    case Op::Neg: return rb_dec_neg(a, err);
    case Op::Round: return rb_dec_round(a, static_cast<int32_t>(digits), err);
    case Op::Floor: return rb_dec_floor(a, static_cast<int32_t>(digits), err);
    case Op::Ceil: return rb_dec_ceil(a, static_cast<int32_t>(digits), err);
    case Op::Min: return rb_dec_min(a, b);
    case Op::Max: return rb_dec_max(a, b);
    default: return 0;
  }
}

void checkOp(Op op, int64_t digits, int opt, bool inlineDecimal) {
  bool binary = op != Op::Neg && op != Op::Round && op != Op::Floor && op != Op::Ceil;
  ProgramBuilder b;
  int ca = b.column("a");
  int cb = b.column("b");
  ExprId e = binary ? b.bin(op, b.col(ca), b.col(cb)) : b.un(op, b.col(ca), digits);
  int s = b.output(e);
  rubric::codegen::CodeGenOptions o;
  o.inlineDecimal = inlineDecimal;
  auto j = compile(b.p, opt, o);
  auto [av, bv] = operands(binary);
  Frame f(b.p, static_cast<int64_t>(av.size()));
  f.cols[ca] = av;
  f.cols[cb] = bv;
  f.run(j->kernel(), 1);
  size_t mismatches = 0;
  for (size_t r = 0; r < av.size(); ++r) {
    int32_t err = 0;
    rubric::Rational want = reference(op, av[r], bv[r], digits, &err);
    if (f.value(s, r) != want || RB_ERR_CODE(f.errors[r]) != err) {
      if (++mismatches <= 5) {
        INFO("a=" << av[r] << " b=" << bv[r] << " digits=" << digits << " got " << f.slots[s][r] << "/"
                  << f.dens[s][r] << " err " << f.errors[r] << ", want " << want.num << "/" << want.den
                  << " err " << err);
        CHECK(false);
      }
    }
  }
  CHECK(mismatches == 0);
}

} // namespace

TEST_CASE("inline decimal code equals rubric_decimal.c", "[codegen][decimal]") {
  int opt = GENERATE(0, 2);
  bool inl = GENERATE(true, false);
  CAPTURE(opt, inl);
  for (Op op : {Op::Add, Op::Sub, Op::Mul, Op::Div, Op::Neg, Op::Min, Op::Max}) {
    CAPTURE(static_cast<int>(op));
    checkOp(op, 0, opt, inl);
  }
}

TEST_CASE("inline round/floor/ceil equal rubric_decimal.c for every digit count", "[codegen][decimal]") {
  int opt = GENERATE(0, 2);
  CAPTURE(opt);
  for (Op op : {Op::Round, Op::Floor, Op::Ceil})
    for (int64_t d : {-20, -15, -14, -13, -12, -11, -7, -3, -1, 0, 1, 2, 3, 4, 5, 6, 7, 100}) {
      CAPTURE(static_cast<int>(op), d);
      checkOp(op, d, opt, true);
    }
}
