#include "report/Explain.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace rubric::report {
namespace {

std::string num(Rational v) { return v.toString(); }

std::string joined(const std::vector<std::string> &parts, const std::string &sep) {
  std::string s;
  for (const auto &p : parts) s += (s.empty() ? "" : sep) + p;
  return s;
}

// ───── text ─────
class TextRenderer {
public:
  explicit TextRenderer(Lang lang) : zh_(lang == Lang::Zh) {}

  std::string render(const Trace &tr, const SchemeHeader &scheme, const Standing &st) {
    if (!scheme.title.empty())
      out_ += fmt::format("{}{}{}\n", t("得分说明：", "Score explanation: "), scheme.title,
                          scheme.docNo.empty() ? "" : t("（", " (") + scheme.docNo + t("）", ")"));
    out_ += fmt::format("{}{}\n", t("候选对象：", "Candidate: "), st.candidate);
    out_ += fmt::format("{}{}\n", t("状态：", "Status: "), statusText(tr, zh_ ? Lang::Zh : Lang::En));
    out_ += fmt::format("{}{}\n", t("总分：", "Total: "), num(tr.total));
    if (!st.rank.empty()) out_ += t("排名：", "Rank: ") + st.rank + "\n";
    if (!st.levelRank.empty()) out_ += t("级内排名：", "Rank within level: ") + st.levelRank + "\n";
    if (!st.awards.empty()) out_ += t("奖项：", "Awards: ") + joined(st.awards, t("、", ", ")) + "\n";
    for (const auto &v : tr.vetoes) {
      out_ += fmt::format("{}{}{}{}{}{}{}\n", t("取消资格：", "Disqualified: "), v.reason, t("（第 ", " (line "), v.line,
                          t(" 行；", "; "), v.condition, t("）", ")"));
      if (!v.meta.empty()) out_ += "  " + v.meta + "\n";
    }
    out_ += "\n";
    for (const auto &n : tr.nodes) node(n, 0);
    out_ += "\n" + tr.totalAccount + "\n";
    if (!tr.failedChecks.empty()) {
      std::vector<std::string> names;
      for (const auto &c : tr.failedChecks) names.push_back(c.reason);
      out_ += t("校验：", "Checks failed: ") + joined(names, t("、", ", ")) + "\n";
      for (const auto &c : tr.failedChecks) out_ += "  " + c.reason + t("：", ": ") + c.condition + "\n";
    }
    return out_;
  }

private:
  bool zh_;
  std::string out_;
  const char *t(const char *zh, const char *en) const { return zh_ ? zh : en; }

  void node(const NodeTrace &n, int depth) {
    std::string pad(static_cast<size_t>(depth) * 2, ' ');
    std::string points = n.points.empty() ? "—" : n.points;
    std::string head = pad + n.kind + (n.path.empty() ? "" : " " + n.path) + " " + n.title;
    const char *unit = t(" 分", " points");
    switch (n.status) {
    case NodeStatus::Vetoed:
      out_ += fmt::format("{}{}0 / {}{}  〔{}〕\n", head, t("：", ": "), points, unit, n.statusReason);
      if (!n.statusDetail.empty()) out_ += pad + "  " + n.statusDetail + "\n";
      if (!n.statusMeta.empty()) out_ += pad + "  " + n.statusMeta + "\n";
      break;
    case NodeStatus::NotApplicable:
      out_ += fmt::format("{}{}{} / {}{}{}\n", head, t("：", ": "), t("不适用", "not applicable"), points, unit,
                          n.statusReason.empty() ? "" : "  〔" + n.statusReason + "〕");
      break;
    case NodeStatus::Scored:
      if (n.deduction) out_ += fmt::format("{}{}{}{}{}\n", head, t("：", ": "), t("扣 ", "takes "), num(n.score), unit);
      else out_ += fmt::format("{}{}{} / {}{}\n", head, t("：", ": "), num(n.score), points, unit);
      if (!n.clause.empty()) out_ += fmt::format("{}  {}“{}”\n", pad, n.clauseIsOriginal ? t("原文：", "Original: ") : t("说明：", "Note: "), n.clause);
      for (const auto &r : n.rules) rule(r, pad);
      break;
    }
    for (const auto &c : n.children) node(c, depth + 1);
    for (const auto &a : n.account) out_ += pad + "  = " + a + "\n";
  }

