#include "sema/Sema.h"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "ast/AstPrinter.h"
#include "parse/Parser.h"
#include "parse/TokenNames.h"
#include "kernel_helpers.h"
#include "rubric_decimal.h"
#include "sema/Divisors.h"
#include "sema/Readings.h"
#include "sema/Tiers.h"
#include "support/Suggest.h"

namespace rubric::sema {

const std::vector<std::string> &knownMetaKeys() {
  static const std::vector<std::string> keys = {"数据来源", "佐证材料", "指标说明", "指导处室", "责任科室",
                                                "完成时限", "说明",     "备注",     "评分方法", "数据来源及说明", "原文"};
  return keys;
}

namespace {

const std::vector<std::string> kHeaderKeys = {"标题", "发布", "文号", "年度", "总分", "说明", "对象", "适用", "备注"};

// name → (min args, max args, needs population)
struct FunctionInfo {
  size_t minArgs, maxArgs;
  bool population;
};
const std::map<std::string, FunctionInfo> &functions() {
  static const std::map<std::string, FunctionInfo> f = {
      {"四舍五入", {2, 2, false}}, {"向下取整", {1, 2, false}}, {"向上取整", {1, 2, false}},
      {"最大", {1, 99, false}},    {"最小", {1, 99, false}},    {"个数", {1, 1, false}},
      {"排名", {1, 3, true}},      {"级内排名", {1, 3, true}},  {"全体求和", {1, 1, true}},
      {"全体平均", {1, 1, true}},  {"全体最大", {1, 1, true}},  {"全体最小", {1, 1, true}},
      {"候选数", {0, 0, true}},    {"级内候选数", {0, 0, true}}, {"级内最大", {1, 1, true}}, {"连续年数", {1, 2, false}},
      {"有值", {1, 1, false}},
  };
  return f;
}
const std::vector<std::string> kListAggregates = {"最好", "最差", "平均", "求和", "计数", "全部", "任一", "分组最高"};

std::vector<std::string> keys(const std::map<std::string, FunctionInfo> &m) {
  std::vector<std::string> out;
  for (const auto &[k, v] : m) out.push_back(k);
  return out;
}

std::string joinNames(const std::vector<std::string> &v) {
  std::string s;
  for (const auto &x : v) s += (s.empty() ? "" : "、") + x;
  return s;
}

class Checker {
public:
  Checker(const ast::File &file, DiagnosticEngine &diags, const CheckOptions &options)
      : file_(file), diags_(diags), options_(options), src_(file.source) {
    result_ = std::make_unique<CheckedFile>();
    result_->file = &file;
  }

  std::unique_ptr<CheckedFile> run() {
    checkHeader();
    declareFields();
    loadImports();
    declareReadings(file_, options_.readings, [&](const std::string &n) { return fields_.count(n) || params_.count(n); },
                    *result_, diags_);
    indexNodes();
    declareLocalNames();
    for (const auto &v : file_.vetoes) checkVeto(v, nullptr);
    for (const auto &n : file_.indicators) checkNode(*n, nullptr);
    checkSchemeTotal();
    checkSiblings(file_.indicators);
    for (const auto &a : file_.awards) checkAward(a);
    for (const auto &v : file_.validations) checkValidation(v);
    for (const auto &c : file_.cases) checkCase(c);
    analysePhases();
    reportUnused();
    reportUnusedLocalNames();
    reportUnusedReadings(*result_, diags_);
    return std::move(result_);
  }

private:
  const ast::File &file_;
  DiagnosticEngine &diags_;
  const CheckOptions &options_;
  std::shared_ptr<const SourceFile> src_;
  std::unique_ptr<CheckedFile> result_;

  std::map<std::string, const ast::FieldDecl *> fields_;   // inputs
  std::map<std::string, const ast::FieldDecl *> params_;
  std::map<const ast::FieldDecl *, bool> used_;
  std::set<std::string> failedImports_;  // already reported: uses of the alias are not reported again

  // Node lookup: by title (unique) and by label path ("一.1").
  std::vector<const ast::Node *> allNodes_;
  std::map<const ast::Node *, const ast::Node *> parent_;
  std::map<const ast::Node *, std::string> path_;
  std::multimap<std::string, const ast::Node *> byTitle_;
  std::map<std::string, const ast::Node *> byPath_;

  // Expression context.
  struct Scope {
    const ast::Type *element = nullptr;     // list aggregate body: the element record type
    const ast::FieldDecl *elementOf = nullptr;
    bool inEachIndicator = false;           // 各指标: binds 得分 / 分值
    bool inAward = false;                   // 总分 and node scores available
    const ast::Node *node = nullptr;        // the node whose rule is being checked
    bool perMonth = false;
    const ast::FieldDecl *valueList = nullptr; // aggregate over a 列表<…>: its name is the element                  // 每月 / monthly aggregate: monthly fields mean one month's value
    bool inLocalName = false;               // checking a 令's expression: names are looked up from nameOwner
    const ast::Node *nameOwner = nullptr;
  };
  // Dependencies in the order they appear (deterministic messages).
  std::map<const ast::Node *, std::vector<const ast::Node *>> nodeDeps_;
  void addDep(const ast::Node *from, const ast::Node *to) {
    auto &deps = nodeDeps_[from];
    if (std::find(deps.begin(), deps.end(), to) == deps.end()) deps.push_back(to);
  }
  std::set<const ast::Node *> directPopulation_;

  Diagnostic &report(DiagId id, Span span, std::vector<std::string> args = {}) {
    return diags_.report(id, src_, span, std::move(args));
  }
  void addSuggestion(Diagnostic &d, const std::string &name, const std::vector<std::string> &candidates) {
    if (auto s = suggestName(name, candidates)) d.notes.push_back(DiagnosticEngine::note(DiagId::NoteDidYouMean, src_, d.span, {*s}));
  }

  std::optional<rb_dec> parseNumber(const std::string &text, Span span) {
    rb_dec v = 0;
    if (int rc = rb_dec_parse(text.data(), text.size(), &v); rc != 0) {
      report(rc == RB_DEC_ERR_OVERFLOW ? DiagId::NumberTooLarge : DiagId::BadNumber, span, {text});
      return std::nullopt;
    }
    return v;
  }
  static std::string fmtDec(rb_dec v) {
    char buf[RB_DEC_FORMAT_CAP];
    rb_dec_format(v, buf, sizeof buf);
    return buf;
  }

  // ───── header and declarations ─────
  void checkHeader() {
    for (const auto &e : file_.scheme.entries) {
      if (std::find(kHeaderKeys.begin(), kHeaderKeys.end(), e.key) == kHeaderKeys.end()) {
        auto &d = report(DiagId::UnknownHeaderKey, e.span, {e.key});
        addSuggestion(d, e.key, kHeaderKeys);
      }
      rb_dec v;
      if ((e.key == "年度" || e.key == "总分") && rb_dec_parse(e.value.data(), e.value.size(), &v) != 0)
        report(DiagId::BadHeaderValue, e.span, {e.key, e.value});
      if (e.key == "对象" && e.value != "集体" && e.value != "个人")
        report(DiagId::BadHeaderValue, e.span, {e.key, "应为“集体”或“个人”"});
    }
    std::set<std::string> seen;
    for (size_t i = 0; i < file_.scheme.levels.size(); ++i)
      if (!seen.insert(file_.scheme.levels[i]).second)
        report(DiagId::DuplicateEnumValue, file_.scheme.levelSpans[i], {file_.scheme.levels[i]});
  }

  void declareFields() {
    auto declare = [&](const std::vector<ast::FieldDecl> &decls, std::map<std::string, const ast::FieldDecl *> &into) {
      for (const auto &f : decls) {
        if (fields_.count(f.name) || params_.count(f.name)) {
          auto &d = report(DiagId::DuplicateField, f.span, {f.name});
          const ast::FieldDecl *prev = fields_.count(f.name) ? fields_[f.name] : params_[f.name];
          d.notes.push_back(DiagnosticEngine::note(DiagId::NoteDeclaredHere, src_, prev->span, {f.name}));
          continue;
        }
        into[f.name] = &f;
        checkType(f.type, f.name);
        bool single = f.type.kind != ast::TypeKind::RecordList && f.type.kind != ast::TypeKind::ValueList &&
                      f.type.kind != ast::TypeKind::Monthly && f.type.kind != ast::TypeKind::Text &&
                      f.type.kind != ast::TypeKind::YearSet;  // a blank year set is the empty set, not "no value"
        checkYearSetPlacement(f, &into == &params_);
        checkDatePlacement(f, &into == &params_);
        if (f.optional && (!single || f.isId)) report(DiagId::OptionalBadType, f.span, {f.name});
        checkRange(f);
      }
    };
    declare(file_.inputs, fields_);
    declare(file_.params, params_);
    if (!file_.scheme.levels.empty() && !fields_.count("级别")) {
      auto level = std::make_unique<ast::FieldDecl>();
      level->name = "级别";
      level->type.kind = ast::TypeKind::Enum;
      level->type.enumValues = file_.scheme.levels;
      level->type.enumValueSpans = file_.scheme.levelSpans;
      level->span = file_.scheme.levelSpans.empty() ? Span{} : file_.scheme.levelSpans[0];
      fields_["级别"] = level.get();
      used_[level.get()] = true;
      result_->implicitLevel = std::move(level);
    }
    bool hasId = false;
    for (const auto &f : file_.inputs) hasId |= f.isId;
    if (!hasId && !file_.inputs.empty()) report(DiagId::NoIdField, file_.inputs.front().span);
  }

  // `listName`: the field whose type this is (named by E0214).
  void checkType(const ast::Type &t, const std::string &listName) {
    if (t.kind == ast::TypeKind::Enum) {
      std::set<std::string> seen;
      for (size_t i = 0; i < t.enumValues.size(); ++i)
        if (!seen.insert(t.enumValues[i]).second) report(DiagId::DuplicateEnumValue, t.enumValueSpans[i], {t.enumValues[i]});
    }
    if (t.kind == ast::TypeKind::RecordList) {
      std::set<std::string> seen;
      for (const auto &f : t.recordFields) {
        if (!seen.insert(f.name).second) report(DiagId::DuplicateField, f.span, {f.name});
        // The records contract and the scoring IR have one level of lists.
        if (f.type.kind == ast::TypeKind::RecordList || f.type.kind == ast::TypeKind::ValueList ||
            f.type.kind == ast::TypeKind::Monthly)
          report(DiagId::NestedList, f.span, {listName, f.name});
        checkType(f.type, f.name);
        checkRange(f);
      }
    }
    if (t.element && (t.element->kind == ast::TypeKind::RecordList || t.element->kind == ast::TypeKind::ValueList ||
                      t.element->kind == ast::TypeKind::Monthly))
      report(DiagId::NestedList, t.element->span, {listName, listName});
    if (t.element) checkType(*t.element, listName);
  }

