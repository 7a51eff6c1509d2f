#include "diagnostics/Diagnostic.h"

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
  for (const auto &a : args) store.push_back(a);
  try {
    return fmt::vformat(lang == Lang::Zh ? info.zh : info.en, store);
  } catch (const fmt::format_error &) {
    return lang == Lang::Zh ? info.zh : info.en; // too few args: show the template
  }
}

Diagnostic &DiagnosticEngine::report(DiagId id, std::shared_ptr<const SourceFile> file,
                                     Span span, std::vector<std::string> args) {
  diags_.push_back(note(id, std::move(file), span, std::move(args)));
  return diags_.back();
}

Diagnostic DiagnosticEngine::note(DiagId id, std::shared_ptr<const SourceFile> file, Span span,
                                  std::vector<std::string> args) {
  return Diagnostic{id, diagInfo(id).severity, std::move(file), span, std::move(args), {}};
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
  return out;
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
  if (!d.notes.empty()) {
    j["notes"] = nlohmann::json::array();
    for (const auto &n : d.notes) j["notes"].push_back(toJson(n, lang));
  }
  return j;
}

static nlohmann::json toSarif(const std::vector<Diagnostic> &diags, Lang lang) {
  nlohmann::json rules = nlohmann::json::array();
  for (const auto &info : kDiagTable)
    rules.push_back({{"id", info.code},
                     {"shortDescription", {{"text", lang == Lang::Zh ? info.zh : info.en}}}});
  nlohmann::json results = nlohmann::json::array();
  for (const auto &d : diags) {
    nlohmann::json r;
    r["ruleId"] = d.code();
    r["level"] = d.severity == Severity::Error ? "error"
                 : d.severity == Severity::Warning ? "warning" : "note";
    std::string text = d.message(lang);
    for (const auto &n : d.notes) text += "\n" + n.message(lang);
    r["message"] = {{"text", text}};
    if (d.file) {
      nlohmann::json loc;
      loc["physicalLocation"]["artifactLocation"]["uri"] = d.file->path();
      if (d.span.valid())
        loc["physicalLocation"]["region"] = {{"startLine", d.span.line},
                                             {"startColumn", d.span.col},
                                             {"endColumn", std::max(d.span.endCol, d.span.col + 1)}};
      r["locations"] = nlohmann::json::array({loc});
    }
    results.push_back(r);
  }
  return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
          {"version", "2.1.0"},
          {"runs", nlohmann::json::array({{{"tool", {{"driver", {{"name", "rubricc"},
                                                                 {"informationUri", "docs/diagnostics.md"},
                                                                 {"rules", rules}}}}},
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
