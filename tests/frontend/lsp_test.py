#!/usr/bin/python3
"""A scripted Language Server Protocol client for `rubricc lsp` (issue 12):
initialize, didOpen with an unknown name → E0101 on the right line with its
fix-it, hover on a field / a keyword / an item, definition, document symbols,
formatting, code actions (the fix-its as quick fixes), completion (fields,
keywords, enum values and reading options after `=`, items after 【), shutdown, exit.
Expected positions are counted by hand in the comments (LSP lines and
characters are 0-based; characters are UTF-16 units, one per CJK character).

usage: lsp_test.py RUBRICC
"""
import json
import subprocess
import sys

failures = 0


def check(ok, what):
    global failures
    print(("ok   " if ok else "FAIL ") + what)
    failures += 0 if ok else 1


class Client:
    def __init__(self, rubricc):
        self.proc = subprocess.Popen([rubricc, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.next_id = 0
        self.notifications = []

    def send(self, message):
        body = json.dumps(message, ensure_ascii=False).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def read(self):
        length = None
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise EOFError("server closed its output")
            line = line.strip()
            if not line:
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.proc.stdout.read(length).decode("utf-8"))

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            message = self.read()
            if message.get("id") == self.next_id:
                return message
            self.notifications.append(message)

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def diagnostics(self):
        while not self.notifications:
            self.notifications.append(self.read())
        return self.notifications.pop(0)


URI = "file:///tmp/%E7%A4%BA%E4%BE%8B.rubric"
TEXT = (
    "方案 甲 { }\n"                              # 0
    "输入 {\n"                                   # 1
    "  单位: 文本 (标识)\n"                      # 2
    "  达标: 是否 说明 \"年度考核达标\"\n"       # 3
    "}\n"                                        # 4
    "指标 一 \"队伍建设\" 2分 {\n"               # 5
    "  当 达标 得 1分\n"                         # 6: 当 at 2, 达标 at 4–6
    "  当 入选人才库 得 1分\n"                   # 7: 入选人才库 at 4–9
    "}\n")


def code_actions(c):
    # The E0101 of line 7 (0-based), characters 4–9, has one fix-it: declare 入选人才库 in 输入.
    result = c.request("textDocument/codeAction", {
        "textDocument": {"uri": URI},
        "range": {"start": {"line": 7, "character": 5}, "end": {"line": 7, "character": 5}},
        "context": {"diagnostics": []}}).get("result")
    check(isinstance(result, list) and len(result) == 1, "one code action on the unknown name: %s" % result)
    if result:
        action = result[0]
        check(action.get("kind") == "quickfix" and action.get("diagnostics", [{}])[0].get("code") == "E0101",
              "it is a quick fix of E0101")
        check(action.get("edit", {}).get("changes", {}).get(URI) ==
              [{"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 0}},
                "newText": "  入选人才库: 是否\n"}], "its edit inserts the field into 输入: %s" % action.get("edit"))
        check(action.get("title") == "在第 3 行第 1 列插入“  入选人才库: 是否⏎”", "its title says the edit: " + action.get("title", ""))
    # Line 5 (指标 一 …) has no diagnostic: no action.
    none = c.request("textDocument/codeAction", {
        "textDocument": {"uri": URI},
        "range": {"start": {"line": 5, "character": 0}, "end": {"line": 5, "character": 3}},
        "context": {"diagnostics": []}}).get("result")
    check(none == [], "no code action where there is no fix-it: %s" % none)


URI2 = "file:///tmp/completion.rubric"
TEXT2 = (
    "方案 乙 { }\n"                                      # 0
    "输入 {\n"                                           # 1
    "  单位: 文本 (标识)\n"                              # 2
    "  级别: 枚举{县级, 市级}\n"                         # 3
    "  达标: 是否\n"                                     # 4
    "}\n"                                                # 5
    "读法 两种 \"两种以上\" {\n"                         # 6
    "  含本数: \"达到2种\"\n"                            # 7
    "  不含本数: \"超过2种\"\n"                          # 8
    "  采用 含本数\n"                                    # 9
    "}\n"                                                # 10
    "指标 一 \"队伍建设\" 2分 {\n"                       # 11
    "  项 1 \"培训\" 1分 { 当 级别 = 县级 得 1分 }\n"     # 12: "= " ends at character 23
    "  项 2 \"考核\" 1分 { 当 两种 = 含本数 且 达标 得 1分 }\n"   # 13: "= " ends at character 23
    "}\n")


def labels(result, kind=None):
    return [i["label"] for i in (result or []) if kind is None or i.get("kind") == kind]


def completion(c):
    c.notify("textDocument/didOpen", {"textDocument": {"uri": URI2, "languageId": "rubric", "version": 1, "text": TEXT2}})
    check(c.diagnostics()["params"]["diagnostics"] == [], "the completion document checks clean")
    def complete(line, character):
        return c.request("textDocument/completion", {"textDocument": {"uri": URI2},
                                                     "position": {"line": line, "character": character}}).get("result")
    # After `级别 = `: the enum's values, in declared order (kind 20 = EnumMember).
    check(labels(complete(12, 23)) == ["县级", "市级"], "enum values after 级别 =: %s" % labels(complete(12, 23)))
    # After `两种 = `: the reading's options.
    check(labels(complete(13, 23)) == ["含本数", "不含本数"], "reading options after 两种 =: %s" % labels(complete(13, 23)))
    # At the start of line 12 (an item's body begins at character 2): fields (kind 5), the reading (6), keywords (14).
    general = complete(12, 2)
    check(labels(general, 5) == ["单位", "级别", "达标"], "fields: %s" % labels(general, 5))
    check(labels(general, 6) == ["两种"], "readings: %s" % labels(general, 6))
    keywords = labels(general, 14)
    check(all(k in keywords for k in ["当", "得", "按读法", "分档", "不适用", "奖项"]), "keywords: %s" % keywords)

    # A line being typed does not parse: completion reads the declarations of the last text that did.
    typing = TEXT2 + "指标 二 \"乙\" 1分 { 当 【培"     # line 15: 【 at character 16, 培 at 17, the end at 18
    c.notify("textDocument/didChange", {"textDocument": {"uri": URI2, "version": 2}, "contentChanges": [{"text": typing}]})
    check(c.diagnostics()["params"]["diagnostics"] != [], "the half-typed line has a diagnostic")
    items = complete(15, 18)
    check(labels(items, 18) == ["队伍建设", "培训", "考核"], "items after 【 (kind 18 = Reference): %s" % labels(items))
    training = [i for i in items or [] if i["label"] == "培训"]
    check(training and training[0]["detail"] == "指标 一 “队伍建设” › 项 1　1分", "an item's detail is its path and points: %s" % training)
    typing = TEXT2 + "指标 二 \"乙\" 1分 { 当 级别 ＝ "   # a full-width ＝ too; line 15, character 21
    c.notify("textDocument/didChange", {"textDocument": {"uri": URI2, "version": 3}, "contentChanges": [{"text": typing}]})
    c.diagnostics()
    check(labels(complete(15, 21)) == ["县级", "市级"], "enum values after 级别 ＝ on an unfinished line: %s" % labels(complete(15, 21)))
    c.notify("textDocument/didClose", {"textDocument": {"uri": URI2}})
    # Malformed requests answer empty; the server goes on.
    check(c.request("textDocument/completion", {}).get("result") == [], "completion without a document answers []")
    check(c.request("textDocument/codeAction", {"textDocument": {"uri": URI}, "range": {}}).get("result") == [],
          "a code action request with an empty range answers []")
    c.notify("textDocument/didChange", {"textDocument": {"uri": URI2}, "contentChanges": []})  # nothing to apply (robustness)


def robustness(c):
    """didChange without a whole text keeps the document; a bare-CR file has
    its lines (LSP counts a lone CR as a line end)."""
    uri = "file:///tmp/cr.rubric"
    # TEXT with CR line ends: E0101 (入选人才库) is still on line 7, characters 4–9.
    c.notify("textDocument/didOpen",
             {"textDocument": {"uri": uri, "languageId": "rubric", "version": 1, "text": TEXT.replace("\n", "\r")}})
    diags = c.diagnostics()["params"]["diagnostics"]
    e0101 = [d for d in diags if d["code"] == "E0101"]
    check(len(e0101) == 1 and e0101[0]["range"]["start"] == {"line": 7, "character": 4},
          "a bare-CR file: E0101 on line 7, character 4: %s" % [d["range"] for d in e0101])
    # No change (or only a ranged one, which full sync never sends): nothing
    # applied, nothing published — then hover still finds 达标 on line 6.
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": []})
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3},
                                        "contentChanges": [{"range": {"start": {"line": 0, "character": 0},
                                                                      "end": {"line": 0, "character": 0}}, "text": "x"}]})
    hover = c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 6, "character": 5}})
    value = (hover.get("result") or {}).get("contents", {}).get("value", "")
    check("输入字段" in value and not c.notifications,
          "didChange without a whole text keeps the document and publishes nothing: %r, %s" % (value, c.notifications))


