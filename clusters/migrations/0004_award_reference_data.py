"""Reference data the award rules read: award forms, their cash multiples and the base
salary, each from the date it came into force. Staff maintain them in the admin."""

import datetime
from decimal import Decimal

from django.db import migrations

ND152 = "Nghị định 152/2025/NĐ-CP, Điều 50–54"
FORMS = [
    # code, name, level, position, multiple under NĐ 152/2025 (from 01/07/2025)
    ("co-thi-dua-tinh", "Cờ thi đua của Ủy ban nhân dân tỉnh", "provincial_flag", 1, "8.0"),
    (
        "bang-khen-tinh",
        "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        "merit_certificate",
        2,
        "3.0",
    ),
    ("co-thi-dua-chinh-phu", "Cờ thi đua của Chính phủ", "government_flag", 0, "12.0"),
    ("tap-the-lao-dong-xuat-sac", "Tập thể lao động xuất sắc", "other", 3, "1.5"),
]
BASE_SALARIES = [
    (datetime.date(2019, 7, 1), 1_490_000, "Nghị định 38/2019/NĐ-CP"),
    (datetime.date(2023, 7, 1), 1_800_000, "Nghị định 24/2023/NĐ-CP"),
    (datetime.date(2024, 7, 1), 2_340_000, "Nghị định 73/2024/NĐ-CP"),
]


def load(apps, schema_editor):
    AwardForm = apps.get_model("clusters", "AwardForm")
    CashMultiple = apps.get_model("clusters", "CashMultiple")
    BaseSalary = apps.get_model("clusters", "BaseSalary")
    for code, name, level, position, multiple in FORMS:
        form, _created = AwardForm.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "position": position}
        )
        CashMultiple.objects.get_or_create(
            award_form=form,
            valid_from=datetime.date(2025, 7, 1),
            defaults={"multiple": Decimal(multiple), "legal_basis": ND152},
        )
    for valid_from, amount, basis in BASE_SALARIES:
        BaseSalary.objects.get_or_create(
            valid_from=valid_from, defaults={"amount": amount, "legal_basis": basis}
        )


class Migration(migrations.Migration):
    dependencies = [("clusters", "0003_awards")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
