// 不共用 — a check across two schemes (ValidationDesc::otherScheme): no value
// of this scheme's fields may appear in the named columns of the other
// scheme's records, given with `--with 集体=文件`. Like 唯一 it only reports:
// each failing record is listed with both files and rows (the 校验 column,
// exit status 1); no score, status, rank or award changes.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace rubric::runtime {

struct RunContext;
class ResultOutput;
struct UniqueValue;
struct RecordOrigin;
struct RunOptions;

// Where a value sits in the other scheme's records.
struct OtherCell {
  int64_t row = 0;
  std::string header;
};

// The other scheme's values for one 不共用 check.
struct OtherValues {
  bool given = false;   // --with named a file for it
  std::string file;
  std::unordered_map<std::string, OtherCell> byValue;  // trimmed cell text → its first occurrence
};

// The --with arguments ("集体=coll.csv") into options.with; false (said to
// `diag` in options.lang) when one has no '=' or an empty side.
bool addWithOptions(const std::vector<std::string> &args, RunOptions &options, std::ostream &diag);

// Reads the file of each 不共用 check into ctx.others. False (said; exit 2)
// when a file cannot be read, lacks a named column, or --with names a scheme
// no check refers to; a check whose scheme has no --with is said as a warning.
bool loadOtherSchemes(RunContext &ctx);

// One value of a 不共用 check seen in a record: reported when the other scheme has it.
void checkShared(RunContext &ctx, ResultOutput &out, const UniqueValue &value, const RecordOrigin &origin);

} // namespace rubric::runtime
