// Tests for runtime/decimal: the C API, the C++ wrapper, and a randomized
// comparison against an independent reference (scale-10^12 division and
// digit-string rounding) so a shared bug in the rounding helper cannot hide.
#include <catch2/catch.hpp>

#include <climits>
#include <cstdint>
#include <random>
#include <sstream>
#include <string>

#include "decimal.hpp"
#include "rubric_decimal.h"

using rubric::Decimal;
using rubric::DecimalError;

namespace {

using i128 = __int128;
using u128 = unsigned __int128;

rb_dec P(const char *s) {
  rb_dec v = 0;
  int rc = rb_dec_parse(s, std::char_traits<char>::length(s), &v);
  REQUIRE(rc == RB_DEC_OK);
  return v;
}

int parseRc(const std::string &s) {
  rb_dec v = 0;
  return rb_dec_parse(s.data(), s.size(), &v);
}

std::string F(rb_dec x) {
  char buf[RB_DEC_FORMAT_CAP];
  return std::string(buf, rb_dec_format(x, buf, sizeof buf));
}

std::string FF(rb_dec x, int32_t d) {
  char buf[64];
  return std::string(buf, rb_dec_format_fixed(x, d, buf, sizeof buf));
}

Decimal D(const char *s) { return *Decimal::parse(s); }

std::string u128str(u128 v) {
  std::string s;
  do {
    s.insert(s.begin(), char('0' + int(v % 10)));
    v /= 10;
  } while (v);
  return s;
}

u128 strU128(const std::string &s) {
  u128 v = 0;
  for (char c : s) v = v * 10 + u128(c - '0');
  return v;
}

u128 mag(rb_dec x) { return x < 0 ? u128(-i128(x)) : u128(x); }

// ---- Independent reference ----------------------------------------------

struct Res {
  const char *op;
  rb_dec a, b;
  rb_dec v;
  int32_t err;
  bool operator==(const Res &o) const { return v == o.v && err == o.err; }
};

Res fromWide(const char *op, rb_dec a, rb_dec b, bool neg, u128 m) {
  i128 lim = neg ? i128(INT64_MAX) + 1 : i128(INT64_MAX);
  if (m > u128(lim)) return {op, a, b, 0, RB_DEC_ERR_OVERFLOW};
  return {op, a, b, rb_dec(neg ? -i128(m) : i128(m)), 0};
}

Res refAdd(rb_dec a, rb_dec b) {
  i128 s = i128(a) + b;
  return fromWide("add", a, b, s < 0, s < 0 ? u128(-s) : u128(s));
}
Res refSub(rb_dec a, rb_dec b) {
  i128 s = i128(a) - b;
  return fromWide("sub", a, b, s < 0, s < 0 ? u128(-s) : u128(s));
}
// Rounding by adding half to the magnitude and truncating.
Res refMul(rb_dec a, rb_dec b) {
  u128 p = mag(a) * mag(b);
  u128 m = (p + 500000) / 1000000;
  return fromWide("mul", a, b, (a < 0) != (b < 0) && m != 0, m);
}
// Divide at scale 10^12, then decide from the 6 extra digits.
Res refDiv(rb_dec a, rb_dec b) {
  if (b == 0) return {"div", a, b, 0, RB_DEC_ERR_DIV_ZERO};
  u128 q12 = mag(a) * u128(1000000000000ULL) / mag(b);
  u128 m = q12 / 1000000 + (q12 % 1000000 >= 500000 ? 1 : 0);
  return fromWide("div", a, b, (a < 0) != (b < 0) && m != 0, m);
}

// Digit-string model of |x|: integer digits and exactly 6 fraction digits.
struct Digits {
  std::string ip, fp;
};
Digits digits(rb_dec x) {
  std::string s = u128str(mag(x));
  if (s.size() < 7) s.insert(0, 7 - s.size(), '0');
  return {s.substr(0, s.size() - 6), s.substr(s.size() - 6)};
}

enum class Mode { Round, Floor, Ceil };
Res refRounding(Mode mode, rb_dec x, int nd) {
  const char *op = mode == Mode::Round ? "round" : mode == Mode::Floor ? "floor" : "ceil";
  Digits d = digits(x);
  std::string dropped = d.fp.substr(size_t(nd));
  u128 kept = strU128(d.ip + d.fp.substr(0, size_t(nd)));
  bool anyDropped = dropped.find_first_not_of('0') != std::string::npos;
  bool up = mode == Mode::Round ? (!dropped.empty() && dropped[0] >= '5')
            : mode == Mode::Floor ? (x < 0 && anyDropped)
                                  : (x > 0 && anyDropped);
  u128 m = kept + (up ? 1 : 0);
  for (int i = nd; i < 6; ++i) m *= 10;
  return fromWide(op, x, nd, x < 0 && m != 0, m);
}

std::string refFormat(rb_dec x) {
  Digits d = digits(x);
  std::string ip = d.ip.substr(std::min(d.ip.find_first_not_of('0'), d.ip.size() - 1));
  std::string fp = d.fp.substr(0, d.fp.find_last_not_of('0') + 1);
  return (x < 0 ? "-" : "") + ip + (fp.empty() ? "" : "." + fp);
}

template <class Fn>
Res run(const char *op, rb_dec a, rb_dec b, Fn fn) {
  int32_t err = 0;
  rb_dec v = fn(&err);
  return {op, a, b, v, err};
}

// Raw values spread over magnitudes, exact ties, and the int64 edges.
rb_dec randomRaw(std::mt19937_64 &rng) {
  uint64_t r = rng();
  bool neg = r & 1;
  rb_dec v;
  switch ((r >> 1) % 10) {
    case 0: case 1: case 2:
      v = rb_dec(rng() % 2000000000ULL);  // up to 2000 points
      break;
    case 3: case 4:
      v = rb_dec(rng() % 100000000000000ULL);
      break;
    case 5: case 6: {
      int bits = int(rng() % 63) + 1;
      v = rb_dec(rng() >> (64 - bits));
      break;
    }
    case 7: {  // exact halves at some decimal position
      static const rb_dec halves[] = {5, 50, 500, 5000, 50000, 500000};
      v = rb_dec(rng() % 100000) * 1000000 + halves[rng() % 6];
      break;
    }
    case 8:
      v = INT64_MAX - rb_dec(rng() % 2000000);
      break;
    default:
      v = rb_dec(rng() % 1000) * 1000;  // 0.001 granularity, like real rubrics
  }
  return neg ? -v : v;
}

}  // namespace

