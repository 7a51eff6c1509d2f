// Shared helpers for the front-end tests: compile rubric text held in memory
// (parse + sema) and look at what came out.
#pragma once

#include <csignal>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ast/AstPrinter.h"
#include "diagnostics/Diagnostic.h"
#include "parse/Parser.h"
#include "sema/Sema.h"
#include "support/Source.h"

#include <sys/wait.h>
#include <unistd.h>

// Sanitizer builds (RUBRICC_SANITIZE=ON) run ~15× slower: timing budgets and
// iteration counts look at RUBRIC_UNDER_ASAN.
#include "../SanitizerBuild.h"

namespace rubric::test {

struct Compiled {
  std::shared_ptr<SourceFile> source;
  DiagnosticEngine diags;
  std::unique_ptr<ast::File> file;            // null when the parse failed
  std::unique_ptr<sema::CheckedFile> checked; // null when the parse failed

  size_t errors() const { return diags.errorCount(); }
  size_t warnings() const { return diags.warningCount(); }

  // "E0101 W0801" — every reported code, in report order.
  std::string codes() const {
    std::string s;
    for (const auto &d : diags.all()) s += (s.empty() ? "" : " ") + std::string(d.code());
    return s;
  }
  // Every diagnostic rendered as text (for failure messages and golden checks).
  std::string rendered(Lang lang = Lang::Zh) const {
    std::string s;
    for (const auto &d : diags.all()) s += renderText(d, lang);
    return s;
  }
  size_t count(const std::string &code) const {
    size_t n = 0;
    for (const auto &d : diags.all()) n += code == d.code();
    return n;
  }
  const Diagnostic *first(const std::string &code) const {
    for (const auto &d : diags.all())
      if (code == d.code()) return &d;
    return nullptr;
  }
};

// In-memory imported files for `引用 "…" 为 别名`, keyed by the normalised path
// the checker asks for (relative to the importer's directory).
using VirtualFiles = std::map<std::string, std::string>;

inline std::unique_ptr<Compiled> compile(const std::string &text, const std::string &path = "test.rubric",
                                         const VirtualFiles *imports = nullptr) {
  auto c = std::make_unique<Compiled>();
  c->source = std::make_shared<SourceFile>(path, text);
  c->file = parse::parseFile(c->source, c->diags);
  if (!c->file) return c;
  sema::CheckOptions options;
  if (imports) {
    options.loadFile = [imports](const std::string &p, std::string *error) -> std::shared_ptr<SourceFile> {
      auto it = imports->find(p);
      if (it == imports->end()) {
        if (error) *error = "not found";
        return nullptr;
      }
      return std::make_shared<SourceFile>(p, it->second);
    };
  }
  c->checked = sema::check(*c->file, c->diags, options);
  return c;
}

// Parses only (no sema); the AST or null.
inline std::unique_ptr<ast::File> parseOnly(const std::string &text, DiagnosticEngine &diags,
                                            const std::string &path = "test.rubric") {
  auto src = std::make_shared<SourceFile>(path, text);
  return parse::parseFile(src, diags);
}

// Depth-first search of the hierarchy by title.
inline const ast::Node *findNode(const std::vector<std::unique_ptr<ast::Node>> &nodes, const std::string &title) {
  for (const auto &n : nodes) {
    if (n->title == title) return n.get();
    if (const ast::Node *c = findNode(n->children, title)) return c;
  }
  return nullptr;
}
inline const ast::Node *findNode(const ast::File &f, const std::string &title) { return findNode(f.indicators, title); }

inline const ast::HeaderEntry *headerEntry(const ast::File &f, const std::string &key) {
  for (const auto &e : f.scheme.entries)
    if (e.key == key) return &e;
  return nullptr;
}

inline const ast::FieldDecl *input(const ast::File &f, const std::string &name) {
  for (const auto &fd : f.inputs)
    if (fd.name == name) return &fd;
  return nullptr;
}

inline std::string metaValue(const ast::Node &n, const std::string &key) {
  for (const auto &m : n.meta)
    if (m.key == key) return m.value;
  return "<missing>";
}

inline std::string expr(const ast::ExprPtr &e) { return e ? ast::printExpr(*e) : std::string("<null>"); }

// Runs `body` in a child process, so that a crash (stack overflow, sanitizer
// abort) fails one check instead of killing the test program. Returns "" when
// the child finished normally and `body` returned true, else what happened.
inline std::string runInChild(const std::function<bool()> &body) {
  std::cout.flush();
  std::cerr.flush();
  pid_t pid = fork();
  if (pid < 0) return "fork failed";
  if (pid == 0) {
    // Die quietly on a crash (Catch's handler would report it from the child too).
    for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE}) std::signal(sig, SIG_DFL);
    bool ok = false;
    try {
      ok = body();
    } catch (...) {
      ok = false;
    }
    std::cout.flush();
    std::cerr.flush();
    _exit(ok ? 0 : 1);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return "waitpid failed";
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  if (WIFEXITED(status) && WEXITSTATUS(status) != 0) return "exit status " + std::to_string(WEXITSTATUS(status));
  return "";
}

} // namespace rubric::test
