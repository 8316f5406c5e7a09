"""The agreed-score grid of a period (điểm thống nhất), its Excel round trip, and the
ranking pages.

The grid is one page: members as rows, the covenant sheet's criteria as columns (or the
other way round), each cell saved on its own through score_services.score_save as it
is typed (static/js/grid.js). The Excel file carries hidden ids, so that an upload maps
every cell back to its member and criterion; it is applied whole or not at all.
"""

import io
import json
from dataclasses import dataclass

from django.contrib import messages
from django.http import FileResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_POST

from .. import charts, forms, grid_cells, imports, page_cache, score_services, scoring, text
from .. import ranking as ranking_data
from ..access import access_for
from ..criteria import typed
from ..models import Criterion, Period, Score, Unit
from ..services import ClusterError
from .periods import _get_period_for_user
from .units import _get_province_for_user

Kind = Criterion.Kind
Stage = Score.Stage

# Enough to fix a file from; the rest are counted.
SHOWN_ERRORS = 200

# ---------------------------------------------------------------------------
# Access and formatting


def _totals(data: ranking_data.PeriodData, unit: Unit) -> dict:
    """A member's totals as the grid shows them, or the reason they cannot be added up."""
    try:
        result = data.unit_result(unit)
    except scoring.ScoreError as e:
        return {"error": e.message}
    return {
        "base": grid_cells.total(result.base),
        "bonus": grid_cells.total(result.bonus),
        "penalty": grid_cells.total(result.penalty),
        "final": grid_cells.total(result.final),
        "percent": grid_cells.total(result.percent),
        "band": result.band,
    }


# ---------------------------------------------------------------------------
# The grid page


@dataclass
class Cell:
    unit_id: int
    unit_name: str
    criterion: Criterion
    value: str
    version: int
    self_points: str
    cross_points: str
    # The maximum as data-max reads it ("60.00") and as messages show it ("60"); empty
    # when the criterion has none (a veto, an uncapped penalty).
    max_raw: str
    max_text: str

    @property
    def key(self) -> str:
        return f"{self.unit_id}-{self.criterion.pk}"

    @property
    def veto(self) -> bool:
        return self.criterion.kind == Kind.VETO


def _cell_html(cell: Cell, *, editable: bool, self_abbr: str, cross_abbr: str) -> str:
    """One grid cell. Built here rather than in the template: a 15 × 60 grid has 900 of
    them, and the template engine took about 250 ms to render them."""
    key = cell.key
    if cell.max_raw:
        limit = f' data-max="{cell.max_raw}" data-max-text="{escape(cell.max_text)}"'
    else:
        limit = ' data-veto="1"' if cell.veto else ""
    ref = ""
    if cell.self_points or cell.cross_points:
        ref = (
            f"{escape(self_abbr)} {escape(cell.self_points or '–')} · "
            f"{escape(cross_abbr)} {escape(cell.cross_points or '–')}"
        )
    return (
        f'<td class="grid-cell"><input type="text" class="form-control form-control-sm '
        f'grid-input" id="c{key}" value="{escape(cell.value)}" inputmode="decimal" '
        f'autocomplete="off" spellcheck="false" data-unit="{cell.unit_id}" '
        f'data-criterion="{cell.criterion.pk}" data-version="{cell.version}"{limit} '
        f'aria-label="{escape(cell.unit_name)} – {escape(cell.criterion.code)}" '
        f'aria-describedby="r{key} m{key}"{"" if editable else " readonly"}>'
        f'<div class="grid-ref" id="r{key}">{ref}</div>'
        f'<div class="grid-msg" id="m{key}" aria-live="polite"></div></td>'
    )


# The totals shown in the grid; "final" comes last, as the column stays in view.
TOTAL_KEYS = ("base", "bonus", "penalty", "final")


