"""Forms of meetings, ballots, proposals, appraisals, award decisions, movements and
the register of exemplary models."""

from decimal import Decimal

from django import forms
from django.utils import formats as _formats
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .. import meeting_services
from ..models import (
    AwardDecision,
    Cluster,
    ExemplaryModel,
    Meeting,
    MeetingCommendation,
    MeetingSection,
    Movement,
    ProposalItem,
    Unit,
)
from ..models import AwardForm as _AwardForm
from ..models import Ballot as _Ballot
from .registry import DateInput, UnitChoiceField, _check_period
from .scoring import DecimalTextField

# --- Movements and the register of exemplary models ------------------------------------
# Appended as a section of its own; the rules these forms do not check (a unit that did
# not exist on the recognition day, another province's movement) are in clusters.exemplary.


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
