#include "runtime/scoring/Columns.h"

#include "runtime/scoring/ImportRun.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>

#include "rubric_decimal.h"
#include "runtime/scoring/Cells.h"
#include "runtime/scoring/IdRegistry.h"
#include "runtime/scoring/ImportRun.h"

namespace rubric::runtime {

// ───── Batch ─────

Batch::Batch(const Program &program, int64_t cap) : capacity(cap), program_(&program) {
  cols.reserve(program.columns.size());
  for (const ColumnDesc &c : program.columns) cols.emplace_back(c.width);
  text.resize(program.columns.size());
  slots.resize(program.slots.size());
  dens.resize(program.slots.size());
  for (size_t c = 0; c < program.columns.size(); ++c) {
    if (program.columns[c].listId < 0) cols[c].reserve(static_cast<size_t>(capacity));
  }
  for (const auto &l : program.lists) {
    if (l.offsetsColumn >= 0 && static_cast<size_t>(l.offsetsColumn) < cols.size())
      cols[static_cast<size_t>(l.offsetsColumn)].reserve(static_cast<size_t>(capacity) + 1);
  }
  clear();
}

void Batch::clear() {
  size = 0;
  for (auto &c : cols) c.clear();
  for (auto &t : text) t.clear();
  for (const auto &l : program_->lists)
    if (l.offsetsColumn >= 0) cols[static_cast<size_t>(l.offsetsColumn)].push_back(0);
  for (auto &s : slots) s.clear();
  for (auto &d : dens) d.clear();
  errors.clear();
  origins.clear();
}

void Batch::prepareSlots() {
  for (auto &s : slots) s.assign(static_cast<size_t>(size), 0);
  for (size_t s = 0; s < dens.size(); ++s)
    if (program_->slots[s].rational) dens[s].assign(static_cast<size_t>(size), 1);
  errors.assign(static_cast<size_t>(size), 0);
}

const rb_frame *Batch::frame(const int64_t *params) {
  colPtrs_.resize(cols.size());
  for (size_t c = 0; c < cols.size(); ++c) colPtrs_[c] = cols[c].data();
  slotPtrs_.resize(slots.size());
  for (size_t s = 0; s < slots.size(); ++s) slotPtrs_[s] = slots[s].data();
  frame_.cols = colPtrs_.data();
  frame_.params = params;
  frame_.slots = slotPtrs_.data();
  frame_.errors = errors.data();
  denPtrs_.resize(dens.size());
  for (size_t s = 0; s < dens.size(); ++s) denPtrs_[s] = dens[s].empty() ? nullptr : dens[s].data();
  frame_.dens = denPtrs_.data();
  return &frame_;
}

// ───── ColumnIndex ─────

ColumnIndex::ColumnIndex(const Program &p) : program(p) {
  std::vector<uint8_t> inList(p.columns.size(), 0);  // offsets and element columns
  indexLists(inList);
  indexScalars(inList);
  indexValidations();
  numberScalar.assign(p.columns.size(), 0);
  for (int c : scalarColumns) {
    auto cu = static_cast<size_t>(c);
    bool text = p.columns[cu].kind == ValueKind::Text;
    (text ? textScalars : numberScalars).push_back(c);
    numberScalar[cu] = !text;
    if (!validationsOfColumn[cu].empty()) uniqueScalars.push_back(c);
  }
}

void ColumnIndex::indexLists(std::vector<uint8_t> &inList) {
  const Program &p = program;
  lists.resize(p.lists.size());
  for (size_t l = 0; l < p.lists.size(); ++l) {
    const ListDesc &d = p.lists[l];
    ListInfo &info = lists[l];
    info.name = d.name;
    info.offsets = d.offsetsColumn;
    info.elementColumns = d.elementColumns;
    if (d.offsetsColumn >= 0) inList[static_cast<size_t>(d.offsetsColumn)] = 1;
    for (int c : d.elementColumns) {
      inList[static_cast<size_t>(c)] = 1;
      info.elementByField.emplace(p.columns[static_cast<size_t>(c)].elementField, c);
      if (p.columns[static_cast<size_t>(c)].groupKey && p.columns[static_cast<size_t>(c)].kind == ValueKind::Text)
        info.textGroupKeys.push_back(c);
    }
    info.valueList = d.elementColumns.size() == 1 && p.columns[static_cast<size_t>(d.elementColumns[0])].elementField.empty();
    listByName.emplace(normalizeHeader(d.name), static_cast<int>(l));
  }
}

void ColumnIndex::indexScalars(const std::vector<uint8_t> &inList) {
  const Program &p = program;
  for (size_t c = 0; c < p.columns.size(); ++c) {
    if (inList[c] || p.columns[c].listId >= 0) continue;
    scalarColumns.push_back(static_cast<int>(c));
    scalarByName.emplace(normalizeHeader(p.columns[c].name), static_cast<int>(c));
    if (!p.columns[c].optional) requiredColumns.push_back(static_cast<int>(c));
  }
  for (size_t f = 0; f < p.fields.size(); ++f) fieldByName.emplace(normalizeHeader(p.fields[f].name), static_cast<int>(f));
}

// validationsOfColumn: each 唯一 check on each column its fields name.
void ColumnIndex::indexValidations() {
  const Program &p = program;
  validationsOfColumn.resize(p.columns.size());
  for (size_t v = 0; v < p.validations.size(); ++v)
    for (const std::string &name : p.validations[v].uniqueFields) {
      std::vector<int> cols = columnsNamed(name);
      if (cols.empty()) unresolvedUniqueFields.push_back(name);
      for (int c : cols)
        if (c >= 0 && static_cast<size_t>(c) < p.columns.size()) {
          auto &vs = validationsOfColumn[static_cast<size_t>(c)];
          if (std::find(vs.begin(), vs.end(), static_cast<int>(v)) == vs.end()) vs.push_back(static_cast<int>(v));
        }
    }
}

// The columns a 唯一 check's name stands for: a field (every element column
// of a list, the 12 of a monthly field), a column, or 案卷.编号 / 案卷[].编号.
std::vector<int> ColumnIndex::columnsNamed(const std::string &name) const {
  const Program &p = program;
  std::vector<int> cols;
  for (const FieldDesc &f : p.fields) {
    if (f.name != name) continue;
    if (f.isList && f.listId >= 0 && static_cast<size_t>(f.listId) < p.lists.size())
      cols = p.lists[static_cast<size_t>(f.listId)].elementColumns;
    else if (f.isMonthly)
      for (int m = 0; m < 12; ++m) cols.push_back(f.column + m);
    else if (f.column >= 0)
      cols.push_back(f.column);
    break;
  }
  if (!cols.empty()) return cols;
  for (size_t c = 0; c < p.columns.size(); ++c)
    if (p.columns[c].name == name) cols.push_back(static_cast<int>(c));
  if (!cols.empty()) return cols;
  auto dot = name.find('.');
  if (dot == std::string::npos) return cols;
  std::string list = name.substr(0, dot), field = name.substr(dot + 1);
  if (list.size() > 2 && list.compare(list.size() - 2, 2, "[]") == 0) list.resize(list.size() - 2);
  if (auto it = listByName.find(normalizeHeader(list)); it != listByName.end()) {
    const ListInfo &li = lists[static_cast<size_t>(it->second)];
    if (auto e = li.elementByField.find(field); e != li.elementByField.end()) cols.push_back(e->second);
  }
  return cols;
}

std::vector<std::string> ColumnIndex::candidates(int64_t index) const {
  std::vector<std::string> out;
  for (int c : scalarColumns) out.push_back(program.columns[static_cast<size_t>(c)].name);
  std::string k = "[" + std::to_string(index) + "]";
  for (const ListInfo &l : lists) {
    if (l.valueList) {
      out.push_back(l.name + k);
      continue;
    }
    for (int c : l.elementColumns) out.push_back(l.name + k + "." + program.columns[static_cast<size_t>(c)].elementField);
  }
  return out;
}

// ───── RecordLoader ─────

namespace {

std::string quoteZh(std::string_view s) { return "“" + std::string(s) + "”"; }
std::string quoteEn(std::string_view s) { return "\"" + std::string(s) + "\""; }

// At most 60 code points, control characters shown as \xNN, for messages.
std::string clip(std::string_view s) {
  std::string shown = printable(s);
  size_t cps = 0;
  for (size_t i = 0; i < shown.size(); ++i)
    if ((static_cast<unsigned char>(shown[i]) & 0xC0) != 0x80 && ++cps > 60) return shown.substr(0, i) + "…";
  return shown;
}

// The field's header spelling with what comes after it cut off: 帮扶轮次[1].x → 帮扶轮次.
std::string baseName(const std::string &h) {
  size_t cut = h.find_first_of("[.{");
  return cut == std::string::npos ? h : h.substr(0, cut);
}

// A range for messages: "0% 至 100%", "≥ 0" / "0% to 100%", "≥ 0".
std::string rangeText(const ColumnDesc &c, Lang lang) {
  auto one = [&](int64_t v) {
    if (c.kind != ValueKind::Percent) return formatValue(v, c.kind, c.enumValues);
    int32_t err = 0;
    char buf[RB_DEC_FORMAT_CAP];
    rb_dec_format(rb_dec_mul(v, 100 * RB_DEC_ONE, &err), buf, sizeof buf);
    return std::string(buf) + "%";
  };
  if (c.maxValue == INT64_MAX) return "≥ " + one(c.minValue);
  if (c.minValue == INT64_MIN) return "≤ " + one(c.maxValue);
  return one(c.minValue) + (lang == Lang::Zh ? " 至 " : " to ") + one(c.maxValue);
}

// 999990 → "999,990" (zh and en alike).
std::string grouped(size_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// The index in "name[12]…" or "name[12]": returns the index and where the rest starts.
bool parseIndex(const std::string &h, size_t open, int64_t &index, size_t &rest) {
  size_t close = h.find(']', open);
  if (close == std::string::npos || close == open + 1) return false;
  int64_t v = 0;
  auto [p, ec] = std::from_chars(h.data() + open + 1, h.data() + close, v);
  if (ec != std::errc() || p != h.data() + close) return false;
  index = v;
  rest = close + 1;
  return true;
}

} // namespace

RecordLoader::RecordLoader(const ColumnIndex &index, std::string fileName, int32_t source, Lang lang, IdRegistry *ids)
    : index_(index), program_(index.program), file_(std::move(fileName)), source_(source), lang_(lang), ids_(ids) {
  size_t n = program_.columns.size();
  headerOfColumn_.assign(n, -1);
  scalarSet_.assign(n, 0);
  buildPlan();  // no header yet: every scalar column reads its default
  listLen_.assign(index.lists.size(), 0);
  listFitted_.assign(index.lists.size(), 0);
  elementsFilled_.assign(index.lists.size(), 0);
  for (const auto &list : index.lists)
    requiredFields_.push_back(std::count_if(list.elementColumns.begin(), list.elementColumns.end(), [&](int c) {
      return program_.columns[static_cast<size_t>(c)].defaultValue != kNoValue;
    }));
  elemVal_.resize(n);
  elemText_.resize(n);
}

RecordLoader::Binding RecordLoader::classify(const std::string &raw) const {
  Binding b;
  std::string h = normalizeHeader(raw);
  if (h.empty()) {
    b.kind = BindKind::EmptyHeader;
    return b;
  }
  if (auto it = index_.scalarByName.find(h); it != index_.scalarByName.end()) {
    b.kind = BindKind::Scalar;
    b.column = it->second;
    return b;
  }
  if (auto it = index_.listByName.find(h); it != index_.listByName.end()) {
    b.kind = BindKind::ListName;
    b.list = it->second;
    return b;
  }
  size_t open = h.find('[');
  if (open == std::string::npos) return b;
  std::string base = h.substr(0, open);
  auto lit = index_.listByName.find(base);
  if (h.compare(open, std::string::npos, "[#]") == 0) {
    if (lit == index_.listByName.end()) {
      auto f = index_.fieldByName.find(base);  // a monthly field's array, or one where a single value belongs
      b.kind = f == index_.fieldByName.end() ? BindKind::Ignore : BindKind::ArrayLength;  // (an unknown list's cells say more)
      if (f != index_.fieldByName.end()) b.column = f->second;  // the field
      return b;
    }
    b.kind = BindKind::Length;
    b.list = lit->second;
    return b;
  }
  if (lit == index_.listByName.end()) return b;
  const ColumnIndex::ListInfo &list = index_.lists[static_cast<size_t>(lit->second)];
  int64_t k;
  size_t rest;
  if (!parseIndex(h, open, k, rest) || k < 1 || k > kMaxListLength) return b;
  std::string tail = h.substr(rest);
  int column = -1;
  if (list.valueList) {
    if (tail.empty() || tail == ".值") column = list.elementColumns[0];
  } else if (tail.size() > 1 && tail[0] == '.') {
    if (auto e = list.elementByField.find(tail.substr(1)); e != list.elementByField.end()) column = e->second;
  }
  if (column < 0) return b;
  b.kind = BindKind::Element;
  b.list = lit->second;
  b.column = column;
  b.index = k;
  return b;
}

// An element's place in the row scratch, its default there until a row writes it.
void RecordLoader::placeElement(Binding &b) {
  auto c = static_cast<size_t>(b.column);
  b.again = !elementsBound_.insert(static_cast<uint64_t>(c) << 32 | static_cast<uint64_t>(b.index)).second;
  auto need = static_cast<size_t>(b.index);
  if (program_.columns[c].kind == ValueKind::Text && elemText_[c].size() < need) elemText_[c].resize(need);
  if (elemVal_[c].size() < need) elemVal_[c].resize(need, program_.columns[c].defaultValue);
}

bool RecordLoader::bind(const std::vector<std::string> &headers, bool complete, std::vector<std::string> &messages) {
  bool zh = lang_ == Lang::Zh;
  sparse_ = !complete;
  size_t unknownNotShown = 0;
  for (size_t i = bindings_.size(); i < headers.size(); ++i) {
    Binding b = classify(headers[i]);
    std::string shown = printable(trimCell(headers[i]));
    headerText_.push_back(shown);
    if (b.kind == BindKind::ArrayLength && complete) b.kind = BindKind::Ignore;  // a CSV column 月报[#]: as before
    if (b.kind == BindKind::Unknown) {
      if (auto f = index_.fieldByName.find(baseName(normalizeHeader(headers[i]))); f != index_.fieldByName.end()) {
        b.kind = BindKind::WrongShape;
        b.column = f->second;  // the field
      }
    }
    if (b.kind == BindKind::Scalar) {
      int &first = headerOfColumn_[static_cast<size_t>(b.column)];
      if (first >= 0) {
        messages.push_back(zh ? file_ + ": 警告: 列" + quoteZh(shown) + "出现了不止一次，只使用第一次出现的那一列"
                              : file_ + ": warning: column " + quoteEn(shown) +
                                    " appears more than once; only the first is used");
        b.kind = BindKind::Ignore;
      } else {
        first = static_cast<int>(i);
        if (isTextId(b.column)) idHeader_ = first;
      }
    } else if (b.kind == BindKind::Unknown && ++unknownColumns_ > kUnknownColumnsShown) {
      ++unknownNotShown;  // said once, below: a file with a million stray columns gets one line
    } else if (b.kind == BindKind::Unknown) {
      std::string h = normalizeHeader(headers[i]);
      int64_t k = 1;
      if (size_t open = h.find('['); open != std::string::npos) {
        size_t rest;
        int64_t v;
        if (parseIndex(h, open, v, rest) && v >= 1 && v <= kMaxListLength) k = v;
      }
      auto s = suggest(h, index_.candidates(k));
      std::string msg = zh ? file_ + ": 警告: 未知的列" + quoteZh(shown) + "，已忽略"
                           : file_ + ": warning: unknown column " + quoteEn(shown) + " ignored";
      if (s) msg += zh ? "（您是否想写" + quoteZh(*s) + "？）" : " (did you mean " + quoteEn(*s) + "?)";
      messages.push_back(std::move(msg));
    } else if (b.kind == BindKind::WrongShape && complete) {
      messages.push_back(zh ? file_ + ": 错误: 列" + quoteZh(shown) + "不是字段的有效写法：" + shapeText(b.column)
                            : file_ + ": error: column " + quoteEn(shown) + " is not a valid form of its field: " +
                                  shapeText(b.column));
    }
    if (b.kind == BindKind::Element) placeElement(b);
    bindings_.push_back(b);
  }
  if (unknownNotShown > 0)
    messages.push_back(zh ? file_ + ": 警告: … 以及另外 " + grouped(unknownNotShown) + " 个未知列，均已忽略"
                          : file_ + ": warning: … and " + grouped(unknownNotShown) + " more unknown columns, all ignored");
  buildPlan();
  if (!complete || headers.empty()) return true;  // no header at all: an empty file, no rows
  return headerMatches(messages);
}

// What parseRow does with each bound cell, and which scalar columns no header feeds.
void RecordLoader::buildPlan() {
  plan_.clear();
  for (size_t i = 0; i < bindings_.size(); ++i) {
    const Binding &b = bindings_[i];
    if (b.kind == BindKind::Unknown || b.kind == BindKind::Ignore) continue;
    CellStep s{static_cast<uint32_t>(i), b.kind, ValueKind::Text};
    if (b.kind == BindKind::Scalar || b.kind == BindKind::Element) {
      const ColumnDesc &d = program_.columns[static_cast<size_t>(b.column)];
      s.value = d.kind;
      s.again = b.again;
      s.unique = b.kind == BindKind::Element && !index_.validationsOfColumn[static_cast<size_t>(b.column)].empty();
      s.column = b.column;
      s.list = b.list;
      s.index = b.index;
      s.minValue = d.minValue;
      s.maxValue = d.maxValue;
      s.defaultValue = d.defaultValue;
      s.desc = &d;
    }
    plan_.push_back(s);
  }
  unboundNumbers_.clear();
  unboundTexts_.clear();
  for (int c : index_.numberScalars)
    if (headerOfColumn_[static_cast<size_t>(c)] < 0) unboundNumbers_.push_back(c);
  for (int c : index_.textScalars)
    if (headerOfColumn_[static_cast<size_t>(c)] < 0) unboundTexts_.push_back(c);
}

// The row's place in the scalar columns no header feeds: their defaults.
void RecordLoader::openRow(Batch &batch) {
  for (int c : unboundNumbers_) {
    auto cu = static_cast<size_t>(c);
    batch.cols[cu].push_back(program_.columns[cu].defaultValue);
    scalarSet_[cu] = 0;
  }
  for (int c : unboundTexts_) {
    auto cu = static_cast<size_t>(c);
    batch.cols[cu].push_back(batch.size);
    batch.text[cu].emplace_back();
    scalarSet_[cu] = 0;
  }
}

// A refused row's scalars taken back out of the batch (none there: nothing to do).
void RecordLoader::dropRow(Batch &batch) const {
  auto n = static_cast<size_t>(batch.size);
  for (int c : index_.numberScalars) batch.cols[static_cast<size_t>(c)].resize(n);
  for (int c : index_.textScalars) {
    batch.cols[static_cast<size_t>(c)].resize(n);
    batch.text[static_cast<size_t>(c)].resize(n);
  }
}

// A complete header: no column of the wrong shape and every required column present
// (each missing one named, with a guess among the unknown columns).
bool RecordLoader::headerMatches(std::vector<std::string> &messages) const {
  bool zh = lang_ == Lang::Zh;
  bool ok = true;
  for (const Binding &b : bindings_) ok &= b.kind != BindKind::WrongShape;
  std::vector<std::string> unknown;
  for (size_t i = 0; i < bindings_.size(); ++i)
    if (bindings_[i].kind == BindKind::Unknown) unknown.push_back(headerText_[i]);
  for (const FieldDesc &f : program_.fields) {
    if (f.isList || f.column < 0) continue;
    std::vector<std::string> missing;
    for (int m = 0; m < (f.isMonthly ? 12 : 1); ++m) {
      auto c = static_cast<size_t>(f.column + m);
      if (!program_.columns[c].optional && headerOfColumn_[c] < 0) missing.push_back(program_.columns[c].name);
    }
    if (missing.empty()) continue;
    ok = false;
    std::string names = missing.size() == 12 ? f.name + "[1]…" + f.name + "[12]" : missing[0];
    for (size_t k = 1; k < missing.size() && missing.size() < 12; ++k) names += (zh ? "、" : ", ") + missing[k];
    std::string msg = zh ? file_ + ": 错误: 缺少必填的列" + quoteZh(names)
                         : file_ + ": error: required column " + quoteEn(names) + " is missing";
    if (auto s = suggest(missing[0], unknown))
      msg += zh ? "（表头中的" + quoteZh(*s) + "是否就是它？）" : " (is " + quoteEn(*s) + " in the header meant to be it?)";
    msg += zh ? "；请补上这一列（字段声明了“缺省”才可以不写）"
              : "; add the column (only a field declared with a default may be left out)";
    messages.push_back(std::move(msg));
  }
  if (!ok)
    messages.push_back(zh ? file_ + ": 错误: 该文件的列与细则不符，没有评分任何一行"
                          : file_ + ": error: the columns of this file do not match the rubric; no row was scored");
  return ok;
}

// How a field is written, for a header or key of the wrong shape.
std::string RecordLoader::shapeText(int field) const {
  bool zh = lang_ == Lang::Zh;
  const FieldDesc &f = program_.fields[static_cast<size_t>(field)];
  if (f.isMonthly)
    return zh ? "月度字段" + quoteZh(f.name) + "写作 " + f.name + "[1]…" + f.name + "[12] 十二列（JSON Lines 中为 12 个值的数组）"
              : "monthly field " + quoteEn(f.name) + " is written as 12 columns " + f.name + "[1]…" + f.name +
                    "[12] (an array of 12 values in JSON Lines)";
  if (f.isList) {
    const auto &list = index_.lists[static_cast<size_t>(f.listId)];
    std::string example = list.valueList ? f.name + "[1]"
                                         : f.name + "[1]." + program_.columns[static_cast<size_t>(list.elementColumns.at(0))].elementField;
    return zh ? "列表" + quoteZh(f.name) + "写作" + quoteZh(example) + "这样的列（JSON Lines 中为数组），序号不超过 " +
                    std::to_string(kMaxListLength)
              : "list " + quoteEn(f.name) + " is written as columns like " + quoteEn(example) +
                    " (an array in JSON Lines), indices up to " + std::to_string(kMaxListLength);
  }
  return zh ? "字段" + quoteZh(f.name) + "是单个值，写在名为" + quoteZh(f.name) + "的一列（JSON Lines 中不能是数组或对象）"
            : "field " + quoteEn(f.name) + " is a single value in the column " + quoteEn(f.name) +
                  " (not an array or object in JSON Lines)";
}

std::string RecordLoader::cellError(const records::Row &row, size_t cell, std::string_view text, const ColumnDesc &c,
                                    int issue) const {
  bool zh = lang_ == Lang::Zh;
  std::string where = file_ + ":" + std::to_string(row.number) + ": ";
  const std::string &header = cell < headerText_.size() ? headerText_[cell] : c.name;
  std::string detail = issueText(static_cast<CellIssue>(issue), lang_);
  if (zh)
    return where + "错误: 列" + quoteZh(header) + "：" + quoteZh(clip(text)) + "不是有效的" +
           expectedText(c.kind, c.enumValues, lang_) + (detail.empty() ? "" : "：" + detail) + "；该行未评分";
  return where + "error: column " + quoteEn(header) + ": " + quoteEn(clip(text)) + " is not a valid " +
         expectedText(c.kind, c.enumValues, lang_) + (detail.empty() ? "" : ": " + detail) + "; row not scored";
}

bool RecordLoader::load(const records::Row &row, Batch &batch, std::vector<std::string> &messages) {
  bool bytesOk = true;
  bool fine = parseRow(row, batch, messages, bytesOk);
  // The identifier is claimed even by a row rejected for another reason: two
  // rows of one candidate are an error whichever of them is fixed first.
  if (!bytesOk || !claimId(row, idToClaim(batch, fine), fine, messages) || !fine) {
    dropRow(batch);
    return false;
  }
  commit(row, batch);
  return true;
}

bool RecordLoader::loadUnclaimed(const records::Row &row, Batch &batch, std::vector<std::string> &messages,
                                 std::string &id) {
  bool bytesOk = true;
  bool fine = parseRow(row, batch, messages, bytesOk);
  id = bytesOk ? idToClaim(batch, fine) : std::string();
  if (fine) commit(row, batch);
  else dropRow(batch);
  return fine;
}

RecordLoader RecordLoader::workerCopy() const {
  RecordLoader copy(*this);
  copy.ids_ = nullptr;
  copy.warnEveryRow_ = true;
  return copy;
}

bool RecordLoader::firstEmptyHeaderWarning() {
  if (warnedEmptyHeader_) return false;
  return warnedEmptyHeader_ = true;
}

// The row's scalar cells onto the end of the batch's columns, its list
// elements into the scratch (elemVal_, …). False when a cell is bad (said in
// messages; the caller then drops the row); bytesOk false when a cell is not
// UTF-8 text (nothing is in the batch then). Messages come in the order of
// the columns, then the required fields', then the list elements'.
bool RecordLoader::parseRow(const records::Row &row, Batch &batch, std::vector<std::string> &messages, bool &bytesOk) {
  size_t before = messages.size(), warnings = 0;
  unique_.clear();
  inRecord_.clear();
  recordDuplicates_.clear();
  warningAt_ = std::string::npos;
  bytesOk = row.textChecked || checkBytes(row, messages);  // a CSV reader checked its buffers whole
  if (!bytesOk) return false;
  prefetchId(row);
  std::fill(listLen_.begin(), listLen_.end(), 0);
  std::fill(elementsFilled_.begin(), elementsFilled_.end(), 0);
  uniqueElemCells_.clear();
  elementMessages_.clear();
  if (!shapeFields_.empty()) shapeFields_.clear();
  openRow(batch);
  for (const CellStep &s : plan_) {  // every bound place written, even past a short row's end
    switch (s.kind) {
    case BindKind::Scalar: scalarCell(row, trimCell(row.cell(s.cell)), s, batch, messages); break;
    case BindKind::Element: {
      std::string_view cell = row.cell(s.cell);
      if (!cell.empty()) cell = trimCell(cell);  // (an empty cell, the commonest, without the call GCC makes of it)
      if (!cell.empty()) elementCell(row, cell, s);
      else if (!s.again) clearElement(s);  // most element cells of most rows: inline, no call
      break;
    }
    default:
      if (s.cell < row.cells.size()) warnings += otherCell(row, s.cell, bindings_[s.cell], messages);
    }
  }
  if (row.cells.size() > bindings_.size()) warnings += cellPastHeader(row, messages);
  checkRequired(row, messages);
  countBlankElements(row);
  fitLists();
  checkGroupKeys(row, messages);
  for (std::string &m : elementMessages_) messages.push_back(std::move(m));
  if (imports_) fillImports(row, batch, messages);
  return messages.size() - before == warnings;
}

// The identifier's slot in the registry's table, fetched while the row's other
// cells are parsed: claimId's lookup would otherwise wait for memory. Text
// identifiers only (others are claimed in their canonical spelling).
void RecordLoader::prefetchId(const records::Row &row) const {
  if (!ids_ || idHeader_ < 0) return;
  ids_->prefetch(trimCell(row.cell(static_cast<size_t>(idHeader_))));
}

void RecordLoader::fillImports(const records::Row &row, Batch &batch, std::vector<std::string> &messages) {
  for (const ImportTable &t : *imports_) {
    const std::string &key = batch.text[static_cast<size_t>(t.matchColumn)].back();  // a Text column (ImportRun.cpp)
    const std::vector<int64_t> *values = t.find(key);
    if (!values) {
      std::string zh = unmatchedImportText(t, key, headerOf(t.matchColumn), true);
      std::string en = unmatchedImportText(t, key, headerOf(t.matchColumn), false);
      messages.push_back(rowError(row, zh, en));
      continue;
    }
    for (size_t k = 0; k < t.columns.size(); ++k) {
      auto c = static_cast<size_t>(t.columns[k]);
      if (index_.numberScalar[c]) batch.cols[c].setBack((*values)[k]);  // the row's place (openRow, parseRow)
      scalarSet_[c] = 1;
    }
  }
}

// A cell bound to neither a field nor an element: a header of the wrong
// shape, a list's [#] length, a list in one cell, no header. Returns 1 when
// it said a warning (not an error).
size_t RecordLoader::otherCell(const records::Row &row, size_t i, const Binding &b, std::vector<std::string> &messages) {
  if (b.kind == BindKind::WrongShape) {
    bool present = sparse_ ? i < row.present.size() && row.present[i] : !trimCell(row.cells[i]).empty();
    if (present) {
      messages.push_back(rowError(row, "列" + quoteZh(headerText_[i]) + "不是字段的有效写法：" + shapeText(b.column),
                                  "column " + quoteEn(headerText_[i]) + " is not a valid form of its field: " +
                                      shapeText(b.column)));
      shapeFields_.push_back(b.column);
    }
    return 0;
  }
  std::string_view cell = trimCell(row.cells[i]);
  if (cell.empty()) return 0;
  switch (b.kind) {
  case BindKind::Length: lengthCell(row, cell, b, messages); return 0;
  case BindKind::ArrayLength: arrayLengthCell(row, cell, b, messages); return 0;
  case BindKind::ListName: messages.push_back(listInOneCellError(row, i, b)); return 0;
  case BindKind::EmptyHeader: return emptyHeaderWarning(row, i, messages);
  default: return 0;
  }
}

// The count of a JSON array given for a field that is not a list: a monthly
// field's must be 12 (more: 月报[13] says so); [] where one value belongs says
// so (one value or more: 件数甲[1] does). Not also "missing key" (shapeSaid).
void RecordLoader::arrayLengthCell(const records::Row &row, std::string_view cell, const Binding &b,
                                   std::vector<std::string> &messages) {
  const FieldDesc &f = program_.fields[static_cast<size_t>(b.column)];
  std::string n(cell);
  if (f.isMonthly ? std::strtoll(n.c_str(), nullptr, 10) >= 12 : n != "0") return;
  std::string zh = f.isMonthly ? "键" + quoteZh(f.name) + "的数组有 " + n + " 个值：" : "键" + quoteZh(f.name) + "是空数组 []：";
  std::string en = f.isMonthly ? "key " + quoteEn(f.name) + " is an array of " + n + " values: "
                               : "key " + quoteEn(f.name) + " is an empty array []: ";
  messages.push_back(rowError(row, zh + shapeText(b.column), en + shapeText(b.column)));
  shapeFields_.push_back(b.column);
}

// A required column of a field this row gave in a wrong shape (said).
bool RecordLoader::shapeSaid(int column) const {
  for (int field : shapeFields_) {
    const FieldDesc &f = program_.fields[static_cast<size_t>(field)];
    if (f.column >= 0 && column >= f.column && column < f.column + (f.isMonthly ? 12 : 1)) return true;
  }
  return false;
}

// One cell's value and its range; false (said in messages) when it is not one.
[[gnu::always_inline]] inline bool RecordLoader::cellValue(const records::Row &row, std::string_view cell,
                                                           const CellStep &s, int64_t &v,
                                                           std::vector<std::string> &messages) const {
  if (parsePlainCell(cell, s.value, s.desc->enumValues, v) && v >= s.minValue && v <= s.maxValue) return true;
  return otherCellValue(row, cell, s, v, messages);
}

// cellValue's uncommon cells, out of line: full-width, separators, other
// spellings, bad cells and values out of range.
bool RecordLoader::otherCellValue(const records::Row &row, std::string_view cell, const CellStep &s, int64_t &v,
                                  std::vector<std::string> &messages) const {
  const ColumnDesc &d = *s.desc;
  if (CellIssue is = parseCell(cell, s.value, d.enumValues, v); is != CellIssue::None) {
    messages.push_back(cellError(row, s.cell, cell, d, static_cast<int>(is)));
    return false;
  }
  if (v >= s.minValue && v <= s.maxValue) return true;
  messages.push_back(rangeError(row, s.cell, cell, d));
  return false;
}

// A field's cell, straight onto the end of its batch column; empty: the
// default, not set (checkRequired counts it). Always inlined into parseRow's
// loop (GCC kept it out of line, a call with six arguments per cell); a text
// cell's string copy is a call of its own.
[[gnu::always_inline]] inline void RecordLoader::scalarCell(const records::Row &row, std::string_view cell,
                                                            const CellStep &s, Batch &batch,
                                                            std::vector<std::string> &messages) {
  auto c = static_cast<size_t>(s.column);
  scalarSet_[c] = !cell.empty();  // a bad value is reported as such, not as missing
  if (s.value == ValueKind::Text) return textScalarCell(cell, c, batch);
  int64_t v;
  if (cell.empty() || !cellValue(row, cell, s, v, messages)) v = s.defaultValue;
  batch.cols[c].push_back(v);
}

void RecordLoader::textScalarCell(std::string_view cell, size_t column, Batch &batch) {
  batch.cols[column].push_back(batch.size);
  batch.text[column].emplace_back(cell);
}

// A list element's empty cell (not fed by an earlier header too): its place holds the default.
inline void RecordLoader::clearElement(const CellStep &s) {
  auto c = static_cast<size_t>(s.column);
  auto k = static_cast<size_t>(s.index - 1);
  if (s.value == ValueKind::Text) elemText_[c][k].clear();
  else elemVal_[c][k] = s.defaultValue;
}

// A list element's non-empty cell (its place sized by bind): the list is at
// least that long. Its messages wait in elementMessages_. Always inlined
// into parseRow's loop, as scalarCell is.
[[gnu::always_inline]] inline void RecordLoader::elementCell(const records::Row &row, std::string_view cell, const CellStep &s) {
  auto c = static_cast<size_t>(s.column);
  auto k = static_cast<size_t>(s.index - 1);
  if (s.value == ValueKind::Text) elemText_[c][k].assign(cell);
  else elemVal_[c][k] = s.defaultValue;
  auto &len = listLen_[static_cast<size_t>(s.list)];
  len = std::max(len, s.index);
  elementsFilled_[static_cast<size_t>(s.list)] += s.defaultValue != kNoValue;
  if (s.unique) uniqueElemCells_.push_back({s.index, s.column, s.cell});
  if (int64_t v; s.value != ValueKind::Text && cellValue(row, cell, s, v, elementMessages_)) elemVal_[c][k] = v;
}

// The blank cells of required fields in the row's list elements (up to the
// list's length: the elements it has), counted with checkRequired's blank
// scalars: they too are read as the field's empty value. The first is named
// by its place (帮扶轮次[1].发现问题).
void RecordLoader::countBlankElements(const records::Row &row) const {
  firstBlankElement_.clear();
  for (size_t l = 0; l < index_.lists.size(); ++l) {
    int64_t blanks = listLen_[l] * requiredFields_[l] - elementsFilled_[l];
    if (blanks <= 0) continue;
    if (blankCells_ == 0) firstBlankElement_ = firstBlankPlace(row, l);
    blankCells_ += static_cast<int>(blanks);
  }
}

// The first place of list l, within its length, whose required field is blank
// (a cell of the row, or a key its element does not have).
std::string RecordLoader::firstBlankPlace(const records::Row &row, size_t l) const {
  const auto &list = index_.lists[l];
  for (int64_t k = 1; k <= listLen_[l]; ++k)
    for (int c : list.elementColumns) {
      const ColumnDesc &d = program_.columns[static_cast<size_t>(c)];
      if (d.defaultValue == kNoValue) continue;
      auto filled = std::find_if(plan_.begin(), plan_.end(), [&](const CellStep &s) {
        return s.kind == BindKind::Element && s.column == c && s.index == k && !trimCell(row.cell(s.cell)).empty();
      });
      if (filled == plan_.end())
        return list.valueList ? list.name + "[" + std::to_string(k) + "]"
                              : list.name + "[" + std::to_string(k) + "]." + d.elementField;
    }
  return list.name;
}

// A list longer than its bound elements (a [#] length): the places past them hold defaults.
void RecordLoader::fitLists() {
  for (size_t l = 0; l < index_.lists.size(); ++l) {
    auto len = static_cast<size_t>(listLen_[l]);
    if (len <= static_cast<size_t>(listFitted_[l])) continue;  // the places exist: most rows
    listFitted_[l] = listLen_[l];
    for (int c : index_.lists[l].elementColumns) {
      auto cu = static_cast<size_t>(c);
      const ColumnDesc &d = program_.columns[cu];
      if (d.kind == ValueKind::Text && elemText_[cu].size() < len) elemText_[cu].resize(len);
      if (elemVal_[cu].size() < len) elemVal_[cu].resize(len, d.defaultValue);
    }
  }
}

// Every element of a list grouped by a text field (按 姓名) names its group:
// a blank key would merge unnamed elements into one group, so the row is refused.
void RecordLoader::checkGroupKeys(const records::Row &row, std::vector<std::string> &messages) const {
  for (size_t l = 0; l < index_.lists.size(); ++l)
    for (int c : index_.lists[l].textGroupKeys) {
      const ColumnDesc &d = program_.columns[static_cast<size_t>(c)];
      for (int64_t k = 0; k < listLen_[l]; ++k) {
        if (!elemText_[static_cast<size_t>(c)][static_cast<size_t>(k)].empty()) continue;
        std::string place = index_.lists[l].name + "[" + std::to_string(k + 1) + "]." + d.elementField;
        messages.push_back(rowError(
            row, "列" + quoteZh(place) + "为空：列表按" + quoteZh(d.elementField) + "分组，每个元素都须填写" + d.elementField,
            "column " + quoteEn(place) + " is blank: the list is grouped by " + quoteEn(d.elementField) +
                ", so every element needs one"));
      }
    }
}

// A list's length column (JSON Lines arrays): its element count, within the limit.
void RecordLoader::lengthCell(const records::Row &row, std::string_view cell, const Binding &b,
                              std::vector<std::string> &messages) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
  if (ec != std::errc() || p != cell.data() + cell.size() || v < 0) return;
  auto l = static_cast<size_t>(b.list);
  if (v <= kMaxListLength) {
    listLen_[l] = std::max(listLen_[l], v);
    return;
  }
  const std::string &name = index_.lists[l].name;
  messages.push_back(lang_ == Lang::Zh
                         ? file_ + ":" + std::to_string(row.number) + ": 错误: 列表" + quoteZh(name) + "有 " +
                               std::to_string(v) + " 个元素，超过上限 " + std::to_string(kMaxListLength) + "；该行未评分"
                         : file_ + ":" + std::to_string(row.number) + ": error: list " + quoteEn(name) + " has " +
                               std::to_string(v) + " elements, more than the limit of " +
                               std::to_string(kMaxListLength) + "; row not scored");
}

std::string RecordLoader::listInOneCellError(const records::Row &row, size_t i, const Binding &b) const {
  const auto &list = index_.lists[static_cast<size_t>(b.list)];
  std::string example = list.valueList ? list.name + "[1]"
                                       : list.name + "[1]." +
                                             program_.columns[static_cast<size_t>(list.elementColumns.at(0))].elementField;
  return lang_ == Lang::Zh ? file_ + ":" + std::to_string(row.number) + ": 错误: 列" + quoteZh(headerText_[i]) +
                                 "是列表，不能写在一个单元格里；请用" + quoteZh(example) + "这样的列（JSON Lines 中用数组）；该行未评分"
                           : file_ + ":" + std::to_string(row.number) + ": error: column " + quoteEn(headerText_[i]) +
                                 " is a list and cannot be one cell; use columns like " + quoteEn(example) +
                                 " (an array in JSON Lines); row not scored";
}

// A value under an empty header: a warning, said once per file (every row in
// a worker's copy, which the commit thins out). 1 when said.
size_t RecordLoader::emptyHeaderWarning(const records::Row &row, size_t i, std::vector<std::string> &messages) {
  if (warnedEmptyHeader_ && !warnEveryRow_) return 0;
  warnedEmptyHeader_ = true;
  warningAt_ = messages.size();
  std::string where = file_ + ":" + std::to_string(row.number) + ": ";
  messages.push_back(lang_ == Lang::Zh ? where + "警告: 第 " + std::to_string(i + 1) + " 列没有表头，其中的值已忽略"
                                       : where + "warning: column " + std::to_string(i + 1) +
                                             " has no header; its values are ignored");
  return 1;
}

// XLSX: a value in a column past the header's last is a column without a
// header (CSV rejects such a row: there, a stray comma shifts the row).
size_t RecordLoader::cellPastHeader(const records::Row &row, std::vector<std::string> &messages) {
  for (size_t i = bindings_.size(); i < row.cells.size(); ++i)
    if (!trimCell(row.cells[i]).empty()) return emptyHeaderWarning(row, i, messages);
  return 0;
}

// The parsed row appended to the batch, and its values that must be unique.
void RecordLoader::commit(const records::Row &row, Batch &batch) {
  commitLists(batch);  // the scalars are in the batch already (parseRow)
  batch.origins.push_back({source_, row.number});
  ++batch.size;
  if (!program_.validations.empty()) noteUniqueValues(row, batch);
}

void RecordLoader::commitLists(Batch &batch) {
  for (size_t l = 0; l < index_.lists.size(); ++l) {
    const auto &list = index_.lists[l];
    auto len = listLen_[l];
    if (list.offsets >= 0) {
      auto &off = batch.cols[static_cast<size_t>(list.offsets)].ints();
      off.push_back(off.back() + len);
    }
    if (len == 0) continue;
    for (int c : list.elementColumns) {
      auto cu = static_cast<size_t>(c);
      auto &col = batch.cols[cu];
      if (col.width() == 1) {
        col.bytes().insert(col.bytes().end(), elemVal_[cu].begin(), elemVal_[cu].begin() + len);
        continue;
      }
      if (program_.columns[cu].kind != ValueKind::Text) {
        col.ints().insert(col.ints().end(), elemVal_[cu].begin(), elemVal_[cu].begin() + len);
        continue;
      }
      const int64_t first = static_cast<int64_t>(col.size());
      for (int64_t k = 0; k < len; ++k)
        col.push_back(program_.columns[cu].groupKey ? first + firstEqualText(elemText_[cu], k) : first + k);
      for (int64_t k = 0; k < len; ++k) {
        std::string &text = elemText_[cu][static_cast<size_t>(k)];
        batch.text[cu].push_back(std::move(text));
        text.clear();  // a place no header feeds stays empty
      }
    }
  }
}

// The place of the first of texts[0..k] equal to texts[k] (cells are trimmed
// when read): equal group keys get one index (Columns.h, ColumnDesc::groupKey).
int64_t RecordLoader::firstEqualText(const std::vector<std::string> &texts, int64_t k) {
  int64_t j = 0;
  while (texts[static_cast<size_t>(j)] != texts[static_cast<size_t>(k)]) ++j;
  return j;
}

// The committed row's values of fields with 唯一 checks: across records
// (unique_, checked by the caller) or within this one (noteInRecord).
void RecordLoader::noteUniqueValues(const records::Row &row, const Batch &batch) {
  const auto &columns = program_.columns;
  auto add = [&](size_t c, int64_t value, const std::string *textValue, const std::string &header) {
    for (int v : index_.validationsOfColumn[c]) {
      const ColumnDesc &d = columns[c];
      std::string canon = textValue ? *textValue : formatValue(value, d.kind, d.enumValues);
      if (canon.empty()) continue;
      if (program_.validations[static_cast<size_t>(v)].withinRecord) {
        noteInRecord(v, std::move(canon), header);
        continue;
      }
      bool dup = false;
      for (const auto &u : unique_) dup |= (u.validation == v && u.value == canon);
      if (!dup) unique_.push_back({v, std::move(canon), header});
    }
  };
  for (int c : index_.uniqueScalars) {
    auto cu = static_cast<size_t>(c);
    if (!scalarSet_[cu]) continue;
    const std::string &header = headerOf(c);
    if (columns[cu].kind == ValueKind::Text) add(cu, 0, &batch.text[cu].back(), header);
    else add(cu, batch.cols[cu].back(), nullptr, header);
  }
  for (const ElemCell &e : uniqueElemCells_) {
    auto cu = static_cast<size_t>(e.column);
    std::string t(trimCell(row.cells[e.cell]));
    if (columns[cu].kind == ValueKind::Text) add(cu, 0, &t, headerText_[e.cell]);
    else add(cu, elemVal_[cu][static_cast<size_t>(e.index - 1)], nullptr, headerText_[e.cell]);
  }
}

// A within-record 唯一 value: a repeat of one already seen in this row is a duplicate.
void RecordLoader::noteInRecord(int validation, std::string value, const std::string &header) {
  for (const auto &u : inRecord_)
    if (u.validation == validation && u.value == value) {
      recordDuplicates_.push_back({validation, std::move(value), header, u.header});
      return;
    }
  inRecord_.push_back({validation, std::move(value), header});
}

// ───── the records contract, one row ─────

std::string RecordLoader::rowError(const records::Row &row, const std::string &zh, const std::string &en) const {
  std::string where = file_ + ":" + std::to_string(row.number) + ": ";
  return lang_ == Lang::Zh ? where + "错误: " + zh + "；该行未评分" : where + "error: " + en + "; row not scored";
}

const std::string &RecordLoader::firstBlankHeader() const {
  static const std::string none;
  if (blankCells_ == 0) return none;
  return firstBlankElement_.empty() ? headerOf(firstBlankColumn_) : firstBlankElement_;
}

const std::string &RecordLoader::headerOf(int column) const {
  int h = headerOfColumn_[static_cast<size_t>(column)];
  return h >= 0 ? headerText_[static_cast<size_t>(h)] : program_.columns[static_cast<size_t>(column)].name;
}

// Every cell, bound to a field or not, must be UTF-8 text without NUL: a row
// of GBK bytes in a UTF-8 file, or a stray binary cell, is refused here, so
// nothing invalid reaches an output or a message.
bool RecordLoader::checkBytes(const records::Row &row, std::vector<std::string> &messages) const {
  bool ok = true;
  for (size_t i = 0; i < row.cells.size(); ++i) {
    std::string_view cell = row.cells[i];
    unsigned plain = 1;  // the common case, decided inline: ASCII without NUL
    for (unsigned char ch : cell) plain &= static_cast<unsigned>(ch - 1u < 0x7Fu);
    if (plain) continue;
    size_t bad = records::firstBadTextByte(cell);
    if (bad == std::string::npos) continue;
    ok = false;
    std::string header = i < headerText_.size() ? headerText_[i] : std::to_string(i + 1);
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(row.cells[i][bad]));
    if (fromGb18030_ && row.cells[i][bad] != '\0') {
      messages.push_back(badGb18030Text(row, header, cell.substr(0, bad), hex));
      continue;
    }
    messages.push_back(rowError(
        row,
        "列" + quoteZh(header) + "的第 " + std::to_string(bad + 1) + " 个字节（" + hex +
            "）不是有效的 UTF-8 文本" + (row.cells[i][bad] == '\0' ? "（NUL 字节）" : "") +
            "；文件的这一部分可能是另一种编码（如 GBK），请整个文件另存为 UTF-8，或用 --encoding 指明编码",
        "column " + quoteEn(header) + ": byte " + std::to_string(bad + 1) + " (" + hex + ") is not valid UTF-8 text" +
            (row.cells[i][bad] == '\0' ? " (a NUL byte)" : "") +
            "; this part of the file may be in another encoding (such as GBK): save the whole file as UTF-8, "
            "or name its encoding with --encoding"));
  }
  return ok;
}

