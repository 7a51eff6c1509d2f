/*
 * rubric_decimal.h — the single definition of rubric point arithmetic.
 *
 * Shared by the reference interpreter (via decimal.hpp) and by LLVM-generated
 * scorers (which call these symbols by name). Points are exact decimals: a
 * value is a scaled int64, value = raw / 10^6. IEEE double is never used, so
 * 0.1 + 0.2 == 0.3 and 15 * 0.2 == 3 hold exactly.
 *
 * Errors: operations that can fail take `int32_t *err`. On failure they store
 * an RB_DEC_ERR_* code there and return 0; on success *err is left untouched,
 * so one err slot can accumulate across a whole expression. err may be NULL.
 * Nothing ever wraps silently.
 *
 * Rounding everywhere is 四舍五入: half away from zero.
 */
#ifndef RUBRIC_DECIMAL_H
#define RUBRIC_DECIMAL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int64_t rb_dec;

#define RB_DEC_SCALE_DIGITS 6
#define RB_DEC_ONE INT64_C(1000000)

#define RB_DEC_OK 0
#define RB_DEC_ERR_OVERFLOW 1
#define RB_DEC_ERR_DIV_ZERO 2
#define RB_DEC_ERR_PRECISION 3 /* parse: nonzero digit beyond the 6th decimal */
#define RB_DEC_ERR_SYNTAX 4    /* parse: not a decimal literal */

/* Longest canonical text is "-9223372036854.775808" (21 chars + NUL). */
#define RB_DEC_FORMAT_CAP 32

/* Exact arithmetic. */
rb_dec rb_dec_add(rb_dec a, rb_dec b, int32_t *err);
rb_dec rb_dec_sub(rb_dec a, rb_dec b, int32_t *err);
rb_dec rb_dec_neg(rb_dec a, int32_t *err);
rb_dec rb_dec_from_int(int64_t n, int32_t *err);

/* Exact product, rounded half away from zero only if it has >6 decimals. */
rb_dec rb_dec_mul(rb_dec a, rb_dec b, int32_t *err);
/* Quotient to 6 decimals, rounded half away from zero from the exact remainder. */
rb_dec rb_dec_div(rb_dec a, rb_dec b, int32_t *err);

/* Round/floor/ceil to `ndigits` decimals. ndigits >= 6 returns x unchanged;
 * negative ndigits rounds to tens, hundreds, ... (-1 => multiple of 10). */
rb_dec rb_dec_round(rb_dec x, int32_t ndigits, int32_t *err);
rb_dec rb_dec_floor(rb_dec x, int32_t ndigits, int32_t *err);
rb_dec rb_dec_ceil(rb_dec x, int32_t ndigits, int32_t *err);

/* Total order; never fails. cmp returns -1, 0 or 1. */
int32_t rb_dec_cmp(rb_dec a, rb_dec b);
rb_dec rb_dec_min(rb_dec a, rb_dec b);
rb_dec rb_dec_max(rb_dec a, rb_dec b);
/* max(lo, min(x, hi)): if lo > hi the result is lo. */
rb_dec rb_dec_clamp(rb_dec x, rb_dec lo, rb_dec hi);

/* Exact rationals. A value that a division (or an average, or a product
 * with more than 6 decimals) makes is kept as num / den in raw units:
 * real value = num / (den × 10^6), den > 0, gcd(|num|, den) = 1, and 0 is
 * {0, 1}. A plain rb_dec x is {x, 1}, so decimals need no conversion.
 * Every operation computes the exact result with 128-bit intermediates,
 * reduces it, and reports RB_DEC_ERR_OVERFLOW when the reduced numerator or
 * denominator does not fit in int64 (and returns {0, 1}); never a rounded
 * value. The numerator is returned, the denominator stored in *den. */
int64_t rb_rat_add(int64_t an, int64_t ad, int64_t bn, int64_t bd, int64_t *den, int32_t *err);
int64_t rb_rat_sub(int64_t an, int64_t ad, int64_t bn, int64_t bd, int64_t *den, int32_t *err);
int64_t rb_rat_mul(int64_t an, int64_t ad, int64_t bn, int64_t bd, int64_t *den, int32_t *err);
/* b == 0: RB_DEC_ERR_DIV_ZERO. */
int64_t rb_rat_div(int64_t an, int64_t ad, int64_t bn, int64_t bd, int64_t *den, int32_t *err);
/* Exact total order (cross-multiplied in 128 bits); never fails. */
int32_t rb_rat_cmp(int64_t an, int64_t ad, int64_t bn, int64_t bd);
/* 四舍五入 / floor / ceil of the EXACT value to `ndigits` decimals, as an
 * rb_dec. ndigits >= 6 means 6 (the finest an rb_dec holds), so a value that
 * is already a decimal ({x, 1}) comes back unchanged, as rb_dec_round does. */
rb_dec rb_rat_round(int64_t num, int64_t den, int32_t ndigits, int32_t *err);
rb_dec rb_rat_floor(int64_t num, int64_t den, int32_t ndigits, int32_t *err);
rb_dec rb_rat_ceil(int64_t num, int64_t den, int32_t ndigits, int32_t *err);
/* The reduced fraction of a wider fixed-point value: v / 10^scale raw units,
 * v = hi·2^64 + lo as a signed 128-bit integer, 0 <= scale <= 18. Generated
 * code keeps values with up to 18 decimals that way (a product of two
 * 6-decimal values has 12) and calls this when v does not fit in int64.
 * Overflow (the reduced numerator beyond int64): RB_DEC_ERR_OVERFLOW, {0, 1}. */
int64_t rb_rat_from_wide(int64_t hi, uint64_t lo, int32_t scale, int64_t *den, int32_t *err);
/* The reduced fraction n / d of two signed 128-bit integers (n = nhi·2^64 +
 * nlo, likewise d; d != 0, |n|, |d| < 2^127), as rb_rat_* would return the
 * same value: generated code sums two quotients unreduced and reduces once.
 * Overflow (reduced numerator or denominator beyond int64): RB_DEC_ERR_OVERFLOW, {0, 1}. */
int64_t rb_rat_from_i128(int64_t nhi, uint64_t nlo, int64_t dhi, uint64_t dlo, int64_t *den, int32_t *err);
/* What output shows: the exact value when it has at most 6 decimals, else
 * rounded half away from zero to 6 decimals. Never fails. */
rb_dec rb_rat_to_dec(int64_t num, int64_t den);

/* Parse exactly `len` bytes of ASCII: [+-]digits[.digits*]. "5." is accepted,
 * ".5", "1e5", whitespace and '%' are not. Digits past the 6th decimal must be
 * zeros (else RB_DEC_ERR_PRECISION). Returns 0 and sets *out on success;
 * otherwise returns an RB_DEC_ERR_* code (SYNTAX > PRECISION > OVERFLOW) and
 * leaves *out untouched. */
int rb_dec_parse(const char *s, size_t len, rb_dec *out);

/* Canonical text: no trailing fractional zeros, no trailing dot, never "-0".
 * Writes a NUL-terminated string and returns its length. If cap is too small
 * (RB_DEC_FORMAT_CAP always suffices) writes "" (when cap > 0) and returns 0. */
size_t rb_dec_format(rb_dec x, char *buf, size_t cap);
/* Exactly `digits` decimals (negative treated as 0), rounded half away from
 * zero; digits > 6 pads with zeros. Same buffer contract as rb_dec_format
 * (needs RB_DEC_FORMAT_CAP + digits bytes to be safe). */
size_t rb_dec_format_fixed(rb_dec x, int32_t digits, char *buf, size_t cap);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* RUBRIC_DECIMAL_H */
