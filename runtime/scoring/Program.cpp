// Program ⇄ JSON. The JSON is what a generated executable embeds
// (rubric_program_json); fromJson(toJson(p)) reproduces p exactly.
#include "runtime/scoring/Program.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace rubric::runtime {

namespace {

using json = nlohmann::json;

const char *const kValueKinds[] = {"Decimal", "Percent", "Count", "Bool", "Enum", "Text", "YearSet"};
const char *const kSlotKinds[] = {"Node",     "Total",     "NodeState",    "VetoFlag", "PopArg",
                                  "PopValue", "AwardCond", "AwardRankKey", "CheckFlag", "ZeroVeto"};
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

template <class T>
void get(const json &o, const char *key, T &out) {
  if (auto it = o.find(key); it != o.end() && !it->is_null()) it->get_to(out);
}

json fieldJson(const FieldDesc &f) {
  return {{"name", f.name},       {"kind", kValueKinds[static_cast<int>(f.kind)]},
          {"enumValues", f.enumValues}, {"isId", f.isId},
          {"isList", f.isList},   {"isMonthly", f.isMonthly},
          {"column", f.column},   {"listId", f.listId},
          {"note", f.note},       {"optional", f.optional},
          {"defaultText", f.defaultText}, {"rangeText", f.rangeText},
          {"minValue", f.minValue},       {"maxValue", f.maxValue}};
}

FieldDesc fieldFrom(const json &o) {
  FieldDesc f;
  get(o, "name", f.name);
  if (o.contains("kind")) f.kind = enumFrom<ValueKind>(o["kind"], kValueKinds, "value kind");
  get(o, "enumValues", f.enumValues);
  get(o, "isId", f.isId);
  get(o, "isList", f.isList);
  get(o, "isMonthly", f.isMonthly);
  get(o, "column", f.column);
  get(o, "listId", f.listId);
  get(o, "note", f.note);
  get(o, "optional", f.optional);
  get(o, "defaultText", f.defaultText);
  get(o, "rangeText", f.rangeText);
  get(o, "minValue", f.minValue);
  get(o, "maxValue", f.maxValue);
  return f;
}

} // namespace

std::string Program::toJson() const {
  json j;
  j["format"] = "rubricc-program/1";
  j["schemeId"] = schemeId;
  j["title"] = title;
  j["documentNumber"] = documentNumber;
  j["period"] = period;
  j["levels"] = levels;
  j["fields"] = json::array();
  for (const auto &f : fields) j["fields"].push_back(fieldJson(f));
  j["columns"] = json::array();
  for (const auto &c : columns)
    j["columns"].push_back({{"name", c.name},
                            {"kind", kValueKinds[static_cast<int>(c.kind)]},
                            {"enumValues", c.enumValues},
                            {"optional", c.optional},
                            {"defaultValue", c.defaultValue},
                            {"minValue", c.minValue},
                            {"maxValue", c.maxValue},
                            {"listId", c.listId},
                            {"elementField", c.elementField}});
  j["lists"] = json::array();
  for (const auto &l : lists)
    j["lists"].push_back({{"name", l.name}, {"offsetsColumn", l.offsetsColumn}, {"elementColumns", l.elementColumns}});
  j["params"] = json::array();
  for (const auto &f : params) j["params"].push_back(fieldJson(f));
  j["slots"] = json::array();
  for (const auto &s : slots)
    j["slots"].push_back({{"kind", kSlotKinds[static_cast<int>(s.kind)]},
                          {"name", s.name},
                          {"path", s.path},
                          {"depth", s.depth},
                          {"phase", s.phase},
                          {"node", s.node},
                          {"points", s.points},
                          {"marks", s.marks},
                          {"rational", s.rational},
                          {"formula", s.formula},
                          {"divisors", s.divisors},
                          {"inputs", s.inputs}});
  j["population"] = json::array();
  for (const auto &p : population)
    j["population"].push_back({{"func", kPopFuncs[static_cast<int>(p.func)]},
                               {"argSlot", p.argSlot},
                               {"outSlot", p.outSlot},
                               {"levelColumn", p.levelColumn}});
  j["awards"] = json::array();
  for (const auto &a : awards) {
    json keys = json::array();
    for (const auto &k : a.tieKeys) keys.push_back({{"slot", k.slot}, {"descending", k.descending}});
    j["awards"].push_back({{"name", a.name},
                           {"condSlot", a.condSlot},
                           {"quota", a.quota},
                           {"rankSlot", a.rankSlot},
                           {"descending", a.descending},
                           {"ties", kTiePolicies[static_cast<int>(a.ties)]},
                           {"tieKeys", keys}});
  }
  j["validations"] = json::array();
  for (const auto &v : validations)
    j["validations"].push_back({{"message", v.message},
                                {"uniqueFields", v.uniqueFields},
                                {"withinRecord", v.withinRecord},
                                {"otherScheme", v.otherScheme},
                                {"otherFields", v.otherFields}});
  j["totalSlot"] = totalSlot;
  j["levelColumn"] = levelColumn;
  j["idField"] = idField;
  return j.dump();
}

