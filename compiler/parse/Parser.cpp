// Parse tree → AST. With parse/SyntaxHelp.cpp, the only files that see ANTLR types.
#include "parse/Parser.h"

#include <cctype>
#include <map>

#include <antlr4-runtime.h>

#include "RubricLexer.h"
#include "RubricParser.h"
#include "parse/SyntaxHelp.h"
#include "parse/TokenNames.h"

namespace rubric::parse {

using rubric::grammar::RubricLexer;
using rubric::grammar::RubricParser;
using P = RubricParser;

namespace {

// ───────────── error reporting ─────────────

std::string quoteToken(const antlr4::Token *tok) { return displayToken(tok, Lang::Zh); }

class SyntaxErrorListener : public antlr4::BaseErrorListener {
public:
  SyntaxErrorListener(std::shared_ptr<const SourceFile> src, DiagnosticEngine &diags,
                      const antlr4::dfa::Vocabulary &vocab)
      : src_(std::move(src)), diags_(diags), vocab_(vocab) {}

  // Errors from this line on follow from a `{` already reported as unclosed (E0009).
  void setKnockOnFromLine(uint32_t line) { knockOnFromLine_ = line; }
  bool isKnockOn(const antlr4::Token *t) const {
    return knockOnFromLine_ && t && (t->getLine() >= knockOnFromLine_ || t->getType() == antlr4::Token::EOF);
  }

  void syntaxError(antlr4::Recognizer *recognizer, antlr4::Token *offending, size_t line,
                   size_t col, const std::string &, std::exception_ptr ep) override {
    ++count_;
    if (count_ > kMaxErrors) return;
    if (isKnockOn(offending) || (knockOnFromLine_ && line >= knockOnFromLine_)) return;
    Span span{static_cast<uint32_t>(line), static_cast<uint32_t>(col + 1),
              static_cast<uint32_t>(col + 2)};
    if (offending && offending->getType() != antlr4::Token::EOF)
      span.endCol = span.col + codePointCount(offending->getText());
    if (offending && offending->getType() == RubricLexer::ERROR_CHAR) {
      // A lone " is the start of a string the lexer could not close on its line.
      if (offending->getText() == "\"") diags_.report(DiagId::UnterminatedString, src_, span);
      else diags_.report(DiagId::UnexpectedChar, src_, span, {quoteToken(offending)});
      return;
    }
    auto *parser = dynamic_cast<antlr4::Parser *>(recognizer);
    if (parser) {
      if (antlr4::Token *above = misplacedAndAbove(*parser, offending)) {
        Span at{static_cast<uint32_t>(above->getLine()), static_cast<uint32_t>(above->getCharPositionInLine() + 1),
                static_cast<uint32_t>(above->getCharPositionInLine() + 1) + codePointCount(above->getText())};
        diags_.report(DiagId::AndAboveInCondition, src_, at).fixits.push_back({at, ""});
        return;
      }
    }
    antlr4::misc::IntervalSet set;
    Diagnostic *reported = nullptr;
    if (parser) set = expectedTokens(*parser, ep);
    if (parser && isNoViable(ep)) {
      reported = &diags_.report(DiagId::SyntaxNoViable, src_, span, {quoteToken(offending)});
      reported->argsEn = {displayToken(offending, Lang::En)};
    } else {
      std::string expected = parser ? describeExpected(set, vocab_, Lang::Zh) : "其他写法";
      std::string expectedEn = parser ? describeExpected(set, vocab_, Lang::En) : "something else";
      reported = &diags_.report(DiagId::SyntaxUnexpected, src_, span, {quoteToken(offending), expected});
      reported->argsEn = {displayToken(offending, Lang::En), expectedEn};
    }
    if (parser) addGlueHint(*reported, *parser, offending);
    addKeywordAsNameHint(*reported, offending, set);
  }

  static antlr4::misc::IntervalSet expectedTokens(antlr4::Parser &parser, std::exception_ptr ep) {
    try {
      if (ep) std::rethrow_exception(ep);
      return parser.getExpectedTokens();
    } catch (antlr4::RecognitionException &e) {
      return e.getExpectedTokens();
    } catch (...) {
    }
    return {};
  }

  static bool isNoViable(std::exception_ptr ep) {
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (antlr4::NoViableAltException &) {
      return true;
    } catch (...) {
    }
    return false;
  }

  // "当入选 得 3分": the glued keyword hides in a name just before the error.
  void addGlueHint(Diagnostic &reported, antlr4::Parser &parser, antlr4::Token *offending) {
    auto *stream = parser.getTokenStream();
    if (!offending || offending->getTokenIndex() >= stream->size()) return;
    // The offending token and the few visible tokens before it.
    std::vector<antlr4::Token *> near = {offending};
    for (size_t i = offending->getTokenIndex(); i > 0 && near.size() < 4;) {
      antlr4::Token *t = stream->get(--i);
      if (t->getChannel() == antlr4::Token::DEFAULT_CHANNEL) near.push_back(t);
    }
    for (antlr4::Token *t : near) {
      if (!t || t->getType() != RubricLexer::IDENT) continue;
      if (std::string kw = gluedKeyword(t->getText()); !kw.empty()) {
        reported.notes.push_back(DiagnosticEngine::note(DiagId::NoteKeywordSpace, src_, spanOfToken(t), {kw}));
        return;
      }
    }
  }

  // "输入 { 件数: 件数 }": a keyword written where a name belongs reads as a name in 「」.
  void addKeywordAsNameHint(Diagnostic &reported, antlr4::Token *offending, const antlr4::misc::IntervalSet &set) {
    if (!offending || !set.contains(static_cast<size_t>(RubricLexer::IDENT))) return;
    if (!isKeywordWord(offending)) return;
    Span at = spanOfToken(offending);
    reported.notes.push_back(DiagnosticEngine::note(DiagId::NoteKeywordAsName, src_, at, {offending->getText()}));
    reported.fixits.push_back({at, "「" + offending->getText() + "」"});
  }

  size_t count() const { return count_; }
  void bump() { ++count_; }

