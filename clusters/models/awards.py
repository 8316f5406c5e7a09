"""Meetings, ballots, proposals and award decisions: what a cluster decides and what the
province awards; and the movements and exemplary models the awards rest on.

Ballots keep counts only: nothing links a voter to a choice. Rules that change by
date (cash multiples, the base salary) are dated reference data, not constants.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .registry import Cluster, ClusterYear, Province, Unit

MONEY = {"max_digits": 15, "decimal_places": 0}
PERCENT = {"max_digits": 5, "decimal_places": 2}


class AwardForm(models.Model):
    """A form of commendation a cluster result can lead to (Law 06/2022 Art. 20–26, 74)."""

    class Level(models.TextChoices):
        PROVINCIAL_FLAG = "provincial_flag", _("Provincial emulation flag")
        MERIT_CERTIFICATE = "merit_certificate", _("Provincial certificate of merit")
        GOVERNMENT_FLAG = "government_flag", _("Government emulation flag")
        OTHER = "other", _("Other")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=30, choices=Level.choices)
    collective = models.BooleanField(_("for collectives"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("award form")
        verbose_name_plural = _("award forms")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class CashMultiple(models.Model):
    """How many base salaries an award form is worth, from a date (NĐ 152/2025 Art. 50–54)."""

    award_form = models.ForeignKey(
        AwardForm, verbose_name=_("award form"), on_delete=models.CASCADE, related_name="multiples"
    )
    valid_from = models.DateField(_("valid from"))
    multiple = models.DecimalField(_("multiple of the base salary"), max_digits=5, decimal_places=2)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cash multiple")
        verbose_name_plural = _("cash multiples")
        ordering = ["award_form", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["award_form", "valid_from"], name="multiple_unique"),
        ]

    def __str__(self):
        return f"{self.award_form}: {self.multiple}× ({self.valid_from:%d/%m/%Y})"


class BaseSalary(models.Model):
    """The statutory base salary (lương cơ sở) in force from a date."""

    valid_from = models.DateField(_("valid from"), unique=True)
    amount = models.DecimalField(_("amount (VND)"), **MONEY)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("base salary")
        verbose_name_plural = _("base salaries")
        ordering = ["-valid_from"]

    def __str__(self):
        return f"{self.amount} ({self.valid_from:%d/%m/%Y})"


class Meeting(models.Model):
    """A meeting of a cluster year: covenant signing, reviews, deliberation."""

    class Kind(models.TextChoices):
        COVENANT_SIGNING = "covenant_signing", _("Covenant signing")
        SIX_MONTH_REVIEW = "six_month_review", _("Six-month review")
        ANNUAL_REVIEW = "annual_review", _("Annual review")
        DELIBERATION = "deliberation", _("Deliberation and acclamation")

    cluster_year = models.ForeignKey(
        ClusterYear,
        verbose_name=_("cluster year"),
        on_delete=models.CASCADE,
        related_name="meetings",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    host_unit = models.ForeignKey(
        Unit,
        verbose_name=_("host unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    chair_name = models.CharField(_("chair"), max_length=150, blank=True)
    chair_position = models.CharField(_("chair's position"), max_length=200, blank=True)
    secretary_name = models.CharField(_("secretary"), max_length=150, blank=True)
    secretary_position = models.CharField(_("secretary's position"), max_length=200, blank=True)
    guests = models.TextField(
        _("guests"), blank=True, help_text=_("One per line: name, position and agency.")
    )
    next_head_unit = models.ForeignKey(
        Unit,
        verbose_name=_("next head unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    next_deputy_unit = models.ForeignKey(
        Unit,
        verbose_name=_("next deputy unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    next_host_unit = models.ForeignKey(
        Unit,
        verbose_name=_("next host unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approval_percent = models.DecimalField(
        _("members approving the minutes (%)"), null=True, blank=True, **PERCENT
    )
    illustrative = models.BooleanField(_("illustrative (demo)"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["cluster_year", "date", "start_time", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__isnull=True)
                | Q(start_time__isnull=True)
                | Q(end_time__gte=models.F("start_time")),
                name="meeting_times_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y} – {self.cluster_year}"

    def get_absolute_url(self):
        return reverse("clusters:meeting_detail", args=[self.pk])


class Attendance(models.Model):
    """Whether a member unit attended a meeting, and who represented it."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendance"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    present = models.BooleanField(_("present"), default=True)
    delegates = models.TextField(
        _("delegates"), blank=True, help_text=_("One per line: name and position.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "unit"], name="attendance_unique"),
        ]

    def __str__(self):
        return f"{self.unit} – {self.meeting}"


class MeetingSection(models.Model):
    """A part of a meeting's content, in the order of the minutes."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Report presented")
        RESULTS = "results", _("Results achieved")
        LIMITATIONS = "limitations", _("Limitations")
        DISCUSSION = "discussion", _("Discussion")
        GUIDANCE = "guidance", _("Guidance from the province")
        CONCLUSIONS = "conclusions", _("Conclusions")
        DIRECTIONS = "directions", _("Directions for the next period")
        OTHER = "other", _("Other")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="sections"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=300, blank=True)
    body = models.TextField(_("content"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting section")
        verbose_name_plural = _("meeting sections")
        ordering = ["meeting", "position", "pk"]

    def __str__(self):
        return self.title or self.get_kind_display()


class MeetingCommendation(models.Model):
    """A commendation handed out at a meeting, issued by a competent authority (a
    cluster has no power to award)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="commendations"
    )
    recipient_name = models.CharField(_("recipient"), max_length=200)
    recipient_unit = models.ForeignKey(
        Unit,
        verbose_name=_("recipient's unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    collective = models.BooleanField(_("collective"), default=False)
    form = models.CharField(_("form of commendation"), max_length=200)
    issuer = models.CharField(_("issued by"), max_length=200)
    decision_ref = models.CharField(_("decision"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("commendation handed out")
        verbose_name_plural = _("commendations handed out")
        ordering = ["meeting", "pk"]

    def __str__(self):
        return f"{self.recipient_name}: {self.form}"


class Ballot(models.Model):
    """One round of a secret ballot for one award form: its quota and threshold, and
    the tally. Only counts are stored."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="ballots"
    )
    award_form = models.ForeignKey(
        AwardForm, verbose_name=_("award form"), on_delete=models.PROTECT, related_name="+"
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    quota = models.PositiveSmallIntegerField(_("quota"))
    threshold_percent = models.DecimalField(_("threshold (percent of all members)"), **PERCENT)
    # The province's rules when the ballot was opened, kept with it so that a later
    # change of the RuleSet does not re-read a past ballot.
    threshold_strict = models.BooleanField(_("more than the threshold"), default=True)
    quorum_percent = models.DecimalField(
        _("quorum (percent of members present)"), default=Decimal("66.67"), **PERCENT
    )
    members_total = models.PositiveSmallIntegerField(_("members in all"))
    present = models.PositiveSmallIntegerField(_("members present"))
    issued = models.PositiveSmallIntegerField(_("ballots issued"), null=True, blank=True)
    returned = models.PositiveSmallIntegerField(_("ballots returned"), null=True, blank=True)
    valid = models.PositiveSmallIntegerField(_("valid ballots"), null=True, blank=True)
    invalid = models.PositiveSmallIntegerField(_("invalid ballots"), null=True, blank=True)
    tally_committee = models.TextField(
        _("tally committee"), blank=True, help_text=_("One per line: name and position.")
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["meeting", "award_form__position", "round"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "award_form", "round"], name="ballot_round_unique"
            ),
        ]

    def __str__(self):
        return f"{self.award_form} – {self.round}"

    def get_absolute_url(self):
        return reverse("clusters:ballot_detail", args=[self.pk])


class BallotCandidate(models.Model):
    ballot = models.ForeignKey(
        Ballot, verbose_name=_("ballot"), on_delete=models.CASCADE, related_name="candidates"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    votes = models.PositiveSmallIntegerField(_("votes"), null=True, blank=True)
    elected = models.BooleanField(_("elected"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["ballot", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "unit"], name="candidate_unique"),
        ]

    def __str__(self):
        return f"{self.unit} – {self.ballot}"


class Proposal(models.Model):
    """The cluster's proposal to the province for a year (Tờ trình đề nghị khen thưởng)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for completion")
        PROCESSED = "processed", _("Processed")

    cluster_year = models.OneToOneField(
        ClusterYear,
        verbose_name=_("cluster year"),
        on_delete=models.CASCADE,
        related_name="proposal",
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    number = models.CharField(_("document number"), max_length=50, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self):
        return str(self.cluster_year)

    def get_absolute_url(self):
        return reverse("clusters:proposal_detail", args=[self.pk])


class ProposalItem(models.Model):
    """One member proposed for one award form, and the province's appraisal of it."""

    class Appraisal(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REDUCED = "reduced", _("Reduced to a lower form")
        REJECTED = "rejected", _("Rejected")

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="items"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    award_form = models.ForeignKey(
        AwardForm, verbose_name=_("award form"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(_("score"), max_digits=9, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    vote_percent = models.DecimalField(
        _("votes (percent of all members)"), null=True, blank=True, **PERCENT
    )
    override_reason = models.TextField(
        _("reason for overriding the checks"),
        blank=True,
        help_text=_("Provincial staff only: why this item is accepted although a check fails."),
    )
    appraisal = models.CharField(
        _("appraisal"), max_length=20, choices=Appraisal.choices, default=Appraisal.PENDING
    )
    appraisal_reason = models.TextField(_("reason"), blank=True)
    reduced_to = models.ForeignKey(
        AwardForm,
        verbose_name=_("reduced to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proposed item")
        verbose_name_plural = _("proposed items")
        ordering = ["proposal", "award_form__position", "rank", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "unit", "award_form"], name="proposal_item_unique"
            ),
        ]

    def __str__(self):
        return f"{self.unit}: {self.award_form}"


class AwardDecision(models.Model):
    """A decision of the provincial chairman (Quyết định khen thưởng)."""

    class Prefix(models.TextChoices):
        NONE = "", _("(signs as holder)")
        KT = "KT.", "KT."
        TM = "TM.", "TM."
        Q = "Q.", "Q."
        TL = "TL.", "TL."
        TUQ = "TUQ.", "TUQ."

    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="decisions"
    )
    number = models.CharField(_("number"), max_length=50, help_text=_("E.g. 123/QĐ-UBND."))
    date = models.DateField(_("date"))
    award_form = models.ForeignKey(
        AwardForm, verbose_name=_("award form"), on_delete=models.PROTECT, related_name="+"
    )
    authority_prefix = models.CharField(
        _("authority prefix"), max_length=5, choices=Prefix.choices, blank=True
    )
    signer_name = models.CharField(_("signer"), max_length=150)
    signer_position = models.CharField(_("signer's position"), max_length=200)
    # Copied from the reference data in force on the decision date, so that a later
    # change of the base salary does not rewrite a past decision.
    base_salary = models.DecimalField(_("base salary (VND)"), **MONEY)
    multiple = models.DecimalField(_("multiple of the base salary"), max_digits=5, decimal_places=2)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("award decision")
        verbose_name_plural = _("award decisions")
        ordering = ["-date", "number"]
        constraints = [
            models.UniqueConstraint(fields=["province", "number"], name="decision_number_unique"),
        ]

    def __str__(self):
        return f"{self.number} ({self.date:%d/%m/%Y})"

    def get_absolute_url(self):
        return reverse("clusters:decision_detail", args=[self.pk])


class AwardRecipient(models.Model):
    """A unit awarded by a decision, for the achievements of a year."""

    decision = models.ForeignKey(
        AwardDecision,
        verbose_name=_("decision"),
        on_delete=models.CASCADE,
        related_name="recipients",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="awards"
    )
    proposal_item = models.ForeignKey(
        ProposalItem,
        verbose_name=_("proposed item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year of the achievement"))
    citation = models.CharField(_("citation"), max_length=300, blank=True)
    amount = models.DecimalField(_("cash amount (VND)"), **MONEY)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("award recipient")
        verbose_name_plural = _("award recipients")
        ordering = ["decision", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "unit"], name="recipient_unique"),
        ]

    def __str__(self):
        return f"{self.unit} – {self.decision}"


class Movement(models.Model):
    """An emulation movement (phong trào thi đua), regular or thematic."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular")
        THEMATIC = "thematic", _("Thematic")

    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="movements"
    )
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    launched_by = models.CharField(_("launched by"), max_length=200, blank=True)
    launched_on = models.DateField(_("launched on"), null=True, blank=True)
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("to"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    clusters = models.ManyToManyField(
        Cluster, verbose_name=_("participating clusters and blocs"), blank=True, related_name="+"
    )
    illustrative = models.BooleanField(_("illustrative (demo)"), default=False)

    history = HistoricalRecords(m2m_fields=[clusters])

    class Meta:
        verbose_name = _("movement")
        verbose_name_plural = _("movements")
        ordering = ["-launched_on", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("clusters:movement_detail", args=[self.pk])


class ExemplaryModel(models.Model):
    """An exemplary model, good deed or new model, linked to a unit and a movement."""

    class Kind(models.TextChoices):
        EXEMPLAR = "exemplar", _("Advanced exemplar")
        GOOD_DEED = "good_deed", _("Good person, good deed")
        NEW_MODEL = "new_model", _("New model")

    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="exemplary_models",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exemplary_models",
    )
    person_name = models.CharField(_("person"), max_length=150, blank=True)
    movement = models.ForeignKey(
        Movement,
        verbose_name=_("movement"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="exemplary_models",
    )
    recognised_on = models.DateField(_("recognised on"), null=True, blank=True)
    recognised_by = models.CharField(_("recognised by"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    illustrative = models.BooleanField(_("illustrative (demo)"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exemplary model")
        verbose_name_plural = _("exemplary models")
        ordering = ["-recognised_on", "title"]

    def __str__(self):
        return self.title
