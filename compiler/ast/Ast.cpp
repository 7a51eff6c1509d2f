#include "ast/Ast.h"

namespace rubric::ast {

void forEachSubExpr(const Expr &root, const std::function<void(const Expr &)> &visit) {
  std::vector<const Expr *> todo = {&root};
  while (!todo.empty()) {
    const Expr *e = todo.back();
    todo.pop_back();
    visit(*e);
    for (auto it = e->args.rbegin(); it != e->args.rend(); ++it)
      if (*it) todo.push_back(it->get());
  }
}

void forEachExpr(const Rule &rule, const std::function<void(const Expr &)> &visit) {
  auto each = [&](const ExprPtr &e) {
    if (e) forEachSubExpr(*e, visit);
  };
  auto points = [&](const PointsValue &pv) {
    each(pv.expr);
    for (const auto &lp : pv.byLevel) each(lp.points);
  };
  each(rule.subject);
  points(rule.award);
  each(rule.stepSize);
  each(rule.stepPoints);
  each(rule.cap);
  for (const auto &c : rule.choices) each(c.points);
  for (const auto &t : rule.tiers) {
    if (t.lo) each(t.lo->value);
    if (t.hi) each(t.hi->value);
    each(t.points);
  }
  for (const auto *blocks : {&rule.levels, &rule.readingBlocks})
    for (const auto &block : *blocks) {
      for (const auto &r : block.rules) forEachExpr(r, visit);
      for (const auto &na : block.naRules) each(na.condition);
    }
  if (rule.elseRule) forEachExpr(*rule.elseRule, visit);
}

const char *nodeKindKeyword(NodeKind kind) {
  switch (kind) {
  case NodeKind::Indicator: return "指标";
  case NodeKind::SubIndicator: return "二级";
  case NodeKind::Item: return "项";
  case NodeKind::SubItem: return "子项";
  case NodeKind::Deduction: return "扣分";
  case NodeKind::Bonus: return "加分";
  }
  return "?";
}

const char *cmpOpSymbol(CmpOp op) {
  switch (op) {
  case CmpOp::Ge: return "≥";
  case CmpOp::Gt: return ">";
  case CmpOp::Le: return "≤";
  case CmpOp::Lt: return "<";
  case CmpOp::Eq: return "=";
  case CmpOp::Ne: return "≠";
  }
  return "?";
}

} // namespace rubric::ast
