"""The "Căn cứ" lines a document cites, by its date: checked day by day against the
periods of domain.md §2.1."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports import legal_basis

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)


def _days(start: datetime.date, end: datetime.date):
    day = start
    while day <= end:
        yield day
        day += ONE_DAY


def _expected_decree(day: datetime.date) -> str | None:
    """Written as the periods read, independently of the table in legal_basis."""
    if day < D(2017, 9, 15):
        return None
    if day <= D(2023, 12, 31):
        return "91/2017/NĐ-CP"
    if day <= D(2025, 6, 30):
        return "98/2023/NĐ-CP"
    return "152/2025/NĐ-CP"


def _expected_law(day: datetime.date) -> str:
    if day < D(2014, 6, 1):
        return "2005"
    if day < D(2024, 1, 1):
        return "2013"
    return "06/2022/QH15"


def _expected_local_law(day: datetime.date) -> str:
    if day < D(2020, 7, 1):
        return "ngày 19 tháng 6 năm 2015"
    if day < D(2025, 3, 1):
        return "22 tháng 11 năm 2019"
    if day < D(2025, 6, 16):
        return "65/2025/QH15"
    return "72/2025/QH15"


def test_every_day_from_2016_to_2030_cites_the_instruments_then_in_force():
    for day in _days(D(2016, 1, 1), D(2030, 12, 31)):
        law, *rest = legal_basis.emulation_bases(day)
        assert _expected_law(day) in law, day
        decree = _expected_decree(day)
        if decree is None:
            assert rest == [], day
        else:
            assert len(rest) == 1 and decree in rest[0], day
        local = legal_basis.decision_bases(day)[0]
        assert local.startswith("Luật Tổ chức chính quyền địa phương"), day
        assert _expected_local_law(day) in local, day


@pytest.mark.parametrize(
    ("day", "law", "decree"),
    [
        (D(2023, 12, 31), "ngày 26 tháng 11 năm 2003", "Nghị định số 91/2017/NĐ-CP"),
        (D(2024, 1, 1), "số 06/2022/QH15", "Nghị định số 98/2023/NĐ-CP"),
        (D(2025, 6, 30), "số 06/2022/QH15", "Nghị định số 98/2023/NĐ-CP"),
        (D(2025, 7, 1), "số 06/2022/QH15", "Nghị định số 152/2025/NĐ-CP"),
    ],
)
def test_the_law_and_decree_change_on_their_first_day(day, law, decree):
    bases = legal_basis.emulation_bases(day)
    assert law in bases[0]
    assert bases[1].startswith(decree)


def test_the_2022_law_never_goes_with_the_2017_decree():
    for day in _days(D(2017, 9, 15), D(2027, 12, 31)):
        law, decree = legal_basis.emulation_bases(day)
        assert ("06/2022/QH15" in law) == ("91/2017" not in decree), day


def test_a_day_before_every_entry_cites_nothing_of_that_family():
    assert legal_basis.in_force(legal_basis.DECREES, D(2017, 9, 14)) is None
    assert legal_basis.in_force(legal_basis.LOCAL_GOVERNMENT_LAWS, D(2015, 12, 31)) is None
    assert legal_basis.decision_bases(D(2004, 1, 1)) == []


@pytest.mark.parametrize(
    "family",
    [legal_basis.EMULATION_LAWS, legal_basis.DECREES, legal_basis.LOCAL_GOVERNMENT_LAWS],
)
def test_each_family_is_listed_oldest_first(family):
    days = [valid_from for valid_from, _text in family]
    assert days == sorted(days) and len(set(days)) == len(days)


def test_basis_lines_end_with_a_semicolon_and_the_last_with_a_full_stop():
    assert legal_basis.basis_lines(["Luật A", "Nghị định B"]) == [
        "Căn cứ Luật A;",
        "Căn cứ Nghị định B.",
    ]
    assert legal_basis.basis_lines(["Luật A"], closing="Theo đề nghị của Giám đốc Sở Nội vụ") == [
        "Căn cứ Luật A;",
        "Theo đề nghị của Giám đốc Sở Nội vụ.",
    ]
    assert legal_basis.basis_lines([]) == []


@given(st.dates(min_value=D(2018, 1, 1), max_value=D(2100, 12, 31)))
def test_a_decision_always_cites_three_instruments_in_the_same_order(day):
    lines = legal_basis.basis_lines(legal_basis.decision_bases(day), closing="Theo đề nghị")
    assert len(lines) == 4
    assert lines[0].startswith("Căn cứ Luật Tổ chức chính quyền địa phương")
    assert lines[1].startswith("Căn cứ Luật Thi đua, khen thưởng")
    assert lines[2].startswith("Căn cứ Nghị định số ")
    assert [line[-1] for line in lines] == [";", ";", ";", "."]
