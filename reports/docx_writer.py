"""Word (.docx) versions of the documents, in the layout of Nghị định 30/2020/NĐ-CP.

The national e-dossier system asks for Word as well as PDF. These helpers write the
same snapshot the HTML template prints (see reports/kinds.py) with python-docx, so a
kind's ``docx`` function is a few calls::

    from reports import docx_writer as w

    def minutes_docx(snapshot: dict) -> bytes:
        doc = w.new_document(snapshot)
        w.add_header(doc, snapshot)            # number and place/date lines from the snapshot
        w.add_title(doc, snapshot)             # title, summary, short rule (and "Kính gửi:")
        w.add_heading(doc, "1. Thành phần")
        w.add_paragraphs(doc, ["…", "…"])
        w.add_table(doc, ["STT", "Đơn vị", "Tổng điểm"], rows, widths=[1.2, 10, 3],
                    align=["center", "left", "right"])
        w.add_signatures(doc, snapshot)        # with "Nơi nhận" beside or below
        return w.to_bytes(doc)

API (stable; other kinds depend on it):

- ``new_document(snapshot, *, landscape=False) -> Document``: A4, margins top/bottom
  20 mm, left 30 mm, right 15 mm (landscape: 20/20/25/20 like the PDF); "Times New Roman"
  14 pt, Vietnamese language, single line spacing; page number (13 pt) centred in the
  header from page 2 on (different first page + PAGE field); title and author from
  ``snapshot["meta"]``.
- ``layout.header_lines(snapshot) -> (number_line, place_date_line)``: as the HTML prints them
  ("…/BB-CTĐ3" for a draft; the place/date line is "" when ``no_header_date``).
- ``add_header(doc, snapshot, number_line=None, place_date_line=None)``: the two-column
  header table without borders: parent body and issuing body (bold, short rule, "Số: …")
  on the left; national motto (bold), slogan (bold, underlined), place and date (italic)
  on the right. Lines left as None come from ``header_lines``.
- ``add_title(doc, snapshot)``: bold upper-case title, bold summary, short rule, then
  "Kính gửi: …" when the snapshot has ``kinh_gui``.
- ``add_heading(doc, text)``: a bold body heading ("1. …", "Điều 1.").
- ``add_paragraph(doc, text, *, bold=False, italic=False, align="justify", indent=True,
  size=None) -> Paragraph`` and ``add_paragraphs(doc, texts, **same)``: justified body
  paragraphs, first-line indent 1 cm, 6 pt after. ``align``: "justify", "left", "center",
  "right". A text may be a list of (text, {"bold": …, "italic": …}) runs.
- ``add_table(doc, headers, rows, widths=None, *, align=None, size=12) -> Table``: a data
  table with borders; the header row repeats on every page (w:tblHeader) and no row splits
  across pages (w:cantSplit). ``widths`` in cm; ``align`` one of "left"/"center"/"right"
  per column. Cells are strings (None prints empty).
- ``add_signatures(doc, snapshot, *, per_row=3)``: ``snapshot["signatures"]`` as a
  borderless table (authority, role, position upper-case bold; space to sign; name bold).
  With one block the "Nơi nhận" list is printed on its left, as NĐ 30 places it; with
  several blocks (THƯ KÝ left, CHỦ TỌA right) side by side, at most ``per_row`` to a row
  (a tally committee of five signs on two rows), and the recipients below.
- ``add_recipients(doc, recipients, container=None)``: "Nơi nhận:" 12 pt bold italic, entries
  11 pt "- …;" with a final ".".
- ``add_page_break(doc)``: e.g. before an annex.
- ``to_bytes(doc) -> bytes``.

Sizes are the decree's: motto 13 pt, issuing body 13 pt, "Số" 13 pt, place/date 14 pt
italic, title and summary 14 pt bold, body 14 pt, tables 12 pt, page number 13 pt.
"""

import datetime
import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from . import layout

