// JSON Lines: one object per line, flattened to CSV-style header names.
// Parsed with nlohmann's SAX interface so numbers keep their exact text.
#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "RecordReader.h"

namespace rubric::records {

namespace {

using json = nlohmann::json;

class Flattener : public nlohmann::json_sax<json> {
 public:
  explicit Flattener(std::vector<std::pair<std::string, std::string>> &out) : out_(out) {}

  RowProblem problem = RowProblem::None;
  std::string detail;

  bool null() override { return scalar(std::string()); }
  bool boolean(bool v) override { return scalar(v ? "true" : "false"); }
  bool number_integer(number_integer_t v) override { return scalar(std::to_string(v)); }
  bool number_unsigned(number_unsigned_t v) override { return scalar(std::to_string(v)); }
  bool number_float(number_float_t, const string_t &s) override { return scalar(s); }
  bool string(string_t &v) override { return scalar(v); }
  bool binary(binary_t &) override { return scalar(std::string()); }

  bool start_object(std::size_t) override {
    if (stack_.empty()) {
      stack_.push_back({false, std::string(), 0, std::string()});
      return true;
    }
    std::string name = valueName();
    stack_.push_back({false, std::move(name), 0, std::string()});
    return true;
  }
  bool key(string_t &k) override {
    stack_.back().key = k;
    ++stack_.back().index;  // an object's index counts its keys
    return true;
  }
  bool end_object() override {
    // An empty object inside an object still says "an object was here" (a
    // list or a number written as {} must not vanish into an absent key).
    bool emptyMember = stack_.size() > 1 && stack_.back().index == 0 && !stack_[stack_.size() - 2].isArray;
    std::string prefix = std::move(stack_.back().prefix);
    stack_.pop_back();
    if (emptyMember) out_.emplace_back(prefix + "{}", std::string());
    return true;
  }
  bool start_array(std::size_t) override {
    if (stack_.empty()) return fail(RowProblem::NotAnObject);
    if (stack_.back().isArray) return fail(RowProblem::NestedArray);
    std::string name = valueName();
    stack_.push_back({true, std::move(name), 0, std::string()});
    return true;
  }
  bool end_array() override {
    Frame &f = stack_.back();
    out_.emplace_back(f.prefix + "[#]", std::to_string(f.index));
    stack_.pop_back();
    return true;
  }
  bool parse_error(std::size_t, const std::string &, const nlohmann::detail::exception &ex) override {
    problem = RowProblem::BadJson;
    detail = ex.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 5: …" → "line 1, column 5: …"
    if (auto p = detail.find("parse error at "); p != std::string::npos) detail.erase(0, p + 15);
    else if (auto q = detail.find("] "); q != std::string::npos) detail.erase(0, q + 2);
    return false;
  }

 private:
  struct Frame {
    bool isArray;
    std::string prefix;
    int64_t index;
    std::string key;
  };

  std::string valueName() {
    Frame &f = stack_.back();
    if (f.isArray) return f.prefix + "[" + std::to_string(++f.index) + "]";
    return f.prefix.empty() ? f.key : f.prefix + "." + f.key;
  }
  bool scalar(std::string text) {
    if (stack_.empty()) return fail(RowProblem::NotAnObject);
    out_.emplace_back(valueName(), std::move(text));
    return true;
  }
  bool fail(RowProblem p) {
    problem = p;
    return false;
  }

  std::vector<std::pair<std::string, std::string>> &out_;
  std::vector<Frame> stack_;
};

class LineSource {
 public:
  explicit LineSource(std::unique_ptr<ByteSource> src) : src_(std::move(src)), buf_(1 << 20) {}
  // The next line without its line end; false at the end.
  // A line stops growing at kMaxLineBytes (the rest is skipped; tooLong() says so).
  bool tooLong() const { return tooLong_; }
  bool next(std::string &line) {
    line.clear();
    tooLong_ = false;
    bool any = false;
    auto put = [&](const char *b, size_t n) {
      if (line.size() + n > kMaxLineBytes) tooLong_ = true, n = kMaxLineBytes - std::min(line.size(), kMaxLineBytes);
      line.append(b, n);
    };
    for (;;) {
      if (pos_ == end_) {
        if (eof_) return any;
        pos_ = 0;
        end_ = src_->read(buf_.data(), buf_.size());
        if (end_ == 0) {
          eof_ = true;
          return any;
        }
      }
      any = true;
      const char *b = buf_.data() + pos_;
      const char *nl = static_cast<const char *>(std::memchr(b, '\n', end_ - pos_));
      if (!nl) {
        put(b, end_ - pos_);
        pos_ = end_;
        continue;
      }
      put(b, static_cast<size_t>(nl - b));
      pos_ = static_cast<size_t>(nl - buf_.data()) + 1;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return true;
    }
  }

