// UniquenessCheck (校验 唯一, issue 13): exact with any memory budget — the
// same duplicates, in the same order, whether the values stay in memory or
// are spilled to a temporary file and sorted externally.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "runtime/scoring/Columns.h"
#include "runtime/scoring/ExternalSort.h"
#include "runtime/scoring/IdRegistry.h"
#include "runtime/scoring/Uniqueness.h"

using rubric::runtime::UniquenessCheck;

namespace {

struct Value {
  int check;
  std::string value;
  int32_t source;
  int64_t row;
  std::string header;
};

// Each duplicate as "check|value|first source:row:header|repeat source:row:header".
std::vector<std::string> duplicates(const std::vector<Value> &values, size_t budget, bool *spilled = nullptr) {
  UniquenessCheck check(budget);
  for (const Value &v : values) check.add(v.check, v.value, {v.source, v.row, v.header});
  if (spilled) *spilled = check.spilled();
  std::vector<std::string> out;
  auto place = [](const UniquenessCheck::Place &p) {
    return std::to_string(p.source) + ":" + std::to_string(p.row) + ":" + std::string(p.header);
  };
  bool ok = check.finish([&](const UniquenessCheck::Duplicate &d) {
    out.push_back(std::to_string(d.check) + "|" + std::string(d.value) + "|" + place(d.first) + "|" + place(d.again));
  });
  REQUIRE(ok);
  return out;
}

// Budgets: everything in memory; nothing in memory (every value spilled, in
// runs of the sorter's 4 KiB minimum buffer); a table of a few values (half
// the budget: a 1 MiB text block, 1,024 slots of 5 bytes and 4 entries of 24).
constexpr size_t kAll = size_t{1} << 30, kNone = 64, kFew = 2 * ((size_t{1} << 20) + 1024 * 5 + 4 * 24);

} // namespace

TEST_CASE("uniqueness: repeats in memory, reported in the order the repeats were read") {
  std::vector<Value> v{{0, "A", 0, 2, "案卷号"}, {0, "B", 0, 3, "案卷号"}, {0, "A", 0, 4, "备用案卷号"},
                       {0, "C", 0, 5, "案卷号"}, {0, "B", 1, 2, "案卷号"}, {0, "A", 1, 3, "案卷号"}};
  // A first at 0:2 and repeated at 0:4 and 1:3; B first at 0:3, repeated at 1:2; C once.
  std::vector<std::string> want{"0|A|0:2:案卷号|0:4:备用案卷号", "0|B|0:3:案卷号|1:2:案卷号",
                                "0|A|0:2:案卷号|1:3:案卷号"};
  bool spilled = true;
  CHECK(duplicates(v, kAll, &spilled) == want);
  CHECK_FALSE(spilled);
  // The same with every value spilled, and with a map of a few values.
  CHECK(duplicates(v, kNone, &spilled) == want);
  CHECK(spilled);
  CHECK(duplicates(v, kFew) == want);
}

TEST_CASE("uniqueness: a repeat is known at once only while its first occurrence is in memory") {
  UniquenessCheck check(kNone);
  CHECK_FALSE(check.add(0, "X", {0, 2, "h"}));
  CHECK_FALSE(check.add(0, "X", {0, 3, "h"}));  // spilled: found in finish()
  int found = 0;
  CHECK(check.finish([&](const UniquenessCheck::Duplicate &d) {
    ++found;
    CHECK(d.first.row == 2);
    CHECK(d.again.row == 3);
  }));
  CHECK(found == 1);

  UniquenessCheck roomy(kAll);
  CHECK_FALSE(roomy.add(0, "X", {0, 2, "h"}));
  CHECK(roomy.add(0, "X", {0, 3, "h"}));
}

