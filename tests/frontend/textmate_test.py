#!/usr/bin/python3
"""The VS Code extension's TextMate grammar (editors/vscode/syntaxes): valid
JSON, every regex compiles, and a bundled rubric tokenizes with its keywords,
names, strings, numbers and comments in the expected scopes.

No TextMate engine (vscode-textmate + Oniguruma) is on the machine, so this
runs a small one: at each position the earliest match of the patterns in
scope wins (the first listed on a tie), `begin`/`end` rules push and pop,
as TextMate does line by line. Oniguruma-only syntax is translated to Python
`re` (\\p{L} → [^\\W\\d_]); the grammar uses no other.

usage: textmate_test.py GRAMMAR.json RUBRIC
"""
import json
import re
import sys

failures = 0


def check(ok, what):
    global failures
    print(("ok   " if ok else "FAIL ") + what)
    failures += 0 if ok else 1


def to_python(pattern):
    return pattern.replace(r"[\p{L}]", r"[^\W\d_]").replace(r"\p{L}", r"[^\W\d_]")


class Grammar:
    def __init__(self, data):
        self.repo = data.get("repository", {})
        self.top = self.flatten(data["patterns"])

    def flatten(self, patterns):
        out = []
        for p in patterns:
            if "include" in p:
                r = self.repo[p["include"].lstrip("#")]
                out += self.flatten(r["patterns"]) if "patterns" in r and "match" not in r and "begin" not in r else [r]
            else:
                out.append(p)
        return out

    def compiled(self):
        """Every regex of the grammar, compiled (raises on a bad one)."""
        seen = []
        def walk(p):
            for key in ("match", "begin", "end"):
                if key in p:
                    seen.append((key, p[key], re.compile(to_python(p[key]))))
            for q in p.get("patterns", []):
                if "include" not in q:
                    walk(q)
        for r in self.repo.values():
            walk(r)
        return seen

    def tokenize(self, text):
        """[(text, scope)]: every match, and every begin…end region whole."""
        tokens, stack = [], []   # stack: [rule, text of the region so far]
        for line in text.split("\n"):
            pos = 0
            while pos <= len(line):
                rule = stack[-1][0] if stack else None
                patterns = self.flatten(rule.get("patterns", [])) if rule else self.top
                best = None
                if rule:
                    m = re.compile(to_python(rule["end"])).search(line, pos)
                    if m:
                        best = (m.start(), m, None)
                for p in patterns:
                    m = re.compile(to_python(p.get("match") or p["begin"])).search(line, pos)
                    if m and (best is None or m.start() < best[0]):
                        best = (m.start(), m, p)
                if best is None:
                    if stack:
                        stack[-1][1] += line[pos:]
                    break
                start, m, p = best
                if stack:
                    stack[-1][1] += line[pos:m.end()]
                if p is None:                       # the open rule ends: its region is one token
                    tokens.append((stack[-1][1], rule["name"]))
                    stack.pop()
                elif "begin" in p:
                    stack.append([p, m.group(0)])
                else:
                    tokens.append((m.group(0), p["name"]))
                pos = m.end() if m.end() > pos else pos + 1
                if p is None and m.end() == len(line) and m.group(0) == "":
                    break
            while stack and "$" in stack[-1][0]["end"]:   # ended with the line
                tokens.append((stack[-1][1], stack[-1][0]["name"]))
                stack.pop()
        return tokens


def main(grammar_path, rubric_path):
    try:
        data = json.load(open(grammar_path, encoding="utf-8"))
        check(True, "the grammar is valid JSON")
    except ValueError as e:
        check(False, "the grammar is valid JSON: %s" % e)
        return 1
    check(data.get("scopeName") == "source.rubric", "scopeName is source.rubric")
    grammar = Grammar(data)
    try:
        n = len(grammar.compiled())
        check(n >= 10, "all %d regexes compile" % n)
    except re.error as e:
        check(False, "a regex does not compile: %s" % e)
        return 1

    tokens = grammar.tokenize(open(rubric_path, encoding="utf-8").read())
    scopes = {}
    for text, scope in tokens:
        scopes.setdefault(text, set()).add(scope)
    def scoped(text, scope, what):
        check(scope in scopes.get(text, set()), "%s: “%s” is %s (got %s)" % (what, text, scope, sorted(scopes.get(text, []))))
    # Words of banan-individual.rubric (2025), e.g. line 58: 指标 1 "专业素养" 20分 {
    scoped("指标", "storage.type.rubric", "a declaration keyword")
    scoped("读法", "storage.type.rubric", "a declaration keyword")
    scoped("否决", "storage.type.rubric", "a declaration keyword")
    scoped("当", "keyword.control.rubric", "a rule keyword")
    scoped("按读法", "keyword.control.rubric", "按读法 wins over 按 (the longer alternative is listed first)")
    scoped("得", "keyword.control.rubric", "a rule keyword")
    scoped("取消资格", "keyword.control.rubric", "a veto outcome")
    scoped("达到", "keyword.operator.word.rubric", "a word operator")
    scoped("\"专业素养\"", "string.quoted.double.rubric", "a title string")
    scoped("20分", "constant.numeric.rubric", "points")
    scoped("「巴南2025个人」", "variable.other.rubric", "a name in 「」")
    scoped("=>", "keyword.operator.rubric", "the arrow of a veto")
    # Words of the 2022 三门峡 规范化 and 2019 新疆 进步 rubrics (日期, 不晚于; 排名(…, 并列不跳号)).
    snippet = dict(grammar.tokenize("完成时间: 日期 (可缺)\n当 完成时间 不晚于 2021-12-31 得 2分\n排名(总分, 并列不跳号)\n"))
    for text, scope, what in (("日期", "support.type.rubric", "the date type"),
                              ("不晚于", "keyword.operator.word.rubric", "a date comparison"),
                              ("并列不跳号", "keyword.control.rubric", "the dense-rank option")):
        check(snippet.get(text) == scope, "%s: “%s” is %s (got %s)" % (what, text, scope, snippet.get(text)))
    # 2019 新疆 进步: an import scored over its own full population (引用 … 为 集体 全体另给).
    snippet = dict(grammar.tokenize("引用 \"xinjiang-collective.rubric\" 为 集体 全体另给\n"))
    check(snippet.get("全体另给") == "keyword.control.rubric",
          "the whole-population import: “全体另给” is keyword.control.rubric (got %s)" % snippet.get("全体另给"))
    check(any(s == "comment.line.double-slash.rubric" and t.startswith("//") for t, s in tokens), "comments are comments")
    # Inside a string nothing is a keyword: the sentence of 读法 师资库两级计分 (line 48) is one string.
    scoped("\"入选省级执法人才库或师资库的,得3分;入选国家级师资库的,得1分。\"", "string.quoted.double.rubric",
           "a reading's sentence")
    print("textmate_test: %d failure(s)" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
