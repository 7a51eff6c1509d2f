#include "service/Formatter.h"

#include <set>
#include <vector>

#include "parse/Parser.h"

namespace rubric::service {

namespace {

using parse::ToolToken;

bool opens(const ToolToken &t) { return t.symbol == "LBRACE"; }
bool closes(const ToolToken &t) { return t.symbol == "RBRACE"; }
bool opensBracket(const ToolToken &t) { return t.symbol == "LPAREN" || t.symbol == "LBRACK"; }
bool closesBracket(const ToolToken &t) { return t.symbol == "RPAREN" || t.symbol == "RBRACK"; }

// Tokens that join what is before them to what is after: a line that starts
// or ends with one continues a statement. (得 is not one: it also starts a rule.)
bool joins(const ToolToken &t) {
  static const std::set<std::string> symbols = {
      "K_AND", "K_OR", "COMMA", "K_STEP", "K_GET_MORE", "K_THEN_BY", "K_TIE_BY", "PLUS", "MINUS", "TIMES",
      "DIVIDE", "ARROW", "GE", "LE", "GT", "LT", "EQ", "NE", "K_REACH", "K_EXCEED", "K_BELOW", "K_NOT_REACH",
      "K_NOT_EXCEED", "K_NOT_BELOW", "K_IF", "K_THEN"};   // 若 … 则 … never starts a statement
  return symbols.count(t.symbol) > 0;
}

// The space between two tokens on one line.
std::string gap(const ToolToken &prev, const ToolToken &t, size_t originalGap) {
  if (t.isComment()) return std::string(std::max<size_t>(originalGap, 1), ' ');   // keeps aligned comments aligned
  if (opens(t) && !opensBracket(prev) && !opens(prev)) return " ";
  if ((prev.text == "," || prev.text == ";") && !closes(t) && !closesBracket(t)) return " ";
  if (prev.symbol == "K_MAX") return " ";   // 最高 6分 (also for the accepted 最高得6分)
  return originalGap > 0 ? " " : "";
}

// The code-point length of a token's text (offsets are in code points).
size_t lastLineOf(const ToolToken &t) {
  size_t newlines = 0;
  for (char c : t.text) newlines += c == '\n';
  return t.line + newlines;
}

class Layout {
public:
  std::string run(const std::vector<ToolToken> &tokens) {
    const ToolToken *prev = nullptr, *prevCode = nullptr;
    size_t prevStop = 0;
    for (const ToolToken &t : tokens) {
      if (t.symbol == "WS" || t.symbol == "EOF" || t.dropped) continue;
      if (!prev || t.line > lastLineOf(*prev)) {
        startLine(t, prev, prevCode && joins(*prevCode));
      } else {
        // A dropped token between two kept ones counts as a space.
        out_ += gap(*prev, t, t.start > prevStop + 1 ? t.start - prevStop - 1 : 0);
      }
      out_ += t.text;
      track(t);
      prev = &t;
      if (!t.isComment()) prevCode = &t;
      prevStop = t.stop;
    }
    finish();
    return out_;
  }

private:
  std::string out_;
  int braces_ = 0, brackets_ = 0;

  void startLine(const ToolToken &t, const ToolToken *prev, bool afterJoin) {
    if (prev) {
      trimLine();
      out_ += '\n';
      if (t.line > lastLineOf(*prev) + 1) out_ += '\n';   // at most one blank line
    }
    int level = braces_ - (closes(t) ? 1 : 0);
    if (brackets_ > 0) level += 2;
    else if (prev && !t.isComment() && (joins(t) || afterJoin)) level += 1;
    out_ += std::string(static_cast<size_t>(std::max(level, 0)) * 2, ' ');
  }

  void track(const ToolToken &t) {
    if (opens(t)) ++braces_;
    if (closes(t) && braces_ > 0) --braces_;
    if (opensBracket(t)) ++brackets_;
    if (closesBracket(t) && brackets_ > 0) --brackets_;
  }

  void trimLine() {
    while (!out_.empty() && (out_.back() == ' ' || out_.back() == '\t')) out_.pop_back();
  }

  void finish() {
    trimLine();
    while (!out_.empty() && out_.back() == '\n') out_.pop_back();
    out_ += '\n';
  }
};

// What the parser sees: the visible tokens, the accepted spellings dropped.
std::vector<std::pair<std::string, std::string>> meaningOf(const std::vector<ToolToken> &tokens) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto &t : tokens)
    if (t.visible) out.emplace_back(t.symbol, t.text);
  return out;
}

} // namespace

std::optional<std::string> formatRubric(std::shared_ptr<const SourceFile> source, DiagnosticEngine &diags) {
  size_t errors = diags.errorCount();
  if (!parse::parseFile(source, diags) || diags.errorCount() > errors) return std::nullopt;
  std::vector<ToolToken> tokens = parse::lexTokens(*source);
  std::string formatted = Layout().run(tokens);
  // White space is all the layout changes: the parser must see the same tokens.
  // Should it not (a bug), the file is left as it is rather than changed in meaning.
  SourceFile again(source->path(), formatted);
  if (meaningOf(parse::lexTokens(again)) != meaningOf(tokens)) return source->text();
  return formatted;
}

} // namespace rubric::service
