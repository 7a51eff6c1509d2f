/* kernel_helpers.c — functions that LLVM-generated scoring kernels call,
 * besides the rb_dec_* arithmetic of rubric_decimal.c.
 *
 * Plain C11, no LLVM: it is linked into generated executables next to
 * rubric_decimal, and into the JIT host (which registers its addresses).
 * Declared in kernel_helpers.h.
 */
#include "kernel_helpers.h"

#include "rubric_decimal.h"

__extension__ typedef __int128 i128;

/* Element i of a list of exact values: nums[i] / dens[i], or nums[i] / 1
 * when dens is NULL (the body is a decimal). */
static int greater(const int64_t *nums, const int64_t *dens, int64_t i, int64_t j) {
  if (!dens) return nums[i] > nums[j];
  return rb_rat_cmp(nums[i], dens[i], nums[j], dens[j]) > 0;
}

static void swap_at(int64_t *nums, int64_t *dens, int64_t i, int64_t j) {
  int64_t t = nums[i];
  nums[i] = nums[j];
  nums[j] = t;
  if (dens) {
    t = dens[i];
    dens[i] = dens[j];
    dens[j] = t;
  }
}

/* Sorts descending: insertion sort for the short lists rubrics have, heap
 * sort beyond that (no recursion, no allocation). Equal values are reduced
 * fractions with identical num/den, so any correct sort gives the same sum. */
static void sift_down(int64_t *nums, int64_t *dens, int64_t root, int64_t n) {
  /* min-heap: the heap's root is the smallest, moved to the end each round */
  for (;;) {
    int64_t child = 2 * root + 1;
    if (child >= n) return;
    if (child + 1 < n && greater(nums, dens, child, child + 1)) ++child;
    if (!greater(nums, dens, root, child)) return;
    swap_at(nums, dens, root, child);
    root = child;
  }
}

static void sort_descending(int64_t *nums, int64_t *dens, int64_t n) {
  if (n <= 32) {
    for (int64_t i = 1; i < n; ++i)
      for (int64_t j = i; j > 0 && greater(nums, dens, j, j - 1); --j) swap_at(nums, dens, j, j - 1);
    return;
  }
  for (int64_t i = n / 2 - 1; i >= 0; --i) sift_down(nums, dens, i, n);
  for (int64_t end = n - 1; end > 0; --end) {
    swap_at(nums, dens, 0, end);
    sift_down(nums, dens, 0, end);
  }
}

/* How many of n values a top average takes (see kernel_helpers.h). */
static int64_t top_count(int64_t n, int64_t fraction, int64_t percent) {
  int64_t k;
  if (percent) {
    /* floor(n × p / 100): "排名前50%" of 5 people is ranks 1–2 */
    i128 scaled = (i128)n * fraction / (100 * (i128)RB_DEC_ONE);
    k = (int64_t)scaled;
  } else {
    k = fraction / RB_DEC_ONE;
  }
  if (k < 1) k = 1;
  if (k > n) k = n;
  return k;
}

int64_t rb_kernel_top_average(int64_t *nums, int64_t *dens, int64_t n, int64_t fraction, int64_t percent,
                              int64_t *den, int32_t *err) {
  *den = 1;
  if (n <= 0) return 0;
  int64_t k = top_count(n, fraction, percent);
  sort_descending(nums, dens, n);
  /* The exact mean of the top k; the first error is the one reported. */
  int32_t e = 0;
  int64_t sum = 0, sumDen = 1;
  for (int64_t i = 0; i < k && !e; ++i)
    sum = rb_rat_add(sum, sumDen, nums[i], dens ? dens[i] : 1, &sumDen, &e);
  int64_t avg = e ? 0 : rb_rat_div(sum, sumDen, k * RB_DEC_ONE, 1, den, &e);
  if (e && err && *err == 0) *err = e;
  return avg;
}

/* Descending sort of wide values: insertion sort for short lists, heap sort
 * beyond (as sort_descending). */
