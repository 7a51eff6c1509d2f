// Grouped list aggregates: 前50%平均(人员 按 姓名: 平均(成绩)) — the elements
// grouped by a field before the colon, one merge per group after it, the
// outer aggregate over the groups (language.md §5.3; E0185–E0188).
#include <string>

#include <catch2/catch.hpp>

#include "FrontendTestUtil.h"

using namespace rubric;
using namespace rubric::test;

namespace {

const std::string kHead =
    "方案 甲 { }\n输入 { 单位: 文本 (标识); 人员: 列表 {姓名: 文本; 组别: 枚举{甲组, 乙组}; 合格: 是否; 成绩: 百分比} }\n";

std::unique_ptr<Compiled> item(const std::string &rule) {
  return compile(kHead + "指标 一 \"x\" 10分 { 得 " + rule + " }\n");
}

} // namespace

TEST_CASE("grouped aggregates: text, enum and yes/no keys, every merge, English names", "[groupagg]") {
  for (const char *rule : {"前50%平均(人员 按 姓名: 平均(10分 × 成绩))", "前3平均(人员 按 姓名: 最好(10分 × 成绩))",
                           "求和(人员 按 组别: 最好(成绩))", "最差(人员 按 合格: 求和(成绩))",
                           "计数(人员 按 姓名: 任一(是))", "计数(人员 按 姓名: 全部(成绩 达到 60%))",
                           "最好(人员 按 姓名: 计数(合格))", "average(人员 按 姓名: best(成绩))",
                           "若 任一(人员: 合格) 则 平均(人员 按 姓名: 最差(成绩)) 否则 0"}) {
    auto c = item(rule);
    INFO(rule << "\n" << c->rendered());
    CHECK(c->errors() == 0);
  }
}

TEST_CASE("E0185: the key must be one text, enum or yes/no field of the elements", "[groupagg]") {
  auto number = item("前50%平均(人员 按 成绩: 平均(成绩))");
  CHECK(number->count("E0185") == 1);
  CHECK(number->rendered().find("按“成绩”分组") != std::string::npos);
  CHECK(item("前50%平均(人员 按 单位: 平均(成绩))")->count("E0185") == 1);  // the record's field, not the element's
  // A misspelt key is an unknown name with the element field suggested.
  auto typo = item("前50%平均(人员 按 姓明: 平均(成绩))");
  CHECK(typo->count("E0101") == 1);
  CHECK(typo->rendered().find("姓名") != std::string::npos);
}

TEST_CASE("E0186: after the colon one merge of one argument, with did-you-mean", "[groupagg]") {
  auto typo = item("前50%平均(人员 按 姓名: 平钧(成绩))");
  CHECK(typo->count("E0186") == 1);
  CHECK(typo->rendered().find("您是否想写“平均”") != std::string::npos);
  CHECK(item("前50%平均(人员 按 姓名: 10分 × 平均(成绩))")->count("E0186") == 1);  // arithmetic goes inside
  CHECK(item("前50%平均(人员 按 姓名: 成绩)")->count("E0186") == 1);
}

TEST_CASE("E0187: 计数/全部/任一 over groups need yes/no groups, the others numbers", "[groupagg]") {
  CHECK(item("计数(人员 按 姓名: 平均(成绩))")->count("E0187") == 1);
  CHECK(item("平均(人员 按 姓名: 任一(合格))")->count("E0187") == 1);
  CHECK(item("前50%平均(人员 按 姓名: 全部(合格))")->count("E0187") == 1);
  // The merge's own argument is checked as the merge needs it (E0201-style type errors).
  CHECK(item("前50%平均(人员 按 姓名: 平均(合格))")->errors() == 1);
}

TEST_CASE("E0188: 分组最高 does not take 按 before the colon", "[groupagg]") {
  auto c = item("分组最高(人员 按 组别: 最好(成绩))");
  CHECK(c->count("E0188") == 1);
  CHECK(c->rendered().find("求和(列表 按 组别: 最好(…))") != std::string::npos);
}
