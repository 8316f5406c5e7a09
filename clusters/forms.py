import os
import zipfile
from decimal import Decimal

from django import forms
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm
from django.db.models import Case, When
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from . import criteria, scoring, text
from .models import (
    Cluster,
    ClusterYear,
    Covenant,
    Criterion,
    Membership,
    Period,
    RoleAssignment,
    RuleSet,
    ScoreSheet,
    Unit,
    UnitSuccession,
    User,
)


class DateInput(forms.DateInput):
    """A text box for dd/mm/yyyy; the input formats come from emulation/formats."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"placeholder": _("dd/mm/yyyy"), "autocomplete": "off", **(attrs or {})},
            format="%d/%m/%Y",
        )


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Wrong username or password. Both are case-sensitive."),
        "inactive": _("This account is inactive."),
    }


def _check_period(form, start_field: str, end_field: str) -> None:
    start = form.cleaned_data.get(start_field)
    end = form.cleaned_data.get(end_field)
    if start and end and end < start:
        form.add_error(end_field, _("The end date must not be before the start date."))


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = [
            "kind",
            "code",
            "name",
            "short_name",
            "valid_from",
            "valid_to",
            "address",
            "phone",
            "email",
            "head_name",
            "head_position",
        ]
        widgets = {"valid_from": DateInput(), "valid_to": DateInput()}

    def __init__(self, *args, province, **kwargs):
        super().__init__(*args, **kwargs)
        self.province = province

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if code:
            clash = Unit.objects.filter(province=self.province, code=code).exclude(
                pk=self.instance.pk
            )
            if clash.exists():
                raise forms.ValidationError(_("Another unit of this province has this code."))
        return code

    def clean(self):
        super().clean()
        _check_period(self, "valid_from", "valid_to")


class UnitContactForm(forms.ModelForm):
    """What a member unit's own officer may change: contact details, not official data."""

    class Meta:
        model = Unit
        fields = ["address", "phone", "email", "head_name", "head_position"]


class UnitRenameForm(forms.Form):
    new_name = forms.CharField(label=_("New name"), max_length=200)
    effective_date = forms.DateField(label=_("Effective date"), widget=DateInput())
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=300,
        help_text=_("E.g. Nghị quyết số 1663/NQ-UBTVQH15 ngày 16/6/2025."),
    )


class UnitChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, unit):
        period = ""
        if unit.valid_to:
            period = _(" (until %(date)s)") % {"date": unit.valid_to.strftime("%d/%m/%Y")}
        return f"{unit.name}{period}"


class ReorganisationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitSuccession.Kind.choices)
    predecessors = UnitChoiceField(
        label=_("Units before"),
        queryset=Unit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    successors = UnitChoiceField(
        label=_("Units after"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Leave empty for a dissolution."),
    )
    effective_date = forms.DateField(label=_("Effective date"), widget=DateInput())
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    close_predecessors = forms.BooleanField(
        label=_("End the units before on the day before the effective date"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["predecessors"].queryset = units
        self.fields["successors"].queryset = units

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        before = set(data.get("predecessors") or [])
        after = set(data.get("successors") or [])
        if before & after:
            self.add_error("successors", _("A unit cannot succeed itself."))
        if kind == UnitSuccession.Kind.DISSOLVE and after:
            self.add_error("successors", _("A dissolution has no successor."))
        if kind != UnitSuccession.Kind.DISSOLVE and not after:
            self.add_error("successors", _("Choose at least one unit after the change."))
        if kind == UnitSuccession.Kind.MERGE and len(after) > 1:
            self.add_error("successors", _("A merger has exactly one unit after it."))
        if kind == UnitSuccession.Kind.SPLIT and len(before) > 1:
            self.add_error("predecessors", _("A split starts from exactly one unit."))
        return data


class ClusterForm(forms.ModelForm):
    class Meta:
        model = Cluster
        fields = [
            "kind",
            "number",
            "name",
            "symbol",
            "founding_decision",
            "valid_from",
            "valid_to",
        ]
        widgets = {"valid_from": DateInput(), "valid_to": DateInput()}

    def clean(self):
        super().clean()
        _check_period(self, "valid_from", "valid_to")


class ClusterYearForm(forms.ModelForm):
    class Meta:
        model = ClusterYear
        fields = [
            "head_unit",
            "deputy_unit",
            "secretary_name",
            "secretary_position",
            "supervisor_name",
            "supervisor_position",
            "header_parent",
            "header_name",
            "signer_name",
            "signer_position",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The head and deputy are chosen among the term's members.
        members = Unit.objects.filter(memberships__cluster_year=self.instance).distinct()
        self.fields["head_unit"].queryset = members
        self.fields["deputy_unit"].queryset = members

    def clean(self):
        data = super().clean()
        head, deputy = data.get("head_unit"), data.get("deputy_unit")
        if head and deputy and head == deputy:
            self.add_error("deputy_unit", _("The deputy head must be another unit."))
        return data


class ClusterYearCreateForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    copy_previous = forms.BooleanField(
        label=_("Copy members and header lines from the previous year"),
        required=False,
        initial=True,
    )


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["unit", "valid_from", "valid_to", "women_majority", "note"]
        widgets = {"valid_from": DateInput(), "valid_to": DateInput()}

    def __init__(self, *args, cluster_year, **kwargs):
        super().__init__(*args, **kwargs)
        self.cluster_year = cluster_year
        self.fields["unit"].queryset = Unit.objects.filter(
            province_id=cluster_year.cluster.province_id
        )
        self.fields["unit"].label_from_instance = lambda unit: (
            f"{unit.name} ({unit.code})" if unit.code else unit.name
        )

    def clean(self):
        data = super().clean()
        _check_period(self, "valid_from", "valid_to")
        start, end = data.get("valid_from"), data.get("valid_to")
        year = self.cluster_year.year
        for field, day in (("valid_from", start), ("valid_to", end)):
            if day and day.year != year:
                self.add_error(field, _("The date must fall in %(year)s.") % {"year": year})
        unit = data.get("unit")
        if unit and not self.errors:
            first = start or self.cluster_year.first_day
            last = end or self.cluster_year.last_day
            if not (unit.exists_on(first) and unit.exists_on(last)):
                self.add_error(
                    "unit", _("This unit did not exist for the whole membership period.")
                )
            overlapping = (
                self.cluster_year.memberships.filter(unit=unit)
                .exclude(pk=self.instance.pk)
                .exclude(valid_to__lt=first)
                .exclude(valid_from__gt=last)
            )
            if overlapping.exists():
                self.add_error("unit", _("This unit is already a member for these dates."))
        return data


USER_PROFILE_FIELDS = ["full_name", "position", "phone", "email"]


class UserCreateForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ["username", *USER_PROFILE_FIELDS]


class UserForm(forms.ModelForm):
    class Meta:
        model = User
        fields = [*USER_PROFILE_FIELDS, "is_active"]


class RoleAssignmentForm(forms.ModelForm):
    """A role in the user's province; the role decides whether a cluster year or a
    unit is needed, and the other one is refused."""

    class Meta:
        model = RoleAssignment
        fields = ["role", "cluster_year", "unit"]

    def __init__(self, *args, user, province, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        years = ClusterYear.objects.filter(cluster__province=province)
        self.fields["cluster_year"].queryset = years.select_related("cluster").order_by(
            "-year", "cluster__sort_key"
        )
        self.fields["cluster_year"].label_from_instance = lambda term: (
            f"{term.year} – {term.cluster.name}"
        )
        self.fields["unit"].queryset = Unit.objects.filter(province=province)

    def clean(self):
        data = super().clean()
        role = data.get("role")
        Role = RoleAssignment.Role
        needs = {"cluster_year": role in RoleAssignment.CLUSTER_ROLES}
        needs["unit"] = role == Role.MEMBER_OFFICER
        for name, needed in needs.items():
            if needed and not data.get(name):
                self.add_error(name, _("This role needs this field."))
            elif not needed and data.get(name):
                self.add_error(name, _("Leave this field empty for this role."))
        if role and not self.errors:
            duplicate = RoleAssignment.objects.filter(
                user=self.user,
                role=role,
                cluster_year=data.get("cluster_year"),
                unit=data.get("unit"),
            )
            if duplicate.exists():
                raise forms.ValidationError(_("The user already has this role."))
        return data


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)

    def folded(self) -> str:
        return text.fold(self.cleaned_data.get("q") or "") if self.is_valid() else ""


class ImportForm(forms.Form):
    """The file to import and what it holds; the rows are checked by clusters.imports."""

    kind = forms.ChoiceField(
        label=_("What to import"),
        choices=[("units", _("Units")), ("memberships", _("Members of clusters and blocs"))],
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("Excel (.xlsx) or CSV (.csv, UTF-8, comma or semicolon separated)."),
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Choose an Excel (.xlsx) or CSV (.csv) file."))
        return upload


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


def plain_number(value: Decimal | None) -> str:
    """A stored number as a user would type it: 12,5 rather than 12.5000."""
    if value is None:
        return ""
    normal = value.normalize()
    places = max(0, -normal.as_tuple().exponent)
    return number_format(normal, decimal_pos=places)


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
        return plain_number(value) if isinstance(value, Decimal) else value

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
            return forms.CharField(required=False, disabled=True), plain_number(value)
        if spec.kind == Kind.VETO:
            return forms.BooleanField(required=False), value == 1
        if spec.kind == Kind.QUALITATIVE and not spec.params["partial"]:
            choices = [("", "–"), ("1", _("Achieved")), ("0", _("Not achieved"))]
            initial = "" if value is None else str(int(value == 1))
            return forms.ChoiceField(required=False, choices=choices), initial
        if spec.kind == Kind.GRADED:
            choices = [("", "–")] + [
                (str(i), f"{label} ({plain_number(points)})")
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
                initial if isinstance(initial, str) else plain_number(initial)
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


# --- Movements and the register of exemplary models ------------------------------------
# Appended as a section of its own; the rules these forms do not check (a unit that did
# not exist on the recognition day, another province's movement) are in clusters.exemplary.

from django.utils import formats as _formats  # noqa: E402

from .models import ExemplaryModel, Movement  # noqa: E402


class MovementForm(forms.ModelForm):
    class Meta:
        model = Movement
        fields = [
            "name",
            "kind",
            "launched_by",
            "launched_on",
            "start",
            "end",
            "clusters",
            "description",
        ]
        widgets = {
            "launched_on": DateInput(),
            "start": DateInput(),
            "end": DateInput(),
            "clusters": forms.CheckboxSelectMultiple(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "launched_by": _("Who launched it, e.g. Chủ tịch UBND tỉnh."),
            "clusters": _("The clusters and blocs that take part; none for the whole province."),
        }

    def __init__(self, *args, province, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clusters"].queryset = Cluster.objects.filter(province=province)

    def clean(self):
        data = super().clean()
        _check_period(self, "start", "end")
        return data


def _unit_label(unit: Unit) -> str:
    """A unit with its validity when it has one: reorganised provinces have namesakes."""
    if not (unit.valid_from or unit.valid_to):
        return unit.name
    start = _formats.date_format(unit.valid_from, "SHORT_DATE_FORMAT") if unit.valid_from else "…"
    end = _formats.date_format(unit.valid_to, "SHORT_DATE_FORMAT") if unit.valid_to else "…"
    return f"{unit.name} ({start} – {end})"


class ExemplaryModelForm(forms.ModelForm):
    """An entry of the register; `units` are those the user may record models for."""

    class Meta:
        model = ExemplaryModel
        fields = [
            "kind",
            "title",
            "person_name",
            "unit",
            "movement",
            "recognised_on",
            "recognised_by",
            "description",
        ]
        widgets = {
            "recognised_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "person_name": _("For a person or a family; empty for a collective or a model."),
            "recognised_by": _("Who recognised it and how, e.g. UBND huyện, a commendation."),
        }

    def __init__(self, *args, units, movements, unit_required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        unit.queryset = units
        unit.required = unit_required
        unit.label_from_instance = _unit_label
        movement = self.fields["movement"]
        movement.queryset = movements
        movement.required = False
        # The register is read by year (filters, the count on score sheets): a date is needed.
        self.fields["recognised_on"].required = True


# ---------------------------------------------------------------------------
# Meetings of a cluster year: clusters.meeting_services holds their rules, which the
# forms show per field before the writes enforce them again.

from . import meeting_services  # noqa: E402
from .models import Meeting, MeetingCommendation, MeetingSection  # noqa: E402


class TimeInput(forms.TimeInput):
    """A text box for hh:mm (24 hours)."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"placeholder": _("hh:mm"), "autocomplete": "off", **(attrs or {})},
            format="%H:%M",
        )


class MeetingForm(forms.ModelForm):
    """A meeting's header, people and conclusions; `staff` alone sees the demo flag."""

    class Meta:
        model = Meeting
        fields = meeting_services.MEETING_FIELDS
        localized_fields = ["approval_percent"]
        widgets = {
            "date": DateInput(),
            "start_time": TimeInput(),
            "end_time": TimeInput(),
            "guests": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "date": _(
                "In the term's year; a covenant signing or an annual review may also be held "
                "until 31 March of the next year."
            ),
            "host_unit": _("A member of the cluster on the meeting date."),
            "chair_name": _("Once delegates are recorded, the chair must be one of them."),
        }

    def __init__(self, *args, cluster_year, staff: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.cluster_year = cluster_year
        if not staff:
            del self.fields["illustrative"]
        self.fields["host_unit"].queryset = meeting_services.term_units(cluster_year)
        for name in ("next_head_unit", "next_deputy_unit", "next_host_unit"):
            self.fields[name].queryset = meeting_services.successor_units(cluster_year)

    def clean(self):
        data = super().clean()
        problems = meeting_services.meeting_problems(
            cluster_year=self.cluster_year,
            data=data,
            meeting=self.instance if self.instance.pk else None,
        )
        for name, message in problems.items():
            if name not in self.fields:
                name = None
            if name is None or name not in self.errors:
                self.add_error(name, message)
        return data


class AttendanceForm(forms.Form):
    """One row per member on the meeting date: present or not, and its delegates."""

    def __init__(self, *args, units, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = list(units)
        for unit in self.units:
            row = rows.get(unit.pk)
            self.fields[f"present-{unit.pk}"] = forms.BooleanField(
                label=_("Present"), required=False, initial=row.present if row else True
            )
            self.fields[f"delegates-{unit.pk}"] = forms.CharField(
                label=_("Delegates"),
                required=False,
                max_length=5000,
                initial=row.delegates if row else "",
                widget=forms.Textarea(
                    attrs={"rows": 2, "placeholder": _("One per line: name, position")}
                ),
            )

    def clean(self):
        data = super().clean()
        # The form's fields are the members; a posted row for any other unit is an error,
        # not something to drop silently.
        known = {str(unit.pk) for unit in self.units}
        for key in self.data:
            prefix, _dash, unit_id = key.partition("-")
            if prefix in ("present", "delegates") and unit_id not in known:
                raise forms.ValidationError(
                    _("Only members of the cluster on the meeting date can be recorded.")
                )
        return data

    def rows(self) -> dict[int, tuple[bool, str]]:
        return {
            unit.pk: (
                self.cleaned_data[f"present-{unit.pk}"],
                self.cleaned_data[f"delegates-{unit.pk}"],
            )
            for unit in self.units
        }


class MeetingSectionForm(forms.ModelForm):
    class Meta:
        model = MeetingSection
        fields = ["kind", "title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}


class MeetingCommendationForm(forms.ModelForm):
    """A commendation handed out at the meeting, with the authority that issued it."""

    class Meta:
        model = MeetingCommendation
        fields = [
            "recipient_name",
            "collective",
            "recipient_unit",
            "form",
            "issuer",
            "decision_ref",
        ]
        help_texts = {
            "issuer": _(
                "The competent authority, e.g. Chủ tịch UBND huyện Tân Hồng; never the cluster, "
                "which has no power to award."
            ),
            "decision_ref": _("E.g. Quyết định số 123/QĐ-UBND ngày 20/7/2022."),
        }

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        province_id = meeting.cluster_year.cluster.province_id
        self.fields["recipient_unit"].queryset = Unit.objects.filter(
            province_id=province_id
        ).existing_on(meeting.date)

    def clean_issuer(self):
        issuer = " ".join(self.cleaned_data["issuer"].split())
        problem = meeting_services.issuer_problem(issuer)
        if problem:
            raise forms.ValidationError(problem)
        return issuer


# --- Appraisal of proposals and award decisions --------------------------------------

from .models import AwardDecision, ProposalItem  # noqa: E402


class ItemAppraisalForm(forms.Form):
    """The province's appraisal of one proposed item. The lower forms come as a list read
    once for the whole page, so that a page of items costs no query per item."""

    appraisal = forms.ChoiceField(
        label=_("Appraisal"),
        choices=[
            (value, label)
            for value, label in ProposalItem.Appraisal.choices
            if value != ProposalItem.Appraisal.PENDING
        ],
        widget=forms.RadioSelect,
    )
    reduced_to = forms.TypedChoiceField(
        label=_("Reduced to"), coerce=int, required=False, empty_value=None
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required unless the item is accepted."),
    )

    def __init__(self, *args, item, lower_forms, **kwargs):
        if item.appraisal != ProposalItem.Appraisal.PENDING:
            kwargs.setdefault(
                "initial",
                {
                    "appraisal": item.appraisal,
                    "reduced_to": item.reduced_to_id,
                    "reason": item.appraisal_reason,
                },
            )
        super().__init__(*args, **kwargs)
        self.item = item
        self.lower_forms = {award_form.pk: award_form for award_form in lower_forms}
        self.fields["reduced_to"].choices = [("", "—")] + [
            (award_form.pk, award_form.name) for award_form in lower_forms
        ]

    def clean(self):
        data = super().clean()
        appraisal = data.get("appraisal")
        if appraisal == ProposalItem.Appraisal.REDUCED:
            if data.get("reduced_to") is None:
                self.add_error("reduced_to", _("Choose the lower form the item is reduced to."))
            else:
                data["reduced_to"] = self.lower_forms[data["reduced_to"]]
        else:
            data["reduced_to"] = None
        if appraisal and appraisal != ProposalItem.Appraisal.ACCEPTED:
            if not data.get("reason", "").strip():
                self.add_error("reason", _("Give the reason for reducing or rejecting the item."))
        return data


class ProposalReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("What the cluster must complete"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("This field is required."), "required")
        return reason


class ProposalItemChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, item):
        award_form = item.reduced_to if item.reduced_to_id else item.award_form
        label = f"{item.unit.name} — {item.proposal.cluster_year.cluster.name}: {award_form.name}"
        if item.reduced_to_id:
            label += " " + str(_("(reduced from %(form)s)") % {"form": item.award_form.name})
        return label


class AwardDecisionForm(forms.ModelForm):
    """A decision and its recipients: appraised items of the year and other units."""

    items = ProposalItemChoiceField(
        label=_("Proposed units (appraised for this form)"),
        queryset=ProposalItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    units = UnitChoiceField(
        label=_("Other units of the province"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Units awarded without a cluster's proposal."),
    )

    class Meta:
        model = AwardDecision
        fields = [
            "number",
            "date",
            "award_form",
            "authority_prefix",
            "signer_name",
            "signer_position",
            "note",
        ]
        widgets = {"date": DateInput(), "note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "signer_position": _("E.g. PHÓ CHỦ TỊCH, under the prefix KT. CHỦ TỊCH."),
        }

    def __init__(self, *args, province, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.province = province
        self.fields["items"].queryset = items
        self.fields["units"].queryset = Unit.objects.filter(province=province)

    def clean_number(self):
        number = " ".join(self.cleaned_data["number"].split())
        clash = AwardDecision.objects.filter(province=self.province, number__iexact=number)
        if clash.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("The province already has a decision with this number."), "unique"
            )
        return number

    def clean(self):
        data = super().clean()
        if not data.get("items") and not data.get("units"):
            self.add_error(None, _("Choose at least one recipient."))
        return data


# --- Ballots and the cluster's proposal ---------------------------------------------------
# Appended as a section of its own. These forms check the input; the rules (a tally that
# adds up, the proposal's checks) are in clusters.ballot_services and proposal_services.

from .models import AwardForm as _AwardForm  # noqa: E402
from .models import Ballot as _Ballot  # noqa: E402

# The largest count a PositiveSmallIntegerField holds on every database.
_COUNT_MAX = 32767


def _ballot_label(name: str):
    return capfirst(_Ballot._meta.get_field(name).verbose_name)


class BallotForm(forms.Form):
    """A new ballot: the award form (chosen before), quota, threshold, members, those
    present and the candidates, listed in ranking order."""

    award_form = forms.ModelChoiceField(queryset=_AwardForm.objects.all(), widget=forms.HiddenInput)
    quota = forms.IntegerField(label=_ballot_label("quota"), min_value=1, max_value=_COUNT_MAX)
    threshold_percent = DecimalTextField(label=_ballot_label("threshold_percent"))
    members_total = forms.IntegerField(
        label=_ballot_label("members_total"), min_value=1, max_value=_COUNT_MAX
    )
    present = forms.IntegerField(label=_ballot_label("present"), min_value=0, max_value=_COUNT_MAX)
    tally_committee = forms.CharField(
        label=_ballot_label("tally_committee"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: name and position."),
    )
    candidates = forms.ModelMultipleChoiceField(
        label=_("Candidates"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one candidate.")},
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = list(units)
        self.fields["candidates"].queryset = Unit.objects.filter(pk__in=[u.pk for u in self.units])

    def clean_threshold_percent(self):
        value = self.cleaned_data["threshold_percent"]
        if not Decimal(0) < value <= Decimal(100) or value != value.quantize(Decimal("0.01")):
            raise forms.ValidationError(
                _("Enter a percentage above 0 and at most 100, with at most two decimals."),
                "range",
            )
        return value

    def clean(self):
        data = super().clean()
        present, total = data.get("present"), data.get("members_total")
        if present is not None and total is not None and present > total:
            self.add_error("present", _("More members cannot be present than the cluster has."))
        return data

    def ordered_candidates(self) -> list:
        """The chosen candidates in the order of the list (the ranking)."""
        chosen = {unit.pk for unit in self.cleaned_data["candidates"]}
        return [unit for unit in self.units if unit.pk in chosen]


class BallotTallyForm(forms.Form):
    """The tally of one round: the committee, the ballots and each candidate's votes.

    Only counts: nothing here, or anywhere, records who voted for whom.
    """

    tally_committee = forms.CharField(
        label=_ballot_label("tally_committee"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: name and position."),
    )
    issued = forms.IntegerField(label=_ballot_label("issued"), min_value=0, max_value=_COUNT_MAX)
    returned = forms.IntegerField(
        label=_ballot_label("returned"), min_value=0, max_value=_COUNT_MAX
    )
    valid = forms.IntegerField(label=_ballot_label("valid"), min_value=0, max_value=_COUNT_MAX)
    invalid = forms.IntegerField(label=_ballot_label("invalid"), min_value=0, max_value=_COUNT_MAX)

    def __init__(self, *args, ballot, candidates, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "tally_committee": ballot.tally_committee,
                "issued": ballot.issued,
                "returned": ballot.returned,
                "valid": ballot.valid,
                "invalid": ballot.invalid,
            },
        )
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        for candidate in self.candidates:
            self.fields[f"votes-{candidate.pk}"] = forms.IntegerField(
                label=_("Votes for %(unit)s") % {"unit": candidate.unit.name},
                min_value=0,
                max_value=_COUNT_MAX,
                initial=candidate.votes,
            )

    def votes(self) -> dict[int, int]:
        """Votes by candidate (BallotCandidate pk)."""
        return {c.pk: self.cleaned_data[f"votes-{c.pk}"] for c in self.candidates}


class ProposalItemForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    award_form = forms.ModelChoiceField(label=_("Award form"), queryset=_AwardForm.objects.all())

    def __init__(self, *args, cluster_year, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (
            Unit.objects.filter(memberships__cluster_year=cluster_year)
            .distinct()
            .order_by("sort_key", "pk")
        )


class ProposalOverrideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for overriding the checks"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the province accepts this item although a check fails."),
    )


class ProposalSubmitForm(forms.Form):
    number = forms.CharField(
        label=_("Document number"),
        max_length=50,
        required=False,
        help_text=_("The number of the proposal letter, e.g. 05/TTr-CTĐ3."),
    )
