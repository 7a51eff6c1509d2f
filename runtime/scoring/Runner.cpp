#include "runtime/scoring/Runner.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <unordered_map>

#include "rubric_decimal.h"
#include "runtime/records/RecordReader.h"
#include "runtime/scoring/Cells.h"
#include "runtime/scoring/Columns.h"
#include "runtime/scoring/KernelErrors.h"
#include "runtime/scoring/Output.h"
#include "runtime/scoring/Population.h"
#include "runtime/scoring/Workbook.h"

namespace rubric::runtime {

namespace {

std::string quote(Lang l, std::string_view s) {
  return l == Lang::Zh ? "“" + std::string(s) + "”" : "\"" + std::string(s) + "\"";
}

std::string fileErrorText(const records::RecordFileError &e, Lang l) {
  bool zh = l == Lang::Zh;
  std::string head = e.file() + (zh ? ": 错误: " : ": error: ");
  switch (e.kind()) {
  case records::FileProblem::CannotOpen: return head + (zh ? "无法打开文件：" : "cannot open the file: ") + e.detail();
  case records::FileProblem::Utf16:
    return head + (zh ? "文件是 UTF-16 编码，暂不支持；请另存为 UTF-8 编码的 CSV"
                      : "the file is UTF-16 encoded, which is not supported; save it as UTF-8 CSV");
  case records::FileProblem::NotUtf8:
    return head + (zh ? "文件不是有效的 UTF-8 或 GB18030/GBK 编码（第 " + e.detail() +
                            " 字节处）；请在 Excel 中另存为“CSV UTF-8（逗号分隔）”"
                      : "the file is neither valid UTF-8 nor GB18030/GBK (at byte " + e.detail() +
                            "); in Excel, save it as \"CSV UTF-8 (Comma delimited)\"");
  case records::FileProblem::BadEncoding:
    return head + (zh ? "按 GB18030/GBK 编码读取时，第 " + std::to_string(e.row()) + " 行（文件第 " +
                            std::to_string(e.offset()) + " 字节处）有无效的字节序列 " + e.detail()
                      : "invalid GB18030/GBK byte sequence " + e.detail() + " at row " + std::to_string(e.row()) +
                            " (byte offset " + std::to_string(e.offset()) + " in the file)");
  case records::FileProblem::UnknownEncoding:
    return head + (zh ? "未知的编码“" + e.detail() + "”（支持 auto、utf-8、gb18030、gbk）"
                      : "unknown encoding \"" + e.detail() + "\" (supported: auto, utf-8, gb18030, gbk)");
  case records::FileProblem::ReadFailed: return head + (zh ? "读取失败：" : "read failed: ") + e.detail();
  case records::FileProblem::UnknownFormat:
    return head + (zh ? "无法识别的输入格式（支持 .csv、.tsv、.jsonl、.xlsx）"
                      : "unknown input format (supported: .csv, .tsv, .jsonl, .xlsx)");
  case records::FileProblem::BadXlsx:
    return head + (zh ? "无法读取 .xlsx 工作簿：" : "cannot read the .xlsx workbook: ") + e.detail();
  case records::FileProblem::XlsxUnavailable:
    return head + (zh ? "此程序未包含 .xlsx 输入支持；请另存为 CSV" : "this program has no .xlsx input support; save as CSV");
  case records::FileProblem::NoSuchSheet:
    return head + (zh ? "没有名为此的工作表：" : "no such sheet: ") + e.detail();
  case records::FileProblem::TooManyColumns:
    return head + (zh ? "表头超过 1,048,576 列的上限，未读取" : "the header has more than the 1,048,576-column limit; not read");
  case records::FileProblem::HeaderTooLarge:
    return head + (zh ? "表头第 " + e.detail() + " 列超过每格 1 MiB 的上限，未读取"
                      : "header column " + e.detail() + " is larger than the 1 MiB cell limit; not read");
  }
  return head + e.detail();
}

std::string rowProblemText(const records::Row &row, const std::string &file, const std::vector<std::string> &headers,
                           Lang l) {
  bool zh = l == Lang::Zh;
  std::string head = file + ":" + std::to_string(row.number) + (zh ? ": 错误: " : ": error: ");
  std::string column = row.problemCell >= 0 && static_cast<size_t>(row.problemCell) < headers.size()
                           ? quote(l, printable(headers[static_cast<size_t>(row.problemCell)]))
                           : std::string();
  std::string what;
  switch (row.problem) {
  case records::RowProblem::UnterminatedQuote:
    what = zh ? "引号没有闭合（一直到文件末尾）" : "unterminated quote (it runs to the end of the file)";
    break;
  case records::RowProblem::BadJson:
    what = (zh ? "不是有效的 JSON（" : "invalid JSON (") + printable(row.detail) + (zh ? "）" : ")");
    break;
  case records::RowProblem::NotAnObject: what = zh ? "不是 JSON 对象" : "not a JSON object"; break;
  case records::RowProblem::NestedArray:
    what = zh ? "不支持数组中直接嵌套数组" : "arrays directly inside arrays are not supported";
    break;
  case records::RowProblem::CellCount: {
    size_t cells = std::strtoull(row.detail.c_str(), nullptr, 10);
    std::string from = cells < headers.size() ? quote(l, printable(headers[cells])) : std::string();
    what = zh ? "该行有 " + row.detail + " 个单元格，而表头有 " + std::to_string(headers.size()) + " 列" +
                    (from.empty() ? "（表头之后还有内容）" : "（从列" + from + "起没有单元格）") +
                    "；各列已错位（多了或少了逗号？），请按表头补齐或删去多余的单元格"
              : "the row has " + row.detail + " cells but the header has " + std::to_string(headers.size()) +
                    " columns" + (from.empty() ? " (text beyond the last column)" : " (none from column " + from + " on)") +
                    "; its cells are shifted (a comma too many or too few?): make it match the header";
    break;
  }
  case records::RowProblem::DuplicateKey:
    what = zh ? "键" + column + "在同一对象中出现了两次；请只保留一个"
              : "key " + column + " appears twice in the object; keep only one";
    break;
  case records::RowProblem::FormulaNoValue:
    what = zh ? "列" + column + "是公式，但文件中没有保存它的计算结果；请在 Excel 中打开并保存该文件，或把公式换成数值"
              : "column " + column + " holds a formula whose result is not stored in the file; open and save the "
                "file in Excel, or replace the formula with its value";
    break;
  case records::RowProblem::ErrorValue:
    what = zh ? "列" + column + "是 Excel 错误值 " + printable(row.detail) + "；请更正该单元格"
              : "column " + column + " holds the Excel error " + printable(row.detail) + "; correct the cell";
    break;
  case records::RowProblem::CellTooLarge: {
    // JSON Lines names an oversized key's cell by the key (detail); else the header.
    std::string where = !row.detail.empty() ? quote(l, printable(row.detail))
                        : !column.empty()   ? column
                                            : "#" + std::to_string(row.problemCell + 1);
    what = zh ? "列" + where + "的内容超过每格 1 MiB 的上限" : "column " + where + " is larger than the 1 MiB cell limit";
    break;
  }
  case records::RowProblem::TooManyCells:
    what = zh ? "该行超过 1,048,576 列的上限" : "the row has more than the 1,048,576-column limit";
    break;
  case records::RowProblem::LineTooLong:
    what = zh ? "该行超过 64 MiB 的上限" : "the line is longer than the 64 MiB limit";
    break;
  case records::RowProblem::None: break;
  }
  return head + what + (zh ? "；该行未评分" : "; row not scored");
}

bool inRange(int v, size_t n) { return v >= 0 && static_cast<size_t>(v) < n; }

// An empty cell of a (可缺) field, and a population argument without a value.
constexpr int64_t kNoValue = INT64_MIN;

// Checks every index in the program, so a bad description fails here and not in the kernel.
bool checkProgram(const Program &p, std::string &why) {
  size_t nc = p.columns.size(), ns = p.slots.size();
  for (const auto &l : p.lists) {
    if (!inRange(l.offsetsColumn, nc)) return why = "list " + l.name + ": offsets column", false;
    for (int c : l.elementColumns)
      if (!inRange(c, nc)) return why = "list " + l.name + ": element column", false;
  }
  for (const auto &c : p.columns)
    if (c.listId >= 0 && !inRange(c.listId, p.lists.size())) return why = "column " + c.name + ": list", false;
  for (const auto &f : p.fields) {
    if (f.isList) {
      if (f.listId >= 0 && !inRange(f.listId, p.lists.size())) return why = "field " + f.name + ": list", false;
    } else if (f.column >= 0 && !inRange(f.column + (f.isMonthly ? 11 : 0), nc)) {
      return why = "field " + f.name + ": column", false;
    }
  }
  if (p.idField >= 0 && !inRange(p.idField, p.fields.size())) return why = "idField", false;
  if (p.levelColumn >= 0 && !inRange(p.levelColumn, nc)) return why = "levelColumn", false;
  if (p.totalSlot >= 0 && !inRange(p.totalSlot, ns)) return why = "totalSlot", false;
  for (const auto &s : p.population) {
    if (!inRange(s.argSlot, ns) || !inRange(s.outSlot, ns)) return why = "population step: slot", false;
    if (s.levelColumn >= 0 && !inRange(s.levelColumn, nc)) return why = "population step: level column", false;
  }
  for (const auto &a : p.awards) {
    if (a.condSlot >= 0 && !inRange(a.condSlot, ns)) return why = "award " + a.name + ": condSlot", false;
    if (a.rankSlot >= 0 && !inRange(a.rankSlot, ns)) return why = "award " + a.name + ": rankSlot", false;
    for (const auto &k : a.tieKeys)
      if (!inRange(k.slot, ns)) return why = "award " + a.name + ": tie key slot", false;
  }
  for (const auto &s : p.slots)
    if (s.kind == SlotKind::NodeState && !inRange(s.node, ns)) return why = "node state " + s.name + ": node", false;
  for (const auto &f : p.params)
    if (f.column < 0) return why = "param " + f.name + ": column", false;
  return true;
}

struct Seen {
  int32_t source;
  int64_t row;
  std::string header;
};

class Run {
 public:
  Run(const Program &p, rb_kernel_fn kernel, const RunOptions &o, std::ostream &diag)
      : p_(p), kernel_(kernel), o_(o), diag_(diag), zh_(o.lang == Lang::Zh) {}