TEST_CASE("uniqueness: duplicates between the frozen map and the spill") {
  // Budget kFew: the table holds four values, M1..M3 and S1; later new values are spilled.
  std::vector<Value> v;
  for (int i = 1; i <= 3; ++i) v.push_back({0, "M" + std::to_string(i), 0, i + 1, "c"});  // rows 2..4
  for (int i = 1; i <= 20; ++i) v.push_back({0, "S" + std::to_string(i), 0, i + 4, "c"});  // rows 5..24
  v.push_back({0, "M2", 0, 25, "c"});  // repeats row 3 (in memory)
  v.push_back({0, "S7", 0, 26, "c"});  // repeats row 11 (S7 = row 7 + 4, spilled)
  v.push_back({0, "M1", 0, 27, "c"});  // repeats row 2
  v.push_back({0, "S7", 0, 28, "c"});  // repeats row 11 again
  v.push_back({0, "S20", 0, 29, "c"}); // repeats row 24
  std::vector<std::string> want{"0|M2|0:3:c|0:25:c", "0|S7|0:11:c|0:26:c", "0|M1|0:2:c|0:27:c",
                                "0|S7|0:11:c|0:28:c", "0|S20|0:24:c|0:29:c"};
  bool spilled = false;
  CHECK(duplicates(v, kFew, &spilled) == want);
  CHECK(spilled);
  UniquenessCheck few(kFew);  // which repeats are known at once: those of values in the table
  for (const char *x : {"M1", "M2", "M3", "S1", "S2", "S3"}) CHECK_FALSE(few.add(0, x, {0, 2, "c"}));
  CHECK(few.add(0, "M2", {0, 3, "c"}));
  CHECK(few.add(0, "S1", {0, 4, "c"}));
  CHECK_FALSE(few.add(0, "S2", {0, 5, "c"}));  // spilled: found by finish()
  CHECK(duplicates(v, kAll) == want);
  CHECK(duplicates(v, kNone) == want);
}

TEST_CASE("uniqueness: checks are separate, and values are compared exactly") {
  std::vector<Value> v{
      {0, "A,1", 0, 2, "x"},          {1, "A,1", 0, 2, "y"},         // same value, other check: no duplicate
      {0, "行\n二", 0, 3, "x"},        {0, "A", 0, 4, "x"},           // a newline; a prefix of "A,1"
      {0, "A,1 ", 0, 5, "x"},         {0, std::string("A\0,1", 4), 0, 6, "x"},  // differ by a byte
      {0, "行\n二", 0, 7, "x"},        {1, "A,1", 0, 8, "y"},
      {0, "Ａ", 0, 9, "x"},            {0, "A", 0, 10, "x"},          // full-width Ａ is another value
      {0, std::string(300, 'z'), 0, 11, "x"}, {0, std::string(300, 'z'), 0, 12, "x"}};
  std::vector<std::string> want{"0|行\n二|0:3:x|0:7:x", "1|A,1|0:2:y|0:8:y", "0|A|0:4:x|0:10:x",
                                "0|" + std::string(300, 'z') + "|0:11:x|0:12:x"};
  for (size_t budget : {kAll, kFew, kNone}) CHECK(duplicates(v, budget) == want);
}

TEST_CASE("uniqueness: many distinct values spilled, with a few planted repeats") {
  std::vector<Value> v;
  for (int i = 0; i < 20000; ++i) v.push_back({0, "AJ-" + std::to_string(i), 0, i + 2, "案卷号"});
  v.push_back({0, "AJ-19999", 1, 2, "案卷号"});  // first at row 19999 + 2
  v.push_back({0, "AJ-0", 1, 3, "案卷号"});      // first at row 2
  v.push_back({0, "AJ-7777", 1, 4, "案卷号"});   // first at row 7779
  std::vector<std::string> want{"0|AJ-19999|0:20001:案卷号|1:2:案卷号", "0|AJ-0|0:2:案卷号|1:3:案卷号",
                                "0|AJ-7777|0:7779:案卷号|1:4:案卷号"};
  // Runs of 4 KiB, ~90 spilled values of ~45 bytes each: ~220 runs, merged
  // 16 at a time into runs of the next level and once more at the end.
  for (size_t budget : {kAll, size_t{4096}, kNone}) CHECK(duplicates(v, budget) == want);
}

