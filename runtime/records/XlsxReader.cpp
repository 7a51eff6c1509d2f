// XLSX input: one worksheet (the first, or one named) read as rows of cell
// text. The zip is read with minizip, the XML with expat. Shared strings are
// held in memory (the sheet refers to them by index); the sheet itself
// streams — a bounded chunk of XML at a time, a few rows queued.
// Built as rubric_records_xlsx; defines xlsxReaderImpl, which RecordReader.cpp
// references weakly (so this library refers to nothing in rubric_records).
#include "RecordReader.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <deque>
#include <map>
#include <optional>

#include <expat.h>
#include <minizip/unzip.h>

namespace rubric::records {

namespace {

[[noreturn]] void badXlsx(const std::string &file, const std::string &what) {
  throw RecordFileError(FileProblem::BadXlsx, file, what);
}

class Zip {
 public:
  Zip(const std::string &path) : path_(path) {
    std::FILE *probe = std::fopen(path.c_str(), "rb");
    if (!probe) {
      int e = errno;
      throw RecordFileError(FileProblem::CannotOpen, path, std::strerror(e)).because(e);
    }
    std::fclose(probe);
    z_ = unzOpen64(path.c_str());
    if (!z_) badXlsx(path, "not a zip file");
  }
  ~Zip() {
    if (open_) unzCloseCurrentFile(z_);
    if (z_) unzClose(z_);
  }
  Zip(const Zip &) = delete;
  Zip &operator=(const Zip &) = delete;

  // Opens a member for reading with read(); false when it is missing.
  bool open(const std::string &member) {
    if (open_) unzCloseCurrentFile(z_), open_ = false;
    if (unzLocateFile(z_, member.c_str(), 0) != UNZ_OK) return false;
    if (unzOpenCurrentFile(z_) != UNZ_OK) badXlsx(path_, "cannot read " + member);
    open_ = true;
    member_ = member;
    return true;
  }
  size_t read(char *buf, size_t cap) {
    int n = unzReadCurrentFile(z_, buf, static_cast<unsigned>(cap));
    if (n < 0) badXlsx(path_, "cannot read " + member_ + " (zip error " + std::to_string(n) + ")");
    return static_cast<size_t>(n);
  }

 private:
  std::string path_, member_;
  unzFile z_ = nullptr;
  bool open_ = false;
};

// An expat parser fed from the member currently open in a Zip.
class Xml {
 public:
  Xml(Zip &zip, std::string file, std::string member, void *user, XML_StartElementHandler start,
      XML_EndElementHandler end, XML_CharacterDataHandler text)
      : zip_(zip), file_(std::move(file)), member_(std::move(member)), p_(XML_ParserCreateNS("UTF-8", '|')) {
    XML_SetUserData(p_, user);
    XML_SetElementHandler(p_, start, end);
    XML_SetCharacterDataHandler(p_, text);
  }
  ~Xml() { XML_ParserFree(p_); }
  Xml(const Xml &) = delete;
  Xml &operator=(const Xml &) = delete;

  // Parses the next chunk; false at the end.
  bool step() {
    if (done_) return false;
    char buf[16 * 1024];
    size_t n = zip_.read(buf, sizeof buf);
    done_ = n == 0;
    if (XML_Parse(p_, buf, static_cast<int>(n), done_) == XML_STATUS_ERROR)
      badXlsx(file_, member_ + ": " + XML_ErrorString(XML_GetErrorCode(p_)) + " at line " +
                         std::to_string(XML_GetCurrentLineNumber(p_)));
    return true;
  }
  void all() {
    while (step()) {}
  }

