// Random IR programs: the JIT kernel must agree with the reference
// interpreter (interp::runKernel) bit for bit — every slot (numerator and
// denominator) and every record's error code, in both phases — and both must
// agree with an independent exact evaluation in GMP rationals (ExactReference
// below), so a bug shared by rb_rat_* and both engines cannot hide.
#include <catch2/catch.hpp>

#include <gmpxx.h>

#include <algorithm>
#include <cstdlib>
#include <map>
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

  bool wide = false;  // constants with 1–6 decimals and near the int64 limits (see wideConst)

  // Aggregates nest at most this deep: the interpreter and the GMP reference
  // evaluate an inner one again for each element of the outer (100^depth).
  static constexpr int kMaxNesting = 2;
  int aggDepth = 0;                 // aggregates around the expression being generated
  std::map<ExprId, int> nesting;    // per generated expression: aggregates nested in it

  explicit RandomProgram(std::mt19937_64 &r, bool wideMix = false) : rng(r), wide(wideMix) {}

  int pick(int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); }
  bool chance(int percent) { return pick(100) < percent; }

  // Percentages and weights with 1–6 decimals, so products have 7–18 (the
  // wide fixed point) or more (fractions), and constants near the int64
  // limits, where a wide value stops fitting in int64 but its reduced
  // fraction may still fit.
  int64_t wideConst() {
    switch (pick(6)) {
      case 0: return 0;
      case 1: {
        int64_t unit = 1;
        for (int d = pick(6); d > 0; --d) unit *= 10;  // 10^0 … 10^5: 6 … 1 decimals
        int64_t v = static_cast<int64_t>(rng() % 1000001) / unit * unit;
        return chance(20) ? -v : v;
      }
      case 2: return (chance(50) ? 1 : -1) * (INT64_MAX / (1 + pick(12)));
      default: return static_cast<int64_t>(rng() % 200) * 50000;
    }
  }

  int64_t randomConst() {
    if (wide && chance(70)) return wideConst();
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
      if ((need < 0 || need == ctx) && aggDepth + nesting[id] <= kMaxNesting) return id;
    }
    ExprId id;
    int need = ctx;  // conservative: assume it needs the current element
    if (depth <= 0 || chance(20)) {
      id = leaf(ctx, phase);
    } else if (int op = pick(18); op >= 12 && op <= 16 && op != 15) {
      if (aggDepth < kMaxNesting) {
        id = aggregate(op, depth - 1, phase);
        need = -1;
      } else {
        id = leaf(ctx, phase);
      }
    } else {
      int d = depth - 1;
      switch (op) {
        case 0: id = b.bin(Op::Add, gen(d, ctx, phase), gen(d, ctx, phase)); break;
        case 1: id = b.bin(Op::Sub, gen(d, ctx, phase), gen(d, ctx, phase)); break;
        case 2: id = b.bin(Op::Mul, gen(d, ctx, phase), gen(d, ctx, phase)); break;
        case 3: id = b.bin(Op::Div, gen(d, ctx, phase), gen(d, ctx, phase)); break;
        case 4: id = b.un(Op::Neg, gen(d, ctx, phase)); break;
        case 5: id = b.bin(chance(50) ? Op::Min : Op::Max, gen(d, ctx, phase), gen(d, ctx, phase)); break;
        case 6: {
          Op step = pick(3) == 0 ? Op::Round : pick(2) ? Op::Floor : Op::Ceil;
          id = b.un(step, gen(d, ctx, phase), pick(10) - 2);
          break;
        }
        case 7: id = b.cmp(static_cast<CmpKind>(pick(6)), gen(d, ctx, phase), gen(d, ctx, phase)); break;
        case 8: id = b.bin(chance(50) ? Op::And : Op::Or, gen(d, ctx, phase), gen(d, ctx, phase)); break;
        case 9: id = b.un(Op::Not, gen(d, ctx, phase)); break;
        case 10: case 11:
          id = b.select(gen(d, ctx, phase), gen(d, ctx, phase), gen(d, ctx, phase));
          break;
        case 15: id = b.listLen(lists[pick(static_cast<int>(lists.size()))]); need = -1; break;
        default: id = leaf(ctx, phase); break;
      }
    }
    pool.emplace_back(id, need);
    nesting[id] = nestingOf(id);
    return id;
  }

  // ListAgg (12, 13), TopAvg (14) or GroupAgg (16) over a random list.
  ExprId aggregate(int op, int d, int phase) {
    ++aggDepth;
    int l = pick(static_cast<int>(lists.size())), L = lists[static_cast<size_t>(l)];
    ExprId id;
    if (op == 16) {
      id = groupAgg(l, d, phase);
    } else if (op == 14) {
      bool pct = chance(50);
      int64_t frac = pct ? static_cast<int64_t>(pick(120)) * 1000000 : static_cast<int64_t>(pick(5)) * 1000000;
      id = b.topAvg(L, gen(d, L, phase), frac, pct);
    } else {
      id = b.agg(static_cast<AggKind>(pick(7)), L, gen(d, L, phase));
    }
    --aggDepth;
    return id;
  }

  int nestingOf(ExprId id) {
    const Expr &e = b.p.exprs[static_cast<size_t>(id)];
    int inner = 0;
    for (ExprId c : {e.a, e.b, e.c})
      if (c >= 0) inner = std::max(inner, nesting[c]);
    bool isAgg = e.op == Op::ListAgg || e.op == Op::TopAvg || e.op == Op::GroupAgg;
    return inner + (isAgg ? 1 : 0);
  }

  // 外(列表 按 键: 内(body)) over lists[l], grouped by one of its element
  // columns (keys repeat: 3 random values in 10 are 0, 9,000,000 or 0.000001).
  ExprId groupAgg(int l, int d, int phase) {
    int key = elemCols[static_cast<size_t>(l)][static_cast<size_t>(pick(2))];
    auto inner = static_cast<AggKind>(pick(7));
    int64_t outer = pick(8);  // an AggKind, or rubric::ir::kGroupOuterTop
    bool pct = chance(50);
    int64_t frac = pct ? static_cast<int64_t>(pick(120)) * 1000000 : static_cast<int64_t>(pick(5)) * 1000000;
    return b.groupAgg(lists[static_cast<size_t>(l)], key, inner, outer, gen(d, lists[static_cast<size_t>(l)], phase), frac, pct);
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

// Raw values for the wide-mix programs: 6-decimal percentages (one raw unit
// either side of a round value, as rubric data has), ±1 raw unit, and values
// at and near the int64 limits.
int64_t wideValue(std::mt19937_64 &rng) {
  switch (rng() % 10) {
    case 0: return 0;
    case 1: return rng() % 2 ? 1 : -1;
    case 2: return rng() % 2 ? INT64_MAX - static_cast<int64_t>(rng() % 3) : INT64_MIN + static_cast<int64_t>(rng() % 3);
    case 3: return (rng() % 2 ? 1 : -1) * (INT64_MAX / static_cast<int64_t>(2 + rng() % 30));
    case 4: return -static_cast<int64_t>(rng() % 100000000);
    default: return static_cast<int64_t>(rng() % 101) * 10000 + static_cast<int64_t>(rng() % 3) - 1;
  }
}

int64_t randomValue(std::mt19937_64 &rng, bool wide = false) {
  if (wide && rng() % 2) return wideValue(rng);
  switch (rng() % 10) {
    case 0: return 0;
    case 1: return D("9000000000000");
    case 2: return -static_cast<int64_t>(rng() % 100000000000ULL);
    case 3: return static_cast<int64_t>(rng() % 2);
    default: return static_cast<int64_t>(rng() % 2000) * 50000;
  }
}

void fillFrame(Frame &f, const RandomProgram &rp, std::mt19937_64 &rng) {
  auto randomValue = [&](std::mt19937_64 &g) { return ::randomValue(g, rp.wide); };
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
  int64_t records = 0, clean = 0, overflow = 0, divZero = 0, values = 0, nonzero = 0, fractions = 0;
  int64_t groupAggs = 0;  // GroupAgg expressions in the programs
  void add(const rubric::ir::Program &p) {
    for (const auto &e : p.exprs) groupAggs += e.op == Op::GroupAgg;
  }
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
    for (const auto &d : f.dens)
      for (int64_t v : d) fractions += v != 1;
  }
  void check() const {
    INFO("records " << records << " clean " << clean << " overflow " << overflow << " ÷0 " << divZero
                    << " values " << values << " nonzero " << nonzero << " fractions " << fractions
                    << " GroupAgg " << groupAggs);
    CHECK(clean > records / 10);
    CHECK(overflow > records / 50);
    CHECK(divZero > records / 50);
    CHECK(nonzero > values / 4);
    CHECK(fractions > values / 50);  // values that 6 decimals could not hold
    CHECK(groupAggs > 10);
  }
};

