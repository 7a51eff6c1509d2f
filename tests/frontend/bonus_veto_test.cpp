// A bonus row without a limit of its own (加分 … 不设上限), a 加分 row at top
// level, and the 栏目 of a veto row (否决 … { 指标说明 "…" … }): parsing, the
// AST, and their diagnostics (E0175, E0176, W0802 with a did-you-mean note,
// E0306 still for a bonus with neither points nor 不设上限). Scoring is checked
// by tests/e2e/bonus_veto_test.sh and the differential harness.
#include <string>

#include <catch2/catch.hpp>

#include "FrontendTestUtil.h"

using namespace rubric;
using namespace rubric::test;

namespace {

const std::string kHead = "方案 甲 { }\n"
                          "输入 { 单位: 文本 (标识); 得分: 小数; 优秀: 件数; 廉政: 是否; 帮扶问题: 是否; 突出: 是否 }\n";

const std::string kIndicator = "指标 一 \"案卷\" 27分 {\n"
                               "  原文合计 22分 \"得分项22分，另有加分项\"\n"
                               "  项 1 \"得分项\" 22分 { 得 得分 }\n";

// The codes reported, the unused-input warnings (W0801) of kHead aside.
std::string codes(const Compiled &c) {
  std::string s;
  for (const auto &d : c.diags.all())
    if (std::string(d.code()) != "W0801") s += (s.empty() ? "" : " ") + std::string(d.code());
  return s;
}

} // namespace

TEST_CASE("否决 takes a block of 栏目 at top level and inside a node", "[bonus_veto]") {
  auto c = compile(kHead + "否决 \"廉政纪律问题\" 当 廉政 => 取消资格 {\n  指标说明 \"评价廉政纪律情况\"\n"
                           "  source \"日常工作调度。\"\n}\n" +
                   kIndicator + "  加分 2 \"加分项\" 不设上限 受上限 { 每件 优秀 得 5分 }\n"
                                "  否决 \"帮扶期间问题\" 当 帮扶问题 => 不得分 { 责任科室 \"综合科\" }\n}\n"
                                "加分 二 \"练兵成效\" 1分 可超出上限 { 当 突出 得 1分 }\n");
  INFO(c->rendered());
  CHECK(codes(*c).empty());
  REQUIRE(c->file->vetoes.size() == 1);
  const auto &top = c->file->vetoes[0].meta;
  REQUIRE(top.size() == 2);
  CHECK(top[0].key == "指标说明");
  CHECK(top[0].value == "评价廉政纪律情况");
  CHECK(top[1].key == "数据来源");   // the English alias folds into the Chinese key
  CHECK(top[1].span.line == 5);
  const ast::Node *one = findNode(*c->file, "案卷");
  REQUIRE(one);
  REQUIRE(one->vetoes.size() == 1);
  REQUIRE(one->vetoes[0].meta.size() == 1);
  CHECK(one->vetoes[0].meta[0].key == "责任科室");
  CHECK(one->meta.empty());   // the veto's 栏目 are not the node's
  // A veto without a block has none; `;` before the block is allowed.
  auto d = compile(kHead + "否决 \"廉政\" 当 廉政 => 取消资格;\n否决 \"帮扶\" 当 帮扶问题 => 取消资格; { 说明 \"正文三（四）\" }\n" +
                   "指标 一 \"案卷\" 1分 { 得 得分 }\n");
  INFO(d->rendered());
  REQUIRE(d->file);
  REQUIRE(d->file->vetoes.size() == 2);
  CHECK(d->file->vetoes[0].meta.empty());
  CHECK(d->file->vetoes[1].meta.size() == 1);
}

