// Stage 1, read (Stages.h): input files → records in the scorer's batches.
// Problems of a file (exit 2) and of a row (rejected, with file, row and
// column) are worded here; 校验 唯一 is checked as records arrive and
// reported at the end (UniquenessCheck).
#include <algorithm>
#include <cstdlib>
#include <deque>
#include <exception>
#include <thread>

#include "runtime/scoring/Stages.h"

namespace rubric::runtime {

std::string quote(Lang l, std::string_view s) {
  return l == Lang::Zh ? "“" + std::string(s) + "”" : "\"" + std::string(s) + "\"";
}

int threadCount(const RunOptions &o) {
  if (o.threads > 0) return o.threads;
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

std::string fileErrorText(const records::RecordFileError &e, Lang l) {
  bool zh = l == Lang::Zh;
  std::string head = e.file() + (zh ? ": 错误: " : ": error: ");
  switch (e.kind()) {
  case records::FileProblem::CannotOpen: return head + (e.systemError() ? openProblem(e.systemError(), false, zh)
                                                                           : (zh ? "无法打开文件：" : "cannot open the file: ") + e.detail());
  case records::FileProblem::Utf16:
    return head + (zh ? "文件是 UTF-16 编码，暂不支持；请另存为 UTF-8 编码的 CSV"
                      : "the file is UTF-16 encoded, which is not supported; save it as UTF-8 CSV");
  case records::FileProblem::NotUtf8: {
    std::string line = e.row() > 0 ? std::to_string(e.row()) : std::string();
    return head + (zh ? "文件不是有效的 UTF-8 或 GB18030/GBK 编码（" + (line.empty() ? "" : "第 " + line + " 行，") + "文件第 " +
                            e.detail() + " 字节处）；请在 Excel 中另存为“CSV UTF-8（逗号分隔）”"
                      : "the file is neither valid UTF-8 nor GB18030/GBK (" + (line.empty() ? "" : "line " + line + ", ") +
                            "byte " + e.detail() + " of the file); in Excel, save it as \"CSV UTF-8 (Comma delimited)\"");
  }
  case records::FileProblem::BadEncoding:
    return head + (zh ? "按 GB18030/GBK 编码读取时，第 " + std::to_string(e.row()) + " 行（文件第 " +
                            std::to_string(e.offset()) + " 字节处）有无效的字节序列 " + e.detail()
                      : "invalid GB18030/GBK byte sequence " + e.detail() + " at row " + std::to_string(e.row()) +
                            " (byte offset " + std::to_string(e.offset()) + " in the file)");
  case records::FileProblem::UnknownEncoding:
    return head + (zh ? "未知的编码“" + e.detail() + "”（支持 auto、utf-8、gb18030、gbk）"
                      : "unknown encoding \"" + e.detail() + "\" (supported: auto, utf-8, gb18030, gbk)");
  case records::FileProblem::ReadFailed: return head + (zh ? "读取失败：" : "read failed: ") + e.detail();
  case records::FileProblem::UnknownFormat:
    return head + (zh ? "无法识别的输入格式（支持 .csv、.tsv、.jsonl、.xlsx）"
                      : "unknown input format (supported: .csv, .tsv, .jsonl, .xlsx)");
  case records::FileProblem::BadXlsx:
    return head + (zh ? "无法读取 .xlsx 工作簿：" : "cannot read the .xlsx workbook: ") + e.detail();
  case records::FileProblem::XlsxUnavailable:
    return head + (zh ? "此程序未包含 .xlsx 输入支持；请另存为 CSV" : "this program has no .xlsx input support; save as CSV");
  case records::FileProblem::NoSuchSheet:
    return head + (zh ? "没有名为此的工作表：" : "no such sheet: ") + e.detail();
  case records::FileProblem::TooManyColumns:
    return head + (zh ? "表头超过 1,048,576 列的上限，未读取" : "the header has more than the 1,048,576-column limit; not read");
  case records::FileProblem::HeaderTooLarge:
    return head + (zh ? "表头第 " + e.detail() + " 列超过每格 1 MiB 的上限，未读取"
                      : "header column " + e.detail() + " is larger than the 1 MiB cell limit; not read");
  }
  return head + e.detail();
}

namespace {

// A row whose shape is wrong: quoting, JSON, cell count, size.
std::string shapeProblem(const records::Row &row, const std::vector<std::string> &headers, Lang l) {
  bool zh = l == Lang::Zh;
  switch (row.problem) {
  case records::RowProblem::UnterminatedQuote:
    return zh ? "引号没有闭合（一直到文件末尾）" : "unterminated quote (it runs to the end of the file)";
  case records::RowProblem::BadJson:
    return (zh ? "不是有效的 JSON（" : "invalid JSON (") + printable(row.detail) + (zh ? "）" : ")");
  case records::RowProblem::NotAnObject: return zh ? "不是 JSON 对象" : "not a JSON object";
  case records::RowProblem::NestedArray:
    return zh ? "不支持数组中直接嵌套数组" : "arrays directly inside arrays are not supported";
  case records::RowProblem::CellCount: {
    size_t cells = std::strtoull(row.detail.c_str(), nullptr, 10);
    std::string from = cells < headers.size() ? quote(l, printable(headers[cells])) : std::string();
    std::string more = std::to_string(cells - std::min(cells, headers.size()));
    return zh ? "该行有 " + row.detail + " 个单元格，而表头有 " + std::to_string(headers.size()) + " 列" +
                    (from.empty() ? "（多出 " + more + " 个，空的也算）" : "（从列" + from + "起没有单元格）") +
                    "；各列已错位（多了或少了逗号？），请按表头补齐或删去多余的单元格"
              : "the row has " + row.detail + " cells but the header has " + std::to_string(headers.size()) +
                    " columns" + (from.empty() ? " (" + more + " too many, empty ones count)" : " (none from column " + from + " on)") +
                    "; its cells are shifted (a comma too many or too few?): make it match the header";
  }
  case records::RowProblem::TooManyCells:
    return zh ? "该行超过 1,048,576 列的上限" : "the row has more than the 1,048,576-column limit";
  case records::RowProblem::LineTooLong:
    return zh ? "该行超过 64 MiB 的上限" : "the line is longer than the 64 MiB limit";
  default: return "";
  }
}

// A row with one bad cell; `column` is its header, quoted ("" when unknown).
std::string cellProblem(const records::Row &row, const std::string &column, Lang l) {
  bool zh = l == Lang::Zh;
  switch (row.problem) {
  case records::RowProblem::DuplicateKey:
    return zh ? "键" + column + "在同一对象中出现了两次；请只保留一个"
              : "key " + column + " appears twice in the object; keep only one";
  case records::RowProblem::FormulaNoValue:
    return zh ? "列" + column + "是公式，但文件中没有保存它的计算结果；请在 Excel 中打开并保存该文件，或把公式换成数值"
              : "column " + column + " holds a formula whose result is not stored in the file; open and save the "
                "file in Excel, or replace the formula with its value";
  case records::RowProblem::ErrorValue:
    return zh ? "列" + column + "是 Excel 错误值 " + printable(row.detail) + "；请更正该单元格"
              : "column " + column + " holds the Excel error " + printable(row.detail) + "; correct the cell";
  case records::RowProblem::CellTooLarge: {
    // JSON Lines names an oversized key's cell by the key (detail); else the header.
    std::string where = !row.detail.empty() ? quote(l, printable(row.detail))
                        : !column.empty()   ? column
                                            : "#" + std::to_string(row.problemCell + 1);
    return zh ? "列" + where + "的内容超过每格 1 MiB 的上限" : "column " + where + " is larger than the 1 MiB cell limit";
  }
  default: return "";
  }
}

// The header of cell i, quoted ("#i+1" past the header).
std::string cellName(int64_t i, const std::vector<std::string> &headers, Lang l) {
  return static_cast<size_t>(i) < headers.size() ? quote(l, printable(headers[static_cast<size_t>(i)]))
                                                 : "#" + std::to_string(i + 1);
}

// A cell whose quotes hold line breaks (Row::brokenCell), said with a
// rejected row's problems; a scored row's are counted for the summary.
std::string brokenCellText(const records::Row &row, const std::vector<std::string> &headers, Lang l) {
  std::string lines = std::to_string(row.brokenCellLines);
  return l == Lang::Zh ? "列" + cellName(row.brokenCell, headers, l) + "的引号内有 " + lines + " 个换行：文件中其后 " +
                             lines + " 行都读进了这一格；若那些是单独的行，说明多了一个引号，请删去它"
                       : "the quotes of column " + cellName(row.brokenCell, headers, l) + " hold " + lines +
                             " line breaks: " + lines + " more lines of the file were read into this one cell; if "
                             "they are rows of their own, a quote is stray: delete it";
}

std::string rowProblemText(const records::Row &row, const std::string &file, const std::vector<std::string> &headers,
                           Lang l) {
  bool zh = l == Lang::Zh;
  std::string head = file + ":" + std::to_string(row.number) + (zh ? ": 错误: " : ": error: ");
  std::string column = row.problemCell >= 0 && static_cast<size_t>(row.problemCell) < headers.size()
                           ? quote(l, printable(headers[static_cast<size_t>(row.problemCell)]))
                           : std::string();
  std::string what = shapeProblem(row, headers, l);
  if (what.empty()) what = cellProblem(row, column, l);
  std::string broken = row.brokenCell >= 0 ? (zh ? "（" : " (") + brokenCellText(row, headers, l) + (zh ? "）" : ")") : "";
  return head + what + broken + (zh ? "；该行未评分" : "; row not scored");
}


std::string joined(const std::vector<std::string> &msgs) {
  std::string s;
  for (const auto &m : msgs) s += (s.empty() ? "" : "\n") + m;
  return s;
}

} // namespace

RecordInput::RecordInput(RunContext &ctx, ResultOutput &out, BatchScorer &scorer)
    : ctx_(ctx), out_(out), scorer_(scorer), index_(ctx.p),
      ids_(ctx.o.inputs, nullptr, IdRegistry::budgetFromEnvironment()),
      unique_(UniquenessCheck::budgetFromEnvironment()) {
  if (threadCount(ctx.o) > 1) ids_.splitSpill();  // its halves merged on two threads at the end
  for (const auto &name : index_.unresolvedUniqueFields)
    ctx_.say(ctx_.zh ? "警告: 唯一性校验中的字段" + quote(ctx_.o.lang, name) + "不存在，已忽略"
                     : "warning: field " + quote(ctx_.o.lang, name) + " of a uniqueness check does not exist; ignored");
}

bool RecordInput::read(int32_t source) {
  const std::string &path = ctx_.o.inputs[static_cast<size_t>(source)];
  std::unique_ptr<records::RecordReader> reader;
  try {
    auto encoding = records::parseEncoding(ctx_.o.encoding);
    if (!encoding) throw records::RecordFileError(records::FileProblem::UnknownEncoding, path, ctx_.o.encoding);
    reader = records::openRecords(path, *encoding, ctx_.o.sheet);
    // Read ahead on a thread — but not from standard input, which may be a
    // terminal: a reader blocked there would keep a stopped run waiting.
    // Rows read in blocks (readBlocks) are cut here and parsed and loaded by
    // the workers: a second hand-over would only move the bytes between cores once more.
    if (threadCount(ctx_.o) > 1 && path != "-" && !inBlocks(*reader)) reader = records::prefetched(std::move(reader));
  } catch (const records::RecordFileError &e) {
    ctx_.say(fileErrorText(e, ctx_.o.lang));
    return false;
  }
  RecordLoader loader(index_, path, source, ctx_.o.lang, &ids_);
  loader.setFromGb18030(reader->fromGb18030());
  if (!ctx_.imports.empty()) loader.fillImportsFrom(&ctx_.imports);  // 全体另给 (ImportRun.h)
  std::vector<std::string> msgs;
  bool fileOk = loader.bind(reader->headers(), reader->headersFixed(), msgs);
  for (const auto &m : msgs) ctx_.say(m);
  if (!fileOk) return false;  // a required column missing: the file is unusable (exit 2)
  bool blocks = inBlocks(*reader);
  if (blocks && !workers_) workers_ = std::make_unique<BlockWorkers>(scorer_, threadCount(ctx_.o) - 1);
  try {
    return blocks ? readBlocks(*reader, loader, path, *workers_) : readRows(*reader, loader, path);
  } catch (const records::RecordFileError &e) {
    ctx_.say(fileErrorText(e, ctx_.o.lang));
    return false;
  }
}

bool RecordInput::readRows(records::RecordReader &reader, RecordLoader &loader, const std::string &path) {
  size_t bound = reader.headers().size();
  std::vector<std::string> msgs;
  records::Row row;
  while (!ctx_.stop && reader.next(row)) {
    ++ctx_.stats.rowsRead;
    if (row.problem != records::RowProblem::None) {
      rowProblem(row, path, reader.headers());
      continue;
    }
    msgs.clear();
    if (reader.headers().size() != bound) {  // JSON Lines: a key not seen before
      loader.bind(reader.headers(), false, msgs);
      bound = reader.headers().size();
    }
    bool ok = loader.load(row, scorer_.current(), msgs);
    if (!ok && row.brokenCell >= 0) msgs.push_back(brokenCellNote(row, path, reader.headers()));
    for (const auto &m : msgs) ctx_.say(m);
    if (!ok) {
      out_.reject(path, row.number, joined(msgs));
      continue;
    }
    noteBrokenCell(row, reader.headers(), scorer_.current().origins.back());
    noteBlankCells(loader.blankCells(), loader.firstBlankHeader(), scorer_.current().origins.back());
    if (!ctx_.p.validations.empty()) checkUnique(loader.uniqueValues(), scorer_.current().origins.back());
    if (!loader.recordDuplicates().empty()) reportRecordDuplicates(loader.recordDuplicates(), scorer_.current().origins.back());
    if (ids_.frozen()) scorer_.holdBack();  // a row from here on may repeat an identifier, known at the end
    scorer_.loaded();
  }
  return true;
}

void RecordInput::rowProblem(const records::Row &row, const std::string &path, const std::vector<std::string> &headers) {
  std::string text = rowProblemText(row, path, headers, ctx_.o.lang);
  ctx_.say(text);
  out_.reject(path, row.number, std::move(text));
}

namespace {
constexpr size_t kBlockRows = 512;
constexpr size_t kClaimsAhead = 8;  // rows: a claim's probe is about as long as a memory fetch
}

// readRows with the loading and the kernel on worker threads: blocks of rows
// go out as they are read, and are committed in input order (commitBlock,
// which does the rest as readRows does) by whichever thread finishes them
// when their turn has come. A few blocks are in flight at once.
bool RecordInput::readBlocks(records::RecordReader &reader, RecordLoader &loader, const std::string &path,
                             BlockWorkers &workers) {
  const RecordLoader pattern = loader.workerCopy();  // what the workers copy: never changed while they do
  records::CsvSlicer *slicer = reader.slicer(kBlockRows);  // CSV: the workers parse too
  const std::vector<std::string> &headers = reader.headers();  // fixed (inBlocks)
  workers.setCommit([&](const std::shared_ptr<RowBlock> &b) { commitBlock(b, loader, path, headers); });
  uint64_t file = ++readings_;
  int threads = threadCount(ctx_.o);
  // Blocks in flight: enough that a worker still finds one queued while the reading
  // thread works on a block itself (at threads + 2 the worker slept once every 2–3
  // blocks). Each block costs up to 1.5 MiB (5M rows with text, two threads: peak
  // 53.1 MiB at threads + 2, 54.6 at + 4, 57.3 at + 6). One thread: each block done while hot.
  size_t depth = threads > 1 ? static_cast<size_t>(threads) + 4 : 1;
  std::deque<std::shared_ptr<RowBlock>> inFlight;
  auto commitAll = [&] {  // before the loader, the path and the pattern go
    for (const auto &block : inFlight) workers.waitCommitted(*block);
  };
  std::exception_ptr error;  // thrown by the reader after the rows before it
  try {
    for (bool more = true; more && !ctx_.stop && !workers.failed();) {
      if (inFlight.size() >= depth) {
        workers.waitCommitted(*inFlight.front());
        inFlight.pop_front();
        continue;
      }
      std::shared_ptr<RowBlock> block = spareBlock();
      try {
        more = nextBlock(reader, slicer, *block);
      } catch (...) {
        error = std::current_exception();
        more = false;
      }
      block->loader = &pattern;
      block->ids = &ids_;
      block->file = file;
      block->wholeBatch = !out_.canDefer();  // holdBlock may hold the batch whole
      workers.submit(block);
      inFlight.push_back(std::move(block));
    }
  } catch (...) {
    commitAll();
    throw;
  }
  commitAll();  // --strict stopped the read: the rest is dropped there
  workers.rethrowCommitError();
  if (error && !ctx_.stop) std::rethrow_exception(error);
  return true;
}

// Loaded and scored a block at a time by the workers and the waiting reading
// thread: --threads > 1, a streaming run, and a file whose headers are fixed
// (CSV, XLSX: every worker binds them alike). Standard input too: it is read
// on this thread, which --strict can stop. (One thread reads row by row:
// the same CsvParser, without the blocks' hand-over — measured 5% less CPU.)
bool RecordInput::inBlocks(const records::RecordReader &reader) const {
  return threadCount(ctx_.o) > 1 && reader.headersFixed() && !ctx_.stats.populationMode;
}

std::shared_ptr<RowBlock> RecordInput::spareBlock() {
  for (const auto &b : blocks_)
    if (b.use_count() == 1) return b;  // not in flight (a worker may hold one a moment longer)
  return blocks_.emplace_back(std::make_shared<RowBlock>(ctx_.p, kBlockRows));
}

// The next rows into the block: a slice of raw CSV records while the slicer
// has them (parsed by the worker), else rows read here; false at the end of the file.
bool RecordInput::nextBlock(records::RecordReader &reader, records::CsvSlicer *&slicer, RowBlock &block) {
  block.count = 0;
  block.slicer = nullptr;
  if (slicer) {
    if (slicer->next(block.slice)) {
      block.slicer = slicer;
      return true;
    }
    slicer = nullptr;  // the rest, if any, row by row (a record too long to hold whole)
  }
  block.slice = {};
  return fillBlock(reader, block);
}

// Rows into the block until it is full; false at the end of the file.
bool RecordInput::fillBlock(records::RecordReader &reader, RowBlock &block) {
  block.count = 0;
  while (block.count < block.rows.size()) {
    records::Row &row = block.rows[block.count];
    if (!reader.next(row)) return false;
    row.cells.own();  // the reader's buffer changes on its next call
    ++block.count;
  }
  return true;
}

// While the identifier table fills, each claim probes it here, a cache miss
// a row (the table is larger than the cache): the slots of the claims a few
// rows ahead are fetched meanwhile, with the hashes the worker made. Once it is
// frozen the workers have probed it already.
void RecordInput::prefetchClaim(const RowBlock &block, size_t k) const {
  if (k < block.count && block.rows[k].problem == records::RowProblem::None && !ids_.frozen())
    ids_.prefetch(block.outcomes[k].idLookup);
}

// A block's rows as readRows takes them, the cells already loaded: the
// identifier claimed, the messages said, the unique values checked.
void RecordInput::commitBlock(const std::shared_ptr<RowBlock> &block, RecordLoader &loader, const std::string &path,
                              const std::vector<std::string> &headers) {
  std::vector<int64_t> held;  // records committed once the identifier table is full
  for (size_t k = 0; k < kClaimsAhead && k < block->count; ++k) prefetchClaim(*block, k);
  for (size_t k = 0; k < block->count && !ctx_.stop; ++k) {
    prefetchClaim(*block, k + kClaimsAhead);
    const records::Row &row = block->rows[k];
    ++ctx_.stats.rowsRead;
    if (row.problem != records::RowProblem::None) {
      rowProblem(row, path, headers);
      continue;
    }
    RowBlock::Outcome &o = block->outcomes[k];
    if (o.warningAt != std::string::npos && !loader.firstEmptyHeaderWarning())
      o.messages.erase(o.messages.begin() + static_cast<std::ptrdiff_t>(o.warningAt));
    bool fine = loader.claimId(row, o.id, o.fine, o.messages, &o.idLookup) && o.fine;
    if (!fine && row.brokenCell >= 0) o.messages.push_back(brokenCellNote(row, path, headers));
    for (const auto &m : o.messages) ctx_.say(m);
    if (!fine) {
      out_.reject(path, row.number, joined(o.messages));
      continue;
    }
    const RecordOrigin &origin = block->batch.origins[static_cast<size_t>(o.record)];
    noteBrokenCell(row, headers, origin);
    noteBlankCells(o.blankCells, o.firstBlankHeader, origin);
    if (!ctx_.p.validations.empty()) checkUnique(o.unique, origin);
    if (!o.duplicates.empty()) reportRecordDuplicates(o.duplicates, origin);
    if (ids_.frozen()) held.push_back(o.record);  // may yet repeat an identifier, known at the end
    else scorer_.scored(*block, o.record);
  }
  if (!held.empty()) scorer_.holdBlock(*block, held);
  block->slice.buffer.reset();  // nothing reads the rows any more: the cutter may reuse the buffer
}

// 唯一(列表.字段, …): a value twice among one record's list elements. Reported
// like a duplicate across records (stderr, the summary, exit status 1); the
// record is scored as entered.
void RecordInput::reportRecordDuplicates(const std::vector<RecordDuplicate> &dups, const RecordOrigin &origin) {
  Lang l = ctx_.o.lang;
  for (const RecordDuplicate &d : dups) {
    ++ctx_.stats.validationErrors;
    std::string check = out_.checkName(d.validation);
    std::string detail = ctx_.zh ? "值" + quote(l, d.value) + "（列" + quote(l, d.header) + "）与本行的列" +
                                       quote(l, d.firstHeader) + "重复"
                                 : "value " + quote(l, d.value) + " (column " + quote(l, d.header) + ") repeats column " +
                                       quote(l, d.firstHeader) + " of the same row";
    ctx_.say(ctx_.where(origin) + (ctx_.zh ? ": 错误: " + check + "：" : ": error: " + check + ": ") + detail);
    out_.checkFailedAcross(origin, d.validation, detail);
    if (ctx_.o.strict) ctx_.stop = true;
  }
}

// Blank cells of required fields read as 0, 否, 0% …: counted, and the first
// named, for the run summary — never silently.
void RecordInput::noteBlankCells(int count, const std::string &header, const RecordOrigin &origin) {
  if (count == 0) return;
  if (ctx_.stats.blankCells == 0) ctx_.stats.firstBlank = ctx_.where(origin) + (ctx_.zh ? " 列" : " column ") + quote(ctx_.o.lang, header);
  ctx_.stats.blankCells += count;
}

// A row with a cell whose quotes hold line breaks, rejected: what those
// line breaks may have done, beside its other messages.
std::string RecordInput::brokenCellNote(const records::Row &row, const std::string &path,
                                        const std::vector<std::string> &headers) const {
  return path + ":" + std::to_string(row.number) + (ctx_.zh ? ": 注意: " : ": note: ") +
         brokenCellText(row, headers, ctx_.o.lang);
}

// Scored, counted for the summary (Runner.cpp): a text cell may rightly hold
// line breaks, but the rows a stray quote took in would be lost unsaid.
void RecordInput::noteBrokenCell(const records::Row &row, const std::vector<std::string> &headers,
                                 const RecordOrigin &origin) {
  if (row.brokenCell < 0) return;
  bool first = ctx_.stats.brokenCells++ == 0;
  bool most = row.brokenCellLines > ctx_.stats.mostBrokenLines;
  if (!first && !most) return;
  std::string text = ctx_.where(origin) + (ctx_.zh ? " " : ": ") + brokenCellText(row, headers, ctx_.o.lang);
  if (most) ctx_.stats.mostBrokenLines = row.brokenCellLines;
  if (first) ctx_.stats.firstBroken = std::move(text);
  else ctx_.stats.mostBroken = std::move(text);  // a legitimate note first must not hide the stray quote
}

void RecordInput::checkUnique(const std::vector<UniqueValue> &values, const RecordOrigin &origin) {
  for (const UniqueValue &u : values) {
    if (!ctx_.p.validations[static_cast<size_t>(u.validation)].otherScheme.empty())
      checkShared(ctx_, out_, u, origin);   // 不共用: against the --with records (CrossCheck.cpp)
    else if (unique_.add(u.validation, u.value, {origin.source, origin.row, u.header}) && ctx_.o.strict)
      ctx_.stop = true;
  }
}

bool RecordInput::finish() {
  bool ok = false;
  out_.whileSortingRanks([&] {
    // With more than one thread, 校验 唯一's merge runs beside the identifiers'
    // (each ~30 ms at 1M rows with the 案卷号 filled); the reports keep their order.
    bool uniqueOk = true;
    std::jthread unique;
    if (threadCount(ctx_.o) > 1) unique = std::jthread([&] { uniqueOk = unique_.findDuplicates(); });
    else uniqueOk = unique_.findDuplicates();
    ok = ids_.finish([this](const IdRegistry::Repeat &r) { reportRepeatedId(r); });
    if (unique.joinable()) unique.join();
    ok = ok && uniqueOk && unique_.reportDuplicates([this](const UniquenessCheck::Duplicate &d) { reportDuplicate(d); });
  });
  if (ok) return true;
  ctx_.say(ctx_.zh ? "错误: 唯一性校验的临时文件读写失败（磁盘已满？）；未写出结果"
                   : "error: reading or writing the uniqueness check's temporary file failed (disk full?); no output written");
  return false;
}

// A repeated identifier found at the end of the read: worded as when it is
// found at once; a row that was going to be scored is rejected now and dropped
// from its batch (one rejected for its cells already is only told).
void RecordInput::reportRepeatedId(const IdRegistry::Repeat &r) {
  const std::string &path = ctx_.o.inputs[static_cast<size_t>(r.again.source)];
  std::string text = repeatedIdMessage(path, r.again.row, r.id, r.header, r.firstSeen, ctx_.o.lang);
  ctx_.say(text);
  if (!r.scored) return;
  out_.reject(path, r.again.row, std::move(text));
  dropped_.add(r.again);
}

void RecordInput::reportDuplicate(const UniquenessCheck::Duplicate &d) {
  ++ctx_.stats.validationErrors;
  RecordOrigin first{d.first.source, d.first.row}, again{d.again.source, d.again.row};
  Lang l = ctx_.o.lang;
  std::string check = out_.checkName(d.check);
  std::string detail = ctx_.zh ? "值" + quote(l, d.value) + "（列" + quote(l, d.again.header) + "）与 " +
                                     ctx_.where(first) + "（列" + quote(l, d.first.header) + "）重复"
                               : "value " + quote(l, d.value) + " (column " + quote(l, d.again.header) +
                                     ") duplicates " + ctx_.where(first) + " (column " + quote(l, d.first.header) + ")";
  ctx_.say(ctx_.where(again) + (ctx_.zh ? ": 错误: " + check + "：" : ": error: " + check + ": ") + detail);
  out_.checkFailedAcross(again, d.check, detail);
  if (ctx_.o.strict) ctx_.stop = true;
}

} // namespace rubric::runtime
