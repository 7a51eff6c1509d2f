// .xlsx results with libxlsxwriter (library rubric_scoring_xlsx; defines
// makeXlsxWriterImpl, which Output.cpp references weakly). Constant-memory mode: each row goes to
// a temporary file as it comes; strings are written inline. Column widths and
// the 汇总 sheet are settled at close(), when every cell has been seen.
#include <algorithm>
#include <cstdlib>
#include <cstring>

#include <xlsxwriter.h>

#include "runtime/scoring/Output.h"
#include "runtime/scoring/Text.h"
#include "runtime/scoring/WorkbookTime.h"

namespace rubric::runtime {

namespace {

using namespace xlsxcell;

// Column widths in Excel's units (one digit). A column is as wide as its
// widest cell plus a margin, up to kMaxWidth; a cell wider than that wraps
// (and only such a cell, so ordinary rows stay one line high). A header wider
// than kHeaderWidth wraps rather than widening a column of short numbers.
constexpr size_t kMaxWidth = 50, kHeaderWidth = 24, kMinWidth = 6, kMargin = 2;
// A printed sheet is shrunk to fit this much width on each page (about 1.4×
// what an A4 landscape page holds at 100%: type stays legible at ~75%).
constexpr size_t kPageWidth = 200;
constexpr double kLineHeight = 15;  // points: one line of the default 11-point font

struct Formats {
  lxw_format *bold = nullptr, *header = nullptr, *wrap = nullptr, *title = nullptr;

  explicit Formats(lxw_workbook *wb) {
    bold = workbook_add_format(wb);
    format_set_bold(bold);
    header = workbook_add_format(wb);
    format_set_bold(header);
    format_set_text_wrap(header);
    format_set_align(header, LXW_ALIGN_CENTER);
    format_set_align(header, LXW_ALIGN_VERTICAL_CENTER);
    wrap = workbook_add_format(wb);
    format_set_text_wrap(wrap);  // bottom-aligned like its neighbours: the last lines line up
    title = workbook_add_format(wb);
    format_set_bold(title);
    format_set_font_size(title, 14);
    format_set_align(title, LXW_ALIGN_VERTICAL_CENTER);
  }
};

// One worksheet, written a row at a time, that remembers its columns' widths.
class Sheet {
 public:
  Sheet(lxw_worksheet *ws, const Formats &f, std::string &error) : ws_(ws), f_(f), error_(error) {}

  // Rows above the header, at the left: the sheet's width is known only at
  // the end, and a title centred over a sheet printed on several pages would
  // be split between them.
  void titleRows(const std::vector<std::string> &rows) {
    for (size_t r = 0; r < rows.size(); ++r) {
      auto row = static_cast<lxw_row_t>(r);
      if (r == 0) check(worksheet_set_row(ws_, row, 24, nullptr));
      check(worksheet_write_string(ws_, row, 0, rows[r].c_str(), r == 0 ? f_.title : nullptr));
    }
  }
  // Bold; a name wider than kHeaderWidth wraps, and the row is as high as its most lines.
  void header(lxw_row_t row, const std::vector<std::string> &names) {
    size_t lines = 1;
    for (size_t c = 0; c < names.size(); ++c) {
      auto col = static_cast<lxw_col_t>(c);
      size_t w = spreadsheetWidth(names[c]);
      check(worksheet_write_string(ws_, row, col, names[c].c_str(), f_.header));
      note(col, std::min(w, kHeaderWidth));
      lines = std::max(lines, (w + kHeaderWidth - 1) / kHeaderWidth);
    }
    if (lines > 1) check(worksheet_set_row(ws_, row, kLineHeight * static_cast<double>(lines), nullptr));
  }
  void text(lxw_row_t row, lxw_col_t col, const std::string &s, lxw_format *fmt = nullptr) {
    if (s.empty()) return;
    size_t w = spreadsheetWidth(s);
    check(worksheet_write_string(ws_, row, col, s.c_str(), fmt ? fmt : w > kMaxWidth ? f_.wrap : nullptr));
    note(col, w);
    if (w > kMaxWidth) tallerRow(row, (w + kMaxWidth - 1) / kMaxWidth);
  }
  // A number as RowEncoder wrote it ("12.5"); text if it does not parse.
  void number(lxw_row_t row, lxw_col_t col, const std::string &s) {
    char *end = nullptr;
    double v = std::strtod(s.c_str(), &end);
    if (!end || *end != '\0') return text(row, col, s);
    check(worksheet_write_number(ws_, row, col, v, nullptr));
    note(col, s.size());
  }
  void fitColumns() {
    size_t total = 0;
    for (size_t c = 0; c < widths_.size(); ++c) {
      size_t w = std::clamp(widths_[c] + kMargin, kMinWidth, kMaxWidth + kMargin);
      total += w;
      check(worksheet_set_column(ws_, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), static_cast<double>(w), nullptr));
    }
    if (printed_) worksheet_fit_to_pages(ws_, static_cast<uint16_t>(std::min<size_t>((total + kPageWidth - 1) / kPageWidth, 100)), 0);
  }
  // Printed on A4 landscape, the header row and the id column repeated on
  // every page; fitColumns() sets how many pages wide (kPageWidth).
  void pageSetup(lxw_row_t headerRow) {
    worksheet_set_paper(ws_, 9);  // A4
    worksheet_set_landscape(ws_);
    check(worksheet_repeat_rows(ws_, headerRow, headerRow));
    check(worksheet_repeat_columns(ws_, 0, 0));
    printed_ = true;
  }
  void check(lxw_error e) {
    if (e != LXW_NO_ERROR && error_.empty()) error_ = lxw_strerror(e);
  }
  lxw_worksheet *ws() const { return ws_; }

