// LLVM code generation for the scoring IR. See CodeGen.h for the contract.
//
// Shape of the generated kernel:
//
//   entry:     load frame->cols/params/slots/errors and, once, every column /
//              slot base pointer and parameter the program uses; switch phase
//   phaseK:    if (begin < end) for r in [begin, end):
//                err = errors[r]
//                for each assignment of phase K, in order: slots[s][r] = <expr>,
//                  then the slot is tagged into a new error (RB_ERR_TAG_SLOT)
//                errors[r] = err
//
// `err` is a local (promoted to a register by mem2reg); every fallible decimal
// operation updates it with `err = err ? err : code`, so the first error of a
// record wins and later ones are ignored, and a failing operation yields 0.
//
// Within one record, an expression is generated once and reused wherever it is
// needed again and its earlier value dominates (scoped like the control flow:
// values computed inside a Select arm or a list body are not visible outside).
// A slot written earlier in the same phase is read back from its SSA value.
// Structurally equal expressions count as one (canonicalize), and aggregates
// that cannot fail over the same list share one loop at the start of the
// record (genFusedAggregates). An expression of parameters is made once per
// chunk call, at its entry, and its error noted where it stands in each
// record (hoistedValue).
//
// Exactness: ir::analyzeExactness (with up to 18 decimals) gives each value
// its shape (see V): a decimal with at most 6 decimals is one int64 on the old
// decimal fast paths; one with 7..18 (a percentage times a percentage, 40% ×
// a 6-decimal score) is a wide fixed-point i128, exact without a denominator,
// so + − × and comparisons stay inline; only what may not terminate (÷, 平均,
// 前N%平均) is a pair {num, den} (see rb_rat_* in rubric_decimal.h), with
// inline paths where no gcd is needed and rb_rat_* calls otherwise (x ≷ c × f
// is cross-multiplied, a ÷ b ± c ÷ d reduced once: crossCompare, quotientSum; a
// fraction × or ÷ a whole number reduced by one inline gcd: wholeOrCall). Rational
// slots store the reduced pair, made inline from a wide value. Top averages of
// wide bodies are sorted and summed in the wide fixed point.
#include "CodeGen.h"

#include <llvm/ADT/StringRef.h>
#include <llvm/IR/BasicBlock.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/GlobalVariable.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Passes/OptimizationLevel.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/CodeGen.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/Target/TargetOptions.h>
#include <llvm/TargetParser/Host.h>
#include <llvm/TargetParser/Triple.h>

#include <array>
#include <map>
#include <mutex>
#include <optional>
#include <tuple>
#include <stdexcept>
#include <unordered_map>
#include <vector>

namespace rubric::codegen {

using ir::AggKind;
using ir::CmpKind;
using ir::Expr;
using ir::ExprId;
using ir::Op;

namespace {

constexpr int64_t kOne = 1000000;           // RB_DEC_ONE
constexpr int8_t kDecDigits = 6;            // RB_DEC_SCALE_DIGITS
constexpr int8_t kWideDigits = 18;          // wide fixed point: value × 10^(level − 6) raw units in an i128
constexpr int32_t kErrOverflow = 1;         // RB_DEC_ERR_OVERFLOW
constexpr int kTopAvgStackElems = 64;       // TopAvg: larger lists use malloc
constexpr int64_t kBlockRecords = 256;      // records per block when a phase has several chunks

[[noreturn]] void fail(const std::string &msg) {
  throw std::invalid_argument("rubric codegen: " + msg);
}

const char *opName(Op op) {
  switch (op) {
    case Op::Const: return "Const";
    case Op::Column: return "Column";
    case Op::Param: return "Param";
    case Op::Slot: return "Slot";
    case Op::Elem: return "Elem";
    case Op::Add: return "Add";
    case Op::Sub: return "Sub";
    case Op::Mul: return "Mul";
    case Op::Div: return "Div";
    case Op::Neg: return "Neg";
    case Op::Min: return "Min";
    case Op::Max: return "Max";
    case Op::Round: return "Round";
    case Op::Floor: return "Floor";
    case Op::Ceil: return "Ceil";
    case Op::Cmp: return "Cmp";
    case Op::And: return "And";
    case Op::Or: return "Or";
    case Op::Not: return "Not";
    case Op::Select: return "Select";
    case Op::ListAgg: return "ListAgg";
    case Op::TopAvg: return "TopAvg";
    case Op::ListLen: return "ListLen";
    case Op::YearRun: return "YearRun";
    case Op::GroupAgg: return "GroupAgg";
  }
  return "?";
}

// Number of expression operands each op uses (a, b, c).
int arity(Op op) {
  switch (op) {
    case Op::Const: case Op::Column: case Op::Param: case Op::Slot: case Op::Elem:
    case Op::ListLen: case Op::YearRun:
      return 0;
    case Op::Neg: case Op::Round: case Op::Floor: case Op::Ceil: case Op::Not:
    case Op::ListAgg: case Op::TopAvg:
      return 1;
    case Op::Add: case Op::Sub: case Op::Mul: case Op::Div: case Op::Min: case Op::Max:
    case Op::Cmp: case Op::And: case Op::Or: case Op::GroupAgg:
      return 2;
    case Op::Select:
      return 3;
  }
  return 0;
}

struct HostTarget {
  std::string triple;
  std::string dataLayout;
  const llvm::Target *target = nullptr;
};

const HostTarget &hostTarget() {
  static HostTarget host = [] {
    initializeNativeTarget();
    HostTarget h;
    h.triple = llvm::sys::getProcessTriple();
    std::string err;
    h.target = llvm::TargetRegistry::lookupTarget(h.triple, err);
    if (!h.target) throw std::runtime_error("rubric codegen: no LLVM target for " + h.triple + ": " + err);
    std::unique_ptr<llvm::TargetMachine> tm(h.target->createTargetMachine(
        h.triple, "generic", "", llvm::TargetOptions(), llvm::Reloc::PIC_));
    h.dataLayout = tm->createDataLayout().getStringRepresentation();
    return h;
  }();
  return host;
}

std::unique_ptr<llvm::TargetMachine> makeHostMachine(llvm::CodeGenOptLevel level) {
  const HostTarget &h = hostTarget();
  return std::unique_ptr<llvm::TargetMachine>(h.target->createTargetMachine(
      h.triple, "generic", "", llvm::TargetOptions(), llvm::Reloc::PIC_, std::nullopt, level));
}

class KernelBuilder {
public:
  KernelBuilder(const ir::Program &p, llvm::LLVMContext &ctx, llvm::Module &m,
                const CodeGenOptions &opts)
      : P(p), C(ctx), M(m), B(ctx), opts(opts) {
    i1 = llvm::Type::getInt1Ty(C);
    i32 = llvm::Type::getInt32Ty(C);
    i64 = llvm::Type::getInt64Ty(C);
    i128 = llvm::Type::getInt128Ty(C);
    ptrTy = llvm::PointerType::get(C, 0);
    frameTy = llvm::StructType::create(C, {ptrTy, ptrTy, ptrTy, ptrTy, ptrTy}, "rb_frame");
    MDBuilder mdb(C);
    unlikely = mdb.createBranchWeights(1, 2000);
    invariant = llvm::MDNode::get(C, {});
  }

  // The exported kernel dispatches on the phase and calls, in order, one
  // internal function per chunk of that phase's assignments; each chunk runs
  // its own loop over a block of records (callChunksByBlock). Per record the assignments still run in
  // order (chunk k+1 sees what chunk k stored), and records never interact,
  // so this is the documented semantics; it keeps functions small, which
  // keeps LLVM's compile time linear, and touches fewer slot arrays per loop.
  void build(const std::string &name) {
    validate();
    declareRuntime();

    auto *fnTy = llvm::FunctionType::get(llvm::Type::getVoidTy(C), {ptrTy, i64, i64, i32}, false);
    llvm::Function *kernel = llvm::Function::Create(fnTy, llvm::GlobalValue::ExternalLinkage, name, M);
    kernel->setDoesNotThrow();
    kernel->addParamAttr(0, llvm::Attribute::NoCapture);
    kernel->addParamAttr(0, llvm::Attribute::ReadOnly);
    kernel->addParamAttr(0, llvm::Attribute::NoUndef);
    auto argIt = kernel->arg_begin();
    llvm::Value *frame = &*argIt++;
    frame->setName("frame");
    llvm::Value *begin = &*argIt++;
    begin->setName("begin");
    llvm::Value *end = &*argIt++;
    end->setName("end");
    llvm::Value *phaseV = &*argIt++;
    phaseV->setName("phase");

    llvm::BasicBlock *kEntry = llvm::BasicBlock::Create(C, "entry", kernel);
    llvm::BasicBlock *kExit = llvm::BasicBlock::Create(C, "exit", kernel);
    llvm::IRBuilder<> kb(kEntry);
    llvm::SwitchInst *sw = kb.CreateSwitch(phaseV, kExit);
    kb.SetInsertPoint(kExit);
    kb.CreateRetVoid();

    std::map<int, std::vector<const ir::Assignment *>> phases;
    for (const ir::Assignment &a : P.assignments) phases[a.phase].push_back(&a);
    const size_t per = opts.assignmentsPerFunction > 0 ? static_cast<size_t>(opts.assignmentsPerFunction)
                                                       : P.assignments.size() + 1;
    auto *chunkTy = llvm::FunctionType::get(llvm::Type::getVoidTy(C), {ptrTy, i64, i64}, false);
    for (auto &[phase, list] : phases) {
      std::string phaseName = "phase" + (phase < 0 ? "m" + std::to_string(-phase) : std::to_string(phase));
      llvm::BasicBlock *pb = llvm::BasicBlock::Create(C, phaseName, kernel, kExit);
      sw->addCase(kb.getInt32(static_cast<uint32_t>(phase)), pb);
      kb.SetInsertPoint(pb);
      std::vector<llvm::Function *> chunks;
      for (size_t from = 0, k = 0; from < list.size(); from += per, ++k) {
        std::vector<const ir::Assignment *> chunk(list.begin() + static_cast<std::ptrdiff_t>(from),
                                                  list.begin() + static_cast<std::ptrdiff_t>(std::min(list.size(), from + per)));
        llvm::Function *cf = llvm::Function::Create(chunkTy, llvm::GlobalValue::InternalLinkage,
                                                    name + "." + phaseName + "." + std::to_string(k), M);
        buildChunk(cf, chunk);
        chunks.push_back(cf);
      }
      callChunksByBlock(kb, kernel, chunks, frame, begin, end, phaseName);
      kb.CreateBr(kExit);
    }

    std::string err;
    llvm::raw_string_ostream os(err);
    if (llvm::verifyModule(M, &os)) {
      os.flush();
      throw std::logic_error("rubric codegen: generated invalid IR: " + err);
    }
  }

  // One chunk alone runs over [begin, end). Several run block by block of
  // kBlockRecords records — chunk 0, 1, … on a block, then the next block —
  // so what one chunk stores (slots) and loads (columns) for a block is still
  // in the cache when the next chunk reads it, instead of making another pass
  // over memory. Per record the order of the assignments is unchanged.
  void callChunksByBlock(llvm::IRBuilder<> &kb, llvm::Function *kernel, const std::vector<llvm::Function *> &chunks,
                         llvm::Value *frame, llvm::Value *begin, llvm::Value *end, const std::string &name) {
    if (chunks.size() == 1) {
      kb.CreateCall(chunks[0], {frame, begin, end});
      return;
    }
    llvm::BasicBlock *from = kb.GetInsertBlock();
    llvm::BasicBlock *head = llvm::BasicBlock::Create(C, name + ".block", kernel);
    llvm::BasicBlock *body = llvm::BasicBlock::Create(C, name + ".block.run", kernel);
    llvm::BasicBlock *done = llvm::BasicBlock::Create(C, name + ".done", kernel);
    kb.CreateBr(head);
    kb.SetInsertPoint(head);
    llvm::PHINode *lo = kb.CreatePHI(i64, 2, "block.lo");
    lo->addIncoming(begin, from);
    kb.CreateCondBr(kb.CreateICmpSLT(lo, end), body, done);
    kb.SetInsertPoint(body);
    llvm::Value *next = kb.CreateAdd(lo, kb.getInt64(kBlockRecords), "block.hi", false, true);
    llvm::Value *hi = kb.CreateSelect(kb.CreateICmpSLT(next, end), next, end);
    for (llvm::Function *cf : chunks) kb.CreateCall(cf, {frame, lo, hi});
    lo->addIncoming(hi, kb.GetInsertBlock());
    kb.CreateBr(head);
    kb.SetInsertPoint(done);
  }

  // One chunk: for r in [begin, end): its assignments, in order.
  void buildChunk(llvm::Function *fn, const std::vector<const ir::Assignment *> &list) {
    F = fn;
    F->setDoesNotThrow();
    F->addFnAttr(llvm::Attribute::NoInline);  // stay separate: see build()
    F->addFnAttr(llvm::Attribute::NoRecurse);
    F->addParamAttr(0, llvm::Attribute::NoCapture);
    F->addParamAttr(0, llvm::Attribute::ReadOnly);
    auto argIt = F->arg_begin();
    llvm::Value *frame = &*argIt++;
    frame->setName("frame");
    beginV = &*argIt++;
    beginV->setName("begin");
    endV = &*argIt++;
    endV->setName("end");
    colBase.clear();
    slotBase.clear();
    denBase.clear();
    paramVal.clear();
    topAvgBuf.clear();
    groupBufs.clear();
    sumConstants.clear();
    hoisted.clear();

    entry = llvm::BasicBlock::Create(C, "entry", F);
    exitBB = llvm::BasicBlock::Create(C, "exit", F);
    B.SetInsertPoint(entry);
    colsArr = loadInvariant(ptrTy, B.CreateStructGEP(frameTy, frame, 0), "cols");
    paramsArr = loadInvariant(ptrTy, B.CreateStructGEP(frameTy, frame, 1), "params");
    slotsArr = loadInvariant(ptrTy, B.CreateStructGEP(frameTy, frame, 2), "slots");
    errorsArr = loadInvariant(ptrTy, B.CreateStructGEP(frameTy, frame, 3), "errors");
    densArr = loadInvariant(ptrTy, B.CreateStructGEP(frameTy, frame, 4), "dens");
    recErr = B.CreateAlloca(i32, nullptr, "rec.err");
    scratchErr = B.CreateAlloca(i32, nullptr, "op.err");
    ratDen = B.CreateAlloca(i64, nullptr, "rat.den");
    llvm::BasicBlock *pre = llvm::BasicBlock::Create(C, "records", F, exitBB);
    llvm::BranchInst *br = B.CreateBr(pre);
    hoist.SetInsertPoint(br);  // hoisted loads go at the end of the entry block
    buildRecordLoop(pre, list);
    B.SetInsertPoint(exitBB);
    B.CreateRetVoid();
  }

private:
  using MDBuilder = llvm::MDBuilder;

  const ir::Program &P;
  llvm::LLVMContext &C;
  llvm::Module &M;
  llvm::IRBuilder<> B;
  llvm::IRBuilder<> hoist{C};
  const CodeGenOptions &opts;

  llvm::Type *i1, *i32, *i64, *i128;
  llvm::PointerType *ptrTy;
  llvm::StructType *frameTy;
  llvm::MDNode *unlikely, *invariant;

  llvm::Function *F = nullptr;
  llvm::BasicBlock *entry = nullptr, *exitBB = nullptr;
  llvm::Value *beginV = nullptr, *endV = nullptr;
  llvm::Value *colsArr = nullptr, *paramsArr = nullptr, *slotsArr = nullptr, *errorsArr = nullptr;
  llvm::AllocaInst *recErr = nullptr, *scratchErr = nullptr;

  // runtime functions
  llvm::FunctionCallee fnAdd, fnSub, fnNeg, fnMul, fnRound, fnFloor, fnCeil;
  llvm::FunctionCallee fnRatAdd, fnRatSub, fnRatMul, fnRatDiv, fnRatRound, fnRatFloor, fnRatCeil, fnRatFromWide,
      fnRatFromI128;
  llvm::FunctionCallee fnTopAvg, fnTopAvgWide, fnYearRun, fnMalloc, fnFree, fnGroupAgg;
  ir::Exactness exact;

  // hoisted pointers / values (entry block)
  std::unordered_map<int, llvm::Value *> colBase, slotBase, denBase, paramVal;
  std::unordered_map<ExprId, llvm::AllocaInst *> topAvgBuf;  // per-site stack buffers of the top averages
  std::unordered_map<ExprId, std::array<llvm::AllocaInst *, 3>> groupBufs;  // per-site arrays of inline GroupAggs

  // Per-chunk constants of a ÷ p ± c ÷ q for parameters p, q (see invariantQuotientSum),
  // keyed by {p, q, op}.
  struct SumConstants {
    llvm::Value *valid, *fa, *fc, *scale, *den;
  };
  std::map<std::tuple<int, int, int>, SumConstants> sumConstants;
  llvm::Value *densArr = nullptr;
  llvm::AllocaInst *ratDen = nullptr;  // out-parameter of the rb_rat_* calls

  // An exact value in one of three shapes, chosen by the expression's level
  // (analyzeExactness with up to kWideDigits decimals):
  //   decimal  (level 0..6):   num is an i64 in raw units, den == nullptr;
  //   wide     (level 7..18):  num is an i128 holding value × 10^scale raw units
  //                            (scale = level − 6), den == nullptr;
  //   fraction (kFraction):    num / den, i64 each, reduced as rb_rat_* keep
  //                            them (den == nullptr means 1).
  struct V {
    llvm::Value *num = nullptr;
    llvm::Value *den = nullptr;
    int scale = 0;
  };

  // A fraction num / den (den > 0) equal to an expression's value, reduced
  // or not (see evalLoose): crossTerms compares with a product and needs no
  // reduction while its terms fit in int64.
  struct Loose {
    V v;
    bool reduced;
  };

  // c × f = p / q raw units (i128, q > 0) for crossCompare, with the operand
  // values it was made from (a slot rewritten since gives new ones).
  struct CrossTerms {
    llvm::Value *an, *ad, *bn, *bd;
    llvm::Value *p, *q;
  };

  // Per-chunk values of expressions of parameters (see hoistedValue), keyed by
  // {expression, level}; err is the first error code they meet, or null when
  // they cannot fail.
  struct Hoisted {
    V v;
    llvm::Value *err;
  };
  std::map<std::pair<ExprId, int>, Hoisted> hoisted;
  bool hoisting = false;  // generating at the chunk's entry (hoistedValue): no record, no nesting

  // per-record state
  llvm::Value *rec = nullptr;
  struct Scope {
    std::unordered_map<ExprId, V> vals;
    std::unordered_map<int, std::pair<llvm::Value *, llvm::Value *>> bounds;  // list → [lo, hi)
    bool loop = false;            // a list body: Elem-dependent values stop here
    llvm::Value *elem = nullptr;  // element index of this list body
    int listId = -1;
    std::unordered_map<ExprId, CrossTerms> cross;  // crossCompare's products made in this scope
    std::unordered_map<ExprId, Loose> loose;       // evalLoose's values made in this scope
  };
  std::vector<Scope> scopes;
  std::unordered_map<int, V> slotVal;  // slots written earlier this record
  std::vector<char> slotReadThisRecord;
  std::vector<char> onStack;
  std::vector<signed char> elemDep;  // -1 unknown, 0/1
  std::vector<signed char> invariant_;  // -1 unknown, else invariance()
  std::vector<ExprId> canon;         // canonical id of each expression (see canonicalize)
  std::vector<ExprId> fusedThisRecord;  // aggregates genFusedAggregates cached in the record scope
  size_t errorSites = 0;                // noteError / noteErrorCode calls generated so far (see buildRecordLoop)

