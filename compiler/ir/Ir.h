// The scoring IR: a checked rubric lowered to plain arithmetic on int64
// values (exact decimals as rb_dec raw, booleans 0/1, enum indices), with
// names resolved to input columns and output slots.
//
// Every rule has already been desugared: a node's score is ONE expression
// (contributions, children, clamping, N/A, vetoes), stored into its slot.
// The interpreter (interp/) and LLVM codegen (codegen/) both evaluate exactly
// this, in `assignments` order.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "runtime/scoring/Program.h"
#include "support/Source.h"

namespace rubric::ir {

using ExprId = int32_t;

enum class Op : uint8_t {
  Const,      // imm
  Column,     // cols[index][record]
  Param,      // params[index]
  Slot,       // slots[index][record] (a value computed earlier)
  Elem,       // cols[index][element]: inside a ListAgg/TopAvg body, the current element
  Add, Sub, Mul, Div, Neg,           // exact rational arithmetic (rb_rat_*), overflow → record error
  Min, Max,                          // binary
  Round, Floor, Ceil,                // the exact args[0] to imm fractional digits (四舍五入 half away from zero)
  Cmp,                               // args[0] cmp args[1] on exact values, result 0/1
  And, Or, Not,                      // on 0/1
  Select,                            // args[0] ? args[1] : args[2]   (only the chosen arm is evaluated)
  ListAgg,                           // over list `index`: aggregate args[0] per element (see AggKind in imm)
  TopAvg,                            // average of the top k (or top imm2 % ) values of args[0] over list `index`
  ListLen,                           // number of elements of list `index`, as rb_dec
  YearRun,                           // 连续年数: consecutive years of the year-set column `index` ending at
                                     //   year imm (rb_kernel_year_run), as rb_dec
  GroupAgg,                          // over list `index`: args[0] per element, merged per value of the key
                                     //   args[1] (an Elem), then over the groups (rb_kernel_group_aggregate;
                                     //   imm, imm2: see groupImm2)
};

enum class CmpKind : uint8_t { Ge, Gt, Le, Lt, Eq, Ne };

// ListAgg kinds (imm of a ListAgg).
enum class AggKind : int64_t {
  Max,      // 最好: max of body; 0 for an empty list
  Min,      // 最差: min of body; 0 for an empty list
  Average,  // 平均: exact sum / count; 0 for an empty list
  Sum,      // 求和
  Count,    // 计数: number of elements where body ≠ 0, as rb_dec
  All,      // 全部: 1 if body ≠ 0 for every element (1 for an empty list)
  Any,      // 任一: 1 if body ≠ 0 for some element
};

// GroupAgg's imm2: the inner aggregate (how one group's elements merge, an
// AggKind) in bits 0–7, the outer one in bits 8–15 (an AggKind, or
// kGroupOuterTop: a top average whose count or percentage is imm, as TopAvg's),
// bit 16 set when imm is a percentage. The same codes as rb_kernel_group_aggregate.
constexpr int64_t kGroupOuterTop = 7;
constexpr int64_t groupImm2(AggKind inner, int64_t outer, bool percent) {
  return static_cast<int64_t>(inner) | (outer << 8) | (percent ? int64_t(1) << 16 : 0);
}
constexpr int32_t groupInner(int64_t imm2) { return static_cast<int32_t>(imm2 & 0xff); }
constexpr int32_t groupOuter(int64_t imm2) { return static_cast<int32_t>((imm2 >> 8) & 0xff); }
constexpr int64_t groupPercent(int64_t imm2) { return (imm2 >> 16) & 1; }

struct Expr {
  Op op = Op::Const;
  CmpKind cmp = CmpKind::Eq;
  int32_t index = -1;    // Column / Param / Slot / Elem / YearRun index; list id for ListAgg/TopAvg/ListLen
  int64_t imm = 0;       // Const value; digits for Round/Floor/Ceil; AggKind; TopAvg: count or percent (rb_dec);
                         // YearRun: the final year (a plain year, 2024)
  int64_t imm2 = 0;      // TopAvg: 1 when imm is a percentage of the list's length
  ExprId a = -1, b = -1, c = -1;
};

// ───── origins: where the desugared IR came from (for explain and test) ─────
// Lowering records the role of the expressions a reader needs; evaluation
// never reads these. report/Trace combines them with the values the
// interpreter recorded (interp::Recording) to show the branch that fired,
// the arithmetic and the limit that bound.
enum class RuleShape : uint8_t { When, Choice, PerUnit, Tiers, Plain, Monthly };
struct RuleBranch {        // a 按 choice, a 分档 tier, or one month of a 每月 rule
  ExprId cond = -1;        // -1: the tier without a condition (其他)
  ExprId value = -1;
  std::string text;        // as written: "市级: 2分", "达到 90%: 2分"
};
struct RuleOrigin {
  RuleShape shape = RuleShape::Plain;
  std::string text;        // this rule alone as written (a 否则 rule: its own text)
  Span span;
  ExprId value = -1;       // what the rule gives, cap and 否则 included
  ExprId cond = -1;        // When: the condition
  ExprId subject = -1;     // PerUnit: the count; Choice: the enum value; Tiers: the value
  ExprId unit = -1;        // PerUnit: points per unit
  std::string unitWord;    // PerUnit: 件 / 次 / 项 … as written after 每
  ExprId uncapped = -1;    // the points before the rule's 最高 (When: the award)
  ExprId cap = -1;         // the rule's own 最高 / 最多扣
  int elseRule = -1;       // index in Program::ruleOrigins of the 否则 rule
  std::vector<RuleBranch> branches;
  // Hook for readings (读法): the reading and option a rule belongs to, shown
  // by explain when set ("" = the rule does not depend on a reading).
  std::string reading, readingOption;
};

// How a node's score is bounded, in evaluation order: raw → floor → cap → + bonus.
struct NaOrigin {
  ExprId cond = -1;
  std::string text;        // the rule as written: 若无 帮扶轮次 不得分
  Span span;
  int policy = 0;          // ast::NaPolicyKind: 0 满分, 1 不得分, 2 不参与, 3 计入
};
struct MoveOrigin {
  ExprId cond = -1;        // the sibling (or child) does not apply
  std::string from;        // its title
  std::string moved, newMax;  // its points; the points this node's score is rescaled to
  ExprId before = -1;      // this node's score before it is rescaled
  std::string scaledFrom;  // a child's move (计入 【上级】): the other children's points (P − P_A);
                           // "" for a sibling's move, rescaled from this node's own points
};
struct NodeLimits {
  ExprId raw = -1;         // Σ given − Σ taken (a deduction row: the amount taken)
  ExprId floored = -1;     // max(raw, 0); -1 when the node may go negative
  ExprId capped = -1;      // min(…, limit); -1 without a limit
  std::string limit;       // the limit's points
  bool limitIsPoints = true;  // the limit is the node's 分值 (else its own 最高 / 最多扣)
  ExprId bonus = -1;       // uncapped bonuses added after the limit
  std::vector<MoveOrigin> moves;
  std::vector<NaOrigin> na;   // in the order they are tried; the first that holds decides
  bool addedAfterParentLimit = false;  // an uncapped 加分 row: its parent adds it after its own limit
};
struct VetoOrigin {
  int slot = -1;           // VetoFlag / ZeroVeto slot
  std::string text;        // as written
  Span span;
  std::vector<std::pair<std::string, std::string>> meta;   // the veto row's 栏目 (key, text), as written
};

// Why a slot gets the value it gets: kept for `explain`.
struct Contribution {
  ExprId value;          // the points this rule gives (positive), or takes when deduct
  bool deduct = false;
  std::string text;      // the rule as written (for the report)
  Span span;
  int origin = -1;       // index in Program::ruleOrigins
  ExprId levelGuard = -1;   // 分级: the 级别 = … test in front of the rule
  std::string level;        // 分级: the level
};

struct Assignment {
  int slot;              // output slot
  ExprId value;
  int phase;             // 1 or 2
};

struct NodeInfo {          // for explain and table output
  int slot;
  std::string title, path, kindKeyword;
  std::string points;
  int depth = 0;
  int parentSlot = -1;
  Span span;
  std::vector<Contribution> contributions;
  std::vector<std::string> notes;   // clamping, N/A, veto … in words
  NodeLimits limits;
  std::string original, description;  // the 原文 and 指标说明 column entries
};

struct Program;
// An import scored over its own full population (引用 … 全体另给): compiled on
// its own, with its own kernel; desc.imports[i] describes it to the runtime.
struct ImportedProgram {
  std::string alias;
  std::shared_ptr<const Program> program;
};

struct Program {
  runtime::Program desc;
  std::vector<ImportedProgram> imports;  // by desc.imports index
  std::vector<Expr> exprs;
  std::vector<Assignment> assignments;   // in evaluation order
  std::vector<NodeInfo> nodes;
  std::vector<RuleOrigin> ruleOrigins;
  // A reading (读法) read in an expression is a constant, the option in force;
  // for explain, its name and options by index: ExprId → {读法, 选项0, 选项1, …}.
  std::map<ExprId, std::vector<std::string>> readingConsts;
  // A 令 name is lowered by writing its expression out at each use; for
  // explain, the root of each such copy and the name: ExprId → 名称.
  std::map<ExprId, std::string> namedValues;
  std::vector<VetoOrigin> vetoOrigins;   // 否决 and 校验 rules, by slot
  std::vector<ExprId> percentLiterals;   // Const exprs written as a percentage (shown as 40%), ascending
  std::vector<ExprId> dateLiterals;      // Const exprs written as a date (yyyymmdd, shown as 2021-12-31)
  std::shared_ptr<const SourceFile> source;