 private:
  // Spreadsheets do not grow a row for wrapped text they did not wrap
  // themselves; a wrapped cell's column is kMaxWidth wide, so its lines are known.
  void tallerRow(lxw_row_t row, size_t lines) {
    if (row != tallRow_) tallRow_ = row, tallLines_ = 1;
    if (lines <= tallLines_) return;
    tallLines_ = lines;
    check(worksheet_set_row(ws_, row, kLineHeight * static_cast<double>(lines), nullptr));
  }
  void note(lxw_col_t col, size_t width) {
    if (col >= widths_.size()) widths_.resize(col + 1, 0);
    widths_[col] = std::max(widths_[col], std::min(width, kMaxWidth));
  }
  lxw_worksheet *ws_;
  const Formats &f_;
  std::string &error_;
  std::vector<size_t> widths_;
  bool printed_ = false;
  lxw_row_t tallRow_ = 0;
  size_t tallLines_ = 1;
};

// Reads RowEncoder(Xlsx)'s cell stream into a sheet from `row` on. Returns
// the next row, or -1 after a bad stream or a row past the worksheet's end.
int64_t writeCells(Sheet &sheet, std::string_view b, int64_t row, std::string &scratch, std::string &error) {
  size_t p = 0;
  lxw_col_t col = 0;
  auto getStr = [&](std::string &out) {
    uint32_t n;
    std::memcpy(&n, b.data() + p, sizeof n);
    p += sizeof n;
    out.assign(b.data() + p, n);
    p += n;
  };
  while (p < b.size()) {
    char tag = b[p++];
    if (tag == kXEnd) {
      ++row;
      col = 0;
      continue;
    }
    if (tag != kXText && tag != kXNumber && tag != kXNull) {
      error = "internal error: bad cell stream";
      return -1;
    }
    if (row >= XlsxWriter::kMaxRows) {
      error = "more than " + std::to_string(XlsxWriter::kMaxRows - 1) + " rows: too many for one worksheet";
      return -1;
    }
    if (tag != kXNull) getStr(scratch);
    if (tag == kXText) sheet.text(static_cast<lxw_row_t>(row), col, scratch);
    if (tag == kXNumber) sheet.number(static_cast<lxw_row_t>(row), col, scratch);
    ++col;
  }
  return row;
}

class LxwWriter : public XlsxWriter {
 public:
  LxwWriter(const std::string &path, const WorkbookLayout &layout) {
    lxw_workbook_options opts{};
    opts.constant_memory = LXW_TRUE;
    opts.use_zip64 = LXW_TRUE;
    wb_ = workbook_new_opt(path.c_str(), &opts);
    if (!wb_) {
      fail("cannot create the workbook");
      return;
    }
    setReproducibleCreationTime(wb_);
    formats_ = std::make_unique<Formats>(wb_);
    lxw_worksheet *ws = workbook_add_worksheet(wb_, "评分结果");
    if (!ws) {
      fail("cannot add a worksheet");
      return;
    }
    results_ = std::make_unique<Sheet>(ws, *formats_, error_);
    results_->titleRows(layout.titleRows);
    auto headerRow = static_cast<lxw_row_t>(layout.titleRows.size());
    results_->header(headerRow, layout.headers);
    worksheet_freeze_panes(ws, headerRow + 1, 1);  // the header and the id column stay in view
    results_->pageSetup(headerRow);
    row_ = headerRow + 1;
  }
  ~LxwWriter() override {
    if (wb_) lxw_workbook_free(wb_);  // not closed: nothing is written
  }
  LxwWriter(const LxwWriter &) = delete;
  LxwWriter &operator=(const LxwWriter &) = delete;