  // ---------------------------------------------------------------- checks

  const Expr &expr(ExprId id) const { return P.exprs[static_cast<size_t>(id)]; }

  void validate() {
    const size_t nx = P.exprs.size();
    const auto &d = P.desc;
    for (size_t i = 0; i < nx; ++i) {
      const Expr &e = P.exprs[i];
      auto where = [&] { return "expr " + std::to_string(i) + " (" + opName(e.op) + ")"; };
      const ExprId args[3] = {e.a, e.b, e.c};
      for (int k = 0; k < arity(e.op); ++k)
        if (args[k] < 0 || static_cast<size_t>(args[k]) >= nx)
          fail(where() + ": operand " + std::to_string(k) + " out of range");
      switch (e.op) {
        case Op::Column: case Op::Elem: case Op::YearRun:
          if (e.index < 0 || static_cast<size_t>(e.index) >= d.columns.size())
            fail(where() + ": column " + std::to_string(e.index) + " out of range");
          break;
        case Op::Param:
          if (e.index < 0 || (!d.params.empty() && static_cast<size_t>(e.index) >= d.params.size()))
            fail(where() + ": parameter " + std::to_string(e.index) + " out of range");
          break;
        case Op::Slot:
          if (e.index < 0 || static_cast<size_t>(e.index) >= d.slots.size())
            fail(where() + ": slot " + std::to_string(e.index) + " out of range");
          break;
        case Op::ListAgg: case Op::TopAvg: case Op::ListLen: case Op::GroupAgg: {
          if (e.index < 0 || static_cast<size_t>(e.index) >= d.lists.size())
            fail(where() + ": list " + std::to_string(e.index) + " out of range");
          int oc = d.lists[static_cast<size_t>(e.index)].offsetsColumn;
          if (oc < 0 || static_cast<size_t>(oc) >= d.columns.size())
            fail(where() + ": list " + std::to_string(e.index) + " has no valid offsets column");
          if (e.op == Op::ListAgg && (e.imm < static_cast<int64_t>(AggKind::Max) ||
                                      e.imm > static_cast<int64_t>(AggKind::Any)))
            fail(where() + ": unknown aggregate kind " + std::to_string(e.imm));
          if (e.op == Op::GroupAgg && (ir::groupInner(e.imm2) > static_cast<int32_t>(AggKind::Any) ||
                                       ir::groupOuter(e.imm2) > ir::kGroupOuterTop))
            fail(where() + ": unknown group aggregate kinds " + std::to_string(e.imm2));
          break;
        }
        case Op::Cmp:
          if (static_cast<int>(e.cmp) > static_cast<int>(CmpKind::Ne))
            fail(where() + ": unknown comparison");
          break;
        default: break;
      }
    }
    for (const ir::Assignment &a : P.assignments) {
      if (a.slot < 0 || static_cast<size_t>(a.slot) >= d.slots.size())
        fail("assignment to slot " + std::to_string(a.slot) + " out of range");
      if (a.value < 0 || static_cast<size_t>(a.value) >= nx)
        fail("assignment to slot " + std::to_string(a.slot) + ": value out of range");
    }
    try {
      ir::requireRationalSlots(P);
    } catch (const std::logic_error &ex) {
      fail(ex.what());
    }
    // Without inline arithmetic every value past 6 decimals is a fraction for
    // rb_rat_* (the wide fixed point is an inline fast path like the others).
    exact = ir::analyzeExactness(P, opts.inlineDecimal ? kWideDigits : kDecDigits);
    canonicalize();
    onStack.assign(nx, 0);
    elemDep.assign(nx, -1);
    invariant_.assign(nx, -1);
    slotReadThisRecord.assign(d.slots.size(), 0);
  }

  // Structurally equal expressions get one canonical id, so a value written
  // out several times (a 令 name at each use, a quotient by the same parameter
  // in three items, the same test in several rules) is generated once per
  // record and reused where it dominates. Equal structure means equal value at
  // the same point of a record: a Slot read is the same read (eval's cache is
  // cleared when a slot read earlier is overwritten), Elem is scoped to its
  // loop by lookup(), and an error is recorded where the value is first made,
  // as the interpreter records it when it evaluates the first copy.
  void canonicalize() {
    const size_t nx = P.exprs.size();
    canon.assign(nx, -1);
    std::vector<char> visiting(nx, 0);
    std::map<std::array<int64_t, 9>, ExprId> seen;
    auto visit = [&](auto &self, ExprId id) -> ExprId {
      ExprId &out = canon[static_cast<size_t>(id)];
      if (out >= 0) return out;
      if (visiting[static_cast<size_t>(id)]) return id;  // a cycle: eval reports it
      visiting[static_cast<size_t>(id)] = 1;
      const Expr &e = expr(id);
      const ExprId args[3] = {e.a, e.b, e.c};
      std::array<int64_t, 9> key{static_cast<int64_t>(e.op), static_cast<int64_t>(e.cmp), e.index, e.imm, e.imm2,
                                 levelOf(id), -1, -1, -1};
      for (int k = 0; k < arity(e.op); ++k) key[static_cast<size_t>(6 + k)] = self(self, args[k]);
      visiting[static_cast<size_t>(id)] = 0;
      return out = seen.emplace(key, id).first->second;
    };
    for (size_t i = 0; i < nx; ++i) visit(visit, static_cast<ExprId>(i));
  }

  // Whether the value of `id` depends on the element of an enclosing list body.
  bool dependsOnElem(ExprId id) {
    signed char &memo = elemDep[static_cast<size_t>(id)];
    if (memo >= 0) return memo;
    const Expr &e = expr(id);
    bool dep = false;
    if (e.op == Op::Elem) {
      dep = true;
    } else if (e.op == Op::ListAgg || e.op == Op::TopAvg || e.op == Op::GroupAgg) {
      dep = false;  // its body's Elem binds to its own list
    } else {
      memo = 0;  // provisional, breaks cycles (they are reported by eval)
      const ExprId args[3] = {e.a, e.b, e.c};
      for (int k = 0; k < arity(e.op); ++k) dep = dependsOnElem(args[k]) || dep;
    }
    memo = dep ? 1 : 0;
    return dep;
  }

  // 2 when the value of `id` depends on parameters and constants only and
  // reads a parameter, 1 for constants only, 0 when it reads a column, a
  // slot, a list or an element.
  int invariance(ExprId id) {
    signed char &memo = invariant_[static_cast<size_t>(id)];
    if (memo >= 0) return memo;
    const Expr &e = expr(id);
    switch (e.op) {
      case Op::Const: return memo = 1;
      case Op::Param: return memo = 2;
      case Op::Column: case Op::Slot: case Op::Elem: case Op::ListAgg: case Op::TopAvg: case Op::ListLen:
      case Op::YearRun: case Op::GroupAgg:
        return memo = 0;
      default: break;
    }
    memo = 0;  // provisional, breaks cycles (they are reported by eval)
    bool constant = true, readsParam = false;
    const ExprId args[3] = {e.a, e.b, e.c};
    for (int k = 0; k < arity(e.op); ++k) {
      int a = invariance(args[k]);
      constant = constant && a > 0;
      readsParam = readsParam || a == 2;
    }
    return memo = static_cast<signed char>(!constant ? 0 : readsParam ? 2 : 1);
  }

  // ---------------------------------------------------------------- runtime

  void declareRuntime() {
    auto decl = [&](const char *name, llvm::FunctionType *ty, llvm::ModRefInfo mr) {
      llvm::FunctionCallee fc = M.getOrInsertFunction(name, ty);
      if (auto *fn = llvm::dyn_cast<llvm::Function>(fc.getCallee())) {
        fn->setDoesNotThrow();
        fn->setWillReturn();
        fn->addFnAttr(llvm::Attribute::NoSync);
        fn->addFnAttr(llvm::Attribute::NoFree);
        fn->setMemoryEffects(llvm::MemoryEffects::argMemOnly(mr));
        unsigned last = ty->getNumParams() - 1;
        fn->addParamAttr(last, llvm::Attribute::NoCapture);
      }
      return fc;
    };
    auto *bin = llvm::FunctionType::get(i64, {i64, i64, ptrTy}, false);
    auto *un = llvm::FunctionType::get(i64, {i64, ptrTy}, false);
    auto *dig = llvm::FunctionType::get(i64, {i64, i32, ptrTy}, false);
    using llvm::ModRefInfo;
    fnAdd = decl("rb_dec_add", bin, ModRefInfo::Mod);
    fnSub = decl("rb_dec_sub", bin, ModRefInfo::Mod);
    fnNeg = decl("rb_dec_neg", un, ModRefInfo::Mod);
    fnMul = decl("rb_dec_mul", bin, ModRefInfo::Mod);
    fnRound = decl("rb_dec_round", dig, ModRefInfo::Mod);
    fnFloor = decl("rb_dec_floor", dig, ModRefInfo::Mod);
    fnCeil = decl("rb_dec_ceil", dig, ModRefInfo::Mod);
    auto *rat = llvm::FunctionType::get(i64, {i64, i64, i64, i64, ptrTy, ptrTy}, false);
    auto *ratDig = llvm::FunctionType::get(i64, {i64, i64, i32, ptrTy}, false);
    fnRatAdd = decl("rb_rat_add", rat, ModRefInfo::Mod);
    fnRatSub = decl("rb_rat_sub", rat, ModRefInfo::Mod);
    fnRatMul = decl("rb_rat_mul", rat, ModRefInfo::Mod);
    fnRatDiv = decl("rb_rat_div", rat, ModRefInfo::Mod);
    fnRatRound = decl("rb_rat_round", ratDig, ModRefInfo::Mod);
    fnRatFloor = decl("rb_rat_floor", ratDig, ModRefInfo::Mod);
    fnRatCeil = decl("rb_rat_ceil", ratDig, ModRefInfo::Mod);
    fnRatFromWide = decl("rb_rat_from_wide", llvm::FunctionType::get(i64, {i64, i64, i32, ptrTy, ptrTy}, false),
                         ModRefInfo::Mod);
    fnRatFromI128 = decl("rb_rat_from_i128", llvm::FunctionType::get(i64, {i64, i64, i64, i64, ptrTy, ptrTy}, false),
                         ModRefInfo::Mod);
    auto *top = llvm::FunctionType::get(i64, {ptrTy, ptrTy, i64, i64, i64, ptrTy, ptrTy}, false);
    fnTopAvg = decl("rb_kernel_top_average", top, ModRefInfo::ModRef);
    fnTopAvgWide = decl("rb_kernel_top_average_wide",
                        llvm::FunctionType::get(i64, {ptrTy, i64, i32, i64, i64, ptrTy, ptrTy}, false),
                        ModRefInfo::ModRef);
    fnGroupAgg = decl("rb_kernel_group_aggregate",
                      llvm::FunctionType::get(i64, {ptrTy, ptrTy, ptrTy, ptrTy, i64, i32, i32, i64, i64, ptrTy, ptrTy},
                                              false),
                      ModRefInfo::ModRef);
    // 连续年数: a pure function of two integers (no error pointer, so not through decl).
    fnYearRun = M.getOrInsertFunction("rb_kernel_year_run", llvm::FunctionType::get(i64, {i64, i64}, false));
    if (auto *fn = llvm::dyn_cast<llvm::Function>(fnYearRun.getCallee())) {
      fn->setDoesNotThrow();
      fn->setWillReturn();
      fn->setDoesNotAccessMemory();
    }
    fnMalloc = M.getOrInsertFunction("malloc", llvm::FunctionType::get(ptrTy, {i64}, false));
    fnFree = M.getOrInsertFunction("free",
                                   llvm::FunctionType::get(llvm::Type::getVoidTy(C), {ptrTy}, false));
  }

  // ---------------------------------------------------------------- helpers

  llvm::Value *c64(int64_t v) { return llvm::ConstantInt::get(i64, static_cast<uint64_t>(v), true); }
  llvm::Value *c32(int32_t v) { return llvm::ConstantInt::get(i32, static_cast<uint64_t>(v), true); }

  llvm::LoadInst *loadInvariant(llvm::Type *ty, llvm::Value *ptr, const llvm::Twine &name) {
    llvm::LoadInst *ld = B.CreateLoad(ty, ptr, name);
    ld->setMetadata(llvm::LLVMContext::MD_invariant_load, invariant);
    return ld;
  }

  llvm::Value *columnBase(int col) {
    auto it = colBase.find(col);
    if (it != colBase.end()) return it->second;
    llvm::Value *gep = hoist.CreateConstInBoundsGEP1_64(ptrTy, colsArr, static_cast<uint64_t>(col));
    llvm::LoadInst *ld = hoist.CreateLoad(ptrTy, gep, "col" + std::to_string(col));
    ld->setMetadata(llvm::LLVMContext::MD_invariant_load, invariant);
    return colBase[col] = ld;
  }

  llvm::Value *slotBasePtr(int slot) {
    auto it = slotBase.find(slot);
    if (it != slotBase.end()) return it->second;
    llvm::Value *gep = hoist.CreateConstInBoundsGEP1_64(ptrTy, slotsArr, static_cast<uint64_t>(slot));
    llvm::LoadInst *ld = hoist.CreateLoad(ptrTy, gep, "slot" + std::to_string(slot));
    ld->setMetadata(llvm::LLVMContext::MD_invariant_load, invariant);
    return slotBase[slot] = ld;
  }

  // Denominator array of a rational slot (SlotDesc::rational).
  llvm::Value *slotDenPtr(int slot) {
    auto it = denBase.find(slot);
    if (it != denBase.end()) return it->second;
    llvm::Value *gep = hoist.CreateConstInBoundsGEP1_64(ptrTy, densArr, static_cast<uint64_t>(slot));
    llvm::LoadInst *ld = hoist.CreateLoad(ptrTy, gep, "den" + std::to_string(slot));
    ld->setMetadata(llvm::LLVMContext::MD_invariant_load, invariant);
    return denBase[slot] = ld;
  }

  llvm::Value *param(int idx) {
    auto it = paramVal.find(idx);
    if (it != paramVal.end()) return it->second;
    llvm::Value *gep = hoist.CreateConstInBoundsGEP1_64(i64, paramsArr, static_cast<uint64_t>(idx));
    llvm::LoadInst *ld = hoist.CreateLoad(i64, gep, "param" + std::to_string(idx));
    ld->setMetadata(llvm::LLVMContext::MD_invariant_load, invariant);
    return paramVal[idx] = ld;
  }

  // A column's value as an i64: a one-byte column (ColumnDesc::width, Kernel.h) is read as i8, zero-extended.
  llvm::Value *loadColumnAt(int col, llvm::Value *index) {
    bool oneByte = P.desc.columns[static_cast<size_t>(col)].width == 1;
    llvm::Type *ty = oneByte ? llvm::Type::getInt8Ty(C) : i64;
    llvm::Value *p = B.CreateInBoundsGEP(ty, columnBase(col), index);
    llvm::LoadInst *ld = B.CreateLoad(ty, p);
    ld->setMetadata(llvm::LLVMContext::MD_invariant_load, invariant);
    return oneByte ? B.CreateZExt(ld, i64) : static_cast<llvm::Value *>(ld);
  }

  // i64 (or wide i128) value → i1 (≠ 0), looking through a zext of an i1.
  llvm::Value *truth(llvm::Value *v) {
    if (auto *z = llvm::dyn_cast<llvm::ZExtInst>(v))
      if (z->getOperand(0)->getType() == i1) return z->getOperand(0);
    if (auto *ci = llvm::dyn_cast<llvm::ConstantInt>(v))
      return llvm::ConstantInt::get(i1, ci->isZero() ? 0 : 1);
    return B.CreateICmpNE(v, llvm::Constant::getNullValue(v->getType()));
  }
  llvm::Value *fromBool(llvm::Value *b) { return B.CreateZExt(b, i64); }

  // err = err ? err : (failed ? code : 0)
  void noteError(llvm::Value *failed, int32_t code) {
    ++errorSites;
    llvm::Value *cur = B.CreateLoad(i32, recErr);
    llvm::Value *setIt = B.CreateAnd(failed, B.CreateICmpEQ(cur, c32(0)));
    B.CreateStore(B.CreateSelect(setIt, c32(code), cur), recErr);
  }
  // err = err ? err : code   (code: i32, 0 = no error)
  void noteErrorCode(llvm::Value *code) {
    ++errorSites;
    llvm::Value *cur = B.CreateLoad(i32, recErr);
    B.CreateStore(B.CreateSelect(B.CreateICmpEQ(cur, c32(0)), code, cur), recErr);
  }

  // A call to one of the rb_dec_* functions through the scratch err slot.
  llvm::Value *callDec(llvm::FunctionCallee fn, std::initializer_list<llvm::Value *> args) {
    B.CreateStore(c32(0), scratchErr);
    std::vector<llvm::Value *> a(args);
    a.push_back(scratchErr);
    llvm::CallInst *call = B.CreateCall(fn, a);
    call->setDoesNotThrow();
    noteErrorCode(B.CreateLoad(i32, scratchErr));
    return call;
  }

  // {value, overflowed} of an overflow intrinsic.
  std::pair<llvm::Value *, llvm::Value *> withOverflow(llvm::Intrinsic::ID id, llvm::Value *a,
                                                       llvm::Value *b) {
    llvm::Value *r = B.CreateBinaryIntrinsic(id, a, b);
    return {B.CreateExtractValue(r, 0), B.CreateExtractValue(r, 1)};
  }

  // rb_dec_add / rb_dec_sub semantics inline: overflow → 0 and RB_DEC_ERR_OVERFLOW.
  llvm::Value *checkedArith(llvm::Intrinsic::ID id, llvm::Value *a, llvm::Value *b) {
    auto [v, o] = withOverflow(id, a, b);
    noteError(o, kErrOverflow);
    return B.CreateSelect(o, c64(0), v);
  }

  llvm::Value *decAdd(llvm::Value *a, llvm::Value *b) {
    if (!opts.inlineDecimal) return callDec(fnAdd, {a, b});
    return checkedArith(llvm::Intrinsic::sadd_with_overflow, a, b);
  }
  llvm::Value *decSub(llvm::Value *a, llvm::Value *b) {
    if (!opts.inlineDecimal) return callDec(fnSub, {a, b});
    return checkedArith(llvm::Intrinsic::ssub_with_overflow, a, b);
  }
  llvm::Value *decNeg(llvm::Value *a) {
    if (!opts.inlineDecimal) return callDec(fnNeg, {a});
    return checkedArith(llvm::Intrinsic::ssub_with_overflow, c64(0), a);
  }

