// Issue 11 (helper gapsxj), front end: 排名(…, 并列不跳号) (dense ranks, E0170) and
// 校验 "…" 按 字段 计数(条件) 在 低 至 高 (group counts, E0171–E0173): parse,
// sema errors with did-you-mean, and the lowering to the scoring program.
// The runs are tested by tests/scoring/runner_test.cpp (dense ranks) and
// tests/e2e/group_count_test.sh (group counts on the 2019 新疆 collective scheme).
#include <string>

#include <catch2/catch.hpp>

#include "FrontendTestUtil.h"
#include "ir/FromSema.h"

using namespace rubric;
using namespace rubric::test;

namespace {

const std::string kRankHead = "方案 甲 { }\n输入 { 单位: 文本 (标识); 得分: 小数 }\n";

std::string rankRubric(const std::string &call) {
  return kRankHead + "指标 一 \"名次\" 10分 { 分档 " + call + " { 1 至 1: 10分; 否则: 0分 } }\n";
}

const std::string kGroupHead = "方案 甲 { 级别 {县级, 市级} }\n"
                               "输入 { 单位: 文本 (标识); 所属市: 文本; 片区: 枚举 {东, 西}; 得分: 小数 }\n"
                               "指标 一 \"得分\" 10分 { 得 得分 }\n";

} // namespace

TEST_CASE("排名(e, 并列不跳号) parses, checks and lowers to a dense rank step", "[parse][diag]") {
  for (const char *call : {"排名(得分, 并列不跳号)", "排名(得分, 升序, 并列不跳号)", "排名(得分, 并列不跳号, 降序)",
                           "级内排名(得分, 并列不跳号)"}) {
    INFO(call);
    auto c = compile(rankRubric(call));
    INFO(c->rendered());
    CHECK(c->errors() == 0);
  }
  DiagnosticEngine diags;
  auto src = std::make_shared<SourceFile>("dense.rubric", rankRubric("排名(得分, 升序, 并列不跳号)"));
  auto program = ir::compileFile(src, diags);
  REQUIRE(program);
  REQUIRE(program->desc.population.size() == 1);
  CHECK(program->desc.population[0].dense);
  CHECK(program->desc.population[0].func == runtime::PopFunc::RankAsc);

  auto plain = ir::compileFile(std::make_shared<SourceFile>("plain.rubric", rankRubric("排名(得分)")), diags);
  REQUIRE(plain);
  CHECK_FALSE(plain->desc.population[0].dense);  // competition ranks unless 并列不跳号 is written
}

TEST_CASE("排名 options: a misspelt word suggests 并列不跳号 (E0101) — a word twice is E0170", "[diag]") {
  auto typo = compile(rankRubric("排名(得分, 并列不调号)"));
  CHECK(typo->codes().find("E0101") != std::string::npos);
  CHECK(typo->rendered().find("您是否想写“并列不跳号”") != std::string::npos);
  auto twice = compile(rankRubric("排名(得分, 并列不跳号, 并列不跳号)"));
  CHECK(twice->codes() == "E0170");
  auto orders = compile(rankRubric("排名(得分, 升序, 降序)"));
  CHECK(orders->codes() == "E0170");
  CHECK(orders->rendered().find("“降序”在 排名(…) 中写了两次") != std::string::npos);
}

TEST_CASE("校验 按 字段 计数(条件) 在 低 至 高 parses and lowers to a group count", "[parse][diag]") {
  auto c = compile(kGroupHead + "校验 \"每市1-2个县级\" 按 所属市 计数(级别 = 县级) 在 1 至 2\n");
  INFO(c->rendered());
  REQUIRE(c->errors() == 0);
  REQUIRE(c->file->validations.size() == 1);
  const ast::Validation &v = c->file->validations[0];
  CHECK(v.groupField == "所属市");
  CHECK(v.groupFunction == "计数");
  CHECK(v.groupCondition != nullptr);
  CHECK(v.groupMin == 1);
  CHECK(v.groupMax == 2);
  CHECK(c->checked->needsPopulation);  // counted over every record: the population pass keeps them

  auto noCond = compile(kGroupHead + "校验 \"每片区至多3个\" 按 片区 计数() 在 0 ～ 3\n");
  INFO(noCond->rendered());
  CHECK(noCond->errors() == 0);
  CHECK(noCond->file->validations[0].groupCondition == nullptr);

  DiagnosticEngine diags;
  auto program = ir::compileFile(
      std::make_shared<SourceFile>("g.rubric", kGroupHead + "校验 \"每市1-2个县级\" 按 所属市 计数(级别 = 县级) 在 1 至 2\n"),
      diags);
  REQUIRE(program);
  REQUIRE(program->desc.validations.size() == 1);
  const runtime::ValidationDesc &d = program->desc.validations[0];
  CHECK(d.groupColumn >= 0);
  CHECK(program->desc.columns[static_cast<size_t>(d.groupColumn)].name == "所属市");
  REQUIRE(d.groupCondSlot >= 0);
  CHECK(program->desc.slots[static_cast<size_t>(d.groupCondSlot)].kind == runtime::SlotKind::GroupCond);
  CHECK(d.groupMin == 1);
  CHECK(d.groupMax == 2);
}