  ExprId add(Expr e) {
    exprs.push_back(e);
    return static_cast<ExprId>(exprs.size() - 1);
  }
};

// Exactness: how many decimals a value can have (0..6), or kFraction when
// it may not terminate within 6 (÷, 平均, 前N%平均, a product whose factors
// have more than 6 decimals together). Every value is exact either way; only
// kFraction values carry a denominator, so the rest stay one int64 in
// generated code. Slot reads use the slot's level (the most of everything
// stored into it); a slot marked `rational` in the description counts as
// kFraction. With maxDigits > 6, levels up to maxDigits are kept (code
// generation holds such values in a wider fixed point, no denominator needed);
// slots marked `rational` still count as kFraction.
constexpr int8_t kFraction = 127;
struct Exactness {
  std::vector<int8_t> expr;   // per Program::exprs
  std::vector<int8_t> slot;   // per desc.slots
};
Exactness analyzeExactness(const Program &p, int8_t maxDigits = 6);

// Marks every slot that may hold a fraction as `rational` in p.desc (so the
// runtime gives it a denominator array). FromSema calls it; so must anything
// that builds a Program by hand before running it.
void markRationalSlots(Program &p);
// Throws std::logic_error naming the first slot that may hold a fraction but
// is not marked rational (the engines call it before running a program).
void requireRationalSlots(const Program &p);

// A readable dump for tests and `--emit ir`.
std::string printProgram(const Program &p);

} // namespace rubric::ir