  // Fast path / slow path diamond: `fast` builds the common case in a block
  // taken when !slowCond, `slow` the call. Returns the phi.
  template <typename FastFn, typename SlowFn>
  llvm::Value *diamond(llvm::Value *slowCond, FastFn fast, SlowFn slow, const char *name) {
    llvm::BasicBlock *fastBB = llvm::BasicBlock::Create(C, std::string(name) + ".fast", F);
    llvm::BasicBlock *slowBB = llvm::BasicBlock::Create(C, std::string(name) + ".slow", F);
    llvm::BasicBlock *joinBB = llvm::BasicBlock::Create(C, std::string(name) + ".join", F);
    B.CreateCondBr(slowCond, slowBB, fastBB, unlikely);
    B.SetInsertPoint(fastBB);
    llvm::Value *fv = fast();
    llvm::BasicBlock *fastEnd = B.GetInsertBlock();
    B.CreateBr(joinBB);
    B.SetInsertPoint(slowBB);
    llvm::Value *sv = slow();
    llvm::BasicBlock *slowEnd = B.GetInsertBlock();
    B.CreateBr(joinBB);
    B.SetInsertPoint(joinBB);
    return joinValue(fv, fastEnd, sv, slowEnd, name);
  }

  // rb_dec_mul: when a*b fits in int64, the int128 computation of the C code
  // gives the same quotient and remainder as int64 arithmetic, and the result
  // cannot overflow; otherwise call rb_dec_mul.
  llvm::Value *decMul(llvm::Value *a, llvm::Value *b) {
    if (!opts.inlineDecimal) return callDec(fnMul, {a, b});
    auto [p, o] = withOverflow(llvm::Intrinsic::smul_with_overflow, a, b);
    return diamond(
        o,
        [&, p = p] {
          llvm::Value *q = B.CreateSDiv(p, c64(kOne));
          llvm::Value *r = B.CreateSRem(p, c64(kOne));
          // 2|r| >= 10^6, and r has the sign of p when nonzero.
          llvm::Value *up = fromBool(B.CreateICmpSGE(r, c64(kOne / 2)));
          llvm::Value *down = fromBool(B.CreateICmpSLE(r, c64(-kOne / 2)));
          return B.CreateSub(B.CreateAdd(q, up), down);
        },
        [&] { return callDec(fnMul, {a, b}); }, "mul");
  }

  // x × k for a constant whole k (k·10^6 raw: 每件 … 扣 1分, × 2, 10分 × …):
  // rb_dec_mul's x·k·10^6 / 10^6 leaves no remainder, so its value is x·k,
  // or 0 and overflow when x·k is beyond int64 — one checked multiply
  // instead of decMul's division by 10^6 and rounding. Else decMul.
  llvm::Value *decMulWhole(llvm::Value *a, llvm::Value *b) {
    auto whole = [](llvm::Value *v) -> std::optional<int64_t> {
      auto *k = llvm::dyn_cast<llvm::ConstantInt>(v);
      if (!k || k->getSExtValue() % kOne != 0) return std::nullopt;
      return k->getSExtValue() / kOne;
    };
    if (!opts.inlineDecimal) return decMul(a, b);
    if (std::optional<int64_t> k = whole(b)) return checkedArith(llvm::Intrinsic::smul_with_overflow, a, c64(*k));
    if (std::optional<int64_t> k = whole(a)) return checkedArith(llvm::Intrinsic::smul_with_overflow, c64(*k), b);
    return decMul(a, b);
  }

  // ---------------------------------------------------------------- fractions

  int8_t levelOf(ExprId id) const { return exact.expr[static_cast<size_t>(id)]; }
  bool isFraction(ExprId id) const { return levelOf(id) == ir::kFraction; }
  static int scaleOfLevel(int8_t level) {
    return level > kDecDigits && level != ir::kFraction ? level - kDecDigits : 0;
  }
  llvm::Value *denOf(const V &v) { return v.den ? v.den : c64(1); }

  // Where two arms meet (B at the join block): one PHI of the value each arm made.
  llvm::Value *joinValue(llvm::Value *a, llvm::BasicBlock *aEnd, llvm::Value *b, llvm::BasicBlock *bEnd,
                         const char *name) {
    llvm::PHINode *phi = B.CreatePHI(a->getType(), 2, name);
    phi->addIncoming(a, aEnd);
    phi->addIncoming(b, bEnd);
    return phi;
  }
  // A fraction from two arms: numerators and denominators (1 for an arm without one) joined.
  V joinFraction(const V &a, llvm::BasicBlock *aEnd, const V &b, llvm::BasicBlock *bEnd, const char *name) {
    return {joinValue(a.num, aEnd, b.num, bEnd, name), joinValue(denOf(a), aEnd, denOf(b), bEnd, name)};
  }

  // One rb_rat_* call: {num, den} of the reduced exact result.
  V callRat(llvm::FunctionCallee fn, const V &a, const V &b) {
    B.CreateStore(c32(0), scratchErr);
    llvm::CallInst *call = B.CreateCall(fn, {a.num, denOf(a), b.num, denOf(b), ratDen, scratchErr});
    call->setDoesNotThrow();
    noteErrorCode(B.CreateLoad(i32, scratchErr));
    return {call, B.CreateLoad(i64, ratDen)};
  }

  // + − × ÷ of exact fractions, inline where no gcd is needed, else rb_rat_*:
  //  + −  when a denominator is 1: a/1 ± b/d = (a·d ± b)/d, which is reduced
  //       already (gcd(a·d ± b, d) = gcd(b, d) = 1) and is 0 only with d = 1;
  //  ×    of two decimals: p / 10^6 for the raw product p, reduced inline;
  //  ÷    by a constant whose reciprocal terminates (2, 4, 0.5, 100 …): a
  //       decimal times that reciprocal, reduced inline; of two decimals
  //       otherwise when the quotient is a whole number of raw units.
  // Any int64 overflow on the way goes to rb_rat_*, which decides it exactly.
  V ratOp(Op op, const V &a, const V &b) {
    // x + 0, x − 0 and 0 + x are x (FromSema writes many of them): no call.
    auto isZero = [](const V &v) {
      auto *c = llvm::dyn_cast<llvm::ConstantInt>(v.num);
      return c && c->isZero();
    };
    if ((op == Op::Add || op == Op::Sub) && isZero(b)) return a;
    if (op == Op::Add && isZero(a)) return b;
    llvm::FunctionCallee fn = op == Op::Add ? fnRatAdd : op == Op::Sub ? fnRatSub : op == Op::Mul ? fnRatMul : fnRatDiv;
    if (!opts.inlineDecimal) return callRat(fn, a, b);
    llvm::Value *da = denOf(a), *db = denOf(b);
    llvm::Value *ok = nullptr;
    V fast;
    auto noOverflow = [&](std::initializer_list<llvm::Value *> flags) {
      for (llvm::Value *o : flags) ok = B.CreateAnd(ok, B.CreateNot(o));
    };
    if (op == Op::Add || op == Op::Sub) {
      ok = B.CreateOr(B.CreateICmpEQ(da, c64(1)), B.CreateICmpEQ(db, c64(1)));
      auto [x, o1] = withOverflow(llvm::Intrinsic::smul_with_overflow, a.num, db);
      auto [y, o2] = withOverflow(llvm::Intrinsic::smul_with_overflow, b.num, da);
      auto [v, o3] = withOverflow(op == Op::Add ? llvm::Intrinsic::sadd_with_overflow : llvm::Intrinsic::ssub_with_overflow,
                                  x, y);
      noOverflow({o1, o2, o3});
      fast = {v, B.CreateMul(da, db, "", true, true)};  // one of them is 1 when ok
    } else if (op == Op::Mul) {
      ok = B.CreateAnd(B.CreateICmpEQ(da, c64(1)), B.CreateICmpEQ(db, c64(1)));
      auto [p, o] = withOverflow(llvm::Intrinsic::smul_with_overflow, a.num, b.num);
      noOverflow({o});
      fast = reduceScaled(p, kDecDigits);
    } else if (auto recip = terminatingReciprocal(b)) {
      // ÷ a constant such as 2, 4, 0.5 or 100: × its reciprocal, inline.
      ok = B.CreateICmpEQ(da, c64(1));
      auto [p, o] = withOverflow(llvm::Intrinsic::smul_with_overflow, a.num, c64(recip->first));
      noOverflow({o});
      fast = reduceScaled(p, recip->second);
    } else {
      ok = B.CreateAnd(B.CreateICmpEQ(da, c64(1)), B.CreateICmpEQ(db, c64(1)));
      // a·10^6 is never INT64_MIN, so with a non-zero divisor nothing traps.
      auto [n, o] = withOverflow(llvm::Intrinsic::smul_with_overflow, a.num, c64(kOne));
      llvm::Value *nonZero = B.CreateICmpNE(b.num, c64(0));
      llvm::Value *d = B.CreateSelect(nonZero, b.num, c64(1));
      fast = {B.CreateSDiv(n, d), c64(1)};
      noOverflow({o});
      ok = B.CreateAnd(B.CreateAnd(ok, nonZero), B.CreateICmpEQ(B.CreateSRem(n, d), c64(0)));
    }
    if (op == Op::Mul || op == Op::Div)
      return diamondV(B.CreateNot(ok), fast, [&] { return wholeOrCall(op, a, b, fn); }, "rat");
    return diamondV(B.CreateNot(ok), fast, [&] { return callRat(fn, a, b); }, "rat");
  }

  // Euclid's gcd(k, y) for k > 0 and y >= 0, as unsigned values: a loop at
  // the insertion point (small numbers: a count, a denominator).
  llvm::Value *gcdLoop(llvm::Value *k, llvm::Value *y) {
    llvm::BasicBlock *from = B.GetInsertBlock();
    llvm::BasicBlock *step = llvm::BasicBlock::Create(C, "gcd.step", F);
    llvm::BasicBlock *more = llvm::BasicBlock::Create(C, "gcd.more", F);
    llvm::BasicBlock *done = llvm::BasicBlock::Create(C, "gcd.done", F);
    B.CreateBr(step);
    B.SetInsertPoint(step);
    llvm::PHINode *x = B.CreatePHI(i64, 2, "gcd.x"), *r = B.CreatePHI(i64, 2, "gcd.y");
    x->addIncoming(k, from);
    r->addIncoming(y, from);
    B.CreateCondBr(B.CreateICmpEQ(r, c64(0)), done, more);
    B.SetInsertPoint(more);
    x->addIncoming(r, more);
    r->addIncoming(B.CreateURem(x, r), more);
    B.CreateBr(step);
    B.SetInsertPoint(done);
    return x;
  }

  // Binary gcd(k, y) for k > 0 and y >= 0 as unsigned values (Stein's: shifts
  // and subtractions, no division): for numbers of any size met per record
  // (a reduced denominator beside a product's numerator), where Euclid's
  // divisions cost more than its few steps save.
  llvm::Value *binaryGcd(llvm::Value *k, llvm::Value *y) {
    llvm::BasicBlock *from = B.GetInsertBlock();
    llvm::BasicBlock *loop = llvm::BasicBlock::Create(C, "bgcd.loop", F);
    llvm::BasicBlock *done = llvm::BasicBlock::Create(C, "bgcd.done", F);
    auto ctz = [&](llvm::Value *v) { return B.CreateBinaryIntrinsic(llvm::Intrinsic::cttz, v, B.getFalse()); };
    llvm::Value *shift = ctz(B.CreateOr(k, y));  // y = 0: ctz(k), and the answer k
    llvm::Value *odd = B.CreateLShr(k, ctz(k));
    B.CreateCondBr(B.CreateICmpEQ(y, c64(0)), done, loop);
    B.SetInsertPoint(loop);
    llvm::PHINode *x = B.CreatePHI(i64, 2, "bgcd.x"), *v = B.CreatePHI(i64, 2, "bgcd.y");
    x->addIncoming(odd, from);
    v->addIncoming(y, from);
    llvm::Value *w = B.CreateLShr(v, ctz(v));  // odd, like x
    llvm::Value *lo = B.CreateBinaryIntrinsic(llvm::Intrinsic::umin, x, w);
    llvm::Value *diff = B.CreateSub(B.CreateBinaryIntrinsic(llvm::Intrinsic::umax, x, w), lo);
    x->addIncoming(lo, loop);
    v->addIncoming(diff, loop);
    B.CreateCondBr(B.CreateICmpEQ(diff, c64(0)), done, loop);
    B.SetInsertPoint(done);
    llvm::PHINode *g = B.CreatePHI(i64, 2, "bgcd");
    g->addIncoming(odd, from);  // y = 0: gcd = k = odd << shift
    g->addIncoming(lo, loop);
    return B.CreateShl(g, shift);
  }

  llvm::Value *magnitude(llvm::Value *v) {  // |v| as unsigned (INT64_MIN gives 2^63)
    return B.CreateSelect(B.CreateICmpSLT(v, c64(0)), B.CreateSub(c64(0), v), v);
  }

  // A fraction a times or divided by a whole number m (b = m·10^6 raw: a count
  // in 平均 and 个数, a parameter such as 9 or 15, 18分), reduced inline by one
  // Euclid gcd on small numbers instead of rb_rat_mul / rb_rat_div's gcds and
  // divisions. For a = n/d reduced (d > 0):
  //   a ÷ m (m > 0) = n / (d·m), reduced by g = gcd(|n|, m);
  //   a × m         = n·m / d,   reduced by g = gcd(d, |m|).
  // The reduced fraction is unique, so this is rb_rat_*'s value; a numerator or
  // denominator past int64 (and any other divisor: zero, negative, not whole)
  // goes to the call, which reports what it reports.
  V wholeOrCall(Op op, const V &a, const V &b, llvm::FunctionCallee fn) {
    llvm::Value *m = B.CreateSDiv(b.num, c64(kOne), "m");
    llvm::Value *whole = B.CreateAnd(B.CreateICmpEQ(denOf(b), c64(1)), B.CreateICmpEQ(B.CreateSRem(b.num, c64(kOne)), c64(0)));
    if (op == Op::Div) whole = B.CreateAnd(whole, B.CreateICmpSGT(m, c64(0)));
    llvm::BasicBlock *exactBB = llvm::BasicBlock::Create(C, "whole", F);
    llvm::BasicBlock *callBB = llvm::BasicBlock::Create(C, "whole.call", F);
    llvm::BasicBlock *joinBB = llvm::BasicBlock::Create(C, "whole.join", F);
    B.CreateCondBr(whole, exactBB, callBB);
    B.SetInsertPoint(exactBB);
    llvm::Value *da = denOf(a), *num, *den, *o;
    if (op == Op::Div && twosAndFives(m)) {
      // ÷ 2, ÷ 4, ÷ 10 …: the gcd is made of m's 2s and 5s, cancelled without a division
      llvm::Value *m2;
      std::tie(num, m2) = cancelTwosFives(a.num, m);
      std::tie(den, o) = withOverflow(llvm::Intrinsic::smul_with_overflow, da, m2);
    } else if (op == Op::Div) {
      llvm::Value *g = gcdLoop(m, B.CreateURem(magnitude(a.num), m));
      num = B.CreateSDiv(a.num, g);  // exact
      std::tie(den, o) = withOverflow(llvm::Intrinsic::smul_with_overflow, da, B.CreateUDiv(m, g));
    } else {
      llvm::Value *g = gcdLoop(da, B.CreateURem(magnitude(m), da));
      std::tie(num, o) = withOverflow(llvm::Intrinsic::smul_with_overflow, a.num, B.CreateSDiv(m, g));
      den = B.CreateUDiv(da, g);  // m = 0: g = d, so 0 / 1
    }
    llvm::BasicBlock *exactEnd = B.GetInsertBlock();
    B.CreateCondBr(o, callBB, joinBB, unlikely);
    B.SetInsertPoint(callBB);
    V called = callRat(fn, a, b);
    llvm::BasicBlock *callEnd = B.GetInsertBlock();
    B.CreateBr(joinBB);
    B.SetInsertPoint(joinBB);
    return joinFraction(V{num, den}, exactEnd, called, callEnd, "whole");
  }

  // rb_rat_mul of two reduced fractions a = an/ad and b = bn/bd (ad, bd > 0;
  // a decimal is x/1), inline and without a call (crossCompare's product when
  // an·bn or ad·bd·10^6 is beyond int64). a × b = an·bn / (ad·bd·10^6) raw.
  // With g1 = gcd(|an|, bd), g2 = gcd(|bn|, ad), a1 = an/g1, b1 = bn/g2,
  // a1/10^6 = a2/e reduced (reduceScaled: e = 2^i·5^j) and b1/e = b2/e2 with
  // their common 2s and 5s cancelled, a2·b2 / ((ad/g2)·(bd/g1)·e2) is reduced
  // (a2 and b2 are each coprime to each factor below), so it is rb_rat_mul's
  // unique value, and rb_rat_mul reports overflow exactly when that numerator
  // or denominator is beyond int64 (then 0/1).
  V fractionProduct(const V &a, const V &b) {
    auto [v, o] = productParts(a, b, true);
    llvm::Value *num = v.num, *den = v.den;
    noteError(o, kErrOverflow);
    llvm::Value *zero = B.CreateOr(o, B.CreateICmpEQ(num, c64(0)));  // 0 is 0/1
    return {B.CreateSelect(o, c64(0), num), B.CreateSelect(zero, c64(1), den)};
  }

  // a × b = num / den raw (den > 0) as fractionProduct makes it, and whether
  // num or den left int64 on the way (then num / den is meaningless). With
  // crossCancel = false the gcds g1 and g2 are left out (taken as 1): the
  // value is the same, only perhaps not reduced.
  std::pair<V, llvm::Value *> productParts(const V &a, const V &b, bool crossCancel) {
    llvm::Value *ad = denOf(a), *bd = denOf(b);
    llvm::Value *g1 = crossCancel ? gcdWithDenominator(bd, a.num) : c64(1);
    llvm::Value *g2 = crossCancel ? gcdWithDenominator(ad, b.num) : c64(1);
    llvm::Value *a1 = B.CreateSDiv(a.num, g1), *b1 = B.CreateSDiv(b.num, g2);  // exact
    V a2 = reduceScaled(a1, kDecDigits);
    auto [b2, e2] = cancelTwosFives(b1, a2.den);
    auto [num, o1] = withOverflow(llvm::Intrinsic::smul_with_overflow, a2.num, b2);
    auto [dd, o2] = withOverflow(llvm::Intrinsic::smul_with_overflow, B.CreateUDiv(ad, g2), B.CreateUDiv(bd, g1));
    auto [den, o3] = withOverflow(llvm::Intrinsic::smul_with_overflow, dd, e2);
    return {V{num, den}, B.CreateOr(o1, B.CreateOr(o2, o3))};
  }

  // a × b for crossTerms when a or b is loose (not reduced): first without
  // gcds (productParts without cross-cancelling); where that fits in int64
  // the reduced product fits too, so rb_rat_mul could not fail and the terms
  // serve as they are. Otherwise the loose operands are reduced and
  // fractionProduct decides exactly, noting rb_rat_mul's overflow.
  V looseProduct(const Loose &a, const Loose &b) {
    auto [v, o] = productParts(a.v, b.v, false);
    return diamondV(o, v, [&] {
      return fractionProduct(a.reduced ? a.v : reduceLoose(a.v), b.reduced ? b.v : reduceLoose(b.v));
    }, "lprod");
  }

  // The reduced form of a fraction num / den (den > 0): one binary gcd.
  V reduceLoose(const V &v) {
    llvm::Value *d = denOf(v);
    llvm::Value *g = binaryGcd(d, B.CreateURem(magnitude(v.num), d));
    return {B.CreateSDiv(v.num, g), B.CreateUDiv(d, g)};  // num = 0: g = d, so 0 / 1
  }

