/* kernel_helpers.h — runtime helpers called by LLVM-generated scoring kernels
 * (in addition to rubric_decimal.h). No LLVM dependency. */
#ifndef RUBRIC_KERNEL_HELPERS_H
#define RUBRIC_KERNEL_HELPERS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* TopAvg (前 k 名平均 / 前 p% 平均) of the exact values nums[i] / dens[i]
 * (dens NULL: every denominator is 1): sorts both arrays descending IN PLACE
 * and returns the exact average of the top k as a reduced num / *den (see
 * rb_rat_* in rubric_decimal.h), where k = floor(n × fraction / 100%) when
 * percent != 0 (fraction is an rb_dec percentage, 50% = 50000000), else
 * k = trunc(fraction / 10^6); k is clamped to [1, n]. An empty list gives 0.
 * The interpreter calls this same function. On failure returns 0 and, if
 * *err is 0, stores the first RB_DEC_ERR_* met (err may be NULL). */
int64_t rb_kernel_top_average(int64_t *nums, int64_t *dens, int64_t n, int64_t fraction, int64_t percent,
                              int64_t *den, int32_t *err);

/* The same for values that generated code holds in its wide fixed point:
 * values[i] (a signed 128-bit integer, 16-byte aligned) stands for
 * values[i] / 10^scale raw units, 0 <= scale <= 18. Same result and same
 * first error as rb_kernel_top_average on those values as fractions, without
 * a gcd per element. Sorts values descending IN PLACE. */
int64_t rb_kernel_top_average_wide(void *values, int64_t n, int32_t scale, int64_t fraction, int64_t percent,
                                   int64_t *den, int32_t *err);
/* GroupAgg (前50%平均(人员 按 姓名: 平均(成绩)) and the like): element i has
 * the exact value nums[i] / dens[i] and the group key keys[i] (equal keys:
 * one group). The groups, in the order of their first element, each merge
 * their values by `inner`; the outer aggregate then combines the groups'
 * values by `outer`. Both are codes of the scoring IR's AggKind: 0 最好 (max),
 * 1 最差 (min), 2 平均 (exact mean), 3 求和, 4 计数 (values ≠ 0, as an rb_dec
 * count), 5 全部, 6 任一 (0 or 1); `outer` may also be 7, a top average of
 * the groups' values as rb_kernel_top_average(…, fraction, percent, …).
 * Over no group: 0, except 全部 (1). nums, dens and keys are overwritten
 * (the groups' values and keys go to their first places); counts is scratch
 * room for n values. Returns a reduced num / *den; on failure returns 0 and,
 * if *err is 0, stores the first RB_DEC_ERR_* met. The interpreter calls
 * this same function. */
int64_t rb_kernel_group_aggregate(int64_t *nums, int64_t *dens, int64_t *keys, int64_t *counts, int64_t n,
                                  int32_t inner, int32_t outer, int64_t fraction, int64_t percent, int64_t *den,
                                  int32_t *err);

/* A year set (输入类型 年份集) is one int64 column value: bit (y − RB_YEAR_SET_FIRST)
 * is set when year y is in the set. Bit 63 stays clear, so the years are
 * RB_YEAR_SET_FIRST … RB_YEAR_SET_LAST; a cell naming another year is refused
 * when the records are read (runtime/scoring/YearSet.cpp). */
#define RB_YEAR_SET_FIRST 1990
#define RB_YEAR_SET_LAST 2052

/* 连续年数(字段, 截至 through): how many consecutive years of the set end at
 * `through` (a plain year such as 2024), as an rb_dec count: 0 when `through`
 * itself is not in the set. The interpreter calls this same function. */
int64_t rb_kernel_year_run(int64_t years, int64_t through);

#ifdef __cplusplus
}
#endif

#endif
