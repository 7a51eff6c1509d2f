// The lexer reads LexerInput (parse/SyntaxHelp.h): the characters past ASCII
// inside closed strings, 「」 names and comments are shown to it as 'x', and
// elsewhere letters in no keyword as 'X', which it decides from its cache.
// That must never change a token. Every rubric under rubrics/, the fuzz
// corpus, hand-picked edges (unclosed quotes, escapes, \r, empty 「」, /*
// without */) and seeded random mutations are lexed both ways — from
// LexerInput and from the plain normalised text — and every token (type,
// channel, start, stop, line, column, text) must be the same. The plain text
// is LexerInput's toString(): the input with its full-width digits ASCII.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "RubricLexer.h"
#include "parse/SyntaxHelp.h"

namespace {

struct Lexed {
  size_t type, channel, start, stop, line, column;
  std::string text;
  bool operator==(const Lexed &o) const {
    return type == o.type && channel == o.channel && start == o.start && stop == o.stop && line == o.line &&
           column == o.column && text == o.text;
  }
};

std::vector<Lexed> lex(antlr4::CharStream &input) {
  rubric::grammar::RubricLexer lexer(&input);
  lexer.removeErrorListeners();
  antlr4::CommonTokenStream tokens(&lexer);
  tokens.fill();
  std::vector<Lexed> out;
  for (antlr4::Token *t : tokens.getTokens())
    out.push_back({t->getType(), t->getChannel(), t->getStartIndex(), t->getStopIndex(), t->getLine(),
                   t->getCharPositionInLine(), t->getText()});
  return out;
}

// The index of the first token that differs, or -1 when they all agree.
long firstDifference(const std::string &text) {
  rubric::parse::LexerInput masked(text);
  antlr4::ANTLRInputStream plain(masked.toString());
  std::vector<Lexed> a = lex(plain), b = lex(masked);
  auto at = std::mismatch(a.begin(), a.end(), b.begin(), b.end());
  if (at.first == a.end() && at.second == b.end()) return -1;
  return static_cast<long>(at.first - a.begin());
}

std::string readFile(const std::filesystem::path &p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::filesystem::path> rubricTexts() {
  std::vector<std::filesystem::path> out;
  for (const char *dir : {RUBRICS_DIR, FUZZ_CORPUS_DIR})
    for (const auto &e : std::filesystem::recursive_directory_iterator(dir))
      if (e.is_regular_file() && e.path().extension() == ".rubric") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// Whole code points (the text stays valid UTF-8): the delimiters of every
// verbatim token, what ends or escapes them; letters in no keyword (中, é, 𠀀)
// and in keywords (文, 得, 项, 分…); a symbol, a digit and a dash past ASCII.
const std::vector<std::string> kInserts = {"\"", "“", "”", "「", "」", "#", "＃", "/", "*", "//", "/*", "*/", "\\",
                                           "\r", "\n", "\r\n", "中", "文", "x", "X", " ", "１", "　", "\xEF\xBB\xBF",
                                           "得", "项", "分", "不", "以上", "每", "方案", "é", "★", "٣", "𠀀", "—"};

// Code-point boundaries of a UTF-8 text.
std::vector<size_t> boundaries(const std::string &s) {
  std::vector<size_t> out;
  for (size_t i = 0; i <= s.size(); ++i)
    if (i == s.size() || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) out.push_back(i);
  return out;
}

} // namespace

TEST_CASE("lexer input: every bundled rubric and fuzz seed lexes to the same tokens", "[lexer]") {
  auto files = rubricTexts();
  REQUIRE(files.size() >= 11);
  for (const auto &p : files) {
    INFO(p.string());
    CHECK(firstDifference(readFile(p)) == -1);
  }
}

TEST_CASE("lexer input: unclosed and odd strings, names and comments lex to the same tokens", "[lexer]") {
  // Each has keywords (得, 项, 分) where a wrong reading would hide them as 'x'.
  const std::vector<std::string> edges = {
      "“换行前得\r得3分” 项",
      "\"\\\" 得 \"得\"",
      "\"\\\\\"得\"",
      "得 \"未闭合的字符串\n下一行 分",
      "得 “未闭合的引号\n规则 “闭合”",
      "“换行前\r没有闭合” 项",
      "\"转义\\\"引号中\" 项",
      "\"反斜杠换行\\\n中文\" 项",
      "\"末尾反斜杠\\",
      "「」 「名称」 「未闭合",
      "「名\r称」",
      "/* 未闭合的块注释 中文 \n 项 1 \"名\" 2分",
      "/* 注释 */ 项 /* 又一个 中 */",
      "/*/ 中 */ 指标",
      "// 行注释 中文\r项目 \"说明\"",
      "＃ 全角井号注释\n# 半角 中\n项",
      "文件末尾的注释 // 中文",
      "名称“引号紧贴”名称",
      "“”空引号 \"\"",
      "（１２分）“全角数字１２”",
      "\xEF\xBB\xBF方案 「甲」 { 标题 \"标题\" }",
      "得 \"中\"\"文\" ",
      "a\"中\"b#中\n/中/",
      "名称★名称 ٣分 é项𠀀得",  // ★ and ٣ are not letters: not a name's, unlike é and 𠀀
  };
  for (const auto &e : edges) {
    INFO(e);
    CHECK(firstDifference(e) == -1);
  }
}

TEST_CASE("lexer input: seeded random insertions into rubric excerpts lex to the same tokens", "[lexer]") {
  std::mt19937_64 rng(0x4c6578496e707574ull);  // "LexInput"
  auto files = rubricTexts();
  std::vector<std::string> texts;
  for (const auto &p : files) texts.push_back(readFile(p));
  int tried = 0;
  for (int n = 0; n < 3000; ++n) {
    const std::string &whole = texts[rng() % texts.size()];
    std::vector<size_t> cuts = boundaries(whole);
    size_t from = cuts[rng() % cuts.size()];
    size_t to = *std::lower_bound(cuts.begin(), cuts.end(), std::min(whole.size(), from + 400));
    std::string s = whole.substr(from, to - from);
    for (int k = 1 + static_cast<int>(rng() % 4); k > 0; --k) {
      std::vector<size_t> at = boundaries(s);
      s.insert(at[rng() % at.size()], kInserts[rng() % kInserts.size()]);
    }
    INFO(s);
    REQUIRE(firstDifference(s) == -1);
    ++tried;
  }
  CHECK(tried == 3000);
}

// Full-width digits are digits where the lexer reads tokens: not inside a
// closed string, 「」 name or comment, which end where the lexer's do (at \r
// too); after a quote that is not closed the lexer reads on as outside.
TEST_CASE("lexer input: a lone carriage return ends a comment for the full-width digits too", "[lexer]") {
  auto digits = [](const std::string &text) { return rubric::parse::LexerInput(text).toString(); };
  CHECK(digits("# 注释\r１２分") == "# 注释\r12分");
  CHECK(digits("# １２\r\n１２") == "# １２\r\n12");
  CHECK(digits("得 \"中文１\" 「名１」 /* １ */ １分") == "得 \"中文１\" 「名１」 /* １ */ 1分");
  CHECK(digits("得 \"未闭合１２\n") == "得 \"未闭合12\n");
}
