#include "ast/Ast.h"

namespace rubric::ast {

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
