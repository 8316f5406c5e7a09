"""What the API returns: one serializer per kind of row, and the query parameters of
each list (validated like input, so that a bad filter is a 400 and never a 500).

Decimals (points, percentages, money) are strings, as DRF gives them, so that no
client rounds them through a float. Units referred to from another row carry their id,
code and current name; where the name of the day matters (a ranking, an award) the
row says which name it gives.
"""

from django.core.validators import RegexValidator
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clusters import selectors
from clusters.models import (
    Attendance,
    AwardDecision,
    AwardForm,
    AwardRecipient,
    Cluster,
    ClusterYear,
    Meeting,
    MeetingCommendation,
    MeetingSection,
    Membership,
    Period,
    Unit,
    UnitName,
    UnitSuccession,
)
from reports.models import Document, Kind

# Ids are 64-bit: larger numbers in a filter are refused instead of overflowing the database.
MAX_ID = 2**63 - 1
YEAR = {"min_value": 1900, "max_value": 2999}
POINTS = {"max_digits": 9, "decimal_places": 2}

# --- References to other rows ---------------------------------------------------------


class UnitRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "code", "name"]


class ClusterRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Cluster
        fields = ["id", "kind", "number", "name"]


class AwardFormSerializer(serializers.ModelSerializer):
    class Meta:
        model = AwardForm
        fields = ["code", "name", "level", "collective"]


# --- Units and their lineage ----------------------------------------------------------


class UnitNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = UnitName
        fields = ["name", "valid_from", "valid_to", "legal_basis"]


class PredecessorSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(source="predecessor", help_text="The unit this one came from.")

    class Meta:
        model = UnitSuccession
        fields = ["unit", "kind", "effective_date", "legal_basis", "note"]


class SuccessorSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(
        source="successor",
        allow_null=True,
        help_text="The unit that carried this one on; null when it was dissolved.",
    )

    class Meta:
        model = UnitSuccession
        fields = ["unit", "kind", "effective_date", "legal_basis", "note"]


class UnitSerializer(serializers.ModelSerializer):
    names = UnitNameSerializer(many=True, help_text="The names the unit bore, oldest first.")
    predecessors = PredecessorSerializer(
        source="successions_in",
        many=True,
        help_text="The reorganisations that made this unit: the units it came from.",
    )
    successors = SuccessorSerializer(
        source="successions_out",
        many=True,
        help_text="The reorganisations that ended or changed this unit: the units after it.",
    )

    class Meta:
        model = Unit
        fields = [
            "id",
            "province",
            "kind",
            "code",
            "name",
            "short_name",
            "valid_from",
            "valid_to",
            "names",
            "predecessors",
            "successors",
        ]


class LineageStepSerializer(serializers.Serializer):
    unit = UnitRefSerializer()
    steps = serializers.IntegerField(help_text="Reorganisations between the two units.")


class LineageSerializer(serializers.Serializer):
    predecessors = LineageStepSerializer(many=True)
    successors = LineageStepSerializer(many=True)


class UnitDetailSerializer(UnitSerializer):
    lineage = serializers.SerializerMethodField(
        help_text="Every unit this one descends from and every unit that carries it on, "
        "through any number of reorganisations, nearest first."
    )

    class Meta(UnitSerializer.Meta):
        fields = [*UnitSerializer.Meta.fields, "lineage"]

    @extend_schema_field(LineageSerializer)
    def get_lineage(self, unit: Unit) -> dict:
        before, after = selectors.unit_lineage(unit)
        return LineageSerializer({"predecessors": before, "successors": after}).data


# --- Clusters, their years and periods -------------------------------------------------


class PeriodRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Period
        fields = ["id", "kind", "state"]


class ClusterYearSerializer(serializers.ModelSerializer):
    head_unit = UnitRefSerializer(allow_null=True)
    deputy_unit = UnitRefSerializer(allow_null=True)
    members_count = serializers.IntegerField(help_text="Member units in the year.")
    periods = PeriodRefSerializer(many=True)

    class Meta:
        model = ClusterYear
        fields = ["id", "year", "head_unit", "deputy_unit", "members_count", "periods"]


class MembershipSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer()

    class Meta:
        model = Membership
        fields = ["unit", "valid_from", "valid_to"]