  // gcd(|v|, den) for a denominator den > 0: 1 without a loop when den is the
  // constant 1 (a decimal's), else binaryGcd.
  llvm::Value *gcdWithDenominator(llvm::Value *den, llvm::Value *v) {
    if (auto *k = llvm::dyn_cast<llvm::ConstantInt>(den); k && k->isOne()) return c64(1);
    return binaryGcd(den, magnitude(v));
  }

  // n / g and e / g for g = gcd(n, e), where e = 2^i·5^j with j <= 7 (a
  // reduced denominator of x / 10^6, a constant divisor such as 2 or 100):
  // the common 2s by trailing zeros, the common 5s by 5^4, 5^2, 5^1 in turn
  // (any count up to 7). n = 0 gives 0/1.
  std::pair<llvm::Value *, llvm::Value *> cancelTwosFives(llvm::Value *n, llvm::Value *e) {
    auto ctz = [&](llvm::Value *v) { return B.CreateBinaryIntrinsic(llvm::Intrinsic::cttz, v, B.getFalse()); };
    llvm::Value *twos = B.CreateBinaryIntrinsic(llvm::Intrinsic::umin, ctz(n), ctz(e));
    n = B.CreateAShr(n, twos);  // exact: the low `twos` bits of n are 0
    e = B.CreateLShr(e, twos);
    for (int p : {4, 2, 1}) {
      llvm::Value *f = c64(pow5(p));
      llvm::Value *take = B.CreateAnd(B.CreateICmpEQ(B.CreateURem(e, f), c64(0)),
                                      B.CreateICmpEQ(B.CreateSRem(n, f), c64(0)));
      n = B.CreateSelect(take, B.CreateSDiv(n, f), n);
      e = B.CreateSelect(take, B.CreateUDiv(e, f), e);
    }
    return {n, e};
  }

  // Whether m is a constant 2^i·5^j with j <= 7 (what cancelTwosFives cancels).
  static bool twosAndFives(llvm::Value *m) {
    auto *k = llvm::dyn_cast<llvm::ConstantInt>(m);
    if (!k || k->getSExtValue() <= 0) return false;
    int64_t v = k->getSExtValue();
    int fives = 0;
    for (; v % 2 == 0; v /= 2) {}
    for (; v % 5 == 0; v /= 5) ++fives;
    return v == 1 && fives <= 7;
  }

  // A constant divisor c (raw units, den 1) whose reciprocal terminates:
  // c = ±2^i·5^j raw, so 1/c = 10^6/c has d = max(0, max(i, j) − 6)
  // decimals, and a ÷ c = a × m / 10^d raw with m = 10^(6+d)/c. Returns
  // {m, d} for d ≤ 12 (m fits in int64), else nothing.
  std::optional<std::pair<int64_t, int>> terminatingReciprocal(const V &c) {
    auto *k = llvm::dyn_cast<llvm::ConstantInt>(c.num);
    if (c.den || !k || k->isZero() || k->getSExtValue() == INT64_MIN) return std::nullopt;
    int64_t raw = k->getSExtValue(), mag = raw < 0 ? -raw : raw;
    int twos = 0, fives = 0;
    for (; mag % 2 == 0; mag /= 2) ++twos;
    for (; mag % 5 == 0; mag /= 5) ++fives;
    int d = std::max(0, std::max(twos, fives) - kDecDigits);
    if (mag != 1 || d > 12) return std::nullopt;
    int64_t m = pow10(kDecDigits + d) / (raw < 0 ? -raw : raw);
    return std::make_pair(raw < 0 ? -m : m, d);
  }

  // Like diamond(), for a {num, den} pair whose fast value is already computed.
  template <typename SlowFn>
  V diamondV(llvm::Value *slowCond, V fastValue, SlowFn slow, const char *name) {
    llvm::BasicBlock *from = B.GetInsertBlock();
    llvm::BasicBlock *slowBB = llvm::BasicBlock::Create(C, std::string(name) + ".slow", F);
    llvm::BasicBlock *joinBB = llvm::BasicBlock::Create(C, std::string(name) + ".join", F);
    B.CreateCondBr(slowCond, slowBB, joinBB, unlikely);
    B.SetInsertPoint(slowBB);
    V sv = slow();
    llvm::BasicBlock *slowEnd = B.GetInsertBlock();
    B.CreateBr(joinBB);
    B.SetInsertPoint(joinBB);
    return joinFraction(fastValue, from, sv, slowEnd, name);
  }

  // n / 10^k raw units (n an i64, 0 <= k <= 18) as a reduced fraction, inline:
  // the common factors of n and 10^k are 2s and 5s, at most k of each.
  V reduceScaled(llvm::Value *n, int k) {
    llvm::Value *twos = B.CreateBinaryIntrinsic(
        llvm::Intrinsic::umin, B.CreateBinaryIntrinsic(llvm::Intrinsic::cttz, n, B.getFalse()), c64(k));
    n = B.CreateAShr(n, twos);  // exact: the low `twos` bits are 0 (n = 0 stays 0)
    llvm::Value *d = B.CreateLShr(c64(pow10(k)), twos);
    // Take min(v5(n), k) factors 5 as a sum of powers of two, largest first,
    // within the budget of the k factors 5 that d has.
    llvm::Value *budget = c64(k);
    for (int p = 16; p >= 1; p /= 2) {
      if (p > k) continue;
      llvm::Value *take = B.CreateAnd(B.CreateICmpSLE(c64(p), budget),
                                      B.CreateICmpEQ(B.CreateSRem(n, c64(pow5(p))), c64(0)));
      n = B.CreateSelect(take, B.CreateSDiv(n, c64(pow5(p))), n);
      d = B.CreateSelect(take, B.CreateUDiv(d, c64(pow5(p))), d);
      budget = B.CreateSelect(take, B.CreateSub(budget, c64(p)), budget);
    }
    return {n, d};
  }

  // Sign of a - b for values of the same shape (see unify): decimals and wide
  // values compare directly; fractions as a·bd vs b·ad, exact in 128 bits
  // where |a·bd| < 2^126.
  llvm::Value *compare(llvm::CmpInst::Predicate pred, V a, V b) {
    unify(a, b);
    if (!a.den && !b.den) return B.CreateICmp(pred, a.num, b.num);
    auto wide = [&](llvm::Value *v) { return B.CreateSExt(v, i128); };
    llvm::Value *l = a.num, *r = b.num;
    l = b.den ? B.CreateMul(wide(l), wide(b.den), "", false, true) : wide(l);
    r = a.den ? B.CreateMul(wide(r), wide(a.den), "", false, true) : wide(r);
    return B.CreateICmp(pred, l, r);
  }

  V selectV(llvm::Value *cond, V t, V f) {
    unify(t, f);
    V out{B.CreateSelect(cond, t.num, f.num), nullptr, t.scale};
    if (t.den || f.den) out.den = B.CreateSelect(cond, denOf(t), denOf(f));
    return out;
  }

  // Round / Floor / Ceil of an exact fraction to `digits` decimals: an rb_dec.
  llvm::Value *ratRound(Op op, const V &x, int64_t digits) {
    llvm::FunctionCallee fn = op == Op::Round ? fnRatRound : op == Op::Floor ? fnRatFloor : fnRatCeil;
    B.CreateStore(c32(0), scratchErr);
    llvm::CallInst *call = B.CreateCall(fn, {x.num, denOf(x), c32(static_cast<int32_t>(digits)), scratchErr});
    call->setDoesNotThrow();
    noteErrorCode(B.CreateLoad(i32, scratchErr));
    return call;
  }

  // x / step rounded (四舍五入: half away from zero), floored or ceiled, times
  // `unit`, with an overflow check on the product: rb_dec_round/floor/ceil
  // with step = unit = 10^(6 − digits), and for a wide value at scale k,
  // step = 10^(k + 6 − digits), unit = 10^(6 − digits), as rb_rat_round does.
  llvm::Value *roundToStep(Op op, llvm::Value *x, int64_t step, int64_t unit) {
    llvm::Value *q = B.CreateSDiv(x, c64(step));
    llvm::Value *r = B.CreateSRem(x, c64(step));
    if (op == Op::Round) {
      // step is even: 2|r| >= step  <=>  |r| >= step/2; r has the sign of x when nonzero.
      q = B.CreateAdd(q, fromBool(B.CreateICmpSGE(r, c64(step / 2))));
      q = B.CreateSub(q, fromBool(B.CreateICmpSLE(r, c64(-(step / 2)))));
    } else if (op == Op::Floor) {
      q = B.CreateSub(q, fromBool(B.CreateICmpSLT(r, c64(0))));
    } else {
      q = B.CreateAdd(q, fromBool(B.CreateICmpSGT(r, c64(0))));
    }
    if (unit == 1) return q;
    return checkedArith(llvm::Intrinsic::smul_with_overflow, q, c64(unit));
  }

  // rb_dec_round / floor / ceil with `digits` known at compile time.
  llvm::Value *decRound(Op op, llvm::Value *x, int64_t digits) {
    int32_t nd = static_cast<int32_t>(digits);  // as the interpreter passes it
    if (nd >= 6) return x;                      // all three return x unchanged
    llvm::FunctionCallee fn = op == Op::Round ? fnRound : op == Op::Floor ? fnFloor : fnCeil;
    if (!opts.inlineDecimal || nd < -12) return callDec(fn, {x, c32(nd)});
    int64_t u = pow10(6 - nd);  // 10 .. 10^18
    return roundToStep(op, x, u, u);
  }

  // ---------------------------------------------------------------- wide fixed point
  //
  // A wide value N at scale k stands for N / 10^k raw units. Every value an
  // operation may produce must have a reduced fraction that fits in int64 (as
  // rb_rat_* require); then |N| < 2^63 · 10^k <= 2^103, so + − and the scaling
  // in widen() cannot overflow an i128, and a product that does is too large.

  static int64_t pow10(int e) {
    int64_t p = 1;
    while (e-- > 0) p *= 10;
    return p;
  }
  static int64_t pow5(int e) {
    int64_t p = 1;
    while (e-- > 0) p *= 5;
    return p;
  }
  llvm::Value *c128(int64_t v) { return llvm::ConstantInt::get(i128, static_cast<uint64_t>(v), true); }
  llvm::Value *fitsI64(llvm::Value *n) { return B.CreateICmpEQ(B.CreateSExt(B.CreateTrunc(n, i64), i128), n); }

  // A decimal or wide value at a scale at least its own.
  V widen(const V &v, int scale) {
    if (v.den || v.scale > scale) fail("internal: cannot widen a fraction or narrow a wide value");
    llvm::Value *n = v.scale ? v.num : B.CreateSExt(v.num, i128);
    if (scale > v.scale) n = B.CreateMul(n, c128(pow10(scale - v.scale)), "", false, true);
    return {n, nullptr, scale};
  }

  // Brings two values to one shape: both fractions if either is one, else
  // both at the larger scale (decimals stay decimals).
  void unify(V &a, V &b) {
    if (a.den || b.den) {
      a = toFraction(a);
      b = toFraction(b);
    } else if (a.scale != b.scale) {
      int s = std::max(a.scale, b.scale);
      a = widen(a, s);
      b = widen(b, s);
    }
  }

  // rb_rat_from_wide(n, k): the reduced fraction of a wide value, through the
  // scratch err slot (RB_DEC_ERR_OVERFLOW when its numerator is beyond int64).
  V callFromWide(llvm::Value *n, int scale) {
    B.CreateStore(c32(0), scratchErr);
    llvm::Value *hi = B.CreateTrunc(B.CreateLShr(n, 64), i64), *lo = B.CreateTrunc(n, i64);
    llvm::CallInst *call = B.CreateCall(fnRatFromWide, {hi, lo, c32(scale), ratDen, scratchErr});
    call->setDoesNotThrow();
    return {call, B.CreateLoad(i64, ratDen)};
  }

  // A wide result, checked: when n fits in int64 so does its reduced
  // numerator; otherwise rb_rat_from_wide decides, and an overflow yields 0
  // and RB_DEC_ERR_OVERFLOW, as rb_rat_* do.
  V checkedWide(llvm::Value *n, int scale) {
    llvm::Value *out = diamond(
        B.CreateNot(fitsI64(n)), [&] { return n; },
        [&] {
          callFromWide(n, scale);
          llvm::Value *code = B.CreateLoad(i32, scratchErr);
          noteErrorCode(code);
          return B.CreateSelect(B.CreateICmpNE(code, c32(0)), c128(0), n);
        },
        "wide");
    return {out, nullptr, scale};
  }

  // Any value as a fraction {num, den}, reduced as rb_rat_* keep them.
  V toFraction(const V &v) {
    if (!v.scale) return v;
    V fast = reduceScaled(B.CreateTrunc(v.num, i64), v.scale);
    return diamondV(B.CreateNot(fitsI64(v.num)), fast, [&] {
      V r = callFromWide(v.num, v.scale);
      noteErrorCode(B.CreateLoad(i32, scratchErr));  // cannot fail: checked when made
      return r;
    }, "frac");
  }

  // An operand of a wide product as an integer count of 10^-level units (a
  // decimal's raw value is a multiple of 10^(6 − level)), as an i128.
  llvm::Value *wideFactor(ExprId id) {
    V v = eval(id);
    if (v.scale) return v.num;
    int8_t level = levelOf(id);
    llvm::Value *n = level < kDecDigits ? B.CreateSDiv(v.num, c64(pow10(kDecDigits - level))) : v.num;
    return B.CreateSExt(n, i128);
  }

  // + − × and negation at a wide level: the product of two counts of
  // 10^-la and 10^-lb units counts 10^-(la+lb) units, which is the result's
  // level, so no scaling is needed.
  V wideArith(const Expr &e, int8_t level) {
    int scale = scaleOfLevel(level);
    if (e.op == Op::Mul) {
      llvm::Value *a = wideFactor(e.a), *b = wideFactor(e.b);
      auto [p, o] = withOverflow(llvm::Intrinsic::smul_with_overflow, a, b);
      noteError(o, kErrOverflow);
      return checkedWide(B.CreateSelect(o, c128(0), p), scale);
    }
    if (e.op == Op::Neg) return checkedWide(B.CreateNSWSub(c128(0), widen(eval(e.a), scale).num), scale);
    llvm::Value *a = widen(eval(e.a), scale).num, *b = widen(eval(e.b), scale).num;
    return checkedWide(e.op == Op::Add ? B.CreateNSWAdd(a, b) : B.CreateNSWSub(a, b), scale);
  }

  // Round / Floor / Ceil of a wide value: inline when it fits in int64 and the
  // step does too, else through its fraction and rb_rat_*.
  llvm::Value *wideRound(Op op, const V &x, int64_t digits) {
    int32_t nd = std::min<int32_t>(static_cast<int32_t>(digits), kDecDigits);  // rb_rat_round: at most 6
    int stepDigits = x.scale + kDecDigits - nd;
    auto slow = [&] { return ratRound(op, toFraction(x), nd); };
    if (stepDigits > 18) return slow();
    return diamond(B.CreateNot(fitsI64(x.num)),
                   [&] { return roundToStep(op, B.CreateTrunc(x.num, i64), pow10(stepDigits), pow10(kDecDigits - nd)); },
                   slow, "wround");
  }

  // ---------------------------------------------------------------- scopes

  const V *lookup(ExprId id) {
    bool dep = dependsOnElem(id);
    for (auto it = scopes.rbegin(); it != scopes.rend(); ++it) {
      auto f = it->vals.find(id);
      if (f != it->vals.end()) return &f->second;
      if (dep && it->loop) break;
    }
    return nullptr;
  }

  const Scope *innermostLoop() const {
    for (auto it = scopes.rbegin(); it != scopes.rend(); ++it)
      if (it->loop) return &*it;
    return nullptr;
  }

  std::pair<llvm::Value *, llvm::Value *> listBounds(int listId) {
    for (auto it = scopes.rbegin(); it != scopes.rend(); ++it) {
      auto f = it->bounds.find(listId);
      if (f != it->bounds.end()) return f->second;
    }
    int oc = P.desc.lists[static_cast<size_t>(listId)].offsetsColumn;
    llvm::Value *lo = loadColumnAt(oc, rec);
    llvm::Value *hi = loadColumnAt(oc, B.CreateAdd(rec, c64(1)));
    scopes.back().bounds[listId] = {lo, hi};
    return {lo, hi};
  }

  // An expression that is cheap and cannot fail: both arms of a Select made of
  // these become a `select` instruction instead of branches.
  bool trivial(ExprId id) {
    const Expr &e = expr(id);
    switch (e.op) {
      case Op::Const: case Op::Param: case Op::Column: case Op::Slot: case Op::Elem:
        return true;
      default:
        return lookup(canon[static_cast<size_t>(id)]) != nullptr;
    }
  }

  // ---------------------------------------------------------------- eval

  V eval(ExprId id) {
    id = canon[static_cast<size_t>(id)];
    if (const V *v = lookup(id)) return *v;
    if (hoistable(id)) {
      V v = hoistedValue(id, levelOf(id));  // before taking a reference into `scopes`, which it swaps out
      return scopes.back().vals[id] = v;
    }
    if (onStack[static_cast<size_t>(id)]) fail("expression " + std::to_string(id) + " depends on itself");
    onStack[static_cast<size_t>(id)] = 1;
    V v = coerce(evalUncached(id), levelOf(id));
    onStack[static_cast<size_t>(id)] = 0;
    scopes.back().vals[id] = v;
    return v;
  }

  // A value in the shape of `level` (see V), which is at least its own.
  V coerce(const V &v, int8_t level) {
    if (level == ir::kFraction) return toFraction(v);
    if (level > kDecDigits) return widen(v, scaleOfLevel(level));
    if (v.scale) fail("internal: a wide value where a decimal is expected");
    return {v.num};  // analyzeExactness: the value is a decimal
  }
  V evalAt(ExprId id, int8_t level) {
    id = canon[static_cast<size_t>(id)];
    if (level != levelOf(id) && hoistable(id)) return hoistedValue(id, level);
    return coerce(eval(id), level);
  }

  // ---------------------------------------------------------------- hoisted
  //
  // An expression of parameters (50% × 全区查处案件总数, and its fraction for a
  // comparison) has the same value and the same first error for every record:
  // it is made once per chunk call at the chunk's entry, and each record notes
  // that error where the expression stands, as if made there (the first error
  // of the record still wins, in the interpreter's order).

  bool hoistable(ExprId id) {
    return opts.inlineDecimal && !hoisting && expr(id).op != Op::Param && invariance(id) == 2;
  }

  V hoistedValue(ExprId id, int8_t level) {
    const auto key = std::make_pair(id, static_cast<int>(level));
    auto it = hoisted.find(key);
    if (it == hoisted.end()) {
      loadParameters(id);  // atChunkEntry: what it reads is loaded first
      it = hoisted.emplace(key, atChunkEntry([&] { return makeHoisted(id, level); })).first;
    }
    if (it->second.err) noteErrorCode(it->second.err);
    return it->second.v;
  }

  // At the chunk's entry: the value at `level` and, when it can fail, its
  // first error (recErr is the record's only inside the record loop).
  Hoisted makeHoisted(ExprId id, int8_t level) {
    std::vector<Scope> outer = std::move(scopes);
    scopes.assign(1, Scope{});
    hoisting = true;
    const size_t sites = errorSites;
    B.CreateStore(c32(0), recErr);
    V v = evalAt(id, level);
    llvm::Value *err = errorSites != sites ? B.CreateLoad(i32, recErr) : nullptr;
    errorSites = sites;
    hoisting = false;
    scopes = std::move(outer);
    return {v, err};
  }

