// Local names (令 / let) and conditional values (若 … 则 … 否则 … / if … then … else):
// parsing, scoping (top level everywhere; a node's names in it and below), the
// clash, cycle, branch-type, not-a-value and unused diagnostics (E0130–E0132,
// W0130, E0215, E0216), and the dependencies a name carries to its users.
#include <string>

#include <catch2/catch.hpp>

#include "FrontendTestUtil.h"

using namespace rubric;
using namespace rubric::test;

namespace {

const std::string kHead =
    "方案 甲 { }\n参数 { 总数: 件数 缺省 1000 }\n"
    "输入 { 单位: 文本 (标识); 案件数: 件数; 人数: 件数; 表扬: 是否; 名称: 文本\n"
    "       案卷: 列表{编号: 文本; 得分率: 百分比; 未公开: 是否} }\n";

// Some diagnostic's Chinese message contains `text` (messages, not the rendering, which wraps long lines).
bool mentions(const Compiled &c, const std::string &text) {
  for (const auto &d : c.diags.all())
    if (d.message(Lang::Zh).find(text) != std::string::npos) return true;
  return false;
}
// Exactly one error, with this code (unused-input warnings of kHead aside).
bool onlyError(const Compiled &c, const std::string &code) { return c.errors() == 1 && c.count(code) == 1; }

} // namespace

TEST_CASE("令 at top level and in a node, 若 as an expression, parse into the AST", "[names]") {
  DiagnosticEngine diags;
  auto f = parseOnly(kHead +
                         "令 人均 = 案件数 ÷ 最大(人数, 1)\n"
                         "指标 一 \"办案\" 10分 {\n  let 基准 = 总数 × 1%\n"
                         "  得 if 人均 达到 2 then 5分 else 人均 × 2分\n}\n",
                     diags);
  REQUIRE(f);
  REQUIRE(f->names.size() == 1);
  CHECK(f->names[0].name == "人均");
  CHECK(expr(f->names[0].value) == "(案件数 ÷ 最大(人数, 1))");
  const ast::Node *one = findNode(*f, "办案");
  REQUIRE(one);
  REQUIRE(one->names.size() == 1);
  CHECK(one->names[0].name == "基准");
  CHECK(expr(one->rules[0].award.expr) == "(若 (人均 ≥ 2) 则 5分 否则 (人均 × 2分))");
  // 否则 takes the rest of the expression: 若 c 则 1 否则 2 + 3 is 若 c 则 1 否则 (2 + 3).
  auto g = parseOnly(kHead + "指标 一 \"办案\" 10分 { 得 若 表扬 则 1 否则 2 + 3 }\n", diags);
  REQUIRE(g);
  CHECK(expr(g->indicators[0]->rules[0].award.expr) == "(若 表扬 则 1 否则 (2 + 3))");
}

TEST_CASE("a top-level name is visible everywhere — a node's name in it and below only", "[names]") {
  auto ok = compile(kHead +
                    "指标 一 \"办案\" 10分 {\n  令 基准 = 总数 × 1%\n"
                    "  项 1 \"数量\" 5分 { 当 案件数 超过 基准 得 5分 }\n"      // a child reads its parent's name
                    "  项 2 \"人均\" 5分 { 得 人均 }\n}\n"                       // used before it is declared
                    "否决 \"人均过低\" 当 人均 < 0 => 取消资格\n"
                    "令 人均 = 案件数 ÷ 最大(人数, 1)\n");
  INFO(ok->rendered());
  CHECK(ok->errors() == 0);
  CHECK(ok->count("W0130") == 0);

  auto sibling = compile(kHead +
                         "指标 一 \"办案\" 5分 { 令 基准 = 总数 × 1%  当 案件数 超过 基准 得 5分 }\n"
                         "指标 二 \"其他\" 5分 { 当 案件数 超过 基准 得 5分 }\n");
  INFO(sibling->rendered());
  CHECK(onlyError(*sibling, "E0101"));   // 基准 belongs to 一: 二 does not see it
}

