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

/* ───── Exact rationals (see rubric_decimal.h) ───── */

typedef unsigned __int128 u128;

static u128 uabs128(i128 v) { return v < 0 ? (u128)0 - (u128)v : (u128)v; }

static int ctz128(u128 v) {
  uint64_t lo = (uint64_t)v;
  return lo ? __builtin_ctzll(lo) : 64 + __builtin_ctzll((uint64_t)(v >> 64));
}

/* gcd of 64-bit values: one hardware division brings the larger below the
 * smaller (denominators are usually small next to numerators), then a binary
 * gcd finishes. gcd(0, b) = b. */
static uint64_t gcd64(uint64_t x, uint64_t y) {
  if (x < y) {
    uint64_t t = x;
    x = y;
    y = t;
  }
  if (y == 0) return x;
  x %= y;
  if (x == 0) return y;
  int shift = __builtin_ctzll(x | y);
  x >>= __builtin_ctzll(x);
  do {
    y >>= __builtin_ctzll(y);
    if (x > y) {
      uint64_t t = x;
      x = y;
      y = t;
    }
    y -= x;
  } while (y);
  return x << shift;
}

/* gcd(r, 10^6) for 0 <= r < 10^6, from the factors 2^6 · 5^6. */
static int64_t gcd_with_one(uint64_t r) {
  if (r == 0) return RB_DEC_ONE;
  int twos = __builtin_ctzll(r);
  int64_t g = (int64_t)1 << (twos < 6 ? twos : 6);
  for (int k = 0; k < 6 && r % 5 == 0; ++k) {
    r /= 5;
    g *= 5;
  }
  return g;
}

/* Binary gcd for 128-bit operands; 64-bit ones go to gcd64. */
static u128 gcd128(u128 a, u128 b) {
  if (a == 0) return b;
  if (b == 0) return a;
  if (a == 1 || b == 1) return 1;
  /* gcd(a, b) = gcd(a mod b, b): one division brings a wide a down to b's width */
  if ((b >> 64) == 0 && (a >> 64) != 0) return gcd128(a % b, b);
  if ((a >> 64) == 0 && (b >> 64) != 0) return gcd128(a, b % a);
  if ((a >> 64) == 0 && (b >> 64) == 0) return gcd64((uint64_t)a, (uint64_t)b);
  int shift = ctz128(a | b);
  a >>= ctz128(a);
  do {
    b >>= ctz128(b);
    if (a > b) { u128 t = a; a = b; b = t; }
    b -= a;
  } while (b);
  return a << shift;
}

static int64_t rat_overflow(int64_t *den, int32_t *err) {
  set_err(err, RB_DEC_ERR_OVERFLOW);
  *den = 1;
  return 0;
}

/* Stores an already reduced n / d (d > 0), or reports overflow. */
static int64_t rat_store(i128 n, i128 d, int64_t *den, int32_t *err) {
  if (n == 0) d = 1;
  if (n > INT64_MAX || n < INT64_MIN || d > INT64_MAX) return rat_overflow(den, err);
  *den = (int64_t)d;
  return (int64_t)n;
}

static int fits64(i128 v) { return v >= INT64_MIN && v <= INT64_MAX; }

/* a / g for a gcd g > 0 that divides a: one 64-bit division when both fit
 * (the usual case), instead of the much slower 128-bit library division. */
static i128 quot(i128 a, i128 g) {
  return fits64(a) && fits64(g) ? (i128)((int64_t)a / (int64_t)g) : a / g;
}

/* n / d for any d != 0 with |n|, |d| < 2^127: sign onto n, reduce, store. */
static int64_t rat_make(i128 n, i128 d, int64_t *den, int32_t *err) {
  if (d < 0) {
    n = -n;
    d = -d;
  }
  if (fits64(n) && d <= INT64_MAX) { /* the common case: 64-bit gcd and division */
    int64_t n64 = (int64_t)n, d64 = (int64_t)d;
    int64_t g = (int64_t)gcd128(uabs128(n), (u128)d);
    *den = d64 / g;
    return n64 / g;
  }
  i128 g = (i128)gcd128(uabs128(n), (u128)d);
  if (g > 1) {
    n /= g;
    d /= g;
  }
  return rat_store(n, d, den, err);
}

int64_t rb_rat_from_wide(int64_t hi, uint64_t lo, int32_t scale, int64_t *den, int32_t *err) {
  i128 v = (i128)(((u128)(uint64_t)hi << 64) | lo);
  if (scale < 0 || scale > 18) return rat_overflow(den, err); /* never generated */
  i128 d = 1;
  for (int32_t e = scale; e > 0; --e) d *= 10;
  return rat_make(v, d, den, err);
}

int64_t rb_rat_from_i128(int64_t nhi, uint64_t nlo, int64_t dhi, uint64_t dlo, int64_t *den, int32_t *err) {
  i128 n = (i128)(((u128)(uint64_t)nhi << 64) | nlo), d = (i128)(((u128)(uint64_t)dhi << 64) | dlo);
  if (d == 0) return rat_overflow(den, err); /* never generated */
  return rat_make(n, d, den, err);
}

