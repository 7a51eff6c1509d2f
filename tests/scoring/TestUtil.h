// Helpers for the scoring tests: a scratch directory, files, one-call runs.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "FakeKernel.h"
#include "runtime/records/RecordReader.h"
#include "runtime/scoring/Runner.h"

namespace testutil {

// One directory per test process, removed when the process exits.
struct ScratchDir {
  std::string dir;
  ScratchDir() {
    auto d = std::filesystem::temp_directory_path() / ("rubric_scoring_tests_" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    dir = d.string();
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

inline std::string scratchDir() {
  static ScratchDir d;
  return d.dir;
}

inline std::string path(const std::string &name) { return scratchDir() + "/" + name; }

inline std::string write(const std::string &name, const std::string &bytes) {
  std::string p = path(name);
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << bytes;
  return p;
}

inline std::string read(const std::string &p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline const std::string kBom = "\xEF\xBB\xBF";

// Five candidates of the fake program (FakeKernel.h): a blank 廉洁问题 and a blank 乙.
inline const char *const kFive =
    "姓名,甲,乙,廉洁问题,级别\n"
    "张三,3,2,否,县级\n"
    "李四,8.5,2,,市级\n"
    "王五,10,1,是,县级\n"
    "赵六,5,0,否,市级\n"
    "钱七,1,,否,县级\n";

// Every row a reader gives, in order.
inline std::vector<rubric::records::Row> readAll(rubric::records::RecordReader &r) {
  std::vector<rubric::records::Row> rows;
  rubric::records::Row row;
  while (r.next(row)) rows.push_back(row);
  return rows;
}

// A CSV line without quotes, cut at every comma.
inline std::vector<std::string> splitCommas(const std::string &line) {
  std::vector<std::string> out(1);
  for (char c : line) {
    if (c == ',') out.emplace_back();
    else out.back().push_back(c);
  }
  return out;
}

struct Result {
  int rc = -1;
  std::string diag;
  std::string output;
  rubric::runtime::RunStats stats;
};

// Scores `inputs` (already written) with the fake kernel; output to `outName`.
inline Result run(const rubric::runtime::Program &program, std::vector<std::string> inputs,
                  rubric::runtime::RunOptions o = {}, const std::string &outName = "out.csv",
                  rb_kernel_fn kernel = &fake::fakeKernel) {
  Result r;
  o.inputs = std::move(inputs);
  o.output = path(outName);
  std::filesystem::remove(o.output);
  std::ostringstream diag;
  r.rc = rubric::runtime::runScoring(program, kernel, o, diag, &r.stats);
  r.diag = diag.str();
  if (std::filesystem::exists(o.output)) r.output = read(o.output);
  return r;
}

// Strips the BOM and returns the lines of a CSV output.
inline std::vector<std::string> lines(const std::string &csv) {
  std::string s = csv.rfind(kBom, 0) == 0 ? csv.substr(kBom.size()) : csv;
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

} // namespace testutil
