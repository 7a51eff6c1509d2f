// One test per construct of DESIGN.md §3: a small rubric written from the seed
// sentence quoted beside it must parse and check with no diagnostic at all, and
// the AST must say what the sentence says.
#include <algorithm>
#include <functional>

#include <catch2/catch.hpp>

#include "FrontendTestUtil.h"

using namespace rubric;
using namespace rubric::test;
using rubric::ast::CmpOp;
using rubric::ast::ExprKind;
using rubric::ast::NodeKind;
using rubric::ast::RuleKind;

namespace {

// Compiles and requires a clean result (no error, no warning, no note).
std::unique_ptr<Compiled> clean(const std::string &text, const VirtualFiles *imports = nullptr) {
  auto c = compile(text, "test.rubric", imports);
  INFO(c->rendered());
  REQUIRE(c->file != nullptr);
  REQUIRE(c->checked != nullptr);
  CHECK(c->errors() == 0);
  CHECK(c->diags.all().empty());
  return c;
}

} // namespace

// ─────────────────────────────────────────────────────────────────────────────
// 1. scheme header
//    seed 000: "参评2023年12月至2024年11月练兵情况"; seed 001: 巴南环保发〔2025〕14号
TEST_CASE("construct 01: scheme header (title, issuer, 文号, year, period, target, levels)", "[parse][construct]") {
  auto c = clean(R"(
方案 「巴南2025集体」 {
  标题 "生态环境保护执法实战大练兵活动方案实施细则（集体指标）"
  发布 "重庆市巴南区生态环境局"
  文号 "巴南环保发〔2025〕14号"
  年度 2025
  期间 2023-12 至 2024-11     // 参评2023年12月至2024年11月练兵情况
  对象 集体
  级别 {省级, 市级, 县级}
  总分 2
}
输入 { 单位: 文本 (标识); 统一标识: 是否 }
指标 一 "统一标识" 2分 { 当 统一标识 得 2分 }
)");
  const auto &s = c->file->scheme;
  CHECK(s.id == "巴南2025集体");
  REQUIRE(headerEntry(*c->file, "标题"));
  CHECK(headerEntry(*c->file, "标题")->value == "生态环境保护执法实战大练兵活动方案实施细则（集体指标）");
  REQUIRE(headerEntry(*c->file, "发布"));
  CHECK(headerEntry(*c->file, "发布")->value == "重庆市巴南区生态环境局");
  REQUIRE(headerEntry(*c->file, "文号"));
  CHECK(headerEntry(*c->file, "文号")->value == "巴南环保发〔2025〕14号");
  REQUIRE(headerEntry(*c->file, "年度"));
  CHECK(headerEntry(*c->file, "年度")->value == "2025");
  REQUIRE(s.periodFrom);
  REQUIRE(s.periodTo);
  CHECK(*s.periodFrom == "2023-12");
  CHECK(*s.periodTo == "2024-11");
  CHECK(s.target == "集体");
  CHECK(s.levels == std::vector<std::string>{"省级", "市级", "县级"});
  CHECK(s.levelSpans.size() == 3);
}

// ─────────────────────────────────────────────────────────────────────────────
// 2. hierarchy with declared points
//    seed 000: "一、队伍建设与管理（30分）… 队伍建设 11 … 1.机构规范化建设（2分）"
TEST_CASE("construct 02: hierarchy 指标 → 二级 → 项 → 子项 with declared points", "[parse][construct]") {
  auto c = clean(R"(
方案 层级 { 总分 30 }
输入 { 单位: 文本 (标识); 省级试点: 是否; 国家级试点: 是否; 标配装备项数: 件数; 信息化: 是否 }
指标 一 "队伍建设与管理" 30分 {
  二级 "队伍建设" 11分 {
    项 1 "机构规范化建设" 2分 {
      当 省级试点 得 1分
      当 国家级试点 得 1分
    }
    项 2 "装备配备" 9分 {
      子项 (1) "标配装备" 9分 { 当 标配装备项数 达到 20 得 2分 }
    }
  }
  二级 "信息化建设与应用" 19分 { 当 信息化 得 19分 }
}
)");
  REQUIRE(c->file->indicators.size() == 1);
  const ast::Node &ind = *c->file->indicators[0];
  CHECK(ind.kind == NodeKind::Indicator);
  CHECK(ind.label == "一");
  CHECK(ind.title == "队伍建设与管理");
  CHECK(ind.points == std::optional<std::string>("30"));
  REQUIRE(ind.children.size() == 2);
  const ast::Node &team = *ind.children[0];
  CHECK(team.kind == NodeKind::SubIndicator);
  CHECK(team.label.empty());
  CHECK(team.points == std::optional<std::string>("11"));
  REQUIRE(team.children.size() == 2);
  CHECK(team.children[0]->kind == NodeKind::Item);
  CHECK(team.children[0]->label == "1");
  CHECK(team.children[0]->title == "机构规范化建设");
  CHECK(team.children[0]->points == std::optional<std::string>("2"));
  CHECK(team.children[0]->rules.size() == 2);
  REQUIRE(team.children[1]->children.size() == 1);
  const ast::Node &sub = *team.children[1]->children[0];
  CHECK(sub.kind == NodeKind::SubItem);
  CHECK(sub.label == "1"); // (1) → "1"
  CHECK(sub.title == "标配装备");
  // Children before parents in the evaluation order.
  const auto &order = c->checked->evaluationOrder;
  auto pos = [&](const ast::Node *n) { return std::find(order.begin(), order.end(), n) - order.begin(); };
  CHECK(order.size() == 6);
  CHECK(pos(&sub) < pos(team.children[1].get()));
  CHECK(pos(&team) < pos(&ind));
}

// ─────────────────────────────────────────────────────────────────────────────
// 3. row metadata: 指标说明, 数据来源/佐证材料, 指导处室, 责任科室, 完成时限
//    seed 000 附件1 columns: 数据来源及有关说明 | 执法总队指导处室 | 执法支队责任科室 | 完成时限
TEST_CASE("construct 03: row metadata columns", "[parse][construct]") {
  auto c = clean(R"(
方案 元数据 { }
输入 { 单位: 文本 (标识); 省级试点: 是否 }
指标 一 "队伍建设与管理" 2分 {
  指标说明 "评价候选集体在队伍建设、信息化建设与应用、执法稽查等工作开展情况"
  项 1 "机构规范化建设" 2分 {
    当 省级试点 得 2分
    数据来源 "生态环境部日常工作调度和全国执法队伍管理系统查询"
    佐证材料 "候选集体提供的机构规范化建设情况材料"
    指导处室 "综合处"
    责任科室 "综合科"
    完成时限 "2024年11月30日前"
  }
}
)");
  const ast::Node *ind = findNode(*c->file, "队伍建设与管理");
  REQUIRE(ind);
  CHECK(metaValue(*ind, "指标说明") == "评价候选集体在队伍建设、信息化建设与应用、执法稽查等工作开展情况");
  const ast::Node *item = findNode(*c->file, "机构规范化建设");
  REQUIRE(item);
  REQUIRE(item->meta.size() == 5);
  CHECK(item->meta[0].key == "数据来源");
  CHECK(metaValue(*item, "数据来源") == "生态环境部日常工作调度和全国执法队伍管理系统查询");
  CHECK(metaValue(*item, "佐证材料") == "候选集体提供的机构规范化建设情况材料");
  CHECK(metaValue(*item, "指导处室") == "综合处");
  CHECK(metaValue(*item, "责任科室") == "综合科");
  CHECK(metaValue(*item, "完成时限") == "2024年11月30日前");
  CHECK(item->rules.size() == 1); // metadata is not a rule
}

