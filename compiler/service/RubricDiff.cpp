#include "service/RubricDiff.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "ast/AstPrinter.h"
#include "report/Html.h"
#include "report/Sentences.h"

namespace rubric::service {

namespace {

using ast::Node;
using NodeList = std::vector<std::unique_ptr<Node>>;

// 一 and 1, (1) and 1 are the same number.
std::string normalLabel(const std::string &label) {
  static const std::vector<std::string> numerals = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
  for (size_t i = 0; i < numerals.size(); ++i)
    if (label == numerals[i]) return std::to_string(i);
  return label;
}

std::string quoted(const std::string &s) { return "“" + s + "”"; }

std::string nodeName(const Node &n) {
  std::string kw = ast::nodeKindKeyword(n.kind);
  return kw + (n.label.empty() ? "" : " " + n.label) + " " + quoted(n.title);
}

std::string pointsText(const std::optional<std::string> &p) { return p ? *p + "分" : "—"; }

std::vector<std::string> codePoints(const std::string &s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    size_t n = 1;
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0xF0) n = 4;
    else if (c >= 0xE0) n = 3;
    else if (c >= 0xC0) n = 2;
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

// Titles alike: at least half of the longer title's characters occur in the other.
bool similarTitles(const std::string &a, const std::string &b) {
  auto ca = codePoints(a), cb = codePoints(b);
  std::multiset<std::string> pool(cb.begin(), cb.end());
  size_t shared = 0;
  for (const auto &c : ca)
    if (auto it = pool.find(c); it != pool.end()) {
      ++shared;
      pool.erase(it);
    }
  return shared * 2 >= std::max(ca.size(), cb.size()) && shared > 0;
}

int likeness(const Node &a, const Node &b) {
  int score = 0;
  std::set<std::string> titles;
  for (const auto &c : a.children) titles.insert(c->title);
  for (const auto &c : b.children) score += 2 * static_cast<int>(titles.count(c->title));
  if (similarTitles(a.title, b.title)) score += 2;
  if (!a.label.empty() && normalLabel(a.label) == normalLabel(b.label)) score += 1;
  return score;
}

struct Labels {
  const char *points, *cap, *renamed, *renumbered, *rule, *naRule, *under, *movedFrom, *type, *note, *changed;
};
const Labels &labels(Lang lang) {
  static const Labels zh = {"分值", "最高", "名称", "编号", "规则", "不适用", "位于", "原位于", "类型", "说明", "改为"};
  static const Labels en = {"points", "max", "title", "number", "rule", "not applicable", "under", "was under",
                            "type", "note", "now"};
  return lang == Lang::Zh ? zh : en;
}

class Differ {
public:
  Differ(const ast::File &oldFile, const ast::File &newFile, Lang lang)
      : lang_(lang), L_(labels(lang)), oldCtx_(&oldFile, lang), newCtx_(&newFile, lang) {}

  DiffSection nodes(const NodeList &oldNodes, const NodeList &newNodes) {
    matchLevel(oldNodes, newNodes, "", "");
    resolveMoves();
    DiffSection s{lang_ == Lang::Zh ? "指标与评分项" : "indicators and items", {}};
    for (auto &e : changed_) s.entries.push_back(std::move(e));
    for (const auto &r : removed_) s.entries.push_back(removedEntry(r));
    for (const auto &a : added_) s.entries.push_back(addedEntry(a));
    return s;
  }

private:
  struct Placed {
    const Node *node;
    std::string parentPath;
  };
  Lang lang_;
  const Labels &L_;
  // Rules are compared as the official sentences each year's table shows.
  report::RenderContext oldCtx_, newCtx_;
  std::vector<DiffEntry> changed_;
  std::vector<Placed> removed_, added_;   // in document order; old / new paths

  std::string path(const std::string &parent, const Node &n) const {
    return parent.empty() ? nodeName(n) : parent + " › " + nodeName(n);
  }