TEST_CASE("E0130: a name may not shadow a field, parameter, column, reading, option or another name", "[names]") {
  const std::string reading =
      "读法 合成 \"两个比例\" { 平均: \"取平均\"  较大: \"取较大\"  采用 平均 }\n"
      "指标 九 \"读法\" 1分 { 当 合成 = 平均 得 1分 }\n";
  auto c = compile(kHead + reading +
                   "令 案件数 = 1\n令 总数 = 2\n令 得分率 = 3\n令 合成 = 4\n令 较大 = 5\n令 甲数 = 6\n"
                   "指标 一 \"办案\" 9分 {\n  令 甲数 = 7\n"
                   "  得 案件数 + 总数 + 合成 + 较大 + 甲数 + 得分率\n}\n");
  INFO(c->rendered());
  CHECK(c->count("E0130") == 6);
  CHECK(mentions(*c, "“令 案件数”与输入字段“案件数”同名"));
  CHECK(mentions(*c, "“令 总数”与参数“总数”同名"));
  CHECK(mentions(*c, "“令 得分率”与列表“案卷”的栏目“得分率”同名"));
  CHECK(mentions(*c, "“令 合成”与读法“合成”同名"));
  CHECK(mentions(*c, "“令 较大”与读法“合成”的选项“较大”同名"));
  CHECK(mentions(*c, "“令 甲数”与第 12 行的“令 甲数”同名"));   // the inner one clashes with the top-level one
  CHECK(mentions(*c, "请另取一个名称，如“甲数值”"));
  const Diagnostic *d = c->first("E0130");
  REQUIRE(d);
  CHECK(d->message(Lang::En).find("'let 案件数' has the same name as") == 0);
  // Siblings may reuse a name: neither sees the other.
  auto s = compile(kHead + "指标 一 \"一\" 5分 { 令 基准 = 1  得 基准 }\n指标 二 \"二\" 5分 { 令 基准 = 2  得 基准 }\n");
  INFO(s->rendered());
  CHECK(s->errors() == 0);
}

TEST_CASE("E0131: names that use each other form a cycle", "[names]") {
  auto c = compile(kHead + "令 甲 = 乙 + 1\n令 乙 = 丙 × 2\n令 丙 = 甲\n指标 一 \"办案\" 5分 { 得 甲 }\n");
  INFO(c->rendered());
  CHECK(c->count("E0131") == 1);
  CHECK(mentions(*c, "令的定义循环：甲 → 乙 → 丙 → 甲"));
  auto self = compile(kHead + "令 甲 = 甲 + 1\n指标 一 \"办案\" 5分 { 得 甲 }\n");
  INFO(self->rendered());
  CHECK(onlyError(*self, "E0131"));
}

TEST_CASE("a name's type is its expression's — E0132 for a list", "[names]") {
  auto c = compile(kHead + "令 达标 = 案件数 > 3\n令 率 = 案件数 ÷ 最大(人数, 1)\n"
                           "指标 一 \"办案\" 5分 { 当 达标 得 率 }\n");
  INFO(c->rendered());
  CHECK(c->errors() == 0);
  auto bad = compile(kHead + "令 达标 = 案件数 > 3\n指标 一 \"办案\" 5分 { 得 达标 × 2 }\n");
  CHECK(onlyError(*bad, "E0201"));   // a 是否 name where a number is needed
  auto list = compile(kHead + "令 全部案卷 = 案卷\n指标 一 \"办案\" 5分 { 得 个数(全部案卷) }\n");
  INFO(list->rendered());
  CHECK(list->count("E0132") == 1);
}

TEST_CASE("W0130: a name no rule uses", "[names]") {
  auto c = compile(kHead + "令 没用 = 案件数 × 2\n指标 一 \"办案\" 5分 { 得 案件数 }\n");
  INFO(c->rendered());
  CHECK(c->errors() == 0);
  CHECK(c->count("W0130") == 1);
  CHECK(mentions(*c, "令“没用”已定义，但没有规则用到它"));
}