TEST_CASE("uniqueness: random values agree with a brute-force count at every budget") {
  std::mt19937 rng(13);
  std::vector<Value> v;
  for (int i = 0; i < 5000; ++i)
    v.push_back({static_cast<int>(rng() % 2), "V" + std::to_string(rng() % 3000), static_cast<int32_t>(i / 2000),
                 i % 2000 + 2, i % 3 ? "a" : "b"});
  // The oracle: a map of first occurrences, in read order.
  std::map<std::pair<int, std::string>, const Value *> first;
  std::vector<std::string> want;
  for (const Value &x : v) {
    auto [it, fresh] = first.try_emplace({x.check, x.value}, &x);
    const Value &f = *it->second;
    if (!fresh)
      want.push_back(std::to_string(x.check) + "|" + x.value + "|" + std::to_string(f.source) + ":" +
                     std::to_string(f.row) + ":" + f.header + "|" + std::to_string(x.source) + ":" +
                     std::to_string(x.row) + ":" + x.header);
  }
  REQUIRE(want.size() > 1000);  // 5000 draws from 2 × 3000 values repeat often
  for (size_t budget : {kAll, size_t{20000}, size_t{2000}, kNone}) CHECK(duplicates(v, budget) == want);
}

// The external sort alone, at budgets that make many runs merged as they come,
// a few, or none: every record comes back in the order of a stable sort of
// them all — equal keys in the order put, whatever the runs.
TEST_CASE("RecordSorter: any budget gives the order of a stable sort", "[unique]") {
  using rubric::runtime::RecordSorter;
  // Records "key|n": ordered by key only (3,000 keys among 40,000 records: many ties).
  RecordSorter::Less byKey = [](std::string_view a, std::string_view b) {
    return a.substr(0, a.find('|')) < b.substr(0, b.find('|'));
  };
  std::mt19937 rng(7);
  std::vector<std::string> records;
  for (int i = 0; i < 40000; ++i) records.push_back("K" + std::to_string(rng() % 3000) + "|" + std::to_string(i));
  std::vector<std::string> want = records;
  std::stable_sort(want.begin(), want.end(), [&](const std::string &a, const std::string &b) { return byKey(a, b); });
  // 40,000 records of ~16 bytes + 12 of bookkeeping ≈ 1.1 MB: at 8 KiB ~140 runs, merged 16 at a time
  // as they come and at the end; at 100,000 bytes 11 runs, merged at the end; at 1 GiB all in memory.
  for (size_t budget : {size_t{8192}, size_t{100000}, size_t{1} << 30}) {
    RecordSorter sorter(budget, byKey);
    for (const std::string &r : records) sorter.put(r);
    std::vector<std::string> got;
    REQUIRE(sorter.finish([&](std::string_view r) { got.emplace_back(r); }));
    CHECK(got == want);
  }
}

// Input in order, or nearly (identifiers R1, R2, …): buffers put in order are
// written unsorted and onto the end of the newest run. Ties straddle the
// buffers' ends; a few records out of order (a buffer that must be sorted, and
// one starting below the newest run's end) must start runs of their own.
TEST_CASE("RecordSorter: input in order, with ties and a few records out of it, gives a stable sort's order", "[unique]") {
  using rubric::runtime::RecordSorter;
  RecordSorter::Less byKey = [](std::string_view a, std::string_view b) {
    return a.substr(0, a.find('|')) < b.substr(0, b.find('|'));
  };
  std::vector<std::string> inOrder, nearly;
  char key[16];
  for (int i = 0; i < 20000; ++i) {  // keys K00000…K09999, each twice in a row
    std::snprintf(key, sizeof key, "K%05d|", i / 2);
    inOrder.push_back(key + std::to_string(i));
  }
  nearly = inOrder;
  for (int at : {3001, 9000, 15555}) nearly[static_cast<size_t>(at)] = "K00007|late" + std::to_string(at);
  nearly.push_back("K00000|last");
  // ≈ 28 bytes a record: at 8 KiB a buffer of ~290 records, ~70 buffers; at 1 GiB all in memory.
  for (const auto *records : {&inOrder, &nearly}) {
    std::vector<std::string> want = *records;
    std::stable_sort(want.begin(), want.end(), [&](const std::string &a, const std::string &b) { return byKey(a, b); });
    for (size_t budget : {size_t{8192}, size_t{100000}, size_t{1} << 30}) {
      RecordSorter sorter(budget, byKey);
      for (const std::string &r : *records) sorter.put(r);
      std::vector<std::string> got;
      REQUIRE(sorter.finish([&](std::string_view r) { got.emplace_back(r); }));
      CHECK(got == want);
    }
  }
}

