"""Score-sheet templates and the province's yearly scoring rules.

Provincial staff manage them; the province's leaders read them; everyone else gets
a 404 on every page.
"""

import datetime
import io
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import criteria, forms, selectors, sheet_imports, sheet_services
from ..access import access_for
from ..imports import ImportFileError
from ..models import Criterion, Province, RuleSet, ScoreSheet
from ..services import ClusterError
from .units import _get_province_for_user

# Enough to fix a file from; the rest are counted.
SHOWN_ERRORS = 200
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
YEARS = range(1990, 2101)


def _get_sheet_for_user(request, pk: int, *, manage: bool = False) -> ScoreSheet:
    access = access_for(request.user)
    sheets = ScoreSheet.objects.select_related("province", "copied_from")
    if not access.superuser:
        sheets = sheets.filter(province_id__in=access.viewer_provinces)
    sheet = get_object_or_404(sheets, pk=pk)
    if manage and not access.can_manage_province(sheet.province_id):
        raise PermissionDenied
    return sheet


def _get_criterion_for_user(request, pk: int) -> Criterion:
    """A criterion to change: 404 unless its province is visible, 403 unless managed."""
    access = access_for(request.user)
    items = Criterion.objects.select_related("sheet__province", "parent")
    if not access.superuser:
        items = items.filter(sheet__province_id__in=access.viewer_provinces)
    criterion = get_object_or_404(items, pk=pk)
    if not access.can_manage_province(criterion.sheet.province_id):
        raise PermissionDenied
    return criterion


def sheet_list(request):
    """The province's sheets and rule sets by year, newest first."""
    province = _get_province_for_user(request)
    access = access_for(request.user)
    sheets = list(
        province.sheets.select_related("copied_from")
        .annotate(criterion_count=Count("criteria"))
        .order_by("-year", "name")
    )
    rulesets = {ruleset.year: ruleset for ruleset in province.rulesets.all()}
    years = sorted({sheet.year for sheet in sheets} | set(rulesets), reverse=True)
    by_year = [
        (year, [sheet for sheet in sheets if sheet.year == year], rulesets.get(year))
        for year in years
    ]
    next_year = years[0] + 1 if years else datetime.date.today().year
    return render(
        request,
        "clusters/sheet_list.html",
        {
            "province": province,
            "by_year": by_year,
            "next_year": next_year,
            "can_manage": access.can_manage_province(province.pk),
        },
    )


def sheet_create(request):
    province = _get_province_for_user(request, manage=True)
    form = forms.ScoreSheetForm(
        request.POST or None, province=province, initial={"year": datetime.date.today().year}
    )
    if request.method == "POST" and form.is_valid():
        sheet = form.save(commit=False)
        sheet.province = province
        sheet.save()
        messages.success(request, _("%(name)s was created.") % {"name": sheet.name})
        return redirect(sheet)
    return render(request, "clusters/sheet_form.html", {"form": form, "province": province})


def sheet_detail(request, pk):
    """The criteria tree with group totals, what does not add up, and the history."""
    sheet = _get_sheet_for_user(request, pk)
    access = access_for(request.user)
    tree = criteria.build_tree(sheet.criteria.all())
    rows = [
        {
            "criterion": node.item,
            "node": node,
            # Text, not a number: the template would write 1,5 in Vietnamese, which CSS refuses.
            "indent": f"{0.25 + node.depth * 1.5:.2f}rem",
            "max_points": criteria.shown(node.item.max_points),
            "child_sum": criteria.shown(node.child_sum),
            "params": criteria.describe(node.item),
        }
        for node in tree.nodes
    ]
    history = selectors.history_entries(
        sheet.history.all(),
        Criterion.history.filter(sheet_id=sheet.pk),
        labels={Criterion: lambda record: record.code},
        hidden=frozenset({"sheet", "province", "position"}),
    )
    return render(
        request,
        "clusters/sheet_detail.html",
        {
            "sheet": sheet,
            "rows": rows,
            "base_total": criteria.shown(tree.base_total),
            "scale": criteria.shown(sheet.scale),
            "warnings": criteria.tree_warnings(tree, sheet.scale),
            "history": history,
            "can_manage": access.can_manage_province(sheet.province_id),
        },
    )