  static Span spanOfToken(const antlr4::Token *t) {
    uint32_t col = static_cast<uint32_t>(t->getCharPositionInLine() + 1);
    return {static_cast<uint32_t>(t->getLine()), col, col + codePointCount(t->getText())};
  }
  // A keyword made of letters (件数, 级别, 平均…), which a writer may take for a name.
  static bool isKeywordWord(const antlr4::Token *t) {
    if (t->getType() == RubricLexer::IDENT || t->getType() == antlr4::Token::EOF) return false;
    const std::string &text = t->getText();
    if (text.empty()) return false;
    auto c = static_cast<unsigned char>(text[0]);
    return (c >= 0xE4 && c <= 0xE9) || std::isalpha(c);   // CJK ideographs (U+4000–U+9FFF), or English aliases
  }

private:
  static constexpr size_t kMaxErrors = 20;
  std::shared_ptr<const SourceFile> src_;
  DiagnosticEngine &diags_;
  const antlr4::dfa::Vocabulary &vocab_;
  size_t count_ = 0;
  uint32_t knockOnFromLine_ = 0;
};

// Missing-token messages say what is missing rather than what was found.
class RubricErrorStrategy : public antlr4::DefaultErrorStrategy {
public:
  RubricErrorStrategy(std::shared_ptr<const SourceFile> src, DiagnosticEngine &diags,
                      SyntaxErrorListener &listener)
      : src_(std::move(src)), diags_(diags), listener_(listener) {}

protected:
  void reportMissingToken(antlr4::Parser *recognizer) override {
    if (inErrorRecoveryMode(recognizer)) return;
    beginErrorCondition(recognizer);
    antlr4::Token *t = recognizer->getCurrentToken();
    if (listener_.isKnockOn(t)) {
      listener_.bump();
      return;
    }
    auto expecting = getExpectedTokens(recognizer);
    std::string what = describeExpected(expecting, recognizer->getVocabulary(), Lang::Zh);
    std::string whatEn = describeExpected(expecting, recognizer->getVocabulary(), Lang::En);
    // Point at the end of the previous token: that is where the text is missing.
    antlr4::Token *prev = recognizer->getTokenStream()->LT(-1);
    Span span{static_cast<uint32_t>(t->getLine()),
              static_cast<uint32_t>(t->getCharPositionInLine() + 1),
              static_cast<uint32_t>(t->getCharPositionInLine() + 2)};
    if (prev) {
      uint32_t c = static_cast<uint32_t>(prev->getCharPositionInLine() + 1) +
                   codePointCount(prev->getText());
      span = Span{static_cast<uint32_t>(prev->getLine()), c, c + 1};
    }
    diags_.report(DiagId::SyntaxMissing, src_, span, {what}).argsEn = {whatEn};
    listener_.bump();
  }

private:
  std::shared_ptr<const SourceFile> src_;
  DiagnosticEngine &diags_;
  SyntaxErrorListener &listener_;
};

// ───────────── parse tree → AST ─────────────

class AstBuilder {
public:
  explicit AstBuilder(std::shared_ptr<const SourceFile> src) : src_(std::move(src)) {}

  std::unique_ptr<ast::File> build(P::FileContext *ctx) {
    auto file = std::make_unique<ast::File>();
    file->source = src_;
    buildScheme(ctx->schemeDecl(), file->scheme);
    for (auto *top : ctx->topDecl()) {
      if (auto *in = top->inputDecl())
        for (auto *f : in->fieldDecl()) file->inputs.push_back(field(f));
      else if (auto *pa = top->paramDecl())
        for (auto *f : pa->fieldDecl()) file->params.push_back(field(f));
      else if (auto *im = top->importDecl())
        file->imports.push_back(importDecl(im));
      else if (auto *v = top->vetoDecl())
        file->vetoes.push_back(veto(v));
      else if (auto *n = top->nodeDecl())
        file->indicators.push_back(node(n));
      else if (auto *a = top->awardDecl())
        file->awards.push_back(award(a));
      else if (auto *va = top->validateDecl())
        file->validations.push_back(validation(va));
      else if (auto *c = top->caseDecl())
        file->cases.push_back(testCase(c));
      else if (auto *rd = top->readingDecl())
        file->readings.push_back(reading(rd));
      else if (auto *ld = top->letDecl())
        file->names.push_back(localName(ld));
      else if (auto *cc = top->crossCheckDecl())
        file->validations.push_back(crossCheck(cc));
    }
    return file;
  }

private:
  std::shared_ptr<const SourceFile> src_;

  Span span(antlr4::Token *start, antlr4::Token *stop) const {
    Span s;
    s.line = static_cast<uint32_t>(start->getLine());
    s.col = static_cast<uint32_t>(start->getCharPositionInLine() + 1);
    if (stop && stop->getLine() == start->getLine() && stop->getType() != antlr4::Token::EOF)
      s.endCol = static_cast<uint32_t>(stop->getCharPositionInLine() + 1) +
                 codePointCount(stop->getText());
    else
      s.endCol = codePointCount(src_->lineText(s.line)) + 1;
    if (s.endCol <= s.col) s.endCol = s.col + 1;
    return s;
  }
  Span span(antlr4::ParserRuleContext *ctx) const { return span(ctx->getStart(), ctx->getStop()); }
  Span span(antlr4::tree::TerminalNode *t) const { return span(t->getSymbol(), t->getSymbol()); }

  static std::string unquote(antlr4::tree::TerminalNode *t) {
    std::string s = t->getText();
    // "…" (ASCII, with \ escapes) or “…” (full width, 3-byte quotes)
    if (s.rfind("\"", 0) == 0) {
      std::string out;
      for (size_t i = 1; i + 1 < s.size(); ++i) {
        if (s[i] == '\\' && i + 2 < s.size()) {
          char c = s[++i];
          out += c == 'n' ? '\n' : c == 't' ? '\t' : c;
        } else {
          out += s[i];
        }
      }
      return out;
    }
    return s.size() >= 6 ? s.substr(3, s.size() - 6) : s;
  }

  static std::string nameText(P::NameContext *n) {
    std::string s = n->getText();
    if (n->QIDENT()) return s.substr(3, s.size() - 6); // strip 「」
    return s;
  }

  static std::string numberText(P::NumberContext *n) { return n->getText(); }

  void buildScheme(P::SchemeDeclContext *ctx, ast::Scheme &scheme) {
    for (auto *child : ctx->schemeName()->children) {
      auto *n = dynamic_cast<P::NameContext *>(child);
      scheme.id += n ? nameText(n) : child->getText();
    }
    scheme.span = span(ctx->schemeName());
    for (auto *h : ctx->headerField()) {
      if (auto *p = dynamic_cast<P::PeriodFieldContext *>(h)) {
        scheme.periodFrom = p->DATE(0)->getText();
        scheme.periodTo = p->DATE(1)->getText();
        scheme.periodSpan = span(p);
      } else if (auto *l = dynamic_cast<P::LevelsFieldContext *>(h)) {
        for (auto *n : l->nameList()->name()) {
          scheme.levels.push_back(nameText(n));
          scheme.levelSpans.push_back(span(n));
        }
      } else if (auto *t = dynamic_cast<P::TargetFieldContext *>(h)) {
        scheme.target = nameText(t->name());
        scheme.entries.push_back({"对象", scheme.target, span(t)});
      } else if (auto *m = dynamic_cast<P::MetaFieldContext *>(h)) {
        scheme.entries.push_back({canonicalName(nameText(m->name())), literalText(m->literal()), span(m)});
      }
    }
  }