  void loadParameters(ExprId id) {
    const Expr &e = expr(id);
    if (e.op == Op::Param) param(e.index);
    const ExprId args[3] = {e.a, e.b, e.c};
    for (int k = 0; k < arity(e.op); ++k) loadParameters(args[k]);
  }

  // The value of a decimal expression.
  llvm::Value *evalDec(ExprId id) { return eval(id).num; }
  llvm::Value *evalTruth(ExprId id) { return truth(eval(id).num); }  // num ≠ 0 ⇔ value ≠ 0

  V slotRead(int slot) {
    auto it = slotVal.find(slot);
    if (it != slotVal.end()) return it->second;
    slotReadThisRecord[static_cast<size_t>(slot)] = 1;
    V v{B.CreateLoad(i64, B.CreateInBoundsGEP(i64, slotBasePtr(slot), rec), "s" + std::to_string(slot))};
    if (P.desc.slots[static_cast<size_t>(slot)].rational)
      v.den = B.CreateLoad(i64, B.CreateInBoundsGEP(i64, slotDenPtr(slot), rec), "d" + std::to_string(slot));
    return v;
  }

  // + − × ÷ on exact values: decimal fast paths, the wide fixed point past 6
  // decimals, fractions (rb_rat_*) where the value may not terminate.
  V arith(ExprId id, const Expr &e) {
    if (isFraction(id)) {
      if (isImportedFraction(e)) return loadImportedFraction(e);
      if (std::optional<V> sum = invariantQuotientSum(e)) return *sum;
      if (std::optional<V> sum = quotientSum(e)) return *sum;
      if (e.op == Op::Neg) return ratOp(Op::Sub, V{c64(0)}, evalAt(e.a, ir::kFraction));
      V a = evalAt(e.a, ir::kFraction), b = evalAt(e.b, ir::kFraction);
      return ratOp(e.op, a, b);
    }
    if (levelOf(id) > kDecDigits) return wideArith(e, levelOf(id));
    if (e.op == Op::Neg) return {decNeg(evalDec(e.a))};
    llvm::Value *a = evalDec(e.a), *b = evalDec(e.b);
    switch (e.op) {
      case Op::Add: return {decAdd(a, b)};
      case Op::Sub: return {decSub(a, b)};
      // Factors with at most 6 decimals together: the product is exact.
      case Op::Mul: return {decMulWhole(a, b)};
      default: fail("a division is always a fraction");
    }
  }

  // 别名.总分 / 别名.指标 of a whole-population import (引用 … 全体另给) is
  // lowered as numerator column ÷ denominator column (FromSema's
  // wholePopulationMember); the runtime writes there the imported run's
  // rational slot, reduced with d > 0 (Kernel.h), as n and d·10^6
  // (ImportRun.cpp's collectRow). Whether this Div is such a pair: its
  // operands are the two columns of one ImportResult.
  bool isImportedFraction(const Expr &e) const {
    if (e.op != Op::Div || !opts.inlineDecimal) return false;
    const Expr &n = expr(e.a), &d = expr(e.b);
    if (n.op != Op::Column || d.op != Op::Column) return false;
    for (const runtime::ImportedScheme &im : P.desc.imports)
      for (const runtime::ImportResult &r : im.results)
        if (r.column == n.index && r.denColumn == d.index) return true;
    return false;
  }

  // An imported fraction loaded as a fraction: with a denominator column of
  // exactly 1 (10^6 raw: every total that terminates within 6 decimals, 93.5
  // as well as 187/2) the value is {n, 1}, which is reduced whatever n is, so
  // no division and no gcd. Any other denominator — 3 for 1/3, and what a
  // writer must never produce (0, negative, not whole, not reduced) — takes
  // the quotient as rb_rat_div defines it (wholeOrCall: one small Euclid gcd
  // for a whole d, else the call, which reports division by zero and
  // overflow on this slot as before), so the value is the interpreter's for
  // every input, not only for what the runtime writes.
  V loadImportedFraction(const Expr &e) {
    llvm::Value *n = evalDec(e.a), *d = evalDec(e.b);
    return diamondV(B.CreateICmpNE(d, c64(kOne)), V{n, c64(1)},
                    [&] { return wholeOrCall(Op::Div, V{n}, V{d}, fnRatDiv); }, "imported");
  }

  // Whether `id` is read without any operation that could fail.
  bool leaf(ExprId id) {
    Op op = expr(id).op;
    return op == Op::Const || op == Op::Column || op == Op::Param || op == Op::Slot;
  }

  // a ÷ b ± c ÷ d of decimal leaves (新疆 集体 四 基准比例: 重点排污单位数量 ÷
  // 全区… + 工业污染源排放量 ÷ 全区…): one reduction of (a'·d ± c'·b) / (b·d),
  // a' = a·10^6, instead of two rb_rat_div and an rb_rat_add. With b, d ≠ 0
  // and a', c' in int64 neither quotient can fail (its reduced form is no
  // larger than a'/b), and the reduced sum is unique, so rb_rat_from_i128
  // gives rb_rat_add's value and its overflow. Otherwise, as before. The
  // leaves cannot fail, so no error changes its place. Null if not this shape.
  std::optional<V> quotientSum(const Expr &e) {
    if ((e.op != Op::Add && e.op != Op::Sub) || !opts.inlineDecimal) return std::nullopt;
    const ExprId l = canon[static_cast<size_t>(e.a)], r = canon[static_cast<size_t>(e.b)];
    auto decimalQuotient = [&](ExprId id) {
      const Expr &q = expr(id);
      // a constant divisor is left to ratOp (÷ 2, ÷ 100: inline, no call)
      return q.op == Op::Div && !lookup(id) && leaf(q.a) && leaf(q.b) && expr(q.b).op != Op::Const &&
             levelOf(q.a) <= kDecDigits &&
             levelOf(q.b) <= kDecDigits;
    };
    if (!decimalQuotient(l) || !decimalQuotient(r)) return std::nullopt;
    const Expr &ql = expr(l), &qr = expr(r);
    llvm::Value *a = evalDec(ql.a), *b = evalDec(ql.b), *c = evalDec(qr.a), *d = evalDec(qr.b);
    auto [a1, o1] = withOverflow(llvm::Intrinsic::smul_with_overflow, a, c64(kOne));
    auto [c1, o2] = withOverflow(llvm::Intrinsic::smul_with_overflow, c, c64(kOne));
    llvm::Value *slow = B.CreateOr(B.CreateOr(o1, o2), B.CreateOr(B.CreateICmpEQ(b, c64(0)), B.CreateICmpEQ(d, c64(0))));
    llvm::BasicBlock *fastBB = llvm::BasicBlock::Create(C, "qsum.fast", F);
    llvm::BasicBlock *slowBB = llvm::BasicBlock::Create(C, "qsum.slow", F);
    llvm::BasicBlock *joinBB = llvm::BasicBlock::Create(C, "qsum.join", F);
    B.CreateCondBr(slow, slowBB, fastBB, unlikely);
    B.SetInsertPoint(fastBB);
    auto w = [&](llvm::Value *v) { return B.CreateSExt(v, i128); };
    llvm::Value *x = B.CreateMul(w(a1), w(d), "", false, true), *y = B.CreateMul(w(c1), w(b), "", false, true);
    llvm::Value *n = e.op == Op::Add ? B.CreateNSWAdd(x, y) : B.CreateNSWSub(x, y);
    llvm::Value *den = B.CreateMul(w(b), w(d), "", false, true);
    auto hi = [&](llvm::Value *v) { return B.CreateTrunc(B.CreateLShr(v, 64), i64); };
    auto lo = [&](llvm::Value *v) { return B.CreateTrunc(v, i64); };
    B.CreateStore(c32(0), scratchErr);
    llvm::CallInst *call = B.CreateCall(fnRatFromI128, {hi(n), lo(n), hi(den), lo(den), ratDen, scratchErr});
    call->setDoesNotThrow();
    noteErrorCode(B.CreateLoad(i32, scratchErr));
    V fast{call, B.CreateLoad(i64, ratDen)};
    llvm::BasicBlock *fastEnd = B.GetInsertBlock();
    B.CreateBr(joinBB);
    B.SetInsertPoint(slowBB);
    scopes.emplace_back();  // the quotients made here do not dominate the join
    V sv = ratOp(e.op, ratOp(Op::Div, V{a}, V{b}), ratOp(Op::Div, V{c}, V{d}));
    scopes.pop_back();
    llvm::BasicBlock *slowEnd = B.GetInsertBlock();
    B.CreateBr(joinBB);
    B.SetInsertPoint(joinBB);
    return joinFraction(fast, fastEnd, sv, slowEnd, "qsum");
  }

  // Runs `gen` with B at the end of the chunk's entry code, so what it builds
  // runs once per call of the chunk (a block of records), not per record. The
  // entry code is split before its branch to the record loop, so `gen` may add
  // blocks (a gcd loop); later hoisted loads go after what it made. What `gen`
  // reads must be hoisted already (load the parameters first).
  template <typename Gen>
  auto atChunkEntry(Gen gen) -> decltype(gen()) {
    if (hoisting) return gen();  // B is there already
    llvm::IRBuilderBase::InsertPoint saved = B.saveIP();
    llvm::BasicBlock *tail = hoist.GetInsertBlock();
    llvm::BasicBlock *rest = tail->splitBasicBlock(tail->getTerminator(), "entry.more");
    tail->getTerminator()->eraseFromParent();  // the branch to `rest` that the split added
    B.SetInsertPoint(tail);
    auto out = gen();
    B.CreateBr(rest);
    hoist.SetInsertPoint(rest->getTerminator());
    B.restoreIP(saved);
    return out;
  }

  // The per-chunk constants of a ÷ p ± c ÷ q for parameters p and q. With
  // g = gcd(|p|, |q|), p1 = |p|/g, q1 = |q|/g, L = g·p1·q1 = lcm(|p|, |q|) and
  // the signs sp, sq of p and q (multiplying through by sp·sq):
  //   a ÷ p ± c ÷ q = 10^6·(a·sp·q1 ± c·sq·p1) / L   raw units,
  // and with h = gcd(10^6, L), M = 10^6/h, D = L/h: M·N / D for
  // N = a·fa + c·fc (fa = sp·q1, fc = ±sq·p1). gcd(M, D) = 1, so reducing it
  // takes only gcd(|N|, D) per record. Not valid when p or q is 0 or INT64_MIN
  // or L is beyond int64 (the caller then takes the general path).
  SumConstants invariantSumConstants(int pi, int qi, Op op) {
    const auto key = std::make_tuple(pi, qi, static_cast<int>(op));
    if (auto it = sumConstants.find(key); it != sumConstants.end()) return it->second;
    llvm::Value *p = param(pi), *q = param(qi);  // hoisted before the split
    SumConstants k = atChunkEntry([&] {
      auto usable = [&](llvm::Value *v) {
        return B.CreateAnd(B.CreateICmpNE(v, c64(0)), B.CreateICmpNE(v, c64(INT64_MIN)));
      };
      llvm::Value *valid = B.CreateAnd(usable(p), usable(q));
      llvm::Value *up = B.CreateSelect(valid, magnitude(p), c64(1)), *uq = B.CreateSelect(valid, magnitude(q), c64(1));
      llvm::Value *g = gcdLoop(up, B.CreateURem(uq, up));
      llvm::Value *p1 = B.CreateUDiv(up, g), *q1 = B.CreateUDiv(uq, g);
      auto [lcm, o] = withOverflow(llvm::Intrinsic::smul_with_overflow, p1, uq);
      valid = B.CreateAnd(valid, B.CreateNot(o));
      llvm::Value *L = B.CreateSelect(valid, lcm, c64(1));
      llvm::Value *h = gcdLoop(c64(kOne), B.CreateURem(L, c64(kOne)));
      auto signed_ = [&](llvm::Value *neg, llvm::Value *v) { return B.CreateSelect(neg, B.CreateSub(c64(0), v), v); };
      llvm::Value *fc = signed_(B.CreateICmpSLT(q, c64(0)), p1);
      return SumConstants{valid, signed_(B.CreateICmpSLT(p, c64(0)), q1), op == Op::Sub ? B.CreateSub(c64(0), fc) : fc,
                          B.CreateUDiv(c64(kOne), h), B.CreateUDiv(L, h)};
    });
    return sumConstants[key] = k;
  }

  // a ÷ p ± c ÷ q of decimal leaves a, c and parameters p, q (新疆 集体 四
  // 基准比例: 重点排污单位数量 ÷ 全区重点排污单位总数 + 工业污染源排放量 ÷
  // 全区工业污染源排放量): per record N = a·fa + c·fc in int64 and one gcd
  // of |N| with D (invariantSumConstants), instead of a 128-bit reduction.
  // The reduced fraction is unique, so this is rb_rat_add's value. a·10^6 or
  // c·10^6 beyond int64 (where rb_rat_div may fail), an unusable divisor and
  // any int64 overflow take quotientSum's path, which reports what it reports.
  std::optional<V> invariantQuotientSum(const Expr &e) {
    std::optional<ParamSum> sum = paramQuotientSum(e);
    if (!sum) return std::nullopt;
    auto [k, n, slow] = *sum;
    llvm::BasicBlock *fastBB = llvm::BasicBlock::Create(C, "psum.fast", F);
    llvm::BasicBlock *slowBB = llvm::BasicBlock::Create(C, "psum.slow", F);
    llvm::BasicBlock *joinBB = llvm::BasicBlock::Create(C, "psum.join", F);
    B.CreateCondBr(slow, slowBB, fastBB, unlikely);
    B.SetInsertPoint(fastBB);
    // gcd(D, |N|) = gcd(D, |N| mod D): one division shortens the binary gcd
    // to the bits of D (kernel_bench's |N| ~ 2^40 against D ~ 2^21)
    llvm::Value *g = binaryGcd(k.den, B.CreateURem(magnitude(n), k.den));
    auto [num, o6] = withOverflow(llvm::Intrinsic::smul_with_overflow, B.CreateSDiv(n, g), k.scale);
    llvm::Value *den = B.CreateUDiv(k.den, g);
    llvm::BasicBlock *fastEnd = B.GetInsertBlock();
    B.CreateCondBr(o6, slowBB, joinBB, unlikely);
    B.SetInsertPoint(slowBB);
    scopes.emplace_back();  // what is made here does not dominate the join
    std::optional<V> general = quotientSum(e);
    scopes.pop_back();
    if (!general) fail("internal: a sum of quotients by parameters without the general path");
    llvm::BasicBlock *slowEnd = B.GetInsertBlock();
    B.CreateBr(joinBB);
    B.SetInsertPoint(joinBB);
    return joinFraction(V{num, den}, fastEnd, *general, slowEnd, "psum");
  }

  // N = a·fa + c·fc of a ÷ p ± c ÷ q (invariantQuotientSum) and whether the
  // general path must decide (a divisor unusable, an int64 overflow).
  struct ParamSum {
    SumConstants k;
    llvm::Value *n, *slow;
  };
  std::optional<ParamSum> paramQuotientSum(const Expr &e) {
    if ((e.op != Op::Add && e.op != Op::Sub) || !opts.inlineDecimal) return std::nullopt;
    const ExprId l = canon[static_cast<size_t>(e.a)], r = canon[static_cast<size_t>(e.b)];
    auto byParameter = [&](ExprId id) {
      const Expr &q = expr(id);
      return q.op == Op::Div && !lookup(id) && leaf(q.a) && levelOf(q.a) <= kDecDigits && expr(q.b).op == Op::Param &&
             levelOf(q.b) <= kDecDigits;
    };
    if (!byParameter(l) || !byParameter(r)) return std::nullopt;
    const Expr &ql = expr(l), &qr = expr(r);
    const SumConstants k = invariantSumConstants(expr(ql.b).index, expr(qr.b).index, e.op);
    llvm::Value *a = evalDec(ql.a), *c = evalDec(qr.a);
    evalDec(ql.b);  // cached for the general path
    evalDec(qr.b);
    llvm::Value *o1 = withOverflow(llvm::Intrinsic::smul_with_overflow, a, c64(kOne)).second;
    llvm::Value *o2 = withOverflow(llvm::Intrinsic::smul_with_overflow, c, c64(kOne)).second;
    auto [x, o3] = withOverflow(llvm::Intrinsic::smul_with_overflow, a, k.fa);
    auto [y, o4] = withOverflow(llvm::Intrinsic::smul_with_overflow, c, k.fc);
    auto [n, o5] = withOverflow(llvm::Intrinsic::sadd_with_overflow, x, y);
    llvm::Value *slow = B.CreateNot(k.valid);
    for (llvm::Value *o : {o1, o2, o3, o4, o5}) slow = B.CreateOr(slow, o);
    return ParamSum{k, n, slow};
  }

  // invariantQuotientSum without its gcd: M·N / D, not reduced, where M·N
  // fits in int64 (then the reduced sum fits too, and nothing can fail);
  // otherwise the general path (quotientSum), reduced, noting its errors.
  std::optional<V> looseQuotientSum(const Expr &e) {
    std::optional<ParamSum> sum = paramQuotientSum(e);
    if (!sum) return std::nullopt;
    auto [num, o] = withOverflow(llvm::Intrinsic::smul_with_overflow, sum->n, sum->k.scale);
    return diamondV(B.CreateOr(sum->slow, o), V{num, sum->k.den}, [&] {
      scopes.emplace_back();  // what is made here does not dominate the join
      std::optional<V> general = quotientSum(e);
      scopes.pop_back();
      if (!general) fail("internal: a sum of quotients by parameters without the general path");
      return *general;
    }, "lsum");
  }

  // The value of `id` for crossTerms, perhaps not reduced (Loose): a sum of
  // quotients by parameters (looseQuotientSum), a loose value ÷ a constant
  // whole 2^i·5^j (its 2s and 5s cancelled, no gcd), and the arm a constant
  // condition takes; anything else is eval's reduced value. A loose form is
  // made only where nothing can fail, so every error is noted by eval's own
  // code, at the same point (新疆 集体 四: 基准比例 without its gcd per record).
  Loose evalLoose(ExprId id) {
    id = canon[static_cast<size_t>(id)];
    if (const V *v = lookup(id)) return {*v, true};
    const bool dep = dependsOnElem(id);
    for (auto it = scopes.rbegin(); it != scopes.rend(); ++it) {
      auto found = it->loose.find(id);
      if (found != it->loose.end()) return found->second;
      if (dep && it->loop) break;
    }
    std::optional<Loose> made = looseUncached(id);
    if (!made) return {eval(id), true};
    return scopes.back().loose[id] = *made;
  }

  std::optional<Loose> looseUncached(ExprId id) {
    if (!opts.inlineDecimal || !isFraction(id) || hoistable(id)) return std::nullopt;
    const Expr &e = expr(id);
    if (e.op == Op::Select && isFraction(e.b) && isFraction(e.c)) {
      auto *ci = llvm::dyn_cast<llvm::ConstantInt>(evalTruth(e.a));
      if (!ci) return std::nullopt;
      return evalLoose(ci->isOne() ? e.b : e.c);
    }
    if (std::optional<V> sum = looseQuotientSum(e)) return Loose{*sum, false};
    if (e.op != Op::Div || expr(e.b).op != Op::Const || expr(e.b).imm % kOne != 0) return std::nullopt;
    llvm::Value *m = c64(expr(e.b).imm / kOne);
    if (!twosAndFives(m) || !isFraction(e.a)) return std::nullopt;
    const Loose a = evalLoose(e.a);
    if (a.reduced) return std::nullopt;  // eval's ratOp, as before
    const V b = evalAt(e.b, ir::kFraction);
    // as wholeOrCall's ÷ 2^i·5^j: den × what is left of m, checked
    auto [num, m2] = cancelTwosFives(a.v.num, m);
    auto [den, o] = withOverflow(llvm::Intrinsic::smul_with_overflow, a.v.den, m2);
    V v = diamondV(o, V{num, den}, [&] {
      scopes.emplace_back();
      V exact = ratOp(Op::Div, reduceLoose(a.v), b);
      scopes.pop_back();
      return exact;
    }, "ldiv");
    return Loose{v, false};
  }

