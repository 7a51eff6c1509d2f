// What a compiled rubric looks like to the runtime: its input columns, its
// output slots, and the population steps between the two kernel phases.
//
// The compiler fills this in (from the scoring IR); a generated executable
// carries it as embedded JSON; `rubricc score` hands it over in memory. The
// kernel itself is a plain C function over int64 columns (see Kernel.h), so
// the interpreter, the JIT and a generated executable plug into the same
// runtime and produce the same output bytes.
#pragma once

#include <cstdint>
#include <climits>
#include <string>
#include <vector>

namespace rubric::runtime {

// How a cell is read and what int64 it becomes in its column.
enum class ValueKind {
  Decimal,  // exact decimal, raw scaled by 10^6 (rb_dec)
  Percent,  // "85%" or "0.85" → rb_dec 0.85
  Count,    // non-negative whole number → rb_dec (n × 10^6)
  Bool,     // 是/否/√/×/1/0/true/false → 0 or 1
  Enum,     // one of enumValues → its index (0-based, in declared order)
  Text,     // kept as text by the runtime; its column holds the row index
  YearSet,  // 年份集 "2022、2023、2024" → one bit per year (runtime/scoring/YearSet.h)
  Date,     // 日期 "2021-12-31" → the integer yyyymmdd (runtime/scoring/Dates.h)
};

// The value of a (可缺) field's empty cell, "no value" (its column's defaultValue), and of a population
// argument without a value: population functions leave such candidates out.
constexpr int64_t kNoValue = INT64_MIN;

struct ColumnDesc {
  std::string name;          // header in the input file: 姓名, 帮扶轮次[].任务完成, 数据质量[3]
  ValueKind kind = ValueKind::Decimal;
  std::vector<std::string> enumValues;
  // The records contract (docs/cli.md "记录约定"): a required column must be
  // in the header (CSV/XLSX) or in every object (JSON Lines); an optional one
  // (a field with 缺省) may be absent, and then reads as defaultValue.
  bool optional = true;
  int64_t defaultValue = 0;  // absent (optional) or blank cell
  // The values a record may hold, both ends included, in the column's int64
  // form (rb_dec raw; a percentage as its fraction). Filled by the compiler
  // from 范围 or the kind's default range; a value outside is a rejected row.
  int64_t minValue = INT64_MIN;
  int64_t maxValue = INT64_MAX;
  int listId = -1;           // ≥0: an element column of list `listId` (indexed by element)
  std::string elementField;  // element field name inside the list
  // A text element column that groups its list (前50%平均(人员 按 姓名: …)):
  // each element holds the index of the first element of the same record's
  // list with the same text after trimming (equal keys, one group), and a
  // blank cell in an element that is there is a rejected row.
  bool groupKey = false;
  // Bytes per value in a batch and in rb_frame::cols (Kernel.h): 1 or 8, as
  // narrowWidth says. Set by the compiler and carried in the program JSON, so
  // a generated executable lays out its batches as its kernel reads them.
  int width = 8;
};

// The width a column is stored at: 1 for 是否 and for 枚举 of at most 256
// values (an index), when the default fits a byte too; else 8. (An optional
// 是否 without 缺省 defaults to INT64_MIN, "no value", and stays wide.)
inline int narrowWidth(const ColumnDesc &c) {
  bool indexFits = c.kind == ValueKind::Bool || (c.kind == ValueKind::Enum && c.enumValues.size() <= 256);
  return indexFits && c.defaultValue >= 0 && c.defaultValue <= 255 ? 1 : 8;
}

struct ListDesc {
  std::string name;          // 帮扶轮次
  int offsetsColumn = -1;    // column holding offsets (n+1 entries, element index space)
  std::vector<int> elementColumns;
};

struct FieldDesc {            // a declared input field, as the user sees it
  std::string name;
  ValueKind kind = ValueKind::Decimal;
  std::vector<std::string> enumValues;
  bool isId = false;
  bool isList = false;        // record list / value list
  bool isMonthly = false;     // 12 columns: name[1] … name[12]
  int column = -1;            // scalar: its column; monthly: the first of 12; list: -1
  int listId = -1;
  std::string note;
  bool optional = false;      // declared with 缺省
  std::string defaultText;    // the 缺省 literal as written ("" when required)
  std::string rangeText;      // the allowed values as a reader sees them: "0% 至 100%", "≥ 0"
  // A parameter's allowed values, both ends included, in its int64 form (an
  // input field's are on its ColumnDesc).
  int64_t minValue = INT64_MIN;
  int64_t maxValue = INT64_MAX;
};

enum class SlotKind {
  Node,         // a node's score
  Total,        // the candidate's total
  NodeState,    // how node `node` is shown: 0 its score; 1 不适用 (N/A, itself or an
                //   ancestor); s + 2 zeroed by the ZeroVeto slot s (itself or an ancestor)
  VetoFlag,     // 1 when a 取消资格 veto fires
  PopArg,       // per-record argument of a population function (phase 1)
  PopValue,     // population result (filled by the runtime between phases)
  AwardCond,    // 1 when an award's condition holds (phase 2)
  AwardRankKey, // the quota's ranking key, or one of its tie-break keys (phase 2)
  CheckFlag,    // 1 when a 校验 … 当 rule fails: reported, never changes status or scores
  ZeroVeto,     // 1 when a node veto (… => 不得分) fires; name = its reason
  GroupCond,    // 1 when a record counts towards a 校验 … 按 字段 计数(条件) group (ValidationDesc::groupCondSlot)
};

struct SlotDesc {
  SlotKind kind = SlotKind::Node;
  std::string name;     // node title / veto reason / award name
  std::string path;     // node label path (一.1), for output headers
  int depth = 0;        // node depth: 0 = 指标
  int phase = 1;        // 1 = per record; 2 = after the population pass
  int node = -1;        // NodeState: the node slot it belongs to
  std::string points;   // Node: declared points (canonical decimal text)
  // Node: the full marks as the results workbook's header shows them after the
  // title — "15分", "最多扣2分" (a 扣分 item's cap), "最高3分" — or "" (none declared).
  // Total: the scheme's declared 总分 ("100分"), or "".
  std::string marks;
  // The slot may hold a fraction (÷, 平均, a product with more than 6
  // decimals): it has a denominator array, rb_frame::dens[slot], and its
  // exact value is slots[s][r] / dens[s][r] in raw units. Other slots are
  // plain rb_dec and have no denominator array.
  bool rational = false;
  // Node: what a run-time error in this slot is reported with (Runner.cpp).
  std::string formula;                // the node's rules as written, "；"-separated
  std::vector<std::string> divisors;  // the divisors in those rules, as written
  std::vector<std::string> inputs;    // the input fields and parameters they read
};

// LevelCount / LevelMax: Count / Max over the candidates of the record's own level.
enum class PopFunc { RankDesc, RankAsc, LevelRankDesc, LevelRankAsc, Sum, Average, Max, Min, Count, LevelCount, LevelMax };

struct PopulationStep {
  PopFunc func = PopFunc::RankDesc;
  int argSlot = -1;     // PopArg slot (phase 1), or -1 when the argument is an input column (argColumn)
  int outSlot = -1;     // PopValue slot written by the runtime
  int levelColumn = -1; // LevelRank*, LevelCount, LevelMax: the input column holding the level
  bool dense = false;   // Rank*, LevelRank*: 并列不跳号, dense ranks (1, 2, 2, 3) instead of competition (1, 2, 2, 4)
  int argColumn = -1;   // a record-level input column read as it is (排名(得票数)): no PopArg slot copies it
};

// What a quota does with candidates tied at its edge (the N-th place).
// Results never depend on the order of the input rows.
enum class TiePolicy {
  IncludeAll,   // 并列一并列入: everyone tied with the N-th is awarded
  BreakByKeys,  // 并列时按 …: tie-break keys in order; a tie left after them is 待定
  ExcludeAll,   // 并列时均不列入: nobody tied at the edge is awarded
  Pending,      // 并列时报告待定: the tied group is reported as 待定, not awarded
};

struct TieKey {
  int slot = -1;        // AwardRankKey slot
  bool descending = true;
};

struct AwardDesc {
  std::string name;
  int condSlot = -1;    // -1: no condition
  int quota = -1;       // -1: no quota
  int rankSlot = -1;
  bool descending = true;
  TiePolicy ties = TiePolicy::Pending;
  std::vector<TieKey> tieKeys;   // BreakByKeys
};

struct ValidationDesc {
  std::string message;
  std::vector<std::string> uniqueFields;
  bool withinRecord = false;  // "列表.字段" names: no value twice among one record's list elements
  // 不共用: uniqueFields' values must not appear in the columns otherFields of
  // the records given for otherScheme (--with 名=文件); "" = 唯一 within this run.
  std::string otherScheme;
  std::vector<std::string> otherFields;
  // 按 字段 计数(条件) 在 低 至 高: per value of the input column groupColumn (text
  // or enum), the records whose groupCondSlot is 1 (every record when -1) must
  // number groupMin..groupMax (GroupCounts.cpp). -1 = not a group count.
  int groupColumn = -1;
  int groupCondSlot = -1;
  int64_t groupMin = 0, groupMax = 0;
};

struct Program;

// One value an imported scheme's run gives each of its candidates, and the
// columns of this program it is put into (a fraction: numerator column ÷
// denominator column, both rb_dec; see ImportRun.h).
struct ImportResult {
  std::string name;        // 总分, or an indicator's title
  int slot = -1;           // in the imported program
  int column = -1;         // this program's column: the slot's raw value
  int denColumn = -1;      // a rational slot: its denominator × 10^6 (rb_dec), else -1
};

// 引用 … 为 别名 全体另给: the imported scheme, scored on its own over the
// records given with --with 别名=文件 (its population functions, ranks and
// vetoes over all of them); each record of this program gets the values of
// the candidate its match column names.
struct ImportedScheme {
  std::string alias;
  std::vector<Program> program;  // exactly one (a vector: Program is incomplete here)
  int matchColumn = -1;          // this program's text column naming the imported candidate
  int disqualifiedColumn = -1;   // 1 when the imported run disqualified the candidate (取消资格)
  std::vector<ImportResult> results;  // its total, then its indicators
};

struct Program {
  std::string schemeId;
  std::string title;
  std::string documentNumber;  // the scheme header's 文号 ("" when not given)
  std::string period;          // its 期间 as written: "2024-12 至 2025-11" ("" when not given)
  std::vector<std::string> levels;
  std::vector<FieldDesc> fields;
  std::vector<ColumnDesc> columns;
  std::vector<ListDesc> lists;
  std::vector<FieldDesc> params;   // column = index into the params array
  std::vector<SlotDesc> slots;
  std::vector<PopulationStep> population;
  std::vector<AwardDesc> awards;
  std::vector<ValidationDesc> validations;
  int totalSlot = -1;
  int levelColumn = -1;            // the implicit 级别 column, if any
  int idField = -1;                // index into fields
  std::vector<ImportedScheme> imports;  // whole-population imports (ImportRun.h)

  std::string toJson() const;
  static Program fromJson(const std::string &json);
};

} // namespace rubric::runtime