  // Literal text in one canonical spelling: 95％ → 95%, true → 是, 3pt → 3分.
  std::string literalText(P::LiteralContext *l) {
    if (auto *s = dynamic_cast<P::StringLitContext *>(l)) return unquote(s->STRING());
    if (auto *b = dynamic_cast<P::BoolLitContext *>(l)) return b->K_YES() ? "是" : "否";
    if (auto *p = dynamic_cast<P::PercentLitContext *>(l)) return numberText(p->number()) + "%";
    if (auto *n = dynamic_cast<P::NumberLitContext *>(l)) return numberText(n->number()) + (n->K_POINTS() ? "分" : "");
    return l->getText();
  }

  // A 范围 bound in canonical form: "-5", "150%".
  std::string rangeBoundText(P::RangeBoundContext *b) {
    return (b->MINUS() ? "-" : "") + numberText(b->number()) + (b->PERCENT() ? "%" : "");
  }

  // English aliases of built-in names and metadata keys, so both spellings mean one thing.
  static std::string canonicalName(const std::string &name) {
    static const std::map<std::string, std::string> aliases = {
        {"average", "平均"},   {"best", "最好"},       {"worst", "最差"},      {"sum", "求和"},
        {"count", "计数"},     {"all", "全部"},        {"any", "任一"},        {"round", "四舍五入"},
        {"floor", "向下取整"}, {"ceil", "向上取整"},   {"max", "最大"},        {"min", "最小"},
        {"rank", "排名"},      {"level_rank", "级内排名"}, {"length", "个数"}, {"note", "说明"},
        {"title", "标题"},     {"issuer", "发布"},     {"doc_no", "文号"},     {"year", "年度"},
        {"total", "总分"},     {"source", "数据来源"}, {"guidance", "指导处室"}, {"office", "责任科室"},
        {"deadline", "完成时限"}, {"description", "指标说明"}, {"original", "原文"},
        {"group_max", "分组最高"}, {"level_count", "级内候选数"}, {"level_max", "级内最大"},
        {"consecutive_years", "连续年数"}, {"has_value", "有值"}};
    auto it = aliases.find(name);
    return it == aliases.end() ? name : it->second;
  }

  ast::FieldDecl field(P::FieldDeclContext *ctx) {
    ast::FieldDecl f;
    f.name = nameText(ctx->name());
    f.span = span(ctx->name());
    f.type = type(ctx->type());
    for (auto *a : ctx->fieldAttr()) {
      if (dynamic_cast<P::IdAttrContext *>(a)) f.isId = true;
      else if (dynamic_cast<P::OptionalAttrContext *>(a)) f.optional = true;
      else if (auto *d = dynamic_cast<P::DefaultAttrContext *>(a)) f.defaultText = literalText(d->literal());
      else if (auto *n = dynamic_cast<P::NoteAttrContext *>(a)) f.note = unquote(n->STRING());
      else if (auto *r = dynamic_cast<P::RangeAttrContext *>(a)) {
        f.rangeLow = rangeBoundText(r->rangeBound(0));
        f.rangeHigh = rangeBoundText(r->rangeBound(1));
        f.rangeSpan = span(r);
      }
    }
    return f;
  }

  ast::Type type(P::TypeContext *ctx) {
    ast::Type t;
    t.span = span(ctx);
    if (dynamic_cast<P::BoolTypeContext *>(ctx)) t.kind = ast::TypeKind::Bool;
    else if (dynamic_cast<P::CountTypeContext *>(ctx)) t.kind = ast::TypeKind::Count;
    else if (dynamic_cast<P::DecimalTypeContext *>(ctx)) t.kind = ast::TypeKind::Decimal;
    else if (dynamic_cast<P::PercentTypeContext *>(ctx)) t.kind = ast::TypeKind::Percent;
    else if (dynamic_cast<P::TextTypeContext *>(ctx)) t.kind = ast::TypeKind::Text;
    else if (auto *e = dynamic_cast<P::EnumTypeContext *>(ctx)) {
      t.kind = ast::TypeKind::Enum;
      for (auto *n : e->nameList()->name()) {
        t.enumValues.push_back(nameText(n));
        t.enumValueSpans.push_back(span(n));
      }
    } else if (auto *r = dynamic_cast<P::RecordListTypeContext *>(ctx)) {
      t.kind = ast::TypeKind::RecordList;
      for (auto *f : r->fieldDecl()) t.recordFields.push_back(field(f));
    } else if (auto *v = dynamic_cast<P::ValueListTypeContext *>(ctx)) {
      t.kind = ast::TypeKind::ValueList;
      t.element = std::make_unique<ast::Type>(type(v->type()));
    } else if (auto *m = dynamic_cast<P::MonthlyTypeContext *>(ctx)) {
      t.kind = ast::TypeKind::Monthly;
      t.element = std::make_unique<ast::Type>(type(m->type()));
    } else if (dynamic_cast<P::YearSetTypeContext *>(ctx)) {
      t.kind = ast::TypeKind::YearSet;
    } else if (dynamic_cast<P::DateTypeContext *>(ctx)) {
      t.kind = ast::TypeKind::Date;
    }
    return t;
  }

