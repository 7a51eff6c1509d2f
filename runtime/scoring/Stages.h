// The stages of a scoring run, each in its own file; Runner.cpp drives them:
//
//   RecordInput   (ReadStage.cpp)        read: files → records, batch by batch — the
//                                        records contract and 校验 唯一
//   BatchScorer   (ScoreStage.cpp)       score: the kernel's phases over each batch;
//                                        keeps the batches when a population pass follows
//   population    (PopulationStage.cpp)  population functions, then quota awards, over
//                                        every kept batch
//   ResultOutput  (OutputStage.cpp)      output: scored rows encoded to a spill file,
//                                        written at the end in input or rank order
//
// Records flow one way: RecordInput → BatchScorer → (population) → ResultOutput.
// A stage sees the others only through the members declared here. Internal to
// rubric_scoring (not part of its interface, Runner.h).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "runtime/records/RecordReader.h"

#include "runtime/scoring/BatchSpill.h"
#include "runtime/scoring/ChunkWriter.h"
#include "runtime/scoring/Columns.h"
#include "runtime/scoring/CrossCheck.h"
#include "runtime/scoring/IdRegistry.h"
#include "runtime/scoring/ImportRun.h"
#include "runtime/scoring/Kernel.h"
#include "runtime/scoring/Output.h"
#include "runtime/scoring/Population.h"
#include "runtime/scoring/Runner.h"
#include "runtime/scoring/Uniqueness.h"
#include "runtime/scoring/Workbook.h"

namespace rubric::runtime {

// What every stage shares: the program, the options, the message stream, the
// counts, the run parameters, and whether --strict has stopped the run.
struct RunContext {
  RunContext(const Program &program, const RunOptions &options, std::ostream &diagnostics)
      : p(program), o(options), diag(diagnostics), zh(options.lang == Lang::Zh) {}
  const Program &p;
  const RunOptions &o;
  std::ostream &diag;
  bool zh;
  RunStats stats;
  std::atomic<bool> stop{false};  // --strict met an error: read no further (set where blocks are committed)
  std::vector<int64_t> params;  // by FieldDesc::column
  std::vector<OtherValues> others;  // per Program::validations: a 不共用 check's other records (CrossCheck.h)
  std::vector<ImportTable> imports; // per Program::imports: the imported run's results (ImportRun.h)

  void say(const std::string &line) { diag << line << '\n'; }
  std::string where(const RecordOrigin &origin) const {
    return o.inputs[static_cast<size_t>(origin.source)] + ":" + std::to_string(origin.row);
  }
};

// A file that cannot be read, as a message line ("file: 错误: …").
std::string fileErrorText(const records::RecordFileError &e, Lang l);

// --threads, or all cores (0).
int threadCount(const RunOptions &o);

// “name” in Chinese messages, "name" in English ones.
std::string quote(Lang l, std::string_view s);


// The error word of a row dropped after it was scored (its identifier turned
// out to repeat an earlier one; rejected by the read stage): not a kernel
// error (no code, an impossible slot; the kernel keeps a record's first
// error), so population functions and awards leave the row out and the
// output skips it without a word.
constexpr int32_t kDroppedRow = INT32_MIN;

// Rows to drop, in the order read, on disk (any number of them).
class DroppedRows {
 public:
  void add(const RecordOrigin &origin);
  bool empty() const { return !file_; }
  // Marks the rows of `b` that are dropped (kDroppedRow). Batches must come
  // in the order read, the first after rewind().
  void rewind();
  void markIn(Batch &b);
  // Whether the row at `origin` is dropped; rows must come in the order read.
  bool take(const RecordOrigin &origin);
  bool failed() const { return file_ && (!file_->ok() || file_->failed()); }

 private:
  bool advance();
  std::unique_ptr<Spill> file_;
  std::string bytes_;
  bool has_ = false;  // next_ holds the next row to drop
  RecordOrigin next_;
};

// The slots the stages look at, by role.
struct SlotRoles {
  SlotRoles(const Program &p, bool items);
  std::vector<int> vetoSlots;    // 取消资格 flags
  std::vector<int> nodeSlots;    // the node columns of the output
  std::vector<int> checkSlots;   // 校验 … 当 flags
  std::vector<int> stateSlotOf;  // node slot → its NodeState slot, or -1
  int totalSlot = -1;