  const std::string &error() const { return error_; }

  bool rows(std::string_view b) override {
    if (!error_.empty() || !results_) return false;
    std::string error;
    int64_t next = writeCells(*results_, b, row_, scratch_, error);
    if (next < 0) fail(error);
    else row_ = next;
    return error_.empty();
  }

  void rejected(std::string file, int64_t row, std::string message) override {
    rejected_.push_back({std::move(file), row, std::move(message)});
  }

  void summary(std::vector<SheetBlock> blocks) override { summary_ = std::move(blocks); }

  bool close(std::string &error) override {
    if (!wb_) {
      error = error_;
      return false;
    }
    if (error_.empty()) {
      results_->fitColumns();
      if (!summary_.empty()) writeSummary();
      if (!rejected_.empty()) writeRejected();
    }
    lxw_error e = error_.empty() ? workbook_close(wb_) : (lxw_workbook_free(wb_), LXW_NO_ERROR);
    wb_ = nullptr;
    if (e != LXW_NO_ERROR) fail(lxw_strerror(e));
    error = error_;
    return error.empty();
  }

 private:
  void fail(const std::string &what) {
    if (error_.empty()) error_ = what;
  }
  lxw_worksheet *addSheet(const char *name) {
    lxw_worksheet *ws = workbook_add_worksheet(wb_, name);
    if (!ws) fail("cannot add a worksheet");
    return ws;
  }

  // Blocks one under another, a blank row between them.
  void writeSummary() {
    lxw_worksheet *ws = addSheet("汇总");
    if (!ws) return;
    Sheet sheet(ws, *formats_, error_);
    worksheet_set_paper(ws, 9);  // A4, one page wide
    worksheet_fit_to_pages(ws, 1, 0);
    int64_t row = 0;
    std::string error;
    for (const SheetBlock &b : summary_) {
      sheet.text(static_cast<lxw_row_t>(row++), 0, b.heading, formats_->bold);
      sheet.header(static_cast<lxw_row_t>(row++), b.columns);
      row = writeCells(sheet, b.cells, row, scratch_, error);
      if (row < 0) return fail(error);
      ++row;
    }
    sheet.fitColumns();
  }

  void writeRejected() {
    lxw_worksheet *ws = addSheet("拒绝的行");
    if (!ws) return;
    Sheet sheet(ws, *formats_, error_);
    sheet.header(0, {"文件", "行", "原因"});
    worksheet_freeze_panes(ws, 1, 0);
    lxw_row_t r = 1;
    for (const auto &j : rejected_) {
      if (r >= kMaxRows) break;
      sheet.text(r, 0, j.file);
      sheet.number(r, 1, std::to_string(j.row));
      sheet.text(r, 2, j.message);
      ++r;
    }
    sheet.fitColumns();
  }

  struct Rejected {
    std::string file;
    int64_t row;
    std::string message;
  };
  lxw_workbook *wb_ = nullptr;
  std::unique_ptr<Formats> formats_;
  std::unique_ptr<Sheet> results_;
  int64_t row_ = 0;  // the next row of 评分结果
  std::string error_, scratch_;
  std::vector<Rejected> rejected_;  // in memory: one entry per rejected row
  std::vector<SheetBlock> summary_;
};

} // namespace

std::unique_ptr<XlsxWriter> makeXlsxWriterImpl(const std::string &path, const WorkbookLayout &layout,
                                               std::string &error) {
  auto w = std::make_unique<LxwWriter>(path, layout);
  if (!w->error().empty()) {
    error = w->error();
    return nullptr;
  }
  return w;
}

} // namespace rubric::runtime
