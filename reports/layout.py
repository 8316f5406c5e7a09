"""Pure formatting rules of Nghị định 30/2020/NĐ-CP, Phụ lục I (see domain.md §5.1)."""

import datetime
from decimal import Decimal

# Authority prefixes of a signature block (ô 7a).
AUTHORITY_PREFIXES = ("TM.", "KT.", "Q.", "TL.", "TUQ.")


def document_number(number: int | None, symbol: str) -> str:
    """ "02/BB-CTĐ3": numbers below 10 zero-padded; a draft prints dots for the number."""
    if number is None:
        return f"…/{symbol}"
    return f"{number:02d}/{symbol}"


def date_words(day: datetime.date) -> str:
    """ "ngày 05 tháng 01 năm 2026": day below 10 and months 1 and 2 zero-padded."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_date(place: str, day: datetime.date | None) -> str:
    """ "Tân Hồng, ngày 26 tháng 7 năm 2022"; a draft without a date keeps blanks to fill in."""
    if day is None:
        return f"{place}, ngày … tháng … năm …"
    return f"{place}, {date_words(day)}"


def vn_number(value, places: int | None = None) -> str:
    """1234567.5 → "1.234.567,5": dot between thousands, decimal comma, no trailing zeros."""
    if value is None:
        return ""
    value = Decimal(str(value))
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places))
    sign = "-" if value < 0 else ""
    text = f"{abs(value):f}"
    whole, _, fraction = text.partition(".")
    if places is None:
        fraction = fraction.rstrip("0")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    result = sign + ".".join(groups)
    return f"{result},{fraction}" if fraction else result


def percent(part: int, whole: int) -> str:
    """Share of `whole` as Vietnamese users write it: "66,67%"."""
    if not whole:
        return ""
    return vn_number(Decimal(part * 100) / Decimal(whole), places=2).rstrip("0").rstrip(",") + "%"


def header_lines(snapshot: dict) -> tuple[str, str]:
    """The "Số" line (ô 3) and the place and date line (ô 4) of a document's snapshot; the
    minutes (Mẫu 1.9) have no place and date line in their header."""
    number_line = snapshot.get("number_text") or (
        document_number(snapshot.get("number"), snapshot["symbol"])
        if snapshot.get("symbol")
        else ""
    )
    place_date_line = ""
    if snapshot.get("place") and not snapshot.get("no_header_date"):
        day = datetime.date.fromisoformat(snapshot["date"]) if snapshot.get("date") else None
        place_date_line = place_date(snapshot["place"], day)
    return number_line, place_date_line