 private:
  Zip &zip_;
  std::string file_, member_;
  XML_Parser p_;
  bool done_ = false;
};

// "ns|local" (namespaces on) → local.
std::string_view local(const XML_Char *name) {
  std::string_view s(name);
  size_t bar = s.rfind('|');
  return bar == std::string_view::npos ? s : s.substr(bar + 1);
}

const XML_Char *attr(const XML_Char **atts, std::string_view name) {
  for (size_t i = 0; atts[i]; i += 2)
    if (local(atts[i]) == name) return atts[i + 1];
  return nullptr;
}

// ───── workbook.xml + its rels: sheet name → member ─────

struct WorkbookScan {
  std::vector<std::pair<std::string, std::string>> sheets;  // name, relationship id
  std::map<std::string, std::string> targets;               // relationship id → target
  static void start(void *u, const XML_Char *name, const XML_Char **atts) {
    auto *w = static_cast<WorkbookScan *>(u);
    auto n = local(name);
    if (n == "sheet") {
      const XML_Char *sn = attr(atts, "name"), *id = attr(atts, "id");
      if (sn && id) w->sheets.emplace_back(sn, id);
    } else if (n == "Relationship") {
      const XML_Char *id = attr(atts, "Id"), *t = attr(atts, "Target");
      if (id && t) w->targets[id] = t;
    }
  }
  static void end(void *, const XML_Char *) {}
  static void text(void *, const XML_Char *, int) {}
};

// ───── sharedStrings.xml ─────

struct SharedStrings {
  std::vector<std::string> strings;
  std::vector<size_t> oversized;  // indices of strings cut at kMaxCellBytes (ascending)
  std::string cur;
  int inT = 0, inPhonetic = 0;
  static void start(void *u, const XML_Char *name, const XML_Char **) {
    auto *s = static_cast<SharedStrings *>(u);
    auto n = local(name);
    if (n == "si") s->cur.clear();
    else if (n == "t") ++s->inT;
    else if (n == "rPh") ++s->inPhonetic;
  }
  static void end(void *u, const XML_Char *name) {
    auto *s = static_cast<SharedStrings *>(u);
    auto n = local(name);
    if (n == "si") {
      if (s->cur.size() > kMaxCellBytes) s->oversized.push_back(s->strings.size()), s->cur.clear();
      s->strings.push_back(std::move(s->cur)), s->cur.clear();
    }
    else if (n == "t") --s->inT;
    else if (n == "rPh") --s->inPhonetic;
  }
  static void text(void *u, const XML_Char *t, int len) {
    auto *s = static_cast<SharedStrings *>(u);
    // A string stops growing at the cell limit: one 300 MB string must not take 300 MB
    // (its cells are then refused, see XlsxReader::end).
    if (s->inT > 0 && s->inPhonetic == 0)
      s->cur.append(t, std::min(static_cast<size_t>(len), kMaxCellBytes + 1 - std::min(s->cur.size(), kMaxCellBytes + 1)));
  }
};

// ───── the sheet ─────

// A plain decimal number as its significant digits: value = ±0.digits × 10^pointAt.
struct SignificantDigits {
  bool negative = false;
  std::string digits;  // leading zeros dropped
  int64_t pointAt = 0;
};

// "-012.50E+1" → {true, "1250", 3}; nullopt when the text is not a plain
// number or its exponent is extreme.
std::optional<SignificantDigits> significantDigits(const std::string &text) {
  SignificantDigits d;
  size_t i = 0, n = text.size();
  d.negative = i < n && text[i] == '-';
  if (d.negative) ++i;
  bool anyDigit = false, seenPoint = false;
  for (; i < n; ++i) {
    char c = text[i];
    if (c == '.' && !seenPoint) {
      seenPoint = true;
    } else if (c >= '0' && c <= '9') {
      anyDigit = true;
      if (d.digits.empty() && c == '0') {
        if (seenPoint) --d.pointAt;
        continue;
      }
      d.digits += c;
      if (!seenPoint) ++d.pointAt;
    } else {
      break;
    }
  }
  if (!anyDigit) return std::nullopt;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    int64_t e = 0;
    auto [p, ec] = std::from_chars(text.data() + i + 1 + (i + 1 < n && text[i + 1] == '+'), text.data() + n, e);
    if (ec != std::errc() || p != text.data() + n || e > 40 || e < -40) return std::nullopt;
    d.pointAt += e;
  } else if (i != n) {
    return std::nullopt;
  }
  return d;
}

// Rounded half-up to 15 significant digits on the decimal digits, trailing zeros dropped.
void roundTo15Digits(SignificantDigits &d) {
  if (d.digits.size() > 15) {
    bool up = d.digits[15] >= '5';
    d.digits.resize(15);
    for (size_t k = 15; up && k-- > 0;) {
      if (d.digits[k] == '9') {
        d.digits[k] = '0';
      } else {
        ++d.digits[k];
        up = false;
      }
    }
    if (up) {
      d.digits.insert(d.digits.begin(), '1');
      d.digits.pop_back();
      ++d.pointAt;
    }
  }
  while (!d.digits.empty() && d.digits.back() == '0') d.digits.pop_back();
}

// Written plainly, without an exponent: "0.001", "1250", "12.5".
std::string plainText(const SignificantDigits &d) {
  if (d.digits.empty()) return "0";
  std::string out = d.negative ? "-" : "";
  if (d.pointAt <= 0) {
    out += "0." + std::string(static_cast<size_t>(-d.pointAt), '0') + d.digits;
  } else if (static_cast<size_t>(d.pointAt) >= d.digits.size()) {
    out += d.digits + std::string(static_cast<size_t>(d.pointAt) - d.digits.size(), '0');
  } else {
    auto at = static_cast<size_t>(d.pointAt);
    out += d.digits.substr(0, at) + "." + d.digits.substr(at);
  }
  return out;
}

// A number cell as Excel shows it. The file stores the binary double's
// shortest round-trip text (0.1 + 0.2 → "0.30000000000000004", 83.33% →
// "0.8332999999999999"); Excel displays at most 15 significant digits. So
// the stored text is rounded to 15 significant digits (half-up, on the
// decimal digits — never through double arithmetic) and written plainly,
// without an exponent or trailing zeros: "0.3", "0.8333", "1E-3" → "0.001".
// Text that is not a plain number, or is extreme in size, is kept as it is
// (the cell parser then says what is wrong with it).
std::string excelNumberText(const std::string &text) {
  auto d = significantDigits(text);
  if (!d) return text;
  roundTo15Digits(*d);
  return plainText(*d);
}

// "BC12" → 54 (0-based column); -1 when there are no letters.
int64_t columnOf(const char *ref) {
  int64_t c = 0;
  bool any = false;
  for (; *ref >= 'A' && *ref <= 'Z'; ++ref) {
    c = c * 26 + (*ref - 'A' + 1);
    any = true;
    if (c > 16384) return -1;
  }
  return any ? c - 1 : -1;
}

class XlsxReader : public RecordReader {
 public:
  XlsxReader(const std::string &path, const std::string &sheet) : RecordReader(path), zip_(path) {
    WorkbookScan wb;
    if (!zip_.open("xl/workbook.xml")) badXlsx(path, "xl/workbook.xml is missing (not an .xlsx workbook)");
    Xml(zip_, path, "xl/workbook.xml", &wb, WorkbookScan::start, WorkbookScan::end, WorkbookScan::text).all();
    if (zip_.open("xl/_rels/workbook.xml.rels"))
      Xml(zip_, path, "xl/_rels/workbook.xml.rels", &wb, WorkbookScan::start, WorkbookScan::end, WorkbookScan::text)
          .all();
    if (wb.sheets.empty()) badXlsx(path, "the workbook has no sheets");
    const std::pair<std::string, std::string> *chosen = &wb.sheets.front();
    if (!sheet.empty()) {
      chosen = nullptr;
      for (const auto &s : wb.sheets)
        if (s.first == sheet) chosen = &s;
      if (!chosen) {
        std::string names;
        for (const auto &s : wb.sheets) names += (names.empty() ? "" : ", ") + s.first;
        throw RecordFileError(FileProblem::NoSuchSheet, path, sheet + " (" + names + ")");
      }
    }
    auto t = wb.targets.find(chosen->second);
    if (t == wb.targets.end()) badXlsx(path, "sheet " + chosen->first + ": no relationship " + chosen->second);
    std::string member = t->second;
    if (!member.empty() && member[0] == '/') member.erase(0, 1);
    else member = "xl/" + member;

    if (zip_.open("xl/sharedStrings.xml"))
      Xml(zip_, path, "xl/sharedStrings.xml", &shared_, SharedStrings::start, SharedStrings::end,
          SharedStrings::text)
          .all();
    if (!zip_.open(member)) badXlsx(path, member + " is missing");
    sheetXml_ = std::make_unique<Xml>(zip_, path, member, this, start, end, text);

    // The header is the first non-blank row.
    Row row;
    while (pull(row)) {
      if (blank(row.cells)) continue;
      if (row.problem == RowProblem::TooManyCells) throw RecordFileError(FileProblem::TooManyColumns, path);
      if (row.problem == RowProblem::CellTooLarge)
        throw RecordFileError(FileProblem::HeaderTooLarge, path, std::to_string(row.problemCell + 1));
      headers_ = row.cells.strings();
      break;
    }
  }