  // ── hierarchy ──
  std::unique_ptr<ast::Node> node(P::NodeDeclContext *ctx) {
    auto n = std::make_unique<ast::Node>();
    auto *k = ctx->nodeKind();
    n->span = span(k);
    if (k->K_INDICATOR()) n->kind = ast::NodeKind::Indicator;
    else if (k->K_SUBINDICATOR()) n->kind = ast::NodeKind::SubIndicator;
    else if (k->K_ITEM()) n->kind = ast::NodeKind::Item;
    else if (k->K_SUBITEM()) n->kind = ast::NodeKind::SubItem;
    else if (k->K_DEDUCTION()) n->kind = ast::NodeKind::Deduction;
    else n->kind = ast::NodeKind::Bonus;
    if (auto *l = ctx->label()) {
      if (l->INT()) n->label = l->INT()->getText();
      else n->label = nameText(l->name());
    }
    n->title = unquote(ctx->STRING());
    n->titleSpan = span(ctx->STRING());
    if (auto *p = ctx->points()) {
      n->points = numberText(p->number());
      n->pointsSpan = span(p);
    }
    for (auto *m : ctx->nodeModifier()) {
      if (auto *c = dynamic_cast<P::CapModifierContext *>(m)) {
        n->cap = numberText(c->points()->number());
        n->capSpan = span(c);
      } else if (dynamic_cast<P::CappedModifierContext *>(m)) n->bonusCap = ast::BonusCap::Capped;
      else if (dynamic_cast<P::UncappedModifierContext *>(m)) n->bonusCap = ast::BonusCap::Uncapped;
      else if (dynamic_cast<P::NegativeModifierContext *>(m)) n->mayGoNegative = true;
      else if (dynamic_cast<P::NoOwnLimitModifierContext *>(m)) {
        n->noOwnLimit = true;
        n->noOwnLimitSpan = span(m);
      }
    }
    for (auto *item : ctx->nodeItem()) {
      if (auto *c = item->nodeDecl()) n->children.push_back(node(c));
      else if (auto *r = item->scoringRule()) n->rules.push_back(rule(r));
      else if (auto *na = item->naRule()) n->naRules.push_back(naRule(na));
      else if (auto *v = item->vetoDecl()) n->vetoes.push_back(veto(v));
      else if (auto *a = item->ackDecl()) {
        ast::Ack ack;
        ack.total = numberText(a->points()->number());
        if (a->STRING()) ack.note = unquote(a->STRING());
        ack.span = span(a);
        n->ack = std::move(ack);
      } else if (auto *m = item->metaEntry()) {
        n->meta.push_back(metaEntry(m));
      } else if (auto *ld = item->letDecl()) {
        n->names.push_back(localName(ld));
      }
    }
    return n;
  }

  // ── rules ──
  ast::PointsValue pointsValue(P::PointsValueContext *ctx) {
    ast::PointsValue pv;
    pv.span = span(ctx);
    if (auto *e = dynamic_cast<P::ExprPointsContext *>(ctx)) pv.expr = expr(e->expr());
    else if (auto *m = dynamic_cast<P::LevelPointsMapContext *>(ctx))
      for (auto *lp : m->levelPoints())
        pv.byLevel.push_back({nameText(lp->name()), span(lp->name()), expr(lp->expr())});
    return pv;
  }

  void award(P::AwardContext *ctx, ast::Rule &r) {
    r.deduct = ctx->K_DEDUCT() != nullptr;
    r.award = pointsValue(ctx->pointsValue());
  }

  ast::Rule rule(P::ScoringRuleContext *ctx) {
    ast::Rule r;
    r.span = span(ctx);
    auto cap = [&](P::CapClauseContext *c) { if (c) r.cap = expr(c->expr()); };
    if (auto *w = dynamic_cast<P::WhenRuleContext *>(ctx)) {
      r.kind = ast::RuleKind::When;
      r.subject = expr(w->expr());
      award(w->award(), r);
      if (auto *s = w->stepClause()) {
        r.stepSize = expr(s->expr(0));
        r.stepPoints = expr(s->expr(1));
      }
      cap(w->capClause());
      if (auto *e = w->elseClause()) r.elseRule = std::make_unique<ast::Rule>(rule(e->scoringRule()));
    } else if (auto *c = dynamic_cast<P::ChoiceRuleContext *>(ctx)) {
      r.kind = ast::RuleKind::Choice;
      r.subject = expr(c->expr());
      for (auto *ch : c->choice()) {
        std::string value = nameText(ch->name());
        bool andAbove = ch->K_AND_ABOVE() != nullptr;
        // "省级以上" typed without a space lexes as one name: split it as a reader would.
        const std::string above = "以上";
        if (!andAbove && value.size() > above.size() && value.compare(value.size() - above.size(), above.size(), above) == 0) {
          value.resize(value.size() - above.size());
          andAbove = true;
        }
        r.choices.push_back({value, span(ch->name()), andAbove, expr(ch->expr())});
      }
      cap(c->capClause());
    } else if (auto *p = dynamic_cast<P::PerUnitRuleContext *>(ctx)) {
      r.kind = ast::RuleKind::PerUnit;
      r.unitWord = p->PER_UNIT()->getText() == "per" ? "每件" : p->PER_UNIT()->getText();
      r.subject = expr(p->expr());
      award(p->award(), r);
      cap(p->capClause());
    } else if (auto *t = dynamic_cast<P::TierRuleContext *>(ctx)) {
      r.kind = ast::RuleKind::Tiers;
      r.subject = expr(t->expr());
      for (auto *ti : t->tier()) r.tiers.push_back(tier(ti));
    } else if (auto *pl = dynamic_cast<P::PlainRuleContext *>(ctx)) {
      r.kind = ast::RuleKind::Plain;
      award(pl->award(), r);
      cap(pl->capClause());
    } else if (auto *m = dynamic_cast<P::MonthlyRuleContext *>(ctx)) {
      r.kind = ast::RuleKind::Monthly;
      r.subject = expr(m->expr());
      award(m->award(), r);
      cap(m->capClause());
    } else if (auto *lv = dynamic_cast<P::LevelRuleContext *>(ctx)) {
      r.kind = ast::RuleKind::ByLevel;
      for (auto *b : lv->levelBlock()) r.levels.push_back(levelBlock(b));
    } else if (auto *rr = dynamic_cast<P::ReadingRuleContext *>(ctx)) {
      r.kind = ast::RuleKind::ByReading;
      r.reading = nameText(rr->name());
      r.readingSpan = span(rr->name());
      for (auto *b : rr->levelBlock()) r.readingBlocks.push_back(levelBlock(b));
    }
    return r;
  }

  // A named block of rules: a level's (分级) or a reading option's (按读法).
  ast::LevelBlock levelBlock(P::LevelBlockContext *b) {
    ast::LevelBlock block;
    block.level = nameText(b->name());
    block.span = span(b->name());
    for (auto *rr : b->scoringRule()) block.rules.push_back(rule(rr));
    for (auto *na : b->naRule()) block.naRules.push_back(naRule(na));
    return block;
  }

