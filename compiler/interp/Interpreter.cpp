#include "interp/Interpreter.h"

#include <algorithm>
#include <array>
#include <utility>
#include <functional>

#include "kernel_helpers.h"
#include "rubric_decimal.h"

namespace rubric::interp {
namespace {

using Q = Rational;

// Every value is exact: num / den in raw units (a decimal is {raw, 1}); the
// generated kernel keeps the denominator only where ir::analyzeExactness says
// one can appear, and gets the same reduced fractions.
struct Evaluator {
  const ir::Program &p;
  const rb_frame *f;
  int64_t r;
  int32_t *err;
  const int32_t *widths;            // per column: ColumnDesc::width (columnWidths)
  Recording *recording = nullptr;   // explain/test only

  void noteError(int32_t code) {
    if (*err == 0) *err = code;
  }
  // The rb_rat ops leave *e untouched on success; fold their codes into the record's.
  using RatFn = int64_t (*)(int64_t, int64_t, int64_t, int64_t, int64_t *, int32_t *);
  Q rat(RatFn fn, Q a, Q b) {
    int32_t e = 0;
    Q out;
    out.num = fn(a.num, a.den, b.num, b.den, &out.den, &e);
    if (e) noteError(e);
    return out;
  }
  using RoundFn = rb_dec (*)(int64_t, int64_t, int32_t, int32_t *);
  Q round(RoundFn fn, Q a, int64_t digits) {
    int32_t e = 0;
    rb_dec v = fn(a.num, a.den, static_cast<int32_t>(digits), &e);
    if (e) noteError(e);
    return Q::of(v);
  }
  static Q truth(bool b) { return Q::of(b ? 1 : 0); }

  std::pair<int64_t, int64_t> elements(int listId) {
    const auto *offsets = static_cast<const int64_t *>(f->cols[p.desc.lists[listId].offsetsColumn]);
    return {offsets[r], offsets[r + 1]};
  }

  int64_t cell(int column, int64_t i) const {
    return rb_column_value(f->cols[column], widths[column], i);
  }

  Q slot(int s) {
    const int64_t *dens = f->dens ? f->dens[s] : nullptr;
    return {f->slots[s][r], dens ? dens[r] : 1};
  }

  Q eval(ir::ExprId id, int64_t elem) {
    if (!recording) return compute(id, elem);
    Q v = compute(id, elem);
    recording->note(id, elem, v);
    return v;
  }

  Q compute(ir::ExprId id, int64_t elem) {
    const ir::Expr &e = p.exprs[id];
    using ir::Op;
    switch (e.op) {
    case Op::Const: return Q::of(e.imm);
    case Op::Column: return Q::of(cell(e.index, r));
    case Op::Param: return Q::of(f->params[e.index]);
    case Op::Slot: return slot(e.index);
    case Op::Elem: return Q::of(cell(e.index, elem));
    case Op::Add: { Q a = eval(e.a, elem), b = eval(e.b, elem); return rat(rb_rat_add, a, b); }
    case Op::Sub: { Q a = eval(e.a, elem), b = eval(e.b, elem); return rat(rb_rat_sub, a, b); }
    case Op::Mul: { Q a = eval(e.a, elem), b = eval(e.b, elem); return rat(rb_rat_mul, a, b); }
    case Op::Div: { Q a = eval(e.a, elem), b = eval(e.b, elem); return rat(rb_rat_div, a, b); }
    case Op::Neg: { Q a = eval(e.a, elem); return rat(rb_rat_sub, Q::of(0), a); }
    case Op::Min: { Q a = eval(e.a, elem), b = eval(e.b, elem); return b < a ? b : a; }
    case Op::Max: { Q a = eval(e.a, elem), b = eval(e.b, elem); return b > a ? b : a; }
    case Op::Round: return round(rb_rat_round, eval(e.a, elem), e.imm);
    case Op::Floor: return round(rb_rat_floor, eval(e.a, elem), e.imm);
    case Op::Ceil: return round(rb_rat_ceil, eval(e.a, elem), e.imm);
    case Op::Cmp: {
      Q a = eval(e.a, elem), b = eval(e.b, elem);  // in order: the first error wins
      int32_t c = compare(a, b);
      switch (e.cmp) {
      case ir::CmpKind::Ge: return truth(c >= 0);
      case ir::CmpKind::Gt: return truth(c > 0);
      case ir::CmpKind::Le: return truth(c <= 0);
      case ir::CmpKind::Lt: return truth(c < 0);
      case ir::CmpKind::Eq: return truth(c == 0);
      case ir::CmpKind::Ne: return truth(c != 0);
      }
      return truth(false);
    }
    case Op::And: { bool a = isTrue(e.a, elem), b = isTrue(e.b, elem); return truth(a && b); }
    case Op::Or: { bool a = isTrue(e.a, elem), b = isTrue(e.b, elem); return truth(a || b); }
    case Op::Not: return truth(!isTrue(e.a, elem));
    case Op::Select: return isTrue(e.a, elem) ? eval(e.b, elem) : eval(e.c, elem);
    case Op::ListLen: {
      auto [b, en] = elements(e.index);
      return Q::of((en - b) * RB_DEC_ONE);
    }
    case Op::ListAgg: return listAgg(e);
    case Op::TopAvg: return topAverage(e);
    case Op::GroupAgg: return groupAggregate(e);
    case Op::YearRun: return Q::of(rb_kernel_year_run(cell(e.index, r), e.imm));
    }
    return Q::of(0);
  }

