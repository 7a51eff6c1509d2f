// rubricc lsp: the language server on stdin/stdout (service/LanguageServer.h).
// Messages are framed by "Content-Length: N" headers (LSP base protocol).
// Exit status 0 after shutdown + exit, 1 when the input ends without them.
#include <cstdio>
#include <iostream>
#include <string>

#include "driver/Commands.h"
#include "service/LanguageServer.h"

namespace rubric::driver {

namespace {

// Reads one framed message body; false at the end of the input.
bool readMessage(std::istream &in, std::string &body) {
  size_t length = 0;
  bool sawLength = false;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      if (!sawLength) continue;   // stray blank line between messages
      break;
    }
    const std::string key = "Content-Length:";
    if (line.compare(0, key.size(), key) == 0) {
      try {
        length = std::stoul(line.substr(key.size()));
        sawLength = true;
      } catch (...) {
        return false;
      }
    }
  }
  if (!sawLength || length > (size_t{64} << 20)) return false;   // 64 MiB: far above any rubric
  body.assign(length, '\0');
  in.read(body.data(), static_cast<std::streamsize>(length));
  return static_cast<size_t>(in.gcount()) == length;
}

void writeMessage(const nlohmann::json &message) {
  std::string body = message.dump();
  std::cout << "Content-Length: " << body.size() << "\r\n\r\n" << body;
  std::cout.flush();
}

} // namespace

int runLsp(const LspArgs &args) {
  service::LanguageServer server(args.lang);
  std::string body;
  while (!server.exited() && readMessage(std::cin, body)) {
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
  return server.exited() ? server.exitCode() : 1;
}

} // namespace rubric::driver