  ast::Reading reading(P::ReadingDeclContext *ctx) {
    ast::Reading rd;
    rd.name = nameText(ctx->name());
    rd.span = span(ctx->name());
    rd.text = unquote(ctx->STRING());
    for (auto *item : ctx->readingItem()) {
      if (auto *a = dynamic_cast<P::ReadingAdoptContext *>(item))
        rd.adopted.push_back({nameText(a->name()), span(a->name())});
      else if (auto *why = dynamic_cast<P::ReadingReasonContext *>(item))
        rd.reason = unquote(why->STRING());
      else if (auto *o = dynamic_cast<P::ReadingOptionContext *>(item))
        rd.options.push_back({nameText(o->name()), span(o->name()), unquote(o->STRING())});
    }
    return rd;
  }

  static ast::CmpOp cmpOp(P::CmpOpContext *c) {
    if (c->GE() || c->K_REACH() || c->K_NOT_BELOW() || c->K_NOT_EARLIER()) return ast::CmpOp::Ge;
    if (c->GT() || c->K_EXCEED() || c->K_LATER()) return ast::CmpOp::Gt;
    if (c->LE() || c->K_NOT_EXCEED() || c->K_NOT_LATER()) return ast::CmpOp::Le;
    if (c->LT() || c->K_BELOW() || c->K_NOT_REACH() || c->K_EARLIER()) return ast::CmpOp::Lt;
    if (c->NE()) return ast::CmpOp::Ne;
    return ast::CmpOp::Eq;
  }

  // Applies one comparison (≥ x, 不足 x …) to a tier's interval.
  void applyComparison(ast::Tier &t, P::ComparisonContext *c) {
    ast::CmpOp op = cmpOp(c->cmpOp());
    auto bound = [&](bool inclusive) { return ast::Bound{expr(c->expr()), inclusive}; };
    switch (op) {
    case ast::CmpOp::Ge: t.lo = bound(true); break;
    case ast::CmpOp::Gt: t.lo = bound(false); break;
    case ast::CmpOp::Le: t.hi = bound(true); break;
    case ast::CmpOp::Lt: t.hi = bound(false); break;
    case ast::CmpOp::Eq:
    case ast::CmpOp::Ne: // ≠ makes no interval; sema reports it through overlap checks
      t.lo = bound(true);
      t.hi = bound(true);
      break;
    }
  }

  ast::Tier tier(P::TierContext *ctx) {
    ast::Tier t;
    t.span = span(ctx->tierCond());
    t.points = expr(ctx->expr());
    auto *cond = ctx->tierCond();
    if (auto *c = dynamic_cast<P::CmpTierContext *>(cond)) {
      for (auto *cmp : c->comparison()) applyComparison(t, cmp);
    } else if (auto *p = dynamic_cast<P::PostfixTierContext *>(cond)) {
      std::string w = p->POSTFIX_BOUND() ? p->POSTFIX_BOUND()->getText() : "以上";
      bool upper = w == "以下" || w == "以内" || w == "及以下" || w == "or_less";
      if (upper) t.hi = ast::Bound{expr(p->expr()), true};
      else t.lo = ast::Bound{expr(p->expr()), true};
    } else if (auto *r = dynamic_cast<P::RangeTierContext *>(cond)) {
      t.lo = ast::Bound{expr(r->expr(0)), true};
      t.hi = ast::Bound{expr(r->expr(1)), true};
    } else {
      t.isElse = true;
    }
    return t;
  }

  ast::NaPolicy naPolicy(P::NaPolicyContext *ctx) {
    ast::NaPolicy p;
    if (ctx->K_NA_FULL() || ctx->K_FULL_MARKS()) p.kind = ast::NaPolicyKind::FullMarks;
    else if (ctx->K_ZERO()) p.kind = ast::NaPolicyKind::Zero;
    else if (ctx->K_NA_EXCLUDED()) p.kind = ast::NaPolicyKind::Excluded;
    else {
      p.kind = ast::NaPolicyKind::MoveTo;
      p.target = nodeRefText(ctx->nodeRef());
      p.targetSpan = span(ctx->nodeRef());
    }
    return p;
  }

  ast::NaRule naRule(P::NaRuleContext *ctx) {
    ast::NaRule na;
    na.span = span(ctx);
    if (auto *l = dynamic_cast<P::LevelNaRuleContext *>(ctx)) {
      na.level = nameText(l->name());
      na.policy.kind = l->K_NA_FULL() ? ast::NaPolicyKind::FullMarks : ast::NaPolicyKind::Excluded;
    } else if (auto *c = dynamic_cast<P::CondNaRuleContext *>(ctx)) {
      if (c->expr()) na.condition = expr(c->expr());
      else na.level = nameText(c->name());
      na.policy = naPolicy(c->naPolicy());
    } else if (auto *n = dynamic_cast<P::IfNoneNaRuleContext *>(ctx)) {
      na.ifNone = true;
      na.condition = expr(n->expr());
      na.policy = naPolicy(n->naPolicy());
    }
    return na;
  }

  ast::MetaEntry metaEntry(P::MetaEntryContext *m) {
    return {canonicalName(nameText(m->name())), unquote(m->STRING()), span(m->name())};
  }

  ast::Import importDecl(P::ImportDeclContext *ctx) {
    ast::Import im;
    im.path = unquote(ctx->STRING());
    im.alias = nameText(ctx->name(0));
    im.span = span(ctx);
    im.wholePopulation = ctx->K_WHOLE_POP() != nullptr;
    if (ctx->name().size() > 1) {
      im.matchField = nameText(ctx->name(1));
      im.matchSpan = span(ctx->name(1));
    }
    return im;
  }

  ast::Veto veto(P::VetoDeclContext *ctx) {
    ast::Veto v;
    v.span = span(ctx->K_VETO());
    if (ctx->STRING()) v.reason = unquote(ctx->STRING());
    v.condition = expr(ctx->expr());
    auto *e = ctx->vetoEffect();
    if (e->K_DISQUALIFY()) v.effect = ast::VetoEffectKind::Disqualify;
    else {
      v.effect = ast::VetoEffectKind::ZeroNode;
      if (e->nodeRef()) {
        v.target = nodeRefText(e->nodeRef());
        v.targetSpan = span(e->nodeRef());
      }
    }
    if (auto *block = ctx->vetoMeta())
      for (auto *m : block->metaEntry()) v.meta.push_back(metaEntry(m));
    return v;
  }