  bool isTrue(ir::ExprId id, int64_t elem) { return eval(id, elem).num != 0; }

  Q topAverage(const ir::Expr &e) {
    auto [b, en] = elements(e.index);
    std::vector<int64_t> nums, dens;
    for (int64_t j = b; j < en; ++j) {
      Q v = eval(e.a, j);
      nums.push_back(v.num);
      dens.push_back(v.den);
    }
    Q out;
    out.num = rb_kernel_top_average(nums.data(), dens.data(), en - b, e.imm, e.imm2, &out.den, err);
    return out;
  }

  // Each element's value and key, in order; the groups' merge and the outer
  // aggregate are rb_kernel_group_aggregate's, as in generated code.
  Q groupAggregate(const ir::Expr &e) {
    auto [b, en] = elements(e.index);
    std::vector<int64_t> nums, dens, keys, counts(static_cast<size_t>(en - b));
    for (int64_t j = b; j < en; ++j) {
      Q v = eval(e.a, j);
      nums.push_back(v.num);
      dens.push_back(v.den);
      keys.push_back(eval(e.b, j).num);
    }
    Q out;
    out.num = rb_kernel_group_aggregate(nums.data(), dens.data(), keys.data(), counts.data(), en - b,
                                        ir::groupInner(e.imm2), ir::groupOuter(e.imm2), e.imm,
                                        ir::groupPercent(e.imm2), &out.den, err);
    return out;
  }

  Q listAgg(const ir::Expr &e) {
    auto [b, en] = elements(e.index);
    auto kind = static_cast<ir::AggKind>(e.imm);
    int64_t n = en - b;
    switch (kind) {
    case ir::AggKind::Max:
    case ir::AggKind::Min: {
      if (n == 0) return Q::of(0);
      Q acc = eval(e.a, b);
      for (int64_t j = b + 1; j < en; ++j) {
        Q v = eval(e.a, j);
        if (kind == ir::AggKind::Max ? v > acc : v < acc) acc = v;
      }
      return acc;
    }
    case ir::AggKind::Sum:
    case ir::AggKind::Average: {
      Q acc = Q::of(0);
      for (int64_t j = b; j < en; ++j) acc = rat(rb_rat_add, acc, eval(e.a, j));
      if (kind == ir::AggKind::Sum) return acc;
      if (n == 0) return Q::of(0);
      return rat(rb_rat_div, acc, Q::of(n * RB_DEC_ONE));
    }
    case ir::AggKind::Count: {
      int64_t c = 0;
      for (int64_t j = b; j < en; ++j) c += isTrue(e.a, j);
      return Q::of(c * RB_DEC_ONE);
    }
    case ir::AggKind::All:
      for (int64_t j = b; j < en; ++j)
        if (!isTrue(e.a, j)) return truth(false);
      return truth(true);
    case ir::AggKind::Any:
      for (int64_t j = b; j < en; ++j)
        if (isTrue(e.a, j)) return truth(true);
      return truth(false);
    }
    return Q::of(0);
  }

