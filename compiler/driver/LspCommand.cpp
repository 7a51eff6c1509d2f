// rubricc lsp: the language server on stdin/stdout (service/LanguageServer.h).
// Messages are framed by "Content-Length: N" headers (LSP base protocol).
// Exit status 0 after shutdown + exit, 1 when the input ends without them or
// its framing breaks (said on stderr).
#include <cstdio>
#include <iostream>
#include <string>

#include "driver/Commands.h"
#include "service/LanguageServer.h"

namespace rubric::driver {

namespace {

// One framed message body into `body`; false at the end of the input, or
// when the framing is broken (said in *problem: the stream cannot be followed
// past a header it cannot read, so the session ends, exit status 1).
bool readMessage(std::istream &in, std::string &body, std::string *problem) {
  size_t length = 0;
  bool sawLength = false, sawHeader = false;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      if (!sawLength) continue;   // stray blank line between messages
      break;
    }
    sawHeader = true;
    const std::string key = "Content-Length:";
    if (line.compare(0, key.size(), key) != 0) continue;  // Content-Type and other headers
    size_t at = line.find_first_not_of(' ', key.size());
    size_t end = at == std::string::npos ? at : line.find_first_not_of("0123456789", at);
    if (at == std::string::npos || end == at || end != std::string::npos || line.size() - at > 12) {
      *problem = "malformed header \"" + line + "\" (want Content-Length: <bytes>)";
      return false;
    }
    length = std::stoul(line.substr(at));
    sawLength = true;
  }
  if (!sawLength) {
    if (sawHeader) *problem = "a message header without Content-Length, or the input ended inside one";
    return false;
  }
  if (length > (size_t{64} << 20)) {  // 64 MiB: far above any rubric
    *problem = "message of " + std::to_string(length) + " bytes is over the 64 MiB limit";
    return false;
  }
  body.assign(length, '\0');
  in.read(body.data(), static_cast<std::streamsize>(length));
  if (static_cast<size_t>(in.gcount()) == length) return true;
  *problem = "input ended inside a message (" + std::to_string(in.gcount()) + " of " + std::to_string(length) + " bytes)";
  return false;
}

void writeMessage(const nlohmann::json &message) {
  std::string body = message.dump();
  std::cout << "Content-Length: " << body.size() << "\r\n\r\n" << body;
  std::cout.flush();
}

} // namespace

int runLsp(const LspArgs &args) {
  service::LanguageServer server(args.lang);
  std::string body, problem;
  while (!server.exited() && readMessage(std::cin, body, &problem)) {
    nlohmann::json message = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (message.is_discarded() || !message.is_object()) {
      writeMessage({{"jsonrpc", "2.0"}, {"id", nullptr}, {"error", {{"code", -32700}, {"message", "parse error"}}}});
      continue;
    }
    try {
      for (const auto &reply : server.handle(message)) writeMessage(reply);
    } catch (const std::exception &e) {   // a malformed request must not end the session
      if (message.contains("id"))
        writeMessage({{"jsonrpc", "2.0"}, {"id", message["id"]}, {"error", {{"code", -32602}, {"message", e.what()}}}});
    }
  }
  if (!problem.empty()) std::cerr << "rubricc lsp: " << problem << "\n";
  return server.exited() ? server.exitCode() : 1;
}

} // namespace rubric::driver