  ast::Award award(P::AwardDeclContext *ctx) {
    ast::Award a;
    a.name = unquote(ctx->STRING());
    a.span = span(ctx->STRING());
    if (ctx->expr()) a.condition = expr(ctx->expr());
    if (auto *q = ctx->quota()) {
      a.quota = std::stoi(q->INT()->getText().substr(0, 9));
      a.rankBy = expr(q->expr());
      a.descending = q->K_ASC() == nullptr;
      if (q->tiePolicy()) tiePolicy(q->tiePolicy(), a);
    }
    for (auto *n : ctx->awardIfNone()) a.ifNone.push_back({nameText(n->name()), span(n->name())});
    return a;
  }

  void tiePolicy(P::TiePolicyContext *ctx, ast::Award &a) {
    if (dynamic_cast<P::TiesAllContext *>(ctx)) a.ties = ast::TiePolicy::IncludeAll;
    else if (dynamic_cast<P::TiesNoneContext *>(ctx)) a.ties = ast::TiePolicy::ExcludeAll;
    else if (dynamic_cast<P::TiesPendingContext *>(ctx)) a.ties = ast::TiePolicy::Pending;
    else if (auto *b = dynamic_cast<P::TiesBreakContext *>(ctx)) {
      a.ties = ast::TiePolicy::BreakByKeys;
      for (auto *k : b->tieKey()) a.tieKeys.push_back({expr(k->expr()), k->K_ASC() == nullptr});
    }
  }

  ast::Validation validation(P::ValidateDeclContext *ctx) {
    ast::Validation v;
    v.span = span(ctx->K_VALIDATE());
    if (ctx->STRING()) v.message = unquote(ctx->STRING());
    if (ctx->nameList())
      for (auto *n : ctx->nameList()->name()) {
        v.uniqueFields.push_back(nameText(n));
        v.uniqueFieldSpans.push_back(span(n));
      }
    if (ctx->elementFieldList()) {
      v.withinRecord = true;
      for (auto *f : ctx->elementFieldList()->elementField()) {
        v.uniqueFields.push_back(nameText(f->name(0)) + "." + nameText(f->name(1)));
        v.uniqueFieldSpans.push_back(span(f));
      }
    }
    if (ctx->expr()) v.condition = expr(ctx->expr());
    if (auto *g = ctx->groupCount()) groupCount(g, v);
    return v;
  }

  // 按 所属地州市 计数(级别 = 县级) 在 1 至 2
  void groupCount(P::GroupCountContext *g, ast::Validation &v) {
    v.groupField = nameText(g->name(0));
    v.groupFieldSpan = span(g->name(0));
    v.groupFunction = nameText(g->name(1));
    v.groupFunctionSpan = span(g->name(1));
    if (g->expr()) v.groupCondition = expr(g->expr());
    v.groupMin = std::stoll(g->INT(0)->getText().substr(0, 9));  // at most 9 digits: no overflow
    v.groupMax = std::stoll(g->INT(1)->getText().substr(0, 9));
    v.groupRangeSpan = span(g->INT(0));
  }

  // 校验 "…" 不共用(推荐案卷号, 抽查案卷号; 集体: 案卷号一, 案卷号二)
  ast::Validation crossCheck(P::CrossCheckDeclContext *ctx) {
    ast::Validation v;
    v.span = span(ctx->K_VALIDATE());
    if (ctx->STRING()) v.message = unquote(ctx->STRING());
    for (auto *n : ctx->nameList(0)->name()) {
      v.uniqueFields.push_back(nameText(n));
      v.uniqueFieldSpans.push_back(span(n));
    }
    v.otherScheme = nameText(ctx->name());
    v.otherSchemeSpan = span(ctx->name());
    for (auto *n : ctx->nameList(1)->name()) v.otherFields.push_back(nameText(n));
    return v;
  }

  ast::CaseValue caseValue(P::CaseValueContext *ctx) {
    ast::CaseValue cv;
    cv.span = span(ctx);
    if (ctx->nodeRef()) {
      cv.key = nodeRefText(ctx->nodeRef());
      cv.isNodeRef = true;
    } else if (ctx->STRING()) {
      cv.key = unquote(ctx->STRING());
    } else {
      cv.key = nameText(ctx->name(0));
    }
    if (auto *l = ctx->literal()) cv.literal = literalText(l);
    else if (ctx->K_NA()) cv.literal = "不适用";   // an item expected to be not applicable
    else if (auto *ll = ctx->listLiteral()) {
      cv.isList = true;
      for (auto *el : ll->listElem()) {
        ast::CaseElement e;
        if (el->literal()) e.literal = literalText(el->literal());
        else if (el->name()) e.literal = nameText(el->name());
        else
          for (auto *f : el->caseValue()) e.fields.push_back(caseValue(f));
        cv.elements.push_back(std::move(e));
      }
    } else {
      // name value: the second name (the key may itself be a name)
      auto names = ctx->name();
      cv.literal = nameText(names.back());
    }
    return cv;
  }

  ast::TestCase testCase(P::CaseDeclContext *ctx) {
    ast::TestCase tc;
    tc.name = unquote(ctx->STRING());
    tc.span = span(ctx->STRING());
    if (auto *rs = ctx->caseReadings())
      for (auto *cr : rs->caseReading()) {
        auto names = cr->name();   // [别名,] 读法, 选项
        std::string reading = nameText(names[0]);
        if (names.size() == 3) reading += "." + nameText(names[1]);
        Span at = span(names[0]);
        if (names.size() == 3) at = span(names[0]->getStart(), names[1]->getStop());
        tc.readings.push_back({reading, nameText(names.back()), at, span(names.back())});
      }
    for (auto *v : ctx->caseInput()->caseValue()) tc.inputs.push_back(caseValue(v));
    for (auto *v : ctx->caseExpect()->caseValue()) tc.expected.push_back(caseValue(v));
    return tc;
  }

  std::string nodeRefText(P::NodeRefContext *ctx) {
    if (ctx->STRING()) return unquote(ctx->STRING());
    std::string out;
    for (auto *child : ctx->labelPath()->children) {
      if (auto *t = dynamic_cast<antlr4::tree::TerminalNode *>(child)) {
        out += t->getSymbol()->getType() == RubricLexer::DOT ? "." : t->getText();
      } else if (auto *n = dynamic_cast<P::NameContext *>(child)) {
        out += nameText(n);
      }
    }
    return out;
  }

