"""The province's progress table: which steps of the year every cluster and bloc has done."""

from django.shortcuts import render

from .. import progress as progress_data
from .units import _get_province_for_user


def progress(request, year):
    """For staff and leaders of the province; a 404 for everyone else."""
    province = _get_province_for_user(request)
    rows = progress_data.province_progress(province, year)
    totals = [
        sum(1 for row in rows if row.steps[index].done) for index in range(len(progress_data.STEPS))
    ]
    missed = sum(1 for row in rows for step in row.steps if step.status == "missed")
    return render(
        request,
        "clusters/progress.html",
        {
            "province": province,
            "year": year,
            "rows": rows,
            "steps": progress_data.STEPS,
            "totals": totals,
            "missed": missed,
            "six_month_due": progress_data.SIX_MONTH_REVIEW_DUE,
            "previous_year": year - 1,
            "next_year": year + 1,
        },
    )