// A byte passed through undecoded by gb18030Source, after `before` (decoded
// text): named by the character it stands at, which is what a reader counts.
std::string RecordLoader::badGb18030Text(const records::Row &row, const std::string &header, std::string_view before,
                                         const char *hex) const {
  size_t chars = 1;
  for (unsigned char ch : before) chars += (ch & 0xC0) != 0x80;
  std::string at = std::to_string(chars);
  return rowError(row,
                  "列" + quoteZh(header) + "的第 " + at + " 个字符处有不是 GB18030/GBK 编码的字节（" + hex +
                      "）；请改正这一格（文件的这一部分可能是另一种编码），或把整个文件另存为 UTF-8",
                  "column " + quoteEn(header) + ": at character " + at + ", a byte (" + hex +
                      ") that is not GB18030/GBK text; correct the cell (this part of the file may be in another "
                      "encoding), or save the whole file as UTF-8");
}

// A JSON object without the key of required column c. A monthly field's
// first month missing is the whole array missing: said once, by the field.
std::string RecordLoader::missingKeyText(const records::Row &row, int c) const {
  std::string name = program_.columns[static_cast<size_t>(c)].name;
  if (auto f = index_.fieldByName.find(baseName(normalizeHeader(name))); f != index_.fieldByName.end()) {
    const FieldDesc &field = program_.fields[static_cast<size_t>(f->second)];
    if (field.isMonthly && field.column == c) {
      name = field.name;
      shapeFields_.push_back(f->second);
    }
  }
  return rowError(row, "缺少必填字段" + quoteZh(name) + "（对象中没有这个键）",
                  "required field " + quoteEn(name) + " is missing (the object has no such key)");
}