// The IR's semantics (ir/Ir.h) evaluated with GMP's exact rationals, written
// independently of rb_rat_* and of both engines. Values are in raw units
// (real value = x / 10^6). An operation whose exact, reduced result has a
// numerator or denominator beyond int64 is an overflow: the record's first
// error is kept and the operation yields 0, as the engines do.
class ExactReference {
 public:
  ExactReference(const rubric::ir::Program &p, const Frame &f, int64_t r) : p_(p), f_(f), r_(r) {}

  mpq_class slot(int s) const {
    auto it = slots_.find(s);
    if (it != slots_.end()) return it->second;
    return mpq_class(mpz_class(static_cast<long>(f_.slots[s][r_])), mpz_class(static_cast<long>(f_.dens[s][r_])));
  }
  void run(int phase) {
    for (const auto &a : p_.assignments)
      if (a.phase == phase) {
        wholeList_.clear();
        slots_[a.slot] = eval(a.value, -1);
      }
  }
  int32_t error = 0;

 private:
  const rubric::ir::Program &p_;
  const Frame &f_;
  int64_t r_;
  std::map<int, mpq_class> slots_;
  // An aggregate over a whole list is the same for every element of an
  // enclosing list: computed once per assignment, or nested aggregates over
  // 100-element lists would take 100^depth evaluations. (Its first evaluation
  // said its error already: later ones cannot change the record's first.)
  std::map<ExprId, mpq_class> wholeList_;
  const mpz_class one_{1000000};