def sheet_copy(request, pk):
    sheet = _get_sheet_for_user(request, pk, manage=True)
    form = forms.SheetCopyForm(
        request.POST or None,
        province=sheet.province,
        initial={"year": sheet.year + 1, "name": sheet.name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            copy = sheet_services.sheet_copy(sheet=sheet, **form.cleaned_data)
        except ClusterError as e:
            form.add_error(None, str(e))
        else:
            messages.success(
                request,
                _("The sheet was copied to %(year)s; it can now be edited.") % {"year": copy.year},
            )
            return redirect(copy)
    return render(request, "clusters/sheet_copy.html", {"form": form, "sheet": sheet})


def sheet_import(request):
    """GET shows the form and the layout; POST creates the sheet from the whole file or,
    if any row is wrong, creates nothing and lists every problem by row and column."""
    province = _get_province_for_user(request, manage=True)
    form = forms.SheetImportForm(
        request.POST or None,
        request.FILES or None,
        province=province,
        initial={"year": datetime.date.today().year},
    )
    errors = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            raw = sheet_imports.read_workbook(data["file"])
        except ImportFileError as e:
            form.add_error("file", str(e))
        else:
            parsed, errors = sheet_imports.validate(raw, scale=data["scale"])
            if parsed is not None:
                try:
                    sheet = sheet_services.sheet_import(
                        province=province, year=data["year"], name=data["name"], parsed=parsed
                    )
                except (ClusterError, IntegrityError):
                    # Someone saved a sheet of that name between the form's check and now.
                    form.add_error(
                        None, _("The data changed while importing; nothing was imported.")
                    )
                else:
                    count = len(parsed.criteria)
                    messages.success(
                        request,
                        ngettext(
                            "Imported %(count)d criterion.", "Imported %(count)d criteria.", count
                        )
                        % {"count": count},
                    )
                    return redirect(sheet)
    return render(
        request,
        "clusters/sheet_import.html",
        {
            "form": form,
            "province": province,
            "errors": errors[:SHOWN_ERRORS],
            "error_count": len(errors),
            "columns": sheet_imports.COLUMNS,
            "kinds": [
                (words[0], Criterion.Kind(value).label)
                for value, words in sheet_imports.KIND_WORDS.items()
            ],
            "rules": sheet_imports.RULES,
            "max_rows": sheet_imports.MAX_ROWS,
        },
    )


def sheet_import_template(request):
    _get_province_for_user(request, manage=True)
    return FileResponse(
        io.BytesIO(sheet_imports.template_xlsx()),
        as_attachment=True,
        filename="mau-bang-diem.xlsx",
        content_type=XLSX,
    )


def _kind_fields() -> dict[str, list[str]]:
    """For the form's script: the parameter fields each kind shows."""
    return {kind: list(criteria.PARAMS_BY_KIND.get(kind, ())) for kind in Criterion.Kind.values}


def _criterion_form_page(request, form, sheet, criterion):
    return render(
        request,
        "clusters/criterion_form.html",
        {
            "form": form,
            "sheet": sheet,
            "criterion": criterion,
            "kind_fields": _kind_fields(),
            "param_fields": list(criteria.PARAM_NAMES),
        },
    )


def criterion_create(request, pk):
    sheet = _get_sheet_for_user(request, pk, manage=True)
    initial = {}
    parent = request.GET.get("parent", "")
    if parent.isdigit():
        initial["parent"] = int(parent)
    form = forms.CriterionForm(request.POST or None, sheet=sheet, initial=initial)
    if request.method == "POST" and form.is_valid():
        criterion = sheet_services.criterion_create(sheet=sheet, criterion=form.save(commit=False))
        messages.success(request, _("The criterion %(code)s was added.") % {"code": criterion.code})
        return redirect(f"{sheet.get_absolute_url()}#criterion-{criterion.pk}")
    return _criterion_form_page(request, form, sheet, None)


def criterion_update(request, pk):
    criterion = _get_criterion_for_user(request, pk)
    sheet = criterion.sheet
    form = forms.CriterionForm(request.POST or None, instance=criterion, sheet=sheet)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The changes were saved."))
        return redirect(f"{sheet.get_absolute_url()}#criterion-{criterion.pk}")
    return _criterion_form_page(request, form, sheet, criterion)


def criterion_delete(request, pk):
    """GET asks for confirmation, saying how many criteria go with a group; POST deletes."""
    criterion = _get_criterion_for_user(request, pk)
    sheet = criterion.sheet
    if request.method == "POST":
        try:
            count = sheet_services.criterion_delete(criterion=criterion)
        except ClusterError as e:
            messages.error(request, str(e))
        else:
            messages.success(
                request,
                ngettext("Deleted %(count)d criterion.", "Deleted %(count)d criteria.", count)
                % {"count": count},
            )
        return redirect(sheet)
    return render(
        request,
        "clusters/criterion_confirm_delete.html",
        {
            "criterion": criterion,
            "sheet": sheet,
            "count": sheet_services.criterion_subtree_size(criterion),
        },
    )


def _ruleset_initial(province: Province, year: int) -> tuple[dict, int | None]:
    """Initial values for a year without rules: the latest earlier year's, with the
    deadlines moved on by the same number of years; the usual tie-break order otherwise.
    Also returns the year copied from."""
    previous = province.rulesets.filter(year__lt=year).order_by("-year").first()
    if previous is None:
        return {"tie_breaks": [value for value, _label in criteria.TIE_BREAKS]}, None
    shift = year - previous.year
    initial = {
        "bands": criteria.pairs_text(
            [(label, Decimal(points)) for label, points in previous.bands]
        ),
        "eligibility_min_percent": previous.eligibility_min_percent,
        "tie_breaks": list(previous.tie_breaks),
        "core_group": previous.core_group,
        "bonus_cap": previous.bonus_cap,
    }
    for name in ("self_score_deadline", "agreed_score_deadline", "proposal_deadline"):
        day = getattr(previous, name)
        if day is not None:
            try:
                initial[name] = day.replace(year=day.year + shift)
            except ValueError:
                # 29 February becomes 28 February in a common year.
                initial[name] = day.replace(year=day.year + shift, day=28)
    return initial, previous.year


def ruleset_edit(request, year):
    """One rule set per province and year, created on the first save; leaders read it."""
    if year not in YEARS:
        raise Http404
    province = _get_province_for_user(request)
    access = access_for(request.user)
    ruleset = RuleSet.objects.filter(province=province, year=year).first()
    if not access.can_manage_province(province.pk):
        if request.method == "POST":
            raise PermissionDenied
        return render(
            request,
            "clusters/ruleset_detail.html",
            {
                "province": province,
                "year": year,
                "ruleset": ruleset,
                "bands": [(label, criteria.shown(points)) for label, points in ruleset.bands]
                if ruleset
                else [],
                "tie_breaks": _tie_break_labels(ruleset.tie_breaks) if ruleset else [],
            },
        )
    copied_from = None
    if ruleset is None:
        initial, copied_from = _ruleset_initial(province, year)
        ruleset = RuleSet(province=province, year=year)
    else:
        initial = {}
    form = forms.RuleSetForm(request.POST or None, instance=ruleset, initial=initial)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The rules for %(year)s were saved.") % {"year": year})
        return redirect("clusters:sheet_list")
    return render(
        request,
        "clusters/ruleset_form.html",
        {
            "form": form,
            "province": province,
            "year": year,
            "copied_from": copied_from,
            "is_new": ruleset.pk is None,
        },
    )


def _tie_break_labels(values: list[str]) -> list[str]:
    labels = dict(criteria.TIE_BREAKS)
    return [str(labels.get(value, value)) for value in values]
