// Lenient spellings, repairs of certain mistakes, and readable "expected" lists.
// See SyntaxHelp.h for what is accepted and why.
#include "parse/SyntaxHelp.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include <fmt/format.h>

#include "RubricLexer.h"
#include "parse/Parser.h"
#include "parse/TokenNames.h"

namespace rubric::parse {

using rubric::grammar::RubricLexer;

// ───────────── lexer input ─────────────

// Full-width digits become ASCII digits in both texts; a letter the lexer
// cannot tell from 'X' becomes 'X', and whatever lies inside a closed string,
// 「」 name or comment becomes 'x', in the text the lexer reads only.
LexerInput::LexerInput(const std::string &text) : antlr4::ANTLRInputStream(text) {
  real_ = _data;
  for (size_t i = 0; i < _data.size();) {
    if (size_t end = closedAt(i)) {
      maskInside(i, end);
      i = end;
      continue;
    }
    char32_t c = _data[i];
    if (c >= U'０' && c <= U'９') real_[i] = _data[i] = U'0' + (c - U'０');
    else if (c > 0x7F && likeX(c)) _data[i] = U'X';
    ++i;
  }
}

std::string LexerInput::toString() const { return antlrcpp::utf32_to_utf8(real_); }

std::string LexerInput::getText(const antlr4::misc::Interval &interval) {
  if (interval.a < 0 || interval.b < interval.a) return "";
  auto start = static_cast<size_t>(interval.a), stop = static_cast<size_t>(interval.b);
  if (start >= real_.size()) return "";
  return antlrcpp::utf32_to_utf8(real_.substr(start, std::min(stop, real_.size() - 1) - start + 1));
}

// [open, end) is a closed string, 「」 name or comment: its opening and closing
// characters stay, and so does all of it that is ASCII.
void LexerInput::maskInside(size_t open, size_t end) {
  bool comment = _data[open] == U'/' || _data[open] == U'#' || _data[open] == U'＃';
  size_t from = open + (_data[open] == U'/' ? 2 : 1), to = comment ? end : end - 1;  // (a quote's closing one stays)
  for (size_t j = from; j < to; ++j)
    if (_data[j] > 0x7F) _data[j] = U'x';
}

namespace {

// What tells characters apart in the lexer's rules: the characters its
// keywords, punctuation and small sets name one by one, and its large sets
// (\p{L}). Two characters no rule names and in the same large sets lead the
// lexer the same way everywhere.
struct LexerClasses {
  std::set<char32_t> named;
  std::vector<antlr4::misc::IntervalSet> large;
  std::vector<bool> largeHasX;
  bool xNamed = false;

  LexerClasses() {
    antlr4::ANTLRInputStream none("");
    RubricLexer lexer(&none);
    for (const antlr4::atn::ATNState *state : lexer.getATN().states) {
      if (!state) continue;
      for (const antlr4::atn::Transition *t : state->transitions) add(*t);
    }
    for (const auto &set : large) largeHasX.push_back(set.contains(size_t{'X'}));
    xNamed = named.count(U'X') > 0;  // (then 'X' stands for no other letter)
  }

  void add(const antlr4::atn::Transition &t) {
    using antlr4::atn::Transition;
    auto kind = t.getSerializationType();
    if (kind != Transition::ATOM && kind != Transition::RANGE && kind != Transition::SET && kind != Transition::NOT_SET)
      return;  // (a wildcard matches every character alike)
    antlr4::misc::IntervalSet label = t.label();
    if (label.size() > 256) return large.push_back(std::move(label));
    for (const auto &range : label.getIntervals())
      for (ssize_t c = range.a; c <= range.b; ++c) named.insert(static_cast<char32_t>(c));
  }