  bool vetoed(const Batch &b, int64_t r) const;
  Rational total(const Batch &b, int64_t r) const { return totalSlot >= 0 ? b.value(totalSlot, r) : Rational{}; }
};

// Quota award marks, [batch][award][record] (an empty [award] list: no quota).
using AwardMarks = std::vector<std::vector<uint8_t>>;
constexpr uint8_t kAwarded = 1, kPending = 2;

// ───── output ─────

struct RowBlock;

class ResultOutput {
 public:
  ResultOutput(RunContext &ctx, const SlotRoles &roles);

  // At the start, so a bad path fails before any work (then false, said).
  bool open();
  // After the input's warnings: the row encoder, and an .xlsx workbook.
  bool start(OutputFormat format);

  // Every rejected row: counted, and listed in an .xlsx output's "拒绝的行"
  // (a .csv/.jsonl output gets <output>.rejected.csv).
  void reject(const std::string &file, int64_t row, std::string message);
  // A 校验 (validation index) found failed across records (唯一, 不共用) for the row at `origin`, after it
  // was said: in the row's 校验 cell, the workbook's 汇总 sheet and RunOptions::onCheckFailed. `detail`: the values.
  void checkFailedAcross(const RecordOrigin &origin, int validation, const std::string &detail);
  // A 唯一 check's message, or 值重复 when it has none.
  std::string checkName(int validation) const;
  // Scored (and kernel-rejected) rows of a batch; winners: its quota awards.
  void add(const Batch &b, const AwardMarks *winners);
  // One of them (record r of b).
  void addRow(const Batch &b, int64_t r, const AwardMarks *winners);
  // What encoding a row found, for the in-order step (commitRow).
  struct RowFacts {
    RecordOrigin origin;
    std::string kernelError;  // not empty: the row is rejected, not scored
    std::string id;
    bool vetoed = false;
    uint64_t vetoBits = 0;  // which of SlotRoles::vetoSlots are set (the first 64)
    std::vector<int> vetoes, failedChecks;  // the slots set
    std::vector<uint8_t> awardMarks;        // per award: kAwarded, kPending or 0
    Rational total;
    int64_t level = 0;
  };
  // Scratch for encodeRow, one per thread.
  struct RowScratch {
    std::string stateCell;
    std::vector<std::string> names;
  };
  // Row r of b as a spill record appended to `record`, and what the in-order
  // step needs in `f`; changes nothing shared (worker threads call it).
  // False: a dropped row, nothing to commit.
  bool encodeRow(const Batch &b, size_t r, const AwardMarks *winners, RowScratch &s, RowFacts &f,
                 std::string &record) const;
  // In input order: counts, ranks, the 汇总 sheet, what the row says (now or
  // held), and the record to the spill.
  void commitRow(const RowFacts &f, std::string_view record);
  // The same for a streaming record scored on a worker thread, except
  // that what it says (a kernel error, failed 校验) is held until sayHeld(),
  // called where addRow would have run with one thread (BatchScorer::scored).
  void addRowHeld(const Batch &b, int64_t r);
  // The same for record r of a block that a worker encoded (encodeBlock).
  void addRowHeld(const RowBlock &block, int64_t r);
  void encodeBlock(const Batch &b, RowBlock &block, RowScratch &s) const;
  void sayHeld();
  // Once the identifier table is full (a streaming run), a row may still turn
  // out to repeat an identifier. From deferFromNow() on, rows are encoded and
  // ranked as they come, but what they say is kept in a temporary file; then
  // releaseDeferred() says it in the order read, leaving out the dropped rows,
  // which it also takes out of the ranks and counts (write() skips them).
  // False: not with a workbook (its 汇总 counts every row): the scorer holds
  // its batches instead (BatchScorer::holdBack).
  bool deferFromNow();
  bool canDefer() const { return !summary_; }  // what deferFromNow() would answer
  bool releaseDeferred(DroppedRows &dropped);  // takes the dropped rows over