 private:
  std::unique_ptr<ByteSource> src_;
  std::vector<char> buf_;
  size_t pos_ = 0, end_ = 0;
  bool eof_ = false, tooLong_ = false;
};

bool blankLine(const std::string &s) {
  for (char c : s)
    if (c != ' ' && c != '\t' && c != '\r') return false;
  return true;
}

class JsonLinesReader : public RecordReader {
 public:
  JsonLinesReader(std::unique_ptr<ByteSource> src, std::string name)
      : RecordReader(std::move(name)), lines_(std::move(src)) {}

  bool headersFixed() const override { return false; }

  bool next(Row &row) override {
    for (;;) {
      if (!lines_.next(line_)) return false;
      ++lineNo_;
      if (blankLine(line_)) continue;
      break;
    }
    row.number = lineNo_;
    row.textChecked = false;
    row.detail.clear();
    row.problemCell = -1;
    row.brokenCell = -1;  // (a JSON string's line breaks are escaped: no line is taken in)
    pairs_.clear();
    row.problem = lines_.tooLong() ? RowProblem::LineTooLong : flattenJsonObject(line_, pairs_, row.detail);
    size_t width = row.cells.size();  // every cell blank, as many as before
    row.cells.clear();
    row.cells.resize(width);
    if (row.problem == RowProblem::None) row.problem = checkLimits(row.detail);
    if (row.problem != RowProblem::None) {
      row.problemCell = limitColumn_;
      row.cells.clear();
      row.present.clear();
      return true;
    }
    row.problemCell = -1;
    std::fill(row.present.begin(), row.present.end(), 0);
    for (auto &[k, v] : pairs_) {
      auto [it, inserted] = index_.try_emplace(k, headers_.size());
      if (inserted) headers_.push_back(k);
      if (row.cells.size() < headers_.size()) {
        row.cells.resize(headers_.size());
        row.present.resize(headers_.size(), 0);
      }
      if (row.present[it->second] && row.problem == RowProblem::None) {
        // {"a": 1, "a": 2}: which one was meant? Not ours to guess.
        row.problem = RowProblem::DuplicateKey;
        row.problemCell = static_cast<int64_t>(it->second);
      }
      row.present[it->second] = 1;
      row.cells.set(it->second, v);
    }
    return true;
  }

 private:
  // The reader's limits on one flattened line: a cell of at most kMaxCellBytes,
  // at most kMaxColumns columns in all.
  RowProblem checkLimits(std::string &key) {
    limitColumn_ = -1;
    size_t newKeys = 0;
    for (const auto &[k, v] : pairs_) {
      auto it = index_.find(k);
      if (v.size() > kMaxCellBytes) {
        limitColumn_ = it != index_.end() ? static_cast<int64_t>(it->second) : -1;
        key = k;
        return RowProblem::CellTooLarge;
      }
      newKeys += it == index_.end();
    }
    return headers_.size() + newKeys > kMaxColumns ? RowProblem::TooManyCells : RowProblem::None;
  }

  LineSource lines_;
  int64_t limitColumn_ = -1;
  std::string line_;
  int64_t lineNo_ = 0;
  std::vector<std::pair<std::string, std::string>> pairs_;
  std::unordered_map<std::string, size_t> index_;
};

} // namespace

RowProblem flattenJsonObject(std::string_view text, std::vector<std::pair<std::string, std::string>> &out,
                             std::string &detail) {
  Flattener f(out);
  bool ok = json::sax_parse(text.begin(), text.end(), &f);
  if (!ok && f.problem == RowProblem::None) f.problem = RowProblem::BadJson;
  detail = f.detail;
  if (f.problem != RowProblem::None) out.clear();
  return f.problem;
}

std::unique_ptr<RecordReader> jsonLinesReader(std::unique_ptr<ByteSource> src, std::string name) {
  return std::make_unique<JsonLinesReader>(std::move(src), std::move(name));
}

} // namespace rubric::records