  static mpq_class raw(int64_t v) { return mpq_class(mpz_class(static_cast<long>(v))); }
  mpq_class fail(int32_t code) {
    if (!error) error = code;
    return 0;
  }
  mpq_class fit(mpq_class x) {
    x.canonicalize();
    if (!x.get_num().fits_slong_p() || !x.get_den().fits_slong_p()) return fail(RB_DEC_ERR_OVERFLOW);
    return x;
  }
  static mpz_class pow10(int e) {
    mpz_class p = 1;
    for (int i = 0; i < e; ++i) p *= 10;
    return p;
  }
  // Round (half away from zero) / floor / ceil to nd decimals, nd clamped to ≤ 6.
  mpq_class toStep(const mpq_class &x, int64_t nd, Op op) {
    nd = std::min<int64_t>(nd, 6);
    mpz_class u = pow10(static_cast<int>(6 - std::max<int64_t>(nd, -30)));
    mpq_class steps = x / u;
    mpz_class q;
    const mpz_class &n = steps.get_num(), &d = steps.get_den();
    if (op == Op::Floor) mpz_fdiv_q(q.get_mpz_t(), n.get_mpz_t(), d.get_mpz_t());
    else if (op == Op::Ceil) mpz_cdiv_q(q.get_mpz_t(), n.get_mpz_t(), d.get_mpz_t());
    else {
      mpq_class h = abs(steps) + mpq_class(1, 2);
      mpz_fdiv_q(q.get_mpz_t(), h.get_num().get_mpz_t(), h.get_den().get_mpz_t());
      if (steps < 0) q = -q;
    }
    mpz_class v = q * u;
    return v.fits_slong_p() ? mpq_class(v) : fail(RB_DEC_ERR_OVERFLOW);
  }
  std::pair<int64_t, int64_t> bounds(int list) const {
    const auto &offs = f_.cols[p_.desc.lists[list].offsetsColumn];
    return {offs[r_], offs[r_ + 1]};
  }