Program Program::fromJson(const std::string &text) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception &e) {
    throw std::runtime_error(std::string("program JSON: ") + e.what());
  }
  if (!j.is_object()) throw std::runtime_error("program JSON: not an object");
  Program p;
  try {
    get(j, "schemeId", p.schemeId);
    get(j, "title", p.title);
    get(j, "documentNumber", p.documentNumber);
    get(j, "period", p.period);
    get(j, "levels", p.levels);
    if (j.contains("fields"))
      for (const auto &o : j["fields"]) p.fields.push_back(fieldFrom(o));
    if (j.contains("columns"))
      for (const auto &o : j["columns"]) {
        ColumnDesc c;
        get(o, "name", c.name);
        if (o.contains("kind")) c.kind = enumFrom<ValueKind>(o["kind"], kValueKinds, "value kind");
        get(o, "enumValues", c.enumValues);
        get(o, "optional", c.optional);
        get(o, "defaultValue", c.defaultValue);
        get(o, "minValue", c.minValue);
        get(o, "maxValue", c.maxValue);
        get(o, "listId", c.listId);
        get(o, "elementField", c.elementField);
        p.columns.push_back(std::move(c));
      }
    if (j.contains("lists"))
      for (const auto &o : j["lists"]) {
        ListDesc l;
        get(o, "name", l.name);
        get(o, "offsetsColumn", l.offsetsColumn);
        get(o, "elementColumns", l.elementColumns);
        p.lists.push_back(std::move(l));
      }
    if (j.contains("params"))
      for (const auto &o : j["params"]) p.params.push_back(fieldFrom(o));
    if (j.contains("slots"))
      for (const auto &o : j["slots"]) {
        SlotDesc s;
        if (o.contains("kind")) s.kind = enumFrom<SlotKind>(o["kind"], kSlotKinds, "slot kind");
        get(o, "name", s.name);
        get(o, "path", s.path);
        get(o, "depth", s.depth);
        get(o, "phase", s.phase);
        get(o, "node", s.node);
        get(o, "points", s.points);
        get(o, "marks", s.marks);
        get(o, "rational", s.rational);
        get(o, "formula", s.formula);
        get(o, "divisors", s.divisors);
        get(o, "inputs", s.inputs);
        p.slots.push_back(std::move(s));
      }
    if (j.contains("population"))
      for (const auto &o : j["population"]) {
        PopulationStep s;
        if (o.contains("func")) s.func = enumFrom<PopFunc>(o["func"], kPopFuncs, "population function");
        get(o, "argSlot", s.argSlot);
        get(o, "outSlot", s.outSlot);
        get(o, "levelColumn", s.levelColumn);
        p.population.push_back(s);
      }
    if (j.contains("awards"))
      for (const auto &o : j["awards"]) {
        AwardDesc a;
        get(o, "name", a.name);
        get(o, "condSlot", a.condSlot);
        get(o, "quota", a.quota);
        get(o, "rankSlot", a.rankSlot);
        get(o, "descending", a.descending);
        if (o.contains("ties")) a.ties = enumFrom<TiePolicy>(o["ties"], kTiePolicies, "tie policy");
        if (o.contains("tieKeys"))
          for (const auto &k : o["tieKeys"]) {
            TieKey t;
            get(k, "slot", t.slot);
            get(k, "descending", t.descending);
            a.tieKeys.push_back(t);
          }
        p.awards.push_back(std::move(a));
      }
    if (j.contains("validations"))
      for (const auto &o : j["validations"]) {
        ValidationDesc v;
        get(o, "message", v.message);
        get(o, "uniqueFields", v.uniqueFields);
        get(o, "withinRecord", v.withinRecord);
        get(o, "otherScheme", v.otherScheme);
        get(o, "otherFields", v.otherFields);
        p.validations.push_back(std::move(v));
      }
    get(j, "totalSlot", p.totalSlot);
    get(j, "levelColumn", p.levelColumn);
    get(j, "idField", p.idField);
  } catch (const json::exception &e) {
    throw std::runtime_error(std::string("program JSON: ") + e.what());
  }
  return p;
}

} // namespace rubric::runtime