  // Runs `work` (the end of the read, which adds no rank count), while with
  // more than one thread the rank histograms' keys are sorted on another.
  void whileSortingRanks(const std::function<void()> &work);
  bool write();           // the output file, in input or rank order
  void writeRejected();   // <output>.rejected.csv, when rows were rejected
  void abandon();         // removes the output file opened at the start

 private:
  void idOf(const Batch &b, size_t r, RowFacts &f) const;
  std::string statusText(const std::vector<int> &vetoes) const;
  void makeStatusCell(uint64_t vetoBits);
  void encodeScores(const Batch &b, size_t r, const RowFacts &f, RowScratch &s, std::string &out) const;
  // encodeScores' cells, through the encoder or (CSV) a buffer (OutputStage.cpp).
  template <class Cells>
  void encodeScoreCells(Cells &cells, const Batch &b, size_t r, const RowFacts &f, RowScratch &s) const;
  void encodeAwards(const Batch &b, size_t r, const AwardMarks *winners, RowFacts &f, RowScratch &s,
                    std::string &out) const;
  void reportFailedChecks(const RecordOrigin &origin, std::string_view id);
  std::string_view stateCell(int64_t state, RowScratch &s) const;
  RankHistogram &levelHistogram(int64_t level);
  bool inRankOrder(const std::function<void(std::string_view)> &each);
  bool eachRecord(const std::function<void(std::string_view)> &each);
  RowOrder outputOrder() const;
  bool spliceInInputOrder(ChunkWriter &writer, std::string &chunk);
  bool spliceSegmentsInParallel(std::ostream *out);
  void writeChunk(std::ostream *out, const std::string &chunk, std::string &spliced) const;
  void appendRecord(std::string &buf, std::string_view record) const;
  bool finishFile(std::ostream *out);

