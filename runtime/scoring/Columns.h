// Rows → the kernel's int64 columns.
//
// Layout of a batch (what rb_frame::cols points at), per Program::columns:
//   scalar column   one value per record, ColumnDesc::width bytes each (1 for
//                   是否/枚举 that fit a byte: InputColumn), else int64
//   monthly field   12 scalar columns named 数据质量[1] … 数据质量[12]
//   list offsets    records + 1 int64 (plain element indices, not rb_dec):
//                   record r owns elements [off[r], off[r+1]) of the list's columns
//   list element    one int64 per element of the batch
//   Text column     the record's index in the batch (element index for a list
//                   element); the text itself is Batch::text[column][index]
//
// Headers: a column's own name (姓名, 数据质量[3]); list elements as
// 帮扶轮次[1].任务完成 (record list) or 得分[1] / 得分[1].值 (value list);
// `list[#]` gives a list's length (JSON Lines emits it; CSV may use it).
// Full-width ［］．and digits in headers are accepted. A list's length is
// the highest index with a non-empty cell (or its [#] value, if larger).
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "decimal.hpp"
#include "runtime/records/RecordReader.h"
#include "runtime/scoring/Kernel.h"
#include "runtime/scoring/Program.h"
#include "runtime/scoring/Text.h"

namespace rubric::runtime {

struct RecordOrigin {
  int32_t source = 0;  // index of the input file
  int64_t row = 0;     // Row::number
};

// One input column of a batch, stored at its width (ColumnDesc::width): one
// unsigned byte per value, or an int64. Values pushed into a one-byte column
// fit it (narrowWidth); read them back through operator[] or Batch::cell.
class InputColumn {
 public:
  explicit InputColumn(int width = 8) : oneByte_(width == 1) {}

  int width() const { return oneByte_ ? 1 : 8; }
  size_t size() const { return oneByte_ ? bytes_.size() : ints_.size(); }
  int64_t operator[](size_t i) const { return oneByte_ ? bytes_[i] : ints_[i]; }
  int64_t back() const { return oneByte_ ? bytes_.back() : ints_.back(); }
  const void *data() const { return oneByte_ ? static_cast<const void *>(bytes_.data()) : ints_.data(); }
  // Inlined: one call per scalar cell of every row (GCC kept it out of line).
  [[gnu::always_inline]] void push_back(int64_t v) {
    if (oneByte_) bytes_.push_back(static_cast<uint8_t>(v));
    else ints_.push_back(v);
  }
  void setBack(int64_t v) {
    if (oneByte_) bytes_.back() = static_cast<uint8_t>(v);
    else ints_.back() = v;
  }
  void resize(size_t n) { oneByte_ ? bytes_.resize(n) : ints_.resize(n); }
  void reserve(size_t n) { oneByte_ ? bytes_.reserve(n) : ints_.reserve(n); }
  void clear() { oneByte_ ? bytes_.clear() : ints_.clear(); }
  // The storage itself, for whole-column work (list elements, offsets, the
  // spill): the one of the column's width; the other stays empty.
  std::vector<int64_t> &ints() { return ints_; }
  const std::vector<int64_t> &ints() const { return ints_; }
  std::vector<uint8_t> &bytes() { return bytes_; }
  const std::vector<uint8_t> &bytes() const { return bytes_; }

 private:
  bool oneByte_;
  std::vector<int64_t> ints_;
  std::vector<uint8_t> bytes_;
};

struct Batch {
  Batch(const Program &program, int64_t capacity);

  int64_t capacity;
  int64_t size = 0;
  std::vector<InputColumn> cols;                 // per Program::columns, at its width
  std::vector<std::vector<std::string>> text;    // per column; used by Text columns only
  std::vector<std::vector<int64_t>> slots;       // per Program::slots, `size` entries once prepared
  std::vector<std::vector<int64_t>> dens;        // per slot: denominators of a rational slot, else empty
  std::vector<int32_t> errors;                   // per record
  std::vector<RecordOrigin> origins;             // per record

  bool full() const { return size >= capacity; }
  // The value of column c at index i (a record, or an element of a list column).
  int64_t cell(int c, int64_t i) const { return cols[static_cast<size_t>(c)][static_cast<size_t>(i)]; }
  void clear();
  // Exact value of slot s for record r (a decimal slot is {raw, 1}).
  Rational value(int s, int64_t r) const {
    const auto &d = dens[static_cast<size_t>(s)];
    return {slots[static_cast<size_t>(s)][static_cast<size_t>(r)], d.empty() ? 1 : d[static_cast<size_t>(r)]};
  }
  // Sizes slots and errors to `size`, zeroed (denominators 1).
  void prepareSlots();
  // The frame over this batch (pointers stay valid until the batch changes).
  const rb_frame *frame(const int64_t *params);

