// Issue 9 (helper slots12): the lowering gives an award condition, an award
// key or a population argument no slot of its own when one already holds the
// same values — each such slot is an array the kernel writes per record. The
// runs (who is awarded, the ranks) are checked by the rubrics' 用例 (the 2019
// 新疆 schemes share all three) and the differential tests.
#include <algorithm>
#include <string>

#include <catch2/catch.hpp>

#include "FrontendTestUtil.h"
#include "ir/FromSema.h"

using namespace rubric;

namespace {

// `rankArg` is what 指标 二 and 三 both rank by.
std::unique_ptr<ir::Program> lower(const std::string &awards, const std::string &rankArg = "票数") {
  const std::string text = "方案 甲 { }\n"
                           "输入 { 单位: 文本 (标识); 得分: 小数; 票数: 件数; 达标: 是否 }\n"
                           "指标 一 \"得分\" 10分 { 得 得分 }\n"
                           "指标 二 \"票数\" 10分 { 分档 排名(" + rankArg + ") { 1 至 1: 10分; 否则: 0分 } }\n"
                           "指标 三 \"名次\" 10分 { 分档 排名(" + rankArg + ") { 1 至 2: 10分; 否则: 0分 } }\n" +
                           awards;
  DiagnosticEngine diags;
  auto program = ir::compileFile(std::make_shared<SourceFile>("shared.rubric", text), diags);
  INFO(text);
  REQUIRE(program);
  return program;
}

int slotsOfKind(const ir::Program &p, runtime::SlotKind kind) {
  return static_cast<int>(std::count_if(p.desc.slots.begin(), p.desc.slots.end(),
                                        [&](const runtime::SlotDesc &s) { return s.kind == kind; }));
}

} // namespace

TEST_CASE("an award key that is a slot (按 总分) is read there, no copy", "[lower]") {
  auto p = lower("奖项 \"甲等\" 名额 1 按 总分 降序 并列时报告待定\n"
                 "奖项 \"乙等\" 名额 2 按 总分 降序 并列一并列入\n");
  REQUIRE(p->desc.awards.size() == 2);
  CHECK(p->desc.awards[0].rankSlot == p->desc.totalSlot);
  CHECK(p->desc.awards[1].rankSlot == p->desc.totalSlot);
  CHECK(slotsOfKind(*p, runtime::SlotKind::AwardRankKey) == 0);
}

TEST_CASE("equal award conditions share a slot — different ones do not", "[lower]") {
  auto p = lower("奖项 \"甲等\" 当 达标 且 得分 > 5 名额 1 按 总分 降序 并列时报告待定\n"
                 "奖项 \"乙等\" 当 达标 且 得分 > 5 名额 2 按 总分 降序 并列时报告待定\n"
                 "奖项 \"丙等\" 当 达标 且 得分 > 6 名额 3 按 总分 降序 并列时报告待定\n"
                 "奖项 \"丁等\" 当 得分 ÷ 票数 > 1 名额 3 按 总分 降序 并列时报告待定\n"
                 "奖项 \"戊等\" 当 得分 ÷ 票数 > 1 名额 3 按 总分 降序 并列时报告待定\n"
                 "奖项 \"戊等\" 当 得分 ÷ 票数 > 1 名额 4 按 总分 降序 并列时报告待定\n");
  const auto &a = p->desc.awards;
  REQUIRE(a.size() == 6);
  CHECK(a[1].condSlot == a[0].condSlot);  // cannot fail: shared across award names
  CHECK(a[2].condSlot != a[0].condSlot);  // 6, not 5
  // A division can fail: its error names the award, so 丁等 and 戊等 keep their own slot …
  CHECK(a[4].condSlot != a[3].condSlot);
  CHECK(a[5].condSlot == a[4].condSlot);  // … but the two 戊等 share one
  CHECK(slotsOfKind(*p, runtime::SlotKind::AwardCond) == 4);
}