  // 范围 lo 至 hi: only on numbers (a monthly or value list of numbers too);
  // percentages are bounded by percentages, counts and decimals by plain
  // numbers (so "范围 0 至 100" never has to be guessed as 0–100 or 0%–100%);
  // lo ≤ hi; a 缺省 value must lie inside.
  void checkRange(const ast::FieldDecl &f) {
    if (!f.rangeLow) return;
    const ast::Type &t = (f.type.kind == ast::TypeKind::Monthly || f.type.kind == ast::TypeKind::ValueList) && f.type.element
                             ? *f.type.element
                             : f.type;
    bool percent = t.kind == ast::TypeKind::Percent;
    if (t.kind != ast::TypeKind::Count && t.kind != ast::TypeKind::Decimal && !percent) {
      report(DiagId::RangeNotAllowed, f.rangeSpan, {f.name, typeName(ValueType::fromDecl(f.type))});
      return;
    }
    auto bound = [&](const std::string &text) -> std::optional<rb_dec> {
      bool hasPercent = !text.empty() && text.back() == '%';
      if (hasPercent != percent) {
        report(DiagId::RangeBoundKind, f.rangeSpan,
               {f.name, text, percent ? "百分比字段的范围须写成百分数，如 0% 至 200%" : "只有百分比字段的范围写 %"});
        return std::nullopt;
      }
      std::string digits = text.substr(0, text.size() - (hasPercent ? 1 : 0));
      auto v = parseNumber(digits, f.rangeSpan);
      if (v && t.kind == ast::TypeKind::Count && *v < 0) {
        report(DiagId::RangeBoundKind, f.rangeSpan, {f.name, text, "件数不能为负"});
        return std::nullopt;
      }
      return v;
    };
    auto lo = bound(*f.rangeLow), hi = bound(*f.rangeHigh);
    if (!lo || !hi) return;
    if (*lo > *hi) {
      report(DiagId::RangeEmpty, f.rangeSpan, {f.name, *f.rangeLow, *f.rangeHigh});
      return;
    }
    if (!f.defaultText) return;
    std::string d = *f.defaultText;
    if (!d.empty() && d.back() == '%') d.pop_back();
    rb_dec v = 0;
    if (rb_dec_parse(d.data(), d.size(), &v) == 0 && (v < *lo || v > *hi))
      report(DiagId::DefaultOutOfRange, f.span, {f.name, *f.defaultText, *f.rangeLow, *f.rangeHigh});
  }

  // Imports are followed transitively before anything uses them: a cycle
  // (a → b → a, or a file importing itself) or a chain deeper than
  // kMaxImportDepth is an error at the import line, so no later stage can
  // recurse without end.
  static constexpr size_t kMaxImportDepth = 16;

  std::shared_ptr<SourceFile> loadSource(const std::string &path, std::string *err) {
    return options_.loadFile ? options_.loadFile(path, err) : SourceFile::load(path, err);
  }
  static std::string importedPath(const SourceFile &importer, const std::string &written) {
    return (std::filesystem::path(importer.path()).parent_path() / written).lexically_normal().string();
  }
  // Identity of a file on the import chain (symlinks resolved when possible).
  static std::string fileIdentity(const std::string &path) {
    std::error_code ec;
    auto p = std::filesystem::weakly_canonical(path, ec);
    return ec ? std::filesystem::absolute(path, ec).lexically_normal().string() : p.string();
  }
  // A file's name as the message shows it: relative to the checked file's directory.
  std::string shownName(const std::string &path) const {
    auto base = std::filesystem::path(file_.source->path()).parent_path();
    auto rel = std::filesystem::path(path).lexically_relative(base.empty() ? "." : base);
    return rel.empty() ? path : rel.string();
  }

  // An imported file's syntax tree, parsed once for followImports and
  // loadImports both (which takes it: an alias of a file imported twice parses it again).
  struct ParsedImport {
    std::unique_ptr<ast::File> file;  // null: it has syntax errors, or it was taken
    size_t errors = 0;
  };
  std::map<std::string, ParsedImport> parsedImports_;  // by fileIdentity

  ParsedImport &parseImport(const std::string &id, const std::shared_ptr<SourceFile> &src) {
    ParsedImport &p = parsedImports_[id];
    if (!p.file && p.errors == 0) {
      DiagnosticEngine sub;
      p.file = parse::parseFile(src, sub);
      p.errors = sub.errorCount();
    }
    return p;
  }

  // Follows the imports of `path` depth first. `chain` holds the files being
  // imported (identity, shown name). Returns the problem found, if any.
  std::optional<std::pair<DiagId, std::string>> followImports(const std::string &path,
                                                              std::vector<std::pair<std::string, std::string>> &chain,
                                                              std::set<std::string> &verified) {
    std::string id = fileIdentity(path);
    auto onChain = std::find_if(chain.begin(), chain.end(), [&](const auto &c) { return c.first == id; });
    if (onChain != chain.end()) {
      std::string cycle;
      for (auto it = onChain; it != chain.end(); ++it) cycle += it->second + " → ";
      return std::make_pair(DiagId::ImportCycle, cycle + shownName(path));
    }
    if (chain.size() > kMaxImportDepth) {
      std::string route;
      for (const auto &c : chain) route += c.second + " → ";
      return std::make_pair(DiagId::ImportTooDeep, route + shownName(path));
    }
    if (verified.count(id)) return std::nullopt;
    std::string err;
    auto src = loadSource(path, &err);
    if (!src) return std::nullopt;  // reported when that file's own imports are checked
    const ParsedImport &parsed = parseImport(id, src);
    if (!parsed.file) return std::nullopt;
    chain.emplace_back(id, shownName(path));
    for (const auto &im : parsed.file->imports)
      if (auto problem = followImports(importedPath(*src, im.path), chain, verified)) return problem;
    chain.pop_back();
    verified.insert(id);
    return std::nullopt;
  }

  void loadImports() {
    std::set<std::string> verified;
    for (const auto &im : file_.imports) {
      std::string path = importedPath(*file_.source, im.path);
      std::vector<std::pair<std::string, std::string>> chain = {
          {fileIdentity(file_.source->path()), std::filesystem::path(file_.source->path()).filename().string()}};
      if (auto problem = followImports(path, chain, verified)) {
        if (problem->first == DiagId::ImportTooDeep)
          report(problem->first, im.span, {std::to_string(kMaxImportDepth), problem->second});
        else
          report(problem->first, im.span, {problem->second});
        failedImports_.insert(im.alias);
        continue;
      }
      std::string err;
      std::shared_ptr<SourceFile> src = loadSource(path, &err);
      if (!src) {
        std::error_code ec;
        bool exists = !options_.loadFile && std::filesystem::exists(path, ec);
        report(exists ? DiagId::ImportUnreadable : DiagId::ImportNotFound, im.span, {im.path});
        failedImports_.insert(im.alias);
        continue;
      }
      // The imported file is checked on its own when it is listed; here we only need its AST.
      ParsedImport taken = std::move(parseImport(fileIdentity(path), src));
      std::unique_ptr<ast::File> parsed = std::move(taken.file);
      if (!parsed) {
        report(DiagId::ImportHasErrors, im.span, {im.path, std::to_string(taken.errors)});
        failedImports_.insert(im.alias);
        continue;
      }
      if (im.wholePopulation) checkWholePopulation(im, *parsed);
      result_->importByAlias[im.alias] = parsed.get();
      result_->imports.push_back(std::move(parsed));
    }
  }

  // 引用 … 为 别名 全体另给 [按 字段]: the imported scheme is scored over the
  // records given with --with 别名=文件; its candidates are matched to this
  // scheme's records by its 标识 and this scheme's field (标识, or 按 字段).
  void checkWholePopulation(const ast::Import &im, const ast::File &imported) {
    bool importedHasId = std::any_of(imported.inputs.begin(), imported.inputs.end(), [](const auto &f) { return f.isId; });
    if (!importedHasId) report(DiagId::WholePopNeedsId, im.span, {im.alias});
    for (const auto &inner : imported.imports)
      if (inner.wholePopulation) report(DiagId::WholePopNested, im.span, {im.alias, inner.alias});
    const ast::FieldDecl *match = nullptr;
    if (im.matchField.empty()) {
      for (const auto &f : file_.inputs)
        if (f.isId) match = &f;
      if (!match) report(DiagId::WholePopNoMatch, im.span, {im.alias});
    } else {
      auto it = fields_.find(im.matchField);
      if (it == fields_.end()) {
        auto &d = report(DiagId::UnknownName, im.matchSpan, {im.matchField});
        addSuggestion(d, im.matchField, fieldNames());
      } else if (it->second->type.kind != ast::TypeKind::Text) {
        report(DiagId::WholePopMatchField, im.matchSpan, {im.matchField, typeName(ValueType::fromDecl(it->second->type))});
      } else {
        match = it->second;
        used_[match] = true;
      }
    }
    if (!importedHasId || !match) {
      failedImports_.insert(im.alias);
      return;
    }
    result_->wholePopulationMatch[im.alias] = match;
  }

  // ───── hierarchy ─────
  void indexNodes() {
    std::function<void(const ast::Node &, const ast::Node *, const std::string &)> walk =
        [&](const ast::Node &n, const ast::Node *parent, const std::string &prefix) {
          allNodes_.push_back(&n);
          parent_[&n] = parent;
          std::string path = n.label.empty() ? "" : (prefix.empty() ? n.label : prefix + "." + n.label);
          path_[&n] = path;
          byTitle_.emplace(n.title, &n);
          if (!path.empty()) byPath_.emplace(path, &n);
          for (const auto &c : n.children) walk(*c, &n, path.empty() ? prefix : path);
        };
    for (const auto &n : file_.indicators) walk(*n, nullptr, "");
  }

  const ast::Node *findNode(const std::string &ref, Span span, bool reportMissing = true) {
    auto range = byTitle_.equal_range(ref);
    if (range.first != range.second) {
      if (std::next(range.first) != range.second && reportMissing) {
        std::vector<std::string> paths;
        for (auto it = range.first; it != range.second; ++it)
          paths.push_back(path_[it->second].empty() ? it->second->title : "【" + path_[it->second] + "】");
        report(DiagId::AmbiguousNodeRef, span, {ref, joinNames(paths)});
      }
      return range.first->second;
    }
    auto it = byPath_.find(ref);
    if (it != byPath_.end()) return it->second;
    if (reportMissing) {
      auto &d = report(DiagId::UnknownNodeRef, span, {ref});
      std::vector<std::string> candidates;
      for (const auto &[t, n] : byTitle_) candidates.push_back(t);
      for (const auto &[p, n] : byPath_) candidates.push_back(p);
      addSuggestion(d, ref, candidates);
      if (!d.notes.empty() && span.valid()) {
        // The fix keeps the brackets the reference was written with.
        std::string written(spanText(*src_, span));
        std::string suggestion = d.notes.front().args.front();
        if (written == "【" + ref + "】" || written == "[" + ref + "]")
          d.fixits.push_back({span, "【" + suggestion + "】"});
        else if (written == ref)
          d.fixits.push_back({span, suggestion});
      }
    }
    return nullptr;
  }

