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
};

struct ColumnDesc {
  std::string name;          // header in the input file: 姓名, 帮扶轮次[].任务完成, 数据质量[3]
  ValueKind kind = ValueKind::Decimal;
  std::vector<std::string> enumValues;
  bool optional = true;      // an empty cell reads as the default value
  int64_t defaultValue = 0;  // used when empty/absent
  int listId = -1;           // ≥0: an element column of list `listId` (indexed by element)
  std::string elementField;  // element field name inside the list
};

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
};

enum class SlotKind {
  Node,         // a node's score
  Total,        // the candidate's total
  NaFlag,       // 1 when the node is not applicable (不参与/不作要求/计入)
  VetoFlag,     // 1 when a 取消资格 veto fires
  PopArg,       // per-record argument of a population function (phase 1)
  PopValue,     // population result (filled by the runtime between phases)
  AwardCond,    // 1 when an award's condition holds (phase 2)
  AwardRankKey, // the quota's ranking key (phase 2)
};

struct SlotDesc {
  SlotKind kind = SlotKind::Node;
  std::string name;     // node title / veto reason / award name
  std::string path;     // node label path (一.1), for output headers
  int depth = 0;        // node depth: 0 = 指标
  int phase = 1;        // 1 = per record; 2 = after the population pass
  int node = -1;        // NaFlag: the node slot it belongs to
  std::string points;   // Node: declared points (canonical decimal text)
  // Node: what a run-time error in this slot is reported with (Runner.cpp).
  std::string formula;                // the node's rules as written, "；"-separated
  std::vector<std::string> divisors;  // the divisors in those rules, as written
  std::vector<std::string> inputs;    // the input fields and parameters they read
};

enum class PopFunc { RankDesc, RankAsc, LevelRankDesc, LevelRankAsc, Sum, Average, Max, Min, Count };

struct PopulationStep {
  PopFunc func = PopFunc::RankDesc;
  int argSlot = -1;     // PopArg slot (phase 1)
  int outSlot = -1;     // PopValue slot written by the runtime
  int levelColumn = -1; // LevelRank*: the input column holding the level
};

struct AwardDesc {
  std::string name;
  int condSlot = -1;    // -1: no condition
  int quota = -1;       // -1: no quota
  int rankSlot = -1;
  bool descending = true;
  bool tiesIncluded = false;
};

struct ValidationDesc {
  std::string message;
  std::vector<std::string> uniqueFields;
};

struct Program {
  std::string schemeId;
  std::string title;
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

  std::string toJson() const;
  static Program fromJson(const std::string &json);
};

} // namespace rubric::runtime
