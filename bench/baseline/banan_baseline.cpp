// banan_baseline INPUT.csv -o OUT.csv [--reading 师资库两级计分=累加|取最高]
//
// A hand-written scorer of 2025 巴南 个人 (rubrics/2025/banan-individual.rubric),
// the yardstick for the generated scorer (issue 13). It shares no code with
// runtime/ or compiler/: its own CSV scan (CsvScan.h), cell parsing (Cells.h),
// int64 fixed point (Score.h). It writes what `rubricc build` + `./scorer IN -o OUT`
// writes for CSV in input order — BOM, then 姓名,状态,总分,1 专业素养,2 案卷质量,
// 3 案件查办,4 实战练兵,排名 — and refuses bad rows with file, line and column on
// stderr (it writes no .rejected.csv). Like the generated scorer it rejects
// duplicate 姓名 and reports 案卷号 shared by different candidates.
//
// Ranks need every total, so rows go to an unlinked temporary file first
// (8 bytes per scored row stay in memory for the ranking); a second pass adds
// the ranks and writes the output.
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <unistd.h>
#include <vector>

#include "CsvScan.h"
#include "Cells.h"
#include "Header.h"
#include "Score.h"
#include "StringSet.h"

using namespace baseline;

namespace {

constexpr uint32_t kSharedBit = uint32_t{1} << 31;  // a spilled row's size: it shares a 案卷 with an earlier row
const std::string kSharedCell = ",不同候选个人不得共用同一份案卷\n";

// Bytes appended to a buffer, written with write() in large pieces.
class OutBuf {
public:
  explicit OutBuf(int fd) : fd_(fd) { buf_.reserve(kFlushAt + 4096); }
  void put(const void *p, size_t n) {
    buf_.insert(buf_.end(), static_cast<const char *>(p), static_cast<const char *>(p) + n);
    if (buf_.size() >= kFlushAt) flush();
  }
  void put(std::string_view s) { put(s.data(), s.size()); }
  bool flush() {
    for (size_t done = 0; done < buf_.size();) {
      ssize_t n = ::write(fd_, buf_.data() + done, buf_.size() - done);
      if (n < 0) {
        failed_ = true;
        break;
      }
      done += static_cast<size_t>(n);
    }
    buf_.clear();
    return !failed_;
  }
  bool failed() const { return failed_; }

private:
  static constexpr size_t kFlushAt = size_t{1} << 20;
  int fd_;
  std::vector<char> buf_;
  bool failed_ = false;
};

// Half up to 6 decimals, trailing zeros dropped: 20.25, 11.9445, 0.000023.
char *formatTenths(char *p, int64_t tenths) {
  int64_t raw = (tenths + 5) / 10;  // scores are never negative
  p = std::to_chars(p, p + 24, raw / kRawOne).ptr;
  int64_t frac = raw % kRawOne;
  if (frac == 0) return p;
  char digits[6];
  for (int k = 5; k >= 0; --k, frac /= 10) digits[k] = static_cast<char>('0' + frac % 10);
  int n = 6;
  while (digits[n - 1] == '0') --n;
  *p++ = '.';
  std::memcpy(p, digits, static_cast<size_t>(n));
  return p + n;
}

void appendCsvField(std::string &out, std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(s);
    return;
  }
  out += '"';
  for (char c : s) out.append(c == '"' ? 2 : 1, c);
  out += '"';
}

struct Options {
  std::string input, output;
  PoolReading reading = PoolReading::Cumulative;
};

class Baseline {
public:
  explicit Baseline(Options o) : o_(std::move(o)) {}
  int run();

private:
  bool load(const std::vector<std::string_view> &cells, int64_t line);
  bool setCell(const Binding &b, std::string_view cell, size_t column, int64_t line);
  bool claimId(std::string_view id, size_t column, int64_t line);
  bool checkCaseFiles(int64_t line);
  void spillRow(bool sharedCaseFile);
  bool writeOutput(int spillFd, int outFd);
  void rowError(int64_t line, const std::string &what);
  bool cellError(int64_t line, size_t column, std::string_view cell, const char *expected);

  Options o_;
  Header header_;
  size_t idColumn_ = 0;
  Record rec_;
  std::string_view id_, recommended_, sampled_;
  uint32_t roundsUsed_ = 0;
  StringSet ids_, caseFiles_;
  std::vector<int64_t> validTotals_;
  std::string row_;
  OutBuf *spill_ = nullptr;
  int64_t rowsRead_ = 0, rowsScored_ = 0, rowsRejected_ = 0, checkErrors_ = 0;
};

