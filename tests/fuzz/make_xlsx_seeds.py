#!/usr/bin/env python3
"""Writes the fuzz_xlsx seed corpus (corpus/xlsx/*.xlsx): tiny hand-written
workbooks with just the parts XlsxReader reads (workbook, its relationships,
shared strings, sheets). Members are stored uncompressed (ZIP_STORED) so that
libFuzzer's mutations land in the XML rather than in deflate data; one seed is
deflated so the inflate path is covered too. Re-run after changing it:
    python3 tests/fuzz/make_xlsx_seeds.py
"""
import os
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus", "xlsx")
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
PNS = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'
WS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"


def workbook(sheets):
    entries = "".join(f'<sheet name="{n}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, n in enumerate(sheets))
    rels = "".join(f'<Relationship Id="rId{i + 1}" Type="{WS}" Target="worksheets/sheet{i + 1}.xml"/>'
                   for i in range(len(sheets)))
    return (f'<?xml version="1.0" encoding="UTF-8"?><workbook {NS} {RNS}><sheets>{entries}</sheets></workbook>',
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships {PNS}>{rels}</Relationships>')


def shared(strings):
    items = "".join(f"<si><t>{s}</t></si>" for s in strings)
    return f'<?xml version="1.0" encoding="UTF-8"?><sst {NS} count="{len(strings)}">{items}</sst>'


def sheet(rows):
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><sheetData>{rows}</sheetData></worksheet>'


def write(name, sheets, strings, compression=zipfile.ZIP_STORED):
    wb, rels = workbook([n for n, _ in sheets])
    members = [("xl/workbook.xml", wb), ("xl/_rels/workbook.xml.rels", rels)]
    if strings:
        members.append(("xl/sharedStrings.xml", shared(strings)))
    members += [(f"xl/worksheets/sheet{i + 1}.xml", sheet(rows)) for i, (_, rows) in enumerate(sheets)]
    with zipfile.ZipFile(os.path.join(OUT, name), "w") as z:
        for member, text in members:
            # A fixed timestamp: re-running the script gives the same bytes.
            info = zipfile.ZipInfo(member, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = compression
            z.writestr(info, text)


os.makedirs(OUT, exist_ok=True)
# Shared strings, numbers, a boolean, a blank row, a skipped column.
write("shared.xlsx", [("名单", '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
                               '<c r="C1" t="s"><v>2</v></c></row>'
                               '<row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2"><v>12.5</v></c>'
                               '<c r="C2" t="b"><v>1</v></c></row>'
                               '<row r="3"/>'
                               '<row r="4"><c r="A4" t="s"><v>4</v></c><c r="C4" t="b"><v>0</v></c></row>')],
      ["姓名", "得分", "是否", "甲", "乙"])
# Inline strings, rows and cells without r (positions by order), phonetic runs.
write("inline.xlsx", [("Sheet1", '<row><c t="inlineStr"><is><t>姓名</t></is></c><c t="str"><v>比例</v></c></row>'
                                 '<row><c t="inlineStr"><is><r><t>张</t></r><r><t>三</t></r>'
                                 '<rPh><t>ちょう</t></rPh></is></c><c><v>0.85</v></c></row>'
                                 '<row r="9"><c r="AB9"><v>1E-3</v></c></row>')],
      [])
# Two sheets (the first is read unless one is named); deflated members.
write("two_sheets.xlsx", [("说明", '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'),
                          ("数据", '<row r="1"><c r="A1" t="s"><v>1</v></c></row>'
                                   '<row r="2"><c r="A2"><v>3</v></c></row>')],
      ["说明文字", "件数"], zipfile.ZIP_DEFLATED)