  // ── local names and conditional values ──
  ast::LocalName localName(P::LetDeclContext *ctx) {
    ast::LocalName ln;
    ln.name = nameText(ctx->name());
    ln.span = span(ctx->name());
    ln.value = expr(ctx->expr());
    ln.declSpan = span(ctx);
    return ln;
  }
  ast::ExprPtr conditionalExpr(P::CondExprContext *ctx) {
    auto e = make(ast::ExprKind::Conditional, ctx);
    for (auto *x : ctx->expr()) e->args.push_back(expr(x));   // condition, then, else
    return e;
  }

  // ── expressions ──
  ast::ExprPtr make(ast::ExprKind k, antlr4::ParserRuleContext *ctx) {
    return std::make_unique<ast::Expr>(k, span(ctx));
  }

  ast::ExprPtr unaryExpr(ast::UnOp op, antlr4::ParserRuleContext *ctx, P::ExprContext *operand) {
    auto e = make(ast::ExprKind::Unary, ctx);
    e->unOp = op;
    e->args.push_back(expr(operand));
    return e;
  }

  ast::ExprPtr binaryExpr(ast::BinOp op, antlr4::ParserRuleContext *ctx, P::ExprContext *lhs, P::ExprContext *rhs) {
    auto e = make(ast::ExprKind::Binary, ctx);
    e->binOp = op;
    e->args.push_back(expr(lhs));
    e->args.push_back(expr(rhs));
    return e;
  }

  // Operators (arithmetic, comparison, range, logic) and parentheses; null for
  // any other kind of expression.
  ast::ExprPtr operatorExpr(P::ExprContext *ctx) {
    using B = ast::BinOp;
    if (auto *p = dynamic_cast<P::ParenExprContext *>(ctx)) return expr(p->expr());
    if (auto *n = dynamic_cast<P::NotExprContext *>(ctx)) return unaryExpr(ast::UnOp::Not, ctx, n->expr());
    if (auto *n = dynamic_cast<P::NegExprContext *>(ctx)) return unaryExpr(ast::UnOp::Neg, ctx, n->expr());
    if (auto *m = dynamic_cast<P::MulExprContext *>(ctx))
      return binaryExpr(m->op->getType() == RubricLexer::TIMES ? B::Mul : B::Div, ctx, m->expr(0), m->expr(1));
    if (auto *a = dynamic_cast<P::AddExprContext *>(ctx))
      return binaryExpr(a->op->getType() == RubricLexer::PLUS ? B::Add : B::Sub, ctx, a->expr(0), a->expr(1));
    if (auto *a = dynamic_cast<P::AndExprContext *>(ctx)) return binaryExpr(B::And, ctx, a->expr(0), a->expr(1));
    if (auto *o = dynamic_cast<P::OrExprContext *>(ctx)) return binaryExpr(B::Or, ctx, o->expr(0), o->expr(1));
    if (auto *c = dynamic_cast<P::CmpExprContext *>(ctx)) {
      auto e = make(ast::ExprKind::Compare, ctx);
      e->cmpOp = cmpOp(c->cmpOp());
      e->cmpWord = c->cmpOp()->getText();
      e->args.push_back(expr(c->expr(0)));
      e->args.push_back(expr(c->expr(1)));
      return e;
    }
    if (auto *r = dynamic_cast<P::RangeExprContext *>(ctx)) {
      auto e = make(ast::ExprKind::Range, ctx);
      for (auto *x : r->expr()) e->args.push_back(expr(x));
      return e;
    }
    return nullptr;
  }

  ast::ExprPtr expr(P::ExprContext *ctx) {
    using K = ast::ExprKind;
    if (auto op = operatorExpr(ctx)) return op;
    if (auto *ce = dynamic_cast<P::CondExprContext *>(ctx)) return conditionalExpr(ce);
    if (auto *t = dynamic_cast<P::TopAvgExprContext *>(ctx)) {
      auto e = make(K::TopAverage, ctx);
      e->text = "前平均";
      e->topFraction = numberText(t->number());
      e->topIsPercent = t->PERCENT() != nullptr;
      e->args.push_back(expr(t->expr(0)));
      e->args.push_back(expr(t->expr(1)));
      return e;
    }
    if (auto *l = dynamic_cast<P::ListAggExprContext *>(ctx)) {
      auto e = make(K::ListAgg, ctx);
      e->text = canonicalName(nameText(l->name()));
      e->span = span(l->name());
      for (auto *x : l->expr()) e->args.push_back(expr(x));   // list, body [, group key]
      return e;
    }
    if (auto *g = dynamic_cast<P::GroupAggExprContext *>(ctx)) return groupAggregate(g);
    if (auto *t = dynamic_cast<P::ThroughCallExprContext *>(ctx)) return throughCall(t);
    if (auto *c = dynamic_cast<P::CallExprContext *>(ctx)) {
      auto e = make(K::Call, ctx);
      e->text = canonicalName(nameText(c->name()));
      e->span = span(c->name());
      for (auto *x : c->expr()) e->args.push_back(expr(x));
      return e;
    }
    if (auto *ei = dynamic_cast<P::EachIndicatorExprContext *>(ctx)) {
      auto e = make(K::EachIndicator, ctx);
      e->args.push_back(expr(ei->expr()));
      return e;
    }
    if (auto *nr = dynamic_cast<P::NodeRefExprContext *>(ctx)) {
      auto e = make(K::NodeRef, ctx);
      e->text = nodeRefText(nr->nodeRef());
      if (nr->name()) e->member = nameText(nr->name());
      return e;
    }
    if (auto *m = dynamic_cast<P::MemberExprContext *>(ctx)) {
      auto e = make(K::Member, ctx);
      e->text = nameText(m->name(0));
      e->member = nameText(m->name(1));
      return e;
    }
    if (auto *l = dynamic_cast<P::LiteralExprContext *>(ctx)) return literalExpr(l->literal());
    if (auto *n = dynamic_cast<P::NameExprContext *>(ctx)) {
      auto e = make(K::Name, ctx);
      e->text = nameText(n->name());
      return e;
    }
    return make(K::Number, ctx); // unreachable on a clean parse
  }

  // 前50%平均(选派人员 按 姓名: 平均(成绩)): a list aggregate over groups; args
  // [list, per-group aggregate, key] as 分组最高's, with perGroup set.
  ast::ExprPtr groupAggregate(P::GroupAggExprContext *g) {
    auto e = make(g->K_TOP() ? ast::ExprKind::TopAverage : ast::ExprKind::ListAgg, g);
    if (g->K_TOP()) {
      e->text = "前平均";
      e->topFraction = numberText(g->number());
      e->topIsPercent = g->PERCENT() != nullptr;
    } else {
      e->text = canonicalName(nameText(g->name()));
      e->span = span(g->name());
    }
    e->perGroup = true;
    e->args.push_back(expr(g->expr(0)));
    e->args.push_back(expr(g->expr(2)));
    e->args.push_back(expr(g->expr(1)));
    return e;
  }