  static llvm::CmpInst::Predicate predicate(CmpKind k) {
    switch (k) {
      case CmpKind::Ge: return llvm::CmpInst::ICMP_SGE;
      case CmpKind::Gt: return llvm::CmpInst::ICMP_SGT;
      case CmpKind::Le: return llvm::CmpInst::ICMP_SLE;
      case CmpKind::Lt: return llvm::CmpInst::ICMP_SLT;
      case CmpKind::Eq: return llvm::CmpInst::ICMP_EQ;
      case CmpKind::Ne: return llvm::CmpInst::ICMP_NE;
    }
    return llvm::CmpInst::ICMP_EQ;
  }

  V evalUncached(ExprId id) {
    const Expr &e = expr(id);
    switch (e.op) {
      case Op::Const: return {c64(e.imm)};
      case Op::Column: return {loadColumnAt(e.index, rec)};
      case Op::Param: return {param(e.index)};
      case Op::Slot: return slotRead(e.index);
      case Op::Elem: {
        const Scope *loop = innermostLoop();
        if (!loop) fail("expr " + std::to_string(id) + ": Elem outside a list body");
        int colList = P.desc.columns[static_cast<size_t>(e.index)].listId;
        if (colList >= 0 && colList != loop->listId)
          fail("expr " + std::to_string(id) + ": Elem of column " + std::to_string(e.index) +
               " (list " + std::to_string(colList) + ") inside a body over list " +
               std::to_string(loop->listId));
        return {loadColumnAt(e.index, loop->elem)};
      }
      case Op::Add: case Op::Sub: case Op::Mul: case Op::Div: case Op::Neg: return arith(id, e);
      case Op::Min: case Op::Max: {
        V a = evalAt(e.a, levelOf(id)), b = evalAt(e.b, levelOf(id));
        // rb_dec_min / rb_dec_max: a unless b is strictly smaller / larger
        return selectV(compare(e.op == Op::Min ? llvm::CmpInst::ICMP_SLT : llvm::CmpInst::ICMP_SGT, b, a), b, a);
      }
      case Op::Round: case Op::Floor: case Op::Ceil: {
        V x = eval(e.a);
        if (x.scale) return {wideRound(e.op, x, e.imm)};
        if (!x.den) return {decRound(e.op, x.num, e.imm)};
        if (!opts.inlineDecimal) return {ratRound(e.op, x, e.imm)};
        // A fraction that is a decimal at run time rounds inline, like rb_rat_round({x, 1}).
        return {diamond(B.CreateICmpNE(x.den, c64(1)), [&] { return decRound(e.op, x.num, e.imm); },
                        [&] { return ratRound(e.op, x, e.imm); }, "round")};
      }
      case Op::Cmp: {
        if (llvm::Value *cross = crossCompare(e)) return {fromBool(cross)};
        int8_t common = std::max(levelOf(e.a), levelOf(e.b));
        V a = evalAt(e.a, common), b = evalAt(e.b, common);
        return {fromBool(compare(predicate(e.cmp), a, b))};
      }
      case Op::And: {
        llvm::Value *a = evalTruth(e.a), *b = evalTruth(e.b);
        return {fromBool(B.CreateAnd(a, b))};
      }
      case Op::Or: {
        llvm::Value *a = evalTruth(e.a), *b = evalTruth(e.b);
        return {fromBool(B.CreateOr(a, b))};
      }
      case Op::Not: return {fromBool(B.CreateNot(evalTruth(e.a)))};
      case Op::Select: return genSelect(e, levelOf(id));
      case Op::ListAgg: return genListAgg(e);
      case Op::TopAvg: return genTopAvg(id, e);
      case Op::GroupAgg: return genGroupAgg(id, e);
      case Op::ListLen: {
        auto [lo, hi] = listBounds(e.index);
        return {B.CreateMul(B.CreateSub(hi, lo), c64(kOne))};
      }
      case Op::YearRun: return {B.CreateCall(fnYearRun, {loadColumnAt(e.index, rec), c64(e.imm)})};
    }
    fail("expr " + std::to_string(id) + ": unknown op");
  }

  // x ≷ a × b for a decimal x and a fractional product of a = an/ad and
  // b = bn/bd (新疆 集体 四: 查处案件数 超过 50% × 全区… × 基准比例, with a
  // wide factor 50% × 全区罚款总金额 in 四.2), without forming the reduced
  // product where it cannot fail: a × b is an·bn / (ad·bd·10^6) raw, so with
  // q = ad·bd·10^6 > 0 the comparison is x·q ≷ an·bn, exact in 128 bits
  // (crossTerms). The operands are evaluated in order after x, so an error
  // is the one rb_rat_mul would note, at the same point.
  // Returns null where the pattern does not apply.
  llvm::Value *crossCompare(const Expr &e) {
    if (!opts.inlineDecimal) return nullptr;
    const ExprId prodId = canon[static_cast<size_t>(e.b)];
    const Expr &prod = expr(prodId);
    if (prod.op != Op::Mul || !isFraction(prodId) || lookup(prodId) || levelOf(e.a) > kDecDigits) return nullptr;
    llvm::Value *x = evalDec(e.a);
    CrossTerms t = crossTerms(prodId, prod);
    llvm::Value *l = B.CreateMul(B.CreateSExt(x, i128), t.q, "", false, true);  // |x·q| < 2^127
    return B.CreateICmp(predicate(e.cmp), l, t.p);
  }

  // The terms p / q of a × b for crossCompare, made once per record (and
  // scope) for all the comparisons with that product (新疆 集体 四.1–四.3
  // compare with each product twice, 超过 and 达到): an·bn over ad·bd·10^6
  // when all fit in int64 (the reduced product then fits too, so rb_rat_mul
  // could not fail), else fractionProduct's reduced product and its error,
  // noted where the first comparison stood — later ones add nothing, as
  // rb_rat_mul's second call would note nothing once the record has an error.
  // The terms are known by the operands' values as made, before their
  // conversion to fractions (which a wide factor gets anew at each use).
  CrossTerms crossTerms(ExprId prodId, const Expr &prod) {
    // in order: their errors as rb_rat_mul's operands'; 基准比例 perhaps not reduced
    const Loose la = evalLoose(prod.a), lb = evalLoose(prod.b);
    const V ra = la.v, rb = lb.v;
    const bool dep = dependsOnElem(prodId);
    for (auto it = scopes.rbegin(); it != scopes.rend(); ++it) {
      auto found = it->cross.find(prodId);
      const CrossTerms *t = found == it->cross.end() ? nullptr : &found->second;
      if (t && t->an == ra.num && t->ad == ra.den && t->bn == rb.num && t->bd == rb.den) return *t;
      if (dep && it->loop) break;
    }
    // as fractions (a wide factor such as 50% × 全区罚款总金额 as rb_rat_mul would get it)
    const V a = la.reduced ? evalAt(prod.a, ir::kFraction) : ra, b = lb.reduced ? evalAt(prod.b, ir::kFraction) : rb;
    auto [p, o1] = withOverflow(llvm::Intrinsic::smul_with_overflow, a.num, b.num);
    auto [dd, o2] = withOverflow(llvm::Intrinsic::smul_with_overflow, denOf(a), denOf(b));
    auto [q, o3] = withOverflow(llvm::Intrinsic::smul_with_overflow, dd, c64(kOne));
    auto wide = [&](llvm::Value *v) { return B.CreateSExt(v, i128); };
    V terms = diamondV(B.CreateOr(o1, B.CreateOr(o2, o3)), V{wide(p), wide(q)}, [&] {
      scopes.emplace_back();  // values made here do not dominate the join
      V product = la.reduced && lb.reduced ? fractionProduct(a, b) : looseProduct({a, la.reduced}, {b, lb.reduced});
      scopes.pop_back();
      return V{wide(product.num), wide(denOf(product))};
    }, "xcmp");
    CrossTerms t{ra.num, ra.den, rb.num, rb.den, terms.num, terms.den};
    scopes.back().cross[prodId] = t;
    return t;
  }

  // Both arms come out in the shape of the Select's level.
  V genSelect(const Expr &e, int8_t level) {
    llvm::Value *cond = evalTruth(e.a);
    if (auto *ci = llvm::dyn_cast<llvm::ConstantInt>(cond)) return evalAt(ci->isOne() ? e.b : e.c, level);
    if (trivial(e.b) && trivial(e.c)) {
      V t = evalAt(e.b, level);
      V f = evalAt(e.c, level);
      return selectV(cond, t, f);
    }
    llvm::BasicBlock *thenBB = llvm::BasicBlock::Create(C, "sel.then", F);
    llvm::BasicBlock *elseBB = llvm::BasicBlock::Create(C, "sel.else", F);
    llvm::BasicBlock *joinBB = llvm::BasicBlock::Create(C, "sel.join", F);
    B.CreateCondBr(cond, thenBB, elseBB);
    B.SetInsertPoint(thenBB);
    scopes.emplace_back();
    V tv = evalAt(e.b, level);
    scopes.pop_back();
    llvm::BasicBlock *thenEnd = B.GetInsertBlock();
    B.CreateBr(joinBB);
    B.SetInsertPoint(elseBB);
    scopes.emplace_back();
    V fv = evalAt(e.c, level);
    scopes.pop_back();
    llvm::BasicBlock *elseEnd = B.GetInsertBlock();
    B.CreateBr(joinBB);
    B.SetInsertPoint(joinBB);
    V out{joinValue(tv.num, thenEnd, fv.num, elseEnd, "sel"), nullptr, tv.scale};
    // denOf() may create a constant only: nothing is inserted into the arms here.
    if (tv.den || fv.den) out.den = joinValue(denOf(tv), thenEnd, denOf(fv), elseEnd, "sel.den");
    return out;
  }

  struct Step {
    std::vector<llvm::Value *> next;  // accumulators after this element
    llvm::Value *stop = nullptr;      // i1: leave the loop now, with `next` (or null)
  };

  // for (j = lo; j < hi; ++j) { v = body(j); accs = step(accs, v, j); if (stop) break; }
  // `inits` are the accumulators' initial values; `step` may emit code,
  // including fallible ops. Returns the accumulators' values after the loop.
  template <typename StepFn>
  std::vector<llvm::Value *> genLoop(int listId, ExprId body, llvm::Value *lo, llvm::Value *hi,
                                     const std::vector<llvm::Value *> &inits, StepFn step,
                                     const char *name) {
    return genElementLoop(listId, lo, hi, inits, [&](const std::vector<llvm::Value *> &acc, llvm::Value *j) {
      return step(acc, eval(body), j);
    }, name);
  }

  // The loop of genLoop; `step(accs, j)` evaluates what it needs in the
  // element's scope.
  template <typename StepFn>
  std::vector<llvm::Value *> genElementLoop(int listId, llvm::Value *lo, llvm::Value *hi,
                                            const std::vector<llvm::Value *> &inits, StepFn step,
                                            const char *name) {
    llvm::BasicBlock *preEnd = B.GetInsertBlock();
    llvm::BasicBlock *head = llvm::BasicBlock::Create(C, std::string(name) + ".head", F);
    llvm::BasicBlock *bodyBB = llvm::BasicBlock::Create(C, std::string(name) + ".body", F);
    llvm::BasicBlock *done = llvm::BasicBlock::Create(C, std::string(name) + ".done", F);
    B.CreateBr(head);
    B.SetInsertPoint(head);
    llvm::PHINode *j = B.CreatePHI(i64, 2, "j");
    j->addIncoming(lo, preEnd);
    std::vector<llvm::PHINode *> accs;
    for (llvm::Value *init : inits) {
      llvm::PHINode *phi = B.CreatePHI(init->getType(), 2, "acc");
      phi->addIncoming(init, preEnd);
      accs.push_back(phi);
    }
    B.CreateCondBr(B.CreateICmpSLT(j, hi), bodyBB, done);

    B.SetInsertPoint(bodyBB);
    Scope s;
    s.loop = true;
    s.elem = j;
    s.listId = listId;
    scopes.push_back(std::move(s));
    std::vector<llvm::Value *> cur(accs.begin(), accs.end());
    Step st = step(cur, static_cast<llvm::Value *>(j));
    scopes.pop_back();
    llvm::BasicBlock *stopFrom = nullptr;
    if (st.stop) {
      stopFrom = B.GetInsertBlock();
      llvm::BasicBlock *cont = llvm::BasicBlock::Create(C, std::string(name) + ".next", F);
      B.CreateCondBr(st.stop, done, cont);
      B.SetInsertPoint(cont);
    }
    llvm::Value *jn = B.CreateAdd(j, c64(1), "j.next", /*HasNUW=*/true, /*HasNSW=*/true);
    llvm::BasicBlock *latch = B.GetInsertBlock();
    B.CreateBr(head);
    j->addIncoming(jn, latch);
    for (size_t k = 0; k < accs.size(); ++k) accs[k]->addIncoming(st.next[k], latch);

    B.SetInsertPoint(done);
    std::vector<llvm::Value *> out(accs.begin(), accs.end());
    if (stopFrom) {
      for (size_t k = 0; k < accs.size(); ++k) {
        llvm::PHINode *phi = B.CreatePHI(accs[k]->getType(), 2, "acc.out");
        phi->addIncoming(accs[k], head);
        phi->addIncoming(st.next[k], stopFrom);
        out[k] = phi;
      }
    }
    return out;
  }

  // An aggregate's accumulators {num} or {num, den} (a fraction body), in the
  // body's shape; Count, All and Any keep one plain integer / i1.
  struct AggShape {
    AggKind kind;
    bool frac = false;
    int scale = 0;
  };
  using Vs = std::vector<llvm::Value *>;
  Vs packAcc(const AggShape &k, const V &v) { return k.frac ? Vs{v.num, denOf(v)} : Vs{v.num}; }
  V unpackAcc(const AggShape &k, const Vs &acc) { return k.frac ? V{acc[0], acc[1]} : V{acc[0], nullptr, k.scale}; }

  // The accumulators before the first element. Max / Min: the first element
  // replaces the seed (an empty list gives 0, see finishAgg).
  Vs initAgg(const AggShape &k) {
    switch (k.kind) {
      case AggKind::Max:
      case AggKind::Min: {
        bool isMax = k.kind == AggKind::Max;
        V seed{c64(isMax ? INT64_MIN : INT64_MAX), k.frac ? c64(1) : nullptr};
        if (k.scale) {  // below / above every wide value (|N| < 2^103)
          llvm::APInt edge = isMax ? llvm::APInt::getSignedMinValue(128) : llvm::APInt::getSignedMaxValue(128);
          seed = {llvm::ConstantInt::get(i128, edge), nullptr, k.scale};
        }
        return packAcc(k, seed);
      }
      case AggKind::Sum:
      case AggKind::Average: return packAcc(k, V{k.scale ? c128(0) : c64(0), k.frac ? c64(1) : nullptr, k.scale});
      case AggKind::Count: return {c64(0)};
      case AggKind::All: return {B.getTrue()};
      case AggKind::Any: return {B.getFalse()};
    }
    fail("unknown aggregate kind");
  }

  // The accumulators after element value v. All / Any set `stop` once the
  // value decides them (a caller may ignore it when the bodies cannot fail).
  Step stepAgg(const AggShape &k, const Vs &acc, const V &v) {
    switch (k.kind) {
      case AggKind::Max:
      case AggKind::Min: {
        V cur = unpackAcc(k, acc);
        auto pred = k.kind == AggKind::Max ? llvm::CmpInst::ICMP_SGT : llvm::CmpInst::ICMP_SLT;
        return Step{packAcc(k, selectV(compare(pred, v, cur), v, cur))};
      }
      case AggKind::Sum:
      case AggKind::Average:
        if (k.frac) return Step{packAcc(k, ratOp(Op::Add, unpackAcc(k, acc), v))};
        if (k.scale) return Step{Vs{checkedWide(B.CreateNSWAdd(acc[0], v.num), k.scale).num}};
        return Step{Vs{decAdd(acc[0], v.num)}};
      case AggKind::Count: return Step{Vs{B.CreateAdd(acc[0], fromBool(truth(v.num)))}};
      // acc is still true (All) / false (Any) unless a caller ignored `stop`.
      case AggKind::All: {
        llvm::Value *t = truth(v.num);
        return Step{Vs{B.CreateAnd(acc[0], t)}, B.CreateNot(t)};
      }
      case AggKind::Any: {
        llvm::Value *t = truth(v.num);
        return Step{Vs{B.CreateOr(acc[0], t)}, t};
      }
    }
    fail("unknown aggregate kind");
  }

  // The aggregate's value from its accumulators after the last element.
  V finishAgg(const AggShape &k, const Vs &acc, llvm::Value *n) {
    llvm::Value *empty = B.CreateICmpSLE(n, c64(0));
    switch (k.kind) {
      case AggKind::Max:
      case AggKind::Min: return selectV(empty, V{c64(0)}, unpackAcc(k, acc));
      case AggKind::Sum: return unpackAcc(k, acc);
      case AggKind::Average: {
        // Empty: the sum is 0 and 0 / 10^6 = 0 without an error.
        llvm::Value *count = B.CreateSelect(empty, c64(1), n);
        return ratOp(Op::Div, toFraction(unpackAcc(k, acc)), V{B.CreateMul(count, c64(kOne))});
      }
      case AggKind::Count: return {B.CreateMul(acc[0], c64(kOne))};
      case AggKind::All:
      case AggKind::Any: return {fromBool(acc[0])};
    }
    fail("unknown aggregate kind");
  }

  AggShape shapeOf(const Expr &e) {
    return {static_cast<AggKind>(e.imm), isFraction(e.a), scaleOfLevel(levelOf(e.a))};
  }

  // All / Any stop at the first element that decides them (later bodies are
  // not evaluated, so their errors are not recorded), like the interpreter.
  V genListAgg(const Expr &e) {
    auto [lo, hi] = listBounds(e.index);
    AggShape k = shapeOf(e);
    static const char *names[] = {"max", "min", "avg", "sum", "count", "all", "any"};
    Vs r = genLoop(e.index, e.a, lo, hi, initAgg(k),
                   [&](const Vs &acc, const V &v, llvm::Value *) { return stepAgg(k, acc, v); },
                   names[e.imm]);
    return finishAgg(k, r, B.CreateSub(hi, lo, "n"));
  }

  // ---------------------------------------------------------------- fused aggregates
  //
  // 分组最高 becomes one 最好 per group (新疆 集体: fifteen loops over the same
  // list per record), and checks read the same list again. Aggregates that
  // cannot fail and read nothing that changes during a record are computed
  // together, one loop per list, when the record starts: where they are made
  // is then invisible (same values, no errors to order), and each list is
  // walked once instead of once per aggregate.

