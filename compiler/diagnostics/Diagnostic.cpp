#include "diagnostics/Diagnostic.h"

#include <cctype>
#include <cstring>

#include <fmt/args.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace rubric {

static const DiagInfo kDiagTable[] = {
#define DIAG(Name, Code, Sev, Zh, En) {Code, Severity::Sev, Zh, En},
#include "diagnostics/DiagnosticKinds.def"
#undef DIAG
};

const DiagInfo &diagInfo(DiagId id) { return kDiagTable[static_cast<size_t>(id)]; }

const DiagInfo *diagInfoByCode(const std::string &code) {
  for (const auto &info : kDiagTable)
    if (code == info.code) return &info;
  return nullptr;
}

const char *severityName(Severity s, Lang lang) {
  switch (s) {
  case Severity::Error: return lang == Lang::Zh ? "错误" : "error";
  case Severity::Warning: return lang == Lang::Zh ? "警告" : "warning";
  case Severity::Note: return lang == Lang::Zh ? "提示" : "note";
  }
  return "";
}

std::string Diagnostic::message(Lang lang) const {
  const DiagInfo &info = diagInfo(id);
  fmt::dynamic_format_arg_store<fmt::format_context> store;
  bool english = lang == Lang::En && argsEn.size() == args.size();
  for (const auto &a : english ? argsEn : args) store.push_back(a);
  try {
    return fmt::vformat(lang == Lang::Zh ? info.zh : info.en, store);
  } catch (const fmt::format_error &) {
    return lang == Lang::Zh ? info.zh : info.en; // too few args: show the template
  }
}

Diagnostic &DiagnosticEngine::report(DiagId id, std::shared_ptr<const SourceFile> file,
                                     Span span, std::vector<std::string> args) {
  if (!reported_.emplace(id, file.get(), span.line, span.col, span.endCol, args).second) {
    repeated_ = note(id, std::move(file), span, std::move(args));
    return repeated_;
  }
  diags_.push_back(note(id, std::move(file), span, std::move(args)));
  return diags_.back();
}

Diagnostic DiagnosticEngine::note(DiagId id, std::shared_ptr<const SourceFile> file, Span span,
                                  std::vector<std::string> args) {
  return Diagnostic{id, diagInfo(id).severity, std::move(file), span, std::move(args), {}, {}, {}};
}

size_t DiagnosticEngine::errorCount() const {
  size_t n = 0;
  for (const auto &d : diags_) n += d.severity == Severity::Error;
  return n;
}
size_t DiagnosticEngine::warningCount() const {
  size_t n = 0;
  for (const auto &d : diags_) n += d.severity == Severity::Warning;
  return n;
}

static void renderOne(std::string &out, const Diagnostic &d, Lang lang, bool color) {
  const char *bold = color ? "\x1b[1m" : "";
  const char *reset = color ? "\x1b[0m" : "";
  const char *sevColor = !color ? ""
                         : d.severity == Severity::Error   ? "\x1b[1;31m"
                         : d.severity == Severity::Warning ? "\x1b[1;35m"
                                                           : "\x1b[1;36m";
  std::string location;
  if (d.file) {
    location = d.file->path();
    if (d.span.valid()) location += fmt::format(":{}:{}", d.span.line, d.span.col);
    location += ": ";
  }
  out += fmt::format("{}{}{}{}{}[{}]{}: {}\n", bold, location, reset, sevColor,
                     severityName(d.severity, lang), d.code(), reset, d.message(lang));
  if (!d.file || !d.span.valid()) return;
  std::string_view line = d.file->lineText(d.span.line);
  std::string gutter = std::to_string(d.span.line);
  std::string pad(gutter.size(), ' ');
  out += fmt::format(" {} | {}\n", gutter, line);
  // Caret: display columns, CJK two wide, tabs kept so alignment survives.
  size_t startByte = byteOffsetOfCodePoint(line, d.span.col - 1);
  uint32_t endCp = d.span.endCol > d.span.col ? d.span.endCol : d.span.col + 1;
  size_t endByte = byteOffsetOfCodePoint(line, endCp - 1);
  if (endByte <= startByte) endByte = std::min(line.size(), startByte + 1);
  // The lead keeps the line's tabs so the caret lines up however tabs expand.
  std::string lead;
  std::string_view before = line.substr(0, startByte);
  for (size_t i = 0; i < before.size();) {
    if (before[i] == '\t') {
      lead += '\t';
      ++i;
      continue;
    }
    size_t j = i + 1;
    while (j < before.size() && (static_cast<unsigned char>(before[j]) & 0xC0) == 0x80) ++j;
    lead += std::string(displayWidth(before.substr(i, j - i)), ' ');
    i = j;
  }
  uint32_t width = displayWidth(line.substr(startByte, endByte - startByte));
  if (width == 0) width = 1;
  out += fmt::format(" {} | {}{}{}{}\n", pad, lead, sevColor, std::string(width, '^'), reset);
}

