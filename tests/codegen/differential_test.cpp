// Random IR programs: the JIT kernel must agree with the reference
// interpreter (interp::runKernel) bit for bit — every slot and every
// record's error code, in both phases.
#include <catch2/catch.hpp>

#include <random>

#include "CodegenTestUtil.h"
#include "interp/Interpreter.h"

using namespace rubric::codegen_test;

namespace {

struct RandomProgram {
  ProgramBuilder b;
  std::mt19937_64 &rng;
  std::vector<int> scalarCols;
  std::vector<int> lists;
  std::vector<std::vector<int>> elemCols;  // per list
  std::vector<int> params;
  std::vector<int> readableSlots[3];       // per phase: slots a phase may read
  std::vector<std::pair<ExprId, int>> pool;  // generated expressions and the list they need (-1: none)

  explicit RandomProgram(std::mt19937_64 &r) : rng(r) {}

  int pick(int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); }
  bool chance(int percent) { return pick(100) < percent; }

  int64_t randomConst() {
    switch (pick(8)) {
      case 0: return 0;
      case 1: return D("1");
      case 2: return D("9000000000000");  // provokes overflows
      case 3: return -static_cast<int64_t>(rng() % 100000000);
      default: return static_cast<int64_t>(rng() % 200) * 50000;  // 0 … 9.95 in steps of 0.05
    }
  }

  ExprId leaf(int ctx, int phase) {
    for (;;) {
      switch (pick(6)) {
        case 0: return b.k(randomConst());
        case 1: return b.col(scalarCols[pick(static_cast<int>(scalarCols.size()))]);
        case 2: return b.par(params[pick(static_cast<int>(params.size()))]);
        case 3:
          if (!readableSlots[phase].empty())
            return b.slotRef(readableSlots[phase][pick(static_cast<int>(readableSlots[phase].size()))]);
          break;
        default:
          if (ctx >= 0) return b.elem(elemCols[ctx][pick(static_cast<int>(elemCols[ctx].size()))]);
          break;
      }
    }
  }

  ExprId gen(int depth, int ctx, int phase) {
    // Reuse an earlier expression now and then (shared DAG nodes).
    if (!pool.empty() && chance(15)) {
      auto [id, need] = pool[pick(static_cast<int>(pool.size()))];
      if (need < 0 || need == ctx) return id;
    }
    ExprId id;
    int need = ctx;  // conservative: assume it needs the current element
    if (depth <= 0 || chance(20)) {
      id = leaf(ctx, phase);
    } else {
      int d = depth - 1;
      switch (pick(17)) {
        case 0: id = b.bin(Op::Add, gen(d, ctx, phase), gen(d, ctx, phase)); break;
        case 1: id = b.bin(Op::Sub, gen(d, ctx, phase), gen(d, ctx, phase)); break;
        case 2: id = b.bin(Op::Mul, gen(d, ctx, phase), gen(d, ctx, phase)); break;
        case 3: id = b.bin(Op::Div, gen(d, ctx, phase), gen(d, ctx, phase)); break;
        case 4: id = b.un(Op::Neg, gen(d, ctx, phase)); break;
        case 5: id = b.bin(chance(50) ? Op::Min : Op::Max, gen(d, ctx, phase), gen(d, ctx, phase)); break;
        case 6: {
          Op op = pick(3) == 0 ? Op::Round : pick(2) ? Op::Floor : Op::Ceil;
          id = b.un(op, gen(d, ctx, phase), pick(10) - 2);
          break;
        }
        case 7: id = b.cmp(static_cast<CmpKind>(pick(6)), gen(d, ctx, phase), gen(d, ctx, phase)); break;
        case 8: id = b.bin(chance(50) ? Op::And : Op::Or, gen(d, ctx, phase), gen(d, ctx, phase)); break;
        case 9: id = b.un(Op::Not, gen(d, ctx, phase)); break;
        case 10: case 11:
          id = b.select(gen(d, ctx, phase), gen(d, ctx, phase), gen(d, ctx, phase));
          break;
        case 12: case 13: {
          int L = lists[pick(static_cast<int>(lists.size()))];
          id = b.agg(static_cast<AggKind>(pick(7)), L, gen(d, L, phase));
          need = -1;
          break;
        }
        case 14: {
          int L = lists[pick(static_cast<int>(lists.size()))];
          bool pct = chance(50);
          int64_t frac = pct ? static_cast<int64_t>(pick(120)) * 1000000 : static_cast<int64_t>(pick(5)) * 1000000;
          id = b.topAvg(L, gen(d, L, phase), frac, pct);
          need = -1;
          break;
        }
        case 15: id = b.listLen(lists[pick(static_cast<int>(lists.size()))]); need = -1; break;
        default: id = leaf(ctx, phase); break;
      }
    }
    pool.emplace_back(id, need);
    return id;
  }

  void build() {
    for (int i = 0; i < 4; ++i) scalarCols.push_back(b.column());
    for (int l = 0; l < 2; ++l) {
      int L = b.list("L" + std::to_string(l));
      lists.push_back(L);
      elemCols.push_back({b.elementColumn(L, "x"), b.elementColumn(L, "y")});
    }
    for (int i = 0; i < 2; ++i) params.push_back(b.param());
    int population = b.slot(2, "population");
    readableSlots[2].push_back(population);
    int n1 = 5 + pick(15), n2 = 1 + pick(8);
    for (int i = 0; i < n1; ++i) {
      int s = b.slot(1);
      b.assign(s, gen(4, -1, 1), 1);
      readableSlots[1].push_back(s);
      readableSlots[2].push_back(s);
      if (chance(30)) pool.clear();  // otherwise later assignments may share nodes
    }
    for (int i = 0; i < n2; ++i) {
      int s = b.slot(2);
      b.assign(s, gen(4, -1, 2), 2);
      readableSlots[2].push_back(s);
    }
  }
};

