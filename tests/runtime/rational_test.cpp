// Tests for the exact rationals of runtime/decimal (rb_rat_*): hand-computed
// cases from the rubrics, and a randomized comparison against GMP's mpq_class
// as an independent big-number reference (reduction, overflow, rounding).
#include <catch2/catch.hpp>

#include <gmpxx.h>

#include <cstdint>
#include <random>
#include <string>

#include "decimal.hpp"
#include "rubric_decimal.h"

using rubric::Rational;

namespace {

rb_dec P(const char *s) {
  rb_dec v = 0;
  REQUIRE(rb_dec_parse(s, std::char_traits<char>::length(s), &v) == RB_DEC_OK);
  return v;
}

using RatFn = int64_t (*)(int64_t, int64_t, int64_t, int64_t, int64_t *, int32_t *);

struct Result {
  Rational q;
  int32_t err = 0;
};

Result apply(RatFn fn, Rational a, Rational b) {
  Result r;
  r.q.num = fn(a.num, a.den, b.num, b.den, &r.q.den, &r.err);
  return r;
}

Rational Q(const char *s) { return Rational::of(P(s)); }

// ───── reference (GMP), in raw units: the real value is x / 10^6 ─────

const mpz_class kOne(1000000);

mpq_class toMpq(Rational q) { return mpq_class(mpz_class(static_cast<long>(q.num)), mpz_class(static_cast<long>(q.den))); }

// The reduced fraction if it fits in int64, else the overflow error.
Result fromMpq(mpq_class x) {
  x.canonicalize();
  Result r;
  if (!x.get_num().fits_slong_p() || !x.get_den().fits_slong_p()) {
    r.err = RB_DEC_ERR_OVERFLOW;
    return r;
  }
  r.q = {x.get_num().get_si(), x.get_den().get_si()};
  return r;
}

mpz_class pow10(int e) {
  mpz_class p = 1;
  for (int i = 0; i < e; ++i) p *= 10;
  return p;
}

// mode 0 = half away from zero, 1 = floor, 2 = ceil; the result as an rb_dec.
Result refRound(Rational v, int nd, int mode) {
  if (nd > 6) nd = 6;
  mpz_class u = pow10(6 - nd);
  mpq_class x = toMpq(v) / u;  // in steps
  mpz_class q;
  if (mode == 1) {
    mpz_fdiv_q(q.get_mpz_t(), x.get_num().get_mpz_t(), x.get_den().get_mpz_t());
  } else if (mode == 2) {
    mpz_cdiv_q(q.get_mpz_t(), x.get_num().get_mpz_t(), x.get_den().get_mpz_t());
  } else {
    mpq_class half = abs(x) + mpq_class(1, 2);
    mpz_fdiv_q(q.get_mpz_t(), half.get_num().get_mpz_t(), half.get_den().get_mpz_t());
    if (x < 0) q = -q;
  }
  return fromMpq(mpq_class(q * u));
}

// Random exact values: decimals of many sizes, and quotients of them.
struct Gen {
  std::mt19937_64 rng{20261201};
  int64_t decimal() {
    static const int64_t mags[] = {1, 10, 1000, 1000000, 100000000, 1000000000000LL, INT64_MAX / 4, INT64_MAX};
    int64_t m = mags[rng() % 8];
    int64_t v = static_cast<int64_t>(rng() % static_cast<uint64_t>(m)) + (rng() % 8 == 0 ? 1 : 0);
    return rng() % 2 ? -v : v;
  }
  Rational value() {
    Rational a = Rational::of(decimal());
    if (rng() % 3 == 0) return a;
    Result r = apply(rb_rat_div, a, Rational::of(decimal()));
    return r.err ? a : r.q;
  }
};

void requireSame(const Result &got, const Result &want, const std::string &what) {
  INFO(what << ": got " << got.q.num << "/" << got.q.den << " err " << got.err << ", want " << want.q.num << "/"
            << want.q.den << " err " << want.err);
  REQUIRE(got.err == want.err);
  if (!want.err) {
    REQUIRE(got.q.num == want.q.num);
    REQUIRE(got.q.den == want.q.den);
  }
}

} // namespace

