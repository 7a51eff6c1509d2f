// RecordLoader: a row's scalar cells go straight onto the end of the batch's
// columns (no scratch row); a refused row leaves nothing behind. Checked
// against parseCell — the per-cell parser the loader used before, cell by
// cell — on hand-computed edges and on random cells.
#include <random>

#include <catch2/catch.hpp>

#include "FakeKernel.h"
#include "rubric_decimal.h"
#include "runtime/scoring/Cells.h"
#include "runtime/scoring/Columns.h"

using namespace rubric::runtime;

namespace {

// FakeKernel.h's columns.
constexpr size_t kName = 0, kJia = 1, kYi = 2, kClean = 3, kLevel = 4, kQuality1 = 8, kDivisor = 20, kCase = 21;

const std::vector<std::string> kHeaders = {"姓名", "甲", "乙", "廉洁问题", "级别", "除数", "数据质量[1]", "案卷号"};
// The column of each header above.
const std::vector<size_t> kColumnOf = {kName, kJia, kYi, kClean, kLevel, kDivisor, kQuality1, kCase};

struct Fixture {
  Program program = fake::makeProgram({});
  std::unique_ptr<ColumnIndex> index;
  std::unique_ptr<RecordLoader> loader;
  std::unique_ptr<Batch> batch;
  int64_t number = 1;

  Fixture() {
    program.columns[kYi].maxValue = 100 * RB_DEC_ONE;  // 乙 ≤ 100, for the range message
    index = std::make_unique<ColumnIndex>(program);
    loader = std::make_unique<RecordLoader>(*index, "t.csv", 0, Lang::Zh);
    batch = std::make_unique<Batch>(program, 4096);
    std::vector<std::string> messages;
    REQUIRE(loader->bind(kHeaders, true, messages));
  }

  // Loads one row of cells (in kHeaders' order); its messages in `messages`.
  bool load(const std::vector<std::string> &cells, std::vector<std::string> &messages) {
    rubric::records::Row row;
    row.number = ++number;
    for (const std::string &c : cells) row.cells.copy(c);
    messages.clear();
    return loader->load(row, *batch, messages);
  }

  // Every scalar column holds exactly one value per loaded record.
  void checkAligned() const {
    auto n = static_cast<size_t>(batch->size);
    for (int c : index->numberScalars) CHECK(batch->cols[static_cast<size_t>(c)].size() == n);
    for (int c : index->textScalars) {
      CHECK(batch->cols[static_cast<size_t>(c)].size() == n);
      CHECK(batch->text[static_cast<size_t>(c)].size() == n);
    }
  }
};

// A row whose every cell is fine, with `cell` in header h.
std::vector<std::string> rowWith(size_t h, const std::string &cell, const std::string &id = "R1") {
  std::vector<std::string> cells = {id, "1", "2", "否", "县级", "", "0.5", "A-1"};
  cells[h] = cell;
  return cells;
}

// What the loader stores for `cell` under column c, the old way: trimmed,
// empty → the default, else parseCell and the range. False: refused.
bool expected(const Program &p, size_t c, const std::string &cell, int64_t &v) {
  const ColumnDesc &d = p.columns[c];
  if (trimCell(cell).empty()) return v = d.defaultValue, true;
  if (parseCell(cell, d.kind, d.enumValues, v) != CellIssue::None) return false;
  return v >= d.minValue && v <= d.maxValue;
}

} // namespace

TEST_CASE("loader: numbers straight into the batch's columns, hand-computed edges") {
  Fixture f;
  std::vector<std::string> m;
  struct Case {
    size_t header;
    std::string cell;
    int64_t value;  // in units of 10^-6 (RB_DEC_ONE) for numbers
  } cases[] = {
      {1, "12.5", 12500000},                                  // 12.5 × 10^6
      {1, " \xEF\xBC\x91\xEF\xBC\x92.\xEF\xBC\x95 ", 12500000},  // " １２.５ ": full-width, trimmed
      {1, "\xE3\x80\x80" "7\xC2\xA0", 7000000},               // U+3000 7 NBSP → 7 × 10^6
      {1, "0.000001", 1},                                     // the smallest step
      {1, "1,234.5", 1234500000},                             // 1234.5 × 10^6
      {1, "-3.25", -3250000},                                 // −3.25 × 10^6
      {1, "9223372036854.775807", INT64_MAX},                 // 9223372036854775807 / 10^6
      {1, "-9223372036854.775807", -INT64_MAX},
      {1, "", 0},                                             // blank: 甲's default 0 (a blank cell, counted)
      {2, "3", 3000000},                                      // count 3 × 10^6
      {2, "100", 100000000},                                  // the top of 乙's range, 100 × 10^6
      {3, "是", 1},
      {3, "√", 1},
      {4, "市级", 1},                                         // the second option
      {5, "", 1000000},                                       // 除数's default 1 × 10^6
      {5, "2", 2000000},
      {6, "85%", 850000},                                     // 0.85 × 10^6
      {6, "0.85", 850000},
      {6, "８５％", 850000},                                   // full-width 85%
  };
  for (const Case &c : cases) {
    INFO(kHeaders[c.header] << " = '" << c.cell << "'");
    REQUIRE(f.load(rowWith(c.header, c.cell, "R" + std::to_string(f.number)), m));
    CHECK(m.empty());
    CHECK(f.batch->cols[kColumnOf[c.header]].back() == c.value);
  }
  CHECK(f.batch->size == static_cast<int64_t>(std::size(cases)));
  f.checkAligned();
}