static void sift_down_wide(i128 *v, int64_t root, int64_t n) {
  for (;;) {
    int64_t child = 2 * root + 1;
    if (child >= n) return;
    if (child + 1 < n && v[child] > v[child + 1]) ++child;
    if (!(v[root] > v[child])) return;
    i128 t = v[root];
    v[root] = v[child];
    v[child] = t;
    root = child;
  }
}

static void sort_wide_descending(i128 *v, int64_t n) {
  if (n <= 32) {
    for (int64_t i = 1; i < n; ++i) {
      i128 x = v[i];
      int64_t j = i;
      for (; j > 0 && x > v[j - 1]; --j) v[j] = v[j - 1];
      v[j] = x;
    }
    return;
  }
  for (int64_t i = n / 2 - 1; i >= 0; --i) sift_down_wide(v, i, n);
  for (int64_t end = n - 1; end > 0; --end) {
    i128 t = v[0];
    v[0] = v[end];
    v[end] = t;
    sift_down_wide(v, 0, end);
  }
}

/* sum / (sumDen · k) for a reduced sum / sumDen and a count k >= 1: what
 * rb_rat_div(sum, sumDen, k · 10^6, 1, ...) gives. Since gcd(sum, sumDen) = 1,
 * the common factor is g = gcd(|sum|, k), found by Euclid's steps on small
 * numbers; only a denominator beyond int64 goes to rb_rat_div (its overflow). */
static int64_t divide_by_count(int64_t sum, int64_t sumDen, int64_t k, int64_t *den, int32_t *err) {
  uint64_t x = (uint64_t)k, y = (sum < 0 ? 0 - (uint64_t)sum : (uint64_t)sum) % (uint64_t)k;
  while (y) {
    uint64_t t = x % y;
    x = y;
    y = t;
  }
  int64_t d;
  if (__builtin_mul_overflow(sumDen, k / (int64_t)x, &d)) return rb_rat_div(sum, sumDen, k * RB_DEC_ONE, 1, den, err);
  *den = d;
  return sum / (int64_t)x;
}

/* The same steps as rb_kernel_top_average on the same exact values, so the
 * same result and the same first error: its running sum, reduced, must fit
 * in int64 after every element (checked by rb_rat_from_wide only when the
 * wide sum itself does not fit), and the mean is rb_rat_div(sum, k). */
int64_t rb_kernel_top_average_wide(void *values, int64_t n, int32_t scale, int64_t fraction, int64_t percent,
                                   int64_t *den, int32_t *err) {
  i128 *v = (i128 *)values;
  *den = 1;
  if (n <= 0) return 0;
  int64_t k = top_count(n, fraction, percent);
  sort_wide_descending(v, n);
  int32_t e = 0;
  i128 sum = 0;
  int64_t sumNum = 0, sumDen = 1;
  for (int64_t i = 0; i < k && !e; ++i) {
    if (__builtin_add_overflow(sum, v[i], &sum)) e = RB_DEC_ERR_OVERFLOW; /* far beyond int64 once reduced */
    else if (sum < INT64_MIN || sum > INT64_MAX || i == k - 1)
      sumNum = rb_rat_from_wide((int64_t)(sum >> 64), (uint64_t)sum, scale, &sumDen, &e);
  }
  int64_t avg = e ? 0 : divide_by_count(sumNum, sumDen, k, den, &e);
  if (e) *den = 1;
  if (e && err && *err == 0) *err = e;
  return avg;
}

int64_t rb_kernel_year_run(int64_t years, int64_t through) {
  int64_t run = 0;
  for (int64_t y = through; y >= RB_YEAR_SET_FIRST && y <= RB_YEAR_SET_LAST; --y) {
    if (!((years >> (y - RB_YEAR_SET_FIRST)) & 1)) break;
    ++run;
  }
  return run * RB_DEC_ONE;
}

/* ───── GroupAgg (see kernel_helpers.h) ───── */

