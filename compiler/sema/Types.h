// Value types seen by the checker.
#pragma once

#include <string>
#include <vector>

#include "ast/Ast.h"

namespace rubric::sema {

enum class TypeTag { Bool, Number, Text, Enum, Level, RecordList, ValueList, Monthly, Date, YearSet, Unknown };

struct ValueType {
  TypeTag tag = TypeTag::Unknown;
  ast::TypeKind numberKind = ast::TypeKind::Decimal;  // Count / Decimal / Percent for Number
  bool isPoints = false;                               // a Number written in 分
  const ast::Type *declared = nullptr;                 // Enum / lists / Monthly: the declaration

  static ValueType of(TypeTag t) { ValueType v; v.tag = t; return v; }
  static ValueType number(ast::TypeKind k = ast::TypeKind::Decimal) {
    ValueType v; v.tag = TypeTag::Number; v.numberKind = k; return v;
  }
  static ValueType fromDecl(const ast::Type &t);
  bool isNumeric() const { return tag == TypeTag::Number || tag == TypeTag::Unknown; }
  bool isBool() const { return tag == TypeTag::Bool || tag == TypeTag::Unknown; }
};

// “是否”, “数值”, … for messages.
std::string typeName(const ValueType &t);

} // namespace rubric::sema
