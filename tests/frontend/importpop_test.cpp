// 引用 … 为 别名 全体另给 [按 字段] (issue 11, helper importpop), front end:
// the parse, and the sema errors E0180–E0184. The runs (a progress scheme
// over a collective file given with --with) are tested by tests/e2e/importpop_test.sh.
#include <string>

#include <catch2/catch.hpp>

#include "FrontendTestUtil.h"

using namespace rubric;
using namespace rubric::test;

namespace {

const std::string kCollective =
    "方案 集 { 级别 {县级, 地州市级} }\n输入 { 单位名称: 文本 (标识); 得票数: 件数 }\n"
    "指标 一 \"满意度\" 10分 { 得 10分 × (候选数() - 排名(得票数)) ÷ 最大(候选数() - 1, 1) }\n";
const std::string kNoId = "方案 集 { }\n输入 { 单位名称: 文本; 得票数: 件数 }\n指标 一 \"票\" 10分 { 得 得票数 × 1分 }\n";
const std::string kNested = "方案 套 { }\n引用 \"c.rubric\" 为 里 全体另给\n输入 { 单位名称: 文本 (标识) }\n"
                            "指标 一 \"转\" 10分 { 得 里.总分 }\n";

std::unique_ptr<Compiled> compileWith(const std::string &text) {
  static const VirtualFiles files = {{"c.rubric", kCollective}, {"noid.rubric", kNoId}, {"nested.rubric", kNested}};
  return compile(text, "main.rubric", &files);
}

std::string progress(const std::string &import, const std::string &inputs = "单位名称: 文本 (标识); 上年: 整数",
                     const std::string &cases = "") {
  return "方案 进 { }\n" + import + "\n输入 { " + inputs + " }\n"
         "否决 \"集体评选中取消资格\" 当 集体.被取消资格 => 取消资格\n"
         "指标 一 \"集体\" 10分 { 得 集体.总分 }\n"
         "奖项 \"进步\" 当 上年 - 排名(总分) > 0\n" + cases;
}

} // namespace

TEST_CASE("全体另给 parses, with and without 按", "[importpop]") {
  auto c = compileWith(progress("引用 \"c.rubric\" 为 集体 全体另给"));
  INFO(c->rendered());
  REQUIRE(c->errors() == 0);
  REQUIRE(c->file->imports.size() == 1);
  CHECK(c->file->imports[0].wholePopulation);
  CHECK(c->file->imports[0].matchField.empty());
  CHECK(c->checked->isWholePopulation("集体"));
  CHECK(c->checked->wholePopulationMatch.at("集体")->name == "单位名称");   // this scheme's 标识

  auto by = compileWith(progress("引用 \"c.rubric\" 为 集体 全体另给 按 所在单位",
                                 "编号: 文本 (标识); 所在单位: 文本; 上年: 整数"));
  INFO(by->rendered());
  REQUIRE(by->errors() == 0);
  CHECK(by->file->imports[0].matchField == "所在单位");
  CHECK(by->checked->wholePopulationMatch.at("集体")->name == "所在单位");

  auto plain = compileWith(progress("引用 \"c.rubric\" 为 集体"));   // 集体.被取消资格 only with 全体另给
  CHECK(plain->count("E0104") + plain->count("E0101") >= 1);
  CHECK_FALSE(plain->checked->isWholePopulation("集体"));
}

TEST_CASE("全体另给: E0180 E0181 E0182 E0184", "[importpop][diag]") {
  auto noId = compileWith(progress("引用 \"noid.rubric\" 为 集体 全体另给"));
  CHECK(noId->count("E0180") == 1);   // the imported scheme has no 标识

  auto notText = compileWith(progress("引用 \"c.rubric\" 为 集体 全体另给 按 上年"));
  CHECK(notText->count("E0181") == 1);   // 上年 is a whole number, not text

  auto unknown = compileWith(progress("引用 \"c.rubric\" 为 集体 全体另给 按 所在"));
  CHECK(unknown->count("E0101") >= 1);   // no such field (with a suggestion)

  auto nested = compileWith(progress("引用 \"nested.rubric\" 为 集体 全体另给"));
  CHECK(nested->count("E0182") == 1);

  auto noMatch = compileWith(progress("引用 \"c.rubric\" 为 集体 全体另给", "单位名称: 文本; 上年: 整数"));
  CHECK(noMatch->count("E0184") == 1);   // no 标识 here and no 按 字段
}

TEST_CASE("全体另给: a 用例 gives the import's results, not its inputs (E0183)", "[importpop][diag]") {
  auto results = compileWith(progress("引用 \"c.rubric\" 为 集体 全体另给", "单位名称: 文本 (标识); 上年: 整数",
                                      "用例 \"甲\" { 输入 { 单位名称: \"甲\"; 上年: 3; \"集体.总分\": 8; \"集体.满意度\": 8; "
                                      "\"集体.被取消资格\": 否 } 期望 { 总分: 8 } }\n"));
  INFO(results->rendered());
  CHECK(results->errors() == 0);

  auto inputs = compileWith(progress("引用 \"c.rubric\" 为 集体 全体另给", "单位名称: 文本 (标识); 上年: 整数",
                                     "用例 \"甲\" { 输入 { 单位名称: \"甲\"; 上年: 3; 得票数: 500 } 期望 { 总分: 8 } }\n"));
  REQUIRE(inputs->count("E0183") == 1);
  // The message lists what a case may give instead.
  CHECK(inputs->rendered().find("集体.被取消资格") != std::string::npos);
}
