#!/usr/bin/env bash
# Issue 11: the bundled rubrics read the same source sentence the same way.
#
#   usage: seed_readings_test.sh RUBRICC REPO_ROOT
#
# 1. Across every rubric under rubrics/, two readings that quote the same
#    sentence (white space ignored) have the same name and the same adopted
#    option — "the same sentence read the same way everywhere".
# 2. The 技能比武 sentence ("获得省级比武先进个人的，得2分，获得市级比武先进个人的，得1分")
#    is read 累加 in 2024 如东 个人, and in 2024 巴南 个人 as soon as that
#    scheme declares any reading; scoring one person with both awards gives
#    3 points in 如东 (2 + 1) and 2 under --reading 技能比武计分=取最高.
#    "两种以上" is the same reading (name, options, 采用 含本数) in 2024 巴南 个人, 2024 如东 个人 and
#    2024 如东 集体 (线索识别). 多轮次成绩合成 (取平均 adopted, or 取最高) is the same reading in
#    2025 巴南 集体 and 2024 如东 集体.
#    The quota's tie policy (读法 名额并列处理) decides who of two persons tied
#    for 10th place is a 参赛候选人: 报告待定 (adopted), 一并列入, 均不列入.
# 3. Every reading of the 2019 新疆 and 2024 如东 rubrics is switchable:
#    `rubricc score --reading 名称=选项` scores the bundled example under every
#    option, and an option the reading does not have is refused (exit 2).
set -u
RUBRICC=$1
ROOT=$2
source "$(dirname "$0")/harness.sh"