namespace Catch {
template <>
struct StringMaker<Res> {
  static std::string convert(const Res &r) {
    std::ostringstream os;
    os << r.op << "(" << r.a << ", " << r.b << ") = " << r.v << " err=" << r.err;
    return os.str();
  }
};
}  // namespace Catch

// ---- C API ----------------------------------------------------------------

TEST_CASE("C API: exact rubric arithmetic", "[decimal][c]") {
  int32_t err = 0;
  CHECK(rb_dec_mul(rb_dec_from_int(15, &err), P("0.2"), &err) == P("3"));
  CHECK(rb_dec_add(P("0.1"), P("0.2"), &err) == P("0.3"));
  CHECK(F(rb_dec_add(P("0.1"), P("0.2"), &err)) == "0.3");

  rb_dec q = rb_dec_div(rb_dec_mul(P("18"), P("7"), &err), P("8"), &err);
  CHECK(q == P("15.75"));
  CHECK(rb_dec_round(q, 1, &err) == P("15.8"));
  CHECK(F(rb_dec_round(q, 1, &err)) == "15.8");

  CHECK(rb_dec_round(P("0.25"), 1, &err) == P("0.3"));
  CHECK(rb_dec_round(P("-0.25"), 1, &err) == P("-0.3"));
  CHECK(rb_dec_round(P("2.5"), 0, &err) == P("3"));
  CHECK(rb_dec_round(P("-2.5"), 0, &err) == P("-3"));
  CHECK(rb_dec_round(P("2.499999"), 0, &err) == P("2"));
  CHECK(rb_dec_round(P("1.23"), 7, &err) == P("1.23"));
  CHECK(rb_dec_round(P("1234.5"), -1, &err) == P("1230"));
  CHECK(rb_dec_round(P("1235"), -1, &err) == P("1240"));

  rb_dec sum = 0;
  for (int i = 0; i < 1000; ++i) sum = rb_dec_add(sum, P("0.001"), &err);
  CHECK(sum == RB_DEC_ONE);

  CHECK(rb_dec_div(P("1"), P("3"), &err) == P("0.333333"));
  CHECK(rb_dec_div(P("2"), P("3"), &err) == P("0.666667"));
  CHECK(rb_dec_div(P("-2"), P("3"), &err) == P("-0.666667"));
  CHECK(rb_dec_mul(P("0.001"), P("0.0005"), &err) == P("0.000001"));  // 5e-7 rounds up
  CHECK(rb_dec_mul(P("-0.001"), P("0.0005"), &err) == P("-0.000001"));
  CHECK(rb_dec_mul(P("0.001"), P("0.0004"), &err) == 0);
  CHECK(err == 0);  // nothing above failed

  CHECK(rb_dec_floor(P("15.79"), 1, &err) == P("15.7"));
  CHECK(rb_dec_floor(P("-15.71"), 1, &err) == P("-15.8"));
  CHECK(rb_dec_ceil(P("15.71"), 1, &err) == P("15.8"));
  CHECK(rb_dec_ceil(P("-15.79"), 1, &err) == P("-15.7"));
  CHECK(rb_dec_neg(P("1.5"), &err) == P("-1.5"));
  CHECK(rb_dec_cmp(P("0.3"), P("0.30")) == 0);
  CHECK(rb_dec_cmp(P("-1"), P("0.5")) == -1);
  CHECK(rb_dec_cmp(P("2"), P("1.999999")) == 1);
  CHECK(rb_dec_min(P("2"), P("3")) == P("2"));
  CHECK(rb_dec_max(P("2"), P("3")) == P("3"));
  CHECK(rb_dec_clamp(P("12"), P("0"), P("10")) == P("10"));
  CHECK(rb_dec_clamp(P("-1"), P("0"), P("10")) == P("0"));
  CHECK(rb_dec_clamp(P("7.5"), P("0"), P("10")) == P("7.5"));
  CHECK(err == 0);
}