  int run();
  RunStats stats;

 private:
  void say(const std::string &line) { diag_ << line << '\n'; }
  // Every rejected row: counted, and listed in an .xlsx output's "拒绝的行".
  // A .csv/.jsonl output gets the same list as a file of its own, <output>.rejected.csv.
  void reject(const std::string &file, int64_t row, std::string message) {
    ++stats.rowsRejected;
    if (o_.strict) stop_ = true;
    if (xlsx_) xlsx_->rejected(file, row, std::move(message));
    else if (file_.is_open()) rejectedRows_ += csvField(file) + "," + std::to_string(row) + "," + csvField(message) + "\r\n";
  }
  static std::string csvField(const std::string &s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
  }
  std::string rejectedRows_;
  // Writes <output minus extension>.rejected.csv when rows were rejected.
  void writeRejected() {
    if (rejectedRows_.empty()) return;
    std::string path = o_.output.substr(0, o_.output.rfind('.')) + ".rejected.csv";
    std::ofstream f(path, std::ios::binary);
    f << "\xEF\xBB\xBF" << (zh_ ? "文件,行,原因" : "file,row,reason") << "\r\n" << rejectedRows_;
  }
  static std::string joined(const std::vector<std::string> &msgs) {
    std::string s;
    for (const auto &m : msgs) s += (s.empty() ? "" : "\n") + m;
    return s;
  }
  std::string where(const RecordOrigin &o) const {
    return o_.inputs[static_cast<size_t>(o.source)] + ":" + std::to_string(o.row);
  }
  bool vetoed(const Batch &b, int64_t r) const {
    for (int s : vetoSlots_)
      if (b.slots[static_cast<size_t>(s)][static_cast<size_t>(r)] != 0) return true;
    return false;
  }
  Rational total(const Batch &b, int64_t r) const {
    return p_.totalSlot >= 0 ? b.value(p_.totalSlot, r) : Rational{};
  }
  int64_t level(const Batch &b, int64_t r) const {
    return hasLevels_ ? b.cols[static_cast<size_t>(p_.levelColumn)][static_cast<size_t>(r)] : 0;
  }
  RankHistogram &levelHistogram(int64_t lev) {
    auto i = static_cast<size_t>(std::max<int64_t>(0, lev));
    if (i >= byLevel_.size()) byLevel_.resize(i + 1);
    return byLevel_[i];
  }
  // Removes the output file opened at the start (nothing valid will be in it).
  void abandonOutput() {
    if (xlsx_) {
      xlsx_.reset();  // nothing written
      std::error_code ec;
      std::filesystem::remove(o_.output, ec);
    }
    if (!file_.is_open()) return;
    file_.close();
    std::error_code ec;
    std::filesystem::remove(o_.output, ec);
  }
  void notePeak() {
    stats.peakRetainedRecords = std::max(stats.peakRetainedRecords, retainedRecords_ + current_->size);
  }

