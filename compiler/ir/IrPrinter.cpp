#include <fmt/format.h>

#include "ir/Ir.h"
#include "rubric_decimal.h"

namespace rubric::ir {
namespace {

const char *opName(Op op) {
  switch (op) {
  case Op::Const: return "const";
  case Op::Column: return "col";
  case Op::Param: return "param";
  case Op::Slot: return "slot";
  case Op::Elem: return "elem";
  case Op::Add: return "add";
  case Op::Sub: return "sub";
  case Op::Mul: return "mul";
  case Op::Div: return "div";
  case Op::Neg: return "neg";
  case Op::Min: return "min";
  case Op::Max: return "max";
  case Op::Round: return "round";
  case Op::Floor: return "floor";
  case Op::Ceil: return "ceil";
  case Op::Cmp: return "cmp";
  case Op::And: return "and";
  case Op::Or: return "or";
  case Op::Not: return "not";
  case Op::Select: return "select";
  case Op::ListAgg: return "listagg";
  case Op::TopAvg: return "topavg";
  case Op::GroupAgg: return "groupagg";
  case Op::ListLen: return "listlen";
  case Op::YearRun: return "yearrun";
  }
  return "?";
}

const char *cmpName(CmpKind k) {
  static const char *names[] = {"ge", "gt", "le", "lt", "eq", "ne"};
  return names[static_cast<int>(k)];
}

std::string dec(int64_t v) {
  char buf[RB_DEC_FORMAT_CAP];
  rb_dec_format(v, buf, sizeof buf);
  return buf;
}

std::string exprText(const Program &p, ExprId id) {
  const Expr &e = p.exprs[id];
  switch (e.op) {
  case Op::Const: return dec(e.imm) + (e.imm % RB_DEC_ONE != 0 || e.imm == 0 ? "" : "");
  case Op::Column: return fmt::format("col{}", e.index);
  case Op::Param: return fmt::format("param{}", e.index);
  case Op::Slot: return fmt::format("slot{}", e.index);
  case Op::Elem: return fmt::format("elem{}", e.index);
  case Op::ListLen: return fmt::format("(listlen list{})", e.index);
  case Op::YearRun: return fmt::format("(yearrun col{} through {})", e.index, e.imm);
  case Op::Round:
  case Op::Floor:
  case Op::Ceil: return fmt::format("({} {} {})", opName(e.op), exprText(p, e.a), e.imm);
  case Op::Cmp: return fmt::format("({} {} {})", cmpName(e.cmp), exprText(p, e.a), exprText(p, e.b));
  case Op::ListAgg: return fmt::format("(listagg list{} kind{} {})", e.index, e.imm, exprText(p, e.a));
  case Op::GroupAgg:
    return fmt::format("(groupagg list{} inner{} outer{} {}{} {} by {})", e.index, ir::groupInner(e.imm2),
                       ir::groupOuter(e.imm2), dec(e.imm), ir::groupPercent(e.imm2) ? "%" : "", exprText(p, e.a),
                       exprText(p, e.b));
  case Op::TopAvg: return fmt::format("(topavg list{} {}{} {})", e.index, dec(e.imm), e.imm2 ? "%" : "", exprText(p, e.a));
  default: break;
  }
  std::string s = std::string("(") + opName(e.op);
  for (ExprId x : {e.a, e.b, e.c})
    if (x >= 0) s += " " + exprText(p, x);
  return s + ")";
}

} // namespace

std::string printProgram(const Program &p) {
  std::string out = fmt::format("program {}\n", p.desc.schemeId);
  for (size_t i = 0; i < p.desc.columns.size(); ++i)
    out += fmt::format("  col{} = {}\n", i, p.desc.columns[i].name);
  for (size_t i = 0; i < p.desc.params.size(); ++i) out += fmt::format("  param{} = {}\n", i, p.desc.params[i].name);
  for (const auto &a : p.assignments)
    out += fmt::format("  phase{} slot{} [{}] = {}\n", a.phase, a.slot, p.desc.slots[a.slot].name, exprText(p, a.value));
  return out;
}

} // namespace rubric::ir
