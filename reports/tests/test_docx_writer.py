"""The shared Word writer: NĐ 30 page, fonts, header, tables that repeat their header
row and never split a row, signatures, "Nơi nhận" and page numbers from page 2."""

import io

import docx
from docx.oxml.ns import qn
from docx.shared import Pt

from reports import docx_writer as w

SNAPSHOT = {
    "meta": {"title": "Biên bản hội nghị", "author": "Cụm thi đua số 3"},
    "header": {"parent": "UBND TỈNH ĐỒNG THÁP", "name": "Cụm thi đua số 3"},
    "symbol": "BB-CTĐ3",
    "number": 2,
    "place": "Tân Hồng",
    "date": "2022-07-26",
    "title": "Biên bản",
    "summary": "Hội nghị sơ kết 6 tháng đầu năm 2022 Cụm thi đua số 3",
    "signatures": [
        {"authority": "", "role": "THƯ KÝ", "position": "", "name": "Trần Thị Bé"},
        {
            "authority": "",
            "role": "CHỦ TỌA",
            "position": "CHỦ TỊCH UBND HUYỆN TÂN HỒNG",
            "name": "Nguyễn Văn Ặ",
        },
    ],  # fmt: skip
    "recipients": ["Sở Nội vụ", "Các đơn vị thành viên", "Lưu: VT, Hồ sơ"],
}


def _write(snapshot=SNAPSHOT, rows=3):
    doc = w.new_document(snapshot)
    w.add_header(doc, snapshot)
    w.add_title(doc, snapshot)
    w.add_heading(doc, "1. Kết quả")
    w.add_paragraphs(doc, ["Đoạn thứ nhất.", "Đoạn thứ hai ờ ữ Ứ Đ ỹ."])
    w.add_table(
        doc,
        ["STT", "Đơn vị", "Tổng điểm"],
        [[str(i), f"Huyện {i}", "912,50"] for i in range(1, rows + 1)],
        widths=[1.5, 11, 4],
        align=["center", "left", "right"],
    )
    w.add_signatures(doc, snapshot)
    return docx.Document(io.BytesIO(w.to_bytes(doc)))


def _mm(*lengths) -> tuple:
    """Lengths in whole millimetres (Word stores twentieths of a point)."""
    return tuple(round(length.mm, 1) for length in lengths)


def _texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs if p.text.strip()]


def _cell_texts(table) -> list[str]:
    return [p.text for cell in table._cells for p in cell.paragraphs if p.text.strip()]


def test_the_page_is_a4_with_the_decree_margins():
    section = _write().sections[0]
    assert _mm(section.page_width, section.page_height) == (210, 297)
    assert _mm(section.top_margin, section.bottom_margin) == (20, 20)
    assert _mm(section.left_margin, section.right_margin) == (30, 15)


def test_landscape_pages_swap_the_sides():
    section = w.new_document(SNAPSHOT, landscape=True).sections[0]
    assert _mm(section.page_width, section.page_height) == (297, 210)


def test_the_body_is_times_new_roman_14_in_vietnamese():
    doc = _write()
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size == Pt(14)
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert {fonts.get(qn(f"w:{k}")) for k in ("ascii", "hAnsi", "cs", "eastAsia")} == {
        "Times New Roman"
    }
    assert normal.element.rPr.find(qn("w:lang")).get(qn("w:val")) == "vi-VN"
    assert doc.core_properties.title == "Biên bản hội nghị"
    assert doc.core_properties.author == "Cụm thi đua số 3"
    assert doc.core_properties.language == "vi-VN"


def test_the_title_summary_and_body_come_in_order_with_the_decree_formatting():
    doc = _write()
    texts = _texts(doc)
    assert texts[:5] == [
        "BIÊN BẢN",
        "Hội nghị sơ kết 6 tháng đầu năm 2022 Cụm thi đua số 3",
        "1. Kết quả",
        "Đoạn thứ nhất.",
        "Đoạn thứ hai ờ ữ Ứ Đ ỹ.",
    ]
    title = next(p for p in doc.paragraphs if p.text == "BIÊN BẢN")
    assert title.runs[0].bold and title.alignment == 1  # centred
    body = next(p for p in doc.paragraphs if p.text == "Đoạn thứ nhất.")
    assert body.alignment == 3  # justified
    assert _mm(body.paragraph_format.first_line_indent) == (10,)
    assert body.paragraph_format.space_after == Pt(6)


