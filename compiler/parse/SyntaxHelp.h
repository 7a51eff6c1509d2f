// What the parser does about the mistakes people actually type, before and
// after ANTLR sees the tokens. Internal to parse/ (it sees ANTLR types):
//
//  * forms that are unambiguous are accepted: full-width digits (６分), a
//    trailing 。 after a rule, "最高得 3分" (the seeds' own wording), commas
//    between the entries of 按 { 省级: 3分, 市级: 2分 };
//  * on a failed parse, mistakes whose cause is certain get one diagnostic with
//    the fix written out, and the token stream is repaired so that the re-parse
//    reports no knock-on errors: a name with digits outside 「」, a `{` that is
//    never closed (found by indentation), a `}` with no `{`.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include <antlr4-runtime.h>

#include "diagnostics/Diagnostic.h"

namespace rubric::parse {

// What the lexer reads. Full-width digits ０–９ outside strings, 「」 names and
// comments are ASCII digits (in the tokens' text too). Most characters past
// ASCII are shown to the lexer as one ASCII letter that every lexer rule
// treats the same way: ANTLR's lexer remembers its decisions for ASCII
// characters only and works every other one out afresh
// (LexerATNSimulator::MAX_DFA_EDGE), and a rubric is mostly Chinese. Inside a
// closed string, 「」 name or comment a character past ASCII becomes 'x' (it
// only has to be "not the closing quote"); elsewhere a letter in no keyword
// becomes 'X' (a name's letter, as 'X' is). So the tokens are those of the
// text with its digits made ASCII (toString), and their text is taken from it.
// Code-point columns are unchanged.
class LexerInput : public antlr4::ANTLRInputStream {
 public:
  explicit LexerInput(const std::string &text);
  std::string getText(const antlr4::misc::Interval &interval) override;
  std::string toString() const override;  // the text the tokens' text is taken from

 private:
  void maskInside(size_t open, size_t end);
  size_t closedAt(size_t open) const;
  bool likeX(char32_t c);
  UTF32String real_;
  std::unordered_map<char32_t, bool> likeX_;
};

// Accepted spellings, applied to every token stream before parsing: a 。 that
// ends a statement and the 得 of "最高得" go to the hidden channel; a comma
// between 按/分档 entries becomes their separator.
void acceptLenientForms(antlr4::CommonTokenStream &tokens);

// Repairs after a failed fast parse (see above), reporting each mistake.
struct RepairResult {
  bool reported = false;
  // A `{` on this line is never closed: the re-parse's errors from here on
  // (ending with "unexpected end of file") are its knock-ons. 0: none.
  uint32_t knockOnFromLine = 0;
};
RepairResult repairKnownMistakes(antlr4::CommonTokenStream &tokens, const std::shared_ptr<const SourceFile> &source,
                                 DiagnosticEngine &diags);

// The expected tokens of a syntax error as a reader would list them: groups
// ("规则（当、得、按……）") instead of a dozen keywords. English with lang En.
std::string describeExpected(const antlr4::misc::IntervalSet &expected, const antlr4::dfa::Vocabulary &vocab,
                             Lang lang);
// One token type as a user sees it (“当”, 名称, 文件结尾 / end of file).
std::string displayTokenType(const antlr4::dfa::Vocabulary &vocab, size_t type, Lang lang);
// The text of a token quoted (“2025”), or 文件结尾 / end of file.
std::string displayToken(const antlr4::Token *tok, Lang lang);

// “以上” written inside a 且/或 condition: the offending token is 以上, or a
// 且/或 right after it. Returns the 以上 token, or null.
antlr4::Token *misplacedAndAbove(antlr4::Parser &parser, antlr4::Token *offending);

} // namespace rubric::parse