 private:
  const Program *program_;
  std::vector<const void *> colPtrs_;
  std::vector<int64_t *> slotPtrs_;
  std::vector<int64_t *> denPtrs_;
  rb_frame frame_{};
};

// What the program's columns look like from a header's point of view. Built once per run.
class ColumnIndex {
 public:
  explicit ColumnIndex(const Program &program);

  struct ListInfo {
    std::string name;
    int offsets = -1;
    bool valueList = false;  // one element column with no field name
    std::vector<int> elementColumns;
    std::vector<int> textGroupKeys;  // its element columns of Text that group it (按 姓名): none may be blank
    std::unordered_map<std::string, int> elementByField;
  };

  const Program &program;
  std::unordered_map<std::string, int> scalarByName;  // header → column (scalars and monthly)
  std::unordered_map<std::string, int> listByName;
  std::unordered_map<std::string, int> fieldByName;   // header spelling of a field → Program::fields index
  std::vector<ListInfo> lists;
  std::vector<int> scalarColumns;                     // neither offsets nor list elements
  std::vector<int> requiredColumns;                   // scalar columns with optional = false
  std::vector<std::vector<int>> validationsOfColumn;  // per column: Program::validations indices
  // scalarColumns split for the per-row loops (each in scalarColumns' order):
  std::vector<int> numberScalars;  // not Text: the value itself goes to the batch
  std::vector<int> textScalars;    // Text: the record's index, the text beside it
  std::vector<int> uniqueScalars;  // with 唯一 checks (validationsOfColumn not empty)
  std::vector<uint8_t> numberScalar;  // per column: 1 when in numberScalars
  std::vector<std::string> unresolvedUniqueFields;    // names in validations that match no field/column

  // Known header spellings, to suggest from; list elements use index `index`.
  std::vector<std::string> candidates(int64_t index) const;

 private:
  void indexLists(std::vector<uint8_t> &inList);
  void indexScalars(const std::vector<uint8_t> &inList);
  void indexValidations();
  std::vector<int> columnsNamed(const std::string &name) const;
};

// A value that must be unique (Program::validations), seen in the last loaded record.
struct UniqueValue {
  int validation;
  std::string value;   // canonical text of the value
  std::string header;  // where it was (for messages)
};

// A value repeated among one record's list elements, against a 唯一 check
// over list element fields (ValidationDesc::withinRecord).
struct RecordDuplicate {
  int validation;
  std::string value;        // canonical text of the value
  std::string header;       // where it repeats
  std::string firstHeader;  // where it first appeared in the record
};

// The records contract's registry of identifiers (IdRegistry.h).
class IdRegistry;
struct IdLookup;
// A whole-population import's results (ImportRun.h).
struct ImportTable;

// The message for a row whose identifier `id` (column `header`) repeats the
// one first seen at `firstSeen` ("file:row"): "file:row: 错误: …；该行未评分".
std::string repeatedIdMessage(const std::string &file, int64_t row, std::string_view id, const std::string &header,
                              const std::string &firstSeen, Lang lang);

// Loads the rows of one input file into batches. Messages are complete lines
// ("file:row: 错误: …"), Chinese or English.
class RecordLoader {
 public:
  static constexpr int64_t kMaxListLength = 10000;

  RecordLoader(const ColumnIndex &index, std::string fileName, int32_t source, Lang lang, IdRegistry *ids = nullptr);
  // The file's bytes were decoded from GB18030/GBK (RecordReader::fromGb18030):
  // a bad byte in a cell is then named as a GB18030 one.
  void setFromGb18030(bool gb) { fromGb18030_ = gb; }

  // Binds headers not bound yet (all of them the first time; JSONL adds more
  // later). `complete`: the header row is final (CSV, XLSX) — also reports
  // missing required columns and columns of the wrong shape. Returns false
  // then: the file cannot be read (a fatal error, not rejected rows).
  bool bind(const std::vector<std::string> &headers, bool complete, std::vector<std::string> &messages);

  // Appends the row to `batch`, or leaves the batch untouched, appends one
  // message per bad cell and returns false.
  bool load(const records::Row &row, Batch &batch, std::vector<std::string> &messages);

