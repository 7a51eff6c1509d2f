// The rubric AST: the project's own types, independent of ANTLR, each with a
// source span. Built by parse/ (from the ANTLR parse tree), read by sema/ and
// everything after it. Numbers are kept as their exact source text; sema turns
// them into exact decimals.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/Source.h"

namespace rubric::ast {

// ───────────── expressions ─────────────
enum class ExprKind {
  Number,        // 3, 0.5, 3分 (isPoints)
  Percent,       // 90%  (text "90", value 0.9)
  Bool,          // 是 / 否
  String,        // "…"
  Date,          // 2024-12-01
  Name,          // a field, parameter, enum value, or level
  Member,        // 装备.总分 (imported scheme), 轮次.成绩
  NodeRef,       // 【队伍建设】, 【一.1】, with optional .分值 / .得分 member
  Unary,         // 非 x, -x
  Binary,        // + - × ÷ 且 或
  Compare,       // ≥ ≤ > < = ≠ 达到 超过 不足 …
  Range,         // x 在 3 至 5   (both ends included)
  Call,          // 四舍五入(x, 1), 排名(得票数)
  ListAgg,       // 最好(轮次: 表达式) — evaluated per element, then aggregated; args [list, body, group key?]
  TopAverage,    // 前50%平均(人员: 成绩)
  EachIndicator, // 各指标: 得分 > 80% × 分值
  Conditional,   // 若 条件 则 甲 否则 乙; args [condition, then, else]
};

enum class BinOp { Add, Sub, Mul, Div, And, Or };
enum class UnOp { Not, Neg };
// Boundary words map to these per 民法典 第一千二百五十九条:
// 达到/不少于/不低于 → Ge; 超过/高于/多于 → Gt; 不足/低于/少于/未达到 → Lt; 不超过 → Le.
enum class CmpOp { Ge, Gt, Le, Lt, Eq, Ne };

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
  ExprKind kind;
  Span span;
  std::string text;              // literal text, name, function/aggregate name, node ref
  std::string member;            // Member / NodeRef member
  bool isPoints = false;         // Number written with 分
  BinOp binOp = BinOp::Add;
  UnOp unOp = UnOp::Not;
  CmpOp cmpOp = CmpOp::Eq;
  std::string cmpWord;           // the word as written (达到, ≥ …) for messages
  std::vector<ExprPtr> args;     // operands / call arguments / [list, body] for ListAgg
  std::string topFraction;       // TopAverage: "50" with topIsPercent, or a count
  bool topIsPercent = false;
  bool through = false;          // Call: the last argument was written after 截至 (连续年数(获奖年份, 截至 2024))
  // ListAgg / TopAverage written with 按 before the colon (前50%平均(人员 按 姓名: 平均(成绩))):
  // args [list, per-group aggregate (a Call of one argument), key]; the list's
  // elements are grouped by the key, args[1] is computed per group, then aggregated.
  bool perGroup = false;

  Expr(ExprKind k, Span s) : kind(k), span(s) {}
};

// 令 名称 = 表达式: a name for an expression. At top level it is visible in
// every rule; inside a node's braces, in that node and the nodes below it.
struct LocalName {
  std::string name;
  Span span;                       // the name
  ExprPtr value;
  Span declSpan;                   // the whole 令 line
};

// ───────────── data declarations ─────────────
enum class TypeKind { Bool, Count, Decimal, Percent, Text, Enum, RecordList, ValueList, Monthly, YearSet, Date };

struct FieldDecl;
struct Type {
  TypeKind kind = TypeKind::Count;
  Span span;
  std::vector<std::string> enumValues;   // Enum, in declared (ascending) order
  std::vector<Span> enumValueSpans;
  std::vector<FieldDecl> recordFields;   // RecordList
  std::unique_ptr<Type> element;         // ValueList / Monthly
};

struct FieldDecl {
  std::string name;
  Span span;
  Type type;
  bool isId = false;
  bool optional = false;                  // (可缺): an empty cell means "no value", not 0
  std::optional<std::string> defaultText; // literal text as written
  // 范围 lo 至 hi: the values a record may hold, both ends included, as
  // written in canonical form ("-5", "150%"); Sema checks them.
  std::optional<std::string> rangeLow, rangeHigh;
  Span rangeSpan;
  std::string note;
};

struct Import {
  std::string path;
  std::string alias;
  Span span;
  // 全体另给: the imported scheme is scored over its own full population, the
  // records given at score time (--with 别名=文件), not over this scheme's records.
  bool wholePopulation = false;
  // 按 字段: this scheme's field naming the imported candidate ("" = the 标识 field).
  std::string matchField;
  Span matchSpan;
};

// ───────────── rules ─────────────
struct LevelPoints {
  std::string level;
  Span span;
  ExprPtr points;
};