# ── 1 and 2: readings as declared ──
for r in "$ROOT"/rubrics/*/*.rubric; do
  if "$RUBRICC" readings "$r" --format json >"$WORK/$(basename "$(dirname "$r")")-$(basename "$r" .rubric).json" 2>"$WORK/err"; then ok
  else bad "readings $r: $(cat "$WORK/err")"; fi
done
python3 - "$WORK" <<'PY' && ok || bad "readings are not consistent across rubrics (see above)"
import json, glob, os, re, sys
work = sys.argv[1]
seen = {}   # normalised text -> (file, name, chosen)
errors = []
decls = {}
for path in sorted(glob.glob(os.path.join(work, "*.json"))):
    key = os.path.basename(path)[:-5]
    readings = json.load(open(path, encoding="utf-8"))
    decls[key] = readings
    for r in readings:
        if r.get("scheme"):   # an imported scheme's reading: checked in its own file
            continue
        text = re.sub(r"\s+", "", r["text"])
        if text in seen:
            f, name, chosen = seen[text]
            if (name, chosen) != (r["name"], r["chosen"]):
                errors.append(f"{key}: {r['name']}={r['chosen']} but {f}: {name}={chosen} for the same sentence “{r['text']}”")
        else:
            seen[text] = (key, r["name"], r["chosen"])
skill = "获得省级比武先进个人的，得2分，获得市级比武先进个人的，得1分"
def skill_reading(key):
    return [r for r in decls.get(key, []) if skill in re.sub(r"\s+", "", r["text"])]
rd = skill_reading("2024-rudong-individual")
if [(r["name"], r["chosen"]) for r in rd] != [("技能比武计分", "累加")]:
    errors.append(f"2024 如东 个人: expected one reading 技能比武计分 adopting 累加 for the 技能比武 sentence, got {rd}")
elif sorted(o if isinstance(o, str) else o.get("name") for o in rd[0]["options"]) != ["取最高", "累加"]:
    errors.append(f"2024 如东 个人: 技能比武计分 options {rd[0]['options']}")
if decls.get("2024-banan-individual"):
    bn = skill_reading("2024-banan-individual")
    if [(r["name"], r["chosen"]) for r in bn] != [("技能比武计分", "累加")]:
        errors.append(f"2024 巴南 个人 declares readings but reads the 技能比武 sentence as {bn}, not 技能比武计分 = 累加")
# "两种以上" (含本数 or not) is one reading wherever a 2024 scheme has the sentence: the 个人 schemes'
# 非现场平台 sentence and 2024 如东 集体's 线索识别 sentence (2024 巴南 集体's 线索识别 counts cases, 每件得1分).
for key in ("2024-banan-individual", "2024-rudong-individual", "2024-rudong-collective"):
    two = [r for r in decls.get(key, []) if "两种以上" in r["text"]]
    names = [(r["name"], r["chosen"], sorted(o if isinstance(o, str) else o.get("name") for o in r["options"])) for r in two]
    if names != [("两种以上", "含本数", ["不含本数", "含本数"])]:
        errors.append(f"{key}: expected one reading 两种以上 adopting 含本数 with options 含本数/不含本数, got {names}")
# "每轮次……排名前50%人员": a person's rounds are merged the same way in both collective schemes that
# score 现场监督帮扶 per person per round (2025 巴南 集体 5.1, 2024 如东 集体 三.1.1).
for key in ("2025-banan-collective", "2024-rudong-collective"):
    merge = [(r["name"], r["chosen"], sorted(o if isinstance(o, str) else o.get("name") for o in r["options"]))
             for r in decls.get(key, []) if r["name"] == "多轮次成绩合成"]
    if merge != [("多轮次成绩合成", "取平均", ["取平均", "取最高"])]:
        errors.append(f"{key}: expected one reading 多轮次成绩合成 adopting 取平均 with options 取平均/取最高, got {merge}")
for e in errors:
    print("FAIL:", e)
sys.exit(1 if errors else 0)
PY

# ── 2: the 技能比武 points, adopted and alternative ──
RD=$ROOT/rubrics/2024/rudong-individual.rubric
"$RUBRICC" template "$RD" -o "$WORK/rd.template.csv"
python3 - "$WORK/rd.template.csv" "$WORK/rd.csv" <<'PY'
import csv, sys
header = next(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
row = {"姓名": "两级比武", "省级比武先进个人": "是", "市级比武先进个人": "是"}
with open(sys.argv[2], "w", encoding="utf-8", newline="") as out:
    w = csv.writer(out)
    w.writerow(header)
    w.writerow([row.get(h, "") for h in header])
PY
for engine in --interp ""; do
  "$RUBRICC" score "$RD" "$WORK/rd.csv" --items $engine -o "$WORK/rd.jsonl" 2>"$WORK/err"
  # 累加 (adopted): 省级 2 + 市级 1 = 3
  if grep -q '"三.2 技能比武":3[,}]' "$WORK/rd.jsonl"; then ok; else bad "如东 个人 技能比武 累加 ($engine): $(cat "$WORK/rd.jsonl" "$WORK/err")"; fi
  "$RUBRICC" score "$RD" "$WORK/rd.csv" --items $engine --reading 技能比武计分=取最高 -o "$WORK/rd2.jsonl" 2>"$WORK/err"
  # 取最高: only 省级 2
  if grep -q '"三.2 技能比武":2[,}]' "$WORK/rd2.jsonl"; then ok; else bad "如东 个人 技能比武 取最高 ($engine): $(cat "$WORK/rd2.jsonl" "$WORK/err")"; fi
done

# ── 2b: the quota's tie policy (读法 名额并列处理) switches ──
# 2024 如东 个人, 11 persons scored only on 县级荣誉项数 a (1 point each, item cap 4) and
# 关键领域案件类数 b (2.5 each, cap 5): totals a + 2.5b =
#   9 (4,2) 8 (3,2) 7 (2,2) 6.5 (4,1) 6 (1,2) 5.5 (3,1) 5 (0,2) 4.5 (2,1) 4 (4,0), then 3.5 (1,1) twice:
# 十甲 and 十乙 tie for 10th place and only one of them fits the quota of 10.
python3 - "$WORK/rd.template.csv" "$WORK/tie.csv" <<'PY'
import csv, sys
header = next(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
people = [("一", 4, 2), ("二", 3, 2), ("三", 2, 2), ("四", 4, 1), ("五", 1, 2), ("六", 3, 1), ("七", 0, 2),
          ("八", 2, 1), ("九", 4, 0), ("十甲", 1, 1), ("十乙", 1, 1)]
with open(sys.argv[2], "w", encoding="utf-8", newline="") as out:
    w = csv.writer(out)
    w.writerow(header)
    for name, a, b in people:
        row = {"姓名": name, "县级荣誉项数": str(a), "关键领域案件类数": str(b)}
        w.writerow([row.get(h, "") for h in header])
PY
AWARD=执法大练兵参赛候选人（前10名）
tie_awards() {  # $1 jsonl → "九:…|十甲:…|十乙:…"
  python3 -c '
import json, sys
rows = {}
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    rows[str(next(iter(r.values())))] = r
print("|".join(n + ":" + json.dumps(rows[n].get("奖项"), ensure_ascii=False) for n in ("九", "十甲", "十乙")))' "$1"
}
for policy in "" 报告待定 一并列入 均不列入; do
  args=(); [[ -n $policy ]] && args=(--reading "名额并列处理=$policy")
  "$RUBRICC" score "$RD" "$WORK/tie.csv" "${args[@]}" -o "$WORK/tie.jsonl" 2>"$WORK/err"
  got=$(tie_awards "$WORK/tie.jsonl" 2>&1)
  case ${policy:-报告待定} in
    报告待定) want="九:[\"$AWARD\"]|十甲:[\"$AWARD（并列待定）\"]|十乙:[\"$AWARD（并列待定）\"]" ;;
    一并列入) want="九:[\"$AWARD\"]|十甲:[\"$AWARD\"]|十乙:[\"$AWARD\"]" ;;
    均不列入) want="九:[\"$AWARD\"]|十甲:[]|十乙:[]" ;;
  esac
  if [[ $got == "$want" ]]; then ok; else bad "前10名 tie under ${policy:-the adopted 报告待定}: want $want, got $got $(cat "$WORK/err")"; fi
done

# ── 3: every reading of the five schemes switches, every option scores ──
for r in "$ROOT"/rubrics/2019/xinjiang-*.rubric "$ROOT"/rubrics/2024/rudong-*.rubric; do
  year=$(basename "$(dirname "$r")") name=$(basename "$r" .rubric)
  json="$WORK/$year-$name.json" example="$ROOT/examples/$year/$name.csv"
  example_args "$example"
  params=("${EXARGS[@]}")
  n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$json")
  if [[ $n -ge 1 ]]; then ok; else bad "$r declares no reading"; fi
  while IFS=$'\t' read -r reading option; do
    "$RUBRICC" score "$r" "$example" "${params[@]}" --reading "$reading=$option" -o "$WORK/out.jsonl" >/dev/null 2>"$WORK/err"
    rc=$?
    # 0, or 1 when a 校验 of the bundled example fails; 2 would be a refused run
    if [[ $rc -le 1 && -s $WORK/out.jsonl ]]; then ok; else bad "score $r --reading $reading=$option: exit $rc: $(cat "$WORK/err")"; fi
  done < <(python3 -c '
import json, sys
for r in json.load(open(sys.argv[1])):
    for o in r["options"]:
        print(r["name"], o if isinstance(o, str) else o["name"], sep="\t")' "$json")
  first=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["name"])' "$json")
  "$RUBRICC" score "$r" "$example" "${params[@]}" --reading "$first=没有这个选项" -o "$WORK/out.jsonl" >/dev/null 2>&1
  if [[ $? -eq 2 ]]; then ok; else bad "$r: an unknown option of $first was not refused"; fi
done

finish seed_readings
