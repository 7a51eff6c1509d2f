#include "service/LanguageServer.h"

#include <fmt/format.h>

#include "ast/AstPrinter.h"
#include "parse/Parser.h"
#include "report/Sentences.h"
#include "service/Completion.h"
#include "service/Formatter.h"
#include "service/RubricDiff.h"
#include "service/Service.h"

namespace rubric::service {

namespace {

using nlohmann::json;

// A member of a request's params, or an empty object when it is missing or
// params is not an object: a malformed request answers empty, it never reads
// past a missing key (const json::operator[] does not check).
const json &field(const json &params, const char *key) {
  static const json empty = json::object();
  if (!params.is_object()) return empty;
  auto it = params.find(key);
  return it != params.end() && it->is_object() ? *it : empty;
}

// ── positions: LSP counts UTF-16 code units, the compiler code points ──

uint32_t utf16Length(uint32_t codePoint) { return codePoint >= 0x10000 ? 2 : 1; }

std::vector<uint32_t> codePointsOf(std::string_view line) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < line.size();) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    uint32_t cp = n == 1 ? c : c & (0xFF >> (n + 1));
    for (size_t k = 1; k < n && i + k < line.size(); ++k) cp = (cp << 6) | (line[i + k] & 0x3F);
    out.push_back(cp);
    i += n;
  }
  return out;
}

// 1-based code-point column → 0-based UTF-16 character.
uint32_t toUtf16(const SourceFile &src, uint32_t line, uint32_t col) {
  if (line == 0 || line > src.lineCount()) return 0;
  auto cps = codePointsOf(src.lineText(line));
  uint32_t units = 0;
  for (uint32_t i = 0; i + 1 < col && i < cps.size(); ++i) units += utf16Length(cps[i]);
  if (col > cps.size() + 1) units += col - 1 - static_cast<uint32_t>(cps.size());
  return units;
}

// 0-based UTF-16 character → 1-based code-point column.
uint32_t fromUtf16(const SourceFile &src, uint32_t line, uint32_t character) {
  if (line == 0 || line > src.lineCount()) return 1;
  auto cps = codePointsOf(src.lineText(line));
  uint32_t units = 0, col = 1;
  for (uint32_t cp : cps) {
    if (units >= character) break;
    units += utf16Length(cp);
    ++col;
  }
  return col;
}

// A diagnostic's empty span still marks one character; an insertion stays empty.
json range(const SourceFile &src, Span span, bool widenEmpty = true) {
  uint32_t line = span.valid() ? span.line : 1;
  uint32_t end = span.endCol > span.col || !widenEmpty ? span.endCol : span.col + 1;
  return {{"start", {{"line", line - 1}, {"character", toUtf16(src, line, span.col)}}},
          {"end", {{"line", line - 1}, {"character", toUtf16(src, line, end)}}}};
}

// didChange with full-text sync: the last change holds the whole text. None
// (no changes, or none a whole text): the document stays as it was.
std::optional<std::string> lastChangeText(const json &params) {
  auto it = params.find("contentChanges");
  if (it == params.end() || !it->is_array()) return std::nullopt;
  for (auto change = it->rbegin(); change != it->rend(); ++change)
    if (change->is_object() && !change->contains("range") && change->contains("text") && (*change)["text"].is_string())
      return (*change)["text"].get<std::string>();
  return std::nullopt;
}

json lspDiagnostic(const Diagnostic &d, const std::string &uri, Lang lang) {
  json out = {{"range", range(*d.file, d.span)},
              {"severity", d.severity == Severity::Error ? 1 : d.severity == Severity::Warning ? 2 : 3},
              {"code", d.code()},
              {"source", "rubricc"},
              {"message", d.message(lang)}};
  json related = json::array();
  for (const auto &n : d.notes) {
    if (n.file && n.span.valid())
      related.push_back({{"location", {{"uri", uri}, {"range", range(*n.file, n.span)}}},
                         {"message", n.message(lang)}});
    else
      out["message"] = out["message"].get<std::string>() + "\n" + n.message(lang);
  }
  json edits = json::array();
  for (const auto &f : d.fixits) {
    edits.push_back({{"range", range(*d.file, f.span, false)}, {"newText", f.replacement}});
    related.push_back({{"location", {{"uri", uri}, {"range", range(*d.file, f.span, false)}}},
                       {"message", describeFixIt(d, f, lang)}});
  }
  if (!related.empty()) out["relatedInformation"] = related;
  if (!edits.empty()) out["data"] = {{"fixes", edits}};   // for a client's code actions
  return out;
}