enum { AGG_MAX, AGG_MIN, AGG_AVERAGE, AGG_SUM, AGG_COUNT, AGG_ALL, AGG_ANY, AGG_TOP };

/* The first value of an aggregate: itself (最好, 最差, 平均, 求和) or its truth. */
static void agg_start(int32_t kind, int64_t *num, int64_t *den) {
  if (kind == AGG_COUNT || kind == AGG_ALL || kind == AGG_ANY) {
    *num = *num != 0;
    *den = 1;
  }
}

/* acc (*num / *den) after one more value v / vd. */
static void agg_step(int32_t kind, int64_t *num, int64_t *den, int64_t v, int64_t vd, int32_t *e) {
  switch (kind) {
  case AGG_MAX: if (rb_rat_cmp(v, vd, *num, *den) > 0) { *num = v; *den = vd; } return;
  case AGG_MIN: if (rb_rat_cmp(v, vd, *num, *den) < 0) { *num = v; *den = vd; } return;
  case AGG_AVERAGE:
  case AGG_SUM: *num = rb_rat_add(*num, *den, v, vd, den, e); return;
  case AGG_COUNT: *num += v != 0; return;
  case AGG_ALL: *num = *num && v != 0; return;
  case AGG_ANY: *num = *num || v != 0; return;
  }
}

/* The aggregate's value after `count` values (count ≥ 1). */
static int64_t agg_finish(int32_t kind, int64_t num, int64_t *den, int64_t count, int32_t *e) {
  if (kind == AGG_AVERAGE) return rb_rat_div(num, *den, count * RB_DEC_ONE, 1, den, e);
  if (kind == AGG_COUNT) return num * RB_DEC_ONE;
  return num;
}

/* Merges element values per key in place: group g's key, value and count end
 * at keys[g], nums[g] / dens[g], counts[g]. Returns the number of groups. */
static int64_t merge_groups(int64_t *nums, int64_t *dens, int64_t *keys, int64_t *counts, int64_t n,
                            int32_t inner, int32_t *e) {
  int64_t groups = 0;
  for (int64_t i = 0; i < n && !*e; ++i) {
    int64_t key = keys[i], v = nums[i], vd = dens[i], g = 0;
    while (g < groups && keys[g] != key) ++g;
    if (g == groups) {  /* a new group: its slot g ≤ i holds an element already read */
      ++groups;
      keys[g] = key;
      nums[g] = v;
      dens[g] = vd;
      counts[g] = 1;
      agg_start(inner, &nums[g], &dens[g]);
      continue;
    }
    agg_step(inner, &nums[g], &dens[g], v, vd, e);
    ++counts[g];
  }
  for (int64_t g = 0; g < groups && !*e; ++g) nums[g] = agg_finish(inner, nums[g], &dens[g], counts[g], e);
  return groups;
}

int64_t rb_kernel_group_aggregate(int64_t *nums, int64_t *dens, int64_t *keys, int64_t *counts, int64_t n,
                                  int32_t inner, int32_t outer, int64_t fraction, int64_t percent, int64_t *den,
                                  int32_t *err) {
  int32_t e = 0;
  int64_t groups = merge_groups(nums, dens, keys, counts, n, inner, &e);
  int64_t out = 0;
  *den = 1;
  if (!e && outer == AGG_TOP) {
    out = rb_kernel_top_average(nums, dens, groups, fraction, percent, den, &e);
  } else if (!e && groups == 0) {
    out = outer == AGG_ALL;
  } else if (!e) {
    out = nums[0];
    *den = dens[0];
    agg_start(outer, &out, den);
    for (int64_t g = 1; g < groups && !e; ++g) agg_step(outer, &out, den, nums[g], dens[g], &e);
    if (!e) out = agg_finish(outer, out, den, groups, &e);
  }
  if (e) {
    *den = 1;
    if (err && *err == 0) *err = e;
    return 0;
  }
  return out;
}