  RunContext &ctx_;
  const SlotRoles &roles_;
  bool hasLevels_;
  std::ofstream file_;
  // With more than one thread, a large output file left by an earlier run is
  // emptied here while the input is read (the kernel takes ~40 ms per 140 MB
  // to free its pages); nothing is written to file_ before it is joined.
  bool emptied_ = true;  // set by emptying_ (declared first: it outlives the thread)
  std::jthread emptying_;
  bool openKeepingOldBytes(const std::string &output);
  bool waitForEmptying();
  std::unique_ptr<RowEncoder> enc_;
  std::unique_ptr<XlsxWriter> xlsx_;     // an .xlsx output (written at the end)
  std::unique_ptr<RunSummary> summary_;  // its 汇总 sheet
  std::string rejectedRows_;             // CSV lines of <output>.rejected.csv
  size_t rankCol_ = 0;
  size_t checksCol_ = 0;
  bool hasChecksColumn_;   // hasChecksColumn(program)
  bool checksAcross_;      // checksAcrossRecords(program): the spill records say where the 校验 cell is
  std::mutex acrossMutex_;
  std::unordered_map<uint64_t, std::vector<int>> failedAcross_;  // by the row's origin: the validations it failed
  const std::vector<int> *checksFailedAcross(const RecordOrigin &origin) const;
  void encodeChecks(const std::vector<int> &ownSlots, const std::vector<int> &validations, RowScratch &s,
                    std::string &out) const;
  Spill spill_;
  RankHistogram overall_;
  std::vector<RankHistogram> byLevel_;  // per level index (levels are enum indices)
  std::string rec_;
  RowScratch scratch_;  // addRow's (one thread; a block's rows come encoded)
  RowFacts facts_;
  // With at most 64 veto slots a spill record names its 状态 cell by the veto set's bits (RowFacts::vetoBits),
  // and the last pass writes it, made once per set.
  bool statusByKey_;
  // The cells by veto set: with at most kDenseVetoSlots veto slots, indexed by the bits (a hash look-up per
  // row, twice, cost 1–2 % of a streaming run); otherwise hashed. An empty cell: that set not met yet.
  static constexpr size_t kDenseVetoSlots = 12;
  std::vector<std::string> denseStatusCells_;
  std::unordered_map<uint64_t, std::string> statusCells_;
  const std::string &statusCell(uint64_t vetoBits) const;
  std::vector<std::string> reasons_, failedChecks_;
  struct Held {  // what addRowHeld did not say yet
    RecordOrigin origin;
    std::string kernelError;  // the row is rejected, or:
    std::string id;
    std::vector<std::string> failedChecks;
  };
  std::vector<Held> held_;
  bool holding_ = false;
  std::unique_ptr<Spill> deferred_;  // from deferFromNow(): the Held of every row that says something
  std::unique_ptr<DroppedRows> dropped_;  // after releaseDeferred(): the rows write() leaves out
  void hold(Held h);
  void sayHeld(Held &h);
  void takeOutDropped();
  void sayKernelError(const RecordOrigin &origin, std::string why);
  void addToRanks(Rational total, int64_t level, int64_t count);
  void countRank(Rational total, int64_t level);
  void countRanks(const std::string &batch);  // (total.num, total.den, level) as 3 × int64 a row
  void finishRankCounts();
  static constexpr size_t kRankBatchBytes = size_t{24} << 11;  // 2,048 rows
  std::string rankBatch_;                    // counts not yet handed to rankCounter_
  std::unique_ptr<ChunkWriter> rankCounter_;  // --threads > 1: counts ranks; last, so destroyed first
};

// ───── score ─────

// A block of rows of one file — a slice of raw CSV records, or rows read
// already (XLSX, the rest of a CSV after a record too long to hold whole) —
// parsed, loaded and scored (both phases) by a worker or the waiting reading
// thread (streaming runs; with one thread, CSV only), then committed in input
// order, one block at a time (RecordInput::commitBlock, BlockWorkers::commitNext),
// for what must be sequential: identifiers, 校验 唯一, messages, and the output.
struct RowBlock {
  RowBlock(const Program &p, size_t rows);
  struct Outcome {                     // per row, what the worker found
    std::vector<std::string> messages;  // load()'s messages, in order
    size_t warningAt = std::string::npos;  // the empty-header warning among them
    bool fine = false;
    std::string id;                    // to claim ("" none)
    IdLookup idLookup;                 // id looked up in the frozen identifier table (IdRegistry::lookUp)
    int64_t record = -1;               // in `batch`, when fine
    std::vector<UniqueValue> unique;
    std::vector<RecordDuplicate> duplicates;
    int blankCells = 0;                // the loader's blankCells() for the row
    std::string firstBlankHeader;
  };
  std::vector<records::Row> rows;  // rows[0, count) are this block's
  size_t count = 0;
  // A CSV block comes as raw records, parsed into `rows` by the worker.
  records::CsvSlice slice;
  const records::CsvSlicer *slicer = nullptr;  // null: `rows` came parsed
  std::vector<Outcome> outcomes;   // per row
  // The rows that loaded, scored — but for holdBlock only their size, origins
  // and errors: they are loaded and scored in the thread's own batch, which
  // stays in its core's cache (a block's batch is written by whichever thread
  // takes it, and a line last written on the other core is fetched from there:
  // session 20: 1–4 % of the CPU time with two threads). Whole when
  // `wholeBatch` (a workbook output may hold the block's batch, holdBlock).
  Batch batch;
  bool wholeBatch = false;
  void keepFrom(Batch &scored);  // what the commit reads of the thread's batch
  // Per record of `batch`, encoded by the worker (ResultOutput::encodeBlock):
  // its spill record is encoded[encodedAt[r], encodedAt[r + 1]).
  std::string encoded;
  std::vector<size_t> encodedAt;
  std::vector<ResultOutput::RowFacts> facts;
  std::vector<uint8_t> encodedRow;  // 0: dropped, nothing to commit
  const RecordLoader *loader = nullptr;  // the file's (a worker loads with its own copy)
  const IdRegistry *ids = nullptr;       // where the worker looks identifiers up ahead of their claims
  uint64_t file = 0;               // which reading of a file `loader` is
  bool done = false;               // loaded and scored (under BlockWorkers' lock)
  bool committed = false;          // and committed (under BlockWorkers' lock)
};

class BatchScorer {
 public:
  BatchScorer(RunContext &ctx, rb_kernel_fn kernel, bool populationMode, ResultOutput &out);