// ── hover ──

const std::map<std::string, std::string> &keywordMeanings() {
  static const std::map<std::string, std::string> meanings = {
      {"K_WHEN", "当 条件 得 N分：条件成立时得分"},
      {"K_GET", "得：给分；扣：减分"},
      {"K_DEDUCT", "扣：从本项中减分"},
      {"K_BY", "按 枚举 { 值: N分 … }：按所填的值给分"},
      {"PER_UNIT", "每件 数量 得 N分：按件数计分，可加“，最高 M分”"},
      {"K_TIERS", "分档 数值 { 条件: N分 … }：落在哪一档得哪一档的分"},
      {"K_MAX", "最高 N分：本项或本规则的上限"},
      {"K_AND_ABOVE", "以上：含本数（民法典第一千二百五十九条）；只写在整个条件之后"},
      {"K_REACH", "达到：≥，含本数"},
      {"K_EXCEED", "超过：>，不含本数"},
      {"K_BELOW", "不足：<，不含本数"},
      {"K_NOT_EXCEED", "不超过：≤，含本数"},
      {"K_NA", "不适用 当 … => 满分 | 不得分 | 不参与 | 计入【…】"},
      {"K_VETO", "否决 \"原因\" 当 … => 取消资格 | 不得分"},
      {"K_IF_NONE", "若无 字段 …：可缺字段没有值时怎么办"},
      {"K_CASE", "用例：手算样例，rubricc test 逐项核对"},
      {"K_ACK", "原文合计：原文各项之和与总分不符时照录原文"},
      {"K_INDICATOR", "指标：一级指标"},
      {"K_ITEM", "项：评分项"},
      {"K_SUBITEM", "子项：评分项的下一级"},
  };
  return meanings;
}

const parse::ToolToken *tokenAt(const std::vector<parse::ToolToken> &tokens, uint32_t line, uint32_t col) {
  for (const auto &t : tokens) {
    if (t.line != line || t.symbol == "WS" || t.symbol == "EOF") continue;
    uint32_t end = t.col + codePointCount(t.text);
    if (col >= t.col && col < end) return &t;
  }
  return nullptr;
}

std::string unbracket(std::string s, const char *open, const char *close) {
  size_t o = std::string(open).size(), c = std::string(close).size();
  if (s.size() >= o + c && s.compare(0, o, open) == 0 && s.compare(s.size() - c, c, close) == 0)
    return s.substr(o, s.size() - o - c);
  return s;
}

const ast::Node *findNode(const std::vector<std::unique_ptr<ast::Node>> &nodes, const std::string &title,
                          std::string &path) {
  for (const auto &n : nodes) {
    std::string here = (path.empty() ? "" : path + " › ") + ast::nodeKindKeyword(n->kind) +
                       (n->label.empty() ? "" : " " + n->label) + " “" + n->title + "”";
    if (n->title == title) {
      path = here;
      return n.get();
    }
    std::string inner = here;
    if (const ast::Node *c = findNode(n->children, title, inner)) {
      path = inner;
      return c;
    }
  }
  return nullptr;
}

std::string nodeHover(const ast::File &file, const ast::Node &n, const std::string &path, Lang lang) {
  std::string s = "**" + path + "**" + (n.points ? "　" + *n.points + "分" : "");
  if (n.cap) s += "（最高 " + *n.cap + "分）";
  for (const auto &line : report::nodeSentences(n, report::RenderContext(&file, lang))) s += "\n\n- " + line;
  return s;
}

std::string fieldHover(const ast::FieldDecl &f, const char *what) {
  std::string s = fmt::format("**{}** `{}`: {}", what, f.name, ast::printType(f.type));
  if (f.optional) s += "（可缺）";
  if (!f.note.empty()) s += "\n\n" + f.note;
  return s;
}

} // namespace