  void checkSiblings(const std::vector<std::unique_ptr<ast::Node>> &siblings) {
    std::map<std::string, const ast::Node *> titles, labels;
    for (const auto &n : siblings) {
      if (!titles.emplace(n->title, n.get()).second) {
        auto &d = report(DiagId::DuplicateNode, n->titleSpan, {n->title});
        d.notes.push_back(DiagnosticEngine::note(DiagId::NoteDeclaredHere, src_, titles[n->title]->titleSpan, {n->title}));
      }
      if (!n->label.empty() && !labels.emplace(n->label, n.get()).second)
        report(DiagId::DuplicateNode, n->span, {std::string(ast::nodeKindKeyword(n->kind)) + " " + n->label});
    }
  }

  void checkSchemeTotal() {
    for (const auto &e : file_.scheme.entries) {
      if (e.key != "总分") continue;
      rb_dec declared;
      if (rb_dec_parse(e.value.data(), e.value.size(), &declared) != 0) return;
      rb_dec sum = 0;
      int32_t err = 0;
      for (const auto &n : file_.indicators) {
        if (n->kind == ast::NodeKind::Bonus || n->kind == ast::NodeKind::Deduction || !n->points) continue;
        rb_dec p;
        if (rb_dec_parse(n->points->data(), n->points->size(), &p) != 0) return;
        sum = rb_dec_add(sum, p, &err);
      }
      if (sum != declared) report(DiagId::PointsMismatch, e.span, {"方案总分", fmtDec(declared), fmtDec(sum)});
    }
  }

  void checkNode(const ast::Node &n, const ast::Node *parent) {
    (void)parent;
    std::optional<rb_dec> points;
    if (n.points) points = parseNumber(*n.points, n.pointsSpan);
    else if (n.kind != ast::NodeKind::Deduction && !(n.kind == ast::NodeKind::Bonus && n.noOwnLimit))
      report(DiagId::MissingPoints, n.titleSpan, {n.title});
    checkNoOwnLimit(n);
    if (n.cap) parseNumber(*n.cap, n.capSpan);
    if (n.kind == ast::NodeKind::Bonus && n.bonusCap == ast::BonusCap::Unstated)
      report(DiagId::BonusCapUnstated, n.span, {n.title});

    checkMeta(n.meta);

    // Declared points against the children's sum (bonus and deduction rows aside).
    rb_dec sum = 0;
    int32_t err = 0;
    bool haveScoredChildren = false, sumKnown = true;
    for (const auto &c : n.children) {
      if (c->kind == ast::NodeKind::Bonus || c->kind == ast::NodeKind::Deduction) continue;
      haveScoredChildren = true;
      rb_dec p;
      if (!c->points || rb_dec_parse(c->points->data(), c->points->size(), &p) != 0) { sumKnown = false; continue; }
      sum = rb_dec_add(sum, p, &err);
    }
    if (n.ack && !haveScoredChildren) report(DiagId::AckOnLeaf, n.ack->span);
    if (haveScoredChildren && sumKnown && points) {
      if (n.ack) {
        auto ackTotal = parseNumber(n.ack->total, n.ack->span);
        if (ackTotal && *ackTotal != sum)
          report(DiagId::AckMismatch, n.ack->span, {n.title, fmtDec(*ackTotal), fmtDec(sum)});
        else if (ackTotal && sum == *points)
          report(DiagId::AckUnneeded, n.ack->span, {n.title});
      } else if (sum != *points) {
        report(DiagId::PointsMismatch, n.pointsSpan, {n.title, fmtDec(*points), fmtDec(sum)});
      }
    }

    Scope scope;
    scope.node = &n;
    for (const auto &r : n.rules) checkRule(r, n, points, scope);
    for (const auto &na : n.naRules) checkNa(na, n);
    for (const auto &v : n.vetoes) checkVeto(v, &n);
    if (n.rules.empty() && n.children.empty() && n.naRules.empty() && points && *points > 0)
      report(DiagId::NoScoringRule, n.titleSpan, {n.title});

    checkSiblings(n.children);
    for (const auto &c : n.children) checkNode(*c, &n);
  }

  // ───── rules ─────
  std::optional<rb_dec> constantValue(const ast::Expr &e) {
    rb_dec v;
    if (e.kind == ast::ExprKind::Number && rb_dec_parse(e.text.data(), e.text.size(), &v) == 0) return v;
    if (e.kind == ast::ExprKind::Percent && rb_dec_parse(e.text.data(), e.text.size(), &v) == 0) {
      int32_t err = 0;
      rb_dec r = rb_dec_div(v, 100 * RB_DEC_ONE, &err);
      if (!err) return r;
    }
    return std::nullopt;
  }

  void checkPointsValue(const ast::PointsValue &pv, const Scope &scope) {
    if (pv.expr) {
      expectNumber(*pv.expr, scope);
      return;
    }
    checkLevelNames(pv.byLevel, pv.span);
    for (const auto &lp : pv.byLevel) expectNumber(*lp.points, scope);
  }

  void checkLevelNames(const std::vector<ast::LevelPoints> &byLevel, Span span) {
    const auto &levels = file_.scheme.levels;
    if (levels.empty()) {
      report(DiagId::NoLevelsDeclared, span);
      return;
    }
    std::set<std::string> seen;
    for (const auto &lp : byLevel) {
      if (std::find(levels.begin(), levels.end(), lp.level) == levels.end()) {
        auto &d = report(DiagId::UnknownLevel, lp.span, {lp.level, joinNames(levels)});
        addSuggestion(d, lp.level, levels);
      }
      seen.insert(lp.level);
    }
    for (const auto &l : levels)
      if (!seen.count(l)) report(DiagId::LevelMissing, span, {l, joinNames(levels)});
  }

  void warnIfExceeds(const ast::Expr *e, const ast::Node &n, std::optional<rb_dec> points) {
    if (!e || !points) return;
    if (auto v = constantValue(*e); v && *v > *points && n.kind != ast::NodeKind::Deduction)
      report(DiagId::AwardExceedsPoints, e->span, {fmtDec(*v), n.title, fmtDec(*points)});
  }

  // 按 X: one branch per enum value, each a declared value of X's enum.
  void checkChoiceRule(const ast::Rule &r, const ast::Node &n, std::optional<rb_dec> points, const Scope &scope) {
    ValueType t = checkExpr(*r.subject, scope);
    const ast::Type *decl = nullptr;
    if (t.tag == TypeTag::Enum) decl = t.declared;
    else if (t.tag != TypeTag::Unknown) report(DiagId::NotAnEnum, r.subject->span, {ast::printExpr(*r.subject), typeName(t)});
    for (const auto &c : r.choices) {
      expectNumber(*c.points, scope);
      warnIfExceeds(c.points.get(), n, points);
      if (decl && std::find(decl->enumValues.begin(), decl->enumValues.end(), c.value) == decl->enumValues.end()) {
        auto &d = report(DiagId::UnknownEnumValue, c.span, {c.value, ast::printExpr(*r.subject), joinNames(decl->enumValues)});
        addSuggestion(d, c.value, decl->enumValues);
      }
    }
  }

  // 分级 { 级别 { … } }: one block per declared level, every level present.
  void checkLevelRule(const ast::Rule &r, const ast::Node &n, std::optional<rb_dec> points, const Scope &scope) {
    const auto &levels = file_.scheme.levels;
    if (levels.empty()) report(DiagId::NoLevelsDeclared, r.span);
    std::set<std::string> seen;
    for (const auto &b : r.levels) {
      if (!levels.empty() && std::find(levels.begin(), levels.end(), b.level) == levels.end()) {
        auto &d = report(DiagId::UnknownLevel, b.span, {b.level, joinNames(levels)});
        addSuggestion(d, b.level, levels);
      }
      seen.insert(b.level);
      for (const auto &rr : b.rules) checkRule(rr, n, points, scope);
      for (const auto &na : b.naRules) checkNa(na, n);
    }
    for (const auto &l : levels)
      if (!seen.count(l)) report(DiagId::LevelMissing, r.span, {l, joinNames(levels)});
  }

  void checkRule(const ast::Rule &r, const ast::Node &n, std::optional<rb_dec> points, const Scope &scope) {
    if (r.cap) expectNumber(*r.cap, scope);
    switch (r.kind) {
    case ast::RuleKind::When:
      expectBool(*r.subject, scope);
      checkPointsValue(r.award, scope);
      if (r.stepSize) expectNumber(*r.stepSize, scope);
      if (r.stepPoints) expectNumber(*r.stepPoints, scope);
      if (!r.stepSize && !r.cap) warnIfExceeds(r.award.expr.get(), n, points);
      if (r.elseRule) checkRule(*r.elseRule, n, points, scope);
      break;
    case ast::RuleKind::Choice: checkChoiceRule(r, n, points, scope); break;
    case ast::RuleKind::PerUnit:
      expectNumber(*r.subject, scope);
      checkPointsValue(r.award, scope);
      break;
    case ast::RuleKind::Tiers: {
      ValueType t = expectNumber(*r.subject, scope);
      for (const auto &tier : r.tiers) {
        if (tier.lo) expectNumber(*tier.lo->value, scope);
        if (tier.hi) expectNumber(*tier.hi->value, scope);
        expectNumber(*tier.points, scope);
        warnIfExceeds(tier.points.get(), n, points);
      }
      checkTiers(r, t);
      break;
    }
    case ast::RuleKind::Plain:
      checkPointsValue(r.award, scope);
      if (!r.cap) warnIfExceeds(r.award.expr.get(), n, points);
      break;
    case ast::RuleKind::Monthly: {
      Scope inner = scope;
      if (!findMonthlyField(*r.subject)) report(DiagId::NotMonthly, r.subject->span);
      inner.perMonth = true;
      expectBool(*r.subject, inner);
      checkPointsValue(r.award, scope);
      break;
    }
    case ast::RuleKind::ByLevel: checkLevelRule(r, n, points, scope); break;
    case ast::RuleKind::ByReading: checkReadingRule(r, n, points, scope); break;
    }
  }

  const ast::FieldDecl *findMonthlyField(const ast::Expr &e) {
    if (e.kind == ast::ExprKind::Name) {
      auto it = fields_.find(e.text);
      if (it != fields_.end() && it->second->type.kind == ast::TypeKind::Monthly) return it->second;
    }
    for (const auto &a : e.args)
      if (auto *f = findMonthlyField(*a)) return f;
    return nullptr;
  }

  std::string describeValue(int64_t raw, const ValueType &t) {
    if (t.numberKind == ast::TypeKind::Percent) {
      int32_t err = 0;
      return fmtDec(rb_dec_mul(raw, 100 * RB_DEC_ONE, &err)) + "%";
    }
    return fmtDec(raw);
  }

