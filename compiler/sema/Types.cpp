#include "sema/Types.h"

namespace rubric::sema {

ValueType ValueType::fromDecl(const ast::Type &t) {
  ValueType v;
  v.declared = &t;
  switch (t.kind) {
  case ast::TypeKind::Bool: v.tag = TypeTag::Bool; break;
  case ast::TypeKind::Count:
  case ast::TypeKind::Decimal:
  case ast::TypeKind::Percent: v.tag = TypeTag::Number; v.numberKind = t.kind; break;
  case ast::TypeKind::Text: v.tag = TypeTag::Text; break;
  case ast::TypeKind::Enum: v.tag = TypeTag::Enum; break;
  case ast::TypeKind::RecordList: v.tag = TypeTag::RecordList; break;
  case ast::TypeKind::ValueList: v.tag = TypeTag::ValueList; break;
  case ast::TypeKind::Monthly: v.tag = TypeTag::Monthly; break;
  case ast::TypeKind::YearSet: v.tag = TypeTag::YearSet; break;
  case ast::TypeKind::Date: v.tag = TypeTag::Date; break;
  }
  return v;
}

std::string typeName(const ValueType &t) {
  switch (t.tag) {
  case TypeTag::Bool: return "是否";
  case TypeTag::Number:
    if (t.isPoints) return "分值";
    return t.numberKind == ast::TypeKind::Count ? "件数" : t.numberKind == ast::TypeKind::Percent ? "百分比" : "数值";
  case TypeTag::Text: return "文本";
  case TypeTag::Enum: return "枚举";
  case TypeTag::Level: return "级别";
  case TypeTag::RecordList:
  case TypeTag::ValueList: return "列表";
  case TypeTag::Monthly: return "月度";
  case TypeTag::Date: return "日期";
  case TypeTag::YearSet: return "年份集";
  case TypeTag::Unknown: return "未知";
  }
  return "?";
}

} // namespace rubric::sema
