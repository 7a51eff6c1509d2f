// `rubricc lsp`: the Language Server Protocol over the language service.
// This class holds the open documents and answers one JSON-RPC message at a
// time; the driver does the stdio framing (Content-Length headers).
//
// Supported: initialize, initialized, shutdown, exit; textDocument/didOpen,
// didChange (full text), didClose → publishDiagnostics (with fix-its as
// related information and data); textDocument/hover (a field's type and 说明;
// an item's path, points and rules; a keyword's meaning); textDocument/definition
// (fields and 【】 items); textDocument/documentSymbol (the indicator tree);
// textDocument/formatting; textDocument/completion (service/Completion.h);
// textDocument/codeAction (each diagnostic's fix-its as one quick fix).
// Positions are converted between LSP's UTF-16 columns and code points.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "diagnostics/Diagnostic.h"

namespace rubric::service {

class LanguageServer {
public:
  explicit LanguageServer(Lang lang) : lang_(lang) {}

  // Handles one message; returns the messages to send (responses and notifications).
  std::vector<nlohmann::json> handle(const nlohmann::json &message);
  // True once `exit` arrived; exitCode() is 0 if `shutdown` came first (LSP spec).
  bool exited() const { return exited_; }
  int exitCode() const { return shutdown_ ? 0 : 1; }

private:
  Lang lang_;
  bool shutdown_ = false, exited_ = false;
  std::map<std::string, std::string> documents_;   // uri → text
  // uri → the last text of the document that parsed: completion reads the
  // declarations from it while the line being typed does not parse yet.
  std::map<std::string, std::string> lastParsed_;

  struct AtPosition;
  // The open document a request names, as a source file; null when it is not
  // open or not valid UTF-8 (the request then answers empty).
  std::shared_ptr<SourceFile> document(const nlohmann::json &params) const;
  std::optional<AtPosition> at(const nlohmann::json &params);   // the document and token at a position
  nlohmann::json publishDiagnostics(const std::string &uri);
  nlohmann::json hover(const nlohmann::json &params);
  nlohmann::json definition(const nlohmann::json &params);
  nlohmann::json documentSymbols(const nlohmann::json &params);
  nlohmann::json formatting(const nlohmann::json &params);
  nlohmann::json completion(const nlohmann::json &params);
  nlohmann::json codeActions(const nlohmann::json &params);
};

} // namespace rubric::service