std::string renderText(const Diagnostic &d, Lang lang, bool color) {
  std::string out;
  renderOne(out, d, lang, color);
  for (const auto &n : d.notes) {
    if (n.file && n.span.valid() && !(n.file == d.file && n.span.line == d.span.line &&
                                       n.span.col == d.span.col))
      renderOne(out, n, lang, color);
    else
      out += fmt::format("  = {}[{}]: {}\n", severityName(n.severity, lang), n.code(),
                         n.message(lang));
  }
  for (const auto &fix : d.fixits) out += fmt::format("  = {}: {}\n", lang == Lang::Zh ? "修改" : "fix", describeFixIt(d, fix, lang));
  return out;
}

std::string describeFixIt(const Diagnostic &d, const FixIt &fix, Lang lang) {
  std::string old = d.file && fix.span.valid() && fix.span.endCol > fix.span.col
                        ? std::string(spanText(*d.file, fix.span))
                        : std::string();
  // Show a line break in an insertion as ⏎ so the description stays on one line.
  std::string inserted;
  for (char c : fix.replacement) inserted += c == '\n' ? std::string("⏎") : std::string(1, c);
  if (old.empty())
    return lang == Lang::Zh ? fmt::format("在第 {} 行第 {} 列插入“{}”", fix.span.line, fix.span.col, inserted)
                            : fmt::format("insert “{}” at line {}, column {}", inserted, fix.span.line, fix.span.col);
  if (fix.replacement.empty())
    return lang == Lang::Zh ? fmt::format("删去第 {} 行的“{}”", fix.span.line, old)
                            : fmt::format("delete “{}” on line {}", old, fix.span.line);
  return lang == Lang::Zh ? fmt::format("将第 {} 行的“{}”改为“{}”", fix.span.line, old, inserted)
                          : fmt::format("replace “{}” on line {} with “{}”", old, fix.span.line, inserted);
}

static nlohmann::json toJson(const Diagnostic &d, Lang lang) {
  nlohmann::json j;
  j["code"] = d.code();
  j["severity"] = d.severity == Severity::Error ? "error"
                  : d.severity == Severity::Warning ? "warning" : "note";
  j["message"] = d.message(lang);
  if (d.file) j["file"] = d.file->path();
  if (d.span.valid()) {
    j["line"] = d.span.line;
    j["column"] = d.span.col;
    j["endColumn"] = d.span.endCol;
  }
  j["args"] = d.args;
  if (!d.fixits.empty()) {
    j["fixes"] = nlohmann::json::array();
    for (const auto &f : d.fixits)
      j["fixes"].push_back({{"line", f.span.line}, {"column", f.span.col}, {"endColumn", f.span.endCol},
                            {"replacement", f.replacement}, {"description", describeFixIt(d, f, lang)}});
  }
  if (!d.notes.empty()) {
    j["notes"] = nlohmann::json::array();
    for (const auto &n : d.notes) j["notes"].push_back(toJson(n, lang));
  }
  return j;
}

// ── SARIF 2.1.0 (validated against the OASIS schema in tests/sarif) ──

// Percent-encodes a path for a SARIF URI (RFC 3986: unreserved characters and
// '/' stay; CJK and spaces are encoded byte by byte).
static std::string uriEncodePath(const std::string &path) {
  static const char *hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || std::strchr("-._~/", c)) out += static_cast<char>(c);
    else out += {'%', hex[c >> 4], hex[c & 15]};
  }
  return out;
}

static std::string artifactUri(const SourceFile &file) {
  std::string uri = uriEncodePath(file.path());
  return !file.path().empty() && file.path()[0] == '/' ? "file://" + uri : uri;
}

// A template with its {0}, {1} … shown as “…”, for rule descriptions.
static std::string templateWithoutPlaceholders(const char *tmpl) {
  std::string out;
  for (const char *p = tmpl; *p; ++p) {
    if (*p == '{' && std::isdigit(static_cast<unsigned char>(p[1]))) {
      const char *q = p + 1;
      while (std::isdigit(static_cast<unsigned char>(*q))) ++q;
      if (*q == '}') {
        out += "…";
        p = q;
        continue;
      }
    }
    out += *p;
  }
  return out;
}

static nlohmann::json sarifRegion(Span span) {
  return {{"startLine", span.line}, {"startColumn", span.col}, {"endColumn", std::max(span.endCol, span.col)}};
}

