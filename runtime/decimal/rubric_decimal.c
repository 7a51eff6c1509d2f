/* rubric_decimal.c — see rubric_decimal.h for the contract. */
#include "rubric_decimal.h"

#include <string.h>

/* 128-bit intermediates make every product/quotient exact before we round,
 * so rounding is decided on the true remainder, never on a truncated value. */
__extension__ typedef __int128 i128;

static void set_err(int32_t *err, int32_t code) {
  if (err) *err = code;
}

static rb_dec fit(i128 v, int32_t *err) {
  if (v > INT64_MAX || v < INT64_MIN) {
    set_err(err, RB_DEC_ERR_OVERFLOW);
    return 0;
  }
  return (rb_dec)v;
}

static i128 abs128(i128 v) { return v < 0 ? -v : v; }

/* q, r: truncating quotient/remainder of n / d; absd = |d|. Bump q one step
 * away from zero when the discarded part is at least half (四舍五入). */
static i128 round_half_away(i128 q, i128 r, i128 absd, int negative) {
  if (2 * abs128(r) >= absd) q += negative ? -1 : 1;
  return q;
}

rb_dec rb_dec_add(rb_dec a, rb_dec b, int32_t *err) {
  rb_dec r;
  if (__builtin_add_overflow(a, b, &r)) {
    set_err(err, RB_DEC_ERR_OVERFLOW);
    return 0;
  }
  return r;
}

rb_dec rb_dec_sub(rb_dec a, rb_dec b, int32_t *err) {
  rb_dec r;
  if (__builtin_sub_overflow(a, b, &r)) {
    set_err(err, RB_DEC_ERR_OVERFLOW);
    return 0;
  }
  return r;
}

rb_dec rb_dec_neg(rb_dec a, int32_t *err) { return rb_dec_sub(0, a, err); }

rb_dec rb_dec_from_int(int64_t n, int32_t *err) {
  rb_dec r;
  if (__builtin_mul_overflow(n, RB_DEC_ONE, &r)) {
    set_err(err, RB_DEC_ERR_OVERFLOW);
    return 0;
  }
  return r;
}

rb_dec rb_dec_mul(rb_dec a, rb_dec b, int32_t *err) {
  i128 p = (i128)a * b; /* |p| < 2^126: cannot overflow */
  i128 q = round_half_away(p / RB_DEC_ONE, p % RB_DEC_ONE, RB_DEC_ONE, p < 0);
  return fit(q, err);
}

rb_dec rb_dec_div(rb_dec a, rb_dec b, int32_t *err) {
  if (b == 0) {
    set_err(err, RB_DEC_ERR_DIV_ZERO);
    return 0;
  }
  i128 n = (i128)a * RB_DEC_ONE;
  i128 q = round_half_away(n / b, n % b, abs128(b), (n < 0) != (b < 0));
  return fit(q, err);
}

/* Size of one step at `ndigits` decimals, in raw units. Clamped at 10^20,
 * which already exceeds twice any rb_dec, so coarser steps behave the same. */
static i128 step_for(int32_t ndigits) {
  if (ndigits < -14) ndigits = -14;
  i128 u = 1;
  for (int32_t e = RB_DEC_SCALE_DIGITS - ndigits; e > 0; --e) u *= 10;
  return u;
}

rb_dec rb_dec_round(rb_dec x, int32_t ndigits, int32_t *err) {
  if (ndigits >= RB_DEC_SCALE_DIGITS) return x;
  i128 u = step_for(ndigits);
  return fit(round_half_away(x / u, x % u, u, x < 0) * u, err);
}

rb_dec rb_dec_floor(rb_dec x, int32_t ndigits, int32_t *err) {
  if (ndigits >= RB_DEC_SCALE_DIGITS) return x;
  i128 u = step_for(ndigits);
  i128 q = x / u;
  if (x % u < 0) q -= 1;
  return fit(q * u, err);
}

rb_dec rb_dec_ceil(rb_dec x, int32_t ndigits, int32_t *err) {
  if (ndigits >= RB_DEC_SCALE_DIGITS) return x;
  i128 u = step_for(ndigits);
  i128 q = x / u;
  if (x % u > 0) q += 1;
  return fit(q * u, err);
}