  // load() split for a worker thread (ScoreStage.cpp): the row is parsed and,
  // when fine, appended to `batch` — without claiming its identifier, which
  // is returned in `id` ("" when there is none to claim) for claimId() to
  // claim later, in input order, on the file's own loader.
  bool loadUnclaimed(const records::Row &row, Batch &batch, std::vector<std::string> &messages, std::string &id);
  // False (said in messages) when `id` was claimed before.
  // `lookup`: IdRegistry::lookUp's for `id`, made ahead on a worker (or null).
  bool claimId(const records::Row &row, const std::string &id, bool rowFine, std::vector<std::string> &messages,
               const IdLookup *lookup = nullptr);
  // A copy for a worker: claims nothing, and says the empty-header warning on
  // every row that has one (the in-order step keeps only the file's first).
  RecordLoader workerCopy() const;
  // Where the last load put the empty-header warning in its messages (npos: none).
  size_t emptyHeaderWarningAt() const { return warningAt_; }
  // The last parsed row's blank cells of required fields (not the id or the
  // level, which are refused), and the header of the first: read as the
  // field's empty value, counted for the run summary.
  int blankCells() const { return blankCells_; }
  const std::string &firstBlankHeader() const;  // "" when blankCells() is 0
  // True the first time it is asked, per file: the warning is said once.
  bool firstEmptyHeaderWarning();
  // Whole-population imports (ImportRun.h): each row gets the results of the
  // candidate its match cell names; a row naming none is refused.
  void fillImportsFrom(const std::vector<ImportTable> *tables) { imports_ = tables; }

  const std::vector<UniqueValue> &uniqueValues() const { return unique_; }
  // Repeats within the last loaded record (唯一 over list element fields).
  const std::vector<RecordDuplicate> &recordDuplicates() const { return recordDuplicates_; }

 private:
  // bind() on a complete header: no wrong-shaped column, no required one missing.
  bool headerMatches(std::vector<std::string> &messages) const;
  // WrongShape: a header that names a declared field but not in a form it
  // can have (姓名[1], 帮扶轮次.任务完成, 数据质量[13], 帮扶轮次{} from JSON).
  // ArrayLength: JSON Lines' count of an array given for a field that is not
  // a list (a monthly field's 12 values, or [] where one value belongs).
  enum class BindKind : uint8_t { Unknown, Ignore, EmptyHeader, Scalar, Element, Length, ListName, WrongShape, ArrayLength };
  struct Binding {
    BindKind kind = BindKind::Unknown;
    int column = -1;
    int list = -1;
    int64_t index = 0;  // 1-based element index
    bool again = false;  // Element: an earlier header feeds the same place; an empty cell leaves it be
  };
  // One bound header's cell, in header order: what parseRow does with it,
  // decided once by bind() (buildPlan) instead of per row from the Binding
  // and the column's ColumnDesc.
  struct CellStep {
    uint32_t cell;           // header index
    BindKind kind;           // Scalar, Element, or another kind that otherCell handles
    ValueKind value;         // the column's kind (Scalar, Element)
    bool again = false;      // Element: Binding::again
    bool unique = false;     // Element: the field has 唯一 checks
    int32_t column = -1;
    int32_t list = -1;
    int64_t index = 0;       // Element: 1-based
    int64_t minValue = 0, maxValue = 0, defaultValue = 0;
    const ColumnDesc *desc = nullptr;
  };
  struct ElemCell {  // a non-empty list element cell whose field has 唯一 checks
    int64_t index;
    int column;
    size_t cell;
  };

  Binding classify(const std::string &header) const;
  std::string cellError(const records::Row &row, size_t cell, std::string_view text, const ColumnDesc &c,
                        int issue) const;
  std::string rowError(const records::Row &row, const std::string &zh, const std::string &en) const;
  const std::string &headerOf(int column) const;
  std::string shapeText(int field) const;
  bool checkBytes(const records::Row &row, std::vector<std::string> &messages) const;
  bool cellValue(const records::Row &row, std::string_view cell, const CellStep &s, int64_t &v,
                 std::vector<std::string> &messages) const;
  void scalarCell(const records::Row &row, std::string_view cell, const CellStep &s, Batch &batch,
                  std::vector<std::string> &messages);
  [[gnu::noinline]] static void textScalarCell(std::string_view cell, size_t column, Batch &batch);
  void elementCell(const records::Row &row, std::string_view cell, const CellStep &s);
  void clearElement(const CellStep &s);
  size_t otherCell(const records::Row &row, size_t i, const Binding &b, std::vector<std::string> &messages);
  [[gnu::noinline]] bool otherCellValue(const records::Row &row, std::string_view cell, const CellStep &s, int64_t &v,
                                        std::vector<std::string> &messages) const;
  void buildPlan();
  void openRow(Batch &batch);
  void dropRow(Batch &batch) const;
  void fitLists();
  void countBlankElements(const records::Row &row) const;
  std::string firstBlankPlace(const records::Row &row, size_t l) const;
  void checkGroupKeys(const records::Row &row, std::vector<std::string> &messages) const;
  static int64_t firstEqualText(const std::vector<std::string> &texts, int64_t k);
  void placeElement(Binding &b);
  void lengthCell(const records::Row &row, std::string_view cell, const Binding &b, std::vector<std::string> &messages);
  std::string badGb18030Text(const records::Row &row, const std::string &header, std::string_view before,
                             const char *hex) const;
  size_t cellPastHeader(const records::Row &row, std::vector<std::string> &messages);
  void arrayLengthCell(const records::Row &row, std::string_view cell, const Binding &b, std::vector<std::string> &messages);
  bool shapeSaid(int column) const;
  std::string missingKeyText(const records::Row &row, int column) const;
  std::string listInOneCellError(const records::Row &row, size_t i, const Binding &b) const;
  size_t emptyHeaderWarning(const records::Row &row, size_t i, std::vector<std::string> &messages);
  void checkRequired(const records::Row &row, std::vector<std::string> &messages) const;
  std::string rangeError(const records::Row &row, size_t cell, std::string_view text, const ColumnDesc &c) const;
  bool parseRow(const records::Row &row, Batch &batch, std::vector<std::string> &messages, bool &bytesOk);
  void commit(const records::Row &row, Batch &batch);
  void commitLists(Batch &batch);
  void noteUniqueValues(const records::Row &row, const Batch &batch);
  std::string idToClaim(const Batch &batch, bool rowFine) const;
  bool isTextId(int column) const;
  void prefetchId(const records::Row &row) const;