def _grid_rows(data: ranking_data.PeriodData) -> list[dict]:
    """One row per member: their cells in sheet order, and their totals."""
    rows = []
    for unit in data.members:
        cells = []
        for criterion in data.scorable:
            agreed = data.score(unit.pk, criterion.pk)
            has_max = criterion.kind != Kind.VETO and criterion.max_points > 0
            cells.append(
                Cell(
                    unit_id=unit.pk,
                    unit_name=data.names[unit.pk],
                    criterion=criterion,
                    value=grid_cells.cell_text(criterion, agreed),
                    version=agreed.version if agreed else 0,
                    self_points=grid_cells.cell_text(
                        criterion, data.score(unit.pk, criterion.pk, Stage.SELF)
                    ),
                    cross_points=grid_cells.cell_text(
                        criterion, data.score(unit.pk, criterion.pk, Stage.CROSS)
                    ),
                    max_raw=str(criterion.max_points) if has_max else "",
                    max_text=typed(criterion.max_points) if has_max else "",
                )
            )
        totals = _totals(data, unit)
        rows.append(
            {
                "type": "unit",
                "unit_id": unit.pk,
                "name": data.names[unit.pk],
                "cells": cells,
                "totals": [(key, totals.get(key, "–")) for key in TOTAL_KEYS],
                "totals_error": totals.get("error", ""),
            }
        )
    return rows


def _transposed_rows(
    data: ranking_data.PeriodData, rows: list[dict], labels: dict, cell_options: dict
) -> list[dict]:
    """Criteria as rows under their group's header row, then one row per total."""
    body = []
    group_key = None
    for index, criterion in enumerate(data.scorable):
        top = data.top_level[criterion.pk]
        key = top.pk if top.kind == Kind.GROUP else top.kind
        if key != group_key:
            group_key = key
            label = f"{top.code}. {top.text}" if top.kind == Kind.GROUP else Kind(top.kind).label
            body.append({"type": "group", "label": label})
        body.append(
            {
                "type": "criterion",
                "criterion": criterion,
                "cells_html": mark_safe(
                    "".join(_cell_html(row["cells"][index], **cell_options) for row in rows)
                ),
            }
        )
    for position, key in enumerate(TOTAL_KEYS):
        values = [(row["unit_id"], row["totals"][position][1]) for row in rows]
        body.append({"type": "total", "key": key, "label": labels[key], "values": values})
    return body


def _render_grid(request, period: Period, *, upload_form=None, upload_errors=(), status=200):
    access = access_for(request.user)
    term = period.cluster_year
    can_edit = access.can_edit_cluster_year(term)
    editable = can_edit and period.state in score_services.EDITABLE_STATES
    data = ranking_data.load_period(period, stages=(Stage.SELF, Stage.CROSS, Stage.AGREED))
    rows = _grid_rows(data)
    abbreviations = {
        "self_abbr": pgettext("self-scored, abbreviated", "S"),
        "cross_abbr": pgettext("cross-scored, abbreviated", "C"),
    }
    for row in rows:
        row["cells_html"] = mark_safe(
            "".join(_cell_html(cell, editable=editable, **abbreviations) for cell in row["cells"])
        )
    transpose = request.GET.get("transpose") == "1"
    labels = {
        "base": _("Base"),
        "bonus": _("Bonus"),
        "penalty": _("Penalty"),
        "final": _("Final"),
    }
    return render(
        request,
        "clusters/grid.html",
        {
            "period": period,
            "term": term,
            "cluster": term.cluster,
            "sheet": data.sheet,
            "criteria": data.scorable,
            "column_groups": grid_cells.column_groups(data),
            "rows": rows,
            "body_rows": (
                _transposed_rows(data, rows, labels, {"editable": editable, **abbreviations})
                if transpose
                else rows
            ),
            "total_labels": list(labels.items()),
            "transpose": transpose,
            "can_edit": can_edit,
            "editable": editable,
            "upload_form": upload_form or forms.AgreedGridUploadForm(),
            "upload_errors": list(upload_errors)[:SHOWN_ERRORS],
            "upload_error_count": len(upload_errors),
            "max_megabytes": imports.MAX_FILE_SIZE // (1024 * 1024),
            "js_text": {
                "saving": _("Saving…"),
                "saved": _("Saved."),
                "range": _("The score must be between 0 and %(max)s."),
                "negative": _("The value cannot be negative."),
                "number": _("Enter a number, e.g. 12,5."),
                "failed": _("The score could not be saved; check the connection and try again."),
                "unsaved": _("Some scores are not saved yet."),
            },
        },
        status=status,
    )


