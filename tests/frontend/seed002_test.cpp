// Seed 002 (江苏南通如东 2024, 附件3 表现突出集体评审细则) declares
//   "二、日常监督执法工作（42分）"
// over four 二级指标 rows whose 分值 column reads 12 + 4 + 27 + 4 = 47:
//   专项行动 12 | 案件查办 4 | 执法稽查及案卷评查 27 | 典型案例发布 4
// The compiler must catch exactly this mismatch (E0301 naming 42 and 47), a
// faithful transcription must be able to acknowledge it (原文合计 47分), and a
// wrong acknowledgement must be caught too (E0302).
#include <string>

#include <catch2/catch.hpp>

#include "FrontendTestUtil.h"

using namespace rubric;
using namespace rubric::test;

namespace {

// The indicator as the source states it. `{ACK}` is replaced by an
// acknowledgement line (or nothing).
const char *kIndicator = R"(方案 「如东2024集体」 {
  标题 "表现突出集体评审细则"
  年度 2024
  对象 集体
}
输入 {
  单位: 文本 (标识)
  移送立案: 件数 说明 "办理涉嫌犯罪移送公安机关且立案的案件"
  处罚案件: 件数
  重大案件: 件数
  新装备案件: 件数
  新领域类别: 项数
  建立联动机制: 是否
  落实联动机制: 是否
  案卷评查得分率: 百分比
  零分案卷: 件数
  优秀案卷: 件数
  部发布典型案例: 件数
  省级发布典型案例: 件数
  市级发布典型案例: 件数
  典型案例类别: 项数
}

指标 二 "日常监督执法工作" 42分 {
{ACK}
  项 3 "专项行动" 12分 {
    每件 移送立案 得 3分
    每件 处罚案件 得 2分
    每件 重大案件 得 2分，最高 2分
  }
  项 4 "案件查办" 4分 {
    子项 (1) "新装备运用情况" 2分 { 每件 新装备案件 得 0.5分，最高 2分 }
    子项 (2) "新领域案件办理" 1分 { 每类 新领域类别 得 1分 }
    子项 (3) "执法联动机制建立和执行情况" 1分 {
      当 建立联动机制 得 0.5分
      当 落实联动机制 得 0.5分
    }
  }
  项 5 "执法稽查及案卷评查" 27分 {
    得 22分 × 案卷评查得分率
    扣分 "案卷评查扣分" { 每起 零分案卷 扣 5分 }
    加分 "优秀行政处罚案卷" 5分 受上限 { 每件 优秀案卷 得 5分 }
  }
  项 6 "典型案例发布" 4分 {
    子项 (1) "典型案例发布情况" 2分 {
      每个 部发布典型案例 得 2分
      每个 省级发布典型案例 得 1分
      每个 市级发布典型案例 得 0.5分
    }
    子项 (2) "典型案例发布类别" 2分 { 每类 典型案例类别 得 1分，最高 2分 }
  }
}
)";

std::string withAck(const std::string &ack) {
  std::string s = kIndicator;
  s.replace(s.find("{ACK}"), 5, ack);
  return s;
}

} // namespace

TEST_CASE("seed 002: 日常监督执法工作 declared 42 over children summing to 47 is E0301", "[seed002]") {
  auto c = compile(withAck(""));
  INFO(c->rendered());
  REQUIRE(c->file);
  CHECK(c->codes() == "E0301");
  const Diagnostic *d = c->first("E0301");
  REQUIRE(d);
  CHECK(d->severity == Severity::Error);
  REQUIRE(d->args.size() == 3);
  CHECK(d->args[0] == "日常监督执法工作");
  CHECK(d->args[1] == "42");
  CHECK(d->args[2] == "47");
  CHECK(d->message(Lang::Zh) == "“日常监督执法工作”声明 42 分，但下级合计 47 分");
  CHECK(d->message(Lang::En) == "'日常监督执法工作' declares 42 points but its children sum to 47");
  // reported on the declared points "42分" of the indicator line
  const ast::Node *n = findNode(*c->file, "日常监督执法工作");
  REQUIRE(n);
  CHECK(d->span.line == n->pointsSpan.line);
  CHECK(d->span.col == n->pointsSpan.col);
  CHECK(c->source->lineText(d->span.line) == "指标 二 \"日常监督执法工作\" 42分 {");
  // the four children and their points, as in the source table
  REQUIRE(n->children.size() == 4);
  CHECK(n->children[0]->points == std::optional<std::string>("12"));
  CHECK(n->children[1]->points == std::optional<std::string>("4"));
  CHECK(n->children[2]->points == std::optional<std::string>("27"));
  CHECK(n->children[3]->points == std::optional<std::string>("4"));
}

TEST_CASE("seed 002: acknowledged with 原文合计 47分 the file checks clean", "[seed002]") {
  auto c = compile(withAck("  原文合计 47分 \"原文“二、日常监督执法工作（42分）”，但各二级指标 12 + 4 + 27 + 4 = 47分\""));
  INFO(c->rendered());
  REQUIRE(c->file);
  REQUIRE(c->checked);
  CHECK(c->errors() == 0);
  CHECK(c->diags.all().empty());
  const ast::Node *n = findNode(*c->file, "日常监督执法工作");
  REQUIRE(n);
  REQUIRE(n->ack);
  CHECK(n->ack->total == "47");
  CHECK(n->ack->note == "原文“二、日常监督执法工作（42分）”，但各二级指标 12 + 4 + 27 + 4 = 47分");
  CHECK(n->points == std::optional<std::string>("42")); // the declared points stay as the source says
}

TEST_CASE("seed 002: a wrong acknowledgement (原文合计 46分) is E0302 naming 46 and 47", "[seed002]") {
  auto c = compile(withAck("  原文合计 46分"));
  INFO(c->rendered());
  REQUIRE(c->file);
  CHECK(c->codes() == "E0302");
  CHECK(c->count("E0301") == 0);
  const Diagnostic *d = c->first("E0302");
  REQUIRE(d);
  REQUIRE(d->args.size() == 3);
  CHECK(d->args[0] == "日常监督执法工作");
  CHECK(d->args[1] == "46");
  CHECK(d->args[2] == "47");
  CHECK(d->message(Lang::Zh) == "“日常监督执法工作”注明原文合计 46 分，但下级实际合计 47 分");
  CHECK(c->source->lineText(d->span.line) == "  原文合计 46分");
}

TEST_CASE("seed 002: acknowledging the declared number instead (原文合计 42分) is E0302 too", "[seed002]") {
  auto c = compile(withAck("  原文合计 42分"));
  INFO(c->rendered());
  CHECK(c->codes() == "E0302");
  REQUIRE(c->first("E0302"));
  CHECK(c->first("E0302")->args[1] == "42");
  CHECK(c->first("E0302")->args[2] == "47");
}
