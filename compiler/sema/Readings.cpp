#include "sema/Readings.h"

#include <set>

#include "support/Suggest.h"

namespace rubric::sema {
namespace {

std::string joined(const std::vector<std::string> &names, const char *none) {
  std::string s;
  for (const auto &n : names) s += (s.empty() ? "" : "、") + n;
  return s.empty() ? none : s;
}

std::vector<std::string> readingNames(const CheckedFile &checked) {
  std::vector<std::string> out;
  for (const auto &r : checked.readings) out.push_back(r->name());
  return out;
}

std::vector<std::string> optionNames(const ast::Reading &reading) {
  std::vector<std::string> out;
  for (const auto &o : reading.options) out.push_back(o.name);
  return out;
}

void suggest(Diagnostic &d, const std::shared_ptr<const SourceFile> &src, const std::string &name,
             const std::vector<std::string> &candidates) {
  if (auto s = suggestName(name, candidates))
    d.notes.push_back(DiagnosticEngine::note(DiagId::NoteDidYouMean, src, d.span, {*s}));
}

int indexOf(const ast::Reading &reading, const std::string &option) {
  for (size_t i = 0; i < reading.options.size(); ++i)
    if (reading.options[i].name == option) return static_cast<int>(i);
  return -1;
}

// One declaration's own rules; fills `info` (adopted = chosen = -1 when 采用 is wrong).
void checkDeclaration(const ast::Reading &rd, ReadingInfo &info, const std::shared_ptr<const SourceFile> &src,
                      DiagnosticEngine &diags) {
  std::set<std::string> seen;
  for (const auto &o : rd.options) {
    if (!seen.insert(o.name).second) diags.report(DiagId::DuplicateReadingOption, src, o.span, {rd.name, o.name});
    info.options.enumValues.push_back(o.name);
    info.options.enumValueSpans.push_back(o.span);
  }
  if (rd.options.size() < 2) diags.report(DiagId::ReadingFewOptions, src, rd.span, {rd.name, std::to_string(rd.options.size())});
  if (rd.adopted.size() != 1) {
    Span at = rd.adopted.size() > 1 ? rd.adopted[1].second : rd.span;
    diags.report(DiagId::ReadingAdoptCount, src, at, {rd.name, std::to_string(rd.adopted.size())});
    return;
  }
  const auto &[option, span] = rd.adopted.front();
  info.adopted = indexOf(rd, option);
  if (info.adopted < 0) {
    auto &d = diags.report(DiagId::UnknownReadingOption, src, span, {option, rd.name, optionList(rd)});
    suggest(d, src, option, optionNames(rd));
  }
  info.chosen = info.adopted;
}

// ── readings of imported schemes (--reading 别名.读法) ──

const ast::Reading *declaredIn(const ast::File &file, const std::string &name) {
  for (const auto &r : file.readings)
    if (r.name == name) return &r;
  return nullptr;
}

// Every reading an override may name: the file's own, then "别名.读法" of each import.
std::vector<std::string> allReadingNames(const CheckedFile &checked) {
  std::vector<std::string> out = readingNames(checked);
  for (const auto &[alias, file] : checked.importByAlias)
    for (const auto &r : file->readings) out.push_back(alias + "." + r.name);
  return out;
}

// Records `option` for reading `rest` of import `alias` (`shown` is what the
// user wrote). A nested "别名.读法" of the import is passed on for the
// import's own check to resolve.
void routeToImport(const std::string &alias, const std::string &rest, const std::string &shown,
                   const std::string &option, CheckedFile &out, DiagnosticEngine &diags) {
  const ast::File &imported = *out.importByAlias.at(alias);
  bool nested = false;
  if (auto dot = rest.find('.'); dot != std::string::npos)
    for (const auto &im : imported.imports) nested |= im.alias == rest.substr(0, dot);
  if (const ast::Reading *r = declaredIn(imported, rest)) {
    if (indexOf(*r, option) < 0) {
      auto &d = diags.report(DiagId::UnknownReadingArgOption, nullptr, Span{}, {shown, option, optionList(*r)});
      suggest(d, nullptr, option, optionNames(*r));
      return;
    }
  } else if (!nested) {
    auto names = allReadingNames(out);
    auto &d = diags.report(DiagId::UnknownReadingArg, nullptr, Span{}, {shown, joined(names, "无")});
    suggest(d, nullptr, shown, names);
    return;
  }
  auto [it, inserted] = out.importReadings[alias].emplace(rest, option);
  if (!inserted && it->second != option) diags.report(DiagId::DuplicateReadingUse, nullptr, Span{}, {"--reading", shown});
}

// An override the file's own readings do not have: "别名.读法", or a reading
// exactly one import declares. False when it names no import's reading either.
bool overrideImported(const std::string &name, const std::string &option, CheckedFile &out, DiagnosticEngine &diags) {
  if (auto dot = name.find('.'); dot != std::string::npos && out.importByAlias.count(name.substr(0, dot))) {
    routeToImport(name.substr(0, dot), name.substr(dot + 1), name, option, out, diags);
    return true;
  }
  std::vector<std::string> owners;
  for (const auto &[alias, file] : out.importByAlias)
    if (declaredIn(*file, name)) owners.push_back(alias);
  if (owners.empty()) return false;
  if (owners.size() > 1) {
    diags.report(DiagId::AmbiguousImportReadingArg, nullptr, Span{}, {name, joined(owners, "无")});
    return true;
  }
  routeToImport(owners.front(), name, name, option, out, diags);
  return true;
}

} // namespace

std::string optionList(const ast::Reading &reading) { return joined(optionNames(reading), "无"); }

const ReadingInfo *CheckedFile::findReading(const std::string &name) const {
  for (const auto &r : readings)
    if (r->name() == name) return r.get();
  return nullptr;
}

void declareReadings(const ast::File &file, const std::map<std::string, std::string> &overrides,
                     const std::function<bool(const std::string &)> &nameTaken, CheckedFile &out,
                     DiagnosticEngine &diags) {
  for (const auto &rd : file.readings) {
    if (out.findReading(rd.name) || nameTaken(rd.name)) {
      diags.report(DiagId::DuplicateReading, file.source, rd.span, {rd.name});
      continue;
    }
    auto info = std::make_unique<ReadingInfo>();
    info->decl = &rd;
    info->options.kind = ast::TypeKind::Enum;
    info->options.span = rd.span;
    checkDeclaration(rd, *info, file.source, diags);
    out.readings.push_back(std::move(info));
  }
  // Overrides name the file's readings or an import's (别名.读法); a wrong one is a
  // usage error (no position in the file).
  for (const auto &[name, option] : overrides) {
    ReadingInfo *found = nullptr;
    for (auto &r : out.readings)
      if (r->name() == name) found = r.get();
    if (!found && overrideImported(name, option, out, diags)) continue;
    if (!found) {
      auto names = allReadingNames(out);
      auto &d = diags.report(DiagId::UnknownReadingArg, nullptr, Span{}, {name, joined(names, "无")});
      suggest(d, nullptr, name, names);
      continue;
    }
    int index = indexOf(*found->decl, option);
    if (index < 0) {
      auto &d = diags.report(DiagId::UnknownReadingArgOption, nullptr, Span{}, {name, option, optionList(*found->decl)});
      suggest(d, nullptr, option, optionNames(*found->decl));
      continue;
    }
    found->chosen = index;
  }
}

const ReadingInfo *lookupReading(const CheckedFile &checked, const std::string &name, Span span,
                                 DiagnosticEngine &diags) {
  if (const ReadingInfo *r = checked.findReading(name)) return r;
  const auto &src = checked.file->source;
  auto &d = diags.report(DiagId::UnknownReading, src, span, {name, joined(readingNames(checked), "无")});
  suggest(d, src, name, readingNames(checked));
  return nullptr;
}

int lookupOption(const CheckedFile &checked, const ReadingInfo &reading, const std::string &option, Span span,
                 DiagnosticEngine &diags) {
  int index = indexOf(*reading.decl, option);
  if (index >= 0) return index;
  const auto &src = checked.file->source;
  auto &d = diags.report(DiagId::UnknownReadingOption, src, span, {option, reading.name(), optionList(*reading.decl)});
  suggest(d, src, option, optionNames(*reading.decl));
  return -1;
}

const ReadingInfo *readingOfType(const CheckedFile &checked, const ast::Type *type) {
  for (const auto &r : checked.readings)
    if (&r->options == type) return r.get();
  return nullptr;
}

namespace {
// 用例 … 读法 别名.读法 = 选项: a reading of an imported scheme, fixed for this case
// (the test runner passes it on like --reading 别名.读法=选项).
void checkImportedCaseReading(const ast::CaseReading &cr, const CheckedFile &checked, DiagnosticEngine &diags) {
  const auto &src = checked.file->source;
  size_t dot = cr.reading.find('.');
  auto import = checked.importByAlias.find(cr.reading.substr(0, dot));
  const ast::Reading *r = import == checked.importByAlias.end() ? nullptr : declaredIn(*import->second, cr.reading.substr(dot + 1));
  if (!r) {
    auto names = allReadingNames(checked);
    auto &d = diags.report(DiagId::UnknownReading, src, cr.readingSpan, {cr.reading, joined(names, "无")});
    suggest(d, src, cr.reading, names);
    return;
  }
  if (indexOf(*r, cr.option) >= 0) return;
  auto &d = diags.report(DiagId::UnknownReadingOption, src, cr.optionSpan, {cr.option, cr.reading, optionList(*r)});
  suggest(d, src, cr.option, optionNames(*r));
}
} // namespace

void checkCaseReadings(const ast::TestCase &tc, const CheckedFile &checked, DiagnosticEngine &diags) {
  std::set<std::string> seen;
  for (const auto &cr : tc.readings) {
    if (!seen.insert(cr.reading).second)
      diags.report(DiagId::DuplicateReadingUse, checked.file->source, cr.readingSpan, {"用例“" + tc.name + "”的读法", cr.reading});
    if (cr.reading.find('.') != std::string::npos || !checked.findReading(cr.reading)) {
      checkImportedCaseReading(cr, checked, diags);   // also: an unknown name, with the imports' readings offered
      continue;
    }
    if (const ReadingInfo *r = lookupReading(checked, cr.reading, cr.readingSpan, diags))
      lookupOption(checked, *r, cr.option, cr.optionSpan, diags);
  }
}

void reportUnusedReadings(const CheckedFile &checked, DiagnosticEngine &diags) {
  for (const auto &r : checked.readings)
    if (r->uses.empty()) diags.report(DiagId::UnusedReading, checked.file->source, r->decl->span, {r->name()});
}

} // namespace rubric::sema