  void matchLevel(const NodeList &olds, const NodeList &news, const std::string &oldParent,
                  const std::string &newParent) {
    std::vector<const Node *> o, n;
    for (const auto &x : olds) o.push_back(x.get());
    for (const auto &x : news) n.push_back(x.get());
    std::vector<std::pair<const Node *, const Node *>> pairs;
    // 1. the same title
    for (auto &a : o)
      for (auto &b : n)
        if (a && b && a->title == b->title) {
          pairs.emplace_back(a, b);
          a = b = nullptr;
          break;
        }
    // 2. the most alike of the rest, best first
    for (;;) {
      int best = 1;
      const Node **bestA = nullptr, **bestB = nullptr;
      for (auto &a : o)
        for (auto &b : n)
          if (a && b && likeness(*a, *b) > best) {
            best = likeness(*a, *b);
            bestA = &a;
            bestB = &b;
          }
      if (!bestA) break;
      pairs.emplace_back(*bestA, *bestB);
      *bestA = *bestB = nullptr;
    }
    for (const auto &[a, b] : pairs) compareNodes(*a, *b, oldParent, newParent);
    for (const Node *a : o)
      if (a) removed_.push_back(Placed{a, oldParent});
    for (const Node *b : n)
      if (b) added_.push_back(Placed{b, newParent});
  }

  void compareNodes(const Node &a, const Node &b, const std::string &oldParent, const std::string &newParent) {
    DiffEntry e;
    e.subject = path(newParent, b);
    if (normalLabel(a.label) != normalLabel(b.label) || a.kind != b.kind)
      e.details.push_back(fmt::format("{} {} {} → {} {}", L_.renumbered, ast::nodeKindKeyword(a.kind), a.label,
                                      ast::nodeKindKeyword(b.kind), b.label));
    if (a.title != b.title) e.details.push_back(fmt::format("{} {} → {}", L_.renamed, quoted(a.title), quoted(b.title)));
    if (a.points != b.points)
      e.details.push_back(fmt::format("{} {} → {}", L_.points, pointsText(a.points), pointsText(b.points)));
    if (a.cap != b.cap) e.details.push_back(fmt::format("{} {} → {}", L_.cap, pointsText(a.cap), pointsText(b.cap)));
    compareRules(a, b, e);
    if (!e.details.empty() || !e.removedRules.empty() || !e.addedRules.empty()) changed_.push_back(std::move(e));
    matchLevel(a.children, b.children, path(oldParent, a), path(newParent, b));
  }

  static std::vector<std::string> sentences(const Node &n, const report::RenderContext &ctx) {
    return report::nodeSentences(n, ctx);
  }

  void compareRules(const Node &a, const Node &b, DiffEntry &e) const {
    std::vector<std::string> ra = sentences(a, oldCtx_), rb = sentences(b, newCtx_);
    std::multiset<std::string> sa(ra.begin(), ra.end()), sb(rb.begin(), rb.end());
    for (const auto &r : ra)
      if (!sb.count(r)) e.removedRules.push_back(r);
    for (const auto &r : rb)
      if (!sa.count(r)) e.addedRules.push_back(r);
  }

  // An item removed under one parent and added under another, by title: moved.
  // Their children are matched in turn, which may find further moves.
  void resolveMoves() {
    for (size_t i = 0; i < removed_.size();) {
      auto match = std::find_if(added_.begin(), added_.end(),
                                [&](const Placed &p) { return p.node->title == removed_[i].node->title; });
      if (match == added_.end()) {
        ++i;
        continue;
      }
      Placed from = removed_[i], to = *match;
      added_.erase(match);
      removed_.erase(removed_.begin() + static_cast<std::ptrdiff_t>(i));
      const Node &a = *from.node, &b = *to.node;
      DiffEntry e;
      e.kind = DiffEntry::Kind::Moved;
      e.subject = path(to.parentPath, b);
      e.details.push_back(fmt::format("{} {}", L_.movedFrom, path(from.parentPath, a)));
      if (a.points != b.points)
        e.details.push_back(fmt::format("{} {} → {}", L_.points, pointsText(a.points), pointsText(b.points)));
      compareRules(a, b, e);
      changed_.push_back(std::move(e));
      matchLevel(a.children, b.children, path(from.parentPath, a), path(to.parentPath, b));
      i = 0;   // the children may have added to both lists
    }
  }