  void checkTiers(const ast::Rule &r, const ValueType &subject) {
    std::vector<TierInterval> intervals;
    bool hasElse = false;
    for (const auto &t : r.tiers) {
      if (t.isElse) { hasElse = true; continue; }
      TierInterval iv;
      auto bound = [&](const std::optional<ast::Bound> &b) -> std::optional<std::optional<TierBound>> {
        if (!b) return std::optional<TierBound>{};
        auto v = constantValue(*b->value);
        if (!v) return std::nullopt; // not a constant: cannot check statically
        return std::optional<TierBound>{TierBound{*v, b->inclusive}};
      };
      auto lo = bound(t.lo), hi = bound(t.hi);
      if (!lo || !hi) return; // bounds depend on run data (e.g. M×30%): checked at run time only
      iv.lo = *lo;
      iv.hi = *hi;
      intervals.push_back(iv);
    }
    // Map problem indices back to tier numbers (1-based, counting the 否则 tier too).
    std::vector<size_t> tierNumber;
    for (size_t i = 0; i < r.tiers.size(); ++i)
      if (!r.tiers[i].isElse) tierNumber.push_back(i);
    bool integers = subject.tag == TypeTag::Number && subject.numberKind == ast::TypeKind::Count;
    std::optional<int64_t> domainMin;
    if (subject.tag == TypeTag::Number && subject.numberKind != ast::TypeKind::Decimal) domainMin = 0;
    for (const auto &p : checkTierCoverage(intervals, domainMin, integers, hasElse)) {
      if (p.kind == TierProblem::Overlap) {
        report(DiagId::TierOverlap, r.tiers[tierNumber[p.second]].span,
               {describeValue(p.at, subject), std::to_string(tierNumber[p.first] + 1), std::to_string(tierNumber[p.second] + 1)});
      } else {
        std::string what;
        if (p.toInfinity) what = (p.atInclusive ? "达到 " : "超过 ") + describeValue(p.at, subject) + " 的值";
        else if (p.at == INT64_MIN) what = (p.gapEndInclusive ? "不超过 " : "不足 ") + describeValue(p.gapEnd, subject) + " 的值";
        else if (integers && p.at == p.gapEnd) what = describeValue(p.at, subject);
        else
          what = std::string(p.atInclusive ? "[" : "(") + describeValue(p.at, subject) + ", " +
                 describeValue(p.gapEnd, subject) + (p.gapEndInclusive ? "]" : ")");
        report(DiagId::TierGap, r.span, {what});
      }
    }
  }

  void checkNa(const ast::NaRule &na, const ast::Node &n) {
    if (!na.level.empty()) {
      const auto &levels = file_.scheme.levels;
      if (levels.empty()) report(DiagId::NoLevelsDeclared, na.span);
      else if (std::find(levels.begin(), levels.end(), na.level) == levels.end()) {
        auto &d = report(DiagId::UnknownLevel, na.span, {na.level, joinNames(levels)});
        addSuggestion(d, na.level, levels);
      }
    }
    if (na.condition) {
      Scope scope;
      scope.node = &n;
      if (na.ifNone) {
        ValueType t = checkExpr(*na.condition, scope);
        auto f = na.condition->kind == ast::ExprKind::Name ? fields_.find(na.condition->text) : fields_.end();
        bool optionalField = f != fields_.end() && f->second->optional; // 若无: the cell was empty
        if (!optionalField && t.tag != TypeTag::RecordList && t.tag != TypeTag::ValueList && t.tag != TypeTag::Monthly &&
            !t.isNumeric())
          report(DiagId::TypeMismatch, na.condition->span, {"列表或件数", typeName(t)});
      } else {
        expectBool(*na.condition, scope);
      }
    }
    if (na.policy.kind == ast::NaPolicyKind::MoveTo) {
      const ast::Node *target = findNode(na.policy.target, na.policy.targetSpan);
      if (!target) return;
      if (target == &n) {
        report(DiagId::MoveToSelf, na.policy.targetSpan, {n.title});
        return;
      }
      if (parent_[target] != parent_[&n] && target != parent_[&n]) {   // a sibling, or the parent
        auto &d = report(DiagId::MoveTargetNotSibling, na.policy.targetSpan, {na.policy.target, n.title});
        std::vector<std::string> siblings;
        const auto &list = parent_[&n] ? parent_[&n]->children : file_.indicators;
        for (const auto &s : list)
          if (s.get() != &n) siblings.push_back(s->title);
        d.notes.push_back(DiagnosticEngine::note(DiagId::NoteSiblingsAre, src_, d.span, {joinNames(siblings)}));
        return;
      }
      result_->moveTargets[&na] = target;
    }
  }

  // 不设上限 says a 加分 row has no points of its own: only on a bonus, and then
  // without points or 最高 (either would be a limit after all).
  void checkNoOwnLimit(const ast::Node &n) {
    if (!n.noOwnLimit) return;
    if (n.kind != ast::NodeKind::Bonus) report(DiagId::NoOwnLimitNotBonus, n.noOwnLimitSpan, {n.title});
    else if (n.points || n.cap)
      report(DiagId::NoOwnLimitWithPoints, n.noOwnLimitSpan, {n.title, n.points ? *n.points : *n.cap});
  }

  // 栏目 of a node or a veto row: an unknown key is usually a typo (数据来原).
  void checkMeta(const std::vector<ast::MetaEntry> &meta) {
    for (const auto &m : meta)
      if (std::find(knownMetaKeys().begin(), knownMetaKeys().end(), m.key) == knownMetaKeys().end()) {
        auto &d = report(DiagId::UnknownMetaKey, m.span, {m.key});
        addSuggestion(d, m.key, knownMetaKeys());
      }
  }

  void checkVeto(const ast::Veto &v, const ast::Node *owner) {
    Scope scope;
    scope.node = owner;
    expectBool(*v.condition, scope);
    checkMeta(v.meta);
    if (v.effect == ast::VetoEffectKind::ZeroNode) {
      if (!v.target.empty()) {
        if (const ast::Node *t = findNode(v.target, v.targetSpan)) result_->vetoTargets[&v] = t;
      } else if (!owner) {
        report(DiagId::VetoOutsideNode, v.span);
      } else {
        result_->vetoTargets[&v] = owner;
      }
    }
  }

  void checkAward(const ast::Award &a) {
    Scope scope;
    scope.inAward = true;
    if (a.condition) expectBool(*a.condition, scope);
    if (a.rankBy) expectNumber(*a.rankBy, scope);
    for (const auto &k : a.tieKeys) expectNumber(*k.key, scope);
    if (a.quota) result_->needsPopulation = true;
    if (a.quota && a.ties == ast::TiePolicy::Unstated) report(DiagId::QuotaTieUnstated, a.span, {a.name, std::to_string(*a.quota)});
    for (const auto &[name, span] : a.ifNone) {
      auto it = fields_.find(name);
      if (it == fields_.end()) unknownName(name, span, scope);
      else if (!it->second->optional) report(DiagId::IfNoneNotOptional, span, {name});
      else used_[it->second] = true;
    }
  }

  // ── readrest: 唯一(列表.字段, …) within one record ──
  // Each argument names a list of records and one of its element fields.
  void checkRecordUnique(const ast::Validation &v) {
    for (size_t i = 0; i < v.uniqueFields.size(); ++i) {
      const std::string &written = v.uniqueFields[i];
      std::string list = written.substr(0, written.find('.')), field = written.substr(written.find('.') + 1);
      auto it = fields_.find(list);
      if (it == fields_.end()) {
        unknownName(list, v.uniqueFieldSpans[i], Scope{});
        continue;
      }
      used_[it->second] = true;
      const ast::Type &t = it->second->type;
      if (t.kind != ast::TypeKind::RecordList) {
        report(DiagId::RecordUniqueNotList, v.uniqueFieldSpans[i], {list, written});
        continue;
      }
      std::string known;
      bool found = false;
      for (const auto &f : t.recordFields) {
        found |= f.name == field;
        known += (known.empty() ? "" : "、") + f.name;
      }
      if (!found) report(DiagId::RecordUniqueUnknownField, v.uniqueFieldSpans[i], {list, field, known});
    }
  }

  // 校验 "…" 按 字段 计数(条件) 在 低 至 高: a text or enum input field (its
  // values are the groups), 计数, a yes/no condition, low ≤ high.
  void checkGroupCount(const ast::Validation &v) {
    auto it = fields_.find(v.groupField);
    if (it == fields_.end()) {
      unknownName(v.groupField, v.groupFieldSpan, Scope{});
    } else {
      used_[it->second] = true;
      ast::TypeKind k = it->second->type.kind;
      if (k != ast::TypeKind::Text && k != ast::TypeKind::Enum)
        report(DiagId::GroupFieldNotText, v.groupFieldSpan,
               {v.groupField, typeName(ValueType::fromDecl(it->second->type))});
    }
    if (v.groupFunction != "计数") {
      auto &d = report(DiagId::GroupCountFunction, v.groupFunctionSpan, {v.groupFunction});
      addSuggestion(d, v.groupFunction, {"计数"});
    }
    if (v.groupCondition) expectBool(*v.groupCondition, Scope{});
    result_->needsPopulation = true;  // counted over every record, after phase 2
    if (v.groupMin > v.groupMax)
      report(DiagId::GroupCountRange, v.groupRangeSpan, {std::to_string(v.groupMin), std::to_string(v.groupMax)});
  }

  void checkValidation(const ast::Validation &v) {
    if (!v.groupField.empty()) return checkGroupCount(v);
    if (v.withinRecord) return checkRecordUnique(v);
    for (size_t i = 0; i < v.uniqueFields.size(); ++i) {
      auto it = fields_.find(v.uniqueFields[i]);
      if (it == fields_.end()) unknownName(v.uniqueFields[i], v.uniqueFieldSpans[i], Scope{});
      else used_[it->second] = true;
    }
    if (!v.otherScheme.empty()) return checkCrossValidation(v);
    if (!v.uniqueFields.empty()) result_->needsPopulation = true;
    if (v.condition) expectBool(*v.condition, Scope{});
  }

  // 不共用(…; 集体: …): compared as the text of the cells, so this scheme's side
  // are 文本 fields (a number would be compared in its canonical form, the
  // other file's cell as written). Each record is checked on its own against
  // the other file: no population pass.
  void checkCrossValidation(const ast::Validation &v) {
    for (size_t i = 0; i < v.uniqueFields.size(); ++i) {
      auto it = fields_.find(v.uniqueFields[i]);
      if (it == fields_.end()) continue;  // reported by checkValidation
      if (it->second->type.kind != ast::TypeKind::Text)
        report(DiagId::NotSharedNeedsText, v.uniqueFieldSpans[i],
               {v.uniqueFields[i], typeName(ValueType::fromDecl(it->second->type))});
    }
  }