TEST_CASE("若 … 则 … 否则 …: condition, branch types, list bodies", "[names]") {
  auto ok = compile(kHead + "指标 一 \"案卷\" 10分 {\n"
                            "  得 10分 × 平均(案卷: 若 未公开 则 0% 否则 得分率)\n"   // the element's columns
                            "  当 若 表扬 则 案件数 > 1 否则 案件数 > 5 得 0分\n}\n");   // yes/no branches
  INFO(ok->rendered());
  CHECK(ok->errors() == 0);
  const ast::Expr &body = *ok->file->indicators[0]->rules[0].award.expr->args[1]->args[1];
  REQUIRE(body.kind == ast::ExprKind::Conditional);
  CHECK(ok->checked->types.at(&body).tag == sema::TypeTag::Number);
  CHECK(ok->checked->types.at(&body).numberKind == ast::TypeKind::Percent);

  auto mixed = compile(kHead + "指标 一 \"办案\" 5分 { 得 若 表扬 则 1分 否则 案件数 > 2 }\n");
  INFO(mixed->rendered());
  CHECK(onlyError(*mixed, "E0215"));
  CHECK(mentions(*mixed, "的两个分支类型不同：“则”之后是"));
  CHECK(mentions(*mixed, "，“否则”之后是是否"));
  auto text = compile(kHead + "指标 一 \"办案\" 5分 { 得 若 表扬 则 名称 否则 1 }\n");
  CHECK(onlyError(*text, "E0216"));
  auto cond = compile(kHead + "指标 一 \"办案\" 5分 { 得 若 案件数 则 1 否则 2 }\n");
  CHECK(onlyError(*cond, "E0201"));   // the condition must be yes/no
}

TEST_CASE("a name carries its node references to the rule that uses it", "[names]") {
  // 【办案】 reads 基准比, which reads 【办案】: a dependency cycle through the name.
  auto c = compile(kHead + "令 基准比 = 【办案】 ÷ 5\n指标 一 \"办案\" 5分 { 得 基准比 }\n");
  INFO(c->rendered());
  CHECK(onlyError(*c, "E0701"));
  // Used elsewhere it is an ordinary dependency.
  auto ok = compile(kHead + "令 基准比 = 【办案】 ÷ 5\n指标 一 \"办案\" 5分 { 得 案件数 }\n"
                            "指标 二 \"其他\" 1分 { 得 基准比 }\n");
  INFO(ok->rendered());
  CHECK(ok->errors() == 0);
}

TEST_CASE("E0133: a name written out too large, or names nested too deep, is refused (no blow-up)", "[names]") {
  // 「n16」 = 「n15」 + 「n15」 = … : 2^16 terms once written out (the limit is 10,000).
  std::string doubling = "令 「n0」 = 案件数\n";
  for (int i = 1; i <= 16; ++i)
    doubling += "令 「n" + std::to_string(i) + "」 = 「n" + std::to_string(i - 1) + "」 + 「n" + std::to_string(i - 1) + "」\n";
  auto c = compile(kHead + doubling + "指标 一 \"办案\" 5分 { 得 「n16」 }\n");
  INFO(c->rendered());
  CHECK(c->count("E0133") >= 1);
  // 300 names, each the one before plus 1: deeper than sema follows.
  std::string chain = "令 「m0」 = 案件数\n";
  for (int i = 1; i < 300; ++i) chain += "令 「m" + std::to_string(i) + "」 = 「m" + std::to_string(i - 1) + "」 + 1\n";
  auto d = compile(kHead + chain + "指标 一 \"办案\" 5分 { 得 「m299」 }\n");
  INFO(d->codes());
  CHECK(d->count("E0008") == 0);   // each 令 starts a statement: the lines are not one long expression
  CHECK(d->count("E0133") >= 1);
}
