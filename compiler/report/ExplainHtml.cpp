// The printable 得分说明: one A4 page per candidate, to hand to the candidate
// or file with the results. Plain html and css (print with any browser, or
// headless Chromium's --print-to-pdf); the page names the scheme and its
// 文号, and for every row the official clause next to the values and the
// arithmetic that gave the points.
#include <fmt/format.h>

#include "report/Explain.h"
#include "report/Html.h"

namespace rubric::report {
namespace {

std::string num(Rational v) { return v.toString(); }

const char *kStyle = R"(
@page { size: A4; margin: 12mm 12mm 14mm 12mm; }
* { box-sizing: border-box; }
body { font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif;
       font-size: 8.5pt; line-height: 1.3; color: #111; margin: 0; }
@media screen { body { max-width: 186mm; margin: 6mm auto; } }
header { text-align: center; margin-bottom: 3mm; }
h1 { font-size: 16pt; margin: 0 0 1mm 0; letter-spacing: 0.3em; }
.scheme { font-size: 10.5pt; margin: 0; }
.docno { font-size: 9pt; margin: 0.5mm 0 0 0; color: #333; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 0.6pt solid #777; padding: 0.6mm 1.2mm; vertical-align: top; text-align: left; }
th { background: #eee; font-weight: bold; white-space: nowrap; }
.summary td, .summary th { font-size: 10pt; }
.summary .total { font-size: 13pt; font-weight: bold; }
.detail { margin-top: 3mm; table-layout: fixed; }
.detail thead { display: table-header-group; }
.detail tr { page-break-inside: avoid; }
.detail col.no { width: 6%; } .detail col.item { width: 17%; } .detail col.pts { width: 5.5%; }
.detail col.got { width: 6.5%; } .detail col.clause { width: 27%; } .detail col.calc { width: 38%; }
.depth0 td { background: #f6f6f6; font-weight: bold; }
.depth0 td.calc, .depth0 td.clause { font-weight: normal; }
td.num { text-align: right; white-space: nowrap; }
.rule { display: grid; grid-template-columns: 3.4em 1fr; margin: 0 0 0.5mm 0; }
.rule .pts { font-weight: bold; }
.rule .text { color: #444; }
.why { color: #666; }
.reading { font-style: italic; }
.account { color: #000; font-style: normal; border-top: 0.4pt dotted #999; margin-top: 0.5mm; }
.na { color: #666; }
.veto, .checks { border: 1pt solid #b00; color: #b00; padding: 1.5mm 2mm; margin-top: 3mm; }
.original { font-family: "WenQuanYi Micro Hei", serif; }
footer { margin-top: 3mm; font-size: 8.5pt; color: #333; }
)";

class HtmlRenderer {
public:
  explicit HtmlRenderer(Lang lang) : zh_(lang == Lang::Zh) {}

  std::string render(const Trace &tr, const SchemeHeader &scheme, const Standing &st) {
    out_ += fmt::format("<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{} — {}</title>\n"
                        "<style>{}</style>\n</head>\n<body>\n",
                        zh_ ? "zh-CN" : "en", t("得分说明", "Score explanation"), htmlEscape(st.candidate), kStyle);
    header(scheme);
    summary(tr, st);
    for (const auto &v : tr.vetoes)
      out_ += fmt::format("<div class=\"veto\"><b>{}</b>{}<br>{}{}{}{}</div>\n", t("取消资格：", "Disqualified: "),
                          htmlEscape(v.reason), t("依据：", "Rule: "), htmlEscape(v.text), htmlEscape(t("；条件成立：", "; it holds: ") + v.condition),
                          v.meta.empty() ? "" : "<br>" + htmlEscape(v.meta));
    detail(tr);
    if (!tr.failedChecks.empty()) {
      out_ += fmt::format("<div class=\"checks\"><b>{}</b>", t("校验不通过：", "Checks failed:"));
      for (const auto &c : tr.failedChecks) out_ += "<br>" + htmlEscape(c.reason) + t("（", " (") + htmlEscape(c.condition) + t("）", ")");
      out_ += "</div>\n";
    }
    out_ += fmt::format("<footer>{}<br>{}</footer>\n</body>\n</html>\n", htmlEscape(tr.totalAccount),
                        t("本说明依评分细则对该候选对象的数据逐项计算生成；每一分列出所依据的条款、所用数值与算式。",
                          "Computed item by item from the candidate's data under the scheme's rules; every point shows "
                          "its clause, the values used and the arithmetic."));
    return out_;
  }

private:
  bool zh_;
  std::string out_;
  const char *t(const char *zh, const char *en) const { return zh_ ? zh : en; }

  void header(const SchemeHeader &scheme) {
    out_ += fmt::format("<header>\n<h1>{}</h1>\n", t("得分说明", "Score explanation"));
    if (!scheme.title.empty()) out_ += fmt::format("<p class=\"scheme\">{}</p>\n", htmlEscape(scheme.title));
    std::string sub = scheme.issuer;
    if (!scheme.docNo.empty()) sub += (sub.empty() ? "" : "　") + scheme.docNo;
    if (!sub.empty()) out_ += fmt::format("<p class=\"docno\">{}</p>\n", htmlEscape(sub));
    out_ += "</header>\n";
  }

  void summary(const Trace &tr, const Standing &st) {
    std::string awards;
    for (const auto &a : st.awards) awards += (awards.empty() ? "" : t("、", ", ")) + a;
    out_ += "<table class=\"summary\"><tr>";
    out_ += fmt::format("<th>{}</th><td>{}</td>", t("候选对象", "Candidate"), htmlEscape(st.candidate));
    out_ += fmt::format("<th>{}</th><td>{}</td>", t("状态", "Status"), htmlEscape(statusText(tr, zh_ ? Lang::Zh : Lang::En)));
    out_ += fmt::format("<th>{}</th><td class=\"total\">{}</td>", t("总分", "Total"), num(tr.total));
    out_ += fmt::format("<th>{}</th><td>{}</td>", t("排名", "Rank"),
                        htmlEscape(st.rank.empty() ? t("—", "—") : st.rank + (st.levelRank.empty() ? "" : t("（级内 ", " (within level ") + st.levelRank + t("）", ")"))));
    out_ += fmt::format("<th>{}</th><td>{}</td>", t("奖项", "Award"), htmlEscape(awards.empty() ? t("无", "none") : awards));
    out_ += "</tr></table>\n";
  }

  void detail(const Trace &tr) {
    out_ += "<table class=\"detail\">\n<colgroup><col class=\"no\"><col class=\"item\"><col class=\"pts\"><col class=\"got\">"
            "<col class=\"clause\"><col class=\"calc\"></colgroup>\n";
    out_ += fmt::format("<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
                        t("序号", "No."), t("评分项", "Item"), t("分值", "Points"), t("得分", "Score"),
                        t("依据（原文）", "Clause"), t("计分过程", "How the points were given"));
    for (const auto &n : tr.nodes) row(n, 0);
    out_ += "</tbody>\n</table>\n";
  }

  void row(const NodeTrace &n, int depth) {
    std::string got = n.status == NodeStatus::NotApplicable ? t("不适用", "n/a")
                      : n.deduction && n.score.num != 0 ? "−" + num(n.score) : num(n.score);
    out_ += fmt::format("<tr class=\"depth{}\"><td>{}</td><td style=\"padding-left:{:.1f}mm\">{}</td><td class=\"num\">{}</td>"
                        "<td class=\"num\">{}</td><td class=\"clause\">{}</td><td class=\"calc\">{}</td></tr>\n",
                        std::min(depth, 3), htmlEscape(n.path), 1.5 + 3.0 * depth, htmlEscape(n.kind + " " + n.title),
                        htmlEscape(n.points.empty() ? "—" : n.points), htmlEscape(got), clause(n), calculation(n));
    for (const auto &c : n.children) row(c, depth + 1);
  }

  // The item's 原文 when it has one, else its 指标说明, else its rules as written.
  std::string clause(const NodeTrace &n) {
    if (!n.clause.empty()) return fmt::format("<span class=\"original\">{}</span>", htmlEscape(n.clause));
    std::string s;
    for (const auto &r : n.rules) s += (s.empty() ? "" : "<br>") + htmlEscape(r.text);
    return s;
  }

  std::string calculation(const NodeTrace &n) {
    std::string s;
    if (n.status != NodeStatus::Scored) {
      s = "<div class=\"na\">" + htmlEscape(n.statusReason) + "</div>";
      if (!n.statusDetail.empty()) s += "<div class=\"na\">" + htmlEscape(n.statusDetail) + "</div>";
      if (!n.statusMeta.empty()) s += "<div class=\"na\">" + htmlEscape(n.statusMeta) + "</div>";
      return s;
    }
    for (const auto &r : n.rules) {
      s += fmt::format("<div class=\"rule\"><span class=\"pts\">{}</span><div>", htmlEscape(signedPoints(r)));
      if (!n.clause.empty()) s += "<div class=\"text\">" + htmlEscape(r.text) + "</div>";
      // The reading of an ambiguous sentence the rule follows: the sheet must say it as the text explain does.
      if (!r.reading.empty()) s += "<div class=\"reading\">" + htmlEscape(t("读法：", "reading: ") + r.reading) + "</div>";
      for (const auto &step : r.steps) s += "<div class=\"step\">" + htmlEscape(step) + "</div>";
      if (!r.why.empty()) s += "<div class=\"why\">" + htmlEscape(r.why) + "</div>";
      s += "</div></div>";
    }
    for (const auto &a : n.account) s += "<div class=\"account\">" + htmlEscape(a) + "</div>";
    return s;
  }
};

} // namespace

std::string renderExplanationHtml(const Trace &trace, const SchemeHeader &scheme, const Standing &standing, Lang lang) {
  return HtmlRenderer(lang).render(trace, scheme, standing);
}

} // namespace rubric::report
