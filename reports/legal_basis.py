"""Which laws and decrees a document cites in its "Căn cứ" lines: those in force on the
document's date (domain.md §2.1). Pure functions, no ORM.

Each instrument family is a list of (in force from, how a document cites it), oldest
first; the citation is the last one in force on the day. A day before the first entry
cites nothing of that family (the system holds no older documents).
"""

import datetime
from collections.abc import Sequence

Dated = Sequence[tuple[datetime.date, str]]

# Luật Thi đua, khen thưởng: the 2003 law with its amendments until 2023, then Law
# 06/2022/QH15 (in force 01/01/2024).
EMULATION_LAWS: Dated = (
    (
        datetime.date(2005, 7, 1),
        "Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003; Luật sửa đổi, bổ sung một số "
        "điều của Luật Thi đua, khen thưởng ngày 14 tháng 6 năm 2005",
    ),
    (
        datetime.date(2014, 6, 1),
        "Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003; Luật sửa đổi, bổ sung một số "
        "điều của Luật Thi đua, khen thưởng ngày 14 tháng 6 năm 2005 và ngày 16 tháng 11 "
        "năm 2013",
    ),
    (
        datetime.date(2024, 1, 1),
        "Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022",
    ),
)

# The Government's decree detailing the law: NĐ 91/2017 (to 31/12/2023), NĐ 98/2023
# (01/01/2024 – 30/06/2025), NĐ 152/2025 (from 01/07/2025).
DECREES: Dated = (
    (
        datetime.date(2017, 9, 15),
        "Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ quy định chi tiết "
        "thi hành một số điều của Luật Thi đua, khen thưởng",
    ),
    (
        datetime.date(2024, 1, 1),
        "Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết "
        "thi hành một số điều của Luật Thi đua, khen thưởng",
    ),
    (
        datetime.date(2025, 7, 1),
        "Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định về phân "
        "cấp, phân quyền trong lĩnh vực thi đua, khen thưởng; quy định chi tiết và hướng dẫn "
        "thi hành một số điều của Luật Thi đua, khen thưởng",
    ),
)

# Luật Tổ chức chính quyền địa phương, cited by the provincial chairman's decisions: the
# 2015 law (amended in 2019), Law 65/2025/QH15 (from 01/03/2025), then Law 72/2025/QH15
# (from 16/06/2025; no district level from 01/07/2025).
LOCAL_GOVERNMENT_LAWS: Dated = (
    (
        datetime.date(2016, 1, 1),
        "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015",
    ),
    (
        datetime.date(2020, 7, 1),
        "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung "
        "một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày "
        "22 tháng 11 năm 2019",
    ),
    (
        datetime.date(2025, 3, 1),
        "Luật Tổ chức chính quyền địa phương số 65/2025/QH15 ngày 19 tháng 02 năm 2025",
    ),
    (
        datetime.date(2025, 6, 16),
        "Luật Tổ chức chính quyền địa phương số 72/2025/QH15 ngày 16 tháng 6 năm 2025",
    ),
)


def in_force(instruments: Dated, day: datetime.date) -> str | None:
    """The citation of the instrument of the family in force on `day`, or None."""
    found = None
    for valid_from, citation in instruments:
        if valid_from <= day:
            found = citation
    return found


def emulation_bases(day: datetime.date) -> list[str]:
    """The law and the decree on emulation and commendation in force on `day`."""
    return [text for text in (in_force(EMULATION_LAWS, day), in_force(DECREES, day)) if text]


def decision_bases(day: datetime.date) -> list[str]:
    """A provincial chairman's award decision: the local-government law, then the law
    and the decree on emulation and commendation."""
    local = in_force(LOCAL_GOVERNMENT_LAWS, day)
    return ([local] if local else []) + emulation_bases(day)


def basis_lines(bases: Sequence[str], *, closing: str = "") -> list[str]:
    """ "Căn cứ …;" lines as NĐ 30 prints them, the last one ending in "."; `closing`
    ("Theo đề nghị của …") comes last without "Căn cứ"."""
    lines = [f"Căn cứ {text}" for text in bases]
    if closing:
        lines.append(closing)
    return [line + ("." if index == len(lines) - 1 else ";") for index, line in enumerate(lines)]