  mpq_class eval(ExprId id, int64_t elem) {
    const Expr &e = p_.exprs[id];
    switch (e.op) {
      case Op::Const: return raw(e.imm);
      case Op::Column: return raw(f_.cols[e.index][r_]);
      case Op::Param: return raw(f_.params[e.index]);
      case Op::Slot: return slot(e.index);
      case Op::Elem: return raw(f_.cols[e.index][elem]);
      case Op::Add: { mpq_class a = eval(e.a, elem), b = eval(e.b, elem); return fit(a + b); }
      case Op::Sub: { mpq_class a = eval(e.a, elem), b = eval(e.b, elem); return fit(a - b); }
      case Op::Mul: { mpq_class a = eval(e.a, elem), b = eval(e.b, elem); return fit(a * b / one_); }
      case Op::Div: {
        mpq_class a = eval(e.a, elem), b = eval(e.b, elem);
        return b == 0 ? fail(RB_DEC_ERR_DIV_ZERO) : fit(a / b * one_);
      }
      case Op::Neg: return fit(-eval(e.a, elem));
      case Op::Min: { mpq_class a = eval(e.a, elem), b = eval(e.b, elem); return b < a ? b : a; }
      case Op::Max: { mpq_class a = eval(e.a, elem), b = eval(e.b, elem); return b > a ? b : a; }
      case Op::Round: case Op::Floor: case Op::Ceil: return toStep(eval(e.a, elem), e.imm, e.op);
      case Op::Cmp: {
        mpq_class a = eval(e.a, elem), b = eval(e.b, elem);  // in order: the first error wins
        int c = cmp(a, b);
        bool t = e.cmp == CmpKind::Ge ? c >= 0 : e.cmp == CmpKind::Gt ? c > 0 : e.cmp == CmpKind::Le ? c <= 0
               : e.cmp == CmpKind::Lt ? c < 0 : e.cmp == CmpKind::Eq ? c == 0 : c != 0;
        return t ? 1 : 0;
      }
      case Op::And: { bool a = eval(e.a, elem) != 0, b = eval(e.b, elem) != 0; return a && b ? 1 : 0; }
      case Op::Or: { bool a = eval(e.a, elem) != 0, b = eval(e.b, elem) != 0; return a || b ? 1 : 0; }
      case Op::Not: return eval(e.a, elem) == 0 ? 1 : 0;
      case Op::Select: return eval(e.a, elem) != 0 ? eval(e.b, elem) : eval(e.c, elem);
      case Op::ListLen: { auto [lo, hi] = bounds(e.index); return mpq_class((hi - lo) * one_); }
      case Op::YearRun: {  // consecutive years of the bit set (bit y − 1990) ending at year imm
        int64_t years = f_.cols[e.index][r_], run = 0;
        for (int64_t y = e.imm; y >= 1990 && y <= 2052 && ((years >> (y - 1990)) & 1); --y) ++run;
        return mpq_class(run * one_);
      }
      case Op::ListAgg: case Op::TopAvg: case Op::GroupAgg: {
        auto known = wholeList_.find(id);
        if (known != wholeList_.end()) return known->second;
        mpq_class v = e.op == Op::ListAgg ? listAgg(e) : e.op == Op::TopAvg ? topAvg(e) : groupAgg(e);
        return wholeList_[id] = v;
      }
    }
    return 0;
  }

