"""Import of units and memberships from .xlsx or .csv, for provincial staff only."""

import io

from django.contrib import messages
from django.db import IntegrityError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import forms, imports
from .units import _get_province_for_user

# Enough to fix a file from; the rest are counted.
SHOWN_ERRORS = 200

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def import_upload(request):
    """GET shows the form and the columns; POST imports the whole file or, if any row is
    wrong, nothing, and lists every problem by row and column."""
    province = _get_province_for_user(request, manage=True)
    kind = request.GET.get("kind")
    form = forms.ImportForm(
        request.POST or None,
        request.FILES or None,
        initial={"kind": kind if kind in imports.KINDS else imports.UNITS},
    )
    errors = []
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        try:
            sheet = imports.read_rows(form.cleaned_data["file"], kind=kind)
        except imports.ImportFileError as e:
            form.add_error("file", str(e))
        else:
            clean_rows, errors = imports.validate(kind, sheet, province=province)
            if not errors:
                try:
                    count = imports.apply(kind, clean_rows, province=province)
                except IntegrityError:
                    # Someone saved the same code or member between the checks and the writes.
                    form.add_error(
                        None, _("The data changed while importing; nothing was imported.")
                    )
                else:
                    return _imported(request, kind, clean_rows, count)
    return render(
        request,
        "clusters/import_upload.html",
        {
            "form": form,
            "province": province,
            "errors": errors[:SHOWN_ERRORS],
            "error_count": len(errors),
            "columns": [
                (imports.UNITS, _("Units"), imports.COLUMNS[imports.UNITS]),
                (
                    imports.MEMBERSHIPS,
                    _("Members of clusters and blocs"),
                    imports.COLUMNS[imports.MEMBERSHIPS],
                ),
            ],
            "max_rows": imports.MAX_ROWS,
            "max_megabytes": imports.MAX_FILE_SIZE // (1024 * 1024),
        },
    )


def _imported(request, kind: str, clean_rows: list[dict], count: int):
    if kind == imports.UNITS:
        messages.success(
            request,
            ngettext("Imported %(count)d unit.", "Imported %(count)d units.", count)
            % {"count": count},
        )
        return redirect("clusters:unit_list")
    messages.success(
        request,
        ngettext("Imported %(count)d membership.", "Imported %(count)d memberships.", count)
        % {"count": count},
    )
    # Members of one term are shown on its page; several terms, on the cluster list.
    terms = {row["cluster_year"] for row in clean_rows}
    if len(terms) == 1:
        return redirect(terms.pop())
    return redirect("clusters:cluster_list")


def import_template(request, kind, fmt):
    """An empty template with the header row and one example row."""
    _get_province_for_user(request, manage=True)
    if kind not in imports.KINDS or fmt not in imports.FORMATS:
        raise Http404
    if fmt == "xlsx":
        content = imports.template_xlsx(kind)
    else:
        content = imports.template_csv(kind)
    return FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=f"import-{kind}.{fmt}",
        content_type=CONTENT_TYPES[fmt],
    )