void Baseline::rowError(int64_t line, const std::string &what) {
  std::string msg = o_.input + ":" + std::to_string(line) + ": 错误: " + what + "；该行未评分\n";
  std::fwrite(msg.data(), 1, msg.size(), stderr);
}

bool Baseline::cellError(int64_t line, size_t column, std::string_view cell, const char *expected) {
  rowError(line, "列“" + header_.names[column] + "”：“" + std::string(cell) + "”不是有效的" + expected);
  return false;
}

bool Baseline::claimId(std::string_view id, size_t column, int64_t line) {
  if (id.empty()) return rowError(line, "标识列“" + header_.names[column] + "”为空"), false;
  if (!validUtf8(id)) return cellError(line, column, "…", "UTF-8 文本");
  int64_t first = ids_.insert(id, line);
  if (first == line) return true;
  rowError(line, "标识“" + std::string(id) + "”（列“" + header_.names[column] + "”）与 " + o_.input + ":" +
                     std::to_string(first) + " 重复；每个候选对象只能有一行，请删除或更正重复的行");
  return false;
}

bool Baseline::setCell(const Binding &b, std::string_view cell, size_t column, int64_t line) {
  bool ok = true, *flag = nullptr;
  int64_t *count = nullptr, *percent = nullptr;
  Record &r = rec_;
  switch (b.col) {
  case Col::Ignore: return true;
  case Col::Name: id_ = cell; return true;  // checked by claimId, empty or not
  case Col::Recommended: recommended_ = cell; break;
  case Col::Sampled: sampled_ = cell; break;
  case Col::Skill:
    if (cell == "省级") r.skill = Skill::Province;
    else if (cell == "市级") r.skill = Skill::City;
    else if (cell == "无") r.skill = Skill::None;
    else ok = cellError(line, column, cell, "选项（无、市级、省级 之一）");
    return ok;
  case Col::ProvincialPool: flag = &r.provincialPool; break;
  case Col::NationalPool: flag = &r.nationalPool; break;
  case Col::NewEquipment: flag = &r.newEquipment; break;
  case Col::Inspection: flag = &r.provincialInspection; break;
  case Col::Hazardous: flag = &r.hazardousWaste; break;
  case Col::NewDomain: flag = &r.newDomain; break;
  case Col::Lawsuit: flag = &r.lostLawsuit; break;
  case Col::Rules: flag = &r.brokeRules; break;
  case Col::Integrity: flag = &r.integrity; break;
  case Col::OutstandingYears:
    return parseYearSet(cell, r.outstandingYears) || cellError(line, column, cell, "年份集（如 2022、2023、2024）");
  case Col::RemoteCases: count = &r.remoteCases; break;
  case Col::Criminal: count = &r.criminalCases; break;
  case Col::Detention: count = &r.detentionCases; break;
  case Col::FileReview: percent = &r.fileReview; break;
  case Col::RoundTask: percent = &r.rounds[b.round].task; break;
  case Col::RoundFound: percent = &r.rounds[b.round].found; break;
  case Col::RoundTypical: percent = &r.rounds[b.round].typical; break;
  }
  if (b.col == Col::Recommended || b.col == Col::Sampled)
    return validUtf8(cell) || cellError(line, column, "…", "UTF-8 文本");
  if (flag && !parseBool(cell, *flag)) return cellError(line, column, cell, "是否值（是/否）");
  if (count && !parseCount(cell, *count)) return cellError(line, column, cell, "件数（非负整数）");
  if (percent) {
    switch (parsePercent(cell, *percent)) {
    case PercentIssue::None: break;
    case PercentIssue::Syntax: return cellError(line, column, cell, "百分比（如 85%）");
    case PercentIssue::TooPrecise: return cellError(line, column, cell, "百分比：小数位超过 6 位");
    case PercentIssue::Ambiguous: return cellError(line, column, cell, "百分比：不带 % 的数只能在 0 到 1 之间");
    case PercentIssue::OutOfRange: return cellError(line, column, cell, "百分比：超出允许的范围 0% 至 100%");
    }
    if (b.col >= Col::RoundTask && b.round + 1 > roundsUsed_) roundsUsed_ = b.round + 1;
  }
  return true;
}

