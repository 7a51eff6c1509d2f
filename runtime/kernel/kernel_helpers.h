/* kernel_helpers.h — runtime helpers called by LLVM-generated scoring kernels
 * (in addition to rubric_decimal.h). No LLVM dependency. */
#ifndef RUBRIC_KERNEL_HELPERS_H
#define RUBRIC_KERNEL_HELPERS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* TopAvg (前 k 名平均 / 前 p% 平均): sorts values[0..n) descending IN PLACE and
 * returns the average of the top k, where k = floor(n × fraction / 100%)
 * when percent != 0 (fraction is an rb_dec percentage, 50% = 50000000), else
 * k = trunc(fraction / 10^6); k is clamped to [1, n]. An empty list gives 0.
 * Same result and error code as interp::topAverage: on failure *err receives
 * the last RB_DEC_ERR_* met inside (err may be NULL); otherwise untouched. */
int64_t rb_kernel_top_average(int64_t *values, int64_t n, int64_t fraction, int64_t percent,
                              int32_t *err);

#ifdef __cplusplus
}
#endif

#endif