// Required columns: a JSON object must have the key (CSV/XLSX headers were
// checked by bind()). A blank cell claims nothing: it reads as the field's
// empty value (0, 否, 0%, empty text, an enumeration's first and lowest value
// such as 无) — except the identifier and the level (级别), which decide who
// is scored and by which rules, and so must be written.
void RecordLoader::checkRequired(const records::Row &row, std::vector<std::string> &messages) const {
  const auto &columns = program_.columns;
  int idColumn = program_.idField >= 0 ? program_.fields[static_cast<size_t>(program_.idField)].column : -1;
  blankCells_ = 0;
  for (int c : index_.requiredColumns) {
    if (scalarSet_[static_cast<size_t>(c)] && !sparse_) continue;  // most cells of most rows: nothing else to look at
    const ColumnDesc &d = columns[static_cast<size_t>(c)];
    int h = headerOfColumn_[static_cast<size_t>(c)];
    if (sparse_ && (h < 0 || static_cast<size_t>(h) >= row.present.size() || !row.present[static_cast<size_t>(h)])) {
      if (!shapeFields_.empty() && shapeSaid(c)) continue;
      messages.push_back(missingKeyText(row, c));
      continue;
    }
    if (scalarSet_[static_cast<size_t>(c)]) continue;
    if (c == program_.levelColumn) {
      std::string values;
      for (const auto &v : d.enumValues) values += (values.empty() ? "" : "、") + v;
      messages.push_back(rowError(row, "列" + quoteZh(headerOf(c)) + "为空；请填写其中之一：" + values,
                                  "column " + quoteEn(headerOf(c)) + " is empty; write one of: " + values));
    } else if (c == idColumn) {
      messages.push_back(rowError(row, "标识列" + quoteZh(headerOf(c)) + "为空",
                                  "the identifier column " + quoteEn(headerOf(c)) + " is empty"));
    } else if (d.defaultValue == kNoValue) {
      // (可缺): a blank is "no value", as the rubric declares; not read as 0, nothing to note
    } else if (blankCells_++ == 0) {
      firstBlankColumn_ = c;
    }
  }
}