  Batch &current() { return *current_; }
  // After a record is loaded into current(): scores the batch when it is full.
  void loaded();
  // Scores what current() holds: phase 1, and unless a population pass
  // follows, phase 2 and out to the output; else the batch is held on disk
  // and what the population pass reads of it kept (kept()).
  // Also says what scored() records held.
  void flush();
  std::vector<std::unique_ptr<Batch>> &kept() { return kept_; }
  // From now on a streaming run's rows may still turn out to repeat an
  // identifier (IdRegistry::frozen): the output defers what they say until
  // release() (ResultOutput::deferFromNow), or, to a workbook, each scored
  // batch is held on disk until then. A run with a population pass keeps its batches anyway.
  void holdBack();
  // After the read and flush(): leaves the `dropped` rows out of the kept or
  // held batches, and sends the held ones to the output (or has the output
  // release what it deferred). False: a temporary file failed (said).
  bool release(DroppedRows &dropped);
  // A run with a population pass, once its PopValue slots are filled in the
  // kept records: phase 2 over every held batch (the kept records get what it
  // computed, for the awards); then the batches to the output with their
  // quota award marks. False: a temporary file failed (said).
  bool finishPhase2();
  bool output(const std::vector<AwardMarks> &winners);

  // Blocks (streaming only): the kernel over a block's loaded rows, and their
  // output encoded (any thread) …
  void scoreBlock(Batch &b, RowBlock &block, ResultOutput::RowScratch &scratch) const;
  const Program &program() const { return ctx_.p; }
  // … and, in input order, one of its records, accepted: out to the output
  // (its messages held until a batch's worth has come, as loaded() would say them).
  void scored(const RowBlock &block, int64_t record);
  // … or, once the identifier table is full, these records of a block (in
  // input order): committed with what they say deferred, or held on disk
  // with the held batches until release().
  void holdBlock(RowBlock &block, const std::vector<int64_t> &records);

 private:
  void notePeak();
  void noteKeptSlotsAndColumns();
  std::unique_ptr<Batch> slim(const Batch &b) const;
  void copyKept(const Batch &from, Batch &to) const;
  bool markDroppedInKept(DroppedRows &dropped);
  bool sendHeldToOutput(DroppedRows &dropped);
  void sayTemporaryFileFailed();
  RunContext &ctx_;
  rb_kernel_fn kernel_;
  bool popMode_;
  ResultOutput &out_;
  std::unique_ptr<Batch> current_;
  std::vector<std::unique_ptr<Batch>> kept_;
  int64_t keptRecords_ = 0;
  std::unique_ptr<BatchSpill> held_;  // the batches on disk: a population pass, or streaming to a workbook after holdBack()
  bool deferring_ = false;            // streaming after holdBack(): the output defers (ResultOutput::deferFromNow)
  std::vector<int> keptSlots_, keptCols_;  // population pass: what kept_ holds of each record
  bool keepGroupText_ = false;             // and the kept columns' text and the origins (GroupCounts.h)
  int64_t scoredSince_ = 0;  // scored() records since the last flush
};

// Worker threads that load and score RowBlocks, in any order; the caller waits for each in input order
// (and works on blocks not begun while it waits).
class BlockWorkers {
 public:
  // Takes a block's rows in input order (what must be sequential: claims,
  // messages, the output); called for one block at a time, in the order submitted.
  using Commit = std::function<void(const std::shared_ptr<RowBlock> &)>;
  BlockWorkers(const BatchScorer &scorer, int threads);
  ~BlockWorkers();
  // What commits the blocks submitted from now on (none in flight).
  void setCommit(Commit commit) { commit_ = std::move(commit); }
  void submit(std::shared_ptr<RowBlock> block);
  // Until `block` is committed; meanwhile this thread loads, scores and commits blocks too.
  void waitCommitted(const RowBlock &block);
  // Whether a commit threw (the blocks after it were not committed), and what it threw.
  bool failed();
  void rethrowCommitError();