def test_the_header_has_no_borders_and_the_decree_lines():
    doc = _write()
    header = doc.tables[0]
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}
    left, right = header.rows[0].cells
    assert [p.text for p in left.paragraphs if p.text] == [
        "UBND TỈNH ĐỒNG THÁP",
        "CỤM THI ĐUA SỐ 3",
        "Số: 02/BB-CTĐ3",
    ]
    name = next(p for p in left.paragraphs if p.text == "CỤM THI ĐUA SỐ 3")
    assert name.runs[0].bold
    lines = {p.text: p for p in right.paragraphs if p.text}
    assert list(lines) == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Tân Hồng, ngày 26 tháng 7 năm 2022",
    ]
    slogan = lines["Độc lập - Tự do - Hạnh phúc"].runs[0]
    assert slogan.bold and slogan.underline
    assert lines["Tân Hồng, ngày 26 tháng 7 năm 2022"].runs[0].italic
    assert lines["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"].runs[0].bold


def test_minutes_have_no_place_date_line_and_a_draft_prints_dots_for_the_number():
    snapshot = {**SNAPSHOT, "number": None, "no_header_date": True}
    left, right = _write(snapshot).tables[0].rows[0].cells
    assert "Số: …/BB-CTĐ3" in [p.text for p in left.paragraphs]
    assert not any("ngày" in p.text for p in right.paragraphs)


def test_data_tables_repeat_their_header_row_and_never_split_a_row():
    table = _write(rows=40).tables[1]
    first, *others = table.rows
    assert first._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    assert all(row._tr.trPr.find(qn("w:tblHeader")) is None for row in others)
    assert [c.text for c in first.cells] == ["STT", "Đơn vị", "Tổng điểm"]
    assert [c.text for c in others[-1].cells] == ["40", "Huyện 40", "912,50"]
    assert others[0].cells[2].paragraphs[0].alignment == 2  # numbers to the right
    assert first.cells[0].paragraphs[0].runs[0].bold
    assert first.cells[0].paragraphs[0].runs[0].font.size == Pt(12)


def test_two_signatures_side_by_side_and_the_recipients_below():
    doc = _write()
    signatures = doc.tables[2]
    left, right = signatures.rows[0].cells
    assert [p.text for p in left.paragraphs if p.text] == ["THƯ KÝ", "Trần Thị Bé"]
    assert [p.text for p in right.paragraphs if p.text] == [
        "CHỦ TỌA",
        "CHỦ TỊCH UBND HUYỆN TÂN HỒNG",
        "Nguyễn Văn Ặ",
    ]
    texts = _texts(doc)
    assert texts[-4:] == [
        "Nơi nhận:",
        "- Sở Nội vụ;",
        "- Các đơn vị thành viên;",
        "- Lưu: VT, Hồ sơ.",
    ]
    label = next(p for p in doc.paragraphs if p.text == "Nơi nhận:").runs[0]
    assert label.bold and label.italic and label.font.size == Pt(12)
    entry = next(p for p in doc.paragraphs if p.text == "- Sở Nội vụ;").runs[0]
    assert entry.font.size == Pt(11)


def test_one_signature_has_the_recipients_on_its_left():
    snapshot = {
        **SNAPSHOT,
        "signatures": [
            {"authority": "TM. CỤM THI ĐUA SỐ 3", "role": "CỤM TRƯỞNG",
             "position": "CHỦ TỊCH UBND HUYỆN TÂN HỒNG", "name": "Nguyễn Văn Ặ"}
        ],
    }  # fmt: skip
    doc = _write(snapshot)
    recipients, sign = doc.tables[2].rows[0].cells
    assert [p.text for p in recipients.paragraphs][:2] == ["Nơi nhận:", "- Sở Nội vụ;"]
    assert [p.text for p in sign.paragraphs if p.text] == [
        "TM. CỤM THI ĐUA SỐ 3",
        "CỤM TRƯỞNG",
        "CHỦ TỊCH UBND HUYỆN TÂN HỒNG",
        "Nguyễn Văn Ặ",
    ]
    assert "Nơi nhận:" not in _texts(doc)


def test_page_numbers_are_centred_in_the_header_from_page_two():
    section = _write().sections[0]
    assert section.different_first_page_header_footer
    assert not "".join(p.text for p in section.first_page_header.paragraphs).strip()
    paragraph = section.header.paragraphs[0]
    assert paragraph.alignment == 1
    instructions = [e.text for e in paragraph._p.iter(qn("w:instrText"))]
    assert instructions == [" PAGE "]
    kinds = [e.get(qn("w:fldCharType")) for e in paragraph._p.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"]
