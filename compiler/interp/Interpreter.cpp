#include "interp/Interpreter.h"

#include <algorithm>
#include <functional>

#include "rubric_decimal.h"

namespace rubric::interp {
namespace {

struct Evaluator {
  const ir::Program &p;
  const rb_frame *f;
  int64_t r;
  int32_t *err;

  void noteError(int32_t code) {
    if (*err == 0) *err = code;
  }
  // The decimal ops leave *e untouched on success; fold their codes into the record's.
  template <typename Fn> int64_t dec(Fn fn) {
    int32_t e = 0;
    int64_t v = fn(&e);
    if (e) noteError(e);
    return v;
  }

  std::pair<int64_t, int64_t> elements(int listId) {
    const int64_t *offsets = f->cols[p.desc.lists[listId].offsetsColumn];
    return {offsets[r], offsets[r + 1]};
  }

  int64_t eval(ir::ExprId id, int64_t elem) {
    const ir::Expr &e = p.exprs[id];
    using ir::Op;
    switch (e.op) {
    case Op::Const: return e.imm;
    case Op::Column: return f->cols[e.index][r];
    case Op::Param: return f->params[e.index];
    case Op::Slot: return f->slots[e.index][r];
    case Op::Elem: return f->cols[e.index][elem];
    case Op::Add: { int64_t a = eval(e.a, elem), b = eval(e.b, elem); return dec([&](int32_t *x) { return rb_dec_add(a, b, x); }); }
    case Op::Sub: { int64_t a = eval(e.a, elem), b = eval(e.b, elem); return dec([&](int32_t *x) { return rb_dec_sub(a, b, x); }); }
    case Op::Mul: { int64_t a = eval(e.a, elem), b = eval(e.b, elem); return dec([&](int32_t *x) { return rb_dec_mul(a, b, x); }); }
    case Op::Div: { int64_t a = eval(e.a, elem), b = eval(e.b, elem); return dec([&](int32_t *x) { return rb_dec_div(a, b, x); }); }
    case Op::Neg: { int64_t a = eval(e.a, elem); return dec([&](int32_t *x) { return rb_dec_neg(a, x); }); }
    case Op::Min: { int64_t a = eval(e.a, elem), b = eval(e.b, elem); return rb_dec_min(a, b); }
    case Op::Max: { int64_t a = eval(e.a, elem), b = eval(e.b, elem); return rb_dec_max(a, b); }
    case Op::Round: { int64_t a = eval(e.a, elem); return dec([&](int32_t *x) { return rb_dec_round(a, static_cast<int32_t>(e.imm), x); }); }
    case Op::Floor: { int64_t a = eval(e.a, elem); return dec([&](int32_t *x) { return rb_dec_floor(a, static_cast<int32_t>(e.imm), x); }); }
    case Op::Ceil: { int64_t a = eval(e.a, elem); return dec([&](int32_t *x) { return rb_dec_ceil(a, static_cast<int32_t>(e.imm), x); }); }
    case Op::Cmp: {
      int64_t a = eval(e.a, elem), b = eval(e.b, elem);
      switch (e.cmp) {
      case ir::CmpKind::Ge: return a >= b;
      case ir::CmpKind::Gt: return a > b;
      case ir::CmpKind::Le: return a <= b;
      case ir::CmpKind::Lt: return a < b;
      case ir::CmpKind::Eq: return a == b;
      case ir::CmpKind::Ne: return a != b;
      }
      return 0;
    }
    case Op::And: { int64_t a = eval(e.a, elem), b = eval(e.b, elem); return (a != 0) && (b != 0); }
    case Op::Or: { int64_t a = eval(e.a, elem), b = eval(e.b, elem); return (a != 0) || (b != 0); }
    case Op::Not: return eval(e.a, elem) == 0;
    case Op::Select: return eval(e.a, elem) != 0 ? eval(e.b, elem) : eval(e.c, elem);
    case Op::ListLen: {
      auto [b, en] = elements(e.index);
      return (en - b) * RB_DEC_ONE;
    }
    case Op::ListAgg: return listAgg(e);
    case Op::TopAvg: {
      auto [b, en] = elements(e.index);
      std::vector<int64_t> values;
      for (int64_t j = b; j < en; ++j) values.push_back(eval(e.a, j));
      return topAverage(std::move(values), e.imm, e.imm2 != 0, err);
    }
    }
    return 0;
  }