  bool likeX(char32_t c) const {
    if (xNamed || named.count(c)) return false;
    for (size_t i = 0; i < large.size(); ++i)
      if (large[i].contains(static_cast<size_t>(c)) != largeHasX[i]) return false;
    return true;
  }
};

} // namespace

bool LexerInput::likeX(char32_t c) {
  static const LexerClasses classes;
  auto [at, added] = likeX_.try_emplace(c, false);
  if (added) at->second = classes.likeX(c);
  return at->second;
}

// Past the end of the string, 「」 name or comment that starts at `open`, by
// the lexer's rules (Rubric.g4: STRING, QIDENT, LINE_COMMENT, BLOCK_COMMENT);
// 0 when none starts there or it is not closed. The constructor steps over the
// text as the lexer's tokens start: one of these can only start where no other
// token is (no other token holds a quote, 「, # or //), and one that is not
// closed is one bad character, after which the lexer reads on as outside.
size_t LexerInput::closedAt(size_t open) const {
  const UTF32String &d = _data;
  auto lineEnd = [](char32_t c) { return c == U'\r' || c == U'\n'; };
  char32_t c = d[open], next = open + 1 < d.size() ? d[open + 1] : 0;
  if (c == U'#' || c == U'＃' || (c == U'/' && next == U'/')) {
    size_t j = open + 1;
    while (j < d.size() && !lineEnd(d[j])) ++j;
    return j;
  }
  if (c == U'/' && next == U'*') {
    size_t close = d.find(U"*/", open + 2);
    return close == UTF32String::npos ? 0 : close + 2;
  }
  char32_t closing = c == U'"' ? U'"' : c == U'“' ? U'”' : c == U'「' ? U'」' : 0;
  if (closing == 0) return 0;
  for (size_t j = open + 1; j < d.size() && !lineEnd(d[j]); ++j) {
    if (d[j] == closing) return c == U'「' && j == open + 1 ? 0 : j + 1;  // (「」 is not a name)
    if (c == U'"' && d[j] == U'\\') ++j;                                   // \ and any character
  }
  return 0;
}

// ───────────── token-stream helpers ─────────────

namespace {

std::vector<antlr4::Token *> visibleTokens(antlr4::CommonTokenStream &tokens) {
  std::vector<antlr4::Token *> out;
  for (antlr4::Token *t : tokens.getTokens())
    if (t->getChannel() == antlr4::Token::DEFAULT_CHANNEL) out.push_back(t);
  return out;
}

void hide(antlr4::Token *t) {
  if (auto *w = dynamic_cast<antlr4::WritableToken *>(t)) w->setChannel(antlr4::Token::HIDDEN_CHANNEL);
}

uint32_t colOf(const antlr4::Token *t) { return static_cast<uint32_t>(t->getCharPositionInLine() + 1); }
uint32_t lineOf(const antlr4::Token *t) { return static_cast<uint32_t>(t->getLine()); }

Span spanOf(const antlr4::Token *t) {
  return Span{lineOf(t), colOf(t), colOf(t) + codePointCount(t->getText())};
}

bool touching(const antlr4::Token *a, const antlr4::Token *b) {
  return a->getStopIndex() + 1 == b->getStartIndex();
}

} // namespace

namespace {

// "按 级别 { 省级: 3分, 市级: 2分 }": values listed with commas, as in an enum.
// A comma between the entries of a 按 or 分档 block (its `{` on the 按 line)
// separates them like ；.
void commasSeparateChoices(const std::vector<antlr4::Token *> &vis) {
  for (size_t i = 0; i < vis.size(); ++i) {
    size_t type = vis[i]->getType();
    if (type != RubricLexer::K_BY && type != RubricLexer::K_TIERS) continue;
    size_t open = i + 1;
    while (open < vis.size() && vis[open]->getLine() == vis[i]->getLine() &&
           vis[open]->getType() != RubricLexer::LBRACE)
      ++open;
    if (open >= vis.size() || vis[open]->getType() != RubricLexer::LBRACE ||
        vis[open]->getLine() != vis[i]->getLine())
      continue;
    int depth = 0;
    for (size_t k = open + 1; k < vis.size(); ++k) {
      size_t t = vis[k]->getType();
      if (t == RubricLexer::LBRACE || t == RubricLexer::LPAREN || t == RubricLexer::LBRACK) ++depth;
      if (t == RubricLexer::RBRACE || t == RubricLexer::RPAREN || t == RubricLexer::RBRACK) {
        if (depth-- == 0) break;
      }
      if (t == RubricLexer::COMMA && depth == 0)
        if (auto *w = dynamic_cast<antlr4::WritableToken *>(vis[k])) w->setType(RubricLexer::SEMI);
    }
  }
}

} // namespace

void acceptLenientForms(antlr4::CommonTokenStream &tokens) {
  std::vector<antlr4::Token *> vis = visibleTokens(tokens);
  commasSeparateChoices(vis);
  int bracketDepth = 0;
  for (size_t i = 0; i < vis.size(); ++i) {
    antlr4::Token *t = vis[i];
    antlr4::Token *next = i + 1 < vis.size() ? vis[i + 1] : nullptr;
    size_t type = t->getType();
    if (type == RubricLexer::LBRACK) ++bracketDepth;
    if (type == RubricLexer::RBRACK && bracketDepth > 0) --bracketDepth;
    // "得 3分。" — the full stop that ends a sentence of the source document.
    // Inside 【一。1】 it is a dot; elsewhere a 。 followed by a line break, a
    // }, a ; or the end of the file can only end the statement.
    if (type == RubricLexer::DOT && t->getText() == "。" && bracketDepth == 0 && next &&
        (next->getType() == antlr4::Token::EOF || next->getType() == RubricLexer::RBRACE ||
         next->getType() == RubricLexer::SEMI || next->getLine() > t->getLine()))
      hide(t);
    // "，最高得 3分": 最高 is never followed by 得 otherwise. Glued, 最高得 lexes
    // as one name (longer than the keyword 最高): it is the keyword.
    if (type == RubricLexer::IDENT && (t->getText() == "最高得" || t->getText() == "最多得"))
      if (auto *w = dynamic_cast<antlr4::WritableToken *>(t)) {
        w->setType(RubricLexer::K_MAX);
        w->setText(t->getText().substr(0, t->getText().size() - std::string("得").size()));
        type = RubricLexer::K_MAX;
      }
    if (type == RubricLexer::K_MAX && next && next->getType() == RubricLexer::K_GET) hide(next);
  }
}

// ───────────── repairs after a failed parse ─────────────

namespace {

// Where a digit may start a number rather than a name (“达到 3次”).
bool numberContext(size_t type) {
  static const std::set<size_t> types = {
      RubricLexer::GE,        RubricLexer::LE,         RubricLexer::GT,         RubricLexer::LT,
      RubricLexer::EQ,        RubricLexer::NE,         RubricLexer::K_REACH,    RubricLexer::K_EXCEED,
      RubricLexer::K_BELOW,   RubricLexer::K_NOT_REACH, RubricLexer::K_NOT_EXCEED, RubricLexer::K_NOT_BELOW,
      RubricLexer::K_GET,     RubricLexer::K_DEDUCT,   RubricLexer::PLUS,       RubricLexer::MINUS,
      RubricLexer::TIMES,     RubricLexer::DIVIDE,     RubricLexer::K_MAX,      RubricLexer::K_STEP,
      RubricLexer::K_GET_MORE, RubricLexer::K_TO,      RubricLexer::RANGE_SEP,  RubricLexer::K_QUOTA,
      RubricLexer::K_TOP,     RubricLexer::K_DEFAULT,  RubricLexer::K_RANGE,    RubricLexer::K_ACK,
      RubricLexer::COLON,     RubricLexer::K_IN,       RubricLexer::COMMA};
  return types.count(type) > 0;
}

// 案卷1, 2025年获表现突出: names and digits written together, outside the
// scheme's own header (where 巴南2025个人 is allowed). Each run is reported
// once with its 「」 spelling and merged into one name token.
bool repairDigitNames(std::vector<antlr4::Token *> &vis, const std::shared_ptr<const SourceFile> &source,
                      DiagnosticEngine &diags) {
  size_t start = 0;
  for (int depth = 0; start < vis.size(); ++start) {   // skip 方案 … { … }
    if (vis[start]->getType() == RubricLexer::LBRACE) ++depth;
    if (vis[start]->getType() == RubricLexer::RBRACE && --depth == 0) break;
  }
  bool reported = false;
  auto isPart = [](const antlr4::Token *t) {
    return t->getType() == RubricLexer::IDENT || t->getType() == RubricLexer::INT;
  };
  for (size_t i = start + 1; i < vis.size(); ++i) {
    if (!isPart(vis[i])) continue;
    size_t j = i;
    bool hasName = vis[i]->getType() == RubricLexer::IDENT, hasDigits = !hasName;
    while (j + 1 < vis.size() && isPart(vis[j + 1]) && touching(vis[j], vis[j + 1])) {
      ++j;
      (vis[j]->getType() == RubricLexer::IDENT ? hasName : hasDigits) = true;
    }
    bool digitsFirst = vis[i]->getType() == RubricLexer::INT;
    if (!hasName || !hasDigits || (digitsFirst && i > 0 && numberContext(vis[i - 1]->getType()))) {
      i = j;
      continue;
    }
    std::string name;
    for (size_t k = i; k <= j; ++k) name += vis[k]->getText();
    Span at{lineOf(vis[i]), colOf(vis[i]), colOf(vis[i]) + codePointCount(name)};
    auto &d = diags.report(DiagId::DigitNameUnquoted, source, at, {name});
    d.fixits.push_back({at, "「" + name + "」"});
    if (auto *w = dynamic_cast<antlr4::WritableToken *>(vis[i])) {
      w->setType(RubricLexer::IDENT);
      w->setText(name);
    }
    for (size_t k = i + 1; k <= j; ++k) hide(vis[k]);
    reported = true;
    i = j;
  }
  if (reported) vis.erase(std::remove_if(vis.begin(), vis.end(),
                                         [](antlr4::Token *t) { return t->getChannel() != antlr4::Token::DEFAULT_CHANNEL; }),
                          vis.end());
  return reported;
}

uint32_t indentOf(const SourceFile &source, uint32_t line) {
  std::string_view text = source.lineText(line);
  uint32_t n = 0;
  while (n < text.size() && (text[n] == ' ' || text[n] == '\t')) ++n;
  return n;
}

bool startsLine(const std::vector<antlr4::Token *> &vis, size_t i) {
  return i == 0 || vis[i - 1]->getLine() < vis[i]->getLine();
}

// The first line after `open` that starts at or left of its line's indentation:
// where the block should have ended. 0 when the file ends first.
uint32_t blockEndByIndent(const std::vector<antlr4::Token *> &vis, size_t open, const SourceFile &source) {
  uint32_t indent = indentOf(source, lineOf(vis[open]));
  for (size_t i = open + 1; i < vis.size(); ++i)
    if (vis[i]->getType() != antlr4::Token::EOF && startsLine(vis, i) && lineOf(vis[i]) > lineOf(vis[open]) &&
        indentOf(source, lineOf(vis[i])) <= indent)
      return lineOf(vis[i]);
  return 0;
}

// Unbalanced braces: a `}` with no `{` is reported and dropped; a `{` never
// closed is reported at the `{` (the one whose `}` is missing, judged by
// indentation), with the `}` to insert. Returns the line from which the
// parser's own errors are knock-ons (0: none).
uint32_t repairBraces(std::vector<antlr4::Token *> &vis, const std::shared_ptr<const SourceFile> &source,
                      DiagnosticEngine &diags) {
  std::vector<size_t> open;
  std::optional<size_t> suspect;
  for (size_t i = 0; i < vis.size(); ++i) {
    size_t type = vis[i]->getType();
    if (type == RubricLexer::LBRACE) open.push_back(i);
    if (type != RubricLexer::RBRACE) continue;
    if (open.empty()) {
      auto &d = diags.report(DiagId::UnmatchedCloseBrace, source, spanOf(vis[i]), {"“}”", "“{”"});
      d.argsEn = {"'}'", "'{'"};
      d.fixits.push_back({spanOf(vis[i]), ""});
      hide(vis[i]);
      continue;
    }
    size_t o = open.back();
    open.pop_back();
    // A `}` starting its line but indented unlike its `{` line closes the wrong block.
    if (!suspect && startsLine(vis, i) &&
        indentOf(*source, lineOf(vis[i])) != indentOf(*source, lineOf(vis[o])))
      suspect = o;
  }
  if (open.empty()) return 0;
  size_t culprit = suspect ? *suspect : open.back();
  antlr4::Token *brace = vis[culprit];
  // What the block is: the text before the `{` on its line ("项 2 "技能比武" 3分").
  std::string_view line = source->lineText(lineOf(brace));
  std::string head(line.substr(0, byteOffsetOfCodePoint(line, colOf(brace) - 1)));
  head.erase(0, head.find_first_not_of(" \t"));
  while (!head.empty() && (head.back() == ' ' || head.back() == '\t')) head.pop_back();
  if (head.empty()) head = "“{”";
  else head = "“" + head + "”";
  auto &d = diags.report(DiagId::UnclosedBrace, source, spanOf(brace), {"“{”", "“}”", head});
  d.argsEn = {"'{'", "'}'", head};
  std::string indent(indentOf(*source, lineOf(brace)), ' ');
  if (uint32_t end = blockEndByIndent(vis, culprit, *source)) {
    d.fixits.push_back({Span{end, 1, 1}, indent + "}\n"});
    d.notes.push_back(DiagnosticEngine::note(DiagId::NoteBlockEndsHere, source,
                                             Span{end, 1, codePointCount(source->lineText(end)) + 1}));
  } else {
    uint32_t last = source->lineCount();
    uint32_t endCol = codePointCount(source->lineText(last)) + 1;
    d.fixits.push_back({Span{last, endCol, endCol}, "\n" + indent + "}"});
  }
  return lineOf(brace);
}

} // namespace

RepairResult repairKnownMistakes(antlr4::CommonTokenStream &tokens, const std::shared_ptr<const SourceFile> &source,
                                 DiagnosticEngine &diags) {
  std::vector<antlr4::Token *> vis = visibleTokens(tokens);
  RepairResult result;
  result.reported = repairDigitNames(vis, source, diags);
  size_t before = diags.errorCount();
  result.knockOnFromLine = repairBraces(vis, source, diags);
  result.reported = result.reported || diags.errorCount() > before;
  return result;
}

// ───────────── naming tokens ─────────────

std::string displayTokenType(const antlr4::dfa::Vocabulary &vocab, size_t type, Lang lang) {
  if (type == antlr4::Token::EOF) return lang == Lang::Zh ? "文件结尾" : "end of file";
  std::string sym = vocab.getSymbolicName(type);
  auto it = tokenDisplayNames().find(sym);
  std::string zh = it != tokenDisplayNames().end() ? it->second : sym;
  if (lang == Lang::Zh) return zh;
  static const std::map<std::string, std::string> kinds = {
      {"日期", "a date"},      {"小数", "a decimal"}, {"数字", "a number"},
      {"带引号的文字", "quoted text"}, {"「名称」", "a 「name」"}, {"名称", "a name"},
      {"无法识别的字符", "an unrecognised character"}};
  auto k = kinds.find(zh);
  return k != kinds.end() ? k->second : zh;
}

std::string displayToken(const antlr4::Token *tok, Lang lang) {
  if (!tok || tok->getType() == antlr4::Token::EOF) return lang == Lang::Zh ? "文件结尾" : "end of file";
  return "“" + tok->getText() + "”";
}

namespace {

struct TokenGroup {
  const char *zh, *en;
  std::vector<std::string> members;   // symbolic token names
};

// Groups a reader recognises, in the order they are listed.
const std::vector<TokenGroup> &tokenGroups() {
  static const std::vector<TokenGroup> groups = {
      {"规则", "a rule",
       {"K_WHEN", "K_GET", "K_DEDUCT", "K_BY", "PER_UNIT", "K_TIERS", "K_EACH_MONTH", "K_LEVEL_BLOCK", "K_NA",
        "K_IF_NONE"}},
      {"指标或评分项", "an indicator or item",
       {"K_INDICATOR", "K_SUBINDICATOR", "K_ITEM", "K_SUBITEM", "K_DEDUCTION", "K_BONUS"}},
      {"声明", "a declaration", {"K_INPUT", "K_PARAMS", "K_IMPORT", "K_VETO", "K_AWARD", "K_VALIDATE", "K_CASE", "K_LET"}},
      {"比较", "a comparison",
       {"GE", "LE", "GT", "LT", "EQ", "NE", "K_REACH", "K_EXCEED", "K_BELOW", "K_NOT_REACH", "K_NOT_EXCEED",
        "K_NOT_BELOW", "K_NOT_LATER", "K_EARLIER", "K_LATER", "K_NOT_EARLIER"}},
      {"运算", "an operator", {"PLUS", "MINUS", "TIMES", "DIVIDE", "K_AND", "K_OR"}},
      {"名称", "a name",
       {"IDENT", "QIDENT", "K_LEVELS", "K_TARGET", "K_NOTE", "K_DEFAULT", "K_RANGE", "K_AVERAGE", "K_ASC",
        "K_DESC", "K_READING", "K_ADOPT", "K_BECAUSE"}},   // words that are keywords only where a name cannot be
      {"数值或文字", "a value", {"INT", "DECIMAL", "STRING", "DATE", "K_YES", "K_NO"}},
      {"表达式", "an expression", {"LPAREN", "LBRACK", "K_NOT", "MINUS", "K_TOP", "K_EACH_INDICATOR", "K_IF"}},
  };
  return groups;
}

} // namespace

std::string describeExpected(const antlr4::misc::IntervalSet &expected, const antlr4::dfa::Vocabulary &vocab,
                             Lang lang) {
  std::vector<size_t> types;
  for (ssize_t t : expected.toList()) types.push_back(static_cast<size_t>(t));
  const char *sep = lang == Lang::Zh ? "、" : ", ";
  std::vector<std::string> items;
  if (types.size() <= 6) {   // few enough to name one by one
    for (size_t t : types) items.push_back(displayTokenType(vocab, t, lang));
  } else {
    std::set<size_t> left(types.begin(), types.end());
    for (const auto &g : tokenGroups()) {
      std::vector<size_t> present;
      for (const auto &m : g.members)
        for (size_t t : left)
          if (m == std::string(vocab.getSymbolicName(t))) present.push_back(t);
      if (present.size() < 2) continue;
      std::string examples;
      for (size_t k = 0; k < present.size() && k < 4; ++k)
        examples += (k ? sep : "") + displayTokenType(vocab, present[k], lang);
      if (present.size() > 4) examples += lang == Lang::Zh ? "……" : ", …";
      items.push_back(lang == Lang::Zh ? fmt::format("{}（{}）", g.zh, examples) : fmt::format("{} ({})", g.en, examples));
      for (size_t t : present) left.erase(t);
    }
    for (size_t t : types)
      if (left.count(t)) items.push_back(displayTokenType(vocab, t, lang));
  }
  std::string out;
  for (size_t i = 0; i < items.size() && i < 8; ++i) out += (i ? sep : "") + items[i];
  if (items.size() > 8) out += lang == Lang::Zh ? " 等" : ", …";
  if (out.empty()) out = lang == Lang::Zh ? "其他写法" : "something else";
  return out;
}

antlr4::Token *misplacedAndAbove(antlr4::Parser &parser, antlr4::Token *offending) {
  if (!offending) return nullptr;
  if (offending->getType() == RubricLexer::K_AND_ABOVE) return offending;
  if (offending->getType() != RubricLexer::K_AND && offending->getType() != RubricLexer::K_OR) return nullptr;
  auto *stream = parser.getTokenStream();
  for (size_t i = offending->getTokenIndex(); i > 0;) {
    antlr4::Token *t = stream->get(--i);
    if (t->getChannel() != antlr4::Token::DEFAULT_CHANNEL) continue;
    return t->getType() == RubricLexer::K_AND_ABOVE ? t : nullptr;
  }
  return nullptr;
}

// ───────────── tokens for tools ─────────────

std::vector<ToolToken> lexTokens(const SourceFile &source) {
  LexerInput input(source.text());
  RubricLexer lexer(&input);
  lexer.removeErrorListeners();
  antlr4::CommonTokenStream tokens(&lexer);
  tokens.fill();
  acceptLenientForms(tokens);
  std::vector<ToolToken> out;
  for (antlr4::Token *t : tokens.getTokens()) {
    ToolToken tt;
    tt.symbol = t->getType() == antlr4::Token::EOF ? "EOF" : std::string(lexer.getVocabulary().getSymbolicName(t->getType()));
    tt.text = t->getType() == antlr4::Token::EOF ? "" : t->getText();
    tt.line = lineOf(t);
    tt.col = colOf(t);
    tt.start = t->getStartIndex();
    tt.stop = t->getStopIndex();
    tt.visible = t->getChannel() == antlr4::Token::DEFAULT_CHANNEL;
    tt.dropped = !tt.visible && tt.symbol != "WS" && !tt.isComment();
    out.push_back(std::move(tt));
  }
  return out;
}

} // namespace rubric::parse
