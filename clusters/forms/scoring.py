"""Forms of scoring: score sheets and rules, covenants and targets, periods, the
scoring pages and the agreed grid's upload."""

import os
import zipfile
from decimal import Decimal

from django import forms
from django.db.models import Case, When
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .. import criteria, scoring
from ..models import (
    Covenant,
    Criterion,
    Period,
    RuleSet,
    ScoreSheet,
)
from .registry import DateInput


class AgreedGridUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Grid file (.xlsx)"),
        widget=forms.FileInput(attrs={"accept": ".xlsx"}),
    )


# ---------------------------------------------------------------------------
# Score sheets and the yearly scoring rules


class ScoreSheetForm(forms.ModelForm):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)

    class Meta:
        model = ScoreSheet
        fields = ["name", "year", "scale"]
        localized_fields = ["scale"]
        help_texts = {"scale": _("The sum of the base criteria, usually 100 or 1,000 points.")}

    def __init__(self, *args, province, **kwargs):
        super().__init__(*args, **kwargs)
        self.province = province

    def clean_scale(self):
        scale = self.cleaned_data["scale"]
        if scale is not None and scale <= 0:
            raise forms.ValidationError(_("The scale must be more than 0."))
        return scale

    def clean(self):
        data = super().clean()
        _check_sheet_name_free(self, self.province, exclude=self.instance.pk)
        return data


def _check_sheet_name_free(form, province, *, exclude=None) -> None:
    name = " ".join((form.cleaned_data.get("name") or "").split())
    year = form.cleaned_data.get("year")
    if not name or not year:
        return
    form.cleaned_data["name"] = name
    clash = ScoreSheet.objects.filter(province=province, year=year, name=name).exclude(pk=exclude)
    if clash.exists():
        form.add_error(
            "name",
            _("The province already has a score sheet “%(name)s” for %(year)s.")
            % {"name": name, "year": year},
        )


class SheetCopyForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    name = forms.CharField(label=_("Name"), max_length=200)

    def __init__(self, *args, province, **kwargs):
        super().__init__(*args, **kwargs)
        self.province = province

    def clean(self):
        data = super().clean()
        _check_sheet_name_free(self, self.province)
        return data


class SheetImportForm(forms.Form):
    """A new sheet from an .xlsx workbook; the rows are checked by clusters.sheet_imports."""

    name = forms.CharField(label=_("Name"), max_length=200)
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    scale = forms.DecimalField(
        label=capfirst(ScoreSheet._meta.get_field("scale").verbose_name),
        required=False,
        localize=True,
        max_digits=9,
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text=_("Leave empty to take the total of the workbook."),
    )
    # Empty files are let through, so that the import can say so in its own words.
    file = forms.FileField(
        label=_("File"),
        allow_empty_file=True,
        help_text=_("Excel workbook (.xlsx)."),
        widget=forms.FileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args, province, **kwargs):
        super().__init__(*args, **kwargs)
        self.province = province

    def clean(self):
        data = super().clean()
        _check_sheet_name_free(self, self.province)
        return data