class ClusterYearDetailSerializer(ClusterYearSerializer):
    members = MembershipSerializer(source="memberships", many=True)

    class Meta(ClusterYearSerializer.Meta):
        fields = [*ClusterYearSerializer.Meta.fields, "members"]


class ClusterSerializer(serializers.ModelSerializer):
    years = ClusterYearSerializer(many=True, help_text="The cluster's terms, latest first.")

    class Meta:
        model = Cluster
        fields = [
            "id",
            "province",
            "kind",
            "number",
            "name",
            "symbol",
            "founding_decision",
            "valid_from",
            "valid_to",
            "years",
        ]


class ClusterDetailSerializer(ClusterSerializer):
    years = ClusterYearDetailSerializer(
        many=True, help_text="The cluster's terms, latest first, with their members."
    )


class PeriodSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="cluster_year.year")
    cluster = ClusterRefSerializer(source="cluster_year.cluster")

    class Meta:
        model = Period
        fields = ["id", "kind", "state", "cluster_year", "year", "cluster"]


# --- Rankings ---------------------------------------------------------------------------


class RankedRowSerializer(serializers.Serializer):
    """A clusters.scoring.RankedRow."""

    rank = serializers.IntegerField()
    tied = serializers.BooleanField(
        help_text="Shares its rank with another unit that no tie-break could separate."
    )
    unit_id = serializers.IntegerField(source="result.key")
    name = serializers.CharField(
        source="result.name", help_text="The unit's name at the end of the period."
    )
    group_totals = serializers.DictField(
        source="result.group_totals",
        child=serializers.DecimalField(**POINTS),
        help_text="Base points per top-level criterion (usually the groups I, II, …), by code.",
    )
    base = serializers.DecimalField(source="result.base", **POINTS)
    bonus = serializers.DecimalField(source="result.bonus", **POINTS)
    penalty = serializers.DecimalField(source="result.penalty", **POINTS)
    final = serializers.DecimalField(source="result.final", **POINTS)
    maximum = serializers.DecimalField(source="result.maximum", **POINTS)
    percent = serializers.DecimalField(source="result.percent", max_digits=6, decimal_places=2)
    band = serializers.CharField(source="result.band", help_text="The classification band.")
    vetoed = serializers.BooleanField(source="result.vetoed")
    veto_reasons = serializers.ListField(
        source="result.veto_reasons", child=serializers.CharField()
    )
    eligible = serializers.BooleanField(
        source="result.eligible", help_text="Eligible for a provincial award."
    )
    flag_candidate = serializers.BooleanField(
        help_text="Ranked first alone and eligible: the unit the cluster may propose for the flag."
    )
    tie_break_notes = serializers.ListField(child=serializers.CharField())


class RankingSerializer(serializers.Serializer):
    period = PeriodSerializer()
    rows = RankedRowSerializer(many=True, help_text="The members in ranking order.")
    error = serializers.CharField(
        help_text="Why there is no ranking (empty when there is one): no score sheet yet, or "
        "a score or rule the ranking cannot use."
    )


# --- Meetings ---------------------------------------------------------------------------


class MeetingSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="cluster_year.year")
    cluster = ClusterRefSerializer(source="cluster_year.cluster")
    host_unit = UnitRefSerializer(allow_null=True)
    next_head_unit = UnitRefSerializer(allow_null=True)
    next_deputy_unit = UnitRefSerializer(allow_null=True)
    next_host_unit = UnitRefSerializer(allow_null=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "kind",
            "date",
            "start_time",
            "end_time",
            "venue",
            "cluster_year",
            "year",
            "cluster",
            "host_unit",
            "chair_name",
            "chair_position",
            "secretary_name",
            "secretary_position",
            "next_head_unit",
            "next_deputy_unit",
            "next_host_unit",
            "approval_percent",
        ]


class AttendanceSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer()

    class Meta:
        model = Attendance
        fields = ["unit", "present", "delegates"]


class MeetingSectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeetingSection
        fields = ["kind", "position", "title", "body"]


class CommendationSerializer(serializers.ModelSerializer):
    recipient_unit = UnitRefSerializer(allow_null=True)

    class Meta:
        model = MeetingCommendation
        fields = [
            "recipient_name",
            "recipient_unit",
            "collective",
            "form",
            "issuer",
            "decision_ref",
        ]


