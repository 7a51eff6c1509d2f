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

/* Sorts descending: insertion sort for the short lists rubrics have, heap
 * sort beyond that (no recursion, no allocation). Equal values are
 * indistinguishable, so any correct sort gives the same sequence. */
static void sift_down(int64_t *v, int64_t root, int64_t n) {
  /* min-heap: the heap's root is the smallest, moved to the end each round */
  for (;;) {
    int64_t child = 2 * root + 1;
    if (child >= n) return;
    if (child + 1 < n && v[child + 1] < v[child]) ++child;
    if (v[root] <= v[child]) return;
    int64_t t = v[root];
    v[root] = v[child];
    v[child] = t;
    root = child;
  }
}

static void sort_descending(int64_t *v, int64_t n) {
  if (n <= 32) {
    for (int64_t i = 1; i < n; ++i) {
      int64_t x = v[i];
      int64_t j = i;
      for (; j > 0 && v[j - 1] < x; --j) v[j] = v[j - 1];
      v[j] = x;
    }
    return;
  }
  for (int64_t i = n / 2 - 1; i >= 0; --i) sift_down(v, i, n);
  for (int64_t end = n - 1; end > 0; --end) {
    int64_t t = v[0];
    v[0] = v[end];
    v[end] = t;
    sift_down(v, 0, end);
  }
}

int64_t rb_kernel_top_average(int64_t *values, int64_t n, int64_t fraction, int64_t percent,
                              int32_t *err) {
  if (n <= 0) return 0;
  int64_t k;
  if (percent) {
    /* floor(n × p / 100) toward zero, as the interpreter computes it */
    i128 scaled = (i128)n * fraction / (100 * (i128)RB_DEC_ONE);
    k = (int64_t)scaled;
  } else {
    k = fraction / RB_DEC_ONE;
  }
  if (k < 1) k = 1;
  if (k > n) k = n;
  sort_descending(values, n);
  /* One err slot through the whole computation: a later failure overwrites an
   * earlier one, exactly like interp::topAverage. */
  int32_t e = 0;
  int64_t sum = 0;
  for (int64_t i = 0; i < k; ++i) sum = rb_dec_add(sum, values[i], &e);
  int64_t avg = rb_dec_div(sum, k * RB_DEC_ONE, &e);
  if (e && err) *err = e;
  return avg;
}