  DiffEntry removedEntry(const Placed &p) const {
    DiffEntry e;
    e.kind = DiffEntry::Kind::Removed;
    e.subject = path(p.parentPath, *p.node);
    e.details.push_back(fmt::format("{} {}", L_.points, pointsText(p.node->points)));
    return e;
  }
  DiffEntry addedEntry(const Placed &p) const {
    DiffEntry e;
    e.kind = DiffEntry::Kind::Added;
    e.subject = path(p.parentPath, *p.node);
    e.details.push_back(fmt::format("{} {}", L_.points, pointsText(p.node->points)));
    e.addedRules = sentences(*p.node, newCtx_);
    return e;
  }
};

std::string fieldText(const ast::FieldDecl &f) {
  return ast::printType(f.type) + (f.isId ? " (标识)" : "") + (f.optional ? " (可缺)" : "") +
         (f.defaultText ? " 缺省 " + *f.defaultText : "") +
         (f.rangeLow ? " 范围 " + *f.rangeLow + " 至 " + *f.rangeHigh : "");
}

// Named things (inputs, vetoes, awards, readings) matched by name: added,
// removed, or changed. A name may be declared more than once (an award per
// reading option): the k-th declaration of a name matches the k-th one of the
// same name on the other side. `describe(x, entry, added)` fills an added or
// removed entry; `compare(old, new, entry)` fills a changed one (left empty:
// unchanged).
template <class T, class Key, class Describe, class Compare>
DiffSection namedChanges(const std::string &title, const std::vector<T> &olds, const std::vector<T> &news, Key key,
                         const std::string &what, Describe describe, Compare compare) {
  DiffSection s{title, {}};
  std::map<std::string, std::vector<const T *>> oldByKey;
  for (const auto &o : olds) oldByKey[key(o)].push_back(&o);
  std::map<std::string, size_t> newCount;
  for (const auto &n : news) {
    size_t k = newCount[key(n)]++;
    auto it = oldByKey.find(key(n));
    DiffEntry e;
    e.subject = what + quoted(key(n));
    if (it == oldByKey.end() || k >= it->second.size()) {
      e.kind = DiffEntry::Kind::Added;
      describe(n, e, true);
    } else {
      compare(*it->second[k], n, e);
      if (e.details.empty() && e.removedRules.empty() && e.addedRules.empty()) continue;
    }
    s.entries.push_back(std::move(e));
  }
  for (const auto &[name, declared] : oldByKey)
    for (size_t k = newCount[name]; k < declared.size(); ++k) {
      DiffEntry e;
      e.kind = DiffEntry::Kind::Removed;
      e.subject = what + quoted(name);
      describe(*declared[k], e, false);
      s.entries.push_back(std::move(e));
    }
  return s;
}

// The same with one line of text per thing: a change shows "old → new".
template <class T, class Key, class Text>
DiffSection namedSection(const std::string &title, const std::vector<T> &olds, const std::vector<T> &news, Key key,
                         Text text, const std::string &what) {
  return namedChanges(
      title, olds, news, key, what, [&](const T &x, DiffEntry &e, bool) { e.details.push_back(text(x)); },
      [&](const T &a, const T &b, DiffEntry &e) {
        if (text(a) != text(b)) e.details.push_back(text(a) + " → " + text(b));
      });
}

std::string pick(Lang lang, const char *zhText, const char *enText) { return lang == Lang::Zh ? zhText : enText; }

// "名额 3 → 5": one changed attribute as a detail line; nothing when equal.
void addChange(DiffEntry &e, Lang lang, const char *zhWhat, const char *enWhat, const std::string &before,
               const std::string &after) {
  if (before != after) e.details.push_back(fmt::format("{} {} → {}", pick(lang, zhWhat, enWhat), before, after));
}

// "类型 件数 → 小数", "可缺 否 → 是": an input field's changes, one line each.
void compareFields(const ast::FieldDecl &a, const ast::FieldDecl &b, DiffEntry &e, Lang lang) {
  auto yesNo = [&](bool v) { return std::string(v ? pick(lang, "是", "yes") : pick(lang, "否", "no")); };
  auto range = [](const ast::FieldDecl &f) { return f.rangeLow ? *f.rangeLow + " 至 " + *f.rangeHigh : "—"; };
  addChange(e, lang, "类型", "type", ast::printType(a.type), ast::printType(b.type));
  addChange(e, lang, "标识", "identifier", yesNo(a.isId), yesNo(b.isId));
  addChange(e, lang, "可缺", "optional", yesNo(a.optional), yesNo(b.optional));
  addChange(e, lang, "缺省", "default", a.defaultText.value_or("—"), b.defaultText.value_or("—"));
  addChange(e, lang, "范围", "range", range(a), range(b));
  addChange(e, lang, "说明", "note", a.note.empty() ? "—" : quoted(a.note), b.note.empty() ? "—" : quoted(b.note));
}

// Awards read as the official sentence (report::awardSentence); a change
// names what changed (名额, condition, ranking, ties) and shows both sentences.
class AwardDiff {
public:
  AwardDiff(const ast::File &oldFile, const ast::File &newFile, Lang lang)
      : lang_(lang), oldCtx_(&oldFile, lang), newCtx_(&newFile, lang) {}