// ─────────────────────────────────────────────────────────────────────────────
// 4. condition → points
//    seed 002: "完成执法执勤车辆统一标识的，得0.8分"；"在其他办公场所或执法装备上统一标识的，得0.2分"
//    (with a 用例: candidate inputs → expected points)
TEST_CASE("construct 04: condition gives points (当 … 得), with a test case", "[parse][construct]") {
  auto c = clean(R"(
方案 条件给分 { }
输入 { 单位: 文本 (标识); 完成车辆统一标识: 是否; 其他场所统一标识: 是否 }
指标 一 "统一标识" 1分 {
  当 完成车辆统一标识 得 0.8分
  当 其他场所统一标识 得 0.2分
}
用例 "车辆已标识" {
  输入 { 单位: "巴南区"; 完成车辆统一标识: 是; 其他场所统一标识: 否 }
  期望 { 总分: 0.8; 【统一标识】: 0.8; 状态: "有效" }
}
)");
  const ast::Node *n = findNode(*c->file, "统一标识");
  REQUIRE(n);
  REQUIRE(n->rules.size() == 2);
  const ast::Rule &r = n->rules[0];
  CHECK(r.kind == RuleKind::When);
  CHECK_FALSE(r.deduct);
  REQUIRE(r.subject);
  CHECK(r.subject->kind == ExprKind::Name);
  CHECK(r.subject->text == "完成车辆统一标识");
  REQUIRE(r.award.expr);
  CHECK(r.award.expr->kind == ExprKind::Number);
  CHECK(r.award.expr->text == "0.8");
  CHECK(r.award.expr->isPoints);
  CHECK(expr(n->rules[1].award.expr) == "0.2分");
  // the name resolved to the input field
  auto it = c->checked->names.find(r.subject.get());
  REQUIRE(it != c->checked->names.end());
  CHECK(it->second.kind == sema::Resolution::Field);
  REQUIRE(it->second.field);
  CHECK(it->second.field->name == "完成车辆统一标识");

  REQUIRE(c->file->cases.size() == 1);
  const ast::TestCase &tc = c->file->cases[0];
  CHECK(tc.name == "车辆已标识");
  REQUIRE(tc.inputs.size() == 3);
  CHECK(tc.inputs[0].key == "单位");
  CHECK(tc.inputs[0].literal == "巴南区");
  CHECK(tc.inputs[1].key == "完成车辆统一标识");
  CHECK(tc.inputs[1].literal == "是");
  CHECK(tc.inputs[2].literal == "否");
  REQUIRE(tc.expected.size() == 3);
  CHECK(tc.expected[0].key == "总分");
  CHECK_FALSE(tc.expected[0].isNodeRef);
  CHECK(tc.expected[0].literal == "0.8");
  CHECK(tc.expected[1].key == "统一标识");
  CHECK(tc.expected[1].isNodeRef);
  CHECK(tc.expected[1].literal == "0.8");
  CHECK(tc.expected[2].key == "状态");
  CHECK(tc.expected[2].literal == "有效");
}

// ─────────────────────────────────────────────────────────────────────────────
// 5. exclusive choice by enum
//    seed 002 (个人): "省级以上每项得3分；地市级每项得2分；县级每项得1分"
TEST_CASE("construct 05: exclusive choice by an ordered enum (按 … { 省级 以上: … })", "[parse][construct]") {
  auto c = clean(R"(
方案 枚举选择 { }
输入 { 姓名: 文本 (标识); 荣誉级别: 枚举{无, 县级, 地市级, 省级, 国家级} }
指标 一 "荣誉称号" 3分 {
  项 1 "获得荣誉称号情况" 3分 {
    按 荣誉级别 { 省级 以上: 3分; 地市级: 2分; 县级: 1分; 无: 0分 }
  }
}
)");
  const ast::FieldDecl *f = input(*c->file, "荣誉级别");
  REQUIRE(f);
  CHECK(f->type.kind == ast::TypeKind::Enum);
  CHECK(f->type.enumValues == std::vector<std::string>{"无", "县级", "地市级", "省级", "国家级"});
  const ast::Node *n = findNode(*c->file, "获得荣誉称号情况");
  REQUIRE(n);
  REQUIRE(n->rules.size() == 1);
  const ast::Rule &r = n->rules[0];
  CHECK(r.kind == RuleKind::Choice);
  CHECK(expr(r.subject) == "荣誉级别");
  REQUIRE(r.choices.size() == 4);
  CHECK(r.choices[0].value == "省级");
  CHECK(r.choices[0].andAbove);
  CHECK(expr(r.choices[0].points) == "3分");
  CHECK(r.choices[1].value == "地市级");
  CHECK_FALSE(r.choices[1].andAbove);
  CHECK(expr(r.choices[1].points) == "2分");
  CHECK(r.choices[2].value == "县级");
  CHECK(expr(r.choices[2].points) == "1分");
  CHECK(r.choices[3].value == "无");
}

// The language brief writes the "and above" choice glued: `省级以上: 3分` (the
// lexer reads 省级以上 as one name; the AST builder splits it as a reader would).
TEST_CASE("construct 05b: documented glued form 省级以上: 3分 is accepted", "[parse][construct]") {
  auto c = compile(R"(
方案 枚举选择 { }
输入 { 姓名: 文本 (标识); 荣誉级别: 枚举{无, 县级, 地市级, 省级, 国家级} }
指标 一 "荣誉称号" 3分 {
  项 1 "获得荣誉称号情况" 3分 { 按 荣誉级别 { 省级以上: 3分; 地市级: 2分; 县级: 1分; 无: 0分 } }
}
)");
  INFO(c->rendered());
  REQUIRE(c->file);
  CHECK(c->errors() == 0);
  const ast::Node *n = findNode(*c->file, "获得荣誉称号情况");
  REQUIRE(n);
  REQUIRE(n->rules.size() == 1);
  REQUIRE(!n->rules[0].choices.empty());
  CHECK(n->rules[0].choices[0].value == "省级");
  CHECK(n->rules[0].choices[0].andAbove);
}

// ─────────────────────────────────────────────────────────────────────────────
// 6. per-unit points with a cap
//    seed 002: "每件得0.5分，最高得2分"; "每类得1分"
TEST_CASE("construct 06: per-unit points with and without a cap (每件 … 最高 / 每类)", "[parse][construct]") {
  auto c = clean(R"(
方案 每件计分 { }
输入 { 单位: 文本 (标识); 新装备案件: 件数; 新领域类别数: 项数 }
指标 一 "案件查办" 3分 {
  项 1 "新装备运用情况" 2分 { 每件 新装备案件 得 0.5分，最高 2分 }
  项 2 "新领域案件办理" 1分 { 每类 新领域类别数 得 1分 }
}
)");
  const ast::Node *a = findNode(*c->file, "新装备运用情况");
  REQUIRE(a);
  REQUIRE(a->rules.size() == 1);
  CHECK(a->rules[0].kind == RuleKind::PerUnit);
  CHECK(a->rules[0].unitWord == "每件");
  CHECK(expr(a->rules[0].subject) == "新装备案件");
  CHECK(expr(a->rules[0].award.expr) == "0.5分");
  REQUIRE(a->rules[0].cap);
  CHECK(expr(a->rules[0].cap) == "2分");
  const ast::Node *b = findNode(*c->file, "新领域案件办理");
  REQUIRE(b);
  REQUIRE(b->rules.size() == 1);
  CHECK(b->rules[0].kind == RuleKind::PerUnit);
  CHECK(b->rules[0].unitWord == "每类");
  CHECK_FALSE(b->rules[0].cap);
  // 项数 is a count type
  REQUIRE(input(*c->file, "新领域类别数"));
  CHECK(input(*c->file, "新领域类别数")->type.kind == ast::TypeKind::Count);
}