FONT = "Times New Roman"
BODY_SIZE = 14
TEXT_WIDTH_CM = 21.0 - 3.0 - 1.5  # A4 portrait between the margins
ALIGN = {
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


def _set_run_font(run, *, size=None, bold=None, italic=None, underline=None):
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold
    if italic is not None:
        run.font.italic = italic
    if underline is not None:
        run.font.underline = underline


def _fonts_element(rpr):
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    return fonts


def new_document(snapshot: dict, *, landscape: bool = False) -> Document:
    doc = Document()
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin = section.bottom_margin = Mm(20)
        section.left_margin, section.right_margin = Mm(25), Mm(20)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin = section.bottom_margin = Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)

    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_SIZE)
    rpr = normal.element.get_or_add_rPr()
    _fonts_element(rpr)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    lang.set(qn("w:eastAsia"), "vi-VN")
    rpr.append(lang)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0

    # Page numbers: centred at the top from page 2 on; the first page's header is empty.
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _add_page_field(paragraph)

    meta = snapshot.get("meta", {})
    properties = doc.core_properties
    properties.title = meta.get("title", "")
    properties.author = meta.get("author", "")
    properties.language = "vi-VN"
    properties.last_modified_by = meta.get("author", "")
    properties.revision = 1
    created = meta.get("created")
    day = (
        datetime.datetime.fromisoformat(created)
        if created
        else datetime.datetime.fromisoformat(snapshot["date"])
        if snapshot.get("date")
        else datetime.datetime(2000, 1, 1)
    ).replace(tzinfo=None)
    properties.created = properties.modified = day
    return doc


def _add_page_field(paragraph):
    run = paragraph.add_run()
    _set_run_font(run, size=13)
    for kind, text in (
        ("begin", None),
        (None, " PAGE "),
        ("separate", None),
        (None, "2"),
        ("end", None),
    ):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == " PAGE ":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)


def _no_borders(table):
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _fixed_widths(table, widths_cm):
    table.autofit = False
    layout_element = OxmlElement("w:tblLayout")
    layout_element.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout_element)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=False):
            cell.width = Cm(width)
    for column, width in zip(table.columns, widths_cm, strict=False):
        column.width = Cm(width)


def _cell_line(
    cell,
    text,
    *,
    first=False,
    size=BODY_SIZE,
    bold=False,
    italic=False,
    underline=False,
    align="center",
    space_after=0,
):
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = ALIGN[align]
    paragraph.paragraph_format.space_after = Pt(space_after)
    paragraph.paragraph_format.first_line_indent = Cm(0)
    if text:
        run = paragraph.add_run(text)
        _set_run_font(run, size=size, bold=bold, italic=italic, underline=underline)
    return paragraph


def _short_rule(paragraph, width_cm, line_width_cm):
    """A short centred line: a bottom border on an otherwise empty, indented paragraph."""
    side = max((width_cm - line_width_cm) / 2, 0)
    paragraph.paragraph_format.left_indent = Cm(side)
    paragraph.paragraph_format.right_indent = Cm(side)
    ppr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    ppr.append(border)
    # A rule line takes little height.
    run = paragraph.add_run()
    _set_run_font(run, size=4)


def add_header(
    doc, snapshot: dict, number_line: str | None = None, place_date_line: str | None = None
):
    default_number, default_place = layout.header_lines(snapshot)
    number_line = default_number if number_line is None else number_line
    place_date_line = default_place if place_date_line is None else place_date_line
    width = _text_width(doc)
    left, right = round(width * 0.38, 2), round(width * 0.62, 2)
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _fixed_widths(table, [left, right])
    issuer, motto = table.rows[0].cells
    header = snapshot.get("header", {})
    first = True
    if header.get("parent"):
        _cell_line(issuer, header["parent"].upper(), first=True, size=13)
        first = False
    _cell_line(issuer, header.get("name", "").upper(), first=first, size=13, bold=True)
    _short_rule(issuer.add_paragraph(), left, left / 3)
    if number_line:
        _cell_line(issuer, f"Số: {number_line}", size=13).paragraph_format.space_before = Pt(6)
    _cell_line(motto, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", first=True, size=12.5, bold=True)
    _cell_line(motto, "Độc lập - Tự do - Hạnh phúc", size=13.5, bold=True, underline=True)
    if place_date_line:
        _cell_line(motto, place_date_line, size=14, italic=True).paragraph_format.space_before = Pt(
            12
        )
    doc.add_paragraph().paragraph_format.space_after = Pt(6)
    return table


def _text_width(doc) -> float:
    section = doc.sections[-1]
    return round((section.page_width - section.left_margin - section.right_margin) / 360000, 2)


def add_title(doc, snapshot: dict):
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(6)
    _set_run_font(title.add_run(snapshot.get("title", "").upper()), size=14, bold=True)
    if snapshot.get("summary"):
        summary = doc.add_paragraph()
        summary.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _set_run_font(summary.add_run(snapshot["summary"]), size=14, bold=True)
    width = _text_width(doc)
    rule = doc.add_paragraph()
    _short_rule(rule, width, width * 0.3)
    rule.paragraph_format.space_after = Pt(12)
    if snapshot.get("kinh_gui"):
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(12)
        _set_run_font(paragraph.add_run(f"Kính gửi: {snapshot['kinh_gui']}"), size=14)
    return title


def add_paragraph(doc, text, *, bold=False, italic=False, align="justify", indent=True, size=None):
    """A body paragraph; `text` is a string or a list of (text, {"bold":…, "italic":…}) runs."""
    paragraph = doc.add_paragraph()
    paragraph.alignment = ALIGN[align]
    paragraph.paragraph_format.first_line_indent = Cm(1) if indent else Cm(0)
    paragraph.paragraph_format.space_after = Pt(6)
    runs = [(text, {})] if isinstance(text, str) else text
    for part, style in runs:
        run = paragraph.add_run(part)
        _set_run_font(
            run,
            size=size,
            bold=style.get("bold", bold) or None,
            italic=style.get("italic", italic) or None,
        )
    return paragraph


def add_paragraphs(doc, texts, **options):
    return [add_paragraph(doc, text, **options) for text in texts]


def add_heading(doc, text: str):
    return add_paragraph(doc, text, bold=True)


def _table_row_flags(row, *, header=False):
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))
    if header:
        trpr.append(OxmlElement("w:tblHeader"))