def broken_framing(rubricc):
    """A header the server cannot read ends the session with exit status 1 and a
    line on stderr naming it — never silently."""
    for frame, said in [(b"Content-Length: abc\r\n\r\n{}", "malformed header"),
                        (b"Content-Length: 50\r\n\r\n{}", "input ended inside a message (2 of 50 bytes)")]:
        proc = subprocess.run([rubricc, "lsp"], input=frame, capture_output=True, timeout=10)
        err = proc.stderr.decode("utf-8", "replace")
        check(proc.returncode == 1 and said in err, "broken framing %r: exit 1 and %r on stderr (got %d, %r)"
              % (frame[:24], said, proc.returncode, err))


def main(rubricc):
    c = Client(rubricc)
    init = c.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
    caps = init.get("result", {}).get("capabilities", {})
    check(caps.get("hoverProvider") is True and caps.get("documentFormattingProvider") is True,
          "initialize: hover and formatting capabilities")
    check("【" in caps.get("completionProvider", {}).get("triggerCharacters", [])
          and caps.get("codeActionProvider", {}).get("codeActionKinds") == ["quickfix"],
          "initialize: completion (triggered by 【) and quick-fix code actions: %s" % caps)
    c.notify("initialized", {})

    c.notify("textDocument/didOpen",
             {"textDocument": {"uri": URI, "languageId": "rubric", "version": 1, "text": TEXT}})
    published = c.diagnostics()
    check(published.get("method") == "textDocument/publishDiagnostics", "didOpen publishes diagnostics")
    diags = published["params"]["diagnostics"]
    e0101 = [d for d in diags if d["code"] == "E0101"]
    check(len(e0101) == 1, "one E0101 (codes: %s)" % [d["code"] for d in diags])
    if e0101:
        d = e0101[0]
        check(d["range"]["start"] == {"line": 7, "character": 4} and d["range"]["end"] == {"line": 7, "character": 9},
              "E0101 on line 8 (0-based 7), characters 4–9: %s" % d["range"])
        check(d["message"].startswith("未定义的名称“入选人才库”"), "E0101 message: " + d["message"])
        check(d["severity"] == 1, "E0101 is an error")
        fixes = d.get("data", {}).get("fixes", [])
        # N0011: declare it in 输入, before the first field (line 2, 0-based), as a condition → 是否
        check(fixes == [{"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 0}},
                         "newText": "  入选人才库: 是否\n"}], "E0101 fix-it adds the field to 输入: %s" % fixes)

    hover = c.request("textDocument/hover", {"textDocument": {"uri": URI}, "position": {"line": 6, "character": 5}})
    value = (hover.get("result") or {}).get("contents", {}).get("value", "")
    check("输入字段" in value and "是否" in value and "年度考核达标" in value, "hover on a field: " + value)
    hover = c.request("textDocument/hover", {"textDocument": {"uri": URI}, "position": {"line": 6, "character": 2}})
    value = (hover.get("result") or {}).get("contents", {}).get("value", "")
    check(value.startswith("当 条件 得 N分"), "hover on 当: " + value)
    hover = c.request("textDocument/hover", {"textDocument": {"uri": URI}, "position": {"line": 5, "character": 7}})
    value = (hover.get("result") or {}).get("contents", {}).get("value", "")
    check(value.startswith("**指标 一 “队伍建设”**") and "2分" in value and "达标的，得1分" in value,   # rules as the official table words them
          "hover on an item title: " + value)

    # Go to definition: 达标 on line 6 → its declaration on line 3, characters 2–4.
    definition = c.request("textDocument/definition",
                           {"textDocument": {"uri": URI}, "position": {"line": 6, "character": 5}})
    loc = definition.get("result") or {}
    check(loc.get("uri") == URI and loc.get("range", {}).get("start") == {"line": 3, "character": 2}
          and loc["range"]["end"] == {"line": 3, "character": 4}, "definition of a field: %s" % loc)
    # Document symbols: the indicator tree (one indicator; its title "队伍建设" at line 5, characters 5–11).
    symbols = c.request("textDocument/documentSymbol", {"textDocument": {"uri": URI}}).get("result") or []
    check(len(symbols) == 1 and symbols[0]["name"] == "指标 一 队伍建设" and symbols[0]["detail"] == "2分"
          and symbols[0]["selectionRange"]["start"] == {"line": 5, "character": 5},
          "document symbols: the indicator tree: %s" % symbols)

    code_actions(c)

    messy = "方案 甲 {}\n输入 {\n        单位: 文本 (标识)\n达标: 是否\n}\n指标 一 \"甲\" 1分 {   当 达标 得 1分。 }\n"
    c.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": messy}]})
    published = c.diagnostics()
    check(published["params"]["diagnostics"] == [], "didChange to a clean text clears the diagnostics")
    formatting = c.request("textDocument/formatting",
                           {"textDocument": {"uri": URI}, "options": {"tabSize": 2, "insertSpaces": True}})
    edits = formatting.get("result") or []
    expected = "方案 甲 {}\n输入 {\n  单位: 文本 (标识)\n  达标: 是否\n}\n指标 一 \"甲\" 1分 { 当 达标 得 1分 }\n"
    check(len(edits) == 1 and edits[0]["newText"] == expected, "formatting returns the canonical layout: %s" % edits)

    completion(c)
    robustness(c)

    shutdown = c.request("shutdown", None)
    check("result" in shutdown and shutdown["result"] is None, "shutdown answers null")
    c.notify("exit", None)
    c.proc.stdin.close()
    code = c.proc.wait(timeout=10)
    check(code == 0, "exit after shutdown: status 0 (got %d)" % code)
    broken_framing(rubricc)
    print("lsp_test: %d failure(s)" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