// ─────────────────────────────────────────────────────────────────────────────
// 7. points that depend on the candidate's level
//    seed 000/001: "市级每件得0.2分，县级每件得0.5分"
TEST_CASE("construct 07: level-specific points (得 {市级: …, 县级: …})", "[parse][construct]") {
  auto c = clean(R"(
方案 分级给分 { 级别 {市级, 县级} }
输入 { 单位: 文本 (标识); 新装备立案: 件数 }
指标 一 "案件查办" 2分 {
  项 "新装备运用情况" 2分 {
    每件 新装备立案 得 {市级: 0.2分, 县级: 0.5分}，最高 2分
  }
}
)");
  const ast::Node *n = findNode(*c->file, "新装备运用情况");
  REQUIRE(n);
  REQUIRE(n->rules.size() == 1);
  const ast::Rule &r = n->rules[0];
  CHECK(r.kind == RuleKind::PerUnit);
  CHECK_FALSE(r.award.expr);
  REQUIRE(r.award.byLevel.size() == 2);
  CHECK(r.award.byLevel[0].level == "市级");
  CHECK(expr(r.award.byLevel[0].points) == "0.2分");
  CHECK(r.award.byLevel[1].level == "县级");
  CHECK(expr(r.award.byLevel[1].points) == "0.5分");
  CHECK(expr(r.cap) == "2分");
}

// Level blocks: different rules per level (分级 { 市级 { … } 县级 { … } }).
TEST_CASE("construct 07b: per-level rule blocks (分级)", "[parse][construct]") {
  auto c = clean(R"(
方案 分级规则 { 级别 {市级, 县级} }
输入 { 单位: 文本 (标识); 立案数: 件数 }
指标 一 "案件查办" 2分 {
  分级 {
    市级 { 每件 立案数 得 0.2分，最高 2分 }
    县级 { 每件 立案数 得 0.5分，最高 2分 }
  }
}
)");
  const ast::Node *n = findNode(*c->file, "案件查办");
  REQUIRE(n);
  REQUIRE(n->rules.size() == 1);
  const ast::Rule &r = n->rules[0];
  CHECK(r.kind == RuleKind::ByLevel);
  REQUIRE(r.levels.size() == 2);
  CHECK(r.levels[0].level == "市级");
  REQUIRE(r.levels[0].rules.size() == 1);
  CHECK(expr(r.levels[0].rules[0].award.expr) == "0.2分");
  CHECK(r.levels[1].level == "县级");
  REQUIRE(r.levels[1].rules.size() == 1);
  CHECK(expr(r.levels[1].rules[0].award.expr) == "0.5分");
}

// ─────────────────────────────────────────────────────────────────────────────
// 8. tiers with Chinese boundary words
//    seed 000: "配备6项及以上的，得1分；配备3—5项的，得0.5分；配备不足3项的，不得分"
//    seed 003: "≥M×30%的，得2分；M×20%≤问题数量<M×30%，得1分"
TEST_CASE("construct 08: tiers with boundary words, ranges and run-dependent bounds", "[parse][construct]") {
  auto c = clean(R"(
方案 分档计分 { }
输入 { 单位: 文本 (标识); 选配装备项数: 项数; 问题数量: 件数 }
参数 { 问题基数: 件数 }
指标 一 "装备配备" 3分 {
  项 1 "选配装备" 1分 {
    分档 选配装备项数 { 6 及以上: 1分; 3—5: 0.5分; 不足 3: 0分 }
  }
  项 2 "发现问题" 2分 {
    分档 问题数量 { ≥ 问题基数 × 30%: 2分; ≥ 问题基数 × 20% 且 < 问题基数 × 30%: 1分; 否则: 0分 }
  }
}
)");
  const ast::Node *a = findNode(*c->file, "选配装备");
  REQUIRE(a);
  REQUIRE(a->rules.size() == 1);
  const ast::Rule &r = a->rules[0];
  CHECK(r.kind == RuleKind::Tiers);
  CHECK(expr(r.subject) == "选配装备项数");
  REQUIRE(r.tiers.size() == 3);
  // 6 及以上 → [6, +∞)
  REQUIRE(r.tiers[0].lo);
  CHECK(expr(r.tiers[0].lo->value) == "6");
  CHECK(r.tiers[0].lo->inclusive);
  CHECK_FALSE(r.tiers[0].hi);
  CHECK(expr(r.tiers[0].points) == "1分");
  // 3—5 → [3, 5], both ends included
  REQUIRE(r.tiers[1].lo);
  REQUIRE(r.tiers[1].hi);
  CHECK(expr(r.tiers[1].lo->value) == "3");
  CHECK(r.tiers[1].lo->inclusive);
  CHECK(expr(r.tiers[1].hi->value) == "5");
  CHECK(r.tiers[1].hi->inclusive);
  CHECK(expr(r.tiers[1].points) == "0.5分");
  // 不足 3 → (-∞, 3): 不足 excludes the bound
  CHECK_FALSE(r.tiers[2].lo);
  REQUIRE(r.tiers[2].hi);
  CHECK(expr(r.tiers[2].hi->value) == "3");
  CHECK_FALSE(r.tiers[2].hi->inclusive);
  CHECK_FALSE(r.tiers[2].isElse);

  const ast::Node *b = findNode(*c->file, "发现问题");
  REQUIRE(b);
  REQUIRE(b->rules.size() == 1);
  const auto &t = b->rules[0].tiers;
  REQUIRE(t.size() == 3);
  REQUIRE(t[0].lo);
  CHECK(expr(t[0].lo->value) == "(问题基数 × 30%)");
  CHECK(t[0].lo->inclusive);
  REQUIRE(t[1].lo);
  REQUIRE(t[1].hi);
  CHECK(expr(t[1].lo->value) == "(问题基数 × 20%)");
  CHECK(t[1].lo->inclusive);
  CHECK(expr(t[1].hi->value) == "(问题基数 × 30%)");
  CHECK_FALSE(t[1].hi->inclusive);
  CHECK(t[2].isElse);
  CHECK(expr(t[2].points) == "0分");
}

// Every boundary word maps to the 民法典 第一千二百五十九条 convention.
TEST_CASE("construct 08b: boundary words map to inclusive / exclusive comparisons", "[parse][construct]") {
  auto c = clean(R"(
方案 边界词 { }
输入 { 单位: 文本 (标识); x: 小数 }
指标 一 "边界" 1分 {
  当 x 达到 1 且 x 不少于 2 且 x 不低于 3 且 x 超过 4 且 x 高于 5 且 x 多于 6 得 0.1分
  当 x 不足 1 且 x 低于 2 且 x 少于 3 且 x 未达到 4 且 x 不超过 5 且 x 不高于 6 得 0.1分
  当 x ≥ 1 且 x ≤ 2 且 x > 3 且 x < 4 且 x = 5 且 x ≠ 6 得 0.1分
  当 x 在 3 至 5 得 0.1分
}
)");
  const ast::Node *n = findNode(*c->file, "边界");
  REQUIRE(n);
  REQUIRE(n->rules.size() == 4);
  // Collect the comparison operators of a left-nested 且 chain, in source order.
  std::function<void(const ast::Expr &, std::vector<CmpOp> &)> ops = [&](const ast::Expr &e, std::vector<CmpOp> &out) {
    if (e.kind == ExprKind::Compare) out.push_back(e.cmpOp);
    else
      for (const auto &a : e.args) ops(*a, out);
  };
  std::vector<CmpOp> r0, r1, r2;
  ops(*n->rules[0].subject, r0);
  ops(*n->rules[1].subject, r1);
  ops(*n->rules[2].subject, r2);
  CHECK(r0 == std::vector<CmpOp>{CmpOp::Ge, CmpOp::Ge, CmpOp::Ge, CmpOp::Gt, CmpOp::Gt, CmpOp::Gt});
  CHECK(r1 == std::vector<CmpOp>{CmpOp::Lt, CmpOp::Lt, CmpOp::Lt, CmpOp::Lt, CmpOp::Le, CmpOp::Le});
  CHECK(r2 == std::vector<CmpOp>{CmpOp::Ge, CmpOp::Le, CmpOp::Gt, CmpOp::Lt, CmpOp::Eq, CmpOp::Ne});
  CHECK(n->rules[3].subject->kind == ExprKind::Range);
  CHECK(expr(n->rules[3].subject) == "(x 在 3 至 5)");
}