  void checkCase(const ast::TestCase &c) {
    checkCaseReadings(c, *result_, diags_);
    // A case may set the imported schemes' inputs (by their names) or their totals (别名.总分).
    // A whole-population import (全体另给) is scored over its own records: a case gives its results.
    std::vector<std::string> importedNames;
    for (const auto &[alias, f] : result_->importByAlias) {
      if (!result_->isWholePopulation(alias))
        for (const auto &fd : f->inputs) importedNames.push_back(fd.name);
      for (const auto &name : importResultNames(alias, *f)) importedNames.push_back(name);
    }
    for (const auto &in : c.inputs) {
      if (wholePopulationInput(in)) continue;
      bool imported = std::find(importedNames.begin(), importedNames.end(), in.key) != importedNames.end();
      if (!fields_.count(in.key) && !params_.count(in.key) && !imported) {
        auto &d = report(DiagId::UnknownName, in.span, {in.key});
        auto candidates = fieldNames();
        candidates.insert(candidates.end(), importedNames.begin(), importedNames.end());
        addSuggestion(d, in.key, candidates);
      }
    }
    for (const auto &ex : c.expected) {
      if (ex.isNodeRef) findNode(ex.key, ex.span);
      else if (ex.key != "总分" && ex.key != "状态" && ex.key != "排名" && ex.key != "级内排名" && ex.key != "奖项" &&
               !byTitle_.count(ex.key)) {
        auto &d = report(DiagId::UnknownName, ex.span, {ex.key});
        auto candidates = std::vector<std::string>{"总分", "状态", "排名", "级内排名", "奖项"};
        addSuggestion(d, ex.key, candidates);
      }
    }
  }

  // What a case may give of an import: 别名.总分, and for a whole-population
  // import also 别名.指标标题 and 别名.被取消资格 (the columns its run fills).
  std::vector<std::string> importResultNames(const std::string &alias, const ast::File &f) const {
    std::vector<std::string> names = {alias + ".总分"};
    if (!result_->isWholePopulation(alias)) return names;
    for (const auto &n : f.indicators) names.push_back(alias + "." + n->title);
    names.push_back(alias + ".被取消资格");
    return names;
  }

  // A case input naming an input field of a whole-population import: E0183 (reported here).
  bool wholePopulationInput(const ast::CaseValue &in) {
    if (fields_.count(in.key) || params_.count(in.key)) return false;
    for (const auto &[alias, f] : result_->importByAlias) {
      if (!result_->isWholePopulation(alias)) continue;
      bool isItsField = std::any_of(f->inputs.begin(), f->inputs.end(), [&](const auto &fd) { return fd.name == in.key; });
      if (!isItsField) continue;
      std::string results;
      for (const auto &n : importResultNames(alias, *f)) results += (results.empty() ? "" : "、") + n;
      report(DiagId::WholePopCaseInput, in.span, {in.key, alias, results});
      return true;
    }
    return false;
  }

  // ───── expressions ─────
  std::vector<std::string> fieldNames() const {
    std::vector<std::string> out;
    for (const auto &[k, v] : fields_) out.push_back(k);
    for (const auto &[k, v] : params_) out.push_back(k);
    return out;
  }

  // The expression a condition (是否) is expected of: an unknown name there is
  // offered as a 是否 input field, elsewhere as a 件数 one.
  const ast::Expr *conditionUse_ = nullptr;

  ValueType expectBool(const ast::Expr &e, const Scope &scope) {
    conditionUse_ = &e;
    ValueType t = checkExpr(e, scope);
    if (!t.isBool()) report(DiagId::TypeMismatch, e.span, {"是否（条件）", typeName(t)});
    return t;
  }
  ValueType expectNumber(const ast::Expr &e, const Scope &scope) {
    ValueType t = checkExpr(e, scope);
    if (!t.isNumeric()) report(DiagId::TypeMismatch, e.span, {"数值", typeName(t)});
    return t;
  }

  ValueType unknownName(const std::string &name, Span span, const Scope &scope) {
    auto &d = report(DiagId::UnknownName, span, {name});
    std::vector<std::string> candidates = fieldNames();
    if (scope.element)
      for (const auto &f : scope.element->recordFields) candidates.push_back(f.name);
    for (const auto &r : result_->readings) candidates.push_back(r->name());
    addSuggestion(d, name, candidates);
    if (std::string kw = parse::gluedKeyword(name); !kw.empty())
      d.notes.push_back(DiagnosticEngine::note(DiagId::NoteKeywordSpace, src_, span, {kw}));
    else if (!d.notes.empty())
      d.fixits.push_back({span, d.notes.front().args.front()});   // the did-you-mean spelling
    else if (!scope.element)
      offerInputField(d, name, conditionUse_ && conditionUse_->span.line == span.line &&
                                   conditionUse_->span.col == span.col && conditionUse_->span.endCol == span.endCol);
    return ValueType{};
  }

  // Fix-it for a name no field declares: add `名称: 类型` to 输入, on a line of
  // its own before the first field (or inline when 输入 is written on one line).
  void offerInputField(Diagnostic &d, const std::string &name, bool isCondition) {
    if (file_.inputs.empty() || !src_) return;
    bool hasDigit = std::any_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; });
    std::string decl = (hasDigit ? "「" + name + "」" : name) + ": " + (isCondition ? "是否" : "件数");
    d.notes.push_back(DiagnosticEngine::note(DiagId::NoteDeclareInput, src_, Span{}, {name, decl}));
    Span first = file_.inputs.front().span;
    if (!first.valid() || first.col == 0) return;
    std::string_view line = src_->lineText(first.line);
    std::string before(line.substr(0, byteOffsetOfCodePoint(line, first.col - 1)));
    if (before.find_first_not_of(" \t") == std::string::npos)
      d.fixits.push_back({Span{first.line, 1, 1}, before + decl + "\n"});
    else
      d.fixits.push_back({Span{first.line, first.col, first.col}, decl + "; "});
  }

  ValueType record(const ast::Expr &e, ValueType t) {
    result_->types[&e] = t;
    return t;
  }

  // Resolves a bare name: element field, input field, parameter, score words.
  ValueType checkName(const ast::Expr &e, const Scope &scope) {
    Resolution res;
    if (scope.element)
      for (const auto &f : scope.element->recordFields)
        if (f.name == e.text) {
          res.kind = Resolution::ElementField;
          res.field = &f;
          result_->names[&e] = res;
          return ValueType::fromDecl(f.type);
        }
    if (scope.valueList && scope.valueList->name == e.text) {
      res.kind = Resolution::ElementField;
      res.field = scope.valueList;
      result_->names[&e] = res;
      return ValueType::fromDecl(*scope.valueList->type.element);
    }
    if (auto it = fields_.find(e.text); it != fields_.end()) {
      used_[it->second] = true;
      res.kind = Resolution::Field;
      res.field = it->second;
      result_->names[&e] = res;
      ValueType t = ValueType::fromDecl(it->second->type);
      // Inside 每月, the monthly field stands for one month's value.
      if (scope.perMonth && it->second->type.kind == ast::TypeKind::Monthly) t = ValueType::fromDecl(*it->second->type.element);
      return t;
    }
    if (auto it = params_.find(e.text); it != params_.end()) {
      used_[it->second] = true;
      res.kind = Resolution::Param;
      res.field = it->second;
      result_->names[&e] = res;
      return ValueType::fromDecl(it->second->type);
    }
    if (ReadingInfo *r = findReading(e.text)) return useReading(e, *r, scope);
    if (LocalNameInfo *ln = findLocalName(e.text, scope)) return useLocalName(e, *ln, scope);
    if (e.text == "总分") {
      res.kind = Resolution::Total;
      result_->names[&e] = res;
      return ValueType::number();
    }
    if (scope.inEachIndicator && (e.text == "得分" || e.text == "分值")) {
      res.kind = e.text == "得分" ? Resolution::IndicatorScore : Resolution::IndicatorPoints;
      result_->names[&e] = res;
      return ValueType::number();
    }
    return unknownName(e.text, e.span, scope);
  }

  ReadingInfo *findReading(const std::string &name) {
    for (auto &r : result_->readings)
      if (r->name() == name) return r.get();
    return nullptr;
  }

  // A reading in an expression: an enum whose value is the option in force.
  ValueType useReading(const ast::Expr &e, ReadingInfo &r, const Scope &scope) {
    Resolution res;
    res.kind = Resolution::Reading;
    res.reading = &r;
    result_->names[&e] = res;
    r.uses.push_back({scope.node, e.span});
    ValueType t = ValueType::of(TypeTag::Enum);
    t.declared = &r.options;
    return t;
  }

  // 按读法 X { 选项 { … } … }: a known reading, each block a known option, once.
  void checkReadingRule(const ast::Rule &r, const ast::Node &n, std::optional<rb_dec> points, const Scope &scope) {
    ReadingInfo *reading = findReading(r.reading);
    if (!reading) lookupReading(*result_, r.reading, r.readingSpan, diags_);
    else reading->uses.push_back({&n, r.readingSpan});
    std::set<std::string> seen;
    for (const auto &b : r.readingBlocks) {
      if (reading) lookupOption(*result_, *reading, b.level, b.span, diags_);
      if (!seen.insert(b.level).second) report(DiagId::DuplicateReadingUse, b.span, {"按读法 " + r.reading, b.level});
      for (const auto &rr : b.rules) checkRule(rr, n, points, scope);
      for (const auto &na : b.naRules) checkNa(na, n);
    }
  }

  // An enum value or level on one side of a comparison with an enum.
  bool resolveEnumOperand(const ast::Expr &e, const ValueType &enumSide, const ast::Expr &enumExpr) {
    if (e.kind != ast::ExprKind::Name || !enumSide.declared) return false;
    const auto &values = enumSide.declared->enumValues;
    auto it = std::find(values.begin(), values.end(), e.text);
    if (it == values.end()) {
      if (fields_.count(e.text) || params_.count(e.text)) return false;
      if (const ReadingInfo *r = readingOfType(*result_, enumSide.declared)) {
        lookupOption(*result_, *r, e.text, e.span, diags_);
        result_->types[&e] = ValueType{};
        return true;
      }
      auto &d = report(DiagId::UnknownEnumValue, e.span, {e.text, ast::printExpr(enumExpr), joinNames(values)});
      addSuggestion(d, e.text, values);
      result_->types[&e] = ValueType{};
      return true;
    }
    Resolution res;
    res.kind = Resolution::EnumValue;
    res.enumIndex = static_cast<int>(it - values.begin());
    result_->names[&e] = res;
    result_->types[&e] = enumSide;
    return true;
  }

  ValueType checkExpr(const ast::Expr &e, const Scope &scope) { return record(e, checkExprInner(e, scope)); }

  // A number or percentage literal: its type, and a message when it has more
  // decimals than exact values keep.
  ValueType checkNumberLiteral(const ast::Expr &e) {
    if (e.kind == ast::ExprKind::Number) {
      parseNumber(e.text, e.span);
      ValueType t = ValueType::number(e.text.find('.') == std::string::npos ? ast::TypeKind::Count : ast::TypeKind::Decimal);
      t.isPoints = e.isPoints;
      return t;
    }
    // 12.34567% is 0.1234567: a percentage keeps 6 decimals only with at most 4 of its own.
    auto v = parseNumber(e.text, e.span);
    if (v && *v % 100 != 0) report(DiagId::BadNumber, e.span, {e.text + "%"});
    return ValueType::number(ast::TypeKind::Percent);
  }