def add_table(doc, headers, rows, widths=None, *, align=None, size=12):
    """A bordered data table; widths in cm (default: equal shares of the text width)."""
    columns = len(headers)
    widths = widths or [_text_width(doc) / columns] * columns
    align = align or ["left"] * columns
    table = doc.add_table(rows=1 + len(rows), cols=columns)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed_widths(table, widths)
    for index, row in enumerate(table.rows):
        _table_row_flags(row, header=index == 0)
        values = headers if index == 0 else rows[index - 1]
        for column, (cell, value) in enumerate(zip(row.cells, values, strict=False)):
            _cell_line(
                cell,
                "" if value is None else str(value),
                first=True,
                size=size,
                bold=index == 0,
                align="center" if index == 0 else align[column],
            )
    doc.add_paragraph().paragraph_format.space_after = Pt(0)
    return table


def add_recipients(doc, recipients, container=None):
    """ "Nơi nhận:" then "- …;" lines, the last ending with "."; into a table cell if given."""
    target = container if container is not None else doc
    first = container is not None
    label = target.paragraphs[0] if first else target.add_paragraph()
    label.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _set_run_font(label.add_run("Nơi nhận:"), size=12, bold=True, italic=True)
    for index, line in enumerate(recipients):
        end = "." if index == len(recipients) - 1 else ";"
        paragraph = target.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
        _set_run_font(paragraph.add_run(f"- {line}{end}"), size=11)
    return label


def add_signatures(doc, snapshot: dict, *, per_row: int = 3):
    signs = snapshot.get("signatures", [])
    recipients = snapshot.get("recipients", [])
    if not signs:
        return None
    width = _text_width(doc)
    beside = bool(recipients) and len(signs) == 1
    doc.add_paragraph().paragraph_format.space_after = Pt(6)
    if beside:
        table = doc.add_table(rows=1, cols=2)
        _fixed_widths(table, [width * 0.45, width * 0.55])
        chunks = [signs]
    else:
        chunks = [signs[i : i + per_row] for i in range(0, len(signs), per_row)]
        columns = len(chunks[0])
        table = doc.add_table(rows=len(chunks), cols=columns)
        _fixed_widths(table, [width / columns] * columns)
    _no_borders(table)
    for row, chunk in zip(table.rows, chunks, strict=True):
        _table_row_flags(row)  # a signature block never splits from its name
        cells = list(row.cells)
        if beside:
            add_recipients(doc, recipients, container=cells.pop(0))
        for cell, sign in zip(cells, chunk, strict=False):
            first = True
            for key in ("authority", "role", "position"):
                if sign.get(key):
                    _cell_line(cell, sign[key].upper(), first=first, size=14, bold=True)
                    first = False
            for _ in range(4):  # room to sign and seal
                _cell_line(cell, "", first=first)
                first = False
            _cell_line(cell, sign.get("name", ""), size=14, bold=True)
        # Keep the paragraphs of the block together with the table row.
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
    if recipients and not beside:
        doc.add_paragraph().paragraph_format.space_after = Pt(6)
        add_recipients(doc, recipients)
    return table


def add_page_break(doc):
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def to_bytes(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