TEST_CASE("group count errors: E0171 field type, E0172 function, E0173 range, unknown field with a suggestion", "[diag]") {
  auto number = compile(kGroupHead + "校验 \"x\" 按 得分 计数() 在 1 至 2\n");
  CHECK(number->count("E0171") == 1);
  CHECK(number->errors() == 1);  // (W0801 for the fields this small rubric leaves unused)
  auto fn = compile(kGroupHead + "校验 \"x\" 按 所属市 求和(级别 = 县级) 在 1 至 2\n");
  CHECK(fn->count("E0172") == 1);
  CHECK(fn->errors() == 1);  // (W0801 for the fields this small rubric leaves unused)
  CHECK(fn->rendered().find("您是否想写“计数”") == std::string::npos);  // 求和 is not near 计数: no guess
  auto near = compile(kGroupHead + "校验 \"x\" 按 所属市 计数器(级别 = 县级) 在 1 至 2\n");
  CHECK(near->count("E0172") == 1);
  CHECK(near->errors() == 1);  // (W0801 for the fields this small rubric leaves unused)
  CHECK(near->rendered().find("您是否想写“计数”") != std::string::npos);
  auto range = compile(kGroupHead + "校验 \"x\" 按 所属市 计数() 在 3 至 2\n");
  CHECK(range->count("E0173") == 1);
  CHECK(range->errors() == 1);  // (W0801 for the fields this small rubric leaves unused)
  auto unknown = compile(kGroupHead + "校验 \"x\" 按 所属区 计数() 在 1 至 2\n");
  CHECK(unknown->count("E0101") == 1);
  CHECK(unknown->errors() == 1);  // (W0801 for the fields this small rubric leaves unused)
  CHECK(unknown->rendered().find("您是否想写“所属市”") != std::string::npos);
  auto cond = compile(kGroupHead + "校验 \"x\" 按 所属市 计数(得分) 在 1 至 2\n");
  CHECK(cond->errors() == 1);  // the condition must be yes/no
}

namespace {
const std::string kDateHead = "方案 甲 { }\n输入 { 单位: 文本 (标识); 完成时间: 日期 (可缺) }\n";
std::string dateRubric(const std::string &rule) { return kDateHead + "指标 一 \"完成\" 2分 { " + rule + " }\n"; }
} // namespace

TEST_CASE("日期 fields: compared with 不晚于/早于/晚于/不早于 and date constants, lowered to yyyymmdd", "[parse][diag]") {
  auto c = compile(dateRubric("得 若 有值(完成时间) 则 (若 完成时间 不晚于 2021-12-31 则 2分 否则 若 完成时间 早于 2022-07-01 则 1分 "
                              "否则 0分) 否则 0分"));
  INFO(c->rendered());
  REQUIRE(c->errors() == 0);
  REQUIRE(c->file->inputs.size() == 2);
  CHECK(c->file->inputs[1].type.kind == ast::TypeKind::Date);
  for (const char *word : {"不晚于", "早于", "晚于", "不早于", "<=", "not_later_than"}) {
    INFO(word);
    auto w = compile(dateRubric(std::string("若无 完成时间 不得分\n 当 完成时间 ") + word + " 2022-06-30 得 2分"));
    INFO(w->rendered());
    CHECK(w->errors() == 0);
  }
  DiagnosticEngine diags;
  auto program = ir::compileFile(
      std::make_shared<SourceFile>("d.rubric", dateRubric("若无 完成时间 不得分\n 当 完成时间 不晚于 2021-12-31 得 2分")), diags);
  REQUIRE(program);
  bool column = false;
  for (const auto &col : program->desc.columns) column |= col.name == "完成时间" && col.kind == runtime::ValueKind::Date;
  CHECK(column);
  REQUIRE(program->dateLiterals.size() == 1);
  CHECK(program->exprs[program->dateLiterals[0]].imm == 20211231);  // the integer a 日期 cell 2021-12-31 holds
}

TEST_CASE("日期 errors: not (可缺) or a parameter is E0174 — arithmetic and a month-only constant are refused", "[diag]") {
  auto required = compile("方案 甲 { }\n输入 { 单位: 文本 (标识); 完成时间: 日期 }\n指标 一 \"x\" 2分 { 当 完成时间 不晚于 2021-12-31 得 2分 }\n");
  CHECK(required->codes() == "E0174");
  auto param = compile("方案 甲 { }\n参数 { 截止: 日期 }\n输入 { 单位: 文本 (标识) }\n指标 一 \"x\" 2分 { 得 2分 }\n");
  CHECK(param->count("E0174") == 1);
  auto listed = compile("方案 甲 { }\n输入 { 单位: 文本 (标识); 轮次: 列表{完成: 日期} }\n指标 一 \"x\" 2分 { 得 2分 }\n");
  CHECK(listed->count("E0174") == 1);
  auto sum = compile(dateRubric("若无 完成时间 不得分\n 得 完成时间 + 1"));
  CHECK(sum->errors() >= 1);  // a date is not a number
  auto text = compile(dateRubric("若无 完成时间 不得分\n 当 完成时间 不晚于 5 得 2分"));
  CHECK(text->errors() >= 1);  // a date compares with a date, not a number
  DiagnosticEngine diags;
  auto month = ir::compileFile(
      std::make_shared<SourceFile>("m.rubric", dateRubric("若无 完成时间 不得分\n 当 完成时间 不晚于 2021-12 得 2分")), diags);
  CHECK_FALSE(month);  // 2021-12: the 1st or the 31st? the constant must name the day
  CHECK(renderDiagnostics(diags.all(), DiagFormat::Text, Lang::Zh).find("须写到日") != std::string::npos);
}
