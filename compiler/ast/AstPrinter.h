// A canonical text dump of the AST, without source positions: two files that
// mean the same thing (full-width vs ASCII punctuation, Chinese vs English
// keywords) print the same. Used by tests and `rubricc check --emit ast`.
#pragma once
#include <string>
#include "ast/Ast.h"

namespace rubric::ast {
std::string printAst(const File &file);
std::string printExpr(const Expr &e);
// A field type in the canonical dump's words ("列表{…}", "枚举{…}").
std::string printType(const Type &t);
} // namespace rubric::ast