// ─────────────────────────────────────────────────────────────────────────────
// 9. linear steps above a threshold, with an alternative branch
//    seed 002: "即时有效传输率达到90%的，得1分，每增加1%多得0.2分，最高得2分";
//              "未达到90%，但补全有效传输率达到95%以上的，得0.5分"
TEST_CASE("construct 09: threshold with linear steps and an 否则 branch", "[parse][construct]") {
  auto c = clean(R"(
方案 线性递增 { }
输入 { 单位: 文本 (标识); 即时有效传输率: 百分比; 补全有效传输率: 百分比 }
指标 一 "自动监测运行管理" 2分 {
  项 1 "传输率" 2分 {
    当 即时有效传输率 达到 90% 得 1分，每增加 1% 多得 0.2分，最高 2分
      否则 当 即时有效传输率 未达到 90% 且 补全有效传输率 达到 95% 得 0.5分
  }
}
)");
  const ast::Node *n = findNode(*c->file, "传输率");
  REQUIRE(n);
  REQUIRE(n->rules.size() == 1);
  const ast::Rule &r = n->rules[0];
  CHECK(r.kind == RuleKind::When);
  REQUIRE(r.subject);
  CHECK(r.subject->kind == ExprKind::Compare);
  CHECK(r.subject->cmpOp == CmpOp::Ge);
  CHECK(r.subject->cmpWord == "达到");
  CHECK(expr(r.subject) == "(即时有效传输率 ≥ 90%)");
  CHECK(expr(r.award.expr) == "1分");
  REQUIRE(r.stepSize);
  REQUIRE(r.stepPoints);
  CHECK(r.stepSize->kind == ExprKind::Percent);
  CHECK(r.stepSize->text == "1");
  CHECK(expr(r.stepPoints) == "0.2分");
  CHECK(expr(r.cap) == "2分");
  REQUIRE(r.elseRule);
  CHECK(r.elseRule->kind == RuleKind::When);
  CHECK(expr(r.elseRule->subject) == "((即时有效传输率 < 90%) 且 (补全有效传输率 ≥ 95%))");
  CHECK(expr(r.elseRule->award.expr) == "0.5分");
}

// ─────────────────────────────────────────────────────────────────────────────
// 10. per-month rules with an all-months override
//     seed 002: "每月统计比例在80%以上的，得0.2分；每月统计比例均达80%以上的，得3分"
TEST_CASE("construct 10: per-month rule and an all-months override", "[parse][construct]") {
  auto c = clean(R"(
方案 逐月 { }
输入 { 单位: 文本 (标识); 录入比例: 月度<百分比> }
指标 一 "执法记录" 3分 {
  项 1 "现场执法人员比例" 3分 {
    每月 录入比例 达到 80% 得 0.2分
    当 全部(录入比例: 录入比例 达到 80%) 得 3分
  }
}
)");
  const ast::FieldDecl *f = input(*c->file, "录入比例");
  REQUIRE(f);
  CHECK(f->type.kind == ast::TypeKind::Monthly);
  REQUIRE(f->type.element);
  CHECK(f->type.element->kind == ast::TypeKind::Percent);
  const ast::Node *n = findNode(*c->file, "现场执法人员比例");
  REQUIRE(n);
  REQUIRE(n->rules.size() == 2);
  CHECK(n->rules[0].kind == RuleKind::Monthly);
  CHECK(expr(n->rules[0].subject) == "(录入比例 ≥ 80%)");
  CHECK(expr(n->rules[0].award.expr) == "0.2分");
  CHECK(n->rules[1].kind == RuleKind::When);
  REQUIRE(n->rules[1].subject);
  CHECK(n->rules[1].subject->kind == ExprKind::ListAgg);
  CHECK(n->rules[1].subject->text == "全部");
  CHECK(expr(n->rules[1].award.expr) == "3分");
}

// Seed 001 (巴南 2025 集体) "数据完整性、规范性、时效性均达到98%的，每月得0.25分":
// one 每月 condition over several monthly fields, each meaning that month's value.
TEST_CASE("construct 10b: one per-month condition over several monthly fields", "[parse][construct]") {
  auto c = clean(R"(
方案 逐月多字段 { }
输入 { 单位: 文本 (标识); 完整性: 月度<百分比>; 规范性: 月度<百分比> }
指标 一 "数据质量" 3分 {
  每月 完整性 达到 98% 且 规范性 达到 98% 得 0.25分
}
)");
  const ast::Node *n = findNode(*c->file, "数据质量");
  REQUIRE(n);
  REQUIRE(n->rules.size() == 1);
  CHECK(n->rules[0].kind == RuleKind::Monthly);
  const ast::Expr &cond = *n->rules[0].subject;
  REQUIRE(cond.args.size() == 2);
  // both fields are typed as one month's percent inside the rule
  for (const auto &side : cond.args) {
    const ast::Expr &field = *side->args[0];
    auto it = c->checked->types.find(&field);
    REQUIRE(it != c->checked->types.end());
    CHECK(it->second.tag == sema::TypeTag::Number);
    CHECK(it->second.numberKind == ast::TypeKind::Percent);
  }
}

// ─────────────────────────────────────────────────────────────────────────────
// 11. deductions with per-incident points, caps and floors
//     seed 002: "每发现一次扣0.2分，最多扣2分"; "扣完该项分值为止"; "如扣分分数大于得分分数，则按0分计"
TEST_CASE("construct 11: deduction rows (扣分, 每次 … 扣, 最多扣, 可为负)", "[parse][construct]") {
  auto c = clean(R"(
方案 扣分规则 { }
输入 { 单位: 文本 (标识); 着装问题: 次数; 虚假标记: 次数; 未反馈: 是否; 日常达标: 是否 }
指标 一 "队伍建设" 5分 {
  项 1 "日常" 5分 { 当 日常达标 得 5分 }
  扣分 "统一着装持证" 最多扣 2分 {
    每次 着装问题 扣 0.2分，最多扣 2分
  }
  扣分 "虚假标记" {                      // 扣完该项分值为止: the default floor at 0
    每次 虚假标记 扣 0.5分
  }
  扣分 "整改反馈" 可为负 { 当 未反馈 扣 1分 }
}
)");
  const ast::Node *a = findNode(*c->file, "统一着装持证");
  REQUIRE(a);
  CHECK(a->kind == NodeKind::Deduction);
  CHECK_FALSE(a->points);
  REQUIRE(a->cap);
  CHECK(*a->cap == "2");
  CHECK_FALSE(a->mayGoNegative);
  REQUIRE(a->rules.size() == 1);
  CHECK(a->rules[0].kind == RuleKind::PerUnit);
  CHECK(a->rules[0].unitWord == "每次");
  CHECK(a->rules[0].deduct);
  CHECK(expr(a->rules[0].award.expr) == "0.2分");
  CHECK(expr(a->rules[0].cap) == "2分");
  const ast::Node *b = findNode(*c->file, "虚假标记");
  REQUIRE(b);
  CHECK(b->kind == NodeKind::Deduction);
  CHECK_FALSE(b->cap);
  CHECK_FALSE(b->mayGoNegative);
  const ast::Node *d = findNode(*c->file, "整改反馈");
  REQUIRE(d);
  CHECK(d->mayGoNegative);
  REQUIRE(d->rules.size() == 1);
  CHECK(d->rules[0].kind == RuleKind::When);
  CHECK(d->rules[0].deduct);
  // The deduction rows are not counted in the parent's declared points (5 = 5).
  const ast::Node *ind = findNode(*c->file, "队伍建设");
  REQUIRE(ind);
  CHECK(ind->children.size() == 4);
}