TEST_CASE("C API: overflow and division by zero are reported", "[decimal][c]") {
  auto expectErr = [](int32_t want, auto fn) {
    int32_t err = 0;
    rb_dec v = fn(&err);
    CHECK(err == want);
    CHECK(v == 0);
  };
  const rb_dec big = INT64_MAX - 5, small = INT64_MIN + 5;
  expectErr(RB_DEC_ERR_OVERFLOW, [&](int32_t *e) { return rb_dec_add(big, P("1"), e); });
  expectErr(RB_DEC_ERR_OVERFLOW, [&](int32_t *e) { return rb_dec_add(small, P("-1"), e); });
  expectErr(RB_DEC_ERR_OVERFLOW, [&](int32_t *e) { return rb_dec_sub(small, P("1"), e); });
  expectErr(RB_DEC_ERR_OVERFLOW, [&](int32_t *e) { return rb_dec_mul(big, P("2"), e); });
  expectErr(RB_DEC_ERR_OVERFLOW, [&](int32_t *e) { return rb_dec_mul(big, big, e); });
  expectErr(RB_DEC_ERR_OVERFLOW, [&](int32_t *e) { return rb_dec_div(big, P("0.5"), e); });
  expectErr(RB_DEC_ERR_OVERFLOW, [&](int32_t *e) { return rb_dec_div(INT64_MIN, -1, e); });
  expectErr(RB_DEC_ERR_OVERFLOW, [&](int32_t *e) { return rb_dec_neg(INT64_MIN, e); });
  expectErr(RB_DEC_ERR_OVERFLOW, [&](int32_t *e) { return rb_dec_from_int(INT64_MAX / 1000, e); });
  expectErr(RB_DEC_ERR_OVERFLOW, [&](int32_t *e) { return rb_dec_round(INT64_MAX, 0, e); });
  expectErr(RB_DEC_ERR_OVERFLOW, [&](int32_t *e) { return rb_dec_ceil(INT64_MAX, 2, e); });
  expectErr(RB_DEC_ERR_OVERFLOW, [&](int32_t *e) { return rb_dec_floor(INT64_MIN, 2, e); });
  expectErr(RB_DEC_ERR_OVERFLOW, [&](int32_t *e) { return rb_dec_floor(-1, -30, e); });
  expectErr(RB_DEC_ERR_DIV_ZERO, [&](int32_t *e) { return rb_dec_div(P("1"), 0, e); });
  expectErr(RB_DEC_ERR_DIV_ZERO, [&](int32_t *e) { return rb_dec_div(0, 0, e); });

  int32_t err = 0;
  CHECK(rb_dec_add(INT64_MAX - RB_DEC_ONE, RB_DEC_ONE, &err) == INT64_MAX);  // edge is fine
  CHECK(rb_dec_round(P("123.4"), -30, &err) == 0);
  CHECK(err == 0);
  // err accumulates: a later success does not clear it.
  rb_dec_add(big, big, &err);
  rb_dec_add(1, 1, &err);
  CHECK(err == RB_DEC_ERR_OVERFLOW);
  // NULL err is allowed.
  CHECK(rb_dec_add(big, big, nullptr) == 0);
}

