"""Every table as an .xlsx or CSV download (`fmt` in the URL), with the same access
checks as its page: the ranking of a period and of the province's year, the agreed
grid with its totals, the award lists (a decision's recipients, the year's awards, a
unit's awards) and the progress table. clusters.exports writes the files.
"""

from django.http import Http404
from django.utils.translation import gettext as _

from .. import progress as progress_data
from .. import ranking as ranking_data
from .. import scoring, selectors
from ..exports import file_name, table_response
from ..models import AwardRecipient, Criterion
from .decisions import _get_decision_for_user
from .periods import _get_period_for_user
from .units import _get_province_for_user, _get_unit_for_user


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def _amount(value) -> int:
    """Amounts in VND are whole numbers, written as such."""
    return int(value)


def _period_title(period) -> str:
    term = period.cluster_year
    return f"{term.cluster.name} {term.year} {period.get_kind_display()}"


# ---------------------------------------------------------------------------
# Rankings and the agreed grid


def ranking_export(request, pk, fmt):
    """The period's ranking, as the ranking page shows it."""
    period = _get_period_for_user(request, pk)
    data = ranking_data.load_period(period)
    if data.sheet is None:
        raise Http404
    try:
        rows = data.ranking()
    except scoring.ScoreError as e:
        raise Http404(e.message) from e
    groups = data.top_criteria
    headers = [
        _("Rank"),
        _("Unit"),
        *(group.code for group in groups),
        _("Bonus"),
        _("Penalty"),
        _("Final"),
        _("Percent of maximum"),
        _("Band"),
        _("Eligible"),
        _("Flag candidate"),
        _("Tied"),
        _("Veto"),
    ]
    table = [
        [
            row.rank,
            row.result.name,
            *(row.result.group_totals.get(group.code) for group in groups),
            row.result.bonus,
            row.result.penalty,
            row.result.final,
            row.result.percent,
            row.result.band,
            _yes_no(row.result.eligible),
            _yes_no(row.flag_candidate),
            _yes_no(row.tied),
            "; ".join(row.result.veto_reasons),
        ]
        for row in rows
    ]
    term = period.cluster_year
    name = file_name("xep-hang", term.cluster.name, term.year, period.kind)
    return table_response(name, headers, table, fmt, title=_("Ranking"))


def ranking_year_export(request, year, fmt):
    """The first-ranked units of every cluster and bloc of the province in `year`."""
    province = _get_province_for_user(request)
    headers = [
        _("Cluster or bloc"),
        _("Period"),
        _("First-ranked unit"),
        _("Final"),
        _("Percent of maximum"),
        _("Band"),
        _("Eligible"),
        _("Flag candidate"),
        _("Note"),
    ]
    table = []
    for item in ranking_data.province_year_rankings(province, year):
        cluster = item.cluster_year.cluster.name
        period = item.period.get_kind_display() if item.period else ""
        if item.error or not item.leaders:
            note = item.error or _("No member has been ranked yet.")
            table.append([cluster, period, "", None, None, "", "", "", note])
            continue
        for row in item.leaders:
            table.append(
                [
                    cluster,
                    period,
                    row.result.name,
                    row.result.final,
                    row.result.percent,
                    row.result.band,
                    _yes_no(row.result.eligible),
                    _yes_no(row.flag_candidate),
                    _("tied") if row.tied else "",
                ]
            )
    name = file_name("xep-hang-nhat", province.name, year)
    return table_response(name, headers, table, fmt, title=str(year))


def grid_export(request, pk, fmt):
    """The agreed scores of every member and criterion, with the member's totals.

    Unlike the grid's Excel download for re-upload, this is a plain table: no hidden
    ids, no protection, and the totals added up."""
    period = _get_period_for_user(request, pk)
    data = ranking_data.load_period(period)
    criteria = data.scorable
    headers = [
        _("Unit"),
        *(criterion.code for criterion in criteria),
        _("Base"),
        _("Bonus"),
        _("Penalty"),
        _("Final"),
        _("Percent of maximum"),
        _("Band"),
        _("Note"),
    ]
    table = []
    for unit in data.members:
        cells = []
        for criterion in criteria:
            score = data.score(unit.pk, criterion.pk)
            if score is None:
                cells.append(None)
            elif criterion.kind == Criterion.Kind.VETO:
                cells.append(score.value)
            else:
                cells.append(score.points)
        try:
            result = data.unit_result(unit)
        except scoring.ScoreError as e:
            totals = [None, None, None, None, None, "", e.message]
        else:
            totals = [
                result.base,
                result.bonus,
                result.penalty,
                result.final,
                result.percent,
                result.band,
                "",
            ]
        table.append([data.names[unit.pk], *cells, *totals])
    term = period.cluster_year
    name = file_name("diem-thong-nhat", term.cluster.name, term.year, period.kind, "bang")
    return table_response(name, headers, table, fmt, title=_("Agreed scores"))