TEST_CASE("a population argument that is an input column is read there: no PopArg, one step", "[lower]") {
  auto p = lower("");
  CHECK(slotsOfKind(*p, runtime::SlotKind::PopArg) == 0);
  REQUIRE(p->desc.population.size() == 1);
  const runtime::PopulationStep &st = p->desc.population[0];
  CHECK(st.func == runtime::PopFunc::RankDesc);
  CHECK(st.argSlot == -1);
  REQUIRE(st.argColumn >= 0);
  CHECK(p->desc.columns[static_cast<size_t>(st.argColumn)].name == "票数");
}

TEST_CASE("the same population argument expression twice is one PopArg and one step", "[lower]") {
  auto p = lower("", "票数 + 得分");
  CHECK(slotsOfKind(*p, runtime::SlotKind::PopArg) == 1);
  REQUIRE(p->desc.population.size() == 1);
  CHECK(p->desc.population[0].argColumn == -1);
  CHECK(p->desc.population[0].argSlot >= 0);
}

TEST_CASE("award conditions known at compile time: always → no slot, never → one shared slot", "[lower]") {
  auto p = lower("奖项 \"甲等\" 当 2 > 1 名额 1 按 总分 降序 并列时报告待定\n"
                 "奖项 \"乙等\" 当 1 > 2 名额 1 按 总分 降序 并列时报告待定\n"
                 "奖项 \"丙等\" 当 1 = 2 或 2 < 1 名额 1 按 总分 降序 并列时报告待定\n"
                 "奖项 \"丁等\" 当 达标 = 是 且 1 = 1 名额 1 按 总分 降序 并列时报告待定\n"
                 "奖项 \"戊等\" 当 达标 = 是 名额 1 按 总分 降序 并列时报告待定\n"
                 "奖项 \"己等\" 当 得分 ÷ 票数 > 1 且 1 > 2 名额 1 按 总分 降序 并列时报告待定\n");
  const auto &a = p->desc.awards;
  REQUIRE(a.size() == 6);
  CHECK(a[0].condSlot == -1);
  REQUIRE(a[1].condSlot >= 0);
  CHECK(a[2].condSlot == a[1].condSlot);
  CHECK(a[3].condSlot == a[4].condSlot);  // (达标 = 是) 且 (1 = 1) is 达标 = 是
  CHECK(a[5].condSlot != a[1].condSlot);  // the division's error still counts: not folded away
  CHECK(slotsOfKind(*p, runtime::SlotKind::AwardCond) == 3);
}

// A (可缺) field: its empty cell already holds "no value", so 全体平均(上年件数) reads
// the column as it is; an expression of it (上年件数 + 1) still needs a PopArg slot,
// guarded so that a candidate without the value stays out.
TEST_CASE("a population function of a bare (可缺) field reads its column — an expression of it gets a PopArg", "[lower]") {
  auto compile = [](const std::string &arg) {
    const std::string text = "方案 甲 { }\n"
                             "输入 { 单位: 文本 (标识); 上年件数: 整数 (可缺) }\n"
                             "指标 一 \"平均\" 10分 { 得 全体平均(" + arg + ") }\n";
    DiagnosticEngine diags;
    auto program = ir::compileFile(std::make_shared<SourceFile>("optional.rubric", text), diags);
    INFO(text);
    REQUIRE(program);
    return program;
  };
  auto bare = compile("上年件数");
  REQUIRE(bare->desc.population.size() == 1);
  CHECK(slotsOfKind(*bare, runtime::SlotKind::PopArg) == 0);
  REQUIRE(bare->desc.population[0].argColumn >= 0);
  CHECK(bare->desc.columns[static_cast<size_t>(bare->desc.population[0].argColumn)].name == "上年件数");
  auto sum = compile("上年件数 + 1");
  REQUIRE(sum->desc.population.size() == 1);
  CHECK(slotsOfKind(*sum, runtime::SlotKind::PopArg) == 1);
  CHECK(sum->desc.population[0].argColumn == -1);
}