TEST_CASE("C API: parse", "[decimal][c][parse]") {
  CHECK(P("-12.5") == -12500000);
  CHECK(P("0.000001") == 1);
  CHECK(P("3") == 3000000);
  CHECK(P("+1") == 1000000);
  CHECK(P("0.5") == 500000);
  CHECK(P("5.") == 5000000);
  CHECK(P("007.50") == 7500000);
  CHECK(P("-0") == 0);
  CHECK(P("0.1000000") == 100000);
  CHECK(P("1.000000000000") == 1000000);
  CHECK(P("9223372036854.775807") == INT64_MAX);
  CHECK(P("-9223372036854.775808") == INT64_MIN);

  for (const char *bad : {"", "abc", "1.2.3", "1e5", ".5", "-", "+", "--1", " 1", "1 ",
                          "1,5", "5%", "0x10", "1.-2", "."})
    CHECK(parseRc(bad) == RB_DEC_ERR_SYNTAX);
  CHECK(parseRc(std::string("1\0" "2", 3)) == RB_DEC_ERR_SYNTAX);
  CHECK(parseRc("0.0000001") == RB_DEC_ERR_PRECISION);
  CHECK(parseRc("1.0000000001") == RB_DEC_ERR_PRECISION);
  CHECK(parseRc("9223372036854.775808") == RB_DEC_ERR_OVERFLOW);
  CHECK(parseRc("-9223372036854.775809") == RB_DEC_ERR_OVERFLOW);
  CHECK(parseRc("99999999999999999999999999") == RB_DEC_ERR_OVERFLOW);
  CHECK(parseRc("99999999999999999999999999x") == RB_DEC_ERR_SYNTAX);

  rb_dec keep = 42;
  CHECK(rb_dec_parse("abc", 3, &keep) != 0);
  CHECK(keep == 42);  // untouched on failure
  CHECK(rb_dec_parse(nullptr, 0, &keep) == RB_DEC_ERR_SYNTAX);
  CHECK(rb_dec_parse("12.5xyz", 4, &keep) == 0);  // only len bytes are read
  CHECK(keep == 12500000);
}

TEST_CASE("C API: format", "[decimal][c][format]") {
  CHECK(F(3000000) == "3");
  CHECK(F(15800000) == "15.8");
  CHECK(F(300000) == "0.3");
  CHECK(F(-1500000) == "-1.5");
  CHECK(F(0) == "0");
  CHECK(F(1) == "0.000001");
  CHECK(F(-1) == "-0.000001");
  CHECK(F(INT64_MAX) == "9223372036854.775807");
  CHECK(F(INT64_MIN) == "-9223372036854.775808");

  CHECK(FF(15750000, 1) == "15.8");
  CHECK(FF(-15750000, 1) == "-15.8");
  CHECK(FF(3000000, 2) == "3.00");
  CHECK(FF(-400000, 0) == "0");  // never "-0"
  CHECK(FF(-500000, 0) == "-1");
  CHECK(FF(1, 8) == "0.00000100");
  CHECK(FF(INT64_MAX, 0) == "9223372036855");
  CHECK(FF(INT64_MIN, 0) == "-9223372036855");
  CHECK(FF(1234567, -3) == "1");

  char small[4];
  CHECK(rb_dec_format(15800000, small, sizeof small) == 0);
  CHECK(small[0] == '\0');
  char exact[5];
  CHECK(rb_dec_format(15800000, exact, sizeof exact) == 4);
  CHECK(std::string(exact) == "15.8");
}