  bool readInput(int32_t source);
  void checkUnique(const std::vector<UniqueValue> &values, const RecordOrigin &origin);
  void processBatch();
  void populationPass();
  void pickQuotaAwards();
  static constexpr uint8_t kAwarded = 1, kPending = 2;  // winners_ marks
  void noteEdgeTie(const AwardDesc &award, size_t tied, size_t before, uint8_t mark);
  void emitBatch(const Batch &b, const std::vector<std::vector<uint8_t>> *winners);
  void reportFailedChecks(const RecordOrigin &origin, std::string_view id);
  std::vector<int64_t> rankOrder();
  bool writeOutput();

  const Program &p_;
  rb_kernel_fn kernel_;
  const RunOptions &o_;
  std::ostream &diag_;
  bool zh_;

  std::unique_ptr<ColumnIndex> index_;
  std::unique_ptr<IdRegistry> ids_;  // every identifier seen, across the inputs
  std::vector<int64_t> params_;
  bool popMode_ = false, hasLevels_ = false, stop_ = false;
  std::vector<int> vetoSlots_, nodeSlots_, checkSlots_;
  std::vector<int> stateSlotOf_;  // node slot → its NodeState slot, or -1
  std::unique_ptr<Batch> current_;
  std::vector<std::unique_ptr<Batch>> retained_;
  int64_t retainedRecords_ = 0;
  std::vector<std::vector<std::vector<uint8_t>>> winners_;  // [batch][award][record]
  std::vector<std::unordered_map<std::string, Seen>> seen_;  // per validation
  std::ofstream file_;
  std::unique_ptr<RowEncoder> enc_;
  std::unique_ptr<XlsxWriter> xlsx_;  // an .xlsx output (written at the end)
  std::unique_ptr<RunSummary> summary_;  // its 汇总 sheet
  size_t rankCol_ = 0;
  Spill spill_;
  RankHistogram overall_;
  std::vector<RankHistogram> byLevel_;  // per level index (levels are enum indices)
  std::string rec_, prefix_, tail_, id_, status_;
  std::vector<std::string> reasons_, awards_, failedChecks_;
  std::string stateCell_;
  // The cell of a node whose state is not "scored": 不适用, or 0（否决：…）when a
  // veto zeroed it or an ancestor (state = 2 + the ZeroVeto slot).
  std::string_view stateCell(int64_t state) {
    if (state >= 2 && state - 2 < static_cast<int64_t>(p_.slots.size())) {
      stateCell_ = "0（否决：" + p_.slots[static_cast<size_t>(state - 2)].name + "）";
      return stateCell_;
    }
    return "不适用";
  }
};

int Run::run() {
  std::string why;
  if (!checkProgram(p_, why) || !kernel_) {
    if (!kernel_) why = "no kernel";
    say(zh_ ? "错误: 程序描述无效：" + why : "error: invalid program description: " + why);
    return kExitFatal;
  }
  OutputFormat format;
  if (!outputFormatForPath(o_.output, format)) {
    say(zh_ ? o_.output + ": 错误: 无法识别的输出格式（支持 .csv、.jsonl、.xlsx）"
            : o_.output + ": error: unknown output format (supported: .csv, .jsonl, .xlsx)");
    return kExitFatal;
  }
  if (!loadParams(p_, o_.paramsFile, o_.lang, params_, diag_)) return kExitFatal;
  // The output is opened now, so a bad path fails before any work; it is
  // filled at the end, and removed again if --strict blocks it.
  bool toStdout = o_.output.empty() || o_.output == "-";
  if (!toStdout) {
    for (const auto &in : o_.inputs) {
      std::error_code ec;
      if (in != "-" && std::filesystem::equivalent(in, o_.output, ec)) {
        say(zh_ ? o_.output + ": 错误: 输出文件与输入文件相同" : o_.output + ": error: the output file is also an input");
        return kExitFatal;
      }
    }
    file_.open(o_.output, std::ios::binary | std::ios::trunc);
    if (!file_) {
      say(zh_ ? o_.output + ": 错误: 无法写入输出文件" : o_.output + ": error: cannot write the output file");
      return kExitFatal;
    }
  }
  if (!spill_.ok()) {
    say(zh_ ? "错误: 无法创建临时文件" : "error: cannot create a temporary file");
    return kExitFatal;
  }

  index_ = std::make_unique<ColumnIndex>(p_);
  ids_ = std::make_unique<IdRegistry>(o_.inputs);
  for (const auto &name : index_->unresolvedUniqueFields)
    say(zh_ ? "警告: 唯一性校验中的字段" + quote(o_.lang, name) + "不存在，已忽略"
            : "warning: field " + quote(o_.lang, name) + " of a uniqueness check does not exist; ignored");
  seen_.resize(p_.validations.size());
  popMode_ = needsPopulationPass(p_);
  stats.populationMode = popMode_;
  hasLevels_ = !p_.levels.empty() && p_.levelColumn >= 0;
  for (size_t s = 0; s < p_.slots.size(); ++s) {
    const SlotDesc &d = p_.slots[s];
    if (d.kind == SlotKind::VetoFlag) vetoSlots_.push_back(static_cast<int>(s));
    if (d.kind == SlotKind::CheckFlag) checkSlots_.push_back(static_cast<int>(s));
    if (d.kind == SlotKind::Node && (o_.items ? d.depth >= 0 : d.depth == 0)) nodeSlots_.push_back(static_cast<int>(s));
  }
  stateSlotOf_.assign(p_.slots.size(), -1);
  for (size_t s = 0; s < p_.slots.size(); ++s)
    if (p_.slots[s].kind == SlotKind::NodeState) stateSlotOf_[static_cast<size_t>(p_.slots[s].node)] = static_cast<int>(s);
  current_ = std::make_unique<Batch>(p_, std::max<int64_t>(1, o_.batchSize));
  enc_ = std::make_unique<RowEncoder>(format, outputHeaders(p_, o_.items));
  if (format == OutputFormat::Xlsx) {
    // The path was checked by opening it above; libxlsxwriter writes it at the end.
    file_.close();
    std::string error;
    xlsx_ = XlsxWriter::create(o_.output, workbookLayout(p_, o_.items), error);
    if (!xlsx_) {
      std::error_code ec;
      std::filesystem::remove(o_.output, ec);
      say(zh_ ? o_.output + ": 错误: 无法写入 .xlsx：" + error : o_.output + ": error: cannot write .xlsx: " + error);
      return kExitFatal;
    }
    summary_ = std::make_unique<RunSummary>(p_);
  }
  rankCol_ = 3 + nodeSlots_.size();

  for (size_t i = 0; i < o_.inputs.size() && !stop_; ++i)
    if (!readInput(static_cast<int32_t>(i))) {
      abandonOutput();
      return kExitFatal;
    }
  processBatch();

  if (popMode_) {
    populationPass();
    pickQuotaAwards();
    for (size_t b = 0; b < retained_.size(); ++b) emitBatch(*retained_[b], &winners_[b]);
  }

  bool blocked = o_.strict && (stats.rowsRejected > 0 || stats.validationErrors > 0);
  bool wrote = false;
  if (!blocked) {
    wrote = writeOutput();
    if (!wrote) {
      abandonOutput();
      return kExitFatal;
    }
  } else {
    abandonOutput();
  }
  stats.outputWritten = wrote;
  if (wrote) writeRejected(); // the messages above already name every rejected row

  std::string summary = zh_ ? "读取 " + std::to_string(stats.rowsRead) + " 行，评分 " +
                                  std::to_string(stats.rowsScored) + " 行，拒绝 " +
                                  std::to_string(stats.rowsRejected) + " 行"
                            : "read " + std::to_string(stats.rowsRead) + " rows, scored " +
                                  std::to_string(stats.rowsScored) + " rows, rejected " +
                                  std::to_string(stats.rowsRejected) + " rows";
  if (stats.validationErrors > 0)
    summary += zh_ ? "，校验错误 " + std::to_string(stats.validationErrors) + " 处"
                   : ", " + std::to_string(stats.validationErrors) + " validation errors";
  say(summary);
  if (blocked)
    say(zh_ ? "严格模式（--strict）：有错误，未写出结果" : "strict mode (--strict): there were errors; no output written");
  return stats.rowsRejected > 0 || stats.validationErrors > 0 ? kExitRejected : kExitOk;
}

bool Run::readInput(int32_t source) {
  const std::string &path = o_.inputs[static_cast<size_t>(source)];
  std::unique_ptr<records::RecordReader> reader;
  try {
    auto encoding = records::parseEncoding(o_.encoding);
    if (!encoding) throw records::RecordFileError(records::FileProblem::UnknownEncoding, path, o_.encoding);
    reader = records::openRecords(path, *encoding, o_.sheet);
  } catch (const records::RecordFileError &e) {
    say(fileErrorText(e, o_.lang));
    return false;
  }
  RecordLoader loader(*index_, path, source, o_.lang, ids_.get());
  std::vector<std::string> msgs;
  bool fileOk = loader.bind(reader->headers(), reader->headersFixed(), msgs);
  for (const auto &m : msgs) say(m);
  if (!fileOk) return false;  // a required column missing: the file is unusable (exit 2)
  size_t bound = reader->headers().size();
  records::Row row;
  try {
    while (!stop_ && reader->next(row)) {
      ++stats.rowsRead;
      if (row.problem != records::RowProblem::None) {
        std::string text = rowProblemText(row, path, reader->headers(), o_.lang);
        say(text);
        reject(path, row.number, std::move(text));
        continue;
      }
      msgs.clear();
      if (reader->headers().size() != bound) {
        loader.bind(reader->headers(), false, msgs);
        bound = reader->headers().size();
      }
      bool ok = loader.load(row, *current_, msgs);
      for (const auto &m : msgs) say(m);
      if (!ok) {
        reject(path, row.number, joined(msgs));
        continue;
      }
      if (!p_.validations.empty()) checkUnique(loader.uniqueValues(), current_->origins.back());
      notePeak();
      if (current_->full()) processBatch();
    }
  } catch (const records::RecordFileError &e) {
    say(fileErrorText(e, o_.lang));
    return false;
  }
  return true;
}

void Run::checkUnique(const std::vector<UniqueValue> &values, const RecordOrigin &origin) {
  for (const UniqueValue &u : values) {
    auto &seen = seen_[static_cast<size_t>(u.validation)];
    auto [it, inserted] = seen.try_emplace(u.value, Seen{origin.source, origin.row, u.header});
    if (inserted) continue;
    ++stats.validationErrors;
    const std::string &message = p_.validations[static_cast<size_t>(u.validation)].message;
    const Seen &first = it->second;
    std::string firstAt = o_.inputs[static_cast<size_t>(first.source)] + ":" + std::to_string(first.row);
    std::string what =
        zh_ ? (message.empty() ? "值重复" : message) + "：值" + quote(o_.lang, u.value) + "（列" + quote(o_.lang, u.header) +
                  "）与 " + firstAt + "（列" + quote(o_.lang, first.header) + "）重复"
            : (message.empty() ? "duplicate value" : message) + ": value " + quote(o_.lang, u.value) + " (column " +
                  quote(o_.lang, u.header) + ") duplicates " + firstAt + " (column " + quote(o_.lang, first.header) + ")";
    say(where(origin) + (zh_ ? ": 错误: " : ": error: ") + what);
    if (summary_) summary_->checkFailed(where(origin), "", std::move(what));
    if (o_.strict) stop_ = true;
  }
}

void Run::processBatch() {
  Batch &b = *current_;
  if (b.size == 0) return;
  notePeak();
  b.prepareSlots();
  const rb_frame *frame = b.frame(params_.data());
  kernel_(frame, 0, b.size, 1);
  if (popMode_) {
    if (o_.strict)
      for (int32_t e : b.errors)
        if (e) stop_ = true;
    retainedRecords_ += b.size;
    retained_.push_back(std::move(current_));
    current_ = std::make_unique<Batch>(p_, std::max<int64_t>(1, o_.batchSize));
    return;
  }
  kernel_(frame, 0, b.size, 2);
  emitBatch(b, nullptr);
  b.clear();
}

void Run::populationPass() {
  // Flat views over every retained record.
  std::vector<uint8_t> included;
  std::vector<std::pair<size_t, int64_t>> at;  // flat index → (batch, record)
  for (size_t bi = 0; bi < retained_.size(); ++bi) {
    Batch &b = *retained_[bi];
    for (int64_t r = 0; r < b.size; ++r) {
      included.push_back(b.errors[static_cast<size_t>(r)] == 0 && !vetoed(b, r));
      at.emplace_back(bi, r);
    }
  }
  std::vector<Rational> keys(at.size()), out;
  std::vector<int64_t> groups(at.size()), ranks;
  std::vector<uint8_t> baseIncluded = included;
  for (const PopulationStep &step : p_.population) {
    // A candidate without a value of an optional field the argument reads has
    // the key kNoValue: the function is taken over the candidates who have it.
    for (size_t i = 0; i < at.size(); ++i) {
      const Batch &b = *retained_[at[i].first];
      keys[i] = b.value(step.argSlot, at[i].second);
      included[i] = baseIncluded[i] &&
                    b.slots[static_cast<size_t>(step.argSlot)][static_cast<size_t>(at[i].second)] != kNoValue;
    }
    int levelColumn = step.levelColumn >= 0 ? step.levelColumn : p_.levelColumn;
    bool rank = false;
    switch (step.func) {
    case PopFunc::RankDesc:
    case PopFunc::RankAsc:
      ranks = competitionRanks(keys, included, step.func == PopFunc::RankDesc);
      rank = true;
      break;
    case PopFunc::LevelRankDesc:
    case PopFunc::LevelRankAsc: {
      bool desc = step.func == PopFunc::LevelRankDesc;
      if (levelColumn < 0) {
        ranks = competitionRanks(keys, included, desc);
      } else {
        for (size_t i = 0; i < at.size(); ++i)
          groups[i] = retained_[at[i].first]->cols[static_cast<size_t>(levelColumn)][static_cast<size_t>(at[i].second)];
        ranks = groupCompetitionRanks(keys, included, groups, desc);
      }
      rank = true;
      break;
    }
    default: {
      int32_t err = RB_DEC_OK;
      Rational v = populationAggregate(step.func, keys, included, &err);
      out.assign(at.size(), v);
      if (err != RB_DEC_OK)
        for (size_t i = 0; i < at.size(); ++i)
          if (included[i]) retained_[at[i].first]->errors[static_cast<size_t>(at[i].second)] = RB_ERR_TAG_SLOT(err, step.outSlot);
      break;
    }
    }
    if (rank) {
      // A record left out of the ranking (vetoed, or a kernel error) ranks after
      // every ranked record of its group, so a rank formula such as
      // N × (候选数 − 排名) / (候选数 − 1) gives it nothing rather than full marks.
      std::map<int64_t, int64_t> rankedInGroup;
      bool byLevel = (step.func == PopFunc::LevelRankDesc || step.func == PopFunc::LevelRankAsc) && levelColumn >= 0;
      for (size_t i = 0; i < at.size(); ++i)
        if (included[i]) ++rankedInGroup[byLevel ? groups[i] : 0];
      for (size_t i = 0; i < at.size(); ++i)
        if (!included[i]) ranks[i] = rankedInGroup[byLevel ? groups[i] : 0] + 1;
      out.resize(at.size());
      for (size_t i = 0; i < at.size(); ++i) out[i] = Rational::of(rb_dec_from_int(ranks[i], nullptr));
    }
    for (size_t i = 0; i < at.size(); ++i) {
      Batch &b = *retained_[at[i].first];
      auto r = static_cast<size_t>(at[i].second), slot = static_cast<size_t>(step.outSlot);
      b.slots[slot][r] = out[i].num;
      if (!b.dens[slot].empty()) b.dens[slot][r] = out[i].den;  // an Average's slot is rational (ir::markRationalSlots)
    }
  }
  for (auto &bp : retained_) kernel_(bp->frame(params_.data()), 0, bp->size, 2);
}

// Quota awards. Candidates are ordered by the award's key (then its tie-break
// keys); candidates equal on every key form one group and are never split by
// input order: a group that straddles the N-th place is handled by the stated
// tie policy (all in, none in, or 待定 — reported, not awarded).
void Run::pickQuotaAwards() {
  winners_.assign(retained_.size(), {});
  for (size_t bi = 0; bi < retained_.size(); ++bi) winners_[bi].resize(p_.awards.size());
  for (size_t a = 0; a < p_.awards.size(); ++a) {
    const AwardDesc &award = p_.awards[a];
    if (award.quota < 0) continue;
    std::vector<TieKey> keys{{award.rankSlot, award.descending}};
    if (award.ties == TiePolicy::BreakByKeys) keys.insert(keys.end(), award.tieKeys.begin(), award.tieKeys.end());
    struct Cand {
      size_t batch;
      int64_t record;
    };
    auto keyOf = [&](const Cand &c, const TieKey &k) {
      const Batch &b = *retained_[c.batch];
      return k.slot >= 0 ? b.value(k.slot, c.record) : total(b, c.record);
    };
    // <0: x before y; 0: tied on every key.
    auto order = [&](const Cand &x, const Cand &y) {
      for (const TieKey &k : keys) {
        Rational kx = keyOf(x, k), ky = keyOf(y, k);
        if (kx != ky) return (k.descending ? kx > ky : kx < ky) ? -1 : 1;
      }
      return 0;
    };
    std::vector<Cand> cands;
    for (size_t bi = 0; bi < retained_.size(); ++bi) {
      const Batch &b = *retained_[bi];
      winners_[bi][a].assign(static_cast<size_t>(b.size), 0);
      for (int64_t r = 0; r < b.size; ++r) {
        if (b.errors[static_cast<size_t>(r)] != 0 || vetoed(b, r)) continue;
        if (award.condSlot >= 0 && b.slots[static_cast<size_t>(award.condSlot)][static_cast<size_t>(r)] == 0) continue;
        cands.push_back({bi, r});
      }
    }
    std::sort(cands.begin(), cands.end(), [&](const Cand &x, const Cand &y) { return order(x, y) < 0; });
    size_t quota = static_cast<size_t>(award.quota), taken = 0;
    for (size_t g = 0; g < cands.size() && taken < quota;) {
      size_t end = g + 1;
      while (end < cands.size() && order(cands[g], cands[end]) == 0) ++end;
      uint8_t mark = kAwarded;
      if (taken + (end - g) > quota) {  // the group straddles the N-th place
        mark = award.ties == TiePolicy::IncludeAll ? kAwarded : award.ties == TiePolicy::ExcludeAll ? 0 : kPending;
        noteEdgeTie(award, end - g, taken, mark);
      }
      for (size_t i = g; i < end; ++i) winners_[cands[i].batch][a][static_cast<size_t>(cands[i].record)] = mark;
      taken += end - g;
      g = end;
    }
  }
}

void Run::noteEdgeTie(const AwardDesc &award, size_t tied, size_t before, uint8_t mark) {
  std::string place = std::to_string(award.quota), n = std::to_string(tied), first = std::to_string(before + 1);
  std::string what = mark == kAwarded ? (zh_ ? "一并列入" : "all are awarded")
                     : mark == 0      ? (zh_ ? "均不列入" : "none of them is awarded")
                                      : (zh_ ? "报告待定（未列入，须另行决定）" : "reported as pending (not awarded; to be decided)");
  say(zh_ ? "提示: 奖项" + quote(o_.lang, award.name) + "名额 " + place + " 个，第 " + first + " 名起有 " + n +
                " 个并列（跨过第 " + place + " 名）：" + what
          : "note: award " + quote(o_.lang, award.name) + " has " + place + " places; " + n + " candidates tie from place " +
                first + " across place " + place + ": " + what);
}


void Run::emitBatch(const Batch &b, const std::vector<std::vector<uint8_t>> *winners) {
  const FieldDesc *idField = p_.idField >= 0 ? &p_.fields[static_cast<size_t>(p_.idField)] : nullptr;
  const RowEncoder &enc = *enc_;
  char num[RB_DEC_FORMAT_CAP];
  for (int64_t r = 0; r < b.size; ++r) {
    auto ru = static_cast<size_t>(r);
    const RecordOrigin &origin = b.origins[ru];
    if (b.errors[ru] != 0) {
      std::string why = describeKernelError(p_, b, ru, params_, o_.lang);
      say(where(origin) + (zh_ ? ": 错误: " + why + "；该行未评分" : ": error: " + why + "; row not scored"));
      reject(o_.inputs[static_cast<size_t>(origin.source)], origin.row, why);
      continue;
    }
    ++stats.rowsScored;

    std::string_view id;
    if (idField && idField->column >= 0) {
      auto c = static_cast<size_t>(idField->column);
      if (idField->kind == ValueKind::Text) {
        int64_t t = b.cols[c][ru];
        if (t >= 0 && static_cast<size_t>(t) < b.text[c].size()) id = b.text[c][static_cast<size_t>(t)];
      } else {
        id_ = formatValue(b.cols[c][ru], idField->kind, idField->enumValues);
        id = id_;
      }
    }
    if (id.empty()) {
      id_ = o_.inputs.size() > 1 ? where(origin) : std::to_string(origin.row);
      id = id_;
    }

    reasons_.clear();
    for (int s : vetoSlots_)
      if (b.slots[static_cast<size_t>(s)][ru] != 0) reasons_.push_back(p_.slots[static_cast<size_t>(s)].name);
    bool isVetoed = !reasons_.empty();
    std::string_view status = "有效";
    if (isVetoed) {
      status_ = "取消资格：";
      for (size_t k = 0; k < reasons_.size(); ++k) status_ += (k ? "；" : "") + reasons_[k];
      status = status_;
    }
    if (summary_) summary_->scored(reasons_);
    Rational tot = total(b, r);
    int64_t lev = level(b, r);
    if (!isVetoed) {
      overall_.add(tot);
      if (hasLevels_) levelHistogram(lev).add(tot);
    }

    prefix_.clear();
    enc.begin(prefix_);
    enc.text(prefix_, 0, id);
    enc.text(prefix_, 1, status);
    if (p_.totalSlot >= 0) enc.number(prefix_, 2, std::string_view(num, decText(tot, num)));
    else enc.null(prefix_, 2);
    size_t col = 3;
    for (int s : nodeSlots_) {
      int st = stateSlotOf_[static_cast<size_t>(s)];
      if (st >= 0 && b.slots[static_cast<size_t>(st)][ru] != 0) enc.text(prefix_, col++, stateCell(b.slots[static_cast<size_t>(st)][ru]));
      else enc.number(prefix_, col++, std::string_view(num, decText(b.value(s, r), num)));
    }

    tail_.clear();
    if (!p_.awards.empty()) {
      awards_.clear();
      if (!isVetoed)
        for (size_t a = 0; a < p_.awards.size(); ++a) {
          const AwardDesc &award = p_.awards[a];
          uint8_t mark = award.quota < 0
                             ? (award.condSlot < 0 || b.slots[static_cast<size_t>(award.condSlot)][ru] != 0 ? kAwarded : 0)
                             : (winners && !(*winners)[a].empty() ? (*winners)[a][ru] : 0);
          if (mark == kAwarded) awards_.push_back(award.name);
          if (mark == kPending) awards_.push_back(award.name + "（并列待定）");
          if (mark != 0 && summary_) summary_->awarded(a, spill_.records(), id, tot, mark == kPending);
        }
      enc.list(tail_, rankCol_ + (hasLevels_ ? 2 : 1), awards_);
    }
    if (!checkSlots_.empty()) {
      failedChecks_.clear();
      for (int s : checkSlots_)
        if (b.slots[static_cast<size_t>(s)][ru] != 0) failedChecks_.push_back(p_.slots[static_cast<size_t>(s)].name);
      reportFailedChecks(origin, id);
      enc.list(tail_, rankCol_ + (hasLevels_ ? 2 : 1) + (p_.awards.empty() ? 0 : 1), failedChecks_);
    }
    enc.end(tail_);

    rec_.clear();
    SpillCodec::putI64(rec_, isVetoed);
    SpillCodec::putI64(rec_, tot.num);
    SpillCodec::putI64(rec_, tot.den);
    SpillCodec::putI64(rec_, lev);
    SpillCodec::putStr(rec_, prefix_);
    SpillCodec::putStr(rec_, tail_);
    spill_.put(rec_);
  }
}

// A failed 校验 is an error of the input (exit status 1), reported with the row;
// the record is scored, ranked and awarded as usual.
void Run::reportFailedChecks(const RecordOrigin &origin, std::string_view id) {
  for (const auto &name : failedChecks_) {
    ++stats.validationErrors;
    say(where(origin) + (zh_ ? ": 错误: 校验不通过：" + name : ": error: validation failed: " + name));
    if (summary_) summary_->checkFailed(where(origin), id, name);
    if (o_.strict) stop_ = true;
  }
}

// The spill records' offsets in rank order: by overall rank, 取消资格 last,
// ties in input order (offsets grow with it). 16 bytes a record in memory.
std::vector<int64_t> Run::rankOrder() {
  std::vector<std::pair<int64_t, int64_t>> keyed;  // (rank or INT64_MAX, offset)
  keyed.reserve(static_cast<size_t>(spill_.records()));
  std::string bytes;
  spill_.rewind();
  while (spill_.get(bytes)) {
    size_t pos = 0;
    bool isVetoed = SpillCodec::getI64(bytes, pos) != 0;
    Rational tot;
    tot.num = SpillCodec::getI64(bytes, pos);
    tot.den = SpillCodec::getI64(bytes, pos);
    keyed.emplace_back(isVetoed ? INT64_MAX : overall_.rank(tot), spill_.lastOffset());
  }
  std::sort(keyed.begin(), keyed.end());
  std::vector<int64_t> offsets(keyed.size());
  for (size_t i = 0; i < keyed.size(); ++i) offsets[i] = keyed[i].second;
  return offsets;
}

bool Run::writeOutput() {
  std::ostream *out = file_.is_open() ? static_cast<std::ostream *>(&file_) : &std::cout;
  overall_.finish(true);
  for (auto &h : byLevel_) h.finish(true);
  const RowEncoder &enc = *enc_;
  std::string buf = enc.headerBytes(), bytes;
  RowOrder order = o_.order != RowOrder::Default ? o_.order : xlsx_ ? RowOrder::Rank : RowOrder::Input;
  std::vector<int64_t> offsets;
  if (order == RowOrder::Rank) offsets = rankOrder();
  spill_.rewind();
  char num[24];
  auto rankText = [&](int64_t v) { return std::string_view(num, static_cast<size_t>(std::to_chars(num, num + sizeof num, v).ptr - num)); };
  size_t next = 0;
  auto nextRecord = [&] {
    return order == RowOrder::Rank ? next < offsets.size() && spill_.getAt(offsets[next++], bytes) : spill_.get(bytes);
  };
  while (nextRecord()) {
    size_t pos = 0;
    bool isVetoed = SpillCodec::getI64(bytes, pos) != 0;
    Rational tot;
    tot.num = SpillCodec::getI64(bytes, pos);
    tot.den = SpillCodec::getI64(bytes, pos);
    int64_t lev = SpillCodec::getI64(bytes, pos);
    std::string_view prefix = SpillCodec::getStr(bytes, pos);
    std::string_view tail = SpillCodec::getStr(bytes, pos);
    buf.append(prefix);
    if (isVetoed) enc.null(buf, rankCol_);
    else enc.number(buf, rankCol_, rankText(overall_.rank(tot)));
    if (hasLevels_) {
      if (isVetoed) enc.null(buf, rankCol_ + 1);
      else enc.number(buf, rankCol_ + 1, rankText(levelHistogram(lev).rank(tot)));
    }
    buf.append(tail);
    if (buf.size() >= (1 << 20)) {
      if (xlsx_) xlsx_->rows(buf);
      else out->write(buf.data(), static_cast<std::streamsize>(buf.size()));
      buf.clear();
    }
  }
  if (xlsx_) {
    xlsx_->rows(buf);
    xlsx_->summary(summary_->blocks(overall_, stats.rowsRead, stats.rowsRejected));
    std::string error;
    bool ok = xlsx_->close(error) && !spill_.failed();
    xlsx_.reset();
    if (!ok) {
      std::error_code ec;
      std::filesystem::remove(o_.output, ec);
      say(zh_ ? o_.output + ": 错误: 写入输出失败" + (error.empty() ? "" : "：" + error)
              : o_.output + ": error: writing the output failed" + (error.empty() ? "" : ": " + error));
    }
    return ok;
  }
  out->write(buf.data(), static_cast<std::streamsize>(buf.size()));
  out->flush();
  if (!*out || spill_.failed()) {
    say(zh_ ? o_.output + ": 错误: 写入输出失败" : o_.output + ": error: writing the output failed");
    return false;
  }
  return true;
}

} // namespace

std::optional<RowOrder> parseRowOrder(std::string_view s) {
  if (s == "排名" || s == "rank") return RowOrder::Rank;
  if (s == "输入" || s == "input") return RowOrder::Input;
  return std::nullopt;
}

bool needsPopulationPass(const Program &p) {
  if (!p.population.empty()) return true;
  for (const auto &a : p.awards)
    if (a.quota >= 0) return true;
  return false;
}

std::vector<std::string> outputHeaders(const Program &p, bool items) {
  std::vector<std::string> h;
  h.push_back(p.idField >= 0 && static_cast<size_t>(p.idField) < p.fields.size()
                  ? p.fields[static_cast<size_t>(p.idField)].name
                  : "行号");
  h.push_back("状态");
  h.push_back("总分");
  for (const auto &s : p.slots)
    if (s.kind == SlotKind::Node && (items ? s.depth >= 0 : s.depth == 0))
      h.push_back(s.path.empty() ? s.name : s.path + " " + s.name);
  h.push_back("排名");
  if (!p.levels.empty() && p.levelColumn >= 0) h.push_back("级内排名");
  if (!p.awards.empty()) h.push_back("奖项");
  for (const auto &s : p.slots)
    if (s.kind == SlotKind::CheckFlag) {
      h.push_back("校验");
      break;
    }
  return h;
}

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
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      diag << head << (zh ? "无法打开参数文件" : "cannot open the parameter file") << '\n';
      return false;
    }
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
    struct Entry {
      std::string name, value;
      int64_t row;
    };
    std::vector<Entry> entries;
    size_t first = text.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && text[first] == '{') {
      std::vector<std::pair<std::string, std::string>> pairs;
      std::string detail;
      if (records::flattenJsonObject(text, pairs, detail) != records::RowProblem::None) {
        diag << head << (zh ? "参数文件不是有效的 JSON 对象" : "the parameter file is not a valid JSON object")
             << (detail.empty() ? "" : (zh ? "（" : " (") + detail + (zh ? "）" : ")")) << '\n';
        return false;
      }
      for (auto &[k, v] : pairs)
        if (k.size() < 3 || k.compare(k.size() - 3, 3, "[#]") != 0) entries.push_back({k, v, 0});
    } else {
      records::CsvParser csv(records::memorySource(text));
      std::vector<std::string> fields;
      size_t n;
      bool unterminated;
      int64_t row = 0;
      bool sawFirst = false;
      while (csv.next(fields, n, unterminated)) {
        ++row;
        bool blank = true;
        for (size_t i = 0; i < n; ++i) blank &= trimCell(fields[i]).empty();
        if (blank) continue;
        std::string name(trimCell(fields[0]));
        if (!sawFirst) {
          sawFirst = true;
          bool known = false;
          for (const auto &f : p.params) known |= f.name == name;
          if (!known && (n < 2 || name == "name" || name == "名称" || name == "参数" || name == "参数名" ||
                         name == "parameter"))
            continue;  // a header row
        }
        if (n < 2) {
          diag << path << ":" << row << (zh ? ": 错误: 参数行应有两列（名称,值）" : ": error: a parameter row needs two columns (name,value)")
               << '\n';
          ok = false;
          continue;
        }
        entries.push_back({name, std::string(trimCell(fields[1])), row});
      }
    }
    std::vector<std::string> names;
    for (const auto &f : p.params) names.push_back(f.name);
    for (const Entry &e : entries) {
      std::string at = e.row > 0 ? path + ":" + std::to_string(e.row) : path;
      std::string err = at + (zh ? ": 错误: " : ": error: ");
      std::string name(trimCell(e.name));
      size_t k = 0;
      while (k < p.params.size() && p.params[k].name != name) ++k;
      if (k == p.params.size()) {
        auto s = suggest(name, names);
        diag << err << (zh ? "未知的参数" : "unknown parameter ") << quote(lang, name);
        if (s) diag << (zh ? "（您是否想写" + quote(lang, *s) + "？）" : " (did you mean " + quote(lang, *s) + "?)");
        diag << '\n';
        ok = false;
        continue;
      }
      const FieldDesc &f = p.params[k];
      if (given[k]) {
        diag << err << (zh ? "参数" + quote(lang, name) + "给出了不止一次" : "parameter " + quote(lang, name) + " is given more than once")
             << '\n';
        ok = false;
        continue;
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
        ok = false;
        continue;
      }
      out[static_cast<size_t>(f.column)] = value;
    }
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

int runScoring(const Program &program, rb_kernel_fn kernel, const RunOptions &options, std::ostream &diagnostics,
               RunStats *stats) {
  Run run(program, kernel, options, diagnostics);
  int rc = run.run();
  if (stats) *stats = run.stats;
  return rc;
}

int runScoring(const Program &program, rb_kernel_fn kernel, const RunOptions &options, std::ostream &diagnostics) {
  return runScoring(program, kernel, options, diagnostics, nullptr);
}

} // namespace rubric::runtime
