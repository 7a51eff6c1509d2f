// In-process compilation of a scoring program with ORC LLJIT.
//
//   auto jit = rubric::jit::KernelJit::create(program, /*optLevel=*/2);
//   if (!jit) { handle llvm::toString(jit.takeError()); }
//   rb_kernel_fn kernel = (*jit)->kernel();   // valid while *jit lives
//
// Each KernelJit owns its own LLJIT (and so its code). The rb_dec_* and
// rb_kernel_* helpers are bound to the host's own copies (absolute symbols),
// so they resolve whether or not the host exports them dynamically.
#pragma once

#include <memory>
#include <string>

#include <llvm/Support/Error.h>

#include "codegen/CodeGen.h"
#include "ir/Ir.h"
#include "runtime/scoring/Kernel.h"

namespace llvm::orc {
class LLJIT;
}

namespace rubric::jit {

class KernelJit {
public:
  // optLevel 0..3: IR pipeline O0..O3 and machine code generation
  // None (0) / Default (1, 2) / Aggressive (3).
  static llvm::Expected<std::unique_ptr<KernelJit>> create(const rubric::ir::Program &program,
                                                           int optLevel,
                                                           const codegen::CodeGenOptions &options = {});
  ~KernelJit();
  KernelJit(const KernelJit &) = delete;
  KernelJit &operator=(const KernelJit &) = delete;

  rb_kernel_fn kernel() const { return kernel_; }
  // Wall time of create(): code generation, optimisation, machine code, linking.
  double compileMillis() const { return compileMillis_; }
  // The same, split: LLJIT setup + IR generation + optimisation, and
  // machine code generation + linking (triggered by the symbol lookup).
  double irMillis() const { return irMillis_; }
  double machineCodeMillis() const { return machineCodeMillis_; }

private:
  KernelJit() = default;
  std::unique_ptr<llvm::orc::LLJIT> jit_;
  rb_kernel_fn kernel_ = nullptr;
  double compileMillis_ = 0, irMillis_ = 0, machineCodeMillis_ = 0;
};

} // namespace rubric::jit