std::string RecordLoader::rangeError(const records::Row &row, size_t cell, std::string_view text,
                                     const ColumnDesc &c) const {
  const std::string &header = cell < headerText_.size() ? headerText_[cell] : c.name;
  return rowError(row,
                  "列" + quoteZh(header) + "：" + quoteZh(clip(text)) + "超出允许的范围 " + rangeText(c, Lang::Zh),
                  "column " + quoteEn(header) + ": " + quoteEn(clip(text)) + " is outside the allowed range " +
                      rangeText(c, Lang::En));
}

bool RecordLoader::isTextId(int column) const {
  if (program_.idField < 0) return false;
  const FieldDesc &f = program_.fields[static_cast<size_t>(program_.idField)];
  return !f.isList && !f.isMonthly && f.column == column &&
         program_.columns[static_cast<size_t>(column)].kind == ValueKind::Text;
}

// The identifier of the parsed row (its scalars the last in `batch`), as
// claimId claims it ("": none to claim).
std::string RecordLoader::idToClaim(const Batch &batch, bool rowFine) const {
  if (program_.idField < 0) return {};
  const FieldDesc &f = program_.fields[static_cast<size_t>(program_.idField)];
  if (f.isList || f.isMonthly || f.column < 0) return {};
  auto c = static_cast<size_t>(f.column);
  const ColumnDesc &d = program_.columns[c];
  if (d.kind != ValueKind::Text && !rowFine) return {};  // a non-text id may be the bad cell
  // An empty id (an optional id column left out) claims nothing: the row is known by file:row.
  return d.kind == ValueKind::Text ? batch.text[c].back() : formatValue(batch.cols[c].back(), d.kind, d.enumValues);
}

