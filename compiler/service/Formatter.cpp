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
      "K_NOT_EXCEED", "K_NOT_BELOW", "K_NOT_LATER", "K_EARLIER", "K_LATER", "K_NOT_EARLIER", "K_IF", "K_THEN", "K_ELSE"};   // 若/则/否则 never start a statement
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

// Where a line starts in the file as a reader sees it: the display width
// (CJK = 2 columns) of what precedes the token on its original line.
class OriginalColumns {
public:
  explicit OriginalColumns(const SourceFile &source) : source_(source) {}
  uint32_t of(const ToolToken &t) const {
    std::string_view line = source_.lineText(t.line);
    return displayWidth(line.substr(0, byteOffsetOfCodePoint(line, t.col - 1)));
  }

private:
  const SourceFile &source_;
};

class Layout {
public:
  explicit Layout(const SourceFile &source) : original_(source) {}

  std::string run(const std::vector<ToolToken> &tokens) {
    const ToolToken *prev = nullptr, *prevCode = nullptr;
    size_t prevStop = 0;
    for (const ToolToken &t : tokens) {
      if (t.symbol == "WS" || t.symbol == "EOF" || t.dropped) continue;
      bool newLine = !prev || t.line > lastLineOf(*prev);
      if (newLine) {
        startLine(t, prev, prevCode && joins(*prevCode));
      } else {
        // A dropped token between two kept ones counts as a space.
        out_ += gap(*prev, t, t.start > prevStop + 1 ? t.start - prevStop - 1 : 0);
        if (!open_.empty() && !t.isComment()) open_.back().contentAfter = true;
      }
      if (t.isComment()) noteComment(t, newLine);
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
  // An open { ( or [: the output column just after it, and whether its line
  // goes on after it (then lines inside it align one column after it).
  struct Open {
    bool bracket;
    uint32_t column;
    bool tiers = false;   // the block of a 分档 rule
    bool contentAfter = false;
  };
  // A comment that others may align under: after code, or aligned so itself.
  struct CommentAnchor {
    uint32_t line = 0, originalColumn = 0, outputColumn = 0;
  };

  OriginalColumns original_;
  std::string out_;
  int braces_ = 0, brackets_ = 0;
  std::vector<Open> open_;
  CommentAnchor anchor_;
  bool tiersPending_ = false;   // 分档 seen, its { not yet

  uint32_t outputColumn() const {
    size_t lineStart = out_.rfind('\n');
    return displayWidth(std::string_view(out_).substr(lineStart == std::string::npos ? 0 : lineStart + 1));
  }

  void startLine(const ToolToken &t, const ToolToken *prev, bool afterJoin) {
    if (prev) {
      trimLine();
      out_ += '\n';
      if (t.line > lastLineOf(*prev) + 1) out_ += '\n';   // at most one blank line
    }
    out_ += std::string(indentOf(t, prev, afterJoin), ' ');
  }

  // Inside a bracket whose line goes on after it, a line aligns one column
  // after the bracket (a closing one under it), as authors align list
  // elements of a 用例; a comment line under a comment it was aligned with
  // stays under it; otherwise two spaces a level.
  size_t indentOf(const ToolToken &t, const ToolToken *prev, bool afterJoin) const {
    size_t byLevel = levelIndent(t, prev, afterJoin);
    if (continuesComment(t, prev) && original_.of(t) > byLevel) return anchor_.outputColumn;
    if (brackets_ > 0 && !open_.empty() && open_.back().contentAfter && insideBracket())
      return open_.back().column - (closes(t) || closesBracket(t) ? 1 : 0);
    return byLevel;
  }

  // Two spaces per open brace, two levels more inside a bracket, one more for
  // a line that continues a statement. In a 分档 block a line starting with a
  // comparison is the next tier, not a continuation.
  size_t levelIndent(const ToolToken &t, const ToolToken *prev, bool afterJoin) const {
    int level = braces_ - (closes(t) ? 1 : 0);
    bool tierStart = !open_.empty() && open_.back().tiers && !afterJoin;
    if (brackets_ > 0) level += 2;
    else if (prev && !t.isComment() && !tierStart && (joins(t) || afterJoin)) level += 1;
    return static_cast<size_t>(std::max(level, 0)) * 2;
  }

  // A comment line right under a comment that followed code (or was itself so
  // aligned), pushed right past the block's indentation by its author: it goes
  // on the comment above and stays under it, even where the author's columns
  // were off by one (full-width brackets are easy to miscount).
  bool continuesComment(const ToolToken &t, const ToolToken *prev) const {
    return t.isComment() && prev && prev->isComment() && anchor_.line == lastLineOf(*prev) &&
           t.line == anchor_.line + 1;
  }

  // The innermost open delimiter is a bracket, or a brace within one (a record in a list).
  bool insideBracket() const {
    for (auto it = open_.rbegin(); it != open_.rend(); ++it)
      if (it->bracket) return true;
    return false;
  }

  void noteComment(const ToolToken &t, bool startsLine) {
    uint32_t column = outputColumn();
    bool aligned = startsLine && anchor_.line != 0 && column == anchor_.outputColumn && t.line == anchor_.line + 1;
    if (!startsLine || aligned) anchor_ = {static_cast<uint32_t>(lastLineOf(t)), original_.of(t), column};
  }

  void track(const ToolToken &t) {
    if (t.symbol == "K_TIERS") tiersPending_ = true;
    if (opens(t) || opensBracket(t)) open_.push_back({opensBracket(t), outputColumn(), opens(t) && tiersPending_});
    if (opens(t) || closes(t) || t.symbol == "SEMI") tiersPending_ = false;
    if ((closes(t) || closesBracket(t)) && !open_.empty()) open_.pop_back();
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
  std::string formatted = Layout(*source).run(tokens);
  // White space is all the layout changes: the parser must see the same tokens.
  // Should it not (a bug), the file is left as it is rather than changed in meaning.
  SourceFile again(source->path(), formatted);
  if (meaningOf(parse::lexTokens(again)) != meaningOf(tokens)) return source->text();
  return formatted;
}

} // namespace rubric::service