  void rule(const RuleTrace &r, const std::string &pad) {
    out_ += fmt::format("{}  {:>7}  {}{}{}{}\n", pad, signedPoints(r), r.text, t("（第 ", " (line "), r.line, t(" 行）", ")"));
    std::string inner = pad + std::string(11, ' ');
    if (!r.reading.empty()) out_ += inner + t("读法：", "reading: ") + r.reading + "\n";
    for (const auto &s : r.steps) out_ += inner + s + "\n";
    if (!r.why.empty()) out_ += inner + r.why + "\n";
  }
};

// ───── json ─────
using nlohmann::json;

json ruleJson(const RuleTrace &r) {
  json inputs = json::object();
  for (const auto &in : r.inputs) inputs[in.name] = in.value;
  json j = {{"rule", r.text}, {"line", r.line}, {"deduct", r.deduct}, {"points", num(r.points)},
            {"steps", r.steps}, {"inputs", inputs}};
  if (!r.why.empty()) j["why"] = r.why;
  if (!r.limit.empty()) j["limit"] = r.limit;
  if (!r.reading.empty()) j["reading"] = r.reading;
  return j;
}

json nodeJson(const NodeTrace &n) {
  static const char *statuses[] = {"scored", "not_applicable", "vetoed"};
  json j = {{"kind", n.kind}, {"path", n.path}, {"title", n.title}, {"points", n.points},
            {"score", n.status == NodeStatus::NotApplicable ? json(nullptr) : json(num(n.score))},
            {"status", statuses[static_cast<int>(n.status)]}, {"deduction", n.deduction}};
  if (!n.statusReason.empty()) j["statusReason"] = n.statusReason;
  if (!n.statusDetail.empty()) j["statusDetail"] = n.statusDetail;
  if (!n.statusMeta.empty()) j["statusMeta"] = n.statusMeta;
  if (!n.clause.empty()) j[n.clauseIsOriginal ? "original" : "description"] = n.clause;
  if (!n.boundBy.empty()) j["boundBy"] = n.boundBy;
  j["rules"] = json::array();
  for (const auto &r : n.rules) j["rules"].push_back(ruleJson(r));
  j["account"] = n.account;
  j["children"] = json::array();
  for (const auto &c : n.children) j["children"].push_back(nodeJson(c));
  return j;
}

json vetoJson(const VetoTrace &v) {
  json j = {{"reason", v.reason}, {"rule", v.text}, {"line", v.line}, {"condition", v.condition}};
  if (!v.meta.empty()) j["meta"] = v.meta;
  return j;
}

// Points are exact decimals, written as strings so no reader turns them into binary floating point.
std::string renderJson(const Trace &tr, const SchemeHeader &scheme, const Standing &st, Lang lang) {
  json j = {{"candidate", st.candidate},
            {"scheme", {{"title", scheme.title}, {"docNo", scheme.docNo}, {"issuer", scheme.issuer}}},
            {"status", statusText(tr, lang)},
            {"disqualified", !tr.vetoes.empty()},
            {"total", num(tr.total)},
            {"rank", st.rank.empty() ? json(nullptr) : json(st.rank)},
            {"awards", st.awards}};
  if (!st.levelRank.empty()) j["levelRank"] = st.levelRank;
  j["vetoes"] = json::array();
  for (const auto &v : tr.vetoes) j["vetoes"].push_back(vetoJson(v));
  j["failedChecks"] = json::array();
  for (const auto &v : tr.failedChecks) j["failedChecks"].push_back(vetoJson(v));
  j["nodes"] = json::array();
  for (const auto &n : tr.nodes) j["nodes"].push_back(nodeJson(n));
  j["totalAccount"] = tr.totalAccount;
  // Invalid UTF-8 cannot come from a scored record (the readers reject it); replace rather than throw.
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

} // namespace

std::string statusText(const Trace &tr, Lang lang) {
  bool zh = lang == Lang::Zh;
  if (tr.vetoes.empty()) return zh ? "有效" : "valid";
  std::vector<std::string> reasons;
  for (const auto &v : tr.vetoes) reasons.push_back(v.reason);
  return (zh ? "取消资格：" : "disqualified: ") + joined(reasons, zh ? "；" : "; ");
}

std::string signedPoints(const RuleTrace &r) {
  if (r.points.num == 0) return "0";
  std::string v = num(r.points);
  bool negative = !v.empty() && v[0] == '-';
  if (negative) v = v.substr(1);
  return (r.deduct != negative ? "−" : "+") + v;
}

std::string renderExplanation(const Trace &trace, const SchemeHeader &scheme, const Standing &standing,
                              ExplainFormat format, Lang lang) {
  switch (format) {
  case ExplainFormat::Text: return TextRenderer(lang).render(trace, scheme, standing);
  case ExplainFormat::Html: return renderExplanationHtml(trace, scheme, standing, lang);
  case ExplainFormat::Json: return renderJson(trace, scheme, standing, lang);
  }
  return "";
}

} // namespace rubric::report