  // 连续年数(获奖年份, 截至 2024): a call whose last argument is the year after 截至.
  ast::ExprPtr throughCall(P::ThroughCallExprContext *c) {
    auto e = make(ast::ExprKind::Call, c);
    e->text = canonicalName(nameText(c->name()));
    e->span = span(c->name());
    e->through = true;
    e->args.push_back(expr(c->expr()));
    auto year = std::make_unique<ast::Expr>(ast::ExprKind::Number, span(c->INT()));
    year->text = c->INT()->getText();
    e->args.push_back(std::move(year));
    return e;
  }

  ast::ExprPtr literalExpr(P::LiteralContext *l) {
    using K = ast::ExprKind;
    if (auto *n = dynamic_cast<P::NumberLitContext *>(l)) {
      auto e = make(K::Number, l);
      e->text = numberText(n->number());
      e->isPoints = n->K_POINTS() != nullptr;
      return e;
    }
    if (auto *p = dynamic_cast<P::PercentLitContext *>(l)) {
      auto e = make(K::Percent, l);
      e->text = numberText(p->number());
      return e;
    }
    if (auto *s = dynamic_cast<P::StringLitContext *>(l)) {
      auto e = make(K::String, l);
      e->text = unquote(s->STRING());
      return e;
    }
    if (auto *b = dynamic_cast<P::BoolLitContext *>(l)) {
      auto e = make(K::Bool, l);
      e->text = b->K_YES() ? "是" : "否";
      return e;
    }
    auto e = make(K::Date, l);
    e->text = l->getText();
    return e;
  }
};

} // namespace

namespace {

constexpr int kMaxNesting = 100;
constexpr int kMaxExpressionTokens = 1000;

bool checkLimits(antlr4::CommonTokenStream &tokens, const std::shared_ptr<const SourceFile> &source,
                 DiagnosticEngine &diags) {
  int depth = 0, run = 0;
  for (antlr4::Token *t : tokens.getTokens()) {
    if (t->getChannel() != antlr4::Token::DEFAULT_CHANNEL) continue;
    size_t type = t->getType();
    Span at{static_cast<uint32_t>(t->getLine()), static_cast<uint32_t>(t->getCharPositionInLine() + 1),
            static_cast<uint32_t>(t->getCharPositionInLine() + 2)};
    if (type == RubricLexer::LPAREN || type == RubricLexer::LBRACE || type == RubricLexer::LBRACK) {
      if (++depth > kMaxNesting) {
        diags.report(DiagId::NestingTooDeep, source, at, {std::to_string(kMaxNesting)});
        return false;
      }
    } else if (type == RubricLexer::RPAREN || type == RubricLexer::RBRACE || type == RubricLexer::RBRACK) {
      --depth;
    }
    // A statement boundary ends an expression: braces, semicolons, rule keywords.
    bool boundary = type == RubricLexer::LBRACE || type == RubricLexer::RBRACE || type == RubricLexer::SEMI ||
                    type == RubricLexer::K_WHEN || type == RubricLexer::K_GET || type == RubricLexer::K_DEDUCT ||
                    type == RubricLexer::K_ITEM || type == RubricLexer::K_SUBITEM || type == RubricLexer::COLON ||
                    type == RubricLexer::K_LET;
    run = boundary ? 0 : run + 1;
    if (run > kMaxExpressionTokens) {
      diags.report(DiagId::ExpressionTooLong, source, at, {std::to_string(kMaxExpressionTokens)});
      return false;
    }
  }
  return true;
}

} // namespace

std::unique_ptr<ast::File> parseFile(std::shared_ptr<const SourceFile> source,
                                     DiagnosticEngine &diags) {
  size_t bad = 0;
  if (!validateUtf8(source->text(), &bad)) {
    // Find the line/column of the bad byte so the user can go there.
    uint32_t line = 1, col = 1;
    for (size_t i = 0; i < bad; ++i) {
      if (source->text()[i] == '\n') { ++line; col = 1; }
      else if ((static_cast<unsigned char>(source->text()[i]) & 0xC0) != 0x80) ++col;
    }
    diags.report(DiagId::InvalidUtf8, source, Span{line, col, col + 1}, {std::to_string(bad + 1)});
    return nullptr;
  }

  LexerInput input(source->text());
  RubricLexer lexer(&input);
  lexer.removeErrorListeners(); // ERROR_CHAR tokens carry lexical errors to the parser
  antlr4::CommonTokenStream tokens(&lexer);
  tokens.fill();
  acceptLenientForms(tokens);
  // Every stage recurses over the tree, so bound its depth before parsing:
  // no rubric nests more than a handful of levels or writes 1,000-token formulas,
  // and hostile or corrupted input must get a diagnostic, not a stack overflow.
  if (!checkLimits(tokens, source, diags)) return nullptr;
  RubricParser parser(&tokens);
  parser.removeErrorListeners();

  // Fast path: SLL prediction, bail on the first error; on failure re-parse
  // with full LL and our reporting strategy (ANTLR's documented speed recipe).
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
      antlr4::atn::PredictionMode::SLL);
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  RubricParser::FileContext *tree = nullptr;
  try {
    tree = parser.file();
  } catch (const antlr4::ParseCancellationException &) {
    tree = nullptr;
  }
  if (!tree) {
    RepairResult repaired = repairKnownMistakes(tokens, source, diags);
    tokens.seek(0);
    parser.reset();
    SyntaxErrorListener listener(source, diags, parser.getVocabulary());
    listener.setKnockOnFromLine(repaired.knockOnFromLine);
    parser.addErrorListener(&listener);
    parser.setErrorHandler(std::make_shared<RubricErrorStrategy>(source, diags, listener));
    parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
        antlr4::atn::PredictionMode::LL);
    tree = parser.file();
    parser.removeErrorListeners();
    if (repaired.reported || listener.count() > 0 || parser.getNumberOfSyntaxErrors() > 0) {
      if (!repaired.reported && listener.count() == 0) // should not happen: keep the invariant "no AST ⇒ a diagnostic"
        diags.report(DiagId::SyntaxNoViable, source, Span{1, 1, 2}, {"?"});
      return nullptr;
    }
  }
  return AstBuilder(source).build(tree);
}

} // namespace rubric::parse