// One data row into rec_ (and id_, recommended_, sampled_); false if rejected.
// An empty cell is the field's default (否, 无, 0, no round).
bool Baseline::load(const std::vector<std::string_view> &cells, int64_t line) {
  std::vector<Round> rounds = std::move(rec_.rounds);  // keeps its capacity: no allocation per row
  rec_ = Record{};
  rec_.rounds = std::move(rounds);
  rec_.rounds.assign(header_.rounds, Round{});
  roundsUsed_ = 0;
  id_ = recommended_ = sampled_ = {};
  bool ok = true;
  size_t n = std::min(cells.size(), header_.bindings.size());
  for (size_t i = 0; i < n; ++i) {
    std::string_view cell = trim(cells[i]);
    if (!cell.empty()) ok &= setCell(header_.bindings[i], cell, i, line);
  }
  // A row with too few cells, or content past the header, has its columns shifted.
  bool shifted = cells.size() < header_.bindings.size();
  for (size_t i = n; i < cells.size(); ++i) shifted |= !trim(cells[i]).empty();
  if (shifted) {
    rowError(line, "该行有 " + std::to_string(cells.size()) + " 个单元格，而表头有 " +
                       std::to_string(header_.bindings.size()) + " 列；各列已错位（多了或少了逗号？）");
    ok = false;
  }
  // The id is claimed even by a row rejected for another reason, as the generated scorer does.
  ok &= claimId(id_, idColumn_, line);
  rec_.rounds.resize(roundsUsed_);
  return ok;
}

// 校验 "不同候选个人不得共用同一份案卷" 唯一(推荐案卷号, 抽查案卷号): one value in both
// columns of one row is one candidate's file; on two rows it is reported, and named in the
// later row's 校验 cell (true). Reports only: scores and status are unchanged.
bool Baseline::checkCaseFiles(int64_t line) {
  bool shared = false;
  for (std::string_view v : {recommended_, sampled_}) {
    if (v.empty()) continue;
    int64_t first = caseFiles_.insert(v, line);
    if (first == line) continue;
    ++checkErrors_;
    std::string msg = o_.input + ":" + std::to_string(line) + ": 错误: 不同候选个人不得共用同一份案卷：值“" +
                      std::string(v) + "”与 " + o_.input + ":" + std::to_string(first) + " 重复\n";
    std::fwrite(msg.data(), 1, msg.size(), stderr);
    shared = true;
  }
  return shared;
}

// The row up to its rank, after its exact total (−1: vetoed, no rank) and length, whose top bit
// says the row shares a 案卷 with an earlier one.
void Baseline::spillRow(bool sharedCaseFile) {
  Scores s = score(rec_, o_.reading);
  unsigned v = vetoes(rec_);
  row_.clear();
  appendCsvField(row_, id_);
  if (v == 0) {
    row_ += ",有效";
  } else {
    row_ += ",取消资格：";
    const char *sep = "";
    for (unsigned k = 0; k < std::size(kVetoReasons); ++k)
      if (v & (1u << k)) row_.append(sep).append(kVetoReasons[k]), sep = "；";
  }
  char num[32];
  for (int64_t x : {s.total, s.indicators[0], s.indicators[1], s.indicators[2], s.indicators[3]}) {
    row_ += ',';
    row_.append(num, formatTenths(num, x));
  }
  row_ += ',';
  int64_t key = v == 0 ? s.total : -1;
  if (v == 0) validTotals_.push_back(s.total);
  auto size = static_cast<uint32_t>(row_.size()) | (sharedCaseFile ? kSharedBit : 0);
  spill_->put(&key, sizeof key);
  spill_->put(&size, sizeof size);
  spill_->put(row_);
}

// Reads the spilled rows back in order, with their ranks: standard competition
// ranking (1, 2, 2, 4) of the exact totals, vetoed rows unranked.
bool Baseline::writeOutput(int spillFd, int outFd) {
  std::sort(validTotals_.begin(), validTotals_.end());
  OutBuf out(outFd);
  out.put("\xEF\xBB\xBF姓名,状态,总分,1 专业素养,2 案卷质量,3 案件查办,4 实战练兵,排名,校验\n");
  if (::lseek(spillFd, 0, SEEK_SET) != 0) return false;
  std::vector<char> buf(size_t{4} << 20);
  size_t begin = 0, end = 0;
  auto need = [&](size_t n) {  // at least n unread bytes in buf, or false at the end
    if (end - begin >= n) return true;
    std::memmove(buf.data(), buf.data() + begin, end - begin);
    end -= begin;
    begin = 0;
    if (buf.size() < n) buf.resize(n);
    while (end < n) {
      ssize_t got = ::read(spillFd, buf.data() + end, buf.size() - end);
      if (got <= 0) return false;
      end += static_cast<size_t>(got);
    }
    return true;
  };
  char num[24];
  while (need(12)) {
    int64_t key;
    uint32_t size;
    std::memcpy(&key, buf.data() + begin, 8);
    std::memcpy(&size, buf.data() + begin + 8, 4);
    begin += 12;
    bool shared = size & kSharedBit;
    size &= ~kSharedBit;
    if (!need(size)) return false;
    out.put(buf.data() + begin, size);
    begin += size;
    if (key >= 0) {
      auto above = validTotals_.end() - std::upper_bound(validTotals_.begin(), validTotals_.end(), key);
      out.put(num, static_cast<size_t>(std::to_chars(num, num + sizeof num, above + 1).ptr - num));
    }
    if (shared) out.put(kSharedCell);
    else out.put(",\n", 2);
  }
  return end == begin && out.flush();
}