// ─────────────────────────────────────────────────────────────────────────────
// 12. bonuses, and whether they may exceed the parent's points
//     seed 002: "执法处罚一体化建设（加分项）…加1分"; "本项累计得分不得超过27分"
TEST_CASE("construct 12: bonus rows (加分 受上限 / 可超出上限) and a parent cap", "[parse][construct]") {
  auto c = clean(R"(
方案 加分规则 { }
输入 { 单位: 文本 (标识); 一体化闭环: 是否; 优秀案卷: 件数; 基础达标: 是否 }
指标 一 "执法稽查及案卷评查" 27分 最高 27分 {
  项 1 "得分项" 27分 { 当 基础达标 得 22分 }
  加分 "执法处罚一体化建设" 1分 可超出上限 { 当 一体化闭环 得 1分 }
  加分 "优秀案卷" 5分 受上限 { 每件 优秀案卷 得 5分 }
}
)");
  const ast::Node *ind = findNode(*c->file, "执法稽查及案卷评查");
  REQUIRE(ind);
  REQUIRE(ind->cap);
  CHECK(*ind->cap == "27");
  const ast::Node *a = findNode(*c->file, "执法处罚一体化建设");
  REQUIRE(a);
  CHECK(a->kind == NodeKind::Bonus);
  CHECK(a->points == std::optional<std::string>("1"));
  CHECK(a->bonusCap == ast::BonusCap::Uncapped);
  const ast::Node *b = findNode(*c->file, "优秀案卷");
  REQUIRE(b);
  CHECK(b->kind == NodeKind::Bonus);
  CHECK(b->bonusCap == ast::BonusCap::Capped);
}

// ─────────────────────────────────────────────────────────────────────────────
// 13. veto: disqualify, or zero one item / indicator
//     seed 002: "取消评审资格"; "监督帮扶期间发现存在廉政纪律问题的，该项不得分";
//               "被认定为零分案卷的，'案卷评查'考核项不得分"
TEST_CASE("construct 13: vetoes (取消资格, in-node 不得分, 【项】 不得分)", "[parse][construct]") {
  auto c = clean(R"(
方案 否决规则 { }
输入 { 单位: 文本 (标识); 负责人廉政问题: 是否; 帮扶廉政问题: 是否; 部零分案卷: 件数; 案卷得分率: 百分比; 帮扶得分率: 百分比 }
否决 "候选集体主要负责人存在廉政纪律问题" 当 负责人廉政问题 => 取消资格
否决 "行政处罚案卷被生态环境部评查认定为零分案卷" 当 部零分案卷 > 0 => 【案卷评查】 不得分
指标 一 "日常监督执法工作" 42分 {
  项 1 "案卷评查" 22分 { 得 22分 × 案卷得分率 }
  项 2 "大气监督帮扶" 20分 {
    得 20分 × 帮扶得分率
    否决 "监督帮扶期间发现存在廉政纪律问题" 当 帮扶廉政问题 => 不得分
  }
}
)");
  REQUIRE(c->file->vetoes.size() == 2);
  const ast::Veto &dq = c->file->vetoes[0];
  CHECK(dq.reason == "候选集体主要负责人存在廉政纪律问题");
  CHECK(dq.effect == ast::VetoEffectKind::Disqualify);
  CHECK(expr(dq.condition) == "负责人廉政问题");
  const ast::Veto &zero = c->file->vetoes[1];
  CHECK(zero.effect == ast::VetoEffectKind::ZeroNode);
  CHECK(zero.target == "案卷评查");
  CHECK(expr(zero.condition) == "(部零分案卷 > 0)");
  const ast::Node *review = findNode(*c->file, "案卷评查");
  REQUIRE(review);
  auto it = c->checked->vetoTargets.find(&zero);
  REQUIRE(it != c->checked->vetoTargets.end());
  CHECK(it->second == review);
  CHECK(c->checked->vetoTargets.count(&dq) == 0);

  const ast::Node *help = findNode(*c->file, "大气监督帮扶");
  REQUIRE(help);
  REQUIRE(help->vetoes.size() == 1);
  const ast::Veto &inNode = help->vetoes[0];
  CHECK(inNode.effect == ast::VetoEffectKind::ZeroNode);
  CHECK(inNode.target.empty());
  auto it2 = c->checked->vetoTargets.find(&inNode);
  REQUIRE(it2 != c->checked->vetoTargets.end());
  CHECK(it2->second == help); // zeros its own node
}

// ─────────────────────────────────────────────────────────────────────────────
// 14. weighted composites
//     seed 000: "任务完成情况占40%，发现环境问题情况占50%，提供典型问题等情况占10%"
TEST_CASE("construct 14: weighted composite formula", "[parse][construct]") {
  auto c = clean(R"(
方案 加权 { }
输入 { 单位: 文本 (标识); 任务完成: 百分比; 发现问题: 百分比; 典型问题: 百分比 }
指标 一 "实战练兵" 20分 {
  项 1 "现场监督帮扶表现" 20分 {
    得 20分 × (40% × 任务完成 + 50% × 发现问题 + 10% × 典型问题)
  }
}
)");
  const ast::Node *n = findNode(*c->file, "现场监督帮扶表现");
  REQUIRE(n);
  REQUIRE(n->rules.size() == 1);
  const ast::Rule &r = n->rules[0];
  CHECK(r.kind == RuleKind::Plain);
  REQUIRE(r.award.expr);
  const ast::Expr &e = *r.award.expr;
  CHECK(e.kind == ExprKind::Binary);
  CHECK(e.binOp == ast::BinOp::Mul);
  CHECK(expr(e.args[0]) == "20分");
  CHECK(expr(e.args[1]) == "(((40% × 任务完成) + (50% × 发现问题)) + (10% × 典型问题))");
  // × binds tighter than +, + is left-associative
  CHECK(e.args[1]->binOp == ast::BinOp::Add);
  CHECK(e.args[1]->args[1]->binOp == ast::BinOp::Mul);
  CHECK(e.args[1]->args[1]->args[0]->kind == ExprKind::Percent);
  CHECK(e.args[1]->args[1]->args[0]->text == "10");
}