def agreed_grid(request, pk):
    """Members × criteria with the agreed points in inputs, self and cross points beside."""
    period = _get_period_for_user(request, pk)
    return _render_grid(request, period)


def _payload(request) -> dict:
    if request.content_type == "application/json":
        try:
            payload = json.loads(request.body or b"{}")
        except ValueError:
            return {}
        return payload if isinstance(payload, dict) else {}
    return request.POST


def _refused(message: str, code: str):
    return JsonResponse({"ok": False, "error": message, "code": code}, status=400)


@require_POST
def grid_cell_save(request, pk):
    """Save one agreed cell: POST criterion, unit, points (as typed) and version (the one
    the page showed, 0 for an empty cell).

    Answers {ok: true, points, version, totals}: the points as the page shows them
    ("45,5"), the new version and the member's totals. A refusal is {ok: false, error,
    code} with status 400; when someone else saved the cell meanwhile it is status 409
    with code "conflict", current_points, current_version and the totals, so that the
    page can show their value. JSON bodies and form posts are both accepted.
    """
    period = _get_period_for_user(request, pk, edit=True)
    payload = _payload(request)
    try:
        criterion_id = int(payload.get("criterion"))
        unit_id = int(payload.get("unit"))
        version = int(payload.get("version") or 0)
    except (TypeError, ValueError):
        return _refused(_("The request is incomplete; reload the page."), "bad_request")
    covenant = ranking_data.covenant_of(period)
    criterion = (
        Criterion.objects.filter(pk=criterion_id, sheet_id=covenant.sheet_id).first()
        if covenant
        else None
    )
    if criterion is None:
        return _refused(_("This criterion is not in the score sheet of the covenant."), "criterion")
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        return _refused(_("This unit does not exist."), "unit")
    try:
        score_services.check_period_editable(period)
    except ClusterError as e:
        return _refused(str(e), "locked")
    typed = payload.get("points")
    try:
        points, value = grid_cells.cell_input(criterion, "" if typed is None else str(typed))
    except scoring.ScoreError as e:
        return _refused(e.message, e.code)
    try:
        score = score_services.score_save(
            period=period,
            unit=unit,
            criterion=criterion,
            stage=Stage.AGREED,
            points=points,
            value=value,
            user=request.user,
            expected_version=version,
        )
    except score_services.ScoreConflict as e:
        data = ranking_data.load_period(period, unit_ids=[unit.pk])
        current = e.current
        return JsonResponse(
            {
                "ok": False,
                "error": str(e),
                "code": "conflict",
                "current_points": grid_cells.cell_text(criterion, current),
                "current_version": current.version if current else 0,
                "totals": _totals(data, unit) if data.members else {},
            },
            status=409,
        )
    except ClusterError as e:
        return _refused(str(e), "refused")
    data = ranking_data.load_period(period, unit_ids=[unit.pk])
    return JsonResponse(
        {
            "ok": True,
            "points": grid_cells.cell_text(criterion, score),
            "version": score.version,
            "totals": _totals(data, unit),
        }
    )


# ---------------------------------------------------------------------------
# Excel download


def grid_download(request, pk):
    period = _get_period_for_user(request, pk)
    data = ranking_data.load_period(period)
    term = period.cluster_year
    name = f"diem-thong-nhat-{text.fold(term.cluster.name).replace(' ', '-')}-{term.year}"
    return FileResponse(
        io.BytesIO(grid_cells.workbook(data)),
        as_attachment=True,
        filename=f"{name}-{period.kind}.xlsx",
        content_type=grid_cells.XLSX_CONTENT_TYPE,
    )


# ---------------------------------------------------------------------------
# Excel upload


