// Program ⇄ JSON. The JSON is what a generated executable embeds
// (rubric_program_json); fromJson(toJson(p)) reproduces p exactly. Each struct's
// keys are its member names (nlohmann's NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT:
// an absent key keeps the member's default); enumerations are written by name,
// and an unknown name is an error rather than a silent first value.
#include "runtime/scoring/Program.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace rubric::runtime {

namespace {

using json = nlohmann::json;

const char *const kValueKinds[] = {"Decimal", "Percent", "Count", "Bool", "Enum", "Text", "YearSet", "Date"};
const char *const kSlotKinds[] = {"Node",     "Total",     "NodeState",    "VetoFlag", "PopArg",
                                  "PopValue", "AwardCond", "AwardRankKey", "CheckFlag", "ZeroVeto", "GroupCond"};
const char *const kTiePolicies[] = {"IncludeAll", "BreakByKeys", "ExcludeAll", "Pending"};
const char *const kPopFuncs[] = {"RankDesc", "RankAsc", "LevelRankDesc", "LevelRankAsc", "Sum",
                                 "Average",  "Max",     "Min",           "Count",        "LevelCount",
                                 "LevelMax"};

template <class E, size_t N>
E enumFrom(const json &j, const char *const (&names)[N], const char *what) {
  const std::string &s = j.get_ref<const std::string &>();
  for (size_t i = 0; i < N; ++i)
    if (s == names[i]) return static_cast<E>(i);
  throw std::runtime_error(std::string("program JSON: unknown ") + what + " \"" + s + "\"");
}

} // namespace

// Found by argument-dependent lookup from nlohmann's serializer.
void to_json(json &j, ValueKind v) { j = kValueKinds[static_cast<int>(v)]; }
void from_json(const json &j, ValueKind &v) { v = enumFrom<ValueKind>(j, kValueKinds, "value kind"); }
void to_json(json &j, SlotKind v) { j = kSlotKinds[static_cast<int>(v)]; }
void from_json(const json &j, SlotKind &v) { v = enumFrom<SlotKind>(j, kSlotKinds, "slot kind"); }
void to_json(json &j, TiePolicy v) { j = kTiePolicies[static_cast<int>(v)]; }
void from_json(const json &j, TiePolicy &v) { v = enumFrom<TiePolicy>(j, kTiePolicies, "tie policy"); }
void to_json(json &j, PopFunc v) { j = kPopFuncs[static_cast<int>(v)]; }
void from_json(const json &j, PopFunc &v) { v = enumFrom<PopFunc>(j, kPopFuncs, "population function"); }

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ColumnDesc, name, kind, enumValues, optional, defaultValue, minValue,
                                                maxValue, listId, elementField, groupKey, width)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ListDesc, name, offsetsColumn, elementColumns)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(FieldDesc, name, kind, enumValues, isId, isList, isMonthly, column,
                                                listId, note, optional, defaultText, rangeText, minValue, maxValue)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(SlotDesc, kind, name, path, depth, phase, node, points, marks,
                                                rational, formula, divisors, inputs)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(PopulationStep, func, argSlot, argColumn, outSlot, levelColumn, dense)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(TieKey, slot, descending)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(AwardDesc, name, condSlot, quota, rankSlot, descending, ties, tieKeys)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ValidationDesc, message, uniqueFields, withinRecord, otherScheme,
                                                otherFields, groupColumn, groupCondSlot, groupMin, groupMax)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ImportResult, name, slot, column, denColumn)
// ImportedScheme holds a Program: written by hand after Program's (below).
void to_json(json &j, const ImportedScheme &s);
void from_json(const json &j, ImportedScheme &s);
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Program, schemeId, title, documentNumber, period, levels, fields,
                                                columns, lists, params, slots, population, awards, validations,
                                                totalSlot, levelColumn, idField, imports)

void to_json(json &j, const ImportedScheme &s) {
  j = json{{"alias", s.alias}, {"program", s.program}, {"matchColumn", s.matchColumn},
           {"disqualifiedColumn", s.disqualifiedColumn}, {"results", s.results}};
}
void from_json(const json &j, ImportedScheme &s) {
  j.at("alias").get_to(s.alias);
  j.at("program").get_to(s.program);
  j.at("matchColumn").get_to(s.matchColumn);
  j.at("disqualifiedColumn").get_to(s.disqualifiedColumn);
  j.at("results").get_to(s.results);
}

std::string Program::toJson() const {
  json j = *this;
  j["format"] = "rubricc-program/1";
  return j.dump();
}

Program Program::fromJson(const std::string &text) {
  try {
    json j = json::parse(text);
    if (!j.is_object()) throw std::runtime_error("program JSON: not an object");
    auto p = j.get<Program>();
    for (const ColumnDesc &c : p.columns)  // a one-byte column that cannot hold its values would truncate them
      if (c.width != 8 && (c.width != 1 || narrowWidth(c) != 1))
        throw std::runtime_error("program JSON: column \"" + c.name + "\" has width " + std::to_string(c.width));
    return p;
  } catch (const json::exception &e) {
    throw std::runtime_error(std::string("program JSON: ") + e.what());
  }
}

} // namespace rubric::runtime