class MeetingDetailSerializer(MeetingSerializer):
    attendance = AttendanceSerializer(many=True)
    sections = MeetingSectionSerializer(many=True, help_text="The content, in minutes order.")
    commendations = CommendationSerializer(many=True, help_text="Commendations handed out.")

    class Meta(MeetingSerializer.Meta):
        fields = [
            *MeetingSerializer.Meta.fields,
            "guests",
            "attendance",
            "sections",
            "commendations",
        ]


# --- Award decisions --------------------------------------------------------------------


class RecipientSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer()
    name_at_decision = serializers.SerializerMethodField(
        help_text="The unit's name on the date of the decision."
    )

    class Meta:
        model = AwardRecipient
        fields = ["unit", "name_at_decision", "year", "citation", "amount"]

    def get_name_at_decision(self, recipient: AwardRecipient) -> str:
        return recipient.unit.name_on(recipient.decision.date)


class DecisionSerializer(serializers.ModelSerializer):
    award_form = AwardFormSerializer()
    recipients = RecipientSerializer(many=True)
    recipients_count = serializers.IntegerField()
    total_amount = serializers.DecimalField(
        max_digits=15, decimal_places=0, help_text="Cash of all recipients (VND)."
    )

    class Meta:
        model = AwardDecision
        fields = [
            "id",
            "province",
            "number",
            "date",
            "award_form",
            "authority_prefix",
            "signer_name",
            "signer_position",
            "base_salary",
            "multiple",
            "note",
            "recipients_count",
            "total_amount",
            "recipients",
        ]


# --- Issued documents -------------------------------------------------------------------


class DocumentSerializer(serializers.ModelSerializer):
    replaced_by = serializers.IntegerField(
        source="replaced_by_id",
        allow_null=True,
        help_text="The corrected version that replaces this one; null while it is current.",
    )
    pdf_url = serializers.SerializerMethodField(help_text="The issued PDF, as it was signed.")
    verify_url = serializers.SerializerMethodField(
        help_text="The public page that checks a printed copy against the register."
    )

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "number_text",
            "title",
            "province",
            "cluster_year",
            "year",
            "period",
            "issued_at",
            "version",
            "replaces",
            "replaced_by",
            "sha256",
            "code",
            "pdf_url",
            "verify_url",
        ]
        extra_kwargs = {
            "sha256": {"help_text": "SHA-256 of the PDF file, in hexadecimal."},
            "code": {"help_text": "The verification code printed on the document."},
        }

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_pdf_url(self, document: Document) -> str:
        return self._absolute(reverse("reports:issued_pdf", args=[document.pk]))

    def get_verify_url(self, document: Document) -> str:
        return self._absolute(reverse("reports:verify_code", args=[document.code]))


# --- Query parameters of the lists ------------------------------------------------------


class UnitFilters(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        max_length=100,
        # Null characters are refused (400) like everywhere in Django; the pattern says so.
        validators=[RegexValidator(r"^[^\x00]*$")],
        help_text="Words of the name, short name or code; accents and case are ignored.",
    )
    kind = serializers.ChoiceField(choices=Unit.Kind.choices, required=False)
    existing_on = serializers.DateField(
        required=False, help_text="Only the units that existed on this day (YYYY-MM-DD)."
    )


class ClusterFilters(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Cluster.Kind.choices, required=False)


class PeriodFilters(serializers.Serializer):
    year = serializers.IntegerField(required=False, **YEAR)
    cluster = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="A cluster's id."
    )
    kind = serializers.ChoiceField(choices=Period.Kind.choices, required=False)
    state = serializers.ChoiceField(choices=Period.State.choices, required=False)


class MeetingFilters(serializers.Serializer):
    year = serializers.IntegerField(required=False, **YEAR)
    cluster = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="A cluster's id."
    )
    kind = serializers.ChoiceField(choices=Meeting.Kind.choices, required=False)


class DecisionFilters(serializers.Serializer):
    year = serializers.IntegerField(
        required=False,
        help_text="The year of the achievements awarded (a decision of early 2026 usually "
        "awards 2025).",
        **YEAR,
    )
    award_form = serializers.SlugField(
        required=False, max_length=40, help_text="An award form's code."
    )


class DocumentFilters(serializers.Serializer):
    year = serializers.IntegerField(required=False, **YEAR)
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
    cluster_year = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="A cluster year's id."
    )