TEST_CASE("a veto row's unknown 栏目 is W0802 with a did-you-mean note", "[bonus_veto]") {
  auto c = compile(kHead + "否决 \"廉政\" 当 廉政 => 取消资格 { 数据来原 \"日常工作调度\" }\n"
                           "指标 一 \"案卷\" 1分 { 得 得分 }\n");
  CHECK(codes(*c) == "W0802");
  const Diagnostic *d = c->first("W0802");
  REQUIRE(d);
  CHECK(d->span.line == 3);
  CHECK(d->message(Lang::Zh) == "未知的栏目“数据来原”");
  REQUIRE(d->notes.size() == 1);
  CHECK(d->notes[0].message(Lang::Zh) == "您是否想写“数据来源”？");
}

TEST_CASE("加分 不设上限: a bonus row without points, parsed with its English alias", "[bonus_veto]") {
  auto c = compile(kHead + kIndicator + "  加分 2 \"加分项\" no_own_limit capped { 每件 优秀 得 5分 }\n}\n");
  INFO(c->rendered());
  CHECK(codes(*c).empty());
  const ast::Node *b = findNode(findNode(*c->file, "案卷")->children, "加分项");
  REQUIRE(b);
  CHECK(b->kind == ast::NodeKind::Bonus);
  CHECK(b->noOwnLimit);
  CHECK_FALSE(b->points);
  CHECK(b->bonusCap == ast::BonusCap::Capped);
  CHECK(b->noOwnLimitSpan.line == 6);   // 方案, 输入, 指标, 原文合计, 项 1, then the 加分 row
  CHECK(ast::printAst(*c->file).find("加分 2 \"加分项\" - 受上限 不设上限") != std::string::npos);
}

TEST_CASE("不设上限 errors: not a bonus (E0175), with points or 最高 (E0176) — no points at all is E0306", "[bonus_veto]") {
  auto notBonus = compile(kHead + "指标 一 \"案卷\" 22分 不设上限 { 得 得分 }\n");
  CHECK(codes(*notBonus) == "E0175");
  CHECK(notBonus->first("E0175")->message(Lang::Zh) ==
        "“不设上限”只能写在加分行上，“案卷”不是加分行（其他节点的上限就是它的分值，或写“最高 N分”）");
  auto withPoints = compile(kHead + kIndicator + "  加分 2 \"加分项\" 27分 不设上限 受上限 { 每件 优秀 得 5分 }\n}\n");
  CHECK(codes(*withPoints) == "E0176");
  CHECK(withPoints->first("E0176")->message(Lang::En) ==
        "bonus row '加分项' says '不设上限' (no own limit) but also gives 27 points or a cap; a bonus without a limit of "
        "its own has no points: delete one of them");
  auto withCap = compile(kHead + kIndicator + "  加分 2 \"加分项\" 不设上限 最高 6分 受上限 { 每件 优秀 得 5分 }\n}\n");
  CHECK(codes(*withCap) == "E0176");
  auto noPoints = compile(kHead + kIndicator + "  加分 2 \"加分项\" 受上限 { 每件 优秀 得 5分 }\n}\n");
  CHECK(codes(*noPoints) == "E0306");
  // 不设上限 speaks of the row itself; whether the parent's cap applies must still be said (W0305).
  auto unstated = compile(kHead + kIndicator + "  加分 2 \"加分项\" 不设上限 { 每件 优秀 得 5分 }\n}\n");
  CHECK(codes(*unstated) == "W0305");
}

TEST_CASE("a 加分 row at top level, beside the indicators, is checked like any node", "[bonus_veto]") {
  auto c = compile(kHead + "指标 一 \"案卷\" 22分 { 得 得分 }\n加分 二 \"练兵成效\" 1分 可超出上限 {\n"
                           "  项 1 \"表现突出\" 1分 { 当 突出 得 1分 }\n  数据来源 \"通报\"\n}\n");
  INFO(c->rendered());
  CHECK(codes(*c).empty());
  REQUIRE(c->file->indicators.size() == 2);
  CHECK(c->file->indicators[1]->kind == ast::NodeKind::Bonus);
  CHECK(c->file->indicators[1]->bonusCap == ast::BonusCap::Uncapped);
}