// The points a rule gives or takes: one expression, or one per level.
struct PointsValue {
  ExprPtr expr;                    // null when byLevel is used
  std::vector<LevelPoints> byLevel;
  Span span;
};

struct Choice {
  std::string value;
  Span span;
  bool andAbove = false;           // 省级以上: this value and every higher one
  ExprPtr points;
};

// One tier, normalised to an interval [lo, hi] with open/closed ends.
struct Bound {
  ExprPtr value;
  bool inclusive = true;
};
struct Tier {
  std::optional<Bound> lo, hi;
  bool isElse = false;
  Span span;
  ExprPtr points;
};

enum class RuleKind {
  When,     // 当 条件 得 N分 [，每增加 s 多得 p] [，最高 M] [否则 …]
  Choice,   // 按 枚举 { 值: N分 … }
  PerUnit,  // 每件 数量 得 N分 [，最高 M]
  Tiers,    // 分档 数值 { 达到 90%: 2分 … }
  Plain,    // 得 表达式
  Monthly,  // 每月 条件 得 N分
  ByLevel,  // 分级 { 市级 { … } 县级 { … } }
  ByReading,// 按读法 X { 选项 { … } 选项 { … } }: only the chosen option's block applies
};

struct NaRule;
struct Rule;
struct LevelBlock {
  std::string level;
  Span span;
  std::vector<Rule> rules;
  std::vector<NaRule> naRules;
};

struct Rule {
  RuleKind kind = RuleKind::Plain;
  Span span;
  std::string unitWord;            // 每件 / 每项 … as written
  bool deduct = false;             // 扣 instead of 得
  ExprPtr subject;                 // condition / enum / count / tier value
  PointsValue award;
  ExprPtr stepSize, stepPoints;    // 每增加 stepSize 多得 stepPoints
  ExprPtr cap;                     // 最高 … / 最多扣 …
  std::vector<Choice> choices;
  std::vector<Tier> tiers;
  std::vector<LevelBlock> levels;
  std::string reading;             // ByReading: the reading's name
  Span readingSpan;
  std::vector<LevelBlock> readingBlocks;  // ByReading: one block per option (LevelBlock::level holds the option)
  std::unique_ptr<Rule> elseRule;
};

enum class NaPolicyKind { FullMarks, Zero, Excluded, MoveTo };
struct NaPolicy {
  NaPolicyKind kind = NaPolicyKind::FullMarks;
  std::string target;              // MoveTo: the node reference text
  Span targetSpan;
};
struct NaRule {
  Span span;
  std::string level;               // 县级 不作要求 (level form)
  ExprPtr condition;               // 不适用 当 … (condition form) / 若无 列表
  bool ifNone = false;             // 若无 x: applies when list x is empty / count is 0
  NaPolicy policy;
};

struct MetaEntry {
  std::string key;                 // 数据来源, 指导处室, 责任科室, 完成时限, 指标说明, …
  std::string value;
  Span span;
};

enum class VetoEffectKind { Disqualify, ZeroNode };
struct Veto {
  Span span;
  std::string reason;
  ExprPtr condition;
  VetoEffectKind effect = VetoEffectKind::Disqualify;
  std::string target;              // ZeroNode at top level: the node reference text
  Span targetSpan;
  std::vector<MetaEntry> meta;     // { 指标说明 "…" … } after the effect: the veto row's columns
};

struct Ack {                       // 原文合计 47分 "…": the source document's own mismatch
  std::string total;
  std::string note;
  Span span;
};

// ───────────── hierarchy ─────────────
enum class NodeKind { Indicator, SubIndicator, Item, SubItem, Deduction, Bonus };
enum class BonusCap { Unstated, Capped, Uncapped };

struct Node {
  NodeKind kind = NodeKind::Item;
  Span span;                       // the keyword
  std::string label;               // 一, 1, (1) → "1"
  std::string title;
  Span titleSpan;
  std::optional<std::string> points;
  Span pointsSpan;
  std::optional<std::string> cap;  // 最高 27分 / 最多扣 3分
  Span capSpan;
  BonusCap bonusCap = BonusCap::Unstated;
  bool mayGoNegative = false;
  Span noOwnLimitSpan;             // 不设上限: a 加分 row without points, its bonus not limited by itself
  bool noOwnLimit = false;
  std::vector<std::unique_ptr<Node>> children;
  std::vector<Rule> rules;
  std::vector<NaRule> naRules;
  std::vector<Veto> vetoes;
  std::optional<Ack> ack;
  std::vector<MetaEntry> meta;
  std::vector<LocalName> names;    // 令 … inside the node's braces
};