// The records contract's identifier registry (Columns.h): a hash match is
// confirmed by the identifier's bytes. With a constant hash every identifier
// collides, yet only a true repeat is refused, naming where it was first seen.
TEST_CASE("IdRegistry: identifiers that share a hash are not duplicates — a true repeat is", "[unique]") {
  using rubric::runtime::IdRegistry;
  using rubric::runtime::RecordOrigin;
  for (IdRegistry::HashFn hash : {+[](std::string_view) -> uint64_t { return 42; }, IdRegistry::HashFn(nullptr)}) {
    IdRegistry ids({"a.csv", "b.csv"}, hash);
    std::string first;
    // 3,000 distinct identifiers, two files (the table grows several times).
    for (int k = 0; k < 3000; ++k) {
      INFO(k);
      REQUIRE(ids.claim("单位" + std::to_string(k), RecordOrigin{k % 2, k + 2}, first));
    }
    CHECK(ids.claim("", RecordOrigin{0, 9000}, first));         // an empty identifier is one value too
    CHECK_FALSE(ids.claim("单位1234", RecordOrigin{1, 9001}, first));
    CHECK(first == "a.csv:1236");                                // 1234 % 2 = 0 → a.csv, row 1234 + 2
    CHECK_FALSE(ids.claim("单位7", RecordOrigin{0, 9002}, first));
    CHECK(first == "b.csv:9");
    CHECK(ids.claim("单位12345", RecordOrigin{0, 9003}, first));  // a longer one sharing a prefix is new
  }
}

// 6,000 claims of 2,500 identifiers "U<k>" (k drawn at random with `seed`), on
// rows 2…6001 of in.csv, and by brute force every repeat as "row→in.csv:first row".
struct RandomRepeats {
  std::vector<std::string> ids, want;
};
static RandomRepeats randomRepeats(unsigned seed) {
  std::mt19937 rng(seed);
  RandomRepeats r;
  for (int i = 0; i < 6000; ++i) r.ids.push_back("U" + std::to_string(rng() % 2500));
  std::map<std::string, int64_t> firstRow;
  for (int i = 0; i < 6000; ++i) {
    auto [it, isNew] = firstRow.emplace(r.ids[static_cast<size_t>(i)], i + 2);
    if (!isNew) r.want.push_back(std::to_string(i + 2) + "→in.csv:" + std::to_string(it->second));
  }
  return r;
}

// IdRegistry with a memory budget (issue 13): once its table is full, the
// identifiers not in it are spilled and their repeats found by finish(), in
// the order read — together with the repeats refused at once, exactly the
// repeats a registry with room for everything refuses, each naming its first row.
TEST_CASE("IdRegistry: a full table finds the other repeats at the end, the same ones", "[unique]") {
  using rubric::runtime::IdRegistry;
  using rubric::runtime::RecordOrigin;
  auto [ids, want] = randomRepeats(7);
  REQUIRE(want.size() > 3000);  // 6000 claims of at most 2500 identifiers
  // 64 bytes: nothing in the table; 1,100,000: a 1 MiB text block and about
  // 1,000 identifiers; the default: everything in the table. Split: the spill
  // in two halves by hash, merged on two threads (--threads > 1).
  for (bool split : {false, true})
  for (size_t budget : {size_t{64}, size_t{2200000}, IdRegistry::kDefaultBudget}) {
    INFO(budget << (split ? ", spill split" : ""));
    IdRegistry reg({"in.csv"}, nullptr, budget);
    if (split) reg.splitSpill();
    std::map<int64_t, std::string> got;  // by row: found at once or at the end, the same text
    std::string first;
    for (int i = 0; i < 6000; ++i)
      if (!reg.claim(ids[static_cast<size_t>(i)], RecordOrigin{0, i + 2}, first, i % 2 == 0))
        got[i + 2] = std::to_string(i + 2) + "→" + first;
    CHECK(reg.frozen() == (budget != IdRegistry::kDefaultBudget));
    int64_t lastRow = 0;
    bool inOrder = true, scoredFlag = true;
    REQUIRE(reg.finish([&](const IdRegistry::Repeat &r) {
      inOrder = inOrder && r.again.row > lastRow;
      lastRow = r.again.row;
      scoredFlag = scoredFlag && r.scored == (r.again.row % 2 == 0);  // claim i (row i + 2) passed i % 2 == 0
      got[r.again.row] = std::to_string(r.again.row) + "→" + r.firstSeen;
    }));
    CHECK(inOrder);
    CHECK(scoredFlag);
    std::vector<std::string> all;
    for (auto &[row, text] : got) all.push_back(text);
    CHECK(all == want);
  }
}