  // 别名.指标 / 别名.总分 / 别名.被取消资格 of an imported result.
  ValueType checkMember(const ast::Expr &e) {
    auto it = result_->importByAlias.find(e.text);
    if (failedImports_.count(e.text)) return ValueType::number();
    if (it == result_->importByAlias.end()) {
      // list element access outside an aggregate is not allowed: suggest the alias names
      auto &d = report(DiagId::UnknownName, e.span, {e.text});
      std::vector<std::string> aliases;
      for (const auto &[k, v] : result_->importByAlias) aliases.push_back(k);
      addSuggestion(d, e.text, aliases);
      return ValueType{};
    }
    if (e.member == "被取消资格" && result_->isWholePopulation(e.text)) return ValueType::of(TypeTag::Bool);
    if (e.member != "总分") {
      bool found = false;
      for (const auto &n : it->second->indicators) found |= n->title == e.member;
      if (!found) {
        auto &d = report(DiagId::UnknownNodeRef, e.span, {e.text + "." + e.member});
        std::vector<std::string> titles = {"总分"};
        for (const auto &n : it->second->indicators) titles.push_back(n->title);
        addSuggestion(d, e.member, titles);
      }
    }
    return ValueType::number();
  }

  // A reference to another node's 分值 or 得分.
  ValueType checkNodeRef(const ast::Expr &e, const Scope &scope) {
    const ast::Node *target = findNode(e.text, e.span);
    if (target) {
      result_->nodeRefs[&e] = target;
      if (scope.node) addDep(scope.node, target);
    }
    if (!e.member.empty() && e.member != "分值" && e.member != "得分") {
      auto &d = report(DiagId::UnknownName, e.span, {e.member});
      addSuggestion(d, e.member, {"分值", "得分"});
    }
    return ValueType::number();
  }

  // A comparison; either side may be a bare enum value of the other side's enum.
  ValueType checkCompare(const ast::Expr &e, const Scope &scope) {
    ValueType left, right;
    bool leftDone = false, rightDone = false;
    if (e.args[0]->kind != ast::ExprKind::Name || fields_.count(e.args[0]->text) || params_.count(e.args[0]->text) ||
        findReading(e.args[0]->text) || findLocalName(e.args[0]->text, scope) || scope.element) {
      left = checkExpr(*e.args[0], scope);
      leftDone = true;
    }
    if (leftDone && left.tag == TypeTag::Enum) rightDone = resolveEnumOperand(*e.args[1], left, *e.args[0]);
    if (!rightDone) right = checkExpr(*e.args[1], scope);
    else right = left;
    if (!leftDone) {
      if (right.tag == TypeTag::Enum && resolveEnumOperand(*e.args[0], right, *e.args[1])) left = right;
      else left = checkExpr(*e.args[0], scope);
    }
    bool ordered = e.cmpOp != ast::CmpOp::Eq && e.cmpOp != ast::CmpOp::Ne;
    if (left.tag != TypeTag::Unknown && right.tag != TypeTag::Unknown) {
      bool bothNum = left.tag == TypeTag::Number && right.tag == TypeTag::Number;
      bool same = left.tag == right.tag;
      if (!bothNum && !(same && (!ordered || left.tag == TypeTag::Enum || left.tag == TypeTag::Date)))
        report(DiagId::TypeMismatch, e.args[1]->span, {typeName(left), typeName(right)});
    }
    return ValueType::of(TypeTag::Bool);
  }

  ValueType checkExprInner(const ast::Expr &e, const Scope &scope) {
    using K = ast::ExprKind;
    switch (e.kind) {
    case K::Number:
    case K::Percent: return checkNumberLiteral(e);
    case K::Bool: return ValueType::of(TypeTag::Bool);
    case K::String: return ValueType::of(TypeTag::Text);
    case K::Date: return ValueType::of(TypeTag::Date);
    case K::Name: return checkName(e, scope);
    case K::Member: return checkMember(e);
    case K::NodeRef: return checkNodeRef(e, scope);
    case K::Unary:
      if (e.unOp == ast::UnOp::Not) {
        expectBool(*e.args[0], scope);
        return ValueType::of(TypeTag::Bool);
      }
      return expectNumber(*e.args[0], scope);
    case K::Binary: {
      if (e.binOp == ast::BinOp::And || e.binOp == ast::BinOp::Or) {
        expectBool(*e.args[0], scope);
        expectBool(*e.args[1], scope);
        return ValueType::of(TypeTag::Bool);
      }
      ValueType a = expectNumber(*e.args[0], scope);
      ValueType b = expectNumber(*e.args[1], scope);
      ValueType t = ValueType::number();
      t.isPoints = a.isPoints || b.isPoints;
      return t;
    }
    case K::Compare: return checkCompare(e, scope);
    case K::Range:
      for (const auto &a : e.args) expectNumber(*a, scope);
      return ValueType::of(TypeTag::Bool);
    case K::Call: return checkCall(e, scope);
    case K::ListAgg:
    case K::TopAverage: return checkAggregate(e, scope);
    case K::EachIndicator: {
      Scope inner = scope;
      inner.inEachIndicator = true;
      expectBool(*e.args[0], inner);
      return ValueType::of(TypeTag::Bool);
    }
    case K::Conditional: return checkConditional(e, scope);
    }
    return ValueType{};
  }

  // ───── local names (令) and conditional values (若 … 则 … 否则 …) ─────
  std::map<const ast::LocalName *, LocalNameInfo *> localInfo_;
  std::vector<LocalNameInfo *> nameStack_;   // the names being checked, outermost first (cycle messages)

  // Top-level names first, then each node's (parents before children), so a
  // clash is reported at the inner declaration.
  void declareLocalNames() {
    for (const auto &ln : file_.names) declareLocalName(ln, nullptr);
    for (const ast::Node *n : allNodes_)
      for (const auto &ln : n->names) declareLocalName(ln, n);
  }

  void declareLocalName(const ast::LocalName &ln, const ast::Node *owner) {
    if (std::string clash = localNameClash(ln.name, owner); !clash.empty())
      report(DiagId::LocalNameClash, ln.span, {ln.name, clash, ln.name + "值"});
    auto info = std::make_unique<LocalNameInfo>();
    info->decl = &ln;
    info->owner = owner;
    localInfo_[&ln] = info.get();
    result_->localNames.push_back(std::move(info));
  }

  // What a new name would shadow, in words ("" when nothing).
  std::string localNameClash(const std::string &name, const ast::Node *owner) {
    if (fields_.count(name)) return "输入字段“" + name + "”";
    if (params_.count(name)) return "参数“" + name + "”";
    for (const auto &f : file_.inputs)
      for (const auto &col : f.type.recordFields)
        if (col.name == name) return "列表“" + f.name + "”的栏目“" + name + "”";
    for (const auto &r : result_->readings) {
      if (r->name() == name) return "读法“" + name + "”";
      for (const auto &o : r->decl->options)
        if (o.name == name) return "读法“" + r->name() + "”的选项“" + name + "”";
    }
    if (const LocalNameInfo *other = visibleLocalName(name, owner))
      return fmt::format("第 {} 行的“令 {}”", other->decl->span.line, name);
    return "";
  }

  // The 令 `name` seen from `node`: its own, its ancestors', then the top level.
  LocalNameInfo *visibleLocalName(const std::string &name, const ast::Node *node) {
    for (const ast::Node *n = node; n;) {
      for (const auto &ln : n->names)
        if (ln.name == name && localInfo_.count(&ln)) return localInfo_[&ln];
      auto up = parent_.find(n);
      n = up == parent_.end() ? nullptr : up->second;
    }
    for (const auto &ln : file_.names)
      if (ln.name == name && localInfo_.count(&ln)) return localInfo_[&ln];
    return nullptr;
  }
  LocalNameInfo *findLocalName(const std::string &name, const Scope &scope) {
    return visibleLocalName(name, scope.inLocalName ? scope.nameOwner : scope.node);
  }

  // A use: the name's expression stands in, so its node reads and population
  // functions become the user's dependencies.
  ValueType useLocalName(const ast::Expr &e, LocalNameInfo &info, const Scope &scope) {
    checkLocalName(info);
    ++info.uses;
    Resolution res;
    res.kind = Resolution::LocalName;
    res.local = &info;
    result_->names[&e] = res;
    if (scope.node)
      for (const ast::Node *n : info.nodeRefs) addDep(scope.node, n);
    for (ReadingInfo *r : info.readings) r->uses.push_back({scope.node, e.span});
    if (info.population) {
      if (scope.element) report(DiagId::PopulationInItemCap, e.span, {e.text, "列表的逐项计算"});
      result_->needsPopulation = true;
      if (scope.node) directPopulation_.insert(scope.node);
    }
    return info.type;
  }

  // Checks a name's expression once, where it is declared (no list element in
  // scope; uses add their own dependencies).
  void checkLocalName(LocalNameInfo &info) {
    if (info.state == LocalNameInfo::State::Checked) return;
    if (info.state == LocalNameInfo::State::Checking) {
      reportLocalNameCycle(info);
      return;
    }
    if (nameStack_.size() >= kMaxNameDepth) {   // names through names: each level is a few C++ frames
      report(DiagId::LocalNameTooLarge, info.decl->span, {info.name(), std::to_string(kMaxNameExpansion)});
      info.broken = true;
      info.state = LocalNameInfo::State::Checked;
      return;
    }
    info.state = LocalNameInfo::State::Checking;
    nameStack_.push_back(&info);
    Scope scope;
    scope.inLocalName = true;
    scope.nameOwner = info.owner;
    info.type = checkExpr(*info.decl->value, scope);
    TypeTag tag = info.type.tag;
    if (tag != TypeTag::Number && tag != TypeTag::Bool && tag != TypeTag::Enum && tag != TypeTag::Unknown) {
      report(DiagId::LocalNameNotValue, info.decl->value->span, {info.name(), typeName(info.type)});
      info.type = ValueType{};
    }
    if (info.broken) info.type = ValueType{};
    collectLocalNameReads(info);
    nameStack_.pop_back();
    info.state = LocalNameInfo::State::Checked;
  }

  void reportLocalNameCycle(const LocalNameInfo &info) {
    auto from = std::find(nameStack_.begin(), nameStack_.end(), &info);
    std::string chain;
    for (auto it = from; it != nameStack_.end(); ++it) chain += (*it)->name() + " → ";
    chain += info.name();
    report(DiagId::LocalNameCycle, info.decl->span, {chain});
    for (auto it = from; it != nameStack_.end(); ++it) (*it)->broken = true;
  }