  bool headersFixed() const override { return true; }

  bool next(Row &row) override {
    row.textChecked = false;  // cells are checked one by one
    while (pull(row))
      if (!blank(row.cells) || row.problem != RowProblem::None) return true;
    return false;
  }

 private:
  static bool blank(const CellList &cells) {
    for (std::string_view c : cells)
      for (char ch : c)
        if (ch != ' ' && ch != '\t') return false;
    return true;
  }

  bool pull(Row &row) {
    while (ready_.empty()) {
      bool more = sheetXml_->step();
      if (!error_.empty()) badXlsx(name_, error_);
      if (!more) return false;
    }
    if (!error_.empty()) badXlsx(name_, error_);
    row = std::move(ready_.front());  // problem/column as found while parsing it
    ready_.pop_front();
    return true;
  }

  static void start(void *u, const XML_Char *name, const XML_Char **atts) {
    auto *x = static_cast<XlsxReader *>(u);
    auto n = local(name);
    if (n == "row") {
      const XML_Char *r = attr(atts, "r");
      x->cur_ = Row{};
      // Excel numbers rows 1…1,048,576 in increasing order; an r outside that or
      // out of order (a file not written by Excel) is ignored, so messages still
      // count up and the number can never overflow.
      long long given = r ? std::atoll(r) : 0;
      x->cur_.number = given > x->lastRow_ && given <= kMaxSheetRow ? given : x->lastRow_ + 1;
      x->inRow_ = true;
      x->nextCol_ = 0;
    } else if (n == "c" && x->inRow_) {
      const XML_Char *r = attr(atts, "r"), *t = attr(atts, "t");
      int64_t col = r ? columnOf(r) : -1;
      x->col_ = col >= 0 ? col : x->nextCol_;
      x->nextCol_ = x->col_ + 1;
      x->type_ = t ? t : "n";
      x->val_.clear();
      x->valTooLarge_ = false;
      x->inCell_ = true;
      x->hasFormula_ = x->hasValue_ = false;
    } else if (x->inCell_ && n == "f") {
      x->hasFormula_ = true;
    } else if (x->inCell_ && (n == "v" || n == "t" || n == "is")) {
      x->inValue_ = n != "is";
      x->hasValue_ = true;
    } else if (n == "rPh") {
      ++x->phonetic_;
    }
  }
  static void end(void *u, const XML_Char *name) {
    auto *x = static_cast<XlsxReader *>(u);
    auto n = local(name);
    if (n == "v" || n == "t") {
      x->inValue_ = false;
    } else if (n == "rPh") {
      --x->phonetic_;
    } else if (n == "c" && x->inCell_) {
      x->inCell_ = false;
      std::string v;
      if (x->type_ == "s") {
        char *endp = nullptr;
        unsigned long long i = std::strtoull(x->val_.c_str(), &endp, 10);
        if (x->val_.empty() || *endp != '\0' || i >= x->shared_.strings.size()) {
          // Not thrown here: this runs inside expat (C); pull() throws it.
          if (x->error_.empty())
            x->error_ = "row " + std::to_string(x->cur_.number) + ": shared string " + x->val_ + " does not exist";
        } else {
          x->valTooLarge_ |= std::binary_search(x->shared_.oversized.begin(), x->shared_.oversized.end(), i);
          if (!x->valTooLarge_) v = x->shared_.strings[i];
        }
      } else if (x->type_ == "b") {
        v = x->val_ == "1" ? "true" : "false";
      } else if (x->type_ == "n") {
        v = excelNumberText(x->val_);
      } else {
        v = std::move(x->val_);  // str, inlineStr, e
      }
      auto c = static_cast<size_t>(x->col_);
      if (x->cur_.problem == RowProblem::None && x->valTooLarge_) {
        x->cur_.problem = RowProblem::CellTooLarge;
        x->cur_.problemCell = x->col_;
      }
      if (c >= kMaxColumns) {
        if (x->cur_.problem == RowProblem::None) x->cur_.problem = RowProblem::TooManyCells;
        v.clear();
      }
      x->noteCellProblem(c, v);
      if (!v.empty()) {
        x->cur_.cells.set(c, v);
      }
    } else if (n == "row" && x->inRow_) {
      x->inRow_ = false;
      x->lastRow_ = x->cur_.number;
      x->ready_.push_back(std::move(x->cur_));
    }
  }
  static void text(void *u, const XML_Char *t, int len) {
    auto *x = static_cast<XlsxReader *>(u);
    if (x->inValue_ && x->phonetic_ == 0) {
      size_t room = kMaxCellBytes - std::min(x->val_.size(), kMaxCellBytes);
      if (static_cast<size_t>(len) > room) x->valTooLarge_ = true;  // an inline string or value past the limit
      x->val_.append(t, std::min(static_cast<size_t>(len), room));
    }
  }

