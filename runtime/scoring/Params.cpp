// --params (Runner.h, loadParams): a JSON object {"name": value} or a CSV of
// name,value rows. Every declared parameter exactly once, nothing else, each
// value read by its kind (exact).
#include <cerrno>
#include <algorithm>
#include <fstream>

#include "runtime/records/RecordReader.h"
#include "runtime/scoring/Cells.h"
#include "runtime/scoring/Stages.h"

namespace rubric::runtime {

namespace {

struct Entry {
  std::string name, value;
  int64_t row;  // CSV row; 0 in JSON
};

// The file's text without a BOM; false (said) when it cannot be opened.
bool readParamText(const std::string &path, const std::string &head, bool zh, std::ostream &diag, std::string &text) {
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::string why = errno ? (zh ? "：" : ": ") + openProblem(errno, false, zh) : "";
    diag << head << (zh ? "无法打开参数文件" : "cannot open the parameter file") << why << '\n';
    return false;
  }
  text.assign((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
  return true;
}

// A JSON object's members; false (said) when the text is not one.
bool jsonEntries(const std::string &text, const std::string &head, bool zh, std::ostream &diag,
                 std::vector<Entry> &entries) {
  std::vector<std::pair<std::string, std::string>> pairs;
  std::string detail;
  if (records::flattenJsonObject(text, pairs, detail) != records::RowProblem::None) {
    diag << head << (zh ? "参数文件不是有效的 JSON 对象" : "the parameter file is not a valid JSON object")
         << (detail.empty() ? "" : (zh ? "（" : " (") + detail + (zh ? "）" : ")")) << '\n';
    return false;
  }
  for (auto &[k, v] : pairs)
    if (k.size() < 3 || k.compare(k.size() - 3, 3, "[#]") != 0) entries.push_back({k, v, 0});
  return true;
}

bool isHeaderRow(const Program &p, const std::string &name, size_t cells) {
  bool known = false;
  for (const auto &f : p.params) known |= f.name == name;
  return !known &&
         (cells < 2 || name == "name" || name == "名称" || name == "参数" || name == "参数名" || name == "parameter");
}

// name,value rows (an optional header row, blank rows skipped); false after a row without a value.
bool csvEntries(const Program &p, const std::string &text, const std::string &path, bool zh, std::ostream &diag,
                std::vector<Entry> &entries) {
  records::CsvParser csv(records::memorySource(text));
  records::CellList fields;
  bool unterminated, ok = true, sawFirst = false;
  int64_t row = 0;
  while (csv.next(fields, unterminated)) {
    ++row;
    size_t n = fields.size();
    bool blank = true;
    for (size_t i = 0; i < n; ++i) blank &= trimCell(fields[i]).empty();
    if (blank) continue;
    std::string name(trimCell(fields[0]));
    if (!sawFirst) {
      sawFirst = true;
      if (isHeaderRow(p, name, n)) continue;
    }
    if (n < 2) {
      diag << path << ":" << row << (zh ? ": 错误: 参数行应有两列（名称,值）" : ": error: a parameter row needs two columns (name,value)")
           << '\n';
      ok = false;
      continue;
    }
    entries.push_back({name, std::string(trimCell(fields[1])), row});
  }
  return ok;
}

// One name/value: a known parameter, given once, a valid value of its kind.
bool applyEntry(const Program &p, const Entry &e, const std::string &path, Lang lang, std::ostream &diag,
                std::vector<uint8_t> &given, std::vector<int64_t> &out) {
  bool zh = lang == Lang::Zh;
  std::string at = e.row > 0 ? path + ":" + std::to_string(e.row) : path;
  std::string err = at + (zh ? ": 错误: " : ": error: ");
  std::string name(trimCell(e.name));
  size_t k = 0;
  while (k < p.params.size() && p.params[k].name != name) ++k;
  if (k == p.params.size()) {
    std::vector<std::string> names;
    for (const auto &f : p.params) names.push_back(f.name);
    auto s = suggest(name, names);
    diag << err << (zh ? "未知的参数" : "unknown parameter ") << quote(lang, name);
    if (s) diag << (zh ? "（您是否想写" + quote(lang, *s) + "？）" : " (did you mean " + quote(lang, *s) + "?)");
    diag << '\n';
    return false;
  }
  const FieldDesc &f = p.params[k];
  if (given[k]) {
    diag << err << (zh ? "参数" + quote(lang, name) + "给出了不止一次" : "parameter " + quote(lang, name) + " is given more than once")
         << '\n';
    return false;
  }
  given[k] = 1;
  std::string_view v = trimCell(e.value);
  int64_t value = 0;
  CellIssue is = v.empty() ? CellIssue::Syntax : parseCell(v, f.kind, f.enumValues, value);
  if (is != CellIssue::None) {
    std::string detail = issueText(is, lang);
    diag << err
         << (zh ? "参数" + quote(lang, name) + "：" + quote(lang, v) + "不是有效的" +
                      expectedText(f.kind, f.enumValues, lang) + (detail.empty() ? "" : "：" + detail)
                : "parameter " + quote(lang, name) + ": " + quote(lang, v) + " is not a valid " +
                      expectedText(f.kind, f.enumValues, lang) + (detail.empty() ? "" : ": " + detail))
         << '\n';
    return false;
  }
  if (value < f.minValue || value > f.maxValue) {
    diag << err
         << (zh ? "参数" + quote(lang, name) + "：" + quote(lang, v) + "超出允许的范围 " + f.rangeText
                : "parameter " + quote(lang, name) + ": " + quote(lang, v) + " is outside the allowed range " +
                      f.rangeText)
         << '\n';
    return false;
  }
  out[static_cast<size_t>(f.column)] = value;
  return true;
}

} // namespace

bool loadParams(const Program &p, const std::string &path, Lang lang, std::vector<int64_t> &out,
                std::ostream &diag) {
  bool zh = lang == Lang::Zh;
  int width = 0;
  for (const auto &f : p.params) width = std::max(width, f.column + 1);
  out.assign(static_cast<size_t>(width), 0);
  std::vector<uint8_t> given(p.params.size(), 0);
  bool ok = true;
  std::string head = path + (zh ? ": 错误: " : ": error: ");
  if (!path.empty()) {
    std::string text;
    if (!readParamText(path, head, zh, diag, text)) return false;
    std::vector<Entry> entries;
    size_t first = text.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && text[first] == '{') {
      if (!jsonEntries(text, head, zh, diag, entries)) return false;
    } else {
      ok = csvEntries(p, text, path, zh, diag, entries);
    }
    for (const Entry &e : entries) ok &= applyEntry(p, e, path, lang, diag, given, out);
  }
  for (size_t k = 0; k < p.params.size(); ++k) {
    if (given[k]) continue;
    const std::string &name = p.params[k].name;
    std::string prefix = path.empty() ? (zh ? "错误: " : "error: ") : head;
    diag << prefix
         << (zh ? "缺少参数" + quote(lang, name) + "；请在 --params 文件中给出"
                : "missing parameter " + quote(lang, name) + "; give it in a --params file")
         << '\n';
    ok = false;
  }
  return ok;
}

} // namespace rubric::runtime
