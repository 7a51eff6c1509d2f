// Program ⇄ JSON round trip.
#include <catch2/catch.hpp>

#include "FakeKernel.h"

using namespace rubric::runtime;

TEST_CASE("Program JSON round trip is exact") {
  fake::Options o;
  o.population = o.quotaAward = o.validation = o.param = true;
  o.ties = TiePolicy::BreakByKeys;
  Program p = fake::makeProgram(o);
  p.awards[1].tieKeys.push_back({0, false});
  p.columns[3].defaultValue = INT64_MIN;  // extremes survive
  p.columns[4].optional = false;
  p.slots[2].points = "0.333333";
  p.fields[1].note = "带 \"引号\" 和\n换行";
  p.columns[5].minValue = -500'000;  // 范围 -50% 至 200%
  p.columns[5].maxValue = 2'000'000;
  p.fields[2].optional = true;
  p.fields[2].defaultText = "100%";
  p.fields[2].rangeText = "0% 至 100%";
  std::string j = p.toJson();
  Program q = Program::fromJson(j);
  CHECK(q.toJson() == j);
  CHECK(q.columns.size() == p.columns.size());
  CHECK(q.columns[3].defaultValue == INT64_MIN);
  CHECK_FALSE(q.columns[4].optional);
  CHECK(q.columns[6].kind == ValueKind::Percent);
  CHECK(q.columns[6].elementField == "任务完成");
  CHECK(q.lists[0].elementColumns == p.lists[0].elementColumns);
  CHECK(q.fields[1].note == p.fields[1].note);
  CHECK(q.columns[5].minValue == -500'000);
  CHECK(q.columns[5].maxValue == 2'000'000);
  CHECK(q.columns[0].minValue == INT64_MIN);  // unbounded stays unbounded
  CHECK(q.fields[2].optional);
  CHECK(q.fields[2].defaultText == "100%");
  CHECK(q.fields[2].rangeText == "0% 至 100%");
  CHECK(q.fields[4].enumValues == std::vector<std::string>{"县级", "市级"});
  CHECK(q.slots[4].kind == SlotKind::VetoFlag);
  CHECK(q.slots[6].phase == 2);
  CHECK(q.population[1].func == PopFunc::LevelRankDesc);
  CHECK(q.population[1].levelColumn == 4);
  CHECK(q.awards[1].quota == 2);
  CHECK(q.awards[1].ties == TiePolicy::BreakByKeys);
  CHECK(q.awards[1].tieKeys.size() == 1);
  CHECK(q.awards[1].tieKeys[0].slot == 0);
  CHECK_FALSE(q.awards[1].tieKeys[0].descending);
  CHECK(q.validations[0].uniqueFields == std::vector<std::string>{"案卷号", "备用案卷号"});
  CHECK(q.params[0].name == "加分");
  CHECK(q.totalSlot == 3);
  CHECK(q.levelColumn == 4);
  CHECK(q.idField == 0);
}

TEST_CASE("Program JSON: defaults for absent keys, errors for bad input") {
  Program p = Program::fromJson(R"({"columns":[{"name":"x"}],"slots":[{"kind":"Total"}]})");
  REQUIRE(p.columns.size() == 1);
  CHECK(p.columns[0].kind == ValueKind::Decimal);
  CHECK(p.columns[0].optional);
  CHECK(p.slots[0].kind == SlotKind::Total);
  CHECK(p.totalSlot == -1);
  CHECK_THROWS_AS(Program::fromJson("not json"), std::runtime_error);
  CHECK_THROWS_AS(Program::fromJson(R"({"columns":[{"kind":"Float"}]})"), std::runtime_error);
  CHECK_THROWS_AS(Program::fromJson("[]"), std::runtime_error);
}

TEST_CASE("column widths: one byte for 是否 and 枚举 whose values fit, carried in the JSON") {
  ColumnDesc c;
  CHECK(narrowWidth(c) == 8);  // 小数
  c.kind = ValueKind::Bool;
  CHECK(narrowWidth(c) == 1);
  c.defaultValue = INT64_MIN;  // (可缺): "no value" does not fit a byte
  CHECK(narrowWidth(c) == 8);
  c.kind = ValueKind::Enum;
  c.defaultValue = 255;
  c.enumValues.assign(256, "值");  // indices 0 … 255
  CHECK(narrowWidth(c) == 1);
  c.enumValues.emplace_back("第257个");
  CHECK(narrowWidth(c) == 8);
  c.enumValues.resize(3);
  c.defaultValue = 256;
  CHECK(narrowWidth(c) == 8);
  c.kind = ValueKind::Count;
  c.defaultValue = 0;
  CHECK(narrowWidth(c) == 8);

  Program p = Program::fromJson(R"({"columns":[{"name":"x","kind":"Bool","width":1},{"name":"y"}]})");
  CHECK(p.columns[0].width == 1);
  CHECK(p.columns[1].width == 8);  // absent: wide
  CHECK(Program::fromJson(p.toJson()).columns[0].width == 1);
  // A width that would truncate the column's values, or one other than 1 and 8, is refused.
  CHECK_THROWS_WITH(Program::fromJson(R"({"columns":[{"name":"x","kind":"Decimal","width":1}]})"),
                    Catch::Contains("column \"x\" has width 1"));
  CHECK_THROWS_WITH(Program::fromJson(R"({"columns":[{"name":"x","kind":"Bool","width":4}]})"),
                    Catch::Contains("width 4"));
}