TEST_CASE("loader: a refused cell refuses its row with the same message, and nothing of it stays in the batch") {
  Fixture f;
  std::vector<std::string> m;
  REQUIRE(f.load(rowWith(7, "first"), m));
  struct Case {
    size_t header;
    std::string cell;
    std::string says;
  } cases[] = {
      {1, "1.1234567", "小数位数超过 6 位"},                   // 7 decimals
      {1, "9223372036854.775808", "数值超出范围"},             // INT64_MAX + 1 in 10^-6
      {1, "abc", "不是有效的小数"},
      {2, "3.5", "必须是整数"},
      {2, "-1", "不能为负数"},
      {2, "101", "超出允许的范围"},                            // 乙 ≤ 100
      {3, "也许", "不是有效的是否值"},
      {4, "省级", "不是有效的选项"},
      {6, "85", "不带 % 的百分比应在 -1 到 1 之间"},
  };
  for (const Case &c : cases) {
    INFO(kHeaders[c.header] << " = '" << c.cell << "'");
    CHECK_FALSE(f.load(rowWith(c.header, c.cell, "X"), m));
    REQUIRE(m.size() == 1);
    CHECK(m[0].find("t.csv:" + std::to_string(f.number) + ": 错误: 列“" + kHeaders[c.header] + "”") == 0);
    CHECK(m[0].find(c.says) != std::string::npos);
    CHECK(f.batch->size == 1);
    f.checkAligned();
  }
  // The next fine row lands at index 1, its text and record index beside it.
  REQUIRE(f.load(rowWith(7, "second", "R2"), m));
  REQUIRE(f.batch->size == 2);
  f.checkAligned();
  CHECK(f.batch->text[kCase][0] == "first");
  CHECK(f.batch->text[kCase][1] == "second");
  CHECK(f.batch->cols[kCase][1] == 1);
  CHECK(f.batch->text[kName][1] == "R2");
  CHECK(f.batch->cols[kJia][1] == 1000000);  // "1"
}

// A random cell for a column of that kind: mostly numbers of every size
// (up to 14 integer digits, 0–7 decimals, signs, %, spaces, full-width), some
// of them past the limits, and random pieces.
std::string randomCell(std::mt19937 &rng, ValueKind kind) {
  auto pick = [&](const std::vector<std::string> &from) {
    return from[std::uniform_int_distribution<size_t>(0, from.size() - 1)(rng)];
  };
  auto upTo = [&](int n) { return std::uniform_int_distribution<int>(0, n)(rng); };
  if (kind == ValueKind::Bool) return pick({"是", "否", "1", "0", "y", "N", " 是 ", "", "×", "好"});
  if (kind == ValueKind::Enum) return pick({"县级", "市级", " 市级", "", "省级"});
  std::string cell;
  if (upTo(3) == 0) {
    for (int k = upTo(4); k > 0; --k) cell += pick({"0", "1", "9", ".", "%", " ", "-", ",", "\xEF\xBC\x91", "e"});
    return cell;
  }
  if (upTo(5) == 0) cell += pick({"-", "+", " ", "\xEF\xBC\x8D"});  // −, +, space, full-width minus
  for (int k = 1 + upTo(upTo(1) ? 3 : 13); k > 0; --k) cell += static_cast<char>('0' + upTo(9));
  if (upTo(1)) {
    cell += '.';
    for (int k = upTo(7); k > 0; --k) cell += static_cast<char>('0' + upTo(9));
  }
  if (kind == ValueKind::Percent && upTo(1)) cell += pick({"%", "\xEF\xBC\x85", " %"});
  if (upTo(7) == 0) cell = pick({"\xE3\x80\x80", " ", "\t"}) + cell + " ";
  return cell;
}

TEST_CASE("loader: random cells load as parseCell reads them, one by one") {
  Fixture f;
  std::mt19937 rng(20261202);
  std::vector<std::string> m;
  int fine = 0, refused = 0;
  for (int n = 0; n < 20000; ++n) {
    std::vector<std::string> cells = rowWith(0, "R" + std::to_string(n));
    bool rowOk = true;
    std::vector<std::pair<size_t, int64_t>> want;
    size_t h = 1 + static_cast<size_t>(n % 6);  // one random cell a row: every outcome of it is seen
    size_t c = kColumnOf[h];
    cells[h] = randomCell(rng, f.program.columns[c].kind);
    int64_t v = 0;
    rowOk = expected(f.program, c, cells[h], v);
    INFO("row " << n << ": " << kHeaders[h] << " = '" << cells[h] << "'");
    REQUIRE(f.load(cells, m) == rowOk);
    if (!rowOk) {
      ++refused;
      CHECK(m.size() == 1);
      continue;
    }
    ++fine;
    CHECK(f.batch->cols[c].back() == v);
    if (f.batch->full()) f.batch->clear();
  }
  CHECK(fine > 5000);     // both outcomes, many times
  CHECK(refused > 2000);
  f.checkAligned();
}
