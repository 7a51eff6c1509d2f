// .xlsx results with libxlsxwriter (library rubric_scoring_xlsx; defines
// makeXlsxWriterImpl, which Output.cpp references weakly). Constant-memory mode: each row goes to
// a temporary file as it comes; strings are written inline.
#include <cstdlib>
#include <cstring>

#include <xlsxwriter.h>

#include "runtime/scoring/Output.h"

namespace rubric::runtime {

namespace {

using namespace xlsxcell;

class LxwWriter : public XlsxWriter {
 public:
  LxwWriter(const std::string &path, const std::vector<std::string> &headers) {
    lxw_workbook_options opts{};
    opts.constant_memory = LXW_TRUE;
    opts.use_zip64 = LXW_TRUE;
    wb_ = workbook_new_opt(path.c_str(), &opts);
    if (!wb_) {
      fail("cannot create the workbook");
      return;
    }
    bold_ = workbook_add_format(wb_);
    format_set_bold(bold_);
    ws_ = workbook_add_worksheet(wb_, "评分结果");
    if (!ws_) {
      fail("cannot add a worksheet");
      return;
    }
    writeHeader(ws_, headers);
    row_ = 1;
  }
  ~LxwWriter() override {
    if (wb_) lxw_workbook_free(wb_);  // not closed: nothing is written
  }
  LxwWriter(const LxwWriter &) = delete;
  LxwWriter &operator=(const LxwWriter &) = delete;

  const std::string &error() const { return error_; }

  bool rows(std::string_view b) override {
    if (!error_.empty() || !ws_) return false;
    size_t p = 0;
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
        ++row_;
        col_ = 0;
        continue;
      }
      if (tag != kXText && tag != kXNumber && tag != kXNull) {
        fail("internal error: bad cell stream");
        return false;
      }
      if (row_ >= kMaxRows) {
        fail("more than " + std::to_string(kMaxRows - 1) + " rows: too many for one worksheet");
        return false;
      }
      auto r = static_cast<lxw_row_t>(row_);
      if (tag == kXText) {
        getStr(scratch_);
        if (!scratch_.empty()) check(worksheet_write_string(ws_, r, col_, scratch_.c_str(), nullptr));
      } else if (tag == kXNumber) {
        getStr(scratch_);
        char *endp = nullptr;
        double v = std::strtod(scratch_.c_str(), &endp);
        if (endp && *endp == '\0') check(worksheet_write_number(ws_, r, col_, v, nullptr));
        else check(worksheet_write_string(ws_, r, col_, scratch_.c_str(), nullptr));
      }
      ++col_;
    }
    return error_.empty();
  }

  void rejected(std::string file, int64_t row, std::string message) override {
    rejected_.push_back({std::move(file), row, std::move(message)});
  }

  bool close(std::string &error) override {
    if (!wb_) {
      error = error_;
      return false;
    }
    if (!rejected_.empty() && error_.empty()) {
      lxw_worksheet *rs = workbook_add_worksheet(wb_, "拒绝的行");
      if (!rs) {
        fail("cannot add a worksheet");
      } else {
        writeHeader(rs, {"文件", "行", "原因"});
        lxw_row_t r = 1;
        for (const auto &j : rejected_) {
          if (r >= kMaxRows) break;
          check(worksheet_write_string(rs, r, 0, j.file.c_str(), nullptr));
          check(worksheet_write_number(rs, r, 1, static_cast<double>(j.row), nullptr));
          check(worksheet_write_string(rs, r, 2, j.message.c_str(), nullptr));
          ++r;
        }
      }
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
  void check(lxw_error e) {
    if (e != LXW_NO_ERROR) fail(lxw_strerror(e));
  }
  void writeHeader(lxw_worksheet *sheet, const std::vector<std::string> &headers) {
    for (size_t c = 0; c < headers.size(); ++c)
      check(worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), headers[c].c_str(), bold_));
    worksheet_freeze_panes(sheet, 1, 0);
  }

  struct Rejected {
    std::string file;
    int64_t row;
    std::string message;
  };
  lxw_workbook *wb_ = nullptr;
  lxw_worksheet *ws_ = nullptr;
  lxw_format *bold_ = nullptr;
  int64_t row_ = 0;  // the next row (0 = the header)
  lxw_col_t col_ = 0;
  std::string error_, scratch_;
  std::vector<Rejected> rejected_;  // in memory: one entry per rejected row
};

} // namespace

std::unique_ptr<XlsxWriter> makeXlsxWriterImpl(const std::string &path, const std::vector<std::string> &headers,
                                               std::string &error) {
  auto w = std::make_unique<LxwWriter>(path, headers);
  if (!w->error().empty()) {
    error = w->error();
    return nullptr;
  }
  return w;
}

} // namespace rubric::runtime