// ─────────────────────────────────────────────────────────────────────────────
// 15. aggregates over a list inside one record
//     seed 002: "参加多轮次的，取各轮次最好成绩"; "参加多个轮次的，得分取平均值";
//               "综合评分排名前50%人员的平均成绩为该项得分"
TEST_CASE("construct 15: list aggregates (最好, 平均, 前50%平均)", "[parse][construct]") {
  auto c = clean(R"(
方案 列表聚合 { }
输入 {
  单位: 文本 (标识)
  帮扶轮次: 列表{任务完成: 百分比; 发现问题: 百分比}
  远程轮次: 列表{发现问题: 百分比}
  选派人员: 列表{成绩: 小数}
}
指标 一 "实战练兵" 28分 {
  项 1 "最好成绩" 20分 { 得 最好(帮扶轮次: 20分 × (40% × 任务完成 + 60% × 发现问题)) }
  项 2 "平均成绩" 4分 { 得 平均(远程轮次: 4分 × 发现问题) }
  项 3 "前百分之五十平均" 4分 { 得 前50%平均(选派人员: 成绩) }
}
)");
  const ast::FieldDecl *rounds = input(*c->file, "帮扶轮次");
  REQUIRE(rounds);
  CHECK(rounds->type.kind == ast::TypeKind::RecordList);
  REQUIRE(rounds->type.recordFields.size() == 2);
  CHECK(rounds->type.recordFields[1].name == "发现问题");

  const ast::Node *best = findNode(*c->file, "最好成绩");
  REQUIRE(best);
  const ast::Expr &b = *best->rules.at(0).award.expr;
  CHECK(b.kind == ExprKind::ListAgg);
  CHECK(b.text == "最好");
  CHECK(expr(b.args[0]) == "帮扶轮次");
  // element fields resolve inside the body
  const ast::Expr &body = *b.args[1];
  const ast::Expr &task = *body.args[1]->args[0]->args[1];
  CHECK(task.text == "任务完成");
  auto it = c->checked->names.find(&task);
  REQUIRE(it != c->checked->names.end());
  CHECK(it->second.kind == sema::Resolution::ElementField);

  const ast::Node *avg = findNode(*c->file, "平均成绩");
  REQUIRE(avg);
  CHECK(avg->rules.at(0).award.expr->kind == ExprKind::ListAgg);
  CHECK(avg->rules.at(0).award.expr->text == "平均");

  const ast::Node *top = findNode(*c->file, "前百分之五十平均");
  REQUIRE(top);
  const ast::Expr &t = *top->rules.at(0).award.expr;
  CHECK(t.kind == ExprKind::TopAverage);
  CHECK(t.topFraction == "50");
  CHECK(t.topIsPercent);
  CHECK(expr(t.args[0]) == "选派人员");
  CHECK(expr(t.args[1]) == "成绩");
}

// ─────────────────────────────────────────────────────────────────────────────
// 16. formulas with explicit rounding
//     seed 001: "得分=18×（当轮次总组数－排名）/(当轮次总组数－1)（成绩按四舍五入，取小数点后1位）"
TEST_CASE("construct 16: formula with 四舍五入(…, 1)", "[parse][construct]") {
  // The source's own formula divides by 0 when 总组数 = 1: W0820 (issue 8) is its only diagnostic.
  auto c = compile(R"(
方案 公式 { }
输入 { 单位: 文本 (标识); 总组数: 件数; 排名: 件数 }
指标 一 "技能比武" 18分 {
  项 1 "比武成绩" 18分 {
    得 四舍五入(18 × （总组数 － 排名）/(总组数 － 1), 1)
  }
}
)");
  INFO(c->rendered());
  REQUIRE(c->file);
  CHECK(c->codes() == "W0820");
  const ast::Node *n = findNode(*c->file, "比武成绩");
  REQUIRE(n);
  const ast::Expr &e = *n->rules.at(0).award.expr;
  CHECK(e.kind == ExprKind::Call);
  CHECK(e.text == "四舍五入");
  REQUIRE(e.args.size() == 2);
  CHECK(expr(e.args[0]) == "((18 × (总组数 - 排名)) ÷ (总组数 - 1))");
  CHECK(expr(e.args[1]) == "1");
  CHECK_FALSE(sema::isPopulationFunction("四舍五入"));
}

// ─────────────────────────────────────────────────────────────────────────────
// 17. not-applicable policies
//     seed 004: "县级不作要求" + "不作要求项不扣分"; seed 000: "县级候选集体不参与";
//     seed 002: "未纳入远程监督帮扶的候选集体，不参与此项评审，相应分值纳入现场监督帮扶表现分值";
//               "上级无线索推送的，不参与本项考核"
TEST_CASE("construct 17: N/A policies (不作要求, 不参与, 不适用 当 … => 计入, 若无)", "[parse][construct]") {
  auto c = clean(R"(
方案 不适用策略 { 级别 {市级, 县级} }
输入 {
  单位: 文本 (标识)
  规范化试点: 是否
  稽查得分率: 百分比
  现场帮扶得分率: 百分比
  远程轮次: 列表{发现问题: 百分比}
  上级推送线索: 件数
  查办线索: 件数
}
指标 一 "队伍建设与管理" 6分 {
  项 1 "机构规范化建设" 2分 {
    当 规范化试点 得 2分
    县级 不作要求
  }
  项 2 "执法稽查" 2分 {
    得 2分 × 稽查得分率
    县级 不参与
  }
  项 3 "线索查办" 2分 {
    每件 查办线索 得 0.5分，最高 2分
    不适用 当 上级推送线索 = 0 => 不参与
  }
}
指标 二 "大气监督帮扶" 24分 {
  项 1 "现场监督帮扶表现" 20分 { 得 20分 × 现场帮扶得分率 }
  项 2 "远程监督帮扶表现" 4分 {
    得 平均(远程轮次: 4分 × 发现问题)
    若无 远程轮次 计入 【现场监督帮扶表现】
  }
}
)");
  const ast::Node *a = findNode(*c->file, "机构规范化建设");
  REQUIRE(a);
  REQUIRE(a->naRules.size() == 1);
  CHECK(a->naRules[0].level == "县级");
  CHECK_FALSE(a->naRules[0].condition);
  CHECK(a->naRules[0].policy.kind == ast::NaPolicyKind::FullMarks);

  const ast::Node *b = findNode(*c->file, "执法稽查");
  REQUIRE(b);
  REQUIRE(b->naRules.size() == 1);
  CHECK(b->naRules[0].level == "县级");
  CHECK(b->naRules[0].policy.kind == ast::NaPolicyKind::Excluded);

  const ast::Node *d = findNode(*c->file, "线索查办");
  REQUIRE(d);
  REQUIRE(d->naRules.size() == 1);
  CHECK(d->naRules[0].level.empty());
  CHECK(expr(d->naRules[0].condition) == "(上级推送线索 = 0)");
  CHECK_FALSE(d->naRules[0].ifNone);
  CHECK(d->naRules[0].policy.kind == ast::NaPolicyKind::Excluded);

  const ast::Node *remote = findNode(*c->file, "远程监督帮扶表现");
  const ast::Node *onsite = findNode(*c->file, "现场监督帮扶表现");
  REQUIRE(remote);
  REQUIRE(onsite);
  REQUIRE(remote->naRules.size() == 1);
  const ast::NaRule &mv = remote->naRules[0];
  CHECK(mv.ifNone);
  CHECK(expr(mv.condition) == "远程轮次");
  CHECK(mv.policy.kind == ast::NaPolicyKind::MoveTo);
  CHECK(mv.policy.target == "现场监督帮扶表现");
  auto it = c->checked->moveTargets.find(&mv);
  REQUIRE(it != c->checked->moveTargets.end());
  CHECK(it->second == onsite);
}