int32_t rb_dec_cmp(rb_dec a, rb_dec b) { return (a > b) - (a < b); }
rb_dec rb_dec_min(rb_dec a, rb_dec b) { return a < b ? a : b; }
rb_dec rb_dec_max(rb_dec a, rb_dec b) { return a > b ? a : b; }
rb_dec rb_dec_clamp(rb_dec x, rb_dec lo, rb_dec hi) {
  return rb_dec_max(lo, rb_dec_min(x, hi));
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

int rb_dec_parse(const char *s, size_t len, rb_dec *out) {
  if (!s || len == 0) return RB_DEC_ERR_SYNTAX;
  size_t i = 0;
  int neg = 0;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    i = 1;
  }

  /* Keep scanning after overflow/precision problems so that a malformed
   * string always reports SYNTAX, whatever its length. */
  uint64_t ip = 0;
  int ovf = 0, imprecise = 0;
  size_t start = i;
  for (; i < len && is_digit(s[i]); ++i)
    if (__builtin_mul_overflow(ip, 10u, &ip) ||
        __builtin_add_overflow(ip, (uint64_t)(s[i] - '0'), &ip))
      ovf = 1;
  if (i == start) return RB_DEC_ERR_SYNTAX; /* "", "-", ".5" */

  uint64_t fp = 0;
  int fdigits = 0;
  if (i < len && s[i] == '.') {
    for (++i; i < len && is_digit(s[i]); ++i) {
      if (fdigits < RB_DEC_SCALE_DIGITS) {
        fp = fp * 10 + (uint64_t)(s[i] - '0');
        ++fdigits;
      } else if (s[i] != '0') {
        imprecise = 1;
      }
    }
  }
  if (i != len) return RB_DEC_ERR_SYNTAX;
  if (imprecise) return RB_DEC_ERR_PRECISION;
  for (; fdigits < RB_DEC_SCALE_DIGITS; ++fdigits) fp *= 10;

  uint64_t mag;
  uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
  if (ovf || __builtin_mul_overflow(ip, (uint64_t)RB_DEC_ONE, &mag) ||
      __builtin_add_overflow(mag, fp, &mag) || mag > limit)
    return RB_DEC_ERR_OVERFLOW;
  *out = (rb_dec)(neg ? -(i128)mag : (i128)mag);
  return RB_DEC_OK;
}

/* Writes [-]ip[.fp] with fp zero-padded to fdigits, then `pad` extra zeros. */
static size_t emit(int neg, uint64_t ip, uint64_t fp, int fdigits, size_t pad,
                   char *buf, size_t cap) {
  char tmp[48];
  size_t n = 0;
  char rev[24];
  size_t rn = 0;
  if (neg) tmp[n++] = '-';
  do {
    rev[rn++] = (char)('0' + ip % 10);
    ip /= 10;
  } while (ip);
  while (rn) tmp[n++] = rev[--rn];
  if (fdigits > 0) {
    tmp[n++] = '.';
    for (int k = fdigits - 1; k >= 0; --k) {
      tmp[n + (size_t)k] = (char)('0' + fp % 10);
      fp /= 10;
    }
    n += (size_t)fdigits;
  }
  if (cap == 0 || n + pad >= cap) {
    if (cap > 0) buf[0] = '\0';
    return 0;
  }
  memcpy(buf, tmp, n);
  memset(buf + n, '0', pad);
  buf[n + pad] = '\0';
  return n + pad;
}

/* |x| without overflowing on INT64_MIN. */
static uint64_t magnitude(rb_dec x) {
  return x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
}

size_t rb_dec_format(rb_dec x, char *buf, size_t cap) {
  uint64_t u = magnitude(x);
  uint64_t fp = u % RB_DEC_ONE;
  int fdigits = RB_DEC_SCALE_DIGITS;
  while (fdigits > 0 && fp % 10 == 0) {
    fp /= 10;
    --fdigits;
  }
  return emit(x < 0, u / RB_DEC_ONE, fp, fdigits, 0, buf, cap);
}

size_t rb_dec_format_fixed(rb_dec x, int32_t digits, char *buf, size_t cap) {
  int d = digits < 0 ? 0 : digits > RB_DEC_SCALE_DIGITS ? RB_DEC_SCALE_DIGITS
                                                        : (int)digits;
  size_t pad = digits > RB_DEC_SCALE_DIGITS
                   ? (size_t)(digits - RB_DEC_SCALE_DIGITS) : 0;
  uint64_t step = 1, pow_d = 1;
  for (int e = RB_DEC_SCALE_DIGITS - d; e > 0; --e) step *= 10;
  for (int e = d; e > 0; --e) pow_d *= 10;
  /* Round the magnitude, so halves go away from zero; fits: |x| <= 2^63. */
  uint64_t u = magnitude(x);
  uint64_t m = u / step + ((u % step) * 2 >= step ? 1 : 0);
  return emit(x < 0 && m != 0, m / pow_d, m % pow_d, d, pad, buf, cap);
}