// Each identifier is scored once: a later row with the same one is refused,
// naming the first.
bool RecordLoader::claimId(const records::Row &row, const std::string &id, bool rowFine,
                           std::vector<std::string> &messages, const IdLookup *lookup) {
  if (!ids_ || id.empty()) return true;
  const FieldDesc &f = program_.fields[static_cast<size_t>(program_.idField)];
  std::string first;
  if (!ids_->knowsHeader(source_)) ids_->noteHeader(source_, headerOf(f.column));
  bool fresh = lookup ? ids_->claim(id, {source_, row.number}, first, rowFine, *lookup)
                     : ids_->claim(id, {source_, row.number}, first, rowFine);
  if (fresh) return true;
  messages.push_back(repeatedIdMessage(file_, row.number, id, headerOf(f.column), first, lang_));
  return false;
}

std::string repeatedIdMessage(const std::string &file, int64_t row, std::string_view id, const std::string &header,
                              const std::string &firstSeen, Lang lang) {
  std::string where = file + ":" + std::to_string(row) + ": ";
  if (lang == Lang::Zh)
    return where + "错误: 标识" + quoteZh(clip(id)) + "（列" + quoteZh(header) + "）与 " + firstSeen +
           " 重复；每个候选对象只能有一行，请删除或更正重复的行；该行未评分";
  return where + "error: identifier " + quoteEn(clip(id)) + " (column " + quoteEn(header) + ") duplicates " + firstSeen +
         "; each candidate has one row: remove or correct the duplicate; row not scored";
}

} // namespace rubric::runtime