  int64_t listAgg(const ir::Expr &e) {
    auto [b, en] = elements(e.index);
    auto kind = static_cast<ir::AggKind>(e.imm);
    int64_t n = en - b;
    switch (kind) {
    case ir::AggKind::Max:
    case ir::AggKind::Min: {
      if (n == 0) return 0;
      int64_t acc = eval(e.a, b);
      for (int64_t j = b + 1; j < en; ++j) {
        int64_t v = eval(e.a, j);
        acc = kind == ir::AggKind::Max ? rb_dec_max(acc, v) : rb_dec_min(acc, v);
      }
      return acc;
    }
    case ir::AggKind::Sum:
    case ir::AggKind::Average: {
      int64_t acc = 0;
      for (int64_t j = b; j < en; ++j) {
        int64_t v = eval(e.a, j);
        acc = dec([&](int32_t *x) { return rb_dec_add(acc, v, x); });
      }
      if (kind == ir::AggKind::Sum) return acc;
      if (n == 0) return 0;
      return dec([&](int32_t *x) { return rb_dec_div(acc, n * RB_DEC_ONE, x); });
    }
    case ir::AggKind::Count: {
      int64_t c = 0;
      for (int64_t j = b; j < en; ++j) c += eval(e.a, j) != 0;
      return c * RB_DEC_ONE;
    }
    case ir::AggKind::All:
      for (int64_t j = b; j < en; ++j)
        if (eval(e.a, j) == 0) return 0;
      return 1;
    case ir::AggKind::Any:
      for (int64_t j = b; j < en; ++j)
        if (eval(e.a, j) != 0) return 1;
      return 0;
    }
    return 0;
  }
};

thread_local const ir::Program *boundProgram = nullptr;

void boundKernel(const rb_frame *frame, int64_t begin, int64_t end, int32_t phase) {
  runKernel(*boundProgram, frame, begin, end, phase);
}

} // namespace

int64_t topAverage(std::vector<int64_t> values, int64_t fraction, bool percent, int32_t *error) {
  int64_t n = static_cast<int64_t>(values.size());
  if (n == 0) return 0;
  int64_t k;
  if (percent) {
    // floor(n × p / 100): "排名前50%" of 5 people is ranks 1–2.
    __int128 scaled = static_cast<__int128>(n) * fraction / (100 * static_cast<__int128>(RB_DEC_ONE));
    k = static_cast<int64_t>(scaled);
  } else {
    k = fraction / RB_DEC_ONE;
  }
  k = std::clamp<int64_t>(k, 1, n);
  std::sort(values.begin(), values.end(), [](int64_t a, int64_t b) { return a > b; });
  int64_t sum = 0;
  int32_t e = 0;
  for (int64_t i = 0; i < k; ++i) sum = rb_dec_add(sum, values[i], &e);
  int64_t avg = rb_dec_div(sum, k * RB_DEC_ONE, &e);
  if (e && *error == 0) *error = e;
  return avg;
}

int64_t evaluate(const ir::Program &program, const rb_frame *frame, int64_t record, ir::ExprId expr, int32_t *error) {
  Evaluator ev{program, frame, record, error};
  return ev.eval(expr, -1);
}

void runKernel(const ir::Program &program, const rb_frame *frame, int64_t begin, int64_t end, int32_t phase) {
  for (int64_t r = begin; r < end; ++r) {
    Evaluator ev{program, frame, r, &frame->errors[r]};
    for (const auto &a : program.assignments) {
      if (a.phase != phase) continue;
      frame->slots[a.slot][r] = ev.eval(a.value, -1);
      frame->errors[r] = RB_ERR_TAG_SLOT(frame->errors[r], a.slot);  // which item failed
    }
  }
}

rb_kernel_fn bindKernel(const ir::Program &program) {
  boundProgram = &program;
  return &boundKernel;
}

} // namespace rubric::interp
