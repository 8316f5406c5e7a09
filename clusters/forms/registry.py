"""Forms of the registry: login, units, reorganisations, clusters, terms, members,
users and imports."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm
from django.utils.translation import gettext_lazy as _

from .. import text
from ..models import (
    Cluster,
    ClusterYear,
    Membership,
    RoleAssignment,
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