class CriterionForm(forms.ModelForm):
    """A criterion and the parameters of its kind; fields of other kinds are ignored."""

    mode = forms.ChoiceField(
        label=_("How points are computed"), choices=criteria.MODES, required=False
    )
    lower_is_better = forms.BooleanField(
        label=_("A lower value is better (e.g. poverty rate)"), required=False
    )
    no_target = forms.ChoiceField(
        label=_("A unit without an assigned target gets"),
        choices=criteria.NO_TARGET,
        required=False,
    )
    grades = forms.CharField(
        label=_("Levels"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "Tốt = 6\nKhá = 4\nTrung bình = 0"}),
        help_text=_("One level per line, as “name = points”."),
    )
    points_per_item = forms.DecimalField(
        label=_("Points per item"),
        required=False,
        localize=True,
        max_digits=9,
        decimal_places=2,
        help_text=_("Per occurrence; for points per item, a negative number is deducted."),
    )
    cap = forms.DecimalField(
        label=_("At most"),
        required=False,
        localize=True,
        max_digits=9,
        decimal_places=2,
        min_value=0,
        help_text=_("Empty for the maximum points."),
    )

    counts_register = forms.BooleanField(
        label=_("The items are the unit's entries in the register of exemplary models"),
        required=False,
    )

    class Meta:
        model = Criterion
        fields = ["parent", "code", "text", "kind", "max_points", "unit_of_measure", "note"]
        localized_fields = ["max_points"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "max_points": _(
                "For a group, the sum of its criteria; for a bonus or penalty, its cap "
                "(0 for none); empty for a veto gate."
            ),
        }

    field_order = [
        "parent",
        "code",
        "text",
        "kind",
        "max_points",
        "mode",
        "lower_is_better",
        "no_target",
        "unit_of_measure",
        "grades",
        "points_per_item",
        "cap",
        "counts_register",
        "note",
    ]

    def __init__(self, *args, sheet, **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        groups = sheet.criteria.filter(kind=Criterion.Kind.GROUP)
        if self.instance.pk:
            groups = groups.exclude(pk__in=self._subtree_ids())
        parent = self.fields["parent"]
        parent.queryset = groups
        parent.required = False
        parent.empty_label = _("(none: at the top of the sheet)")
        parent.label_from_instance = lambda group: f"{group.code} – {group.text[:80]}"
        self.fields["max_points"].required = False
        params = self.instance.params or {}
        if self.instance.pk:
            self.initial.setdefault("mode", params.get("mode", criteria.PROPORTIONAL))
            self.initial.setdefault("lower_is_better", params.get("lower_is_better", False))
            self.initial.setdefault("no_target", params.get("no_target") or criteria.ZERO)
            self.initial.setdefault("grades", criteria.pairs_text(params.get("grades")))
            self.initial.setdefault(
                "counts_register", params.get("counts") == criteria.COUNTS_EXEMPLARY
            )
            for name in ("points_per_item", "cap"):
                if name in params:
                    self.initial.setdefault(name, criteria.parse_decimal(params[name]))

    def _subtree_ids(self) -> set[int]:
        """This criterion and everything under it: a group cannot move below itself."""
        pairs = list(self.sheet.criteria.values_list("pk", "parent_id"))
        ids = {self.instance.pk}
        grew = True
        while grew:
            more = {pk for pk, parent in pairs if parent in ids} - ids
            ids |= more
            grew = bool(more)
        return ids

    def clean_code(self):
        code = " ".join(self.cleaned_data["code"].split()).rstrip(".")
        if not code:
            raise forms.ValidationError(self.fields["code"].error_messages["required"])
        clash = Criterion.objects.filter(sheet=self.sheet, code=code).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Another criterion of this sheet has this code."))
        return code

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        parent = data.get("parent")
        if parent is not None and (
            parent.sheet_id != self.sheet.pk or parent.kind != Criterion.Kind.GROUP
        ):
            self.add_error("parent", _("Choose a group of this sheet."))
        if (
            self.instance.pk
            and kind
            and kind != Criterion.Kind.GROUP
            and self.instance.children.exists()
        ):
            self.add_error("kind", _("This group has criteria; move or delete them first."))
        max_points = data.get("max_points")
        if kind == Criterion.Kind.VETO:
            if max_points:
                self.add_error("max_points", _("A veto gate has no points; leave this empty."))
            max_points = data["max_points"] = Decimal("0")
        elif kind and max_points is None and "max_points" not in self.errors:
            self.add_error("max_points", self.fields["max_points"].error_messages["required"])
        values = {name: data.get(name) for name in criteria.PARAM_NAMES}
        if kind == Criterion.Kind.GRADED:
            try:
                values["grades"] = criteria.parse_pairs(data.get("grades") or "")
            except ValueError as e:
                self.add_error("grades", str(e))
        if kind and max_points is not None and not self.errors:
            try:
                self.instance.params = criteria.build_params(kind, values, max_points=max_points)
            except criteria.ParamError as e:
                self.add_error(e.field, e.message)
        return data


class RuleSetForm(forms.ModelForm):
    """The province's rules of a year: bands as "name = percent" lines and the tie-break
    order as one choice per place."""

    bands = forms.CharField(
        label=_("Classification bands"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 4, "placeholder": "Xuất sắc = 95\nTốt = 85\nKhá = 70"}
        ),
        help_text=_("One band per line, as “name = minimum percentage of the maximum points”."),
    )

    class Meta:
        model = RuleSet
        fields = [
            "eligibility_min_percent",
            "core_group",
            "bonus_cap",
            "self_score_deadline",
            "agreed_score_deadline",
            "proposal_deadline",
        ]
        localized_fields = ["eligibility_min_percent", "bonus_cap"]
        widgets = {
            "self_score_deadline": DateInput(),
            "agreed_score_deadline": DateInput(),
            "proposal_deadline": DateInput(),
        }
        help_texts = {
            "eligibility_min_percent": _("E.g. 90: at least 90 percent of the maximum points."),
            "core_group": _("Code of the group compared first in a tie, e.g. I."),
            "bonus_cap": _("At most this many bonus points count; 0 for no cap."),
        }

    field_order = ["bands", "eligibility_min_percent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *criteria.TIE_BREAKS]
        order = self.initial.get("tie_breaks", self.instance.tie_breaks) or []
        for place in range(1, len(criteria.TIE_BREAKS) + 1):
            self.fields[f"tie_break_{place}"] = forms.ChoiceField(
                label=_("Tie-break %(place)d") % {"place": place},
                choices=choices,
                required=False,
                initial=order[place - 1] if place <= len(order) else "",
            )
        if self.instance.pk and "bands" not in self.initial:
            self.initial["bands"] = criteria.pairs_text(
                [(label, Decimal(points)) for label, points in self.instance.bands]
            )
        # The tie-break order comes after the bands and the minimum, then the rest.
        names = list(self.fields)
        places = [name for name in names if name.startswith("tie_break_")]
        rest = [name for name in names if name not in places and name not in self.field_order]
        self.order_fields([*self.field_order, *places, *rest])

    def clean_bands(self):
        try:
            bands = criteria.parse_pairs(self.cleaned_data["bands"])
        except ValueError as e:
            raise forms.ValidationError(str(e)) from None
        percents = [points for _label, points in bands]
        if any(points > 100 for points in percents):
            raise forms.ValidationError(_("A percentage cannot be more than 100."))
        if len(set(percents)) != len(percents):
            raise forms.ValidationError(_("Two bands have the same percentage."))
        bands.sort(key=lambda band: band[1], reverse=True)
        return [[label, criteria.stored(points)] for label, points in bands]

    def clean_eligibility_min_percent(self):
        value = self.cleaned_data["eligibility_min_percent"]
        if value is not None and not 0 <= value <= 100:
            raise forms.ValidationError(_("Enter a percentage between 0 and 100."))
        return value

    def clean_bonus_cap(self):
        value = self.cleaned_data["bonus_cap"]
        if value is not None and value < 0:
            raise forms.ValidationError(_("The number must not be negative."))
        return value

    def clean(self):
        data = super().clean()
        order = []
        for place in range(1, len(criteria.TIE_BREAKS) + 1):
            name = f"tie_break_{place}"
            value = data.get(name)
            if not value:
                continue
            if value in order:
                self.add_error(name, _("This rule is already chosen above."))
            order.append(value)
        if "core_group" in order and not data.get("core_group"):
            self.add_error(
                "core_group",
                _("Give the code of the core group, or remove it from the tie-break order."),
            )
        deadlines = ["self_score_deadline", "agreed_score_deadline", "proposal_deadline"]
        for earlier, later in zip(deadlines, deadlines[1:], strict=False):
            if data.get(earlier) and data.get(later) and data[later] < data[earlier]:
                self.add_error(later, _("This deadline is before the previous one."))
        self.instance.tie_breaks = order
        if "bands" in data:
            self.instance.bands = data["bands"]
        return data


# --- Covenants, targets and scoring pages --------------------------------------------

# Evidence files: extension → the bytes such a file starts with. Office files are zip
# archives, told apart by the part only a Word document or a workbook has.
EVIDENCE_SIGNATURES = {
    ".pdf": b"%PDF-",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
    ".png": b"\x89PNG\r\n\x1a\n",
    ".docx": b"PK\x03\x04",
    ".xlsx": b"PK\x03\x04",
}
EVIDENCE_OFFICE_PARTS = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_ACCEPT = ",".join(EVIDENCE_SIGNATURES)


def validate_evidence_file(upload) -> None:
    """Refuse anything but a PDF, JPG, PNG, DOCX or XLSX file of at most 10 MB.

    The extension is checked, then the content: a renamed file fails on its first bytes.
    """
    extension = os.path.splitext(upload.name)[1].lower()
    signature = EVIDENCE_SIGNATURES.get(extension)
    if signature is None:
        raise forms.ValidationError(_("Attach a PDF, JPG, PNG, DOCX or XLSX file."), "type")
    if upload.size > EVIDENCE_MAX_BYTES:
        raise forms.ValidationError(_("The file is larger than 10 MB."), "size")
    upload.seek(0)
    head = upload.read(len(signature))
    upload.seek(0)
    matches = head == signature
    if matches and extension in EVIDENCE_OFFICE_PARTS:
        try:
            with zipfile.ZipFile(upload) as archive:
                matches = EVIDENCE_OFFICE_PARTS[extension] in archive.namelist()
        except (zipfile.BadZipFile, OSError):
            matches = False
        upload.seek(0)
    if not matches:
        raise forms.ValidationError(
            _("The content of the file is not a %(type)s file.") % {"type": extension[1:].upper()},
            "content",
        )


class DecimalTextField(forms.Field):
    """A number as Vietnamese users type it ("12,5", "1.234,5"), read by scoring.parse_decimal.

    Values are stored with at most four decimals and sixteen digits (Score.value,
    Target.target).
    """

    widget = forms.TextInput

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def prepare_value(self, value):
        return criteria.typed(value) if isinstance(value, Decimal) else value

    def to_python(self, value):
        text = (value or "").strip() if isinstance(value, str) else value
        if text in self.empty_values:
            return None
        if isinstance(text, Decimal):
            return text
        try:
            number = scoring.parse_decimal(text)
        except scoring.ScoreError as error:
            raise forms.ValidationError(error.message, error.code) from error
        if number != number.quantize(Decimal("0.0001")) or abs(number) >= Decimal(10) ** 12:
            raise forms.ValidationError(
                _("Enter at most 12 digits before the comma and 4 after it."), "digits"
            )
        return number


class CovenantForm(forms.ModelForm):
    class Meta:
        model = Covenant
        fields = ["signed_on", "signatories", "sheet"]
        widgets = {"signed_on": DateInput(), "signatories": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"signatories": _("One per line: name, position and unit.")}

    def __init__(self, *args, cluster_year, **kwargs):
        super().__init__(*args, **kwargs)
        # Sheets of the same year first: a cluster normally adopts that year's template.
        sheets = (
            ScoreSheet.objects.filter(province_id=cluster_year.cluster.province_id)
            .annotate(other_year=Case(When(year=cluster_year.year, then=0), default=1))
            .order_by("other_year", "-year", "name")
        )
        self.fields["sheet"].queryset = sheets
        if self.instance.pk is None:
            self.initial.setdefault(
                "sheet", sheets.filter(year=cluster_year.year).values_list("pk", flat=True).first()
            )


class TargetTableForm(forms.Form):
    """The covenant's targets: per member and quantitative criterion, the assigned target
    and, optionally, the value the member registered."""

    def __init__(self, *args, units, criteria, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.units, self.criteria = units, criteria
        for unit in units:
            for criterion in criteria:
                row = targets.get((unit.pk, criterion.pk))
                names = {"unit": unit.name, "code": criterion.code}
                self.fields[f"t-{unit.pk}-{criterion.pk}"] = DecimalTextField(
                    required=False,
                    initial=row.target if row else None,
                    label=_("Target of %(unit)s for %(code)s") % names,
                )
                self.fields[f"r-{unit.pk}-{criterion.pk}"] = DecimalTextField(
                    required=False,
                    initial=row.registered if row else None,
                    label=_("Registered value of %(unit)s for %(code)s") % names,
                )
        for field in self.fields.values():
            field.widget.attrs.update(
                {"aria-label": field.label, "class": "form-control form-control-sm"}
            )

    def clean(self):
        data = super().clean()
        for name, value in data.items():
            if value is not None and value < 0:
                self.add_error(name, _("The target cannot be negative."))
        return data

    def rows(self):
        """(unit, [(criterion, target field, registered field), …]) per member, for the table."""
        return [
            (
                unit,
                [
                    (c, self[f"t-{unit.pk}-{c.pk}"], self[f"r-{unit.pk}-{c.pk}"])
                    for c in self.criteria
                ],
            )
            for unit in self.units
        ]

    def cells(self) -> dict[tuple[int, int], tuple[Decimal | None, Decimal | None]]:
        data = self.cleaned_data
        return {
            (u.pk, c.pk): (data[f"t-{u.pk}-{c.pk}"], data[f"r-{u.pk}-{c.pk}"])
            for u in self.units
            for c in self.criteria
        }


class CrossAssignmentForm(forms.Form):
    """For each member, the member that cross-scores it (never itself)."""

    def __init__(self, *args, units, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = units
        for unit in units:
            choices = [("", "–")] + [(str(u.pk), u.name) for u in units if u.pk != unit.pk]
            self.fields[f"scorer-{unit.pk}"] = forms.TypedChoiceField(
                label=unit.name,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                initial=current.get(unit.pk),
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )

    def scorers(self) -> dict[int, int | None]:
        return {u.pk: self.cleaned_data[f"scorer-{u.pk}"] for u in self.units}


class PeriodMoveForm(forms.Form):
    to_state = forms.ChoiceField(label=_("New state"), choices=Period.State.choices)
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


_CONTROL = "form-control form-control-sm"
_SCORE_WIDGET_CLASSES = {"checkbox": "form-check-input", "select": "form-select form-select-sm"}


class ScoreEntryForm(forms.Form):
    """One unit's scores at one stage: for each criterion the input its kind needs, a
    note, the score's version when the page was loaded and, for self-scoring, a file.

    clean() turns every value into points with clusters.scoring; a value the criterion
    cannot take is an error on its input. `entries` are then the cells that changed and
    `uploads` the files, for covenant_services.scores_save.

    `specs` maps criterion ids to scoring.CriterionSpec (None when its parameters are
    invalid), `targets` to the unit's targets, `others` to the other units' self-scored
    values (for leader mode) and `scores` to the unit's current scores at this stage.
    """

    def __init__(self, *args, criteria, specs, targets, others, scores, evidence=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria, self.specs, self.targets = criteria, specs, targets
        self.others, self.scores, self.evidence = others, scores, evidence
        for criterion in criteria:
            spec, score = specs.get(criterion.pk), scores.get(criterion.pk)
            value_field, initial = self._value_field(criterion, spec, score)
            value_field.initial = initial
            value_field.label = f"{criterion.code} {criterion.text}"
            self.fields[f"c{criterion.pk}-value"] = value_field
            self.fields[f"c{criterion.pk}-note"] = forms.CharField(
                label=_("Note"),
                required=False,
                max_length=2000,
                initial=score.note if score else "",
                widget=forms.Textarea(attrs={"rows": 1}),
            )
            # A page that does not send it counts as having seen an empty cell.
            self.fields[f"c{criterion.pk}-version"] = forms.IntegerField(
                min_value=0,
                required=False,
                initial=score.version if score else 0,
                widget=forms.HiddenInput,
            )
            if evidence:
                self.fields[f"c{criterion.pk}-file"] = forms.FileField(
                    label=_("Evidence file"),
                    required=False,
                    widget=forms.FileInput(attrs={"accept": EVIDENCE_ACCEPT}),
                )
        for field in self.fields.values():
            kind = getattr(field.widget, "input_type", "textarea")
            if kind != "hidden":
                field.widget.attrs.setdefault("class", _SCORE_WIDGET_CLASSES.get(kind, _CONTROL))

    @staticmethod
    def _value_field(criterion, spec, score):
        value = score.value if score else None
        Kind = scoring.Kind
        if spec is None:
            return forms.CharField(required=False, disabled=True), criteria.typed(value)
        if spec.kind == Kind.VETO:
            return forms.BooleanField(required=False), value == 1
        if spec.kind == Kind.QUALITATIVE and not spec.params["partial"]:
            choices = [("", "–"), ("1", _("Achieved")), ("0", _("Not achieved"))]
            initial = "" if value is None else str(int(value == 1))
            return forms.ChoiceField(required=False, choices=choices), initial
        if spec.kind == Kind.GRADED:
            choices = [("", "–")] + [
                (str(i), f"{label} ({criteria.typed(points)})")
                for i, (label, points) in enumerate(spec.params["grades"])
            ]
            initial = "" if value is None else str(int(value))
            return forms.ChoiceField(required=False, choices=choices), initial
        return DecimalTextField(required=False), value

    def _normalised(self, spec, raw) -> Decimal | None:
        if spec.kind == scoring.Kind.VETO:
            return Decimal(1) if raw else None
        if isinstance(raw, str):
            return Decimal(raw) if raw else None
        return raw

    def clean(self):
        data = super().clean()
        self.entries, self.uploads = [], []
        for criterion in self.criteria:
            prefix = f"c{criterion.pk}"
            spec = self.specs.get(criterion.pk)
            upload = data.get(f"{prefix}-file")
            if upload:
                try:
                    validate_evidence_file(upload)
                except forms.ValidationError as error:
                    self.add_error(f"{prefix}-file", error)
                else:
                    self.uploads.append((criterion, upload))
            if spec is None or f"{prefix}-value" not in data:
                continue
            value = self._normalised(spec, data[f"{prefix}-value"])
            note = (data.get(f"{prefix}-note") or "").strip()
            try:
                points = None if value is None else self._points(spec, criterion, value)
            except scoring.ScoreError as error:
                self.add_error(f"{prefix}-value", error.message)
                continue
            score = self.scores.get(criterion.pk)
            if score is None and value is None and not note:
                continue
            if score is not None and value is None and score.value is None:
                # Points entered elsewhere without a value (the agreed grid, an import):
                # an empty input leaves them as they are.
                points = score.points
            if score is not None and (score.value, score.points, score.note) == (
                value,
                points,
                note,
            ):
                continue
            self.entries.append(
                {
                    "criterion": criterion,
                    "value": value,
                    "points": points,
                    "note": note,
                    "expected_version": data.get(f"{prefix}-version") or 0,
                }
            )
        return data

    def show_current(self, criterion, score, message: str) -> None:
        """Put a colleague's newer score in the inputs, with its version, and say so: saving
        again then replaces it knowingly (after a ScoreConflict)."""
        prefix = f"c{criterion.pk}"
        self.data = self.data.copy()
        _field, initial = self._value_field(criterion, self.specs.get(criterion.pk), score)
        if isinstance(initial, bool):
            self.data.pop(f"{prefix}-value", None)
            if initial:
                self.data[f"{prefix}-value"] = "on"
        else:
            self.data[f"{prefix}-value"] = (
                initial if isinstance(initial, str) else criteria.typed(initial)
            )
        self.data[f"{prefix}-note"] = score.note if score else ""
        self.data[f"{prefix}-version"] = str(score.version if score else 0)
        self.add_error(f"{prefix}-value", message)

    def _points(self, spec, criterion, value: Decimal) -> Decimal:
        target = self.targets.get(criterion.pk)
        leader = None
        if spec.kind == scoring.Kind.QUANTITATIVE and spec.params["mode"] == scoring.LEADER:
            # The best actual value of the period, this one included; the target otherwise.
            leader = scoring.leader_value(spec, [*self.others.get(criterion.pk, ()), value])
            leader = target if leader is None else leader
        return scoring.criterion_points(spec, value, target=target, leader=leader)