  void describe(const ast::Award &a, DiffEntry &e, bool added) const {
    (added ? e.addedRules : e.removedRules).push_back(report::awardSentence(a, added ? newCtx_ : oldCtx_));
  }

  void compare(const ast::Award &a, const ast::Award &b, DiffEntry &e) const {
    auto quota = [](const ast::Award &w) { return w.quota ? std::to_string(*w.quota) : "—"; };
    addChange(e, lang_, "名额", "quota", quota(a), quota(b));
    addChange(e, lang_, "条件", "condition", condition(a, oldCtx_), condition(b, newCtx_));
    addChange(e, lang_, "排序", "ranking", ranking(a, oldCtx_), ranking(b, newCtx_));
    addChange(e, lang_, "并列", "ties", tiePolicy(a, oldCtx_), tiePolicy(b, newCtx_));
    std::string before = report::awardSentence(a, oldCtx_), after = report::awardSentence(b, newCtx_);
    if (before == after) return;
    e.removedRules.push_back(before);
    e.addedRules.push_back(after);
  }

private:
  Lang lang_;
  report::RenderContext oldCtx_, newCtx_;

  std::string condition(const ast::Award &w, const report::RenderContext &ctx) const {
    return w.condition ? quoted(report::exprText(*w.condition, ctx)) : "—";
  }
  std::string ranking(const ast::Award &w, const report::RenderContext &ctx) const {
    if (!w.rankBy) return "—";
    std::string order = w.descending ? pick(lang_, "从高到低", " descending") : pick(lang_, "从低到高", " ascending");
    return pick(lang_, "按", "by ") + report::exprText(*w.rankBy, ctx) + order;
  }
  std::string tiePolicy(const ast::Award &w, const report::RenderContext &ctx) const {
    return w.quota ? report::awardTiePolicy(w, ctx) : "—";   // ties matter only with a 名额
  }
};

// Readings (读法) in words: the sentence, each option with its meaning, the one adopted.
std::string adoptedOf(const ast::Reading &r) {
  std::string s;
  for (const auto &[name, span] : r.adopted) s += (s.empty() ? "" : "、") + name;
  return s.empty() ? "—" : s;
}

void describeReading(const ast::Reading &r, DiffEntry &e, Lang lang) {
  auto &lines = e.details;
  lines.push_back(pick(lang, "原文", "text ") + quoted(r.text));
  for (const auto &o : r.options)
    lines.push_back(fmt::format("{}{}{}{}", pick(lang, "选项 ", "option "), o.name, pick(lang, "：", ": "), o.meaning));
  lines.push_back(pick(lang, "采用 ", "adopted ") + adoptedOf(r));
}

void compareReadings(const ast::Reading &a, const ast::Reading &b, DiffEntry &e, Lang lang) {
  addChange(e, lang, "原文", "text", quoted(a.text), quoted(b.text));
  std::map<std::string, std::string> before;
  for (const auto &o : a.options) before[o.name] = o.meaning;
  for (const auto &o : b.options) {
    auto it = before.find(o.name);
    if (it == before.end())
      e.details.push_back(
          fmt::format("{}{}{}{}", pick(lang, "新增选项 ", "option added: "), o.name, pick(lang, "：", ": "), o.meaning));
    else if (it->second != o.meaning)
      e.details.push_back(fmt::format("{}{} {} → {}", pick(lang, "选项 ", "option "), o.name, quoted(it->second),
                                      quoted(o.meaning)));
    before.erase(o.name);
  }
  for (const auto &o : a.options)
    if (before.count(o.name)) e.details.push_back(pick(lang, "删除选项 ", "option removed: ") + o.name);
  addChange(e, lang, "采用", "adopted", adoptedOf(a), adoptedOf(b));
  addChange(e, lang, "理由", "reason", a.reason ? quoted(*a.reason) : "—", b.reason ? quoted(*b.reason) : "—");
}

DiffSection schemeSection(const ast::File &a, const ast::File &b, Lang lang) {
  std::map<std::string, std::string> ea, eb;
  auto collect = [](const ast::File &f, std::map<std::string, std::string> &m) {
    m["方案"] = f.scheme.id;
    for (const auto &e : f.scheme.entries) m[e.key] = e.value;
    if (f.scheme.periodFrom) m["期间"] = *f.scheme.periodFrom + " 至 " + *f.scheme.periodTo;
    std::string levels;
    for (const auto &l : f.scheme.levels) levels += (levels.empty() ? "" : "、") + l;
    if (!levels.empty()) m["级别"] = levels;
  };
  collect(a, ea);
  collect(b, eb);
  DiffSection s{lang == Lang::Zh ? "方案" : "scheme", {}};
  std::set<std::string> keys;
  for (const auto &[k, v] : ea) keys.insert(k);
  for (const auto &[k, v] : eb) keys.insert(k);
  for (const auto &k : keys) {
    std::string va = ea.count(k) ? ea[k] : "—", vb = eb.count(k) ? eb[k] : "—";
    if (va != vb) s.entries.push_back({DiffEntry::Kind::Changed, k, {va + " → " + vb}, {}, {}});
  }
  return s;
}

// 引用 "path" 为 别名 [全体另给] [按 字段], as its parts: the file, whole population, the matching field.
std::vector<std::string> importParts(const ast::Import &im, Lang lang) {
  bool zh = lang == Lang::Zh;
  std::vector<std::string> parts{(zh ? "文件 " : "file ") + im.path};
  if (im.wholePopulation) parts.push_back(zh ? "全体另给（在被引用方案的全体记录上评分）" : "whole population");
  if (!im.matchField.empty()) parts.push_back((zh ? "按 " : "matched by ") + im.matchField);
  return parts;
}

void compareImports(const ast::Import &x, const ast::Import &y, DiffEntry &e, Lang lang) {
  bool zh = lang == Lang::Zh;
  if (x.path != y.path) e.details.push_back((zh ? "文件 " : "file ") + x.path + " → " + y.path);
  if (x.wholePopulation != y.wholePopulation)
    e.details.push_back(zh ? (y.wholePopulation ? "改为全体另给" : "不再全体另给")
                           : (y.wholePopulation ? "now whole population" : "no longer whole population"));
  if (x.matchField != y.matchField)
    e.details.push_back((zh ? "配对字段 " : "matched by ") + (x.matchField.empty() ? "标识" : x.matchField) + " → " +
                        (y.matchField.empty() ? "标识" : y.matchField));
}

} // namespace

void addImportedDiffs(RubricDiff &diff, const std::map<std::string, const ast::File *> &oldImports,
                      const std::map<std::string, const ast::File *> &newImports, Lang lang) {
  for (const auto &[alias, oldFile] : oldImports) {
    auto it = newImports.find(alias);
    if (it == newImports.end() || !oldFile || !it->second) continue;
    RubricDiff inner = diffRubrics(*oldFile, *it->second, lang);
    for (auto &section : inner.sections) {
      section.title = (lang == Lang::Zh ? "引用 " : "import ") + alias + " › " + section.title;
      diff.sections.push_back(std::move(section));
    }
  }
}

RubricDiff diffRubrics(const ast::File &oldFile, const ast::File &newFile, Lang lang) {
  RubricDiff d;
  d.oldName = oldFile.source ? oldFile.source->path() : oldFile.scheme.id;
  d.newName = newFile.source ? newFile.source->path() : newFile.scheme.id;
  bool zh = lang == Lang::Zh;
  std::vector<DiffSection> all;
  all.push_back(schemeSection(oldFile, newFile, lang));
  all.push_back(namedChanges(
      zh ? "输入" : "inputs", oldFile.inputs, newFile.inputs, [](const ast::FieldDecl &f) { return f.name; },
      zh ? "输入字段" : "input field ",
      [](const ast::FieldDecl &f, DiffEntry &e, bool) { e.details.push_back(fieldText(f)); },
      [&](const ast::FieldDecl &x, const ast::FieldDecl &y, DiffEntry &e) { compareFields(x, y, e, lang); }));
  all.push_back(namedChanges(
      zh ? "引用" : "imports", oldFile.imports, newFile.imports, [](const ast::Import &im) { return im.alias; },
      zh ? "引用 " : "import ", [&](const ast::Import &im, DiffEntry &e, bool) { e.details = importParts(im, lang); },
      [&](const ast::Import &x, const ast::Import &y, DiffEntry &e) { compareImports(x, y, e, lang); }));
  all.push_back(namedSection(
      zh ? "名称" : "names", oldFile.names, newFile.names, [](const ast::LocalName &ln) { return ln.name; },
      [&](const ast::LocalName &ln) { return report::localNameSentence(ln, report::RenderContext(&newFile, lang)); },
      zh ? "令 " : "let "));
  all.push_back(Differ(oldFile, newFile, lang).nodes(oldFile.indicators, newFile.indicators));
  all.push_back(namedSection(
      zh ? "否决" : "vetoes", oldFile.vetoes, newFile.vetoes, [](const ast::Veto &v) { return v.reason; },
      [&](const ast::Veto &v) { return report::vetoSentence(v, report::RenderContext(&newFile, lang)); },
      zh ? "否决" : "veto "));
  AwardDiff awards(oldFile, newFile, lang);
  all.push_back(namedChanges(
      zh ? "奖项" : "awards", oldFile.awards, newFile.awards, [](const ast::Award &a) { return a.name; },
      zh ? "奖项" : "award ", [&](const ast::Award &a, DiffEntry &e, bool added) { awards.describe(a, e, added); },
      [&](const ast::Award &x, const ast::Award &y, DiffEntry &e) { awards.compare(x, y, e); }));
  all.push_back(namedChanges(
      zh ? "读法" : "readings", oldFile.readings, newFile.readings, [](const ast::Reading &r) { return r.name; },
      zh ? "读法" : "reading ", [&](const ast::Reading &r, DiffEntry &e, bool) { describeReading(r, e, lang); },
      [&](const ast::Reading &x, const ast::Reading &y, DiffEntry &e) { compareReadings(x, y, e, lang); }));
  for (auto &s : all)
    if (!s.entries.empty()) d.sections.push_back(std::move(s));
  return d;
}

// ───────────── rendering ─────────────

namespace {

const char *mark(DiffEntry::Kind k) {
  switch (k) {
  case DiffEntry::Kind::Added: return "+";
  case DiffEntry::Kind::Removed: return "-";
  case DiffEntry::Kind::Changed: return "~";
  case DiffEntry::Kind::Moved: return "→";
  }
  return "?";
}

const char *kindWord(DiffEntry::Kind k, Lang lang) {
  bool zh = lang == Lang::Zh;
  switch (k) {
  case DiffEntry::Kind::Added: return zh ? "新增" : "added";
  case DiffEntry::Kind::Removed: return zh ? "删除" : "removed";
  case DiffEntry::Kind::Changed: return zh ? "修改" : "changed";
  case DiffEntry::Kind::Moved: return zh ? "移动" : "moved";
  }
  return "";
}

std::string join(const std::vector<std::string> &parts, const std::string &sep) {
  std::string out;
  for (const auto &p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

std::string mdEscape(const std::string &s) {
  std::string out;
  for (char c : s) {
    if (c == '|' || c == '*' || c == '_' || c == '`') out += '\\';
    out += c;
  }
  return out;
}

std::string renderText(const RubricDiff &d, Lang lang) {
  std::string out = fmt::format("--- {}\n+++ {}\n", d.oldName, d.newName);
  if (d.empty()) return out + (lang == Lang::Zh ? "没有差异\n" : "no differences\n");
  const char *sep = lang == Lang::Zh ? "；" : "; ";
  const char *colon = lang == Lang::Zh ? "：" : ": ";
  const char *rule = lang == Lang::Zh ? "规则" : "rule";
  for (const auto &s : d.sections) {
    out += "\n" + s.title + "\n";
    for (const auto &e : s.entries) {
      out += fmt::format("  {} {}", mark(e.kind), e.subject);
      if (!e.details.empty()) out += colon + join(e.details, sep);
      out += "\n";
      for (const auto &r : e.removedRules) out += fmt::format("      - {}{}{}\n", rule, colon, r);
      for (const auto &r : e.addedRules) out += fmt::format("      + {}{}{}\n", rule, colon, r);
    }
  }
  return out;
}

std::string renderMarkdown(const RubricDiff &d, Lang lang) {
  bool zh = lang == Lang::Zh;
  std::string out = fmt::format("# {}\n\n`{}` → `{}`\n", zh ? "细则差异" : "Rubric differences", d.oldName, d.newName);
  if (d.empty()) return out + (zh ? "\n没有差异。\n" : "\nNo differences.\n");
  for (const auto &s : d.sections) {
    out += "\n## " + s.title + "\n\n";
    out += zh ? "| 变化 | 对象 | 内容 |\n|---|---|---|\n" : "| change | what | details |\n|---|---|---|\n";
    for (const auto &e : s.entries) {
      std::vector<std::string> cells = e.details;
      for (const auto &r : e.removedRules) cells.push_back("− " + r);
      for (const auto &r : e.addedRules) cells.push_back("+ " + r);
      std::vector<std::string> escaped;
      for (const auto &c : cells) escaped.push_back(mdEscape(c));
      out += fmt::format("| {} | {} | {} |\n", kindWord(e.kind, lang), mdEscape(e.subject), join(escaped, "<br>"));
    }
  }
  return out;
}

std::string renderHtml(const RubricDiff &d, Lang lang) {
  bool zh = lang == Lang::Zh;
  std::string out = fmt::format("<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head><body>\n",
                                zh ? "zh" : "en", zh ? "细则差异" : "Rubric differences");
  out += fmt::format("<h1>{}</h1>\n<p><code>{}</code> → <code>{}</code></p>\n", zh ? "细则差异" : "Rubric differences",
                     report::htmlEscape(d.oldName), report::htmlEscape(d.newName));
  for (const auto &s : d.sections) {
    out += "<h2>" + report::htmlEscape(s.title) + "</h2>\n<table>\n";
    for (const auto &e : s.entries) {
      std::vector<std::string> cells;
      for (const auto &x : e.details) cells.push_back(report::htmlEscape(x));
      for (const auto &r : e.removedRules) cells.push_back("<del>" + report::htmlEscape(r) + "</del>");
      for (const auto &r : e.addedRules) cells.push_back("<ins>" + report::htmlEscape(r) + "</ins>");
      out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n", kindWord(e.kind, lang), report::htmlEscape(e.subject),
                         join(cells, "<br>"));
    }
    out += "</table>\n";
  }
  return out + "</body></html>\n";
}

} // namespace

std::string renderDiff(const RubricDiff &diff, DiffFormat format, Lang lang) {
  switch (format) {
  case DiffFormat::Text: return renderText(diff, lang);
  case DiffFormat::Markdown: return renderMarkdown(diff, lang);
  case DiffFormat::Html: return renderHtml(diff, lang);
  }
  return {};
}

} // namespace rubric::service
