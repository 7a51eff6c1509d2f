#include "service/Completion.h"

#include <cctype>
#include <optional>
#include <set>

#include "ast/AstPrinter.h"
#include "parse/TokenNames.h"

namespace rubric::service {
namespace {

using Kind = CompletionItem::Kind;
using namespace std::string_view_literals;

// The code point that ends at byte `end` of `s`, and where it starts.
uint32_t lastCodePoint(std::string_view s, size_t end, size_t &start) {
  start = end;
  while (start > 0 && (static_cast<unsigned char>(s[start - 1]) & 0xC0) == 0x80) --start;
  if (start > 0) --start;
  unsigned char c = static_cast<unsigned char>(s[start]);
  size_t n = end - start;
  uint32_t cp = n == 1 ? c : c & (0xFF >> (n + 1));
  for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[start + k]) & 0x3F);
  return cp;
}

// Characters a name is made of: letters, digits, _ and CJK ideographs (not
// full-width punctuation such as 【，：＝).
bool nameChar(uint32_t cp) {
  if (cp < 0x80) return std::isalnum(static_cast<int>(cp)) || cp == '_';
  return (cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) || cp >= 0x20000;
}

// `s` without the name it ends with.
std::string_view withoutLastName(std::string_view s) {
  size_t end = s.size(), start = end;
  while (end > 0 && nameChar(lastCodePoint(s, end, start))) end = start;
  return s.substr(0, end);
}

std::string_view trimRight(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if (s.size() >= 3 && s.substr(s.size() - 3) == "\u3000"sv) s.remove_suffix(3);   // full-width space
  return s;
}

// The name before a trailing `=` (or ＝, ==, !=): "执法稽查抽调" in "当 执法稽查抽调 = ".
std::optional<std::string> nameBeforeEquals(std::string_view before) {
  before = trimRight(before);
  for (std::string_view eq : {"\uFF1D"sv, "=="sv, "!="sv, "="sv})
    if (before.size() >= eq.size() && before.substr(before.size() - eq.size()) == eq) {
      std::string_view rest = trimRight(before.substr(0, before.size() - eq.size()));
      std::string_view head = withoutLastName(rest);
      if (head.size() == rest.size()) return std::nullopt;
      return std::string(rest.substr(head.size()));
    }
  return std::nullopt;
}

bool insideItemReference(std::string_view prefix) {
  size_t open = prefix.rfind("【"), close = prefix.rfind("】");
  return open != std::string_view::npos && (close == std::string_view::npos || close < open);
}

void addNodes(const std::vector<std::unique_ptr<ast::Node>> &nodes, const std::string &parent,
              std::vector<CompletionItem> &out) {
  for (const auto &n : nodes) {
    std::string path = (parent.empty() ? "" : parent + " › ") + ast::nodeKindKeyword(n->kind) +
                       (n->label.empty() ? "" : " " + n->label);
    out.push_back({n->title, path + (n->points ? "　" + *n->points + "分" : ""), Kind::Reference});
    addNodes(n->children, path + " “" + n->title + "”", out);
  }
}

const ast::FieldDecl *findField(const ast::File &file, const std::string &name) {
  for (const auto *fields : {&file.inputs, &file.params})
    for (const auto &f : *fields) {
      if (f.name == name) return &f;
      for (const auto &r : f.type.recordFields)   // a list's record field, as an aggregate's body names it
        if (r.name == name) return &r;
    }
  return nullptr;
}

// After `名称 =`: the enum's values or the reading's options; empty when `name` is neither.
std::vector<CompletionItem> valuesOf(const ast::File &file, const std::string &name) {
  std::vector<CompletionItem> out;
  if (const ast::FieldDecl *f = findField(file, name); f && f->type.kind == ast::TypeKind::Enum)
    for (const auto &v : f->type.enumValues) out.push_back({v, name, Kind::EnumMember});
  for (const auto &r : file.readings)
    if (r.name == name)
      for (const auto &o : r.options) out.push_back({o.name, o.meaning, Kind::EnumMember});
  return out;
}

// The grammar's keywords as diagnostics name them (parse/TokenNames), so a
// keyword added to the grammar is offered too; sorted for a stable list.
void addKeywords(std::vector<CompletionItem> &out, Lang lang) {
  std::set<std::string> words;   // several tokens may display the same word
  for (const auto &[symbol, display] : parse::tokenDisplayNames())
    if (symbol.rfind("K_", 0) == 0 && display.size() > 6) words.insert(display.substr(3, display.size() - 6));   // without “ ”
  for (const auto &word : words) out.push_back({word, lang == Lang::Zh ? "关键字" : "keyword", Kind::Keyword});
}

void addNames(const ast::File &file, std::vector<CompletionItem> &out, Lang lang) {
  bool zh = lang == Lang::Zh;
  for (const auto &f : file.inputs) out.push_back({f.name, (zh ? "输入 " : "input ") + ast::printType(f.type), Kind::Field});
  for (const auto &f : file.params) out.push_back({f.name, (zh ? "参数 " : "parameter ") + ast::printType(f.type), Kind::Field});
  for (const auto &r : file.readings) out.push_back({r.name, (zh ? "读法 “" : "reading “") + r.text + "”", Kind::Variable});
}

} // namespace

std::vector<CompletionItem> completeAt(const ast::File *file, std::string_view linePrefix, Lang lang) {
  std::vector<CompletionItem> out;
  std::string_view before = withoutLastName(linePrefix);
  if (file && insideItemReference(before)) {
    addNodes(file->indicators, "", out);
    return out;
  }
  if (file)
    if (auto name = nameBeforeEquals(before))
      if (out = valuesOf(*file, *name); !out.empty()) return out;
  if (file) addNames(*file, out, lang);
  addKeywords(out, lang);
  return out;
}

} // namespace rubric::service
