import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from reports import layout


def test_document_number_zero_pads_below_ten():
    assert layout.document_number(2, "BB-CTĐ3") == "02/BB-CTĐ3"
    assert layout.document_number(10, "TTr-CTĐ3") == "10/TTr-CTĐ3"
    assert layout.document_number(125, "BC-SNV") == "125/BC-SNV"


def test_a_draft_number_is_left_blank():
    assert layout.document_number(None, "BB-CTĐ3") == "…/BB-CTĐ3"


def test_date_words_pad_days_below_ten_and_months_one_and_two():
    assert layout.date_words(datetime.date(2026, 1, 5)) == "ngày 05 tháng 01 năm 2026"
    assert layout.date_words(datetime.date(2023, 2, 20)) == "ngày 20 tháng 02 năm 2023"
    assert layout.date_words(datetime.date(2022, 7, 26)) == "ngày 26 tháng 7 năm 2022"
    assert layout.date_words(datetime.date(2022, 12, 9)) == "ngày 09 tháng 12 năm 2022"


def test_place_date_line():
    assert layout.place_date("Tân Hồng", datetime.date(2022, 7, 26)) == (
        "Tân Hồng, ngày 26 tháng 7 năm 2022"
    )
    assert layout.place_date("Đồng Tháp", None) == "Đồng Tháp, ngày … tháng … năm …"


@given(st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_date_words_round_trip(day):
    words = layout.date_words(day).split()
    assert (int(words[1]), int(words[3]), int(words[5])) == (day.day, day.month, day.year)
    assert len(words[1]) == 2
    assert len(words[3]) == (2 if day.month <= 2 else len(str(day.month)))


def test_vn_number():
    assert layout.vn_number(Decimal("912.5")) == "912,5"
    assert layout.vn_number(Decimal("912.5"), places=2) == "912,50"
    assert layout.vn_number(11700000) == "11.700.000"
    assert layout.vn_number(Decimal("-1234.25")) == "-1.234,25"
    assert layout.vn_number(0) == "0"
    assert layout.vn_number(None) == ""


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_vn_number_reads_back(value):
    text = layout.vn_number(value, places=2)
    assert Decimal(text.replace(".", "").replace(",", ".")) == value


def test_percent():
    assert layout.percent(6, 9) == "66,67%"
    assert layout.percent(9, 9) == "100%"
    assert layout.percent(1, 2) == "50%"
    assert layout.percent(1, 0) == ""


def test_header_lines():
    snapshot = {"symbol": "BB-CTĐ3", "number": 2, "place": "Tân Hồng", "date": "2022-07-26"}
    assert layout.header_lines(snapshot) == ("02/BB-CTĐ3", "Tân Hồng, ngày 26 tháng 7 năm 2022")
    assert layout.header_lines({**snapshot, "number_text": "215/QĐ-UBND"})[0] == "215/QĐ-UBND"
    assert layout.header_lines({**snapshot, "date": None})[1] == "Tân Hồng, ngày … tháng … năm …"
    assert layout.header_lines({**snapshot, "no_header_date": True})[1] == ""