 private:
  struct Hand {  // what one thread works with
    ResultOutput::RowScratch scratch;
    records::Row row;  // a slice's rows parsed into, one at a time
    std::unique_ptr<RecordLoader> loader;
    uint64_t file = 0;  // which reading of a file `loader` is for
    std::unique_ptr<Batch> batch;  // blocks are loaded and scored here (RowBlock::batch)
  };
  void work();
  void process(RowBlock &block, Hand &hand) const;
  bool commitNext(std::unique_lock<std::mutex> &lock);
  static void load(RowBlock &block, Batch &batch, Hand &hand);
  static void loadRow(RowBlock &block, Batch &batch, size_t k, const records::Row &row, RecordLoader &loader);
  static void lookUpIds(RowBlock &block, const IdRegistry &ids);
  const BatchScorer &scorer_;
  Commit commit_;
  Hand waiter_;  // the waiting thread's
  std::vector<std::thread> threads_;
  std::deque<std::shared_ptr<RowBlock>> todo_;     // not yet begun
  std::deque<std::shared_ptr<RowBlock>> order_;    // not yet committed, in the order submitted
  bool committing_ = false;
  std::exception_ptr commitError_;
  bool quit_ = false;
  std::mutex mutex_;
  std::condition_variable changed_;
};

// ───── population ─────

// Fills every PopValue slot of the kept batches (phase 2 follows: BatchScorer::finishPhase2).
void runPopulationPass(const RunContext &ctx, const SlotRoles &roles, std::vector<std::unique_ptr<Batch>> &batches);
// Quota awards over the kept batches: marks per [batch][award][record].
std::vector<AwardMarks> pickQuotaAwards(RunContext &ctx, const SlotRoles &roles,
                                        const std::vector<std::unique_ptr<Batch>> &batches);

// ───── read ─────

class RecordInput {
 public:
  // Says which fields of a uniqueness check do not exist.
  RecordInput(RunContext &ctx, ResultOutput &out, BatchScorer &scorer);
  // One input file, record by record into the scorer. False: the file is
  // unusable (said; exit 2).
  bool read(int32_t source);
  // After the last file: the repeated identifiers found only now (their rows
  // rejected and listed in dropped()), then the duplicates of 校验 唯一, each
  // in the order read. False: a temporary file failed (said; exit 2).
  bool finish();
  DroppedRows &dropped() { return dropped_; }

 private:
  bool readRows(records::RecordReader &reader, RecordLoader &loader, const std::string &path);
  // The same, the rows loaded and scored by `workers` a block at a time.
  bool readBlocks(records::RecordReader &reader, RecordLoader &loader, const std::string &path, BlockWorkers &workers);
  bool inBlocks(const records::RecordReader &reader) const;
  std::shared_ptr<RowBlock> spareBlock();
  static bool nextBlock(records::RecordReader &reader, records::CsvSlicer *&slicer, RowBlock &block);
  static bool fillBlock(records::RecordReader &reader, RowBlock &block);
  void commitBlock(const std::shared_ptr<RowBlock> &block, RecordLoader &loader, const std::string &path,
                   const std::vector<std::string> &headers);
  void prefetchClaim(const RowBlock &block, size_t k) const;
  void rowProblem(const records::Row &row, const std::string &path, const std::vector<std::string> &headers);
  void checkUnique(const std::vector<UniqueValue> &values, const RecordOrigin &origin);
  void noteBlankCells(int count, const std::string &header, const RecordOrigin &origin);
  std::string brokenCellNote(const records::Row &row, const std::string &path,
                             const std::vector<std::string> &headers) const;
  void noteBrokenCell(const records::Row &row, const std::vector<std::string> &headers, const RecordOrigin &origin);
  void reportDuplicate(const UniquenessCheck::Duplicate &d);
  void reportRepeatedId(const IdRegistry::Repeat &r);
  void reportRecordDuplicates(const std::vector<RecordDuplicate> &dups, const RecordOrigin &origin);
  RunContext &ctx_;
  ResultOutput &out_;
  BatchScorer &scorer_;
  ColumnIndex index_;
  IdRegistry ids_;  // every identifier seen, across the inputs
  UniquenessCheck unique_;
  DroppedRows dropped_;
  std::unique_ptr<BlockWorkers> workers_;         // --threads > 1, streaming, a CSV/XLSX file
  std::vector<std::shared_ptr<RowBlock>> blocks_;  // for reuse once out of flight
  uint64_t readings_ = 0;                          // files read in blocks so far
};

} // namespace rubric::runtime