// ─────────────────────────────────────────────────────────────────────────────
// 18. run-level parameters supplied with the data
//     seed 003: "各地州市级、县级集体的基准值分别根据全区查处案件总数乘以该单位的基准比例计算"
TEST_CASE("construct 18: run-level parameters (参数 { … })", "[parse][construct]") {
  auto c = clean(R"(
方案 运行参数 { }
参数 { 全区查处案件总数: 件数; 基准比例: 百分比 }
输入 { 单位: 文本 (标识); 查处案件数: 件数 }
指标 一 "案件查处" 5分 {
  项 1 "案件数量" 5分 {
    当 查处案件数 超过 全区查处案件总数 × 基准比例 × 50% 得 5分
  }
}
)");
  REQUIRE(c->file->params.size() == 2);
  CHECK(c->file->params[0].name == "全区查处案件总数");
  CHECK(c->file->params[0].type.kind == ast::TypeKind::Count);
  CHECK(c->file->params[1].name == "基准比例");
  CHECK(c->file->params[1].type.kind == ast::TypeKind::Percent);
  CHECK(c->file->inputs.size() == 2); // params are not candidate columns
  const ast::Node *n = findNode(*c->file, "案件数量");
  REQUIRE(n);
  const ast::Expr &cond = *n->rules.at(0).subject;
  CHECK(cond.kind == ExprKind::Compare);
  CHECK(cond.cmpOp == CmpOp::Gt); // 超过 excludes the bound
  const ast::Expr &total = *cond.args[1]->args[0]->args[0];
  CHECK(total.text == "全区查处案件总数");
  auto it = c->checked->names.find(&total);
  REQUIRE(it != c->checked->names.end());
  CHECK(it->second.kind == sema::Resolution::Param);
  CHECK_FALSE(c->checked->needsPopulation); // parameters are per run, not population functions
}

// ─────────────────────────────────────────────────────────────────────────────
// 19. population functions across all candidates of a run
//     seed 003: rank by votes (公众满意度) "得分最高的得3分；2-4名得2分；5-7名得1分";
//               "超过基准值50%时得满分"; ties "如有多个集体并列则一并列入"
TEST_CASE("construct 19: population functions (排名, 全体平均) and ties", "[parse][construct]") {
  auto c = clean(R"(
方案 全体排名 { }
输入 { 单位: 文本 (标识); 得票数: 件数; 查处案件数: 件数 }
指标 一 "群众满意度" 7分 {
  项 1 "公众满意度" 4分 {
    分档 排名(得票数) { 1 至 1: 3分; 2 至 4: 2分; 5 至 7: 1分; 否则: 0分 }
  }
  项 2 "案件基准" 3分 {
    当 查处案件数 超过 全体平均(查处案件数) × 150% 得 3分
  }
}
指标 二 "个人表现" 3分 { 当 得票数 > 0 得 3分 }
奖项 "表现突出集体" 名额 3 按 总分 降序 并列一并列入
)");
  const ast::Node *vote = findNode(*c->file, "公众满意度");
  const ast::Node *base = findNode(*c->file, "案件基准");
  const ast::Node *ind = findNode(*c->file, "群众满意度");
  const ast::Node *other = findNode(*c->file, "个人表现");
  REQUIRE(vote);
  REQUIRE(base);
  REQUIRE(ind);
  REQUIRE(other);
  const ast::Rule &r = vote->rules.at(0);
  CHECK(r.kind == RuleKind::Tiers);
  CHECK(r.subject->kind == ExprKind::Call);
  CHECK(r.subject->text == "排名");
  REQUIRE(r.tiers.size() == 4);
  CHECK(expr(r.tiers[1].lo->value) == "2");
  CHECK(expr(r.tiers[1].hi->value) == "4");
  CHECK(r.tiers[3].isElse);
  CHECK(sema::isPopulationFunction("排名"));
  CHECK(sema::isPopulationFunction("全体平均"));
  CHECK(c->checked->needsPopulation);
  const auto &pop = c->checked->populationNodes;
  CHECK(pop.count(vote) == 1);
  CHECK(pop.count(base) == 1);
  CHECK(pop.count(ind) == 1);   // a parent of a population node needs the population
  CHECK(pop.count(other) == 0); // a per-record indicator does not

  REQUIRE(c->file->awards.size() == 1);
  const ast::Award &a = c->file->awards[0];
  REQUIRE(a.quota);
  CHECK(*a.quota == 3);
  CHECK(a.descending);
  CHECK(a.ties == ast::TiePolicy::IncludeAll);
  CHECK(expr(a.rankBy) == "总分");
}

// The language brief documents `排名(e, 升序)` (ascending rank); 升序/降序 are
// keywords (K_ASC/K_DESC) that must also be accepted as the order argument.
TEST_CASE("construct 19b: ascending rank 排名(x, 升序) parses", "[parse][construct]") {
  auto c = compile(R"(
方案 升序排名 { }
输入 { 单位: 文本 (标识); 用时: 小数 }
指标 一 "比武" 3分 { 当 排名(用时, 升序) = 1 得 3分 }
)");
  INFO(c->rendered());
  REQUIRE(c->file);
  CHECK(c->errors() == 0);
  const ast::Node *n = findNode(*c->file, "比武");
  REQUIRE(n);
  const ast::Expr &call = *n->rules.at(0).subject->args[0];
  CHECK(call.text == "排名");
  REQUIRE(call.args.size() == 2);
  CHECK(call.args[1]->kind == ExprKind::Name);
  CHECK(call.args[1]->text == "升序");
  CHECK(c->diags.all().empty());
  // 降序 too; anything else is an unknown name with a suggestion
  auto d = compile("方案 甲 { }\n输入 { 单位: 文本 (标识); 用时: 小数 }\n"
                   "指标 一 \"比武\" 3分 { 当 排名(用时, 降序) = 1 得 3分 }\n");
  INFO(d->rendered());
  CHECK(d->diags.all().empty());
  auto e = compile("方案 甲 { }\n输入 { 单位: 文本 (标识); 用时: 小数 }\n"
                   "指标 一 \"比武\" 3分 { 当 排名(用时, 升幂) = 1 得 3分 }\n");
  INFO(e->rendered());
  CHECK(e->codes() == "E0101");
}

// ─────────────────────────────────────────────────────────────────────────────
// 20. one scheme feeding another
//     seed 004 附件2: 装备能力 score → tiers of item 8 ("得分大于90的，得12分；90-85得10分…")
TEST_CASE("construct 20: an imported scheme's total feeds tiers (引用 … 为 装备 then 装备.总分)", "[parse][construct]") {
  VirtualFiles files = {{"sub/equip.rubric", R"(
方案 装备能力 { }
输入 { 单位: 文本 (标识); 装备项数: 件数 }
指标 一 "装备" 100分 { 每件 装备项数 得 1分 }
)"}};
  auto c = clean(R"(
方案 规范化单位 { }
引用 "sub/equip.rubric" 为 装备
输入 { 单位: 文本 (标识) }
指标 八 "执法装备" 12分 {
  分档 装备.总分 { 超过 90: 12分; 超过 85 且 不超过 90: 10分; 不超过 85: 0分 }
}
)",
                 &files);
  REQUIRE(c->file->imports.size() == 1);
  CHECK(c->file->imports[0].path == "sub/equip.rubric");
  CHECK(c->file->imports[0].alias == "装备");
  REQUIRE(c->checked->importByAlias.count("装备") == 1);
  CHECK(c->checked->importByAlias.at("装备")->scheme.id == "装备能力");
  const ast::Node *n = findNode(*c->file, "执法装备");
  REQUIRE(n);
  const ast::Rule &r = n->rules.at(0);
  CHECK(r.subject->kind == ExprKind::Member);
  CHECK(r.subject->text == "装备");
  CHECK(r.subject->member == "总分");
  REQUIRE(r.tiers.size() == 3);
  // 超过 90 → (90, +∞)
  CHECK_FALSE(r.tiers[0].lo->inclusive);
  CHECK_FALSE(r.tiers[0].hi);
  // 超过 85 且 不超过 90 → (85, 90]
  CHECK_FALSE(r.tiers[1].lo->inclusive);
  CHECK(r.tiers[1].hi->inclusive);
  CHECK(expr(r.tiers[1].hi->value) == "90");
  // 不超过 85 → (-∞, 85]
  CHECK_FALSE(r.tiers[2].lo);
  CHECK(r.tiers[2].hi->inclusive);
}