// The registry's hash (session 7: 8 bytes a step) and its spill against a std::set: random identifiers of 0–20 bytes (binary bytes,
// long shared prefixes, ids that differ only past the 8th byte), claimed in
// turn; with a hash of the length alone (identifiers of one length all
// collide, in the table and in the spill's sort) and with the default one; at
// a budget where everything fits, one that freezes early, and 64 bytes.
// Whatever the hash and budget, a claim is a repeat (now or at finish()) exactly
// when the set already holds the identifier — no false repeat, none missed.
// Also split (--threads > 1): the spill in two halves by hash, merged
// on two threads; an identifier and its repeats must land in the same half.
TEST_CASE("IdRegistry: the hash and the spill order agree with a std::set on random repeats", "[unique]") {
  using rubric::runtime::IdRegistry;
  using rubric::runtime::RecordOrigin;
  std::mt19937 rng(13);
  std::vector<std::string> ids;
  const std::string prefix = "案卷-2025-";  // 12 bytes shared by a third of them
  for (int i = 0; i < 8000; ++i) {
    std::string id = (rng() % 3 == 0) ? prefix : std::string();
    size_t n = rng() % 8;                    // few distinct tails: many repeats
    for (size_t k = 0; k < n; ++k) id.push_back(static_cast<char>("ab\0\xFF"[rng() % 4]));
    ids.push_back(std::move(id));
  }
  std::set<std::string> seen;
  std::vector<int64_t> wantRows;  // rows whose claim repeats an earlier one
  for (size_t i = 0; i < ids.size(); ++i)
    if (!seen.insert(ids[i]).second) wantRows.push_back(static_cast<int64_t>(i) + 2);
  REQUIRE(wantRows.size() > 3000);
  REQUIRE(seen.size() > 1000);
  for (bool split : {false, true})
  for (IdRegistry::HashFn hash : {+[](std::string_view s) -> uint64_t { return s.size(); }, IdRegistry::HashFn(nullptr)})
    for (size_t budget : {IdRegistry::kDefaultBudget, size_t{2200000}, size_t{64}}) {
      INFO(budget << (split ? ", spill split" : ""));
      IdRegistry reg({"in.csv"}, hash, budget);
      if (split) reg.splitSpill();
      std::set<int64_t> got;
      std::string first;
      for (size_t i = 0; i < ids.size(); ++i)
        if (!reg.claim(ids[i], RecordOrigin{0, static_cast<int64_t>(i) + 2}, first)) got.insert(static_cast<int64_t>(i) + 2);
      REQUIRE(reg.finish([&](const IdRegistry::Repeat &r) {
        CHECK(ids[static_cast<size_t>(r.again.row - 2)] == r.id);  // the repeat names its own identifier
        got.insert(r.again.row);
      }));
      CHECK(std::vector<int64_t>(got.begin(), got.end()) == wantRows);
    }
}

