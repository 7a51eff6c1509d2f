/* The ABI between a compiled scorer kernel and the runtime.
 *
 * Every value is an int64: exact decimals as rb_dec raw (× 10^6), booleans
 * 0/1, enum values as their index. Input columns are stored at their
 * ColumnDesc::width: one byte (unsigned) for 是否 and 枚举 columns whose
 * values fit it, else an int64 — fewer bytes for the kernel to read; read a
 * single value with rb_column_value. A kernel scores records [begin, end) of
 * one batch: it reads input columns and parameters, and writes one int64
 * per record into each output slot of the phase it runs. Phase 1 computes
 * per-record scores and the arguments of population functions; the runtime
 * then fills the population slots; phase 2 computes what depends on them
 * (ranks, totals, award conditions). A slot whose value may be a fraction
 * (SlotDesc::rational) also has a denominator per record, in dens[slot]:
 * its exact value is slots[slot][r] / dens[slot][r] (see rb_rat_* in
 * rubric_decimal.h), reduced, dens > 0.
 *
 * The interpreter, the ORC JIT and generated executables all provide this
 * same function, so the runtime around them is shared.
 */
#ifndef RUBRIC_KERNEL_H
#define RUBRIC_KERNEL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rb_frame {
  const void *const *cols;    /* input columns, each at its width (see above);
                                 list offsets columns (int64) hold n+1 entries */
  const int64_t *params;      /* run-level parameters (--params) */
  int64_t *const *slots;      /* output slots, indexed by record */
  int32_t *errors;            /* per record: 0, or the first error met (see below) */
  int64_t *const *dens;       /* per slot: the denominators of a rational slot
                                 (SlotDesc::rational), else NULL; may itself be
                                 NULL when no slot is rational */
} rb_frame;

/* Value i of an input column `width` bytes wide (ColumnDesc::width: 1 or 8). */
static inline int64_t rb_column_value(const void *column, int32_t width, int64_t i) {
  return width == 1 ? (int64_t)((const uint8_t *)column)[i] : ((const int64_t *)column)[i];
}

/* A record's error word: the RB_DEC_ERR_* code in the low 8 bits and, above
 * them, 1 + the slot whose assignment met it (0: not known, e.g. an error of
 * the population pass). The kernel tags the slot once per assignment, so the
 * runtime can say which item failed; the first error of a record wins. */
#define RB_ERR_CODE(word) ((word) & 0xFF)
#define RB_ERR_SLOT(word) (((word) >> 8) - 1)
#define RB_ERR_TAG_SLOT(word, slot) \
  (((word) != 0 && ((word) >> 8) == 0) ? ((word) | (int32_t)(((slot) + 1) << 8)) : (word))

typedef void (*rb_kernel_fn)(const rb_frame *frame, int64_t begin, int64_t end, int32_t phase);

/* The symbol a generated object exports, and the embedded program description. */
#define RB_KERNEL_SYMBOL "rubric_kernel"
#define RB_PROGRAM_SYMBOL "rubric_program_json"

#ifdef __cplusplus
}
#endif

#endif