// ---- C++ wrapper ----------------------------------------------------------

TEST_CASE("Decimal: exact rubric arithmetic", "[decimal][cpp]") {
  CHECK(Decimal::fromInt(15) * D("0.2") == Decimal::fromInt(3));
  CHECK((Decimal::fromInt(15) * D("0.2")).toString() == "3");
  CHECK(D("0.1") + D("0.2") == D("0.3"));
  CHECK((Decimal::fromInt(18) * Decimal::fromInt(7) / Decimal::fromInt(8)).round(1) == D("15.8"));
  CHECK((Decimal::fromInt(18) * Decimal::fromInt(7) / Decimal::fromInt(8)).round(1).toString() == "15.8");
  CHECK(D("0.25").round(1) == D("0.3"));
  CHECK(D("-0.25").round(1) == D("-0.3"));
  CHECK(D("-0.25").round(1).toString() == "-0.3");
  CHECK(D("15.79").floor(1) == D("15.7"));
  CHECK(D("15.71").ceil(1) == D("15.8"));

  Decimal sum;
  for (int i = 0; i < 1000; ++i) sum += D("0.001");
  CHECK(sum == Decimal::fromInt(1));

  CHECK(Decimal::fromInt(1) / Decimal::fromInt(3) == D("0.333333"));
  CHECK(Decimal::fromInt(2) / Decimal::fromInt(3) == D("0.666667"));
  CHECK((Decimal::fromInt(2) / Decimal::fromInt(3)).toString() == "0.666667");

  CHECK(D("1") < D("1.000001"));
  CHECK(D("-1") <= D("-1"));
  CHECK(D("2") > D("-3"));
  CHECK(D("2") >= D("2.0"));
  CHECK(D("2") != D("2.1"));
  CHECK(-D("1.5") == D("-1.5"));
  CHECK(Decimal::min(D("1"), D("2")) == D("1"));
  CHECK(Decimal::max(D("1"), D("2")) == D("2"));
  CHECK(Decimal::clamp(D("11"), D("0"), D("10")) == D("10"));
  CHECK(Decimal::fromRaw(1500000).raw() == 1500000);
  CHECK(Decimal().raw() == 0);
  CHECK(D("15.75").toFixed(1) == "15.8");
  CHECK(D("3").toFixed(2) == "3.00");
  std::ostringstream os;
  os << D("-1.50");
  CHECK(os.str() == "-1.5");
}

TEST_CASE("Decimal: errors throw DecimalError with a code", "[decimal][cpp]") {
  const Decimal big = Decimal::fromRaw(INT64_MAX - 5);
  auto codeOf = [](auto fn) -> int32_t {
    try {
      fn();
    } catch (const DecimalError &e) {
      return e.code();
    }
    return 0;
  };
  CHECK(codeOf([&] { return big + Decimal::fromInt(1); }) == RB_DEC_ERR_OVERFLOW);
  CHECK(codeOf([&] { return Decimal::fromRaw(INT64_MIN) - Decimal::fromInt(1); }) == RB_DEC_ERR_OVERFLOW);
  CHECK(codeOf([&] { return big * Decimal::fromInt(2); }) == RB_DEC_ERR_OVERFLOW);
  CHECK(codeOf([&] { return big / D("0.1"); }) == RB_DEC_ERR_OVERFLOW);
  CHECK(codeOf([&] { return -Decimal::fromRaw(INT64_MIN); }) == RB_DEC_ERR_OVERFLOW);
  CHECK(codeOf([&] { return Decimal::fromInt(INT64_MAX); }) == RB_DEC_ERR_OVERFLOW);
  CHECK(codeOf([&] { return Decimal::fromRaw(INT64_MAX).round(0); }) == RB_DEC_ERR_OVERFLOW);
  CHECK(codeOf([&] { return Decimal::fromInt(1) / Decimal(); }) == RB_DEC_ERR_DIV_ZERO);
  CHECK_THROWS_AS(Decimal::fromInt(1) / Decimal(), std::runtime_error);
  CHECK_THROWS_WITH(Decimal::fromInt(1) / Decimal(), "decimal /: division by zero");
  CHECK_NOTHROW(big + Decimal::fromRaw(5));
}