  // Whether `id` (inside the body of a list `listId` aggregate) is an
  // infallible decimal function of the element, the record's columns,
  // parameters and constants.
  bool pureBody(ExprId id, int listId) {
    const Expr &e = expr(id);
    if (levelOf(id) > kDecDigits) return false;
    switch (e.op) {
      case Op::Const: case Op::Param: case Op::Column: return true;
      case Op::Elem: return P.desc.columns[static_cast<size_t>(e.index)].listId == listId;
      case Op::Cmp: case Op::And: case Op::Or: case Op::Not: case Op::Select: case Op::Min: case Op::Max: {
        const ExprId args[3] = {e.a, e.b, e.c};
        for (int k = 0; k < arity(e.op); ++k)
          if (!pureBody(args[k], listId)) return false;
        return true;
      }
      default: return false;
    }
  }

  bool fusable(ExprId id) {
    const Expr &e = expr(id);
    if (e.op != Op::ListAgg || !opts.inlineDecimal) return false;
    auto kind = static_cast<AggKind>(e.imm);
    bool infallibleAcc = kind == AggKind::Max || kind == AggKind::Min || kind == AggKind::Count ||
                         kind == AggKind::All || kind == AggKind::Any;
    return infallibleAcc && pureBody(e.a, e.index);
  }

  // The value of a condition made of constants only (a reading's choice), as
  // genSelect will fold it.
  std::optional<bool> constantTruth(ExprId id) {
    const Expr &e = expr(id);
    switch (e.op) {
      case Op::Const: return e.imm != 0;
      case Op::Not: {
        auto a = constantTruth(e.a);
        return a ? std::optional<bool>(!*a) : std::nullopt;
      }
      case Op::And: case Op::Or: {
        auto a = constantTruth(e.a), b = constantTruth(e.b);
        if (!a || !b) return std::nullopt;
        return e.op == Op::And ? (*a && *b) : (*a || *b);
      }
      case Op::Cmp: {
        const Expr &x = expr(e.a), &y = expr(e.b);
        if (x.op != Op::Const || y.op != Op::Const) return std::nullopt;
        int c = x.imm < y.imm ? -1 : x.imm > y.imm ? 1 : 0;
        switch (e.cmp) {
          case CmpKind::Ge: return c >= 0;
          case CmpKind::Gt: return c > 0;
          case CmpKind::Le: return c <= 0;
          case CmpKind::Lt: return c < 0;
          case CmpKind::Eq: return c == 0;
          case CmpKind::Ne: return c != 0;
        }
        return std::nullopt;
      }
      default: return std::nullopt;
    }
  }

  // The fusable aggregates the chunk's assignments may evaluate (arms of a
  // Select on a constant condition that are never taken left out), by list.
  std::map<int, std::vector<ExprId>> fusableByList(const std::vector<const ir::Assignment *> &list) {
    std::vector<char> seen(P.exprs.size(), 0);
    std::map<int, std::vector<ExprId>> out;
    std::vector<ExprId> todo;
    for (const ir::Assignment *a : list) todo.push_back(a->value);
    while (!todo.empty()) {
      ExprId id = canon[static_cast<size_t>(todo.back())];
      todo.pop_back();
      if (seen[static_cast<size_t>(id)]) continue;
      seen[static_cast<size_t>(id)] = 1;
      const Expr &e = expr(id);
      if (fusable(id)) out[e.index].push_back(id);
      if (e.op == Op::Select)
        if (auto t = constantTruth(e.a)) {
          todo.push_back(*t ? e.b : e.c);
          continue;
        }
      const ExprId args[3] = {e.a, e.b, e.c};
      for (int k = 0; k < arity(e.op); ++k) todo.push_back(args[k]);
    }
    return out;
  }

  // At the start of a record (record scope): one loop per list with two or
  // more fusable aggregates, computing them all; their values are cached.
  void genFusedAggregates(const std::map<int, std::vector<ExprId>> &groups) {
    for (const auto &[listId, members] : groups) {
      if (members.size() < 2) continue;
      auto [lo, hi] = listBounds(listId);
      std::vector<AggShape> shapes;
      Vs inits;
      for (ExprId id : members) {
        shapes.push_back(shapeOf(expr(id)));
        Vs in = initAgg(shapes.back());
        inits.insert(inits.end(), in.begin(), in.end());
      }
      Vs r = genElementLoop(listId, lo, hi, inits, [&](const Vs &acc, llvm::Value *) {
        Vs next;
        size_t at = 0;
        for (size_t m = 0; m < members.size(); ++m) {
          size_t width = shapes[m].frac ? 2 : 1;
          Vs mine(acc.begin() + static_cast<std::ptrdiff_t>(at), acc.begin() + static_cast<std::ptrdiff_t>(at + width));
          Step st = stepAgg(shapes[m], mine, eval(expr(members[m]).a));  // All / Any: no early stop
          next.insert(next.end(), st.next.begin(), st.next.end());
          at += width;
        }
        return Step{next};
      }, "fused");
      llvm::Value *n = B.CreateSub(hi, lo, "n");
      size_t at = 0;
      for (size_t m = 0; m < members.size(); ++m) {
        size_t width = shapes[m].frac ? 2 : 1;
        Vs mine(r.begin() + static_cast<std::ptrdiff_t>(at), r.begin() + static_cast<std::ptrdiff_t>(at + width));
        scopes.back().vals[members[m]] = coerce(finishAgg(shapes[m], mine, n), levelOf(members[m]));
        fusedThisRecord.push_back(members[m]);
        at += width;
      }
    }
  }

  // A per-site stack array in the entry block.
  llvm::AllocaInst *stackArray(const std::string &name, llvm::Type *elem = nullptr) {
    llvm::IRBuilder<> eb(entry, entry->begin());
    return eb.CreateAlloca(llvm::ArrayType::get(elem ? elem : i64, kTopAvgStackElems), nullptr, name);
  }

  // A buffer of n elements of `bytes` each: the site's stack array, or malloc
  // when n is larger. Returns {buffer, is-on-the-heap}.
  std::pair<llvm::Value *, llvm::Value *> topAvgBuffer(llvm::AllocaInst *stack, llvm::Value *n, int bytes) {
    llvm::Value *big = B.CreateICmpSGT(n, c64(kTopAvgStackElems));
    llvm::BasicBlock *heapBB = llvm::BasicBlock::Create(C, "top.heap", F);
    llvm::BasicBlock *haveBB = llvm::BasicBlock::Create(C, "top.buf", F);
    llvm::BasicBlock *from = B.GetInsertBlock();
    B.CreateCondBr(big, heapBB, haveBB, unlikely);
    B.SetInsertPoint(heapBB);
    llvm::Value *heap = B.CreateCall(fnMalloc, {B.CreateMul(n, c64(bytes))});
    B.CreateBr(haveBB);
    B.SetInsertPoint(haveBB);
    llvm::PHINode *buf = B.CreatePHI(ptrTy, 2, "topbuf");
    buf->addIncoming(stack, from);
    buf->addIncoming(heap, heapBB);
    return {buf, big};
  }

  void freeIfHeap(llvm::Value *buf, llvm::Value *big) {
    llvm::BasicBlock *freeBB = llvm::BasicBlock::Create(C, "top.free", F);
    llvm::BasicBlock *doneBB = llvm::BasicBlock::Create(C, "top.done", F);
    B.CreateCondBr(big, freeBB, doneBB, unlikely);
    B.SetInsertPoint(freeBB);
    B.CreateCall(fnFree, {buf});
    B.CreateBr(doneBB);
    B.SetInsertPoint(doneBB);
  }

  // A top average of a wide body: the i128 values go to one buffer and
  // rb_kernel_top_average_wide sorts and sums them without a gcd per element
  // (same result and errors as rb_kernel_top_average on their fractions).
  V genTopAvgWide(ExprId id, const Expr &e, int scale) {
    auto [lo, hi] = listBounds(e.index);
    llvm::Value *n = B.CreateSub(hi, lo, "n");
    auto &stack = topAvgBuf[id];
    if (!stack) stack = stackArray("topw" + std::to_string(id), i128);
    auto [buf, big] = topAvgBuffer(stack, n, 16);
    genLoop(e.index, e.a, lo, hi, {},
            [&](const std::vector<llvm::Value *> &, const V &body, llvm::Value *j) {
              B.CreateStore(widen(body, scale).num, B.CreateInBoundsGEP(i128, buf, B.CreateSub(j, lo)));
              return Step{};
            }, "topw");
    B.CreateStore(c32(0), scratchErr);
    llvm::CallInst *call = B.CreateCall(
        fnTopAvgWide, {buf, n, c32(scale), c64(e.imm), c64(e.imm2), ratDen, scratchErr});
    call->setDoesNotThrow();
    noteErrorCode(B.CreateLoad(i32, scratchErr));
    V result{call, B.CreateLoad(i64, ratDen)};
    freeIfHeap(buf, big);
    return result;
  }

  // Body values (and, for a fraction body, denominators) go to buffers (per-site
  // stack arrays, or malloc for long lists); rb_kernel_top_average sorts them
  // and averages the top ones exactly.
  V genTopAvg(ExprId id, const Expr &e) {
    if (int scale = scaleOfLevel(levelOf(e.a)); scale && opts.inlineDecimal) return genTopAvgWide(id, e, scale);
    auto [lo, hi] = listBounds(e.index);
    llvm::Value *n = B.CreateSub(hi, lo, "n");
    const bool frac = levelOf(e.a) > kDecDigits;  // fractions (and wide values without inlineDecimal) go as {num, den}
    // One buffer: nums, then (for fractions) dens, at [kTopAvgStackElems] on
    // the stack or at [n] in a heap block.
    auto &stack = topAvgBuf[id];
    if (!stack) stack = stackArray("top" + std::to_string(id), frac ? i128 : nullptr);
    auto [buf, big] = topAvgBuffer(stack, n, frac ? 16 : 8);
    llvm::Value *denBuf = llvm::ConstantPointerNull::get(ptrTy);
    if (frac) denBuf = B.CreateInBoundsGEP(i64, buf, B.CreateSelect(big, n, c64(kTopAvgStackElems)));

    genLoop(e.index, e.a, lo, hi, {},
            [&](const std::vector<llvm::Value *> &, const V &body, llvm::Value *j) {
              V v = toFraction(body);
              llvm::Value *at = B.CreateSub(j, lo);
              B.CreateStore(v.num, B.CreateInBoundsGEP(i64, buf, at));
              if (frac) B.CreateStore(denOf(v), B.CreateInBoundsGEP(i64, denBuf, at));
              return Step{};
            }, "top");
    B.CreateStore(c32(0), scratchErr);
    llvm::CallInst *call = B.CreateCall(fnTopAvg, {buf, denBuf, n, c64(e.imm), c64(e.imm2), ratDen, scratchErr});
    call->setDoesNotThrow();
    noteErrorCode(B.CreateLoad(i32, scratchErr));
    V result{call, B.CreateLoad(i64, ratDen)};
    freeIfHeap(buf, big);
    return result;
  }

  // A group aggregate: inline (genGroupAggInline) where it applies, else the
  // call to rb_kernel_group_aggregate (genGroupAggCall).
  V genGroupAgg(ExprId id, const Expr &e) {
    if (groupAggInlines(e)) return genGroupAggInline(id, e);
    return genGroupAggCall(id, e);
  }

  // Each element's value (as a fraction) and key go to a buffer of four
  // arrays (nums, dens, keys, scratch counts: per-site stack room, or malloc
  // for long lists); rb_kernel_group_aggregate merges the groups and combines
  // them, as the interpreter does with the same function.
  V genGroupAggCall(ExprId id, const Expr &e) {
    auto [lo, hi] = listBounds(e.index);
    llvm::Value *n = B.CreateSub(hi, lo, "n");
    auto &stack = topAvgBuf[id];
    if (!stack) stack = stackArray("group" + std::to_string(id), llvm::ArrayType::get(i64, 4));
    auto [buf, big] = topAvgBuffer(stack, n, 32);
    llvm::Value *cap = B.CreateSelect(big, n, c64(kTopAvgStackElems));
    llvm::Value *dens = B.CreateInBoundsGEP(i64, buf, cap);
    llvm::Value *keys = B.CreateInBoundsGEP(i64, dens, cap);
    llvm::Value *counts = B.CreateInBoundsGEP(i64, keys, cap);
    genElementLoop(e.index, lo, hi, {}, [&](const std::vector<llvm::Value *> &, llvm::Value *j) {
      V v = toFraction(eval(e.a));
      llvm::Value *at = B.CreateSub(j, lo);
      B.CreateStore(v.num, B.CreateInBoundsGEP(i64, buf, at));
      B.CreateStore(denOf(v), B.CreateInBoundsGEP(i64, dens, at));
      B.CreateStore(eval(e.b).num, B.CreateInBoundsGEP(i64, keys, at));
      return Step{};
    }, "group");
    B.CreateStore(c32(0), scratchErr);
    llvm::CallInst *call = B.CreateCall(
        fnGroupAgg, {buf, dens, keys, counts, n, c32(ir::groupInner(e.imm2)), c32(ir::groupOuter(e.imm2)),
                     c64(e.imm), c64(ir::groupPercent(e.imm2)), ratDen, scratchErr});
    call->setDoesNotThrow();
    noteErrorCode(B.CreateLoad(i32, scratchErr));
    V result{call, B.CreateLoad(i64, ratDen)};
    freeIfHeap(buf, big);
    return result;
  }

  // ---------------------------------------------------------------- grouped aggregates inline
  //
  // 前50%平均(人员 按 姓名: 平均(成绩)) without rb_kernel_group_aggregate's
  // fractions and 128-bit gcds. For a list of at most kTopAvgStackElems
  // elements and a decimal or wide body (or any body when only its truth
  // counts: 计数, 全部, 任一), each element finds its group by comparing keys —
  // the same int64 equality as merge_groups (the loader stores the index of
  // the first equal trimmed text) — and merges into the group's accumulator,
  // an int64 count of 10^-s raw units (s the body's scale). Group h's value is
  // N_h / c_h in those units: its sum over its element count for 平均, else
  // over 1. The outer aggregate works on these integers (cross products for
  // order, one common denominator for sums) and ends in one exact division,
  // so the result is the helper's reduced fraction. Where the helper could
  // meet an overflow (a value or a running sum past int64, a common
  // denominator too large) the code leaves for the call path, which evaluates
  // the bodies again in the same order (their errors, the first one kept, are
  // those already noted) and lets the helper decide value and error.

  static AggKind groupInnerKind(const Expr &e) { return static_cast<AggKind>(ir::groupInner(e.imm2)); }
  static bool truthMerge(AggKind k) { return k == AggKind::Count || k == AggKind::All || k == AggKind::Any; }
  static bool isOne(llvm::Value *v) {
    auto *c = llvm::dyn_cast<llvm::ConstantInt>(v);
    return c && c->isOne();
  }

  bool groupAggInlines(const Expr &e) {
    return opts.inlineDecimal && (truthMerge(groupInnerKind(e)) || !isFraction(e.a));
  }

  // The scale of the groups' integers: the body's, or 0 for a count or a truth.
  int groupScale(const Expr &e) { return truthMerge(groupInnerKind(e)) ? 0 : scaleOfLevel(levelOf(e.a)); }

  // Per-site stack arrays of the inline form: group keys, accumulators, element counts.
  struct GroupArrays {
    llvm::Value *keys, *acc, *count;
  };
  GroupArrays groupArrays(ExprId id) {
    auto &a = groupBufs[id];
    if (!a[0])
      for (size_t k = 0; k < a.size(); ++k) a[k] = stackArray("grp" + std::to_string(id) + "." + std::to_string(k));
    return {a[0], a[1], a[2]};
  }
  llvm::Value *at(llvm::Value *array, llvm::Value *i) { return B.CreateInBoundsGEP(i64, array, i); }

  // Continues only when `cond` does not hold; else to `slow` (the call path).
  void bailIf(llvm::Value *cond, llvm::BasicBlock *slow) {
    llvm::BasicBlock *cont = llvm::BasicBlock::Create(C, "gagg.ok", F);
    B.CreateCondBr(cond, slow, cont, unlikely);
    B.SetInsertPoint(cont);
  }

  V genGroupAggInline(ExprId id, const Expr &e) {
    auto [lo, hi] = listBounds(e.index);
    GroupArrays arr = groupArrays(id);
    llvm::BasicBlock *slow = llvm::BasicBlock::Create(C, "gagg.slow", F);
    llvm::BasicBlock *join = llvm::BasicBlock::Create(C, "gagg.join", F);
    bailIf(B.CreateICmpSGT(B.CreateSub(hi, lo), c64(kTopAvgStackElems)), slow);
    llvm::Value *groups = mergeGroupsInline(e, lo, hi, arr, slow);
    V fast = outerInline(e, groups, arr, slow);
    llvm::BasicBlock *fastEnd = B.GetInsertBlock();
    B.CreateBr(join);
    B.SetInsertPoint(slow);
    V called = genGroupAggCall(id, e);
    llvm::BasicBlock *slowEnd = B.GetInsertBlock();
    B.CreateBr(join);
    B.SetInsertPoint(join);
    return joinFraction(fast, fastEnd, called, slowEnd, "gagg");
  }

  // The element pass: each element joins the first group with its key (a new
  // group when there is none), whose accumulator takes the element's value as
  // agg_start / agg_step do. Returns the number of groups.
  llvm::Value *mergeGroupsInline(const Expr &e, llvm::Value *lo, llvm::Value *hi, const GroupArrays &arr,
                                 llvm::BasicBlock *slow) {
    AggKind inner = groupInnerKind(e);
    Vs r = genElementLoop(e.index, lo, hi, {c64(0)}, [&](const Vs &acc, llvm::Value *) {
      llvm::Value *groups = acc[0];
      V v = eval(e.a);  // the body before the key, as the call path evaluates them
      llvm::Value *key = eval(e.b).num;
      llvm::Value *x = truthMerge(inner) ? fromBool(truth(v.num)) : narrowed(v, slow);
      llvm::Value *h = findGroup(arr.keys, groups, key);
      llvm::Value *fresh = B.CreateICmpEQ(h, groups);
      // A fresh group's slots hold nothing yet: what is read there is never chosen.
      llvm::Value *old = B.CreateFreeze(B.CreateLoad(i64, at(arr.acc, h)));
      llvm::Value *merged = mergeStep(inner, fresh, old, x, slow);
      B.CreateStore(key, at(arr.keys, h));
      B.CreateStore(merged, at(arr.acc, h));
      if (inner == AggKind::Average) {
        llvm::Value *count = B.CreateFreeze(B.CreateLoad(i64, at(arr.count, h)));
        B.CreateStore(B.CreateSelect(fresh, c64(1), B.CreateAdd(count, c64(1))), at(arr.count, h));
      }
      return Step{{B.CreateSelect(fresh, B.CreateAdd(groups, c64(1)), groups)}};
    }, "gagg");
    return r[0];
  }

  // A decimal or wide value as an int64 count of 10^-scale raw units (the
  // slow path when it does not fit).
  llvm::Value *narrowed(const V &v, llvm::BasicBlock *slow) {
    if (!v.scale) return v.num;
    bailIf(B.CreateNot(fitsI64(v.num)), slow);
    return B.CreateTrunc(v.num, i64);
  }