static nlohmann::json sarifLocation(const Diagnostic &d) {
  nlohmann::json loc;
  loc["physicalLocation"]["artifactLocation"]["uri"] = artifactUri(*d.file);
  if (d.span.valid()) {
    nlohmann::json region = sarifRegion(d.span);
    region["endColumn"] = std::max(d.span.endCol, d.span.col + 1);
    loc["physicalLocation"]["region"] = region;
  }
  return loc;
}

static nlohmann::json sarifFixes(const Diagnostic &d, Lang lang) {
  nlohmann::json replacements = nlohmann::json::array();
  std::string description;
  for (const auto &f : d.fixits) {
    replacements.push_back({{"deletedRegion", sarifRegion(f.span)}, {"insertedContent", {{"text", f.replacement}}}});
    description += (description.empty() ? "" : "; ") + describeFixIt(d, f, lang);
  }
  return nlohmann::json::array(
      {{{"description", {{"text", description}}},
        {"artifactChanges", nlohmann::json::array({{{"artifactLocation", {{"uri", artifactUri(*d.file)}}},
                                                    {"replacements", replacements}}})}}});
}

static nlohmann::json sarifResult(const Diagnostic &d, Lang lang, size_t ruleIndex) {
  nlohmann::json r;
  r["ruleId"] = d.code();
  r["ruleIndex"] = ruleIndex;
  r["level"] = d.severity == Severity::Error ? "error" : d.severity == Severity::Warning ? "warning" : "note";
  r["message"] = {{"text", d.message(lang)}};
  if (d.file) r["locations"] = nlohmann::json::array({sarifLocation(d)});
  // Notes with a place of their own are related locations; the rest stay in the message.
  nlohmann::json related = nlohmann::json::array();
  for (const auto &n : d.notes) {
    if (!n.file || !n.span.valid()) {
      r["message"]["text"] = r["message"]["text"].get<std::string>() + "\n" + n.message(lang);
      continue;
    }
    nlohmann::json loc = sarifLocation(n);
    loc["id"] = related.size();
    loc["message"] = {{"text", fmt::format("[{}] {}", n.code(), n.message(lang))}};
    related.push_back(loc);
  }
  if (!related.empty()) r["relatedLocations"] = related;
  if (!d.fixits.empty() && d.file) r["fixes"] = sarifFixes(d, lang);
  return r;
}

static nlohmann::json toSarif(const std::vector<Diagnostic> &diags, Lang lang) {
  const std::string docs = RUBRIC_DIAGNOSTICS_DOC_URI;
  nlohmann::json rules = nlohmann::json::array();
  for (const auto &info : kDiagTable) {
    std::string anchor = info.code;
    for (char &c : anchor) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    rules.push_back({{"id", info.code},
                     {"shortDescription", {{"text", templateWithoutPlaceholders(lang == Lang::Zh ? info.zh : info.en)}}},
                     {"helpUri", docs + "#" + anchor},
                     {"defaultConfiguration",
                      {{"level", info.severity == Severity::Error     ? "error"
                                 : info.severity == Severity::Warning ? "warning"
                                                                      : "note"}}}});
  }
  nlohmann::json results = nlohmann::json::array();
  for (const auto &d : diags) results.push_back(sarifResult(d, lang, static_cast<size_t>(d.id)));
  nlohmann::json driver = {{"name", "rubricc"}, {"informationUri", docs}, {"rules", rules}};
  return {{"$schema", "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"},
          {"version", "2.1.0"},
          {"runs", nlohmann::json::array({{{"tool", {{"driver", driver}}},
                                           {"columnKind", "unicodeCodePoints"},
                                           {"results", results}}})}};
}

std::string renderDiagnostics(const std::vector<Diagnostic> &diags, DiagFormat format, Lang lang,
                              bool color) {
  switch (format) {
  case DiagFormat::Text: {
    std::string out;
    for (const auto &d : diags) out += renderText(d, lang, color);
    return out;
  }
  case DiagFormat::Json: {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto &d : diags) arr.push_back(toJson(d, lang));
    return arr.dump(2) + "\n";
  }
  case DiagFormat::Sarif:
    return toSarif(diags, lang).dump(2) + "\n";
  }
  return {};
}

Diagnostic &reportLoadFailure(DiagnosticEngine &diags, const std::string &path, const std::string &loadError) {
  if (loadError == SourceFile::kTooLarge)
    return diags.report(DiagId::FileTooLarge, nullptr, Span{}, {path, SourceFile::kMaxBytesText});
  if (loadError == SourceFile::kNotRegular) return diags.report(DiagId::NotRegularFile, nullptr, Span{}, {path});
  return diags.report(DiagId::FileUnreadable, nullptr, Span{}, {path});
}

} // namespace rubric