int64_t rb_rat_add(int64_t an, int64_t ad, int64_t bn, int64_t bd, int64_t *den, int32_t *err) {
  if (ad == bd) { /* |an + bn| < 2^64 */
    if (ad == 1) {
      *den = 1;
      return rb_dec_add(an, bn, err);
    }
    return rat_make((i128)an + bn, ad, den, err);
  }
  /* |an·bd| < 2^126, so the sum fits in 128 bits */
  return rat_make((i128)an * bd + (i128)bn * ad, (i128)ad * bd, den, err);
}

int64_t rb_rat_sub(int64_t an, int64_t ad, int64_t bn, int64_t bd, int64_t *den, int32_t *err) {
  if (ad == bd) {
    if (ad == 1) {
      *den = 1;
      return rb_dec_sub(an, bn, err);
    }
    return rat_make((i128)an - bn, ad, den, err);
  }
  return rat_make((i128)an * bd - (i128)bn * ad, (i128)ad * bd, den, err);
}

/* (an/ad)·(bn/bd)/10^6: the product of two raw values is in raw² units.
 * Cross-cancelling first keeps both products below 2^126 and leaves the
 * fraction reduced, so only the final scaling can overflow, and if it does
 * the reduced result cannot fit in int64 either. */
int64_t rb_rat_mul(int64_t an, int64_t ad, int64_t bn, int64_t bd, int64_t *den, int32_t *err) {
  int64_t p;
  if (ad == 1 && bd == 1 && !__builtin_mul_overflow(an, bn, &p)) {
    /* two decimals whose raw product fits: p / 10^6 reduced by gcd(p, 10^6) */
    int64_t g = gcd_with_one((uint64_t)(p < 0 ? -(p % RB_DEC_ONE) : p % RB_DEC_ONE));
    *den = RB_DEC_ONE / g;
    return p / g;
  }
  i128 g1 = (i128)gcd128(uabs128(an), (u128)bd), g2 = (i128)gcd128(uabs128(bn), (u128)ad);
  i128 n = quot(an, g1) * quot(bn, g2);
  i128 d = quot(ad, g2) * quot(bd, g1);
  i128 g3 = (i128)gcd128(uabs128(n), RB_DEC_ONE);
  n = quot(n, g3);
  if (__builtin_mul_overflow(d, quot(RB_DEC_ONE, g3), &d)) return rat_overflow(den, err);
  return rat_store(n, d, den, err);
}

/* (an/ad)/(bn/bd)·10^6, cross-cancelled the same way. */
int64_t rb_rat_div(int64_t an, int64_t ad, int64_t bn, int64_t bd, int64_t *den, int32_t *err) {
  if (bn == 0) {
    set_err(err, RB_DEC_ERR_DIV_ZERO);
    *den = 1;
    return 0;
  }
  i128 g1 = (i128)gcd128(uabs128(an), uabs128(bn)), g2 = (i128)gcd128((u128)ad, (u128)bd);
  i128 n = quot(an, g1) * quot(bd, g2);
  i128 d = quot(ad, g2) * quot(bn, g1);
  if (d < 0) {
    n = -n;
    d = -d;
  }
  i128 g3 = (i128)gcd128((u128)d, RB_DEC_ONE);
  d = quot(d, g3);
  if (__builtin_mul_overflow(n, quot(RB_DEC_ONE, g3), &n)) return rat_overflow(den, err);
  return rat_store(n, d, den, err);
}

int32_t rb_rat_cmp(int64_t an, int64_t ad, int64_t bn, int64_t bd) {
  i128 l = (i128)an * bd, r = (i128)bn * ad;
  return (l > r) - (l < r);
}

enum { RAT_ROUND, RAT_FLOOR, RAT_CEIL };

/* num / den to a multiple of the step of `ndigits` decimals. */
static rb_dec rat_to_step(int64_t num, int64_t den, int32_t ndigits, int mode, int32_t *err) {
  if (ndigits > RB_DEC_SCALE_DIGITS) ndigits = RB_DEC_SCALE_DIGITS;
  i128 u = step_for(ndigits), du, q = 0, r = num;
  /* den·u beyond 128 bits: |num / den| < 1 step, the quotient is 0 and the
   * remainder less than half a step. */
  int huge = __builtin_mul_overflow((i128)den, u, &du);
  if (!huge) {
    q = num / du;
    r = num % du;
  }
  switch (mode) {
    case RAT_ROUND:
      if (!huge && uabs128(r) * 2 >= (u128)du) q += num < 0 ? -1 : 1;
      break;
    case RAT_FLOOR: if (r < 0) q -= 1; break;
    default: if (r > 0) q += 1; break;
  }
  return fit(q * u, err); /* |q·u| <= |num/den| + u: no 128-bit overflow */
}

rb_dec rb_rat_round(int64_t num, int64_t den, int32_t ndigits, int32_t *err) {
  return rat_to_step(num, den, ndigits, RAT_ROUND, err);
}
rb_dec rb_rat_floor(int64_t num, int64_t den, int32_t ndigits, int32_t *err) {
  return rat_to_step(num, den, ndigits, RAT_FLOOR, err);
}
rb_dec rb_rat_ceil(int64_t num, int64_t den, int32_t ndigits, int32_t *err) {
  return rat_to_step(num, den, ndigits, RAT_CEIL, err);
}

rb_dec rb_rat_to_dec(int64_t num, int64_t den) {
  return rat_to_step(num, den, RB_DEC_SCALE_DIGITS, RAT_ROUND, NULL);
}