# ---------------------------------------------------------------------------
# Award lists


def decision_export(request, pk, fmt):
    """The recipients of one decision."""
    decision = _get_decision_for_user(request, pk)
    recipients = decision.recipients.select_related(
        "unit", "proposal_item__proposal__cluster_year__cluster"
    ).order_by("unit__sort_key", "pk")
    headers = [
        _("No."),
        _("Unit"),
        _("Citation"),
        _("Proposed by"),
        _("Year of the achievement"),
        _("Cash amount (VND)"),
    ]
    table = [
        [
            index,
            recipient.unit.name,
            recipient.citation,
            (
                recipient.proposal_item.proposal.cluster_year.cluster.name
                if recipient.proposal_item
                else ""
            ),
            recipient.year,
            _amount(recipient.amount),
        ]
        for index, recipient in enumerate(recipients, start=1)
    ]
    name = file_name("quyet-dinh", decision.number, decision.date.year)
    return table_response(name, headers, table, fmt, title=_("Recipients"))


def award_list_export(request, year, fmt):
    """Every unit the province awarded for the achievements of `year`, decision by
    decision, as the decision list of the year counts them."""
    province = _get_province_for_user(request)
    recipients = (
        AwardRecipient.objects.filter(decision__province=province, year=year)
        .select_related("unit", "decision__award_form")
        .order_by("decision__date", "decision__number", "unit__sort_key", "pk")
    )
    headers = [
        _("Decision"),
        _("Date"),
        _("Award form"),
        _("Unit"),
        _("Citation"),
        _("Cash amount (VND)"),
    ]
    table = [
        [
            recipient.decision.number,
            recipient.decision.date,
            recipient.decision.award_form.name,
            recipient.unit.name,
            recipient.citation,
            _amount(recipient.amount),
        ]
        for recipient in recipients
    ]
    name = file_name("khen-thuong", province.name, year)
    return table_response(name, headers, table, fmt, title=str(year))


def unit_awards_export(request, pk, fmt):
    """The awards of a unit and of the units it descends from, as its page lists them."""
    unit = _get_unit_for_user(request, pk)
    headers = [
        _("Year"),
        _("Award form"),
        _("Decision"),
        _("Date"),
        _("Cash amount (VND)"),
        _("Received by"),
        _("Predecessor"),
    ]
    table = [
        [
            entry.recipient.year,
            entry.recipient.decision.award_form.name,
            entry.recipient.decision.number,
            entry.recipient.decision.date,
            _amount(entry.recipient.amount),
            entry.received_as,
            _yes_no(entry.inherited),
        ]
        for entry in selectors.unit_awards(unit)
    ]
    name = file_name("khen-thuong", unit.name)
    return table_response(name, headers, table, fmt, title=_("Awards"))


# ---------------------------------------------------------------------------
# Progress


def progress_export(request, year, fmt):
    """The progress table: per step, the day it was done and its status."""
    province = _get_province_for_user(request)
    statuses = {
        "done": _("Done"),
        "late": _("Done late"),
        "missed": _("Missed"),
        "pending": _("Pending"),
    }
    headers = [_("Cluster or bloc"), _("Kind")]
    for _key, label in progress_data.STEPS:
        headers += [label, _("%(step)s: deadline") % {"step": label}]
        headers.append(_("%(step)s: status") % {"step": label})
    table = []
    for row in progress_data.province_progress(province, year):
        cells = [row.term.cluster.name, row.term.cluster.get_kind_display()]
        for step in row.steps:
            status = statuses[step.status]
            if step.note:
                status = f"{status} ({step.note})"
            cells += [step.done_on, step.deadline, status]
        table.append(cells)
    name = file_name("tien-do", province.name, year)
    return table_response(name, headers, table, fmt, title=str(year))