  void collectLocalNameReads(LocalNameInfo &info) {
    auto addRef = [&](const ast::Node *n) {
      if (std::find(info.nodeRefs.begin(), info.nodeRefs.end(), n) == info.nodeRefs.end()) info.nodeRefs.push_back(n);
    };
    auto addReading = [&](const ReadingInfo *r) {
      ReadingInfo *mine = findReading(r->name());
      if (std::find(info.readings.begin(), info.readings.end(), mine) == info.readings.end()) info.readings.push_back(mine);
    };
    ast::forEachSubExpr(*info.decl->value, [&](const ast::Expr &e) {
      ++info.expandedSize;
      if (auto it = result_->nodeRefs.find(&e); it != result_->nodeRefs.end()) addRef(it->second);
      if (e.kind == ast::ExprKind::Call && isPopulationFunction(e.text)) info.population = true;
      auto it = result_->names.find(&e);
      if (it != result_->names.end() && it->second.kind == Resolution::Reading) addReading(it->second.reading);
      if (it == result_->names.end() || it->second.kind != Resolution::LocalName || it->second.local->broken) return;
      for (const ast::Node *n : it->second.local->nodeRefs) addRef(n);
      for (const ReadingInfo *r : it->second.local->readings) addReading(r);
      info.population |= it->second.local->population;
      info.expandedSize = std::min<int64_t>(info.expandedSize + it->second.local->expandedSize, kMaxNameExpansion + 1);
    });
    if (info.expandedSize > kMaxNameExpansion) {
      report(DiagId::LocalNameTooLarge, info.decl->span, {info.name(), std::to_string(kMaxNameExpansion)});
      info.type = ValueType{};
      info.broken = true;   // not written out anywhere (lowering never runs after an error)
    }
  }
  // Each use writes the name's expression out (ir/FromSema): names that use
  // names several times grow multiplicatively, so the written-out size is bounded.
  static constexpr int64_t kMaxNameExpansion = 10000;
  static constexpr size_t kMaxNameDepth = 200;

  void reportUnusedLocalNames() {
    for (const auto &info : result_->localNames) checkLocalName(*info);
    for (const auto &info : result_->localNames)
      if (info->uses == 0) report(DiagId::UnusedLocalName, info->decl->span, {info->name()});
  }

  // 若 条件 则 甲 否则 乙: both branches numbers (any kind; 分 when either is) or both 是否.
  ValueType checkConditional(const ast::Expr &e, const Scope &scope) {
    expectBool(*e.args[0], scope);
    ValueType a = checkExpr(*e.args[1], scope), b = checkExpr(*e.args[2], scope);
    for (const auto *arm : {&a, &b})
      if (arm->tag != TypeTag::Number && arm->tag != TypeTag::Bool && arm->tag != TypeTag::Unknown) {
        report(DiagId::ConditionalBranchKind, (arm == &a ? e.args[1] : e.args[2])->span, {typeName(*arm)});
        return ValueType{};
      }
    if (a.tag == TypeTag::Unknown) return b;
    if (b.tag == TypeTag::Unknown) return a;
    if (a.tag != b.tag) {
      report(DiagId::ConditionalBranchTypes, e.args[2]->span, {typeName(a), typeName(b)});
      return ValueType{};
    }
    if (a.tag == TypeTag::Bool) return a;
    ValueType t = ValueType::number(a.numberKind == b.numberKind ? a.numberKind : ast::TypeKind::Decimal);
    t.isPoints = a.isPoints || b.isPoints;
    return t;
  }

  // 平均(远程帮扶轮次): a list aggregate written like a function of one list.
  // The fix writes the element's value out: 平均(L: 成绩) for a list of records
  // (its first number field), 平均(L: L) for a list of numbers.
  void listAggregateWithoutBody(const ast::Expr &e, const Scope &scope) {
    ValueType t = checkExpr(*e.args[0], scope);
    std::string list = ast::printExpr(*e.args[0]), body = "每项的值";
    if (t.tag == TypeTag::RecordList && t.declared) {
      for (const auto &f : t.declared->recordFields)
        if (f.type.kind == ast::TypeKind::Count || f.type.kind == ast::TypeKind::Decimal ||
            f.type.kind == ast::TypeKind::Percent) {
          body = f.name;
          break;
        }
    } else if (t.tag == TypeTag::ValueList || t.tag == TypeTag::Monthly) {
      body = list;
    }
    std::string fixed = e.text + "(" + list + ": " + body + ")";
    auto &d = report(DiagId::ListAggregateNoBody, e.span, {e.text, fixed});
    if (body != "每项的值") d.fixits.push_back({e.span, fixed});
  }

  ValueType checkCall(const ast::Expr &e, const Scope &scope) {
    if (e.text == "连续年数") return checkYearRun(e, scope);
    if (e.text == "有值") return checkHasValue(e, scope);
    auto it = functions().find(e.text);
    if (it == functions().end() && e.args.size() == 1 &&
        std::find(kListAggregates.begin(), kListAggregates.end(), e.text) != kListAggregates.end()) {
      listAggregateWithoutBody(e, scope);
      return ValueType{};
    }
    if (it == functions().end()) {
      auto &d = report(DiagId::UnknownFunction, e.span, {e.text});
      auto candidates = keys(functions());
      candidates.insert(candidates.end(), kListAggregates.begin(), kListAggregates.end());
      addSuggestion(d, e.text, candidates);
      for (const auto &a : e.args) checkExpr(*a, scope);
      return ValueType{};
    }
    const FunctionInfo &f = it->second;
    if (e.args.size() < f.minArgs || e.args.size() > f.maxArgs)
      report(DiagId::WrongArgCount, e.span,
             {e.text, f.minArgs == f.maxArgs ? std::to_string(f.minArgs) : fmt::format("{}–{}", f.minArgs, f.maxArgs),
              std::to_string(e.args.size())});
    if (f.population) {
      if (scope.element) report(DiagId::PopulationInItemCap, e.span, {e.text, "列表的逐项计算"});
      result_->needsPopulation = true;
      if (scope.node) directPopulation_.insert(scope.node);
    }
    if (e.text == "个数") {
      if (!e.args.empty()) {
        ValueType t = checkExpr(*e.args[0], scope);
        if (t.tag != TypeTag::RecordList && t.tag != TypeTag::ValueList && t.tag != TypeTag::Monthly && t.tag != TypeTag::Unknown)
          report(DiagId::NotAList, e.args[0]->span, {ast::printExpr(*e.args[0]), e.text});
      }
      return ValueType::number(ast::TypeKind::Count);
    }
    if ((e.text == "排名" || e.text == "级内排名") && e.args.size() >= 2) {
      expectNumber(*e.args[0], scope);
      checkRankOptions(e);
      return ValueType::number(ast::TypeKind::Count);
    }
    for (const auto &a : e.args) expectNumber(*a, scope);
    return ValueType::number();
  }

  // 排名(e, 升序|降序, 并列不跳号): the words after the key, each at most once —
  // the order (降序 by default) and the tie convention (competition 1,2,2,4 by
  // default; 并列不跳号 dense 1,2,2,3).
  void checkRankOptions(const ast::Expr &e) {
    bool order = false, dense = false;
    for (size_t i = 1; i < e.args.size(); ++i) {
      const ast::Expr &opt = *e.args[i];
      result_->types[&opt] = ValueType::of(TypeTag::Unknown);
      bool isOrder = opt.kind == ast::ExprKind::Name && (opt.text == "升序" || opt.text == "降序");
      bool isDense = opt.kind == ast::ExprKind::Name && opt.text == "并列不跳号";
      if (!isOrder && !isDense) {
        auto &d = report(DiagId::UnknownName, opt.span, {ast::printExpr(opt)});
        addSuggestion(d, opt.text, {"升序", "降序", "并列不跳号"});
      } else if ((isOrder && order) || (isDense && dense)) {
        report(DiagId::RankOptionTwice, opt.span, {opt.text, e.text});
      }
      order = order || isOrder;
      dense = dense || isDense;
    }
  }

  // 有值(可缺字段): whether the cell was filled. `若 有值(x) 则 … x … 否则 …` is
  // how one rule says what to use when an optional field has no value
  // (“没有上年名次的，按上年末位计”), where 若无 … 不参与 would drop the candidate.
  ValueType checkHasValue(const ast::Expr &e, const Scope &scope) {
    if (e.args.size() != 1) {
      report(DiagId::WrongArgCount, e.span, {e.text, "1", std::to_string(e.args.size())});
      for (const auto &a : e.args) checkExpr(*a, scope);
      return ValueType::of(TypeTag::Bool);
    }
    const ast::Expr &a = *e.args[0];
    checkExpr(a, scope);
    auto f = a.kind == ast::ExprKind::Name ? fields_.find(a.text) : fields_.end();
    if (f == fields_.end() || !f->second->optional) report(DiagId::HasValueNeedsOptional, a.span, {ast::printExpr(a)});
    return ValueType::of(TypeTag::Bool);
  }

  // A 日期 is a single input field declared (可缺): a blank cell is "no date"
  // (not yet done), and every rule says what then (若无 …, 有值(…)) — there is
  // no date that a blank could stand for.
  void checkDatePlacement(const ast::FieldDecl &f, bool isParam) {
    const ast::Type &t = f.type;
    if (t.kind == ast::TypeKind::Date && (isParam || f.defaultText || !f.optional || f.isId))
      report(DiagId::DateNeedsOptional, t.span, {f.name});
    if (t.element && t.element->kind == ast::TypeKind::Date) report(DiagId::DateNeedsOptional, t.element->span, {f.name});
    for (const auto &e : t.recordFields)
      if (e.type.kind == ast::TypeKind::Date) report(DiagId::DateNeedsOptional, e.type.span, {f.name + "." + e.name});
  }

  // ───── history (年份集, 连续年数) ─────
  // A year set is one cell of one record: not an element of a list or a month.
  // A blank cell is the empty set, so it takes no 缺省 either.
  void checkYearSetPlacement(const ast::FieldDecl &f, bool isParam) {
    const ast::Type &t = f.type;
    if (t.kind == ast::TypeKind::YearSet && (isParam || f.defaultText)) report(DiagId::YearSetInList, t.span, {f.name});
    if (t.element && t.element->kind == ast::TypeKind::YearSet) report(DiagId::YearSetInList, t.element->span, {f.name});
    for (const auto &e : t.recordFields)
      if (e.type.kind == ast::TypeKind::YearSet) report(DiagId::YearSetInList, e.type.span, {f.name + "." + e.name});
  }