int Baseline::run() {
  auto fail = [](const std::string &msg) {
    std::fprintf(stderr, "%s\n", msg.c_str());
    return 2;
  };
  int in = o_.input == "-" ? 0 : ::open(o_.input.c_str(), O_RDONLY);
  if (in < 0) return fail(o_.input + ": 错误: 无法读取输入文件");
  int out = o_.output == "-" ? 1 : ::open(o_.output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (out < 0) return fail(o_.output + ": 错误: 无法写入输出文件");
  std::string spillPath = std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") + "/banan_baseline.XXXXXX";
  int spillFd = ::mkstemp(spillPath.data());
  if (spillFd < 0) return fail("错误: 无法创建临时文件");
  ::unlink(spillPath.c_str());

  CsvScan scan(in);
  std::vector<std::string_view> cells;
  int64_t line = 0;
  const char *error = nullptr;
  if (!scan.next(cells, line, error)) return fail(o_.input + ": 错误: 没有表头" + (error ? std::string("：") + error : ""));
  if (cells[0].substr(0, 3) == "\xEF\xBB\xBF") cells[0].remove_prefix(3);
  std::string missing;
  std::vector<std::string> warnings;
  bool bound = bindHeader(cells, header_, missing, warnings);
  for (const std::string &w : warnings) std::fprintf(stderr, "%s: %s\n", o_.input.c_str(), w.c_str());
  if (!bound) return fail(o_.input + ":1: 错误: " + missing + "；没有评分任何一行");
  for (size_t i = 0; i < header_.bindings.size(); ++i)
    if (header_.bindings[i].col == Col::Name) idColumn_ = i;

  OutBuf spill(spillFd);
  spill_ = &spill;
  while (scan.next(cells, line, error)) {
    if (cells.size() == 1 && trim(cells[0]).empty()) continue;  // a blank line is no record
    ++rowsRead_;
    if (!load(cells, line)) {
      ++rowsRejected_;
      continue;
    }
    ++rowsScored_;
    spillRow(checkCaseFiles(line));
  }
  if (error) return fail(o_.input + ":" + std::to_string(line) + ": 错误: " + error);
  if (!spill.flush() || !writeOutput(spillFd, out)) return fail(o_.output + ": 错误: 写出失败");
  std::fprintf(stderr, "读取 %lld 行，评分 %lld 行，拒绝 %lld 行", static_cast<long long>(rowsRead_),
               static_cast<long long>(rowsScored_), static_cast<long long>(rowsRejected_));
  if (checkErrors_) std::fprintf(stderr, "，校验错误 %lld 处", static_cast<long long>(checkErrors_));
  std::fprintf(stderr, "\n");
  return rowsRejected_ ? 1 : 0;
}

bool parseArgs(int argc, char **argv, Options &o) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-o" && i + 1 < argc) o.output = argv[++i];
    else if (a == "--reading" && i + 1 < argc) {
      std::string r = argv[++i];
      if (r == "师资库两级计分=累加") o.reading = PoolReading::Cumulative;
      else if (r == "师资库两级计分=取最高") o.reading = PoolReading::Highest;
      else return false;
    } else if (o.input.empty() && (a == "-" || a[0] != '-')) o.input = a;
    else return false;
  }
  return !o.input.empty() && !o.output.empty();
}

} // namespace

int main(int argc, char **argv) {
  Options o;
  if (!parseArgs(argc, argv, o)) {
    std::fprintf(stderr, "用法 / usage: banan_baseline INPUT.csv -o OUT.csv [--reading 师资库两级计分=累加|取最高]\n");
    return 2;
  }
  return Baseline(std::move(o)).run();
}
