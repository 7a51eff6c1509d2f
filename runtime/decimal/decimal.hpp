// decimal.hpp — C++ value type for the interpreter. Every operation forwards
// to rubric_decimal.h so the interpreter and generated code cannot disagree.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "rubric_decimal.h"

namespace rubric {

class DecimalError : public std::runtime_error {
 public:
  // code is an RB_DEC_ERR_* value.
  DecimalError(int32_t code, const char *op)
      : std::runtime_error(std::string("decimal ") + op + ": " + describe(code)),
        code_(code) {}
  int32_t code() const noexcept { return code_; }

  static const char *describe(int32_t code) noexcept {
    switch (code) {
      case RB_DEC_ERR_OVERFLOW: return "overflow";
      case RB_DEC_ERR_DIV_ZERO: return "division by zero";
      case RB_DEC_ERR_PRECISION: return "more than 6 decimal places";
      case RB_DEC_ERR_SYNTAX: return "invalid syntax";
      default: return "error";
    }
  }

 private:
  int32_t code_;
};

class Decimal {
 public:
  constexpr Decimal() noexcept = default;

  static constexpr Decimal fromRaw(rb_dec raw) noexcept { return Decimal(raw); }
  static Decimal fromInt(int64_t n) {
    return checked("fromInt", [&](int32_t *e) { return rb_dec_from_int(n, e); });
  }
  // std::nullopt for any RB_DEC_ERR_*; use parseCode to learn which.
  static std::optional<Decimal> parse(std::string_view s) noexcept {
    rb_dec v;
    if (rb_dec_parse(s.data(), s.size(), &v) != RB_DEC_OK) return std::nullopt;
    return Decimal(v);
  }
  // Returns RB_DEC_OK or an RB_DEC_ERR_* code; `out` is set only on success.
  static int parseCode(std::string_view s, Decimal &out) noexcept {
    return rb_dec_parse(s.data(), s.size(), &out.raw_);
  }

  constexpr rb_dec raw() const noexcept { return raw_; }

  std::string toString() const {
    char buf[RB_DEC_FORMAT_CAP];
    return std::string(buf, rb_dec_format(raw_, buf, sizeof buf));
  }
  // Exactly `digits` decimals, half away from zero (e.g. for reports).
  std::string toFixed(int32_t digits) const {
    std::string s(RB_DEC_FORMAT_CAP + (digits > 0 ? digits : 0), '\0');
    s.resize(rb_dec_format_fixed(raw_, digits, s.data(), s.size()));
    return s;
  }

  // 四舍五入 / 去尾 / 进一 to n decimals.
  Decimal round(int32_t n) const {
    return checked("round", [&](int32_t *e) { return rb_dec_round(raw_, n, e); });
  }
  Decimal floor(int32_t n) const {
    return checked("floor", [&](int32_t *e) { return rb_dec_floor(raw_, n, e); });
  }
  Decimal ceil(int32_t n) const {
    return checked("ceil", [&](int32_t *e) { return rb_dec_ceil(raw_, n, e); });
  }

  friend Decimal operator+(Decimal a, Decimal b) {
    return checked("+", [&](int32_t *e) { return rb_dec_add(a.raw_, b.raw_, e); });
  }
  friend Decimal operator-(Decimal a, Decimal b) {
    return checked("-", [&](int32_t *e) { return rb_dec_sub(a.raw_, b.raw_, e); });
  }
  friend Decimal operator*(Decimal a, Decimal b) {
    return checked("*", [&](int32_t *e) { return rb_dec_mul(a.raw_, b.raw_, e); });
  }
  friend Decimal operator/(Decimal a, Decimal b) {
    return checked("/", [&](int32_t *e) { return rb_dec_div(a.raw_, b.raw_, e); });
  }
  Decimal operator-() const {
    return checked("neg", [&](int32_t *e) { return rb_dec_neg(raw_, e); });
  }
  Decimal &operator+=(Decimal b) { return *this = *this + b; }
  Decimal &operator-=(Decimal b) { return *this = *this - b; }
  Decimal &operator*=(Decimal b) { return *this = *this * b; }
  Decimal &operator/=(Decimal b) { return *this = *this / b; }

  friend bool operator==(Decimal a, Decimal b) noexcept { return rb_dec_cmp(a.raw_, b.raw_) == 0; }
  friend bool operator!=(Decimal a, Decimal b) noexcept { return rb_dec_cmp(a.raw_, b.raw_) != 0; }
  friend bool operator<(Decimal a, Decimal b) noexcept { return rb_dec_cmp(a.raw_, b.raw_) < 0; }
  friend bool operator<=(Decimal a, Decimal b) noexcept { return rb_dec_cmp(a.raw_, b.raw_) <= 0; }
  friend bool operator>(Decimal a, Decimal b) noexcept { return rb_dec_cmp(a.raw_, b.raw_) > 0; }
  friend bool operator>=(Decimal a, Decimal b) noexcept { return rb_dec_cmp(a.raw_, b.raw_) >= 0; }

  static Decimal min(Decimal a, Decimal b) noexcept { return Decimal(rb_dec_min(a.raw_, b.raw_)); }
  static Decimal max(Decimal a, Decimal b) noexcept { return Decimal(rb_dec_max(a.raw_, b.raw_)); }
  // If lo > hi the result is lo (see rb_dec_clamp).
  static Decimal clamp(Decimal x, Decimal lo, Decimal hi) noexcept {
    return Decimal(rb_dec_clamp(x.raw_, lo.raw_, hi.raw_));
  }

  friend std::ostream &operator<<(std::ostream &os, Decimal d) { return os << d.toString(); }

 private:
  constexpr explicit Decimal(rb_dec raw) noexcept : raw_(raw) {}

  // Runs one C call with a fresh err slot and turns a failure into a throw.
  template <class F>
  static Decimal checked(const char *op, F &&f) {
    int32_t err = RB_DEC_OK;
    rb_dec v = f(&err);
    if (err != RB_DEC_OK) throw DecimalError(err, op);
    return Decimal(v);
  }

  rb_dec raw_ = 0;
};

// An exact value num / den in raw units, as the rb_rat_* functions keep it
// (reduced, den > 0). What the engines compute and slots hold; a Decimal is
// {raw, 1}. Comparisons are exact; toDecimal() is the output rule.
struct Rational {
  int64_t num = 0;
  int64_t den = 1;

  static constexpr Rational of(rb_dec raw) noexcept { return {raw, 1}; }
  bool isDecimal() const noexcept { return den == 1; }
  // The exact value if it has at most 6 decimals, else rounded half away
  // from zero to 6 decimals.
  Decimal toDecimal() const noexcept { return Decimal::fromRaw(rb_rat_to_dec(num, den)); }
  std::string toString() const { return toDecimal().toString(); }

  friend int32_t compare(Rational a, Rational b) noexcept { return rb_rat_cmp(a.num, a.den, b.num, b.den); }
  friend bool operator==(Rational a, Rational b) noexcept { return a.num == b.num && a.den == b.den; }
  friend bool operator!=(Rational a, Rational b) noexcept { return !(a == b); }
  friend bool operator<(Rational a, Rational b) noexcept { return compare(a, b) < 0; }
  friend bool operator>(Rational a, Rational b) noexcept { return compare(a, b) > 0; }
  friend bool operator<=(Rational a, Rational b) noexcept { return compare(a, b) <= 0; }
  friend bool operator>=(Rational a, Rational b) noexcept { return compare(a, b) >= 0; }
};

}  // namespace rubric