// --threads > 1 (session 8): once the table is frozen, the workers look each
// row's identifier up in it ahead of the claim (IdRegistry::lookUp) and the
// committing thread claims with that lookup. Here a second thread looks up
// block b + 1 (512 claims) while this one claims block b with its lookups, as
// the pipeline does; the table freezes part-way at 2,200,000 bytes. The
// repeats refused at once and found at the end must be exactly the brute
// force's, each naming the first row: the first in input order wins.
TEST_CASE("IdRegistry: lookups made on another thread ahead of the claims give the same repeats", "[unique]") {
  using rubric::runtime::IdLookup;
  using rubric::runtime::IdRegistry;
  using rubric::runtime::RecordOrigin;
  auto [ids, want] = randomRepeats(11);
  constexpr size_t kBlock = 512;
  for (size_t budget : {size_t{64}, size_t{2200000}, IdRegistry::kDefaultBudget}) {
    INFO(budget);
    IdRegistry reg({"in.csv"}, nullptr, budget);
    std::vector<IdLookup> lookups(ids.size());
    auto lookUpBlock = [&](size_t b) {
      for (size_t i = b * kBlock; i < std::min(ids.size(), (b + 1) * kBlock); ++i) reg.lookUp(ids[i], lookups[i]);
    };
    std::map<int64_t, std::string> got;
    std::string first;
    int found = 0, absent = 0, none = 0;  // lookups that found an entry, found none, were not made (not frozen yet)
    size_t blocks = (ids.size() + kBlock - 1) / kBlock;
    lookUpBlock(0);
    for (size_t b = 0; b < blocks; ++b) {
      std::thread ahead([&, b] { if (b + 1 < blocks) lookUpBlock(b + 1); });
      for (size_t i = b * kBlock; i < std::min(ids.size(), (b + 1) * kBlock); ++i) {
        const IdLookup &l = lookups[i];
        (l.entry >= 0 ? found : l.entry == -1 ? absent : none)++;
        auto row = static_cast<int64_t>(i) + 2;
        if (!reg.claim(ids[i], RecordOrigin{0, row}, first, true, l)) got[row] = std::to_string(row) + "→" + first;
      }
      ahead.join();
    }
    REQUIRE(reg.finish([&](const IdRegistry::Repeat &r) {
      got[r.again.row] = std::to_string(r.again.row) + "→" + r.firstSeen;
    }));
    std::vector<std::string> all;
    for (auto &[row, text] : got) all.push_back(text);
    CHECK(all == want);
    if (budget == 2200000) {  // frozen part-way: all three kinds of lookup were used
      CHECK(found > 0);
      CHECK(absent > 0);
      CHECK(none > 0);
    }
    if (budget == IdRegistry::kDefaultBudget) CHECK(none == 6000);  // never frozen: every claim looked up anew
  }
  // A lookup made for another identifier is not used: a claim of a new
  // identifier with a lookup that found "K0" in the table is not refused.
  IdRegistry reg({"in.csv"}, nullptr, 2200000);
  std::string first;
  int64_t row = 2;
  for (; !reg.frozen(); ++row) REQUIRE(reg.claim("K" + std::to_string(row - 2), RecordOrigin{0, row}, first));
  IdLookup other;
  reg.lookUp("K0", other);
  REQUIRE(other.entry == 0);
  CHECK(reg.claim("新", RecordOrigin{0, row}, first, true, other));
  CHECK_FALSE(reg.claim("K0", RecordOrigin{0, row + 1}, first, true, other));  // its own: refused at once
  CHECK(first == "in.csv:2");
}

// Before the table freezes a lookup carries only the identifier and its hash
// (made on the worker); the claim probes with that hash, so a hash taken for
// another identifier must not be used: "A" probed with "B"'s hash would miss
// its first occurrence and be taken in again as new.
TEST_CASE("IdRegistry: a lookup made while the table fills lends its hash only to its own identifier", "[unique]") {
  using rubric::runtime::IdLookup;
  using rubric::runtime::IdRegistry;
  using rubric::runtime::RecordOrigin;
  IdRegistry reg({"in.csv"}, nullptr, IdRegistry::kDefaultBudget);
  std::string first;
  IdLookup a, b;
  reg.lookUp("A", a);
  reg.lookUp("B", b);
  REQUIRE(a.entry == -2);  // not frozen: the table is not read
  REQUIRE(b.entry == -2);
  REQUIRE(a.id == "A");
  CHECK(reg.claim("A", RecordOrigin{0, 2}, first, true, a));     // row 2: new, with its own hash
  CHECK_FALSE(reg.claim("A", RecordOrigin{0, 3}, first, true, b));  // row 3 with "B"'s lookup: still the repeat of row 2
  CHECK(first == "in.csv:2");
  CHECK_FALSE(reg.claim("A", RecordOrigin{0, 4}, first, true, a));  // row 4 with its own: the same
  CHECK(first == "in.csv:2");
  CHECK(reg.claim("B", RecordOrigin{0, 5}, first, true, b));     // "B" is new at row 5
  int repeats = 0;
  REQUIRE(reg.finish([&](const IdRegistry::Repeat &) { ++repeats; }));
  CHECK(repeats == 0);  // both repeats were refused at once, none left for the end
}
