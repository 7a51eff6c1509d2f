// The account of one candidate's score, built from what the interpreter (the
// oracle) computed for that record — never from the source text alone: for
// every node and rule, the branch that fired, the values it read, each step
// of arithmetic, the limit that bound, N/A and vetoes with the values that
// triggered them. explain renders it (text, html, json); `test` uses it to
// name the limit that bound.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "decimal.hpp"
#include "diagnostics/Diagnostic.h"
#include "ir/Ir.h"
#include "runtime/scoring/Kernel.h"

namespace rubric::report {

struct TraceInput {        // a value the rule read: 非现场立案 = 5
  std::string name, value;
};

struct RuleTrace {
  std::string text;        // the rule as written; a 否则 that fired: that rule
  unsigned line = 0;
  bool deduct = false;
  Rational points;         // what the rule gives (or takes, when deduct)
  std::vector<std::string> steps;   // the arithmetic, in order
  std::string why;         // why it gives nothing (condition not met …), else ""
  std::vector<TraceInput> inputs;
  std::string limit;       // the rule's own 最高 when it bound, else ""
  std::string reading;     // the reading (读法) option the rule follows, if any
};

enum class NodeStatus { Scored, NotApplicable, Vetoed };

struct NodeTrace {
  std::string kind, path, title, points;   // kind: 指标 / 项 … (Indicator / Item … in English)
  bool deduction = false;
  bool addedAfterParentLimit = false;  // an uncapped 加分 row
  std::string clause;      // 原文, else 指标说明, else "" (the rules are the clause)
  bool clauseIsOriginal = false;
  Rational score;
  NodeStatus status = NodeStatus::Scored;
  std::string statusReason;   // 否决：reason, or 不适用：the N/A rule (with the values that made it hold)
  std::string statusDetail;   // a veto's condition with the values that made it hold
  std::string statusMeta;     // the veto row's 栏目 (指标说明：…；数据来源：…), if it has any
  std::vector<RuleTrace> rules;
  std::vector<std::string> account;  // sum, floor, cap, move, N/A policy — in evaluation order
  std::string boundBy;        // the node's own limit when it cut the score, else ""
  std::vector<NodeTrace> children;
};

struct VetoTrace {         // a 否决 that held, or a 校验 that failed
  std::string reason, text;
  unsigned line = 0;
  std::string condition;   // with the values that made it hold
  std::string meta;        // the veto row's 栏目 (指标说明：…；数据来源：…), if it has any
};

struct Trace {
  Rational total;          // the total as the trace computed it
  std::vector<NodeTrace> nodes;
  std::vector<VetoTrace> vetoes, failedChecks;
  std::string totalAccount;   // 各指标合计 …，总分 …
  int32_t error = 0;       // the record's run-time error (0: none)
};

// The texts of a record's group keys (前50%平均(选派人员 按 姓名: …)), by the key's
// column and the element's place in the record's list. The frame holds only
// the place of the first equal text; with these the account names each group
// by its key (张三) rather than by its elements' places.
using GroupKeyTexts = std::map<int, std::vector<std::string>>;

// Re-runs the record through the interpreter with recording on (the frame is
// a scored batch: its population values are there) and builds the account.
Trace buildTrace(const ir::Program &program, const rb_frame *frame, int64_t record, Lang lang,
                 const GroupKeyTexts *keyTexts = nullptr);

// The limits that cut this node's score or a rule's inside it, nearest first:
// "子项 (2) 非现场执法监管发现线索立案：每件 … 最高 6 分". For `rubricc test`.
std::vector<std::string> limitsThatBound(const NodeTrace &node, Lang lang);

// Finds a node by path or title (nullptr if none).
const NodeTrace *findNode(const std::vector<NodeTrace> &nodes, const std::string &key);

} // namespace rubric::report
