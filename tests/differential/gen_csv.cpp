// gen_csv RUBRIC N SEED OUT.csv [OUT.params.csv [--no-text]]: N random candidate records for
// RUBRIC as a CSV file in the rubric's own columns (lists as indexed columns),
// drawn by the same generator as the kernel-level differential test. Used to
// compare a generated executable with the interpreter end to end.
#include <algorithm>
#include <fstream>
#include <iostream>

#include "ir/FromSema.h"
#include "RandomRecords.h"
#include "runtime/scoring/Cells.h"

using namespace rubric;

// Percentages as "85%": the reader takes a bare number only in [-1, 1].
static std::string cellText(int64_t v, const runtime::ColumnDesc &cd) {
  // Within the field's allowed range (the records contract rejects the rest);
  // the edges themselves stay likely, as the generator favours extremes.
  v = std::clamp(v, cd.minValue, cd.maxValue);
  if (cd.kind != runtime::ValueKind::Percent) return runtime::formatValue(v, cd.kind, cd.enumValues);
  int32_t err = 0;
  char buf[RB_DEC_FORMAT_CAP];
  rb_dec_format(rb_dec_mul(v, 100 * RB_DEC_ONE, &err), buf, sizeof buf);
  return std::string(buf) + "%";
}

static std::string csvCell(const std::string &s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

int main(int argc, char **argv) {
  if (argc < 5) {
    std::cerr << "usage: gen_csv RUBRIC N SEED OUT.csv [OUT.params.csv]\n";
    return 2;
  }
  DiagnosticEngine diags;
  std::string err;
  auto src = SourceFile::load(argv[1], &err);
  auto program = src ? ir::compileFile(src, diags) : nullptr;
  if (!program) {
    std::cerr << renderDiagnostics(diags.all(), DiagFormat::Text, Lang::Zh);
    return 1;
  }
  const auto &d = program->desc;
  int64_t n = std::stoll(argv[2]);
  bool noText = argc > 6 && std::string(argv[6]) == "--no-text";
  testing::RecordGenerator gen(*program, std::stoull(argv[3]));
  testing::Batch b = gen.generate(n);

  // Longest list per list id decides how many indexed columns it gets.
  std::vector<int64_t> maxLen(d.lists.size(), 0);
  for (size_t l = 0; l < d.lists.size(); ++l)
    for (int64_t r = 0; r < n; ++r) {
      const auto &off = b.cols[d.lists[l].offsetsColumn];
      maxLen[l] = std::max(maxLen[l], off[r + 1] - off[r]);
    }
  struct Col {
    std::string header;
    int column;
    int list = -1;
    int64_t index = 0;
  };
  std::vector<Col> cols;
  for (size_t c = 0; c < d.columns.size(); ++c) {
    const auto &cd = d.columns[c];
    if (cd.listId >= 0) continue; // offsets and elements: below
    cols.push_back({cd.name, static_cast<int>(c)});
  }
  for (size_t l = 0; l < d.lists.size(); ++l)
    for (int64_t i = 1; i <= maxLen[l]; ++i)
      for (int c : d.lists[l].elementColumns) {
        const auto &cd = d.columns[c];
        cols.push_back({d.lists[l].name + "[" + std::to_string(i) + "]" + (cd.elementField.empty() ? "" : "." + cd.elementField),
                        c, static_cast<int>(l), i});
      }
  std::ofstream out(argv[4], std::ios::binary);
  for (size_t i = 0; i < cols.size(); ++i) out << (i ? "," : "") << csvCell(cols[i].header);
  out << "\n";
  for (int64_t r = 0; r < n; ++r) {
    for (size_t i = 0; i < cols.size(); ++i) {
      const Col &col = cols[i];
      const auto &cd = d.columns[col.column];
      std::string cell;
      if (col.list >= 0) {
        const auto &off = b.cols[d.lists[col.list].offsetsColumn];
        int64_t e = off[r] + col.index - 1;
        if (e < off[r + 1]) cell = cellText(b.cols[col.column][e], cd);
      } else if (cd.kind == runtime::ValueKind::Text) {
        // ids must be unique; other text (案卷号 …) is left empty with --no-text so a
        // streaming benchmark does not measure the uniqueness check's memory
        bool isId = false;
        for (const auto &f : d.fields) isId |= f.isId && f.column == col.column;
        cell = isId || !noText ? "R" + std::to_string(r + 1) : "";
      } else if (cd.defaultValue == INT64_MIN && b.cols[col.column][r] == INT64_MIN) {
        cell = ""; // an imported total left to be computed
      } else {
        cell = cellText(b.cols[col.column][r], cd);
      }
      out << (i ? "," : "") << csvCell(cell);
    }
    out << "\n";
  }
  if (argc > 5) {
    std::ofstream params(argv[5], std::ios::binary);
    for (const auto &prm : d.params)
      params << prm.name << "," << runtime::formatValue(b.params[prm.column], prm.kind, prm.enumValues) << "\n";
  }
  return 0;
}