  mpq_class listAgg(const Expr &e) {
    auto [lo, hi] = bounds(e.index);
    switch (static_cast<AggKind>(e.imm)) {
      case AggKind::Max: case AggKind::Min: {
        if (hi == lo) return 0;
        mpq_class acc = eval(e.a, lo);
        for (int64_t j = lo + 1; j < hi; ++j) {
          mpq_class v = eval(e.a, j);
          if (static_cast<AggKind>(e.imm) == AggKind::Max ? v > acc : v < acc) acc = v;
        }
        return acc;
      }
      case AggKind::Sum: case AggKind::Average: {
        mpq_class acc = 0;
        for (int64_t j = lo; j < hi; ++j) acc = fit(acc + eval(e.a, j));
        if (static_cast<AggKind>(e.imm) == AggKind::Sum || hi == lo) return acc;
        return fit(acc / (hi - lo));
      }
      case AggKind::Count: {
        int64_t c = 0;
        for (int64_t j = lo; j < hi; ++j) c += eval(e.a, j) != 0;
        return mpq_class(c * one_);
      }
      case AggKind::All:
        for (int64_t j = lo; j < hi; ++j)
          if (eval(e.a, j) == 0) return 0;
        return 1;
      case AggKind::Any:
        for (int64_t j = lo; j < hi; ++j)
          if (eval(e.a, j) != 0) return 1;
        return 0;
    }
    return 0;
  }

  // Mean of the k largest: k = ⌊n × p%⌋ or the count, clamped to [1, n]; the
  // first overflow while summing (largest first) makes the result 0.
  mpq_class topAvg(const Expr &e) {
    auto [lo, hi] = bounds(e.index);
    std::vector<mpq_class> v;
    for (int64_t j = lo; j < hi; ++j) v.push_back(eval(e.a, j));
    return topOf(std::move(v), e.imm, e.imm2 != 0);
  }
  mpq_class topOf(std::vector<mpq_class> v, int64_t fraction, bool percent) {
    auto n = static_cast<int64_t>(v.size());
    if (n == 0) return 0;
    mpz_class k = mpz_class(static_cast<long>(fraction)) / one_;
    if (percent) k = mpz_class(n) * static_cast<long>(fraction) / (100 * one_);
    int64_t kk = std::clamp<int64_t>(k.get_si(), 1, n);
    std::sort(v.begin(), v.end(), [](const mpq_class &a, const mpq_class &b) { return a > b; });
    mpq_class sum = 0;
    for (int64_t i = 0; i < kk; ++i) {
      sum += v[static_cast<size_t>(i)];
      if (!fits(sum)) return fail(RB_DEC_ERR_OVERFLOW);
    }
    return fit(sum / kk);
  }

