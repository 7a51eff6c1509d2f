// A canonical text dump of the AST, without source positions: two files that
// mean the same thing (full-width vs ASCII punctuation, Chinese vs English
// keywords) print the same. Used by tests and `rubricc check --emit ast`.
#pragma once
#include <string>
#include "ast/Ast.h"

namespace rubric::ast {
std::string printAst(const File &file);
std::string printExpr(const Expr &e);
// One rule (or N/A rule, veto, type) in the canonical dump's words, on one line
// (the lines of a 按 / 分档 block joined with "；"): for comparing two rubrics.
std::string printRule(const Rule &r);
std::string printNaRule(const NaRule &na);
std::string printVeto(const Veto &v);
std::string printType(const Type &t);
} // namespace rubric::ast