  // A formula whose result Excel never stored (a file written by a program,
  // not saved by Excel) reads as nothing; an error value (#DIV/0!) is not a
  // value. Either makes the row unreadable: the first such cell is kept.
  void noteCellProblem(size_t c, const std::string &v) {
    if (cur_.problem != RowProblem::None) return;
    if (hasFormula_ && !hasValue_) {
      cur_.problem = RowProblem::FormulaNoValue;
    } else if (type_ == "e") {
      cur_.problem = RowProblem::ErrorValue;
      cur_.detail = v;
    } else {
      return;
    }
    cur_.problemCell = static_cast<int64_t>(c);
  }

  Zip zip_;
  SharedStrings shared_;
  std::unique_ptr<Xml> sheetXml_;
  std::deque<Row> ready_;
  Row cur_;
  bool inRow_ = false, inCell_ = false, inValue_ = false, hasFormula_ = false, hasValue_ = false, valTooLarge_ = false;
  int phonetic_ = 0;
  int64_t col_ = 0, nextCol_ = 0, lastRow_ = 0;
  static constexpr long long kMaxSheetRow = 1048576;
  std::string type_, val_, error_;
};

} // namespace

std::unique_ptr<RecordReader> xlsxReaderImpl(const std::string &path, const std::string &sheet) {
  return std::make_unique<XlsxReader>(path, sheet);
}

} // namespace rubric::records