  // 外(列表 按 键: 内(body)): the values grouped by the key (raw element
  // values, equal → one group, groups in the order of their first element),
  // each group merged by the inner aggregate, the groups by the outer one
  // (or their top average). An overflow anywhere makes the whole 0.
  mpq_class groupAgg(const Expr &e) {
    auto [lo, hi] = bounds(e.index);
    std::vector<int64_t> keys;
    std::vector<std::vector<mpq_class>> groups;
    for (int64_t j = lo; j < hi; ++j) {
      mpq_class v = eval(e.a, j);
      int64_t key = eval(e.b, j).get_num().get_si();
      auto at = std::find(keys.begin(), keys.end(), key) - keys.begin();
      if (at == static_cast<long>(keys.size())) {
        keys.push_back(key);
        groups.emplace_back();
      }
      groups[static_cast<size_t>(at)].push_back(v);
    }
    bool overflow = false;
    std::vector<mpq_class> merged;
    for (const auto &g : groups) merged.push_back(aggregate(rubric::ir::groupInner(e.imm2), g, overflow));
    if (overflow) return fail(RB_DEC_ERR_OVERFLOW);
    if (rubric::ir::groupOuter(e.imm2) == rubric::ir::kGroupOuterTop) return topOf(merged, e.imm, rubric::ir::groupPercent(e.imm2) != 0);
    if (merged.empty()) return rubric::ir::groupOuter(e.imm2) == static_cast<int32_t>(AggKind::All) ? 1 : 0;
    mpq_class out = aggregate(rubric::ir::groupOuter(e.imm2), merged, overflow);
    return overflow ? fail(RB_DEC_ERR_OVERFLOW) : out;
  }
  // An AggKind over values (at least one); a running sum beyond int64 (reduced) is an overflow.
  mpq_class aggregate(int32_t kind, const std::vector<mpq_class> &v, bool &overflow) const {
    switch (static_cast<AggKind>(kind)) {
      case AggKind::Max: return *std::max_element(v.begin(), v.end());
      case AggKind::Min: return *std::min_element(v.begin(), v.end());
      case AggKind::Sum: case AggKind::Average: {
        mpq_class sum = 0;
        for (const mpq_class &x : v) {
          sum += x;
          overflow = overflow || !fits(sum);
        }
        if (static_cast<AggKind>(kind) == AggKind::Sum) return sum;
        mpq_class mean = sum / static_cast<long>(v.size());
        overflow = overflow || !fits(mean);
        return mean;
      }
      case AggKind::Count: return mpq_class(std::count_if(v.begin(), v.end(), [](const mpq_class &x) { return x != 0; }) * one_);
      case AggKind::All: return std::all_of(v.begin(), v.end(), [](const mpq_class &x) { return x != 0; }) ? 1 : 0;
      case AggKind::Any: return std::any_of(v.begin(), v.end(), [](const mpq_class &x) { return x != 0; }) ? 1 : 0;
    }
    return 0;
  }
  static bool fits(const mpq_class &x) { return x.get_num().fits_slong_p() && x.get_den().fits_slong_p(); }
};

// Slot s of record r as the engines store it, as an exact rational.
mpq_class stored(const Frame &f, int s, int64_t r) {
  return mpq_class(mpz_class(static_cast<long>(f.slots[s][r])), mpz_class(static_cast<long>(f.dens[s][r])));
}

