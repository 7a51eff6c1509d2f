#include "jit/Jit.h"

#include <chrono>
#include <stdexcept>

#include <llvm/ExecutionEngine/Orc/Core.h>
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Target/TargetMachine.h>

#include <cstdlib>

#include "kernel_helpers.h"
#include "rubric_decimal.h"

namespace rubric::jit {

namespace {

using Clock = std::chrono::steady_clock;

double millisSince(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// Every external function the generated code may call, bound to this process.
llvm::Error defineHelpers(llvm::orc::LLJIT &jit) {
  llvm::orc::SymbolMap syms;
  auto add = [&](const char *name, auto *fn) {
    syms[jit.mangleAndIntern(name)] = llvm::orc::ExecutorSymbolDef(
        llvm::orc::ExecutorAddr::fromPtr(reinterpret_cast<void *>(fn)),
        llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable);
  };
  add("rb_dec_add", &rb_dec_add);
  add("rb_dec_sub", &rb_dec_sub);
  add("rb_dec_neg", &rb_dec_neg);
  add("rb_dec_mul", &rb_dec_mul);
  add("rb_dec_round", &rb_dec_round);
  add("rb_dec_floor", &rb_dec_floor);
  add("rb_dec_ceil", &rb_dec_ceil);
  add("rb_rat_add", &rb_rat_add);
  add("rb_rat_sub", &rb_rat_sub);
  add("rb_rat_mul", &rb_rat_mul);
  add("rb_rat_div", &rb_rat_div);
  add("rb_rat_round", &rb_rat_round);
  add("rb_rat_floor", &rb_rat_floor);
  add("rb_rat_ceil", &rb_rat_ceil);
  add("rb_rat_from_wide", &rb_rat_from_wide);
  add("rb_rat_from_i128", &rb_rat_from_i128);
  add("rb_kernel_top_average", &rb_kernel_top_average);
  add("rb_kernel_top_average_wide", &rb_kernel_top_average_wide);
  add("rb_kernel_year_run", &rb_kernel_year_run);
  add("rb_kernel_group_aggregate", &rb_kernel_group_aggregate);
  add("malloc", &::malloc);
  add("free", &::free);
  return jit.getMainJITDylib().define(llvm::orc::absoluteSymbols(std::move(syms)));
}

} // namespace

KernelJit::~KernelJit() = default;

llvm::Expected<std::unique_ptr<KernelJit>> KernelJit::create(const ir::Program &program, int optLevel,
                                                             const codegen::CodeGenOptions &options) {
  const auto t0 = Clock::now();
  if (optLevel < 0) optLevel = 0;
  if (optLevel > 3) optLevel = 3;
  codegen::initializeNativeTarget();

  auto jtmb = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!jtmb) return jtmb.takeError();
  jtmb->setCodeGenOptLevel(optLevel == 0   ? llvm::CodeGenOptLevel::None
                           : optLevel == 3 ? llvm::CodeGenOptLevel::Aggressive
                                           : llvm::CodeGenOptLevel::Default);
  // A target machine of the same description, for the optimiser's cost model.
  std::unique_ptr<llvm::TargetMachine> tm;
  if (optLevel > 0) {
    auto made = jtmb->createTargetMachine();
    if (!made) return made.takeError();
    tm = std::move(*made);
  }

  auto built = llvm::orc::LLJITBuilder().setJITTargetMachineBuilder(std::move(*jtmb)).create();
  if (!built) return built.takeError();
  std::unique_ptr<KernelJit> self(new KernelJit());
  self->jit_ = std::move(*built);
  llvm::orc::LLJIT &jit = *self->jit_;
  if (auto err = defineHelpers(jit)) return err;

  auto context = std::make_unique<llvm::LLVMContext>();
  std::unique_ptr<llvm::Module> module;
  try {
    module = codegen::generateKernel(program, *context, RB_KERNEL_SYMBOL, options);
  } catch (const std::exception &ex) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), ex.what());
  }
  module->setDataLayout(jit.getDataLayout());
  module->setTargetTriple(jit.getTargetTriple().str());
  if (optLevel > 0) codegen::optimize(*module, optLevel, tm.get());
  self->irMillis_ = millisSince(t0);

  const auto t1 = Clock::now();
  if (auto err = jit.addIRModule(llvm::orc::ThreadSafeModule(std::move(module), std::move(context))))
    return err;
  auto addr = jit.lookup(RB_KERNEL_SYMBOL);  // compiles and links now
  if (!addr) return addr.takeError();
  self->kernel_ = addr->toPtr<rb_kernel_fn>();
  self->machineCodeMillis_ = millisSince(t1);
  self->compileMillis_ = millisSince(t0);
  return self;
}

} // namespace rubric::jit