TEST_CASE("Rational: the rubric cases that 6-decimal division got wrong", "[decimal][rational]") {
  // 10 ÷ 3 × 3 = 10 exactly (was 3.333333 × 3 = 9.999999).
  Result third = apply(rb_rat_div, Q("10"), Q("3"));
  REQUIRE(third.err == 0);
  CHECK(third.q.den == 3);  // 10/3 = 10000000/3 raw
  Result back = apply(rb_rat_mul, third.q, Q("3"));
  CHECK(back.q == Q("10"));
  // 1/3 + 1/3 + 1/3 = 1
  Result s = apply(rb_rat_div, Q("1"), Q("3"));
  Result s2 = apply(rb_rat_add, s.q, s.q);
  Result s3 = apply(rb_rat_add, s2.q, s.q);
  CHECK(s3.q == Q("1"));
  // 新疆 四.1: 10 cases ÷ (300 × 1/30) = 1 = exactly 100% of the baseline, so
  // "超过基准值50%" (ratio > 1.5) is false, and 10 ÷ 20 × ... stays exact.
  Result baseline = apply(rb_rat_mul, Q("300"), apply(rb_rat_div, Q("1"), Q("30")).q);
  CHECK(baseline.q == Q("10"));
  // 0.123456 × 0.654321 = 0.080779853376, kept exactly (12 decimals).
  Result prod = apply(rb_rat_mul, Q("0.123456"), Q("0.654321"));
  CHECK(prod.q.num == 80779853376LL / 64);  // 80779853376 / 10^12 real = num / (den · 10^6); gcd 64
  CHECK(prod.q.den == 1000000 / 64);
  CHECK(rb_rat_to_dec(prod.q.num, prod.q.den) == P("0.08078"));  // 0.080779|853376 → half up
  CHECK(compare(prod.q, Rational::of(P("0.08078"))) < 0);
}

TEST_CASE("Rational: rounding is half away from zero on the exact value", "[decimal][rational]") {
  int32_t err = 0;
  Rational twoThirds = apply(rb_rat_div, Q("2"), Q("3")).q;
  CHECK(rb_rat_round(twoThirds.num, twoThirds.den, 2, &err) == P("0.67"));
  CHECK(rb_rat_floor(twoThirds.num, twoThirds.den, 2, &err) == P("0.66"));
  CHECK(rb_rat_ceil(twoThirds.num, twoThirds.den, 0, &err) == P("1"));
  CHECK(rb_rat_to_dec(twoThirds.num, twoThirds.den) == P("0.666667"));
  // 0.0000005 exactly (1/2 raw unit) rounds up to 0.000001; −0.0000005 to −0.000001.
  CHECK(rb_rat_to_dec(1, 2) == 1);
  CHECK(rb_rat_to_dec(-1, 2) == -1);
  CHECK(rb_rat_to_dec(1, 3) == 0);
  // 2.45 is exactly halfway at 1 decimal: 2.5; 2.4499999… (2.45 − 1/3 raw) is not.
  Rational justBelow = apply(rb_rat_sub, Q("2.45"), Rational{1, 3}).q;
  CHECK(rb_rat_round(P("2.45"), 1, 1, &err) == P("2.5"));
  CHECK(rb_rat_round(justBelow.num, justBelow.den, 1, &err) == P("2.4"));
  CHECK(err == 0);
}

TEST_CASE("Rational: overflow and division by zero are errors, never rounded values", "[decimal][rational]") {
  Result z = apply(rb_rat_div, Q("1"), Q("0"));
  CHECK(z.err == RB_DEC_ERR_DIV_ZERO);
  // A denominator beyond int64: 1/(3^40) cannot be kept.
  Rational q = Q("1");
  int32_t err = 0;
  for (int i = 0; i < 40 && !err; ++i) {
    Result r = apply(rb_rat_div, q, Q("3"));
    err = r.err;
    q = r.q;
  }
  CHECK(err == RB_DEC_ERR_OVERFLOW);
  Result big = apply(rb_rat_add, Rational::of(INT64_MAX), Q("0.000001"));
  CHECK(big.err == RB_DEC_ERR_OVERFLOW);
}

TEST_CASE("Property: rb_rat_* match GMP exactly (reduction, overflow, rounding)", "[decimal][rational][property]") {
  Gen g;
  for (int i = 0; i < 200000; ++i) {
    Rational a = g.value(), b = g.value();
    mpq_class x = toMpq(a), y = toMpq(b);
    requireSame(apply(rb_rat_add, a, b), fromMpq(x + y), "add");
    requireSame(apply(rb_rat_sub, a, b), fromMpq(x - y), "sub");
    requireSame(apply(rb_rat_mul, a, b), fromMpq(x * y / kOne), "mul");
    if (b.num != 0) requireSame(apply(rb_rat_div, a, b), fromMpq(x / y * kOne), "div");
    int c = cmp(x, y);
    REQUIRE(rb_rat_cmp(a.num, a.den, b.num, b.den) == (c > 0) - (c < 0));
    int nd = static_cast<int>(g.rng() % 12) - 4;  // −4 … 7
    for (int mode = 0; mode < 3; ++mode) {
      Result got;
      auto fn = mode == 0 ? rb_rat_round : mode == 1 ? rb_rat_floor : rb_rat_ceil;
      got.q = Rational::of(fn(a.num, a.den, nd, &got.err));
      requireSame(got, refRound(a, nd, mode), "round mode " + std::to_string(mode) + " to " + std::to_string(nd));
    }
    REQUIRE(rb_rat_to_dec(a.num, a.den) == refRound(a, 6, 0).q.num);
  }
}