  // The scheme header's 年度, if written as a whole number.
  std::optional<int64_t> schemeYear() const {
    for (const auto &e : file_.scheme.entries)
      if (e.key == "年度" && !e.value.empty() && e.value.size() <= 4 &&
          std::all_of(e.value.begin(), e.value.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::stoll(e.value);
    return std::nullopt;
  }

  // 连续年数(年份集字段[, 截至 年份]): a count. Without 截至 the run ends at the
  // year before the scheme's 年度 (“连续3年…不再推荐为本年度候选”: the three
  // years before this one).
  ValueType checkYearRun(const ast::Expr &e, const Scope &scope) {
    ValueType count = ValueType::number(ast::TypeKind::Count);
    if (e.args.empty() || e.args.size() > 2) {
      report(DiagId::WrongArgCount, e.span, {e.text, "1–2", std::to_string(e.args.size())});
      for (const auto &a : e.args) checkExpr(*a, scope);
      return count;
    }
    const ast::Expr &set = *e.args[0];
    ValueType t = checkExpr(set, scope);
    if (t.tag != TypeTag::YearSet && t.tag != TypeTag::Unknown) {
      report(DiagId::YearRunNeedsYearSet, set.span, {ast::printExpr(set), typeName(t)});
      return count;  // the final year means nothing without a year set
    }
    if (e.args.size() == 2 && !e.through) {
      std::string year = ast::printExpr(*e.args[1]);
      std::string fixed = e.text + "(" + ast::printExpr(set) + ", 截至 " + year + ")";
      auto &d = report(DiagId::YearRunThroughWord, e.args[1]->span, {year, fixed});
      d.fixits.push_back({e.args[1]->span, "截至 " + year});
      checkExpr(*e.args[1], scope);
      return count;
    }
    if (e.args.size() == 2) {
      result_->types[e.args[1].get()] = ValueType::number(ast::TypeKind::Count);
      int64_t year = std::stoll(e.args[1]->text.size() > 6 ? "0" : e.args[1]->text);
      if (year < RB_YEAR_SET_FIRST || year > RB_YEAR_SET_LAST)
        report(DiagId::YearOutOfRange, e.args[1]->span,
               {e.args[1]->text, std::to_string(RB_YEAR_SET_FIRST), std::to_string(RB_YEAR_SET_LAST)});
      result_->throughYears[&e] = year;
      return count;
    }
    auto year = schemeYear();
    if (!year) {
      report(DiagId::YearRunNoThrough, e.span, {ast::printExpr(set)});
      return count;
    }
    if (*year - 1 < RB_YEAR_SET_FIRST || *year - 1 > RB_YEAR_SET_LAST)
      report(DiagId::YearOutOfRange, e.span,
             {std::to_string(*year - 1), std::to_string(RB_YEAR_SET_FIRST), std::to_string(RB_YEAR_SET_LAST)});
    result_->throughYears[&e] = *year - 1;
    return count;
  }

  ValueType checkAggregate(const ast::Expr &e, const Scope &scope) {
    std::string name = e.kind == ast::ExprKind::TopAverage ? "前…平均" : e.text;
    if (e.kind == ast::ExprKind::ListAgg &&
        std::find(kListAggregates.begin(), kListAggregates.end(), e.text) == kListAggregates.end()) {
      auto &d = report(DiagId::UnknownFunction, e.span, {e.text});
      addSuggestion(d, e.text, kListAggregates);
    }
    if (e.kind == ast::ExprKind::TopAverage) parseNumber(e.topFraction, e.span);
    ValueType listType = checkExpr(*e.args[0], scope);
    Scope inner = scope;
    if (listType.tag == TypeTag::RecordList) {
      inner.element = listType.declared;
    } else if (listType.tag == TypeTag::ValueList || listType.tag == TypeTag::Monthly) {
      // The body refers to the element by the list's own name.
      inner.perMonth = listType.tag == TypeTag::Monthly;
      if (listType.tag == TypeTag::ValueList && result_->names.count(e.args[0].get()))
        inner.valueList = result_->names[e.args[0].get()].field;
    } else if (listType.tag != TypeTag::Unknown) {
      report(DiagId::NotAList, e.args[0]->span, {ast::printExpr(*e.args[0]), name});
    }
    if (e.perGroup) return checkPerGroup(e, listType, inner);
    checkGroupKey(e, listType, inner);
    bool predicate = e.text == "计数" || e.text == "全部" || e.text == "任一";
    if (predicate) {
      expectBool(*e.args[1], inner);
      return e.text == "计数" ? ValueType::number(ast::TypeKind::Count) : ValueType::of(TypeTag::Bool);
    }
    ValueType body = expectNumber(*e.args[1], inner);
    ValueType t = ValueType::number();
    t.isPoints = body.isPoints;
    return t;
  }

  // 前50%平均(人员 按 姓名: 平均(成绩)): the elements are grouped by a text, enum
  // or yes/no field of a record list's element (text compared after trimming,
  // as 唯一); after the colon one aggregate per group, of one argument (its
  // body per element); the outer aggregate takes the groups' values.
  ValueType checkPerGroup(const ast::Expr &e, const ValueType &listType, const Scope &inner) {
    const ast::Expr &key = *e.args[2], &merge = *e.args[1];
    std::string outer = e.kind == ast::ExprKind::TopAverage ? "前…平均" : e.text;
    if (e.text == "分组最高") report(DiagId::GroupOuterIsGroupMax, e.span, {ast::printExpr(key)});
    if (listType.tag != TypeTag::RecordList && listType.tag != TypeTag::Unknown)
      report(DiagId::NotAList, e.args[0]->span, {ast::printExpr(*e.args[0]), outer + "（按栏目分组需要记录列表）"});
    ValueType keyType = checkExpr(key, inner);
    bool keyOk = keyType.tag == TypeTag::Text || keyType.tag == TypeTag::Enum || keyType.tag == TypeTag::Bool ||
                 keyType.tag == TypeTag::Unknown;
    auto res = result_->names.find(&key);
    bool elementField = res != result_->names.end() && res->second.kind == Resolution::ElementField;
    if (!keyOk || (keyType.tag != TypeTag::Unknown && !elementField))
      report(DiagId::GroupKeyNotField, key.span, {ast::printExpr(key), typeName(keyType)});
    static const std::vector<std::string> merges = {"平均", "最好", "最差", "求和", "计数", "全部", "任一"};
    bool isMerge = merge.kind == ast::ExprKind::Call && merge.args.size() == 1 &&
                   std::find(merges.begin(), merges.end(), merge.text) != merges.end();
    if (!isMerge) {
      auto &d = report(DiagId::GroupBodyNotAggregate, merge.span, {ast::printExpr(key), ast::printExpr(merge)});
      if (merge.kind == ast::ExprKind::Call) addSuggestion(d, merge.text, merges);
      return ValueType{};
    }
    bool innerPredicate = merge.text == "计数" || merge.text == "全部" || merge.text == "任一";
    ValueType body = innerPredicate ? expectBool(*merge.args[0], inner) : expectNumber(*merge.args[0], inner);
    ValueType group = merge.text == "计数"  ? ValueType::number(ast::TypeKind::Count)
                      : innerPredicate     ? ValueType::of(TypeTag::Bool)
                                           : ValueType::number();
    if (!innerPredicate) group.isPoints = body.isPoints;
    record(merge, group);
    bool outerPredicate = e.text == "计数" || e.text == "全部" || e.text == "任一";
    if (outerPredicate != (group.tag == TypeTag::Bool))
      report(DiagId::GroupValueType, merge.span, {outer, merge.text, typeName(group)});
    if (e.text == "计数") return ValueType::number(ast::TypeKind::Count);
    if (outerPredicate) return ValueType::of(TypeTag::Bool);
    ValueType t = ValueType::number();
    t.isPoints = group.isPoints;
    return t;
  }

  // 分组最高(列表: 值 按 键) needs `按 键`, an enum or yes/no field of a record
  // list's element ("每项工作只取最高分值"); no other aggregate takes one.
  void checkGroupKey(const ast::Expr &e, const ValueType &listType, const Scope &inner) {
    bool grouped = e.kind == ast::ExprKind::ListAgg && e.text == "分组最高";
    if (!grouped) {
      if (e.args.size() > 2) report(DiagId::WrongArgCount, e.args[2]->span, {e.text + "（不能写“按”）", "1", "2"});
      return;
    }
    if (e.args.size() < 3) {
      report(DiagId::WrongArgCount, e.span, {e.text + "（须写“按 分组字段”）", "2", "1"});
      return;
    }
    if (listType.tag != TypeTag::RecordList && listType.tag != TypeTag::Unknown)
      report(DiagId::NotAList, e.args[0]->span, {ast::printExpr(*e.args[0]), e.text + "（需要记录列表）"});
    ValueType key = checkExpr(*e.args[2], inner);
    if (key.tag != TypeTag::Enum && key.tag != TypeTag::Bool && key.tag != TypeTag::Unknown)
      report(DiagId::NotAnEnum, e.args[2]->span, {ast::printExpr(*e.args[2]), typeName(key)});
  }

  // ───── phases ─────
  void analysePhases() {
    // Dependencies: a parent needs its children; a rule needs the nodes it names.
    for (const ast::Node *n : allNodes_)
      for (const auto &c : n->children) addDep(n, c.get());
    // Cycle detection (DFS colouring) and a dependencies-first order.
    std::map<const ast::Node *, int> colour;
    std::vector<const ast::Node *> stack;
    bool cycleReported = false;
    std::function<void(const ast::Node *)> visit = [&](const ast::Node *n) {
      colour[n] = 1;
      stack.push_back(n);
      for (const ast::Node *d : nodeDeps_[n]) {
        if (colour[d] == 1) {
          if (!cycleReported) {
            std::string chain;
            auto it = std::find(stack.begin(), stack.end(), d);
            for (; it != stack.end(); ++it) chain += "【" + (*it)->title + "】 → ";
            chain += "【" + d->title + "】";
            report(DiagId::DependencyCycle, n->titleSpan, {chain});
            cycleReported = true;
          }
        } else if (colour[d] == 0) {
          visit(d);
        }
      }
      stack.pop_back();
      colour[n] = 2;
      result_->evaluationOrder.push_back(n);
    };
    for (const ast::Node *n : allNodes_)
      if (colour[n] == 0) visit(n);
    if (cycleReported) return;
    // Population phase propagates to everything that depends on a population node.
    std::set<const ast::Node *> pop = directPopulation_;
    for (const ast::Node *n : result_->evaluationOrder)
      for (const ast::Node *d : nodeDeps_[n])
        if (pop.count(d)) pop.insert(n);
    result_->populationNodes = pop;
    if (!pop.empty()) result_->needsPopulation = true;
  }

  void reportUnused() {
    for (const auto &f : file_.inputs)
      if (!f.isId && fields_[f.name] == &f && !used_[&f]) report(DiagId::UnusedInput, f.span, {f.name});
  }
};

} // namespace

bool isPopulationFunction(const std::string &name) {
  auto it = functions().find(name);
  return it != functions().end() && it->second.population;
}

std::unique_ptr<CheckedFile> check(const ast::File &file, DiagnosticEngine &diags, const CheckOptions &options) {
  auto checked = Checker(file, diags, options).run();
  checkDivisions(file, *checked, diags);
  return checked;
}

} // namespace rubric::sema
