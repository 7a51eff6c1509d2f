// LLVM code generation for the scoring IR (ir/Ir.h).
//
// generateKernel() turns an ir::Program into one function with the C ABI of
// runtime/scoring/Kernel.h:
//
//   void rubric_kernel(const rb_frame *frame, int64_t begin, int64_t end, int32_t phase);
//
// For every record r in [begin, end) it evaluates, in order, the assignments of
// `phase` and stores each value into slots[slot][r]. Arithmetic is bit-identical
// to runtime/decimal/rubric_decimal.c: the fallible operations either call the
// rb_dec_* functions by name or use inline fast paths that are exactly
// equivalent (checked against the C functions in tests/codegen). A failing
// operation yields 0 and records its RB_DEC_ERR_* code in errors[r] unless an
// earlier error is already recorded there (first error wins).
//
// The generated code calls, by name: rb_dec_add/sub/neg/mul/round/floor/ceil,
// rb_rat_add/sub/mul/div/round/floor/ceil/from_wide (rubric_decimal),
// rb_kernel_top_average, rb_kernel_top_average_wide and rb_kernel_group_aggregate
// (runtime/kernel/kernel_helpers.c), malloc and free.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ir/Ir.h"

namespace llvm {
class LLVMContext;
class Module;
class TargetMachine;
} // namespace llvm

namespace rubric::codegen {

struct CodeGenOptions {
  // true: add/sub/neg/cmp/min/max inline; mul/div/round/floor/ceil inline with an
  // int64 fast path and a call to rb_dec_* for the rare wide case; values with
  // 7..18 decimals in an inline 128-bit fixed point; fractions inline where no
  // gcd is needed.
  // false: every fallible decimal operation is a call to its rb_dec_* function,
  // and every value past 6 decimals a fraction for rb_rat_*.
  bool inlineDecimal = true;
  // Each phase's assignments are split into chunks of this many, each an
  // internal function with its own loop over the records (0: one per phase).
  // Smaller functions keep LLVM's compile time linear in the program size.
  int assignmentsPerFunction = 16;
};

// Builds the kernel. The module gets the host target triple and data layout.
// Throws std::invalid_argument if the program is malformed (an index out of
// range, a cycle among expressions, an Elem outside any list body, ...).
std::unique_ptr<llvm::Module> generateKernel(const rubric::ir::Program &program,
                                             llvm::LLVMContext &context,
                                             const std::string &name = "rubric_kernel",
                                             const CodeGenOptions &options = {});

// Adds the embedded program description to a module:
//   const char    rubric_program_json[];       (NUL-terminated JSON text)
//   const int64_t rubric_program_json_size;    (its length in bytes, without the NUL)
void addProgramJson(llvm::Module &module, const std::string &programJson);

// Adds the kernels of the program's whole-population imports (ir::Program::imports,
// each generated into its own module under its name), in order, as a table the
// generated scorer hands to the runtime:
//   void (*const rubric_import_kernels[])(const rb_frame *, int64_t, int64_t, int32_t);   (null-terminated)
void addImportKernelTable(llvm::Module &module, const std::vector<std::string> &kernelNames);

// Runs the new-pass-manager default pipeline for O0..O3 (level clamped to 0..3),
// with the host target's cost model.
void optimize(llvm::Module &module, int level);
// The same with a given target machine's cost model (the JIT passes its own).
void optimize(llvm::Module &module, int level, llvm::TargetMachine *targetMachine);

// The module as textual LLVM IR.
std::string emitLlvmText(const llvm::Module &module);

// Writes a relocatable object (host triple, generic CPU of the host architecture,
// Reloc::PIC_) to `path`. On failure returns false and sets *error (if given).
// optLevel 0 uses LLVM's fast instruction selection and register allocation:
// a rubric with 20,000 indicators emits in seconds rather than minutes.
bool emitObjectFile(llvm::Module &module, const std::string &path, std::string *error, int optLevel = 2);

// Initializes the native target, asm printer and asm parser (idempotent, thread-safe).
void initializeNativeTarget();

} // namespace rubric::codegen