std::vector<json> LanguageServer::handle(const json &message) {
  std::string method = message.value("method", "");
  bool isRequest = message.contains("id");
  json id = isRequest ? message["id"] : json();
  const json params = message.value("params", json::object());
  auto reply = [&](json result) { return json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}}; };

  if (method == "initialize")
    return {reply({{"capabilities",
                    {{"textDocumentSync", 1},
                     {"hoverProvider", true},
                     {"definitionProvider", true},
                     {"documentSymbolProvider", true},
                     {"documentFormattingProvider", true},
                     {"completionProvider", {{"triggerCharacters", {"【", "=", "＝", " "}}}},
                     {"codeActionProvider", {{"codeActionKinds", {"quickfix"}}}}}},
                   {"serverInfo", {{"name", "rubricc"}}}})};
  if (method == "shutdown") {
    shutdown_ = true;
    return {reply(nullptr)};
  }
  if (method == "exit") {
    exited_ = true;
    return {};
  }
  if (method == "textDocument/didOpen" || method == "textDocument/didChange") {
    std::string uri = field(params, "textDocument").value("uri", "");
    if (method == "textDocument/didOpen") {
      documents_[uri] = field(params, "textDocument").value("text", "");
    } else if (auto text = lastChangeText(params)) {
      documents_[uri] = std::move(*text);
    } else {
      return {};  // nothing to apply: the document and its diagnostics stand
    }
    return {publishDiagnostics(uri)};
  }
  if (method == "textDocument/didClose") {
    documents_.erase(field(params, "textDocument").value("uri", ""));
    lastParsed_.erase(field(params, "textDocument").value("uri", ""));
    return {};
  }
  if (method == "textDocument/hover") return {reply(hover(params))};
  if (method == "textDocument/definition") return {reply(definition(params))};
  if (method == "textDocument/documentSymbol") return {reply(documentSymbols(params))};
  if (method == "textDocument/formatting") return {reply(formatting(params))};
  if (method == "textDocument/completion") return {reply(completion(params))};
  if (method == "textDocument/codeAction") return {reply(codeActions(params))};
  if (isRequest)   // an unknown request: MethodNotFound (notifications are ignored)
    return {{{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", -32601}, {"message", "unsupported: " + method}}}}};
  return {};
}

json LanguageServer::publishDiagnostics(const std::string &uri) {
  auto source = std::make_shared<SourceFile>(uri, documents_[uri]);
  DiagnosticEngine diags;
  size_t bad = 0;
  json list = json::array();
  if (validateUtf8(source->text(), &bad)) {
    if (analyze(source, diags).ast) lastParsed_[uri] = documents_[uri];
  } else {
    parse::parseFile(source, diags);   // reports E0002
  }
  for (const auto &d : diags.all())
    if (d.file == source) list.push_back(lspDiagnostic(d, uri, lang_));
  return {{"jsonrpc", "2.0"},
          {"method", "textDocument/publishDiagnostics"},
          {"params", {{"uri", uri}, {"diagnostics", list}}}};
}

namespace {

// What the token under the cursor names: a field or an item, if either.
struct Target {
  const ast::FieldDecl *field = nullptr;
  const char *fieldKind = "";
  const ast::Node *node = nullptr;
  std::string nodePath;
  const ast::LocalName *local = nullptr;   // a 令 name
};

// The 令 declaring `name`: top level, else the first node that declares it.
const ast::LocalName *findLocalName(const ast::File &file, const std::string &name) {
  for (const auto &ln : file.names)
    if (ln.name == name) return &ln;
  std::vector<const ast::Node *> todo;
  for (const auto &n : file.indicators) todo.push_back(n.get());
  while (!todo.empty()) {
    const ast::Node *n = todo.back();
    todo.pop_back();
    for (const auto &ln : n->names)
      if (ln.name == name) return &ln;
    for (const auto &c : n->children) todo.push_back(c.get());
  }
  return nullptr;
}

std::string localNameHover(const ast::File &file, const ast::LocalName &ln, Lang lang) {
  return fmt::format("**{}** `{}`\n\n{}", lang == Lang::Zh ? "令" : "let", ln.name,
                     report::localNameSentence(ln, report::RenderContext(&file, lang)));
}

Target resolve(const ast::File &file, const parse::ToolToken &t, Lang lang) {
  Target target;
  if (t.symbol != "IDENT" && t.symbol != "QIDENT" && t.symbol != "STRING") return target;
  std::string name = unbracket(t.text, "「", "」");
  for (const auto &f : file.inputs)
    if (f.name == name) target = {&f, lang == Lang::Zh ? "输入字段" : "input field", nullptr, ""};
  for (const auto &f : file.params)
    if (f.name == name) target = {&f, lang == Lang::Zh ? "参数" : "parameter", nullptr, ""};
  if (target.field) return target;
  if ((target.local = findLocalName(file, name))) return target;
  // A 【…】 reference or an item's title.
  std::string title = unbracket(unbracket(t.text, "\"", "\""), "“", "”");
  target.node = findNode(file.indicators, title, target.nodePath);
  return target;
}

} // namespace

// The document and the token at an LSP position (null when there is none).
struct LanguageServer::AtPosition {
  std::shared_ptr<SourceFile> source;
  std::vector<parse::ToolToken> tokens;
  const parse::ToolToken *token = nullptr;
  Analysis analysis;
};

std::shared_ptr<SourceFile> LanguageServer::document(const json &params) const {
  std::string uri = field(params, "textDocument").value("uri", "");
  auto it = documents_.find(uri);
  if (it == documents_.end()) return nullptr;
  auto source = std::make_shared<SourceFile>(uri, it->second);
  size_t bad = 0;
  return validateUtf8(source->text(), &bad) ? source : nullptr;
}

std::optional<LanguageServer::AtPosition> LanguageServer::at(const json &params) {
  AtPosition p;
  p.source = document(params);
  if (!p.source) return std::nullopt;
  uint32_t line = field(params, "position").value("line", 0u) + 1;
  uint32_t col = fromUtf16(*p.source, line, field(params, "position").value("character", 0u));
  p.tokens = parse::lexTokens(*p.source);
  p.token = tokenAt(p.tokens, line, col);
  DiagnosticEngine diags;
  p.analysis = analyze(p.source, diags);
  if (!p.token) return std::nullopt;
  return p;
}

json LanguageServer::hover(const json &params) {
  auto p = at(params);
  if (!p) return nullptr;
  const parse::ToolToken &t = *p->token;
  std::string text;
  if (p->analysis.ast) {
    Target target = resolve(*p->analysis.ast, t, lang_);
    if (target.field) text = fieldHover(*target.field, target.fieldKind);
    else if (target.node) text = nodeHover(*p->analysis.ast, *target.node, target.nodePath, lang_);
    else if (target.local) text = localNameHover(*p->analysis.ast, *target.local, lang_);
  }
  if (text.empty())
    if (auto k = keywordMeanings().find(t.symbol); k != keywordMeanings().end()) text = k->second;
  if (text.empty()) return nullptr;
  return {{"contents", {{"kind", "markdown"}, {"value", text}}},
          {"range", range(*p->source, Span{t.line, t.col, t.col + codePointCount(t.text)})}};
}

json LanguageServer::definition(const json &params) {
  auto p = at(params);
  if (!p || !p->analysis.ast) return nullptr;
  Target target = resolve(*p->analysis.ast, *p->token, lang_);
  Span span = target.field ? target.field->span : target.node ? target.node->titleSpan
             : target.local ? target.local->span : Span{};
  if (!span.valid()) return nullptr;
  return {{"uri", field(params, "textDocument").value("uri", "")}, {"range", range(*p->source, span)}};
}

namespace {

json nodeSymbols(const std::vector<std::unique_ptr<ast::Node>> &nodes, const SourceFile &src) {
  json out = json::array();
  for (const auto &n : nodes) {
    Span whole = n->span;
    if (n->titleSpan.line == whole.line) whole.endCol = std::max(whole.endCol, n->titleSpan.endCol);
    out.push_back({{"name", std::string(ast::nodeKindKeyword(n->kind)) + (n->label.empty() ? "" : " " + n->label) +
                                " " + n->title},
                   {"detail", n->points ? *n->points + "分" : ""},
                   {"kind", n->children.empty() ? 8 : 3},   // Field for a leaf, Namespace for a group
                   {"range", range(src, whole)},
                   {"selectionRange", range(src, n->titleSpan)},
                   {"children", nodeSymbols(n->children, src)}});
  }
  return out;
}

} // namespace

json LanguageServer::documentSymbols(const json &params) {
  auto source = document(params);
  if (!source) return json::array();
  DiagnosticEngine diags;
  auto file = parse::parseFile(source, diags);
  return file ? nodeSymbols(file->indicators, *source) : json::array();
}

json LanguageServer::formatting(const json &params) {
  auto source = document(params);
  if (!source) return json::array();
  DiagnosticEngine diags;
  auto formatted = formatRubric(source, diags);
  if (!formatted || *formatted == source->text()) return json::array();
  // One edit replacing the whole document.
  uint32_t lastLine = source->lineCount();
  json end = {{"line", lastLine}, {"character", 0}};
  return json::array({{{"range", {{"start", {{"line", 0}, {"character", 0}}}, {"end", end}}}, {"newText", *formatted}}});
}

// ── completion and code actions ──

json LanguageServer::completion(const json &params) {
  auto source = document(params);
  if (!source) return json::array();
  uint32_t line = field(params, "position").value("line", 0u) + 1;
  uint32_t col = fromUtf16(*source, line, field(params, "position").value("character", 0u));
  std::string_view text = line <= source->lineCount() ? source->lineText(line) : std::string_view();
  // Code-point column → byte offset of the cursor in the line.
  size_t bytes = 0;
  for (uint32_t c = 1; c < col && bytes < text.size(); ++c) {
    unsigned char b = static_cast<unsigned char>(text[bytes]);
    bytes += b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
  }
  std::unique_ptr<ast::File> file;
  if (auto it = lastParsed_.find(field(params, "textDocument").value("uri", "")); it != lastParsed_.end()) {
    DiagnosticEngine diags;
    file = parse::parseFile(std::make_shared<SourceFile>(it->first, it->second), diags);
  }
  json items = json::array();
  for (const auto &item : completeAt(file.get(), text.substr(0, std::min(bytes, text.size())), lang_))
    items.push_back({{"label", item.label}, {"kind", static_cast<int>(item.kind)}, {"detail", item.detail}});
  return items;
}

namespace {

bool overlaps(const json &a, const json &b) {
  auto pos = [](const json &p) { return std::make_pair(p.value("line", 0), p.value("character", 0)); };
  return !(pos(field(a, "end")) < pos(field(b, "start")) || pos(field(b, "end")) < pos(field(a, "start")));
}

// One quick fix: all of a diagnostic's fix-its, applied together.
json quickFix(const Diagnostic &d, const std::string &uri, Lang lang) {
  json edits = json::array();
  std::string title;
  for (const auto &f : d.fixits) {
    edits.push_back({{"range", range(*d.file, f.span, false)}, {"newText", f.replacement}});
    title += (title.empty() ? "" : lang == Lang::Zh ? "；" : "; ") + describeFixIt(d, f, lang);
  }
  return {{"title", title},
          {"kind", "quickfix"},
          {"diagnostics", json::array({lspDiagnostic(d, uri, lang)})},
          {"isPreferred", true},
          {"edit", {{"changes", {{uri, edits}}}}}};
}

} // namespace

// The fix-its of the diagnostics in the requested range, as quick fixes. The
// document is checked again (the client's copy of the diagnostics may be stale).
json LanguageServer::codeActions(const json &params) {
  auto source = document(params);
  if (!source || !params.contains("range")) return json::array();
  std::string uri = field(params, "textDocument").value("uri", "");
  DiagnosticEngine diags;
  analyze(source, diags);
  json actions = json::array();
  for (const auto &d : diags.all())
    if (d.file == source && !d.fixits.empty() && overlaps(range(*source, d.span), field(params, "range")))
      actions.push_back(quickFix(d, uri, lang_));
  return actions;
}

} // namespace rubric::service
