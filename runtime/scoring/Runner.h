// The scoring run: records in, kernel, population pass, awards, results out.
// Shared by `rubricc score` (JIT kernel), `rubricc score --interp` and
// generated executables (ScorerMain.cpp).
//
// Two modes:
//  * streaming — the program has no population steps and no quota awards:
//    each batch runs phase 1 and phase 2 at once and its results go to a
//    spill file; memory does not grow with the number of records (ranks
//    come from a histogram of totals).
//  * population — the batches are kept until every record's phase 1 is
//    done; the runtime fills the PopValue slots, runs phase 2, picks quota
//    awards, then writes.
// The output file is written at the end, in both modes: in input order, or
// in rank order (RowOrder), read back from the spill file.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/scoring/Kernel.h"
#include "runtime/scoring/Program.h"
#include "runtime/scoring/Text.h"

namespace rubric::runtime {

// Exit codes of runScoring.
constexpr int kExitOk = 0;        // every row scored, no validation error
constexpr int kExitRejected = 1;  // some rows rejected, or validation errors (duplicates)
constexpr int kExitFatal = 2;     // nothing scored: unreadable input/params, bad output path, bad program

// The order of the result rows. Input order is the default of CSV and JSON
// Lines (one output row per input row, in step with the input); a workbook
// is read by people, and its default is rank order. Rank order: by 排名
// (the total, highest first), ties in input order, 取消资格 rows last.
enum class RowOrder { Default, Input, Rank };

// "排名" / "rank" → Rank, "输入" / "input" → Input; anything else: nullopt.
std::optional<RowOrder> parseRowOrder(std::string_view s);

struct Batch;         // Columns.h
struct RecordOrigin;  // Columns.h

struct RunOptions {
  std::vector<std::string> inputs;  // .csv/.tsv/.jsonl/.ndjson/.json/.xlsx; "-" = CSV on stdin
  std::string output;               // csv|jsonl|xlsx by extension; "-" or "" = CSV on stdout
  std::string paramsFile;           // JSON object or 2-column CSV (name,value)
  bool items = false;               // every node, not only the indicators (depth 0)
  bool strict = false;              // stop at the first rejected row; write no output
  Lang lang = Lang::Zh;
  int64_t batchSize = 4096;         // records per kernel call
  // Input text encoding: "auto" (UTF-8, or GB18030/GBK when the start of a
  // file is not UTF-8 but is valid GB18030), "utf-8", "gb18030"/"gbk".
  std::string encoding = "auto";
  std::string sheet;                // .xlsx inputs: the sheet to read ("" = the first)
  RowOrder order = RowOrder::Default;  // --sort
  // --threads: 0 = as many as the machine has cores; 1 = everything on the
  // calling thread. The output and messages are the same for every value.
  // With more than one, a streaming run calls the kernel from worker threads
  // on blocks of rows (some of them rejected afterwards for a repeated
  // identifier): the kernel must be reentrant, as the JIT's and a generated
  // scorer's are. The interpreter (bound to one thread) and explain's
  // capturing kernel run with 1.
  int threads = 0;
  // --with 名=文件: another scheme's records, for the rubric's 不共用 checks (CrossCheck.h).
  std::vector<std::pair<std::string, std::string>> with;
  // Whole-population imports (Program::imports, ImportRun.h): the kernel of each
  // imported program, in order; they are scored over their --with file first.
  std::vector<rb_kernel_fn> importKernels;
  // `rubricc test`: the records themselves give the imports' results (columns
  // 别名.总分 …, as a 用例 writes them); no --with, no imported run.
  bool importResultsInRecords = false;
  // An imported scheme's own run (ImportRun.cpp): the parameters, already read
  // by the importing run (by Program::params column), instead of paramsFile …
  const std::vector<int64_t> *givenParams = nullptr;
  // … and each row it scores (not rejected), as it goes to the output.
  std::function<void(const Batch &, int64_t)> onScoredRow;
  // Each 校验 found failed across records (唯一, 不共用) for the row at `origin`, as it is said (explain puts
  // it on that candidate's sheet): the check's message and the values that failed it.
  std::function<void(const RecordOrigin &origin, const std::string &check, const std::string &detail)> onCheckFailed;
};

struct RunStats {
  int64_t rowsRead = 0;
  int64_t rowsScored = 0;
  int64_t rowsRejected = 0;       // rowsScored + rowsRejected == rowsRead
  int64_t validationErrors = 0;   // duplicate values (the records are still scored)
  int64_t blankCells = 0;         // blank cells of required fields in scored rows (read as 0, 否, 0% …)
  std::string firstBlank;         // where the first was: "file:row 列“…”" / "file:row column \"…\""
  int64_t brokenCells = 0;        // scored rows with a cell whose quotes hold line breaks (CSV)
  std::string firstBroken;        // the first: where, and what
  int64_t mostBrokenLines = 0;    // the most line breaks one such cell holds (a stray quote takes in many lines) …
  std::string mostBroken;         // … and where that cell is, and what (when it is not the first)
  int64_t peakRetainedRecords = 0;  // most records held in memory at once (≤ batchSize when streaming)
  bool populationMode = false;
  bool outputWritten = false;
};

int runScoring(const Program &program, rb_kernel_fn kernel, const RunOptions &options, std::ostream &diagnostics);
int runScoring(const Program &program, rb_kernel_fn kernel, const RunOptions &options, std::ostream &diagnostics,
               RunStats *stats);

// Reads --params: a JSON object {"name": value} or a CSV of name,value rows
// (an optional header row). Every Program::params entry must be given, and
// nothing else. Values are read by the parameter's kind (exact). Returns
// false after writing the problems to `diagnostics`. out is indexed by
// FieldDesc::column.
bool loadParams(const Program &program, const std::string &path, Lang lang, std::vector<int64_t> &out,
                std::ostream &diagnostics);

// True when the program needs every record before phase 2 (population
// steps or quota awards).
bool needsPopulationPass(const Program &program);

// Output column headers for these options (id, 状态, 总分, nodes, 排名, 级内排名, 奖项, 校验).
std::vector<std::string> outputHeaders(const Program &program, bool items);
// The program has a 校验 that compares a row with others (唯一, 不共用): a row's 校验 cell is then
// known only once every row is read (ResultOutput::checkFailedAcross).
bool checksAcrossRecords(const Program &program);
// The output has a 校验 column: the names of the checks a row failed (its own 校验 … 当, and those across rows).
bool hasChecksColumn(const Program &program);

} // namespace rubric::runtime