  const ColumnIndex &index_;
  const Program &program_;
  std::string file_;
  int32_t source_;
  Lang lang_;

  std::vector<Binding> bindings_;
  std::vector<std::string> headerText_;  // trimmed header as written, per header index
  // Unknown columns get one warning each up to this many, then one line for the rest.
  static constexpr size_t kUnknownColumnsShown = 10;
  size_t unknownColumns_ = 0;
  std::vector<int> headerOfColumn_;      // column → first header bound to it (-1: none)
  std::unordered_set<uint64_t> elementsBound_;  // column << 32 | index of every Element binding
  bool warnedEmptyHeader_ = false;
  bool warnEveryRow_ = false;            // a worker's copy (workerCopy)
  bool fromGb18030_ = false;             // the file was read decoded from GB18030 (setFromGb18030)
  size_t warningAt_ = std::string::npos;
  mutable int blankCells_ = 0;          // set by checkRequired for the row it checks
  mutable int firstBlankColumn_ = -1;   // its first blank required column (a header copied only when asked for)
  mutable std::string firstBlankElement_;  // or, when no scalar cell is blank, its first blank list element place
  bool sparse_ = false;                  // JSON Lines: a key may be absent from one object (Row::present)

  // The bound cells in header order (buildPlan), and the scalar columns no
  // header feeds, which get their defaults in every row (openRow).
  std::vector<CellStep> plan_;
  std::vector<int> unboundNumbers_;
  std::vector<int> unboundTexts_;

  // A row's scalars go straight into the batch's columns, at index
  // batch.size (one push_back per scalar column and row: parseRow), and are
  // taken back (dropRow) when the row is refused. The lists wait in the
  // scratch below until the row is whole. parseRow writes every bound
  // element's place (an empty cell: the default), so nothing of the last row
  // is left to reset; places no header feeds keep their defaults.
  // elemVal_/elemText_ are as long as the highest element index bound
  // (bind), or a longer [#] length.
  std::vector<uint8_t> scalarSet_;
  std::vector<int64_t> listLen_;
  std::vector<int64_t> elementsFilled_;  // per list: the row's non-empty cells of required element fields
  std::vector<int64_t> requiredFields_;  // per list: its element fields that are not 可缺
  std::vector<int64_t> listFitted_;  // per list: every element column holds places up to here (fitLists)
  std::vector<ElemCell> uniqueElemCells_;
  std::vector<std::vector<int64_t>> elemVal_;
  std::vector<std::vector<std::string>> elemText_;
  std::vector<std::string> elementMessages_;  // said after the required-field check, as always
  mutable std::vector<int> shapeFields_;  // the fields whose wrong shape or absence this row said: not per column
  IdRegistry *ids_ = nullptr;
  int idHeader_ = -1;  // the header of a text identifier's column (-1: none)
  std::vector<UniqueValue> unique_;
  std::vector<UniqueValue> inRecord_;               // values of within-record checks seen in this row
  std::vector<RecordDuplicate> recordDuplicates_;
  void noteInRecord(int validation, std::string value, const std::string &header);
  const std::vector<ImportTable> *imports_ = nullptr;
  void fillImports(const records::Row &row, Batch &batch, std::vector<std::string> &messages);
};

} // namespace rubric::runtime