  // The index of the first of the `groups` keys equal to `key`, or `groups`.
  llvm::Value *findGroup(llvm::Value *keys, llvm::Value *groups, llvm::Value *key) {
    llvm::BasicBlock *from = B.GetInsertBlock();
    llvm::BasicBlock *head = llvm::BasicBlock::Create(C, "gagg.find", F);
    llvm::BasicBlock *test = llvm::BasicBlock::Create(C, "gagg.key", F);
    llvm::BasicBlock *found = llvm::BasicBlock::Create(C, "gagg.found", F);
    B.CreateBr(head);
    B.SetInsertPoint(head);
    llvm::PHINode *h = B.CreatePHI(i64, 2, "h");
    h->addIncoming(c64(0), from);
    B.CreateCondBr(B.CreateICmpEQ(h, groups), found, test);
    B.SetInsertPoint(test);
    llvm::Value *same = B.CreateICmpEQ(B.CreateLoad(i64, at(keys, h)), key);
    h->addIncoming(B.CreateAdd(h, c64(1)), test);
    B.CreateCondBr(same, found, head);
    B.SetInsertPoint(found);
    return h;
  }

  // agg_start (a fresh group) or agg_step of kernel_helpers.c on integers;
  // a running sum past int64 leaves for the helper (rb_rat_add decides).
  llvm::Value *mergeStep(AggKind k, llvm::Value *fresh, llvm::Value *old, llvm::Value *x, llvm::BasicBlock *slow) {
    switch (k) {
      case AggKind::Max: return B.CreateSelect(B.CreateOr(fresh, B.CreateICmpSGT(x, old)), x, old);
      case AggKind::Min: return B.CreateSelect(B.CreateOr(fresh, B.CreateICmpSLT(x, old)), x, old);
      case AggKind::Sum:
      case AggKind::Average: {
        auto [sum, o] = withOverflow(llvm::Intrinsic::sadd_with_overflow, old, x);
        bailIf(B.CreateAnd(B.CreateNot(fresh), o), slow);
        return B.CreateSelect(fresh, x, sum);
      }
      case AggKind::Count: return B.CreateAdd(B.CreateSelect(fresh, c64(0), old), x);
      case AggKind::All: return B.CreateSelect(fresh, x, B.CreateAnd(old, x));
      case AggKind::Any: return B.CreateSelect(fresh, x, B.CreateOr(old, x));
    }
    fail("unknown aggregate kind");
  }

  // Group h's value N_h / c_h (10^-groupScale raw units).
  struct GroupValue {
    llvm::Value *num, *den;
  };
  GroupValue groupValue(const Expr &e, const GroupArrays &arr, llvm::Value *h) {
    AggKind inner = groupInnerKind(e);
    llvm::Value *n = B.CreateLoad(i64, at(arr.acc, h));
    if (inner == AggKind::Count) n = B.CreateMul(n, c64(kOne));  // a count of at most 64 elements
    return {n, inner == AggKind::Average ? B.CreateLoad(i64, at(arr.count, h)) : c64(1)};
  }

  // a > b for group values (c ≤ 64, so the cross products fit in 128 bits).
  llvm::Value *groupGreater(GroupValue a, GroupValue b) {
    if (isOne(a.den) && isOne(b.den)) return B.CreateICmpSGT(a.num, b.num);
    auto w = [&](llvm::Value *v) { return B.CreateSExt(v, i128); };
    return B.CreateICmpSGT(B.CreateNSWMul(w(a.num), w(b.den)), B.CreateNSWMul(w(b.num), w(a.den)));
  }

  V outerInline(const Expr &e, llvm::Value *groups, const GroupArrays &arr, llvm::BasicBlock *slow) {
    int32_t outer = ir::groupOuter(e.imm2);
    if (outer == ir::kGroupOuterTop || outer == static_cast<int32_t>(AggKind::Sum) ||
        outer == static_cast<int32_t>(AggKind::Average))
      return sumOfGroups(e, outer, groups, arr, slow);
    if (outer == static_cast<int32_t>(AggKind::Max) || outer == static_cast<int32_t>(AggKind::Min))
      return bestGroup(e, outer == static_cast<int32_t>(AggKind::Max), groups, arr, slow);
    // 计数 / 全部 / 任一 of the groups' truths, as a plain list's.
    AggShape k{static_cast<AggKind>(outer)};
    Vs r = genElementLoop(-1, c64(0), groups, initAgg(k), [&](const Vs &acc, llvm::Value *h) {
      return stepAgg(k, acc, V{groupValue(e, arr, h).num});
    }, "gagg.truth");
    return finishAgg(k, r, groups);
  }

  // n / (m · 10^scale) raw, reduced, for m > 0: the exact quotient of the
  // fraction by a whole number (wholeOrCall: rb_rat_div's value and error).
  V groupQuotient(llvm::Value *n, int scale, llvm::Value *m, llvm::BasicBlock *slow) {
    V x = scale ? reduceScaled(n, scale) : V{n};
    if (isOne(m)) return x;
    auto [divisor, o] = withOverflow(llvm::Intrinsic::smul_with_overflow, m, c64(kOne));
    bailIf(o, slow);
    return wholeOrCall(Op::Div, x, V{divisor}, fnRatDiv);
  }

  // 最好 / 最差 of the groups (0 without one).
  V bestGroup(const Expr &e, bool max, llvm::Value *groups, const GroupArrays &arr, llvm::BasicBlock *slow) {
    Vs r = genElementLoop(-1, c64(0), groups, {c64(0)}, [&](const Vs &acc, llvm::Value *h) {
      GroupValue v = groupValue(e, arr, h), best = groupValue(e, arr, acc[0]);
      return Step{{B.CreateSelect(max ? groupGreater(v, best) : groupGreater(best, v), h, acc[0])}};
    }, "gagg.best");
    GroupValue best = groupValue(e, arr, r[0]);
    llvm::Value *none = B.CreateICmpEQ(groups, c64(0));
    return groupQuotient(B.CreateSelect(none, c64(0), B.CreateFreeze(best.num)), groupScale(e),
                         B.CreateSelect(none, c64(1), B.CreateFreeze(best.den)), slow);
  }

  // 求和, 平均 and 前N%平均 of the groups: S = Σ N_h · (D / c_h) over the groups
  // taken, D the least common multiple of the c_h, then S / (D · q · 10^s) for
  // q = 1, the number of groups or the number taken. When Σ |N_h · D / c_h| and
  // D · 10^s fit in int64, every running sum the helper forms (in whatever
  // order it sorts) fits once reduced, so its only possible error is that of
  // the final division, which is made as it makes it.
  V sumOfGroups(const Expr &e, int32_t outer, llvm::Value *groups, const GroupArrays &arr, llvm::BasicBlock *slow) {
    int scale = groupScale(e);
    llvm::Value *lcm = groupInnerKind(e) == AggKind::Average ? commonDenominator(arr, groups, scale, slow) : c64(1);
    llvm::Value *take = outer == ir::kGroupOuterTop ? topCount(e, groups) : nullptr;
    Vs r = genElementLoop(-1, c64(0), groups, {c64(0), c64(0)}, [&](const Vs &acc, llvm::Value *h) {
      GroupValue v = groupValue(e, arr, h);
      llvm::Value *term = v.num;
      if (!isOne(lcm)) {
        auto [t, o] = withOverflow(llvm::Intrinsic::smul_with_overflow, v.num, B.CreateUDiv(lcm, v.den));
        bailIf(o, slow);
        term = t;
      }
      if (take) term = B.CreateSelect(B.CreateICmpULT(rankOf(e, arr, groups, h, v), take), term, c64(0));
      auto [size, o] = withOverflow(llvm::Intrinsic::uadd_with_overflow, acc[1], magnitude(term));
      bailIf(o, slow);
      return Step{{B.CreateAdd(acc[0], term), size}};
    }, "gagg.sum");
    bailIf(B.CreateICmpUGT(r[1], c64(INT64_MAX)), slow);  // then no running sum overflowed either
    llvm::Value *q = outer == static_cast<int32_t>(AggKind::Sum) ? c64(1)
                     : take                                      ? take
                                                                 : groups;
    q = B.CreateSelect(B.CreateICmpEQ(groups, c64(0)), c64(1), q);  // no group: 0
    if (isOne(lcm)) return groupQuotient(r[0], scale, q, slow);
    auto [m, o] = withOverflow(llvm::Intrinsic::smul_with_overflow, lcm, q);
    bailIf(o, slow);
    return groupQuotient(r[0], scale, m, slow);
  }

  // The least common multiple of the groups' element counts, with D · 10^s
  // within int64 (else the slow path).
  llvm::Value *commonDenominator(const GroupArrays &arr, llvm::Value *groups, int scale, llvm::BasicBlock *slow) {
    Vs r = genElementLoop(-1, c64(0), groups, {c64(1)}, [&](const Vs &acc, llvm::Value *h) {
      llvm::Value *c = B.CreateLoad(i64, at(arr.count, h));
      llvm::Value *g = gcdLoop(c, B.CreateURem(acc[0], c));
      auto [lcm, o] = withOverflow(llvm::Intrinsic::smul_with_overflow, B.CreateUDiv(acc[0], g), c);
      bailIf(o, slow);
      return Step{{lcm}};
    }, "gagg.lcm");
    auto [scaled, o] = withOverflow(llvm::Intrinsic::smul_with_overflow, r[0], c64(pow10(scale)));
    bailIf(o, slow);
    return r[0];
  }

  // top_count of kernel_helpers.c: how many of the groups a top average takes.
  llvm::Value *topCount(const Expr &e, llvm::Value *groups) {
    llvm::Value *k = c64(e.imm / kOne);
    if (ir::groupPercent(e.imm2)) {
      llvm::Value *scaled = B.CreateMul(B.CreateSExt(groups, i128), c128(e.imm));  // groups ≤ 64
      k = B.CreateTrunc(B.CreateSDiv(scaled, c128(100 * kOne)), i64);
    }
    k = B.CreateSelect(B.CreateICmpSLT(k, c64(1)), c64(1), k);
    return B.CreateSelect(B.CreateICmpSGT(k, groups), groups, k);
  }

  // How many groups come before group h in descending order, ties in group
  // order: the top k are those of rank < k (the helper sorts; equal values
  // give the same sum whichever of them it takes).
  llvm::Value *rankOf(const Expr &e, const GroupArrays &arr, llvm::Value *groups, llvm::Value *h, GroupValue v) {
    Vs r = genElementLoop(-1, c64(0), groups, {c64(0)}, [&](const Vs &acc, llvm::Value *m) {
      GroupValue w = groupValue(e, arr, m);
      llvm::Value *tieBefore = B.CreateAnd(B.CreateICmpULT(m, h), B.CreateNot(groupGreater(v, w)));
      return Step{{B.CreateAdd(acc[0], fromBool(B.CreateOr(groupGreater(w, v), tieBefore)))}};
    }, "gagg.rank");
    return r[0];
  }

  // ---------------------------------------------------------------- loop

  // RB_ERR_TAG_SLOT (Kernel.h): an error met by this assignment, and not by
  // an earlier one, records the slot, so the runtime can name the item.
  void tagErrorWithSlot(int slot) {
    llvm::Value *e = B.CreateLoad(i32, recErr);
    llvm::Value *untagged = B.CreateAnd(B.CreateICmpNE(e, c32(0)), B.CreateICmpULT(e, c32(256)));
    B.CreateStore(B.CreateSelect(untagged, B.CreateOr(e, c32((slot + 1) << 8)), e), recErr);
  }

  void buildRecordLoop(llvm::BasicBlock *pre, const std::vector<const ir::Assignment *> &list) {
    llvm::BasicBlock *body = llvm::BasicBlock::Create(C, pre->getName() + ".rec", F, exitBB);
    B.SetInsertPoint(pre);
    B.CreateCondBr(B.CreateICmpSLT(beginV, endV), body, exitBB);

    B.SetInsertPoint(body);
    llvm::PHINode *r = B.CreatePHI(i64, 2, "r");
    r->addIncoming(beginV, pre);
    rec = r;
    llvm::Value *errPtr = B.CreateInBoundsGEP(i32, errorsArr, r);
    B.CreateStore(B.CreateLoad(i32, errPtr), recErr);

    scopes.clear();
    scopes.emplace_back();
    slotVal.clear();
    std::fill(slotReadThisRecord.begin(), slotReadThisRecord.end(), 0);
    fusedThisRecord.clear();
    genFusedAggregates(fusableByList(list));
    bool first = true;
    for (const ir::Assignment *a : list) {
      const size_t sitesBefore = errorSites;
      V v = eval(a->value);
      const bool rational = P.desc.slots[static_cast<size_t>(a->slot)].rational;
      if (rational) v = toFraction(v);
      else if (v.scale) fail("internal: a wide value for a decimal slot");
      B.CreateStore(v.num, B.CreateInBoundsGEP(i64, slotBasePtr(a->slot), r));
      if (rational) {
        v.den = denOf(v);
        B.CreateStore(v.den, B.CreateInBoundsGEP(i64, slotDenPtr(a->slot), r));
      }
      // After the chunk's first tag, err is 0 or tagged; an assignment whose
      // code can set no error leaves it so, and its tag would be a no-op.
      if (first || errorSites != sitesBefore) tagErrorWithSlot(a->slot);
      first = false;
      if (slotReadThisRecord[static_cast<size_t>(a->slot)]) {
        // The slot was read (its previous contents) earlier in this record:
        // values computed from that read are stale from now on.
        // Fused aggregates read no slot: they stay.
        std::unordered_map<ExprId, V> keep;
        for (ExprId f : fusedThisRecord) keep[f] = scopes.back().vals.at(f);
        scopes.back().vals = std::move(keep);
        slotReadThisRecord[static_cast<size_t>(a->slot)] = 0;
      }
      slotVal[a->slot] = v;
    }

    B.CreateStore(B.CreateLoad(i32, recErr), errPtr);
    llvm::Value *rn = B.CreateAdd(r, c64(1), "r.next", true, true);
    llvm::BasicBlock *latch = B.GetInsertBlock();
    B.CreateCondBr(B.CreateICmpSLT(rn, endV), body, exitBB);
    r->addIncoming(rn, latch);
    scopes.clear();
  }
};

} // namespace

void initializeNativeTarget() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    llvm::InitializeNativeTargetAsmParser();
  });
}

// A rubric's conditions follow the records (是否, tiers, caps), which the branch
// predictor cannot learn: without this hint x86's cmov converter turns many of
// the selects into branches that mispredict on mixed data (docs/performance.md,
// "Kernel: narrower input columns (session 10)": 4,096 records, up to +44 %).
static void markSelectsUnpredictable(llvm::Module &module) {
  llvm::MDNode *hint = llvm::MDNode::get(module.getContext(), {});
  for (llvm::Function &fn : module)
    for (llvm::BasicBlock &block : fn)
      for (llvm::Instruction &inst : block)
        if (llvm::isa<llvm::SelectInst>(inst)) inst.setMetadata(llvm::LLVMContext::MD_unpredictable, hint);
}

std::unique_ptr<llvm::Module> generateKernel(const ir::Program &program, llvm::LLVMContext &context,
                                             const std::string &name, const CodeGenOptions &options) {
  const HostTarget &host = hostTarget();
  auto module = std::make_unique<llvm::Module>("rubric", context);
  module->setTargetTriple(host.triple);
  module->setDataLayout(host.dataLayout);
  KernelBuilder(program, context, *module, options).build(name);
  markSelectsUnpredictable(*module);
  return module;
}

void addProgramJson(llvm::Module &module, const std::string &programJson) {
  llvm::LLVMContext &ctx = module.getContext();
  llvm::Constant *text = llvm::ConstantDataArray::getString(ctx, programJson, /*AddNull=*/true);
  auto *gv = new llvm::GlobalVariable(module, text->getType(), /*isConstant=*/true,
                                      llvm::GlobalValue::ExternalLinkage, text, "rubric_program_json");
  gv->setAlignment(llvm::Align(1));
  auto *i64 = llvm::Type::getInt64Ty(ctx);
  new llvm::GlobalVariable(module, i64, true, llvm::GlobalValue::ExternalLinkage,
                           llvm::ConstantInt::get(i64, programJson.size()), "rubric_program_json_size");
}

void addImportKernelTable(llvm::Module &module, const std::vector<std::string> &kernelNames) {
  llvm::LLVMContext &ctx = module.getContext();
  auto *ptrTy = llvm::PointerType::getUnqual(ctx);
  auto *fnTy = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx),
                                       {ptrTy, llvm::Type::getInt64Ty(ctx), llvm::Type::getInt64Ty(ctx),
                                        llvm::Type::getInt32Ty(ctx)},
                                       false);
  std::vector<llvm::Constant *> entries;
  for (const auto &name : kernelNames)
    entries.push_back(llvm::cast<llvm::Constant>(module.getOrInsertFunction(name, fnTy).getCallee()));
  entries.push_back(llvm::ConstantPointerNull::get(ptrTy));  // the table ends with a null entry
  auto *arrayTy = llvm::ArrayType::get(ptrTy, entries.size());
  new llvm::GlobalVariable(module, arrayTy, /*isConstant=*/true, llvm::GlobalValue::ExternalLinkage,
                           llvm::ConstantArray::get(arrayTy, entries), "rubric_import_kernels");
}

void optimize(llvm::Module &module, int level) {
  if (level <= 0) return;
  std::unique_ptr<llvm::TargetMachine> tm = makeHostMachine(llvm::CodeGenOptLevel::Default);
  optimize(module, level, tm.get());
}

void optimize(llvm::Module &module, int level, llvm::TargetMachine *tm) {
  if (level <= 0) return;  // the O0 pipeline only runs always-inline: nothing to do here
  llvm::OptimizationLevel ol = level == 1 ? llvm::OptimizationLevel::O1
                               : level == 2 ? llvm::OptimizationLevel::O2
                                            : llvm::OptimizationLevel::O3;
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb(tm);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::ModulePassManager mpm = pb.buildPerModuleDefaultPipeline(ol);
  mpm.run(module, mam);
}

std::string emitLlvmText(const llvm::Module &module) {
  std::string text;
  llvm::raw_string_ostream os(text);
  module.print(os, nullptr);
  os.flush();
  return text;
}

bool emitObjectFile(llvm::Module &module, const std::string &path, std::string *error, int optLevel) {
  auto setError = [&](const std::string &msg) {
    if (error) *error = msg;
    return false;
  };
  std::unique_ptr<llvm::TargetMachine> tm;
  try {
    tm = makeHostMachine(optLevel <= 0 ? llvm::CodeGenOptLevel::None : llvm::CodeGenOptLevel::Default);
  } catch (const std::exception &ex) {
    return setError(ex.what());
  }
  if (module.getTargetTriple().empty()) module.setTargetTriple(tm->getTargetTriple().str());
  if (module.getDataLayout().isDefault()) module.setDataLayout(tm->createDataLayout());

  std::error_code ec;
  llvm::raw_fd_ostream out(path, ec, llvm::sys::fs::OF_None);
  if (ec) return setError("cannot open " + path + ": " + ec.message());
  llvm::legacy::PassManager pm;
  if (tm->addPassesToEmitFile(pm, out, nullptr, llvm::CodeGenFileType::ObjectFile))
    return setError("the target cannot emit an object file");
  pm.run(module);
  out.flush();
  if (out.has_error()) {
    std::string msg = "error writing " + path + ": " + out.error().message();
    out.clear_error();
    return setError(msg);
  }
  return true;
}

} // namespace rubric::codegen