  void store(int s, Q v) {
    f->slots[s][r] = v.num;
    int64_t *dens = f->dens ? f->dens[s] : nullptr;
    if (dens) dens[r] = v.den;
    else if (v.den != 1) noteError(RB_DEC_ERR_OVERFLOW);  // no room for the fraction: never round silently
  }
};

thread_local const ir::Program *boundProgram = nullptr;

void boundKernel(const rb_frame *frame, int64_t begin, int64_t end, int32_t phase) {
  runKernel(*boundProgram, frame, begin, end, phase);
}

} // namespace

// The columns' widths side by side, gathered once per call rather than read
// from each (large) ColumnDesc at every cell.
static std::vector<int32_t> columnWidths(const ir::Program &program) {
  std::vector<int32_t> widths;
  widths.reserve(program.desc.columns.size());
  for (const auto &c : program.desc.columns) widths.push_back(c.width);
  return widths;
}

void runKernel(const ir::Program &program, const rb_frame *frame, int64_t begin, int64_t end, int32_t phase) {
  auto widths = columnWidths(program);
  for (int64_t r = begin; r < end; ++r) {
    Evaluator ev{program, frame, r, &frame->errors[r], widths.data()};
    for (const auto &a : program.assignments) {
      if (a.phase != phase) continue;
      ev.store(a.slot, ev.eval(a.value, -1));
      frame->errors[r] = RB_ERR_TAG_SLOT(frame->errors[r], a.slot);  // which item failed
    }
  }
}

const Rational *Recording::value(ir::ExprId id, int64_t elem) const {
  if (id < 0) return nullptr;
  if (elem < 0) return static_cast<size_t>(id) < seen_.size() && seen_[static_cast<size_t>(id)] ? &values_[static_cast<size_t>(id)] : nullptr;
  auto it = elements_.find({id, elem});
  return it == elements_.end() ? nullptr : &it->second;
}

void Recording::note(ir::ExprId id, int64_t elem, Rational v) {
  if (elem >= 0) {
    elements_[{id, elem}] = v;
  } else if (static_cast<size_t>(id) < seen_.size()) {
    values_[static_cast<size_t>(id)] = v;
    seen_[static_cast<size_t>(id)] = 1;
  }
}

int32_t recordEvaluation(const ir::Program &program, const rb_frame *frame, int64_t record, Recording &out) {
  int32_t error = 0;
  auto widths = columnWidths(program);
  Evaluator ev{program, frame, record, &error, widths.data(), &out};
  for (int32_t phase : {1, 2})
    for (const auto &a : program.assignments)
      if (a.phase == phase) ev.store(a.slot, ev.eval(a.value, -1));
  return error;
}

rb_kernel_fn bindKernel(const ir::Program &program) {
  ir::requireRationalSlots(program);
  boundProgram = &program;
  return &boundKernel;
}

namespace {
// One binding per import: an rb_kernel_fn is a plain function pointer, so each
// import gets its own trampoline.
thread_local const ir::Program *boundImports[kMaxBoundImports] = {};
template <size_t I>
void boundImportKernel(const rb_frame *frame, int64_t begin, int64_t end, int32_t phase) {
  runKernel(*boundImports[I], frame, begin, end, phase);
}
template <size_t... I>
constexpr std::array<rb_kernel_fn, sizeof...(I)> importTrampolines(std::index_sequence<I...>) {
  return {&boundImportKernel<I>...};
}
} // namespace

std::vector<rb_kernel_fn> bindImportKernels(const ir::Program &program) {
  static constexpr auto trampolines = importTrampolines(std::make_index_sequence<kMaxBoundImports>{});
  if (program.imports.size() > kMaxBoundImports) throw std::logic_error("too many whole-population imports");
  std::vector<rb_kernel_fn> out;
  for (size_t i = 0; i < program.imports.size(); ++i) {
    ir::requireRationalSlots(*program.imports[i].program);
    boundImports[i] = program.imports[i].program.get();
    out.push_back(trampolines[i]);
  }
  return out;
}

} // namespace rubric::interp