TEST_CASE("Decimal: parse and toString", "[decimal][cpp][parse]") {
  for (const char *bad : {"", "abc", "1.2.3", "1e5", "0.0000001"})
    CHECK_FALSE(Decimal::parse(bad).has_value());
  REQUIRE(Decimal::parse("0.1000000").has_value());
  CHECK(Decimal::parse("0.1000000")->raw() == 100000);
  Decimal out;
  CHECK(Decimal::parseCode("0.0000001", out) == RB_DEC_ERR_PRECISION);
  CHECK(Decimal::parseCode("x", out) == RB_DEC_ERR_SYNTAX);
  CHECK(out.raw() == 0);
  CHECK(Decimal::parseCode("2.5", out) == RB_DEC_OK);
  CHECK(out == D("2.5"));

  for (const char *s : {"3", "15.8", "0.3", "-1.5", "0", "0.000001", "-9223372036854.775808"})
    CHECK(D(s).toString() == s);
  CHECK(D("-0.0").toString() == "0");
  CHECK(D("+015.800").toString() == "15.8");
}

// ---- Randomized comparison with the reference ----------------------------

TEST_CASE("Property: C API matches the independent reference", "[decimal][property]") {
  std::mt19937_64 rng(0x5275627269635ULL);  // fixed seed: reproducible
  const int kPairs = 200000;
  for (int i = 0; i < kPairs; ++i) {
    const rb_dec a = randomRaw(rng), b = randomRaw(rng);
    const int nd = int(rng() % 7);

    REQUIRE(run("add", a, b, [&](int32_t *e) { return rb_dec_add(a, b, e); }) == refAdd(a, b));
    REQUIRE(run("sub", a, b, [&](int32_t *e) { return rb_dec_sub(a, b, e); }) == refSub(a, b));
    REQUIRE(run("mul", a, b, [&](int32_t *e) { return rb_dec_mul(a, b, e); }) == refMul(a, b));
    REQUIRE(run("div", a, b, [&](int32_t *e) { return rb_dec_div(a, b, e); }) == refDiv(a, b));
    REQUIRE(run("round", a, nd, [&](int32_t *e) { return rb_dec_round(a, nd, e); }) ==
            refRounding(Mode::Round, a, nd));
    REQUIRE(run("floor", a, nd, [&](int32_t *e) { return rb_dec_floor(a, nd, e); }) ==
            refRounding(Mode::Floor, a, nd));
    REQUIRE(run("ceil", a, nd, [&](int32_t *e) { return rb_dec_ceil(a, nd, e); }) ==
            refRounding(Mode::Ceil, a, nd));

    const std::string text = F(a);
    REQUIRE(text == refFormat(a));
    rb_dec back = 0;
    REQUIRE(rb_dec_parse(text.data(), text.size(), &back) == RB_DEC_OK);
    REQUIRE(back == a);
    const std::string fixed = FF(a, 6);  // non-canonical form parses back too
    REQUIRE(rb_dec_parse(fixed.data(), fixed.size(), &back) == RB_DEC_OK);
    REQUIRE(back == a);
  }
}

TEST_CASE("Property: Decimal wrapper agrees with the C API", "[decimal][property][cpp]") {
  std::mt19937_64 rng(20240611);
  for (int i = 0; i < 20000; ++i) {
    const rb_dec a = randomRaw(rng), b = randomRaw(rng);
    const Decimal x = Decimal::fromRaw(a), y = Decimal::fromRaw(b);
    int32_t err = 0;
    const rb_dec want = rb_dec_mul(a, b, &err);
    if (err) {
      CHECK_THROWS_AS(x * y, DecimalError);
    } else {
      CHECK((x * y).raw() == want);
    }
    err = 0;
    const rb_dec q = rb_dec_div(a, b, &err);
    if (err) {
      CHECK_THROWS_AS(x / y, DecimalError);
    } else {
      CHECK((x / y).raw() == q);
    }
    CHECK((x < y) == (a < b));
    CHECK(Decimal::parse(x.toString()) == x);
  }
}