void compareOnce(uint64_t seed, int opt, bool inlineDecimal, Coverage &cov, bool wideMix = false) {
  std::mt19937_64 rng(seed);
  RandomProgram rp(rng, wideMix);
  rp.build();
  auto &p = rp.b.p;  // compile() marks the rational slots
  rubric::codegen::CodeGenOptions o;
  o.inlineDecimal = inlineDecimal;
  const int perFunction[] = {16, 1, 3, 0};
  o.assignmentsPerFunction = perFunction[seed % 4];
  auto j = compile(p, opt, o);

  const int64_t n = 40;
  Frame ref(p, n);
  fillFrame(ref, rp, rng);
  Frame got = ref;
  std::vector<int32_t> phase1Errors;
  for (int32_t phase : {1, 2}) {
    if (phase == 2) {
      for (int64_t r = 0; r < n; ++r) ref.slots[0][r] = got.slots[0][r] = randomValue(rng);
    }
    std::vector<ExactReference> exact;
    for (int64_t r = 0; r < n; ++r) exact.emplace_back(p, ref, r);  // reads the slots as they are before the phase
    for (auto &x : exact) {
      x.error = 0;
      x.run(phase);
    }
    rubric::interp::runKernel(p, ref.bind(), 0, n, phase);
    got.run(j->kernel(), phase);
    for (size_t s = 0; s < p.desc.slots.size(); ++s)
      for (int64_t r = 0; r < n; ++r) {
        if (ref.value(s, r) != got.value(s, r)) {
          INFO("seed " << seed << " opt " << opt << " inline " << inlineDecimal << " per " << o.assignmentsPerFunction
                       << " phase " << phase << " slot " << s << " record " << r << "\n" << rubric::ir::printProgram(p));
          REQUIRE(got.slots[s][r] == ref.slots[s][r]);
          REQUIRE(got.dens[s][r] == ref.dens[s][r]);
        }
        if (stored(ref, static_cast<int>(s), r) != exact[static_cast<size_t>(r)].slot(static_cast<int>(s))) {
          INFO("GMP reference: seed " << seed << " phase " << phase << " slot " << s << " record " << r << ": engines "
               << ref.slots[s][r] << "/" << ref.dens[s][r] << ", exact "
               << exact[static_cast<size_t>(r)].slot(static_cast<int>(s)).get_str() << "\n" << rubric::ir::printProgram(p));
          CHECK(false);
        }
      }
    for (int64_t r = 0; r < n; ++r) {
      int32_t before = phase == 1 ? 0 : phase1Errors[static_cast<size_t>(r)];
      int32_t want = before ? before : exact[static_cast<size_t>(r)].error;
      if (RB_ERR_CODE(ref.errors[r]) != RB_ERR_CODE(want)) {
        INFO("GMP reference: seed " << seed << " phase " << phase << " record " << r << " error " << ref.errors[r]
             << ", exact " << want << "\n" << rubric::ir::printProgram(p));
        CHECK(false);
      }
    }
    if (phase == 1) phase1Errors.assign(ref.errors.begin(), ref.errors.end());
    for (int64_t r = 0; r < n; ++r)
      if (ref.errors[r] != got.errors[r]) {
        INFO("seed " << seed << " opt " << opt << " inline " << inlineDecimal << " phase " << phase
                     << " record " << r << "\n" << rubric::ir::printProgram(p));
        REQUIRE(got.errors[r] == ref.errors[r]);
      }
  }
  cov.add(got);
  cov.add(p);
}

} // namespace

// How many random programs a case runs. Under ASan+UBSan (scripts/sanitize.sh
// sets RUBRICC_SANITIZED) LLVM's allocations go through the sanitizer's
// allocator and each JIT compile is ~20× slower: a fifth of the programs still
// runs every path under the sanitizers; the normal build runs them all.
static uint64_t seeds(uint64_t normal) { return std::getenv("RUBRICC_SANITIZED") ? normal / 5 : normal; }

TEST_CASE("random programs: JIT at O0 agrees with the interpreter", "[codegen][differential]") {
  Coverage cov;
  for (uint64_t seed = 1; seed <= seeds(150); ++seed) compareOnce(seed, 0, true, cov);
  cov.check();
}

TEST_CASE("random programs: JIT at O2 agrees with the interpreter", "[codegen][differential]") {
  Coverage cov;
  for (uint64_t seed = 1000; seed < 1000 + seeds(60); ++seed) compareOnce(seed, 2, true, cov);
  cov.check();
}

TEST_CASE("random programs: calls instead of inline decimal code agree too", "[codegen][differential]") {
  Coverage cov;
  for (uint64_t seed = 2000; seed < 2000 + seeds(60); ++seed) compareOnce(seed, seed % 2 ? 0 : 2, false, cov);
  cov.check();
}

// Percentages with 1–6 decimals against 6-decimal data and values at the int64
// limits: products land in the wide fixed point (7–18 decimals), sums of them
// compare and round there, and near the limits the wide value no longer fits
// in int64 while its reduced fraction may; averages of such bodies are
// fractions. Bit for bit with the interpreter and equal to GMP's exact result.
TEST_CASE("random programs with percentages and values near the int64 limits", "[codegen][differential][wide]") {
  Coverage cov;
  for (uint64_t seed = 3000; seed < 3000 + seeds(80); ++seed) compareOnce(seed, seed % 2 ? 0 : 2, true, cov, true);
  cov.check();
}