@require_POST
def grid_upload(request, pk):
    """Apply an uploaded grid file completely, or list every bad cell and apply nothing."""
    period = _get_period_for_user(request, pk, edit=True)
    form = forms.AgreedGridUploadForm(request.POST, request.FILES)
    errors: list[grid_cells.CellError] = []
    if form.is_valid():
        try:
            score_services.check_period_editable(period)
            data = ranking_data.load_period(period)
            changes, unchanged, errors = grid_cells.read_grid_upload(
                form.cleaned_data["file"], data
            )
        except (ClusterError, grid_cells.GridFileError) as e:
            form.add_error("file", str(e))
        else:
            if not errors:
                try:
                    count = score_services.agreed_scores_apply(
                        period=period,
                        changes=[
                            (c.unit, c.criterion, c.points, c.value, c.version) for c in changes
                        ],
                        user=request.user,
                    )
                except ClusterError:
                    form.add_error(
                        None,
                        _(
                            "The scores changed while the file was being applied, so nothing "
                            "was saved. Download the grid again and redo your changes."
                        ),
                    )
                else:
                    messages.success(
                        request,
                        ngettext(
                            "%(count)d score was saved; %(unchanged)d cells were unchanged.",
                            "%(count)d scores were saved; %(unchanged)d cells were unchanged.",
                            count,
                        )
                        % {"count": count, "unchanged": unchanged},
                    )
                    return redirect("clusters:agreed_grid", period.pk)
    return _render_grid(request, period, upload_form=form, upload_errors=errors)


# ---------------------------------------------------------------------------
# Ranking


def _ranked_rows(data: ranking_data.PeriodData, rows: list[scoring.RankedRow]) -> list[dict]:
    codes = [c.code for c in data.top_criteria]
    return [
        {
            "row": row,
            "result": row.result,
            "rank": f"={row.rank}" if row.tied else str(row.rank),
            "groups": [row.result.group_totals.get(code) for code in codes],
        }
        for row in rows
    ]


def ranking(request, pk):
    """The members ranked on their agreed scores, with every tie-break explained."""
    period = _get_period_for_user(request, pk)
    term = period.cluster_year

    def build():
        data = ranking_data.load_period(period)
        error, rows, rules = "", [], None
        if data.sheet is None:
            error = _("The covenant has no score sheet yet.")
        else:
            try:
                rules = data.rules
                rows = data.ranking()
            except scoring.ScoreError as e:
                error = e.message
        ranked = _ranked_rows(data, rows)
        return {
            "period": period,
            "term": term,
            "cluster": term.cluster,
            "groups": data.top_criteria,
            "rows": ranked,
            "notes": [r for r in ranked if r["row"].tie_break_notes],
            "rules": rules,
            "ruleset": data.ruleset,
            "error": error,
            "distribution_chart": _distribution_chart(period, rows, rules),
        }

    return page_cache.render_page(
        request,
        "clusters/ranking.html",
        {"term": term, "cluster": term.cluster},
        "clusters/_ranking_body.html",
        build,
    )


def ranking_year(request, year):
    """The first-ranked units of every cluster and bloc of the province in a year."""
    province = _get_province_for_user(request)
    rankings = ranking_data.province_year_rankings(province, year)
    return render(
        request,
        "clusters/ranking_year.html",
        {
            "province": province,
            "year": year,
            "rankings": rankings,
            "previous_year": year - 1,
            "next_year": year + 1,
            "comparison_chart": _comparison_chart(rankings, year),
        },
    )


def _distribution_chart(period, rows, rules) -> charts.Chart | None:
    """Chart (a) of the ranking page: the members' final scores, their mean and the
    sheet's maximum."""
    if not rows:
        return None
    term = period.cluster_year
    return charts.score_distribution(
        [row.result.final for row in rows],
        labels=[row.result.name for row in rows],
        max_score=rules.scale if rules else None,
        title=_("Final scores of the members: %(cluster)s, %(period)s %(year)s")
        % {
            "cluster": term.cluster.name,
            "period": period.get_kind_display().lower(),
            "year": term.year,
        },
    )


def _comparison_chart(rankings, year) -> charts.Chart | None:
    """Chart (d) of the province's year: each cluster's lowest, mean and highest total, as
    percentages of the maximum, so that clusters scored on different sheets compare."""
    if not any(item.rows for item in rankings):
        return None
    rows = []
    for item in rankings:
        percents = [row.result.percent for row in item.rows]
        name = item.cluster_year.cluster.name
        if percents:
            rows.append((name, min(percents), sum(percents) / len(percents), max(percents)))
        else:
            rows.append((name, None, None, None))
    return charts.cluster_comparison(
        rows,
        title=_("Totals of each cluster and bloc in %(year)s, percent of the maximum")
        % {"year": year},
        max_score=100,
    )