// ─────────────────────────────────────────────────────────────────────────────
// 21. awards / classifications and quotas
//     seed 004: "各分项得分高于该项总分值的80%…规范化单位；…且总得分高于90分…示范单位";
//     seed 003: "选出排名进步最大的3个"
TEST_CASE("construct 21: awards with conditions over every indicator, and quota awards", "[parse][construct]") {
  auto c = clean(R"(
方案 奖项评定 { }
输入 { 单位: 文本 (标识); 人员: 件数; 上年排名: 件数; 本年排名: 件数 }
指标 一 "机构建设" 50分 { 每人 人员 得 5分 }
指标 二 "队伍管理" 50分 { 每人 人员 得 5分 }
奖项 "规范化单位" 当 各指标: 得分 > 80% × 分值
奖项 "示范单位" 当 (各指标: 得分 > 80% × 分值) 且 总分 > 90
奖项 "突出进步单位" 名额 3 按 上年排名 - 本年排名 降序 并列一并列入
)");
  const auto &aw = c->file->awards;
  REQUIRE(aw.size() == 3);
  CHECK(aw[0].name == "规范化单位");
  REQUIRE(aw[0].condition);
  CHECK(aw[0].condition->kind == ExprKind::EachIndicator);
  CHECK_FALSE(aw[0].quota);
  CHECK(expr(aw[1].condition) == "(各指标: (得分 > (80% × 分值)) 且 (总分 > 90))");
  CHECK(aw[1].condition->kind == ExprKind::Binary);
  CHECK(aw[1].condition->binOp == ast::BinOp::And);
  CHECK_FALSE(aw[1].quota);
  CHECK(aw[2].name == "突出进步单位");
  CHECK_FALSE(aw[2].condition);
  REQUIRE(aw[2].quota);
  CHECK(*aw[2].quota == 3);
  CHECK(expr(aw[2].rankBy) == "(上年排名 - 本年排名)");
  CHECK(aw[2].descending);
  CHECK(aw[2].ties == ast::TiePolicy::IncludeAll);
  CHECK(c->checked->needsPopulation); // a quota needs the whole run
}

// ─────────────────────────────────────────────────────────────────────────────
// 22. cross-record and history constraints
//     seed 000: "候选集体与候选个人不得共用同一份案卷"; seed 001: "连续3年获得…不再推荐"
TEST_CASE("construct 22: cross-record uniqueness (校验 唯一) and a history veto", "[parse][construct]") {
  auto c = clean(R"(
方案 交叉校验 { }
输入 { 单位: 文本 (标识); 推荐案卷号: 文本; 抽查案卷号: 文本; 连续获奖年数: 件数; 案卷合格: 是否 }
否决 "连续3年获得表现突出集体，不再推荐" 当 连续获奖年数 ≥ 3 => 取消资格
指标 一 "案卷" 1分 { 当 案卷合格 得 1分 }
校验 "候选集体与候选个人不得共用同一份案卷" 唯一(推荐案卷号, 抽查案卷号)
校验 "推荐案卷与抽查案卷不得相同" 当 推荐案卷号 = 抽查案卷号
)");
  REQUIRE(c->file->validations.size() == 2);
  const ast::Validation &u = c->file->validations[0];
  CHECK(u.message == "候选集体与候选个人不得共用同一份案卷");
  CHECK(u.uniqueFields == std::vector<std::string>{"推荐案卷号", "抽查案卷号"});
  CHECK(u.uniqueFieldSpans.size() == 2);
  CHECK_FALSE(u.condition);
  const ast::Validation &w = c->file->validations[1];
  CHECK(w.uniqueFields.empty());
  CHECK(expr(w.condition) == "(推荐案卷号 = 抽查案卷号)");
  CHECK(c->checked->needsPopulation); // uniqueness looks across records

  REQUIRE(c->file->vetoes.size() == 1);
  const ast::Veto &h = c->file->vetoes[0];
  CHECK(h.effect == ast::VetoEffectKind::Disqualify);
  REQUIRE(h.condition);
  CHECK(h.condition->kind == ExprKind::Compare);
  CHECK(h.condition->cmpOp == CmpOp::Ge);
  CHECK(expr(h.condition) == "(连续获奖年数 ≥ 3)");
}

// "即时有效传输率达到90%以上的" — the seed's own wording keeps a redundant 以上 after the bound.
TEST_CASE("construct 08c: 当 x 达到 95% 以上 得 … reads like 达到 95%", "[construct]") {
  auto withWord = compile("方案 甲 { }\n输入 { 单位: 文本 (标识); 补全率: 百分比 }\n"
                          "指标 一 \"传输\" 1分 { 当 补全率 达到 95% 以上 得 0.5分 }\n");
  auto without = compile("方案 甲 { }\n输入 { 单位: 文本 (标识); 补全率: 百分比 }\n"
                         "指标 一 \"传输\" 1分 { 当 补全率 达到 95% 得 0.5分 }\n");
  REQUIRE(withWord->file);
  REQUIRE(without->file);
  CHECK(withWord->errors() == 0);
  CHECK(ast::printAst(*withWord->file) == ast::printAst(*without->file));
}

// Construct 22 (issue 11): “连续3年获得……不再推荐” as a 年份集 and 连续年数; “候选集体与候选个人
// 不得共用同一份案卷” as 不共用 against the other scheme's columns.
TEST_CASE("construct 22: 年份集, 连续年数 with and without 截至, 不共用", "[parse][construct]") {
  auto c = clean(R"(
方案 历年 { 年度 2025 }
输入 { 姓名: 文本 (标识); 推荐案卷号: 文本; 抽查案卷号: 文本; 获奖年份: 年份集 }
指标 一 "历年" 5分 {
  项 1 "连续获奖" 5分 { 得 1分 × 连续年数(获奖年份, 截至 2023) }
}
否决 "连续3年" 当 连续年数(获奖年份) 达到 3 => 取消资格
校验 "个人与集体不得共用同一份案卷" 不共用(推荐案卷号, 抽查案卷号; 集体: 案卷号一, 案卷号二)
)");
  const ast::FieldDecl *f = input(*c->file, "获奖年份");
  REQUIRE(f);
  CHECK(f->type.kind == ast::TypeKind::YearSet);
  const ast::Node *n = findNode(*c->file, "连续获奖");
  REQUIRE(n);
  REQUIRE(n->rules.size() == 1);
  CHECK(expr(n->rules[0].award.expr) == "(1分 × 连续年数(获奖年份, 截至 2023))");
  REQUIRE(c->file->vetoes.size() == 1);
  CHECK(expr(c->file->vetoes[0].condition) == "(连续年数(获奖年份) ≥ 3)");
  REQUIRE(c->file->validations.size() == 1);
  const ast::Validation &v = c->file->validations[0];
  CHECK(v.uniqueFields == std::vector<std::string>{"推荐案卷号", "抽查案卷号"});
  CHECK(v.otherScheme == "集体");
  CHECK(v.otherFields == std::vector<std::string>{"案卷号一", "案卷号二"});
  // Sema settled the final years: 截至 2023 as written; 年度 2025 − 1 = 2024 by default.
  std::vector<int64_t> years;
  for (const auto &[e, y] : c->checked->throughYears) years.push_back(y);
  std::sort(years.begin(), years.end());
  CHECK(years == std::vector<int64_t>{2023, 2024});
}