// ───────────── awards, validation, cases ─────────────
// A quota's policy for candidates tied at its N-th place (Unstated is an error, E0610).
enum class TiePolicy { Unstated, IncludeAll, BreakByKeys, ExcludeAll, Pending };

struct TieKey {
  ExprPtr key;
  bool descending = true;
};

struct Award {
  std::string name;
  Span span;
  ExprPtr condition;               // may be null with a quota
  std::optional<int> quota;
  ExprPtr rankBy;
  bool descending = true;
  TiePolicy ties = TiePolicy::Unstated;
  std::vector<TieKey> tieKeys;     // 并列时按 …，再按 …
  std::vector<std::pair<std::string, Span>> ifNone;   // 若无 字段 不参与: optional fields the award needs
};

struct Validation {
  std::string message;
  Span span;
  std::vector<std::string> uniqueFields;
  std::vector<Span> uniqueFieldSpans;
  ExprPtr condition;
  // 唯一(列表.字段, …): uniqueFields are "列表.字段", unique within one record
  // (across the elements of its lists), not across records.
  bool withinRecord = false;
  // 不共用(本方字段…; 另一方: 其列…): uniqueFields are this scheme's fields, whose values
  // must not appear in the other scheme's columns otherFields ("" = not a cross check).
  std::string otherScheme;
  Span otherSchemeSpan;
  std::vector<std::string> otherFields;
  // 按 字段 计数(条件) 在 低 至 高: the records (meeting groupCondition, if any) of
  // each value of groupField must number low..high ("" = not a group count).
  std::string groupField;
  Span groupFieldSpan;
  std::string groupFunction;  // as written; 计数 is the only one
  Span groupFunctionSpan;
  ExprPtr groupCondition;
  int64_t groupMin = 0, groupMax = 0;
  Span groupRangeSpan;
};

struct CaseValue;
struct CaseElement {
  std::optional<std::string> literal;   // literal text
  std::vector<CaseValue> fields;        // a record element
};
struct CaseValue {
  std::string key;                      // field name, node title / path, or quoted key
  bool isNodeRef = false;
  Span span;
  std::string literal;                  // literal text (number "3", "90%", "是", string)
  bool isList = false;
  std::vector<CaseElement> elements;
};
struct CaseReading {                    // 用例 … 读法 X = 选项: the case runs under that option
  std::string reading, option;
  Span readingSpan, optionSpan;
};
struct TestCase {
  std::string name;
  Span span;
  std::vector<CaseReading> readings;
  std::vector<CaseValue> inputs;
  std::vector<CaseValue> expected;
};

// ───────────── readings (读法) ─────────────
// An ambiguous sentence of the source document, declared with its possible
// readings and the one the rubric adopts. Rules branch on it.
struct ReadingOption {
  std::string name;
  Span span;
  std::string meaning;             // what the sentence means under this reading
};
struct Reading {
  std::string name;
  Span span;                       // the name
  std::string text;                // the source sentence, verbatim
  std::vector<ReadingOption> options;
  std::vector<std::pair<std::string, Span>> adopted;   // every 采用 written (sema: exactly one)
  std::optional<std::string> reason;                   // 理由 "…"
};

// ───────────── the file ─────────────
struct HeaderEntry {
  std::string key;
  std::string value;               // literal text (strings without quotes)
  Span span;
};

struct Scheme {
  std::string id;
  Span span;
  std::vector<HeaderEntry> entries;  // 标题, 发布, 文号, 年度, 总分, …
  std::optional<std::string> periodFrom, periodTo;
  Span periodSpan;
  std::string target;                // 集体 / 个人
  std::vector<std::string> levels;   // 省级, 市级, 县级 …
  std::vector<Span> levelSpans;
};

struct File {
  std::shared_ptr<const SourceFile> source;
  Scheme scheme;
  std::vector<FieldDecl> inputs;
  std::vector<FieldDecl> params;
  std::vector<Import> imports;
  std::vector<Veto> vetoes;
  std::vector<std::unique_ptr<Node>> indicators;
  std::vector<Award> awards;
  std::vector<Validation> validations;
  std::vector<TestCase> cases;
  std::vector<Reading> readings;
  std::vector<LocalName> names;    // top-level 令 …
};

// Every expression of a rule (its else branch and level blocks included),
// each sub-expression visited once, parents before their operands. Walks
// with an explicit stack, so a long expression cannot exhaust the C++ stack.
void forEachExpr(const Rule &rule, const std::function<void(const Expr &)> &visit);
// Every sub-expression of `root`, parents first (explicit stack).
void forEachSubExpr(const Expr &root, const std::function<void(const Expr &)> &visit);

const char *nodeKindKeyword(NodeKind kind);   // 指标, 二级, 项, …
const char *cmpOpSymbol(CmpOp op);            // ≥, >, …

} // namespace rubric::ast