int64_t randomValue(std::mt19937_64 &rng) {
  switch (rng() % 10) {
    case 0: return 0;
    case 1: return D("9000000000000");
    case 2: return -static_cast<int64_t>(rng() % 100000000000ULL);
    case 3: return static_cast<int64_t>(rng() % 2);
    default: return static_cast<int64_t>(rng() % 2000) * 50000;
  }
}

void fillFrame(Frame &f, const RandomProgram &rp, std::mt19937_64 &rng) {
  for (int c : rp.scalarCols)
    for (auto &v : f.cols[c]) v = randomValue(rng);
  for (size_t l = 0; l < rp.lists.size(); ++l) {
    std::vector<std::vector<std::vector<int64_t>>> els(static_cast<size_t>(f.records));
    for (auto &rec : els) {
      int n = static_cast<int>(rng() % 7);
      if (rng() % 20 == 0) n = 70 + static_cast<int>(rng() % 30);  // long: TopAvg's heap path
      for (int i = 0; i < n; ++i) rec.push_back({randomValue(rng), randomValue(rng)});
    }
    f.setList(rp.b.p, rp.lists[l], rp.elemCols[l], els);
  }
  for (auto &p : f.params) p = randomValue(rng);
}

// What the random programs exercised, so the test can check it is not vacuous.
struct Coverage {
  int64_t records = 0, clean = 0, overflow = 0, divZero = 0, values = 0, nonzero = 0;
  void add(const Frame &f) {
    for (int32_t e : f.errors) {
      ++records;
      clean += e == 0;
      overflow += RB_ERR_CODE(e) == RB_DEC_ERR_OVERFLOW;
      divZero += RB_ERR_CODE(e) == RB_DEC_ERR_DIV_ZERO;
    }
    for (const auto &s : f.slots)
      for (int64_t v : s) {
        ++values;
        nonzero += v != 0;
      }
  }
  void check() const {
    INFO("records " << records << " clean " << clean << " overflow " << overflow << " ÷0 " << divZero
                    << " values " << values << " nonzero " << nonzero);
    CHECK(clean > records / 10);
    CHECK(overflow > records / 50);
    CHECK(divZero > records / 50);
    CHECK(nonzero > values / 4);
  }
};

void compareOnce(uint64_t seed, int opt, bool inlineDecimal, Coverage &cov) {
  std::mt19937_64 rng(seed);
  RandomProgram rp(rng);
  rp.build();
  const auto &p = rp.b.p;
  rubric::codegen::CodeGenOptions o;
  o.inlineDecimal = inlineDecimal;
  const int perFunction[] = {16, 1, 3, 0};
  o.assignmentsPerFunction = perFunction[seed % 4];
  auto j = compile(p, opt, o);

  const int64_t n = 40;
  Frame ref(p, n);
  fillFrame(ref, rp, rng);
  Frame got = ref;
  for (int32_t phase : {1, 2}) {
    if (phase == 2) {
      for (int64_t r = 0; r < n; ++r) ref.slots[0][r] = got.slots[0][r] = randomValue(rng);
    }
    rubric::interp::runKernel(p, ref.bind(), 0, n, phase);
    got.run(j->kernel(), phase);
    for (size_t s = 0; s < p.desc.slots.size(); ++s)
      for (int64_t r = 0; r < n; ++r)
        if (ref.slots[s][r] != got.slots[s][r]) {
          INFO("seed " << seed << " opt " << opt << " inline " << inlineDecimal << " per " << o.assignmentsPerFunction
                       << " phase " << phase << " slot " << s << " record " << r << "\n" << rubric::ir::printProgram(p));
          REQUIRE(got.slots[s][r] == ref.slots[s][r]);
        }
    for (int64_t r = 0; r < n; ++r)
      if (ref.errors[r] != got.errors[r]) {
        INFO("seed " << seed << " opt " << opt << " inline " << inlineDecimal << " phase " << phase
                     << " record " << r << "\n" << rubric::ir::printProgram(p));
        REQUIRE(got.errors[r] == ref.errors[r]);
      }
  }
  cov.add(got);
}

} // namespace

TEST_CASE("random programs: JIT at O0 agrees with the interpreter", "[codegen][differential]") {
  Coverage cov;
  for (uint64_t seed = 1; seed <= 150; ++seed) compareOnce(seed, 0, true, cov);
  cov.check();
}

TEST_CASE("random programs: JIT at O2 agrees with the interpreter", "[codegen][differential]") {
  Coverage cov;
  for (uint64_t seed = 1000; seed < 1060; ++seed) compareOnce(seed, 2, true, cov);
  cov.check();
}

TEST_CASE("random programs: calls instead of inline decimal code agree too", "[codegen][differential]") {
  Coverage cov;
  for (uint64_t seed = 2000; seed < 2060; ++seed) compareOnce(seed, seed % 2 ? 0 : 2, false, cov);
  cov.check();
}
