"""Covenants, score sheets, periods and scores: how a cluster measures its members."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .registry import ClusterYear, Province, Unit

POINTS = {"max_digits": 9, "decimal_places": 2}
VALUES = {"max_digits": 16, "decimal_places": 4}


class ScoreSheet(models.Model):
    """A tree of criteria; provinces keep one template per kind of cluster and year."""

    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="sheets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=200)
    scale = models.DecimalField(_("scale (maximum base points)"), **POINTS)
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["province", "year", "name"], name="sheet_unique"),
        ]

    def __str__(self):
        return f"{self.name} ({self.year})"

    def get_absolute_url(self):
        return reverse("clusters:sheet_detail", args=[self.pk])


class Criterion(models.Model):
    # The same values as clusters.scoring.Kind, which computes with them.
    class Kind(models.TextChoices):
        GROUP = "group", _("Group")
        QUANTITATIVE = "quantitative", _("Quantitative (against a target)")
        QUALITATIVE = "qualitative", _("Qualitative (achieved or not)")
        GRADED = "graded", _("Graded")
        PER_ITEM = "per_item", _("Points per item")
        BONUS = "bonus", _("Bonus")
        PENALTY = "penalty", _("Penalty")
        VETO = "veto", _("Veto gate")

    sheet = models.ForeignKey(
        ScoreSheet, verbose_name=_("score sheet"), on_delete=models.CASCADE, related_name="criteria"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("group"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    code = models.CharField(_("code"), max_length=20)
    text = models.TextField(_("criterion"))
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    max_points = models.DecimalField(_("maximum points"), **POINTS)
    position = models.PositiveIntegerField(_("position"), default=0)
    # Formula parameters, by kind: mode, no_target, lower_is_better, grades, points_per_item, cap.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=50, blank=True)
    note = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["sheet", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "code"], name="criterion_code_unique"),
            models.CheckConstraint(condition=Q(max_points__gte=0), name="criterion_max_positive"),
        ]

    def __str__(self):
        return f"{self.code} {self.text[:60]}"


class RuleSet(models.Model):
    """The province's scoring rules for one year."""

    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="rulesets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # [["Xuất sắc", "95"], ["Tốt", "85"], …]: label and minimum percentage of the scale.
    bands = models.JSONField(_("classification bands"), default=list)
    eligibility_min_percent = models.DecimalField(
        _("minimum percentage for the flag"), max_digits=5, decimal_places=2, default=90
    )
    tie_breaks = models.JSONField(_("tie-break order"), default=list)
    core_group = models.CharField(_("core group code"), max_length=20, blank=True)
    bonus_cap = models.DecimalField(_("bonus cap"), default=0, **POINTS)
    # Meetings and ballots (provincial rules on clusters; domain.md §2.6).
    quorum_percent = models.DecimalField(
        _("quorum (percent of members present)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("66.67"),
    )
    ballot_threshold_percent = models.DecimalField(
        _("ballot threshold (percent of all members)"), max_digits=5, decimal_places=2, default=50
    )
    threshold_strict = models.BooleanField(
        _("more than the threshold"),
        default=True,
        help_text=_("Checked: more than the threshold is needed (e.g. more than half)."),
    )
    flag_quota = models.PositiveSmallIntegerField(_("provincial flags per cluster"), default=1)
    merit_quota = models.PositiveSmallIntegerField(
        _("certificates of merit per cluster"), default=2
    )
    self_score_deadline = models.DateField(_("self-scoring deadline"), null=True, blank=True)
    agreed_score_deadline = models.DateField(_("agreed-score deadline"), null=True, blank=True)
    proposal_deadline = models.DateField(_("proposal deadline"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        ordering = ["province", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["province", "year"], name="ruleset_unique"),
        ]

    def __str__(self):
        return f"{self.province} {self.year}"


class Covenant(models.Model):
    cluster_year = models.OneToOneField(
        ClusterYear,
        verbose_name=_("cluster year"),
        on_delete=models.CASCADE,
        related_name="covenant",
    )
    signed_on = models.DateField(_("signing date"), null=True, blank=True)
    signatories = models.TextField(_("signatories"), blank=True)
    sheet = models.ForeignKey(
        ScoreSheet, verbose_name=_("score sheet"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("covenant")
        verbose_name_plural = _("covenants")

    def __str__(self):
        return str(self.cluster_year)


class Target(models.Model):
    """A member's covenant target for a quantitative criterion."""

    covenant = models.ForeignKey(
        Covenant, verbose_name=_("covenant"), on_delete=models.CASCADE, related_name="targets"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="+"
    )
    target = models.DecimalField(_("assigned target"), null=True, blank=True, **VALUES)
    registered = models.DecimalField(_("registered value"), null=True, blank=True, **VALUES)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=50, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["covenant", "unit", "criterion"], name="target_unique"),
        ]

    def __str__(self):
        return f"{self.unit} – {self.criterion.code}"


class Period(models.Model):
    class Kind(models.TextChoices):
        SIX_MONTH = "six_month", _("Six months")
        ANNUAL = "annual", _("Year")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        SCORING = "scoring", _("Scoring")
        AGREED = "agreed", _("Agreed")
        LOCKED = "locked", _("Locked")

    cluster_year = models.ForeignKey(
        ClusterYear,
        verbose_name=_("cluster year"),
        on_delete=models.CASCADE,
        related_name="periods",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.OPEN)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ["cluster_year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["cluster_year", "kind"], name="period_unique"),
        ]

    def __str__(self):
        return f"{self.cluster_year} – {self.get_kind_display()}"


class CrossAssignment(models.Model):
    period = models.ForeignKey(
        Period, verbose_name=_("period"), on_delete=models.CASCADE, related_name="cross_assignments"
    )
    scorer = models.ForeignKey(
        Unit, verbose_name=_("scoring unit"), on_delete=models.PROTECT, related_name="+"
    )
    scored = models.ForeignKey(
        Unit, verbose_name=_("scored unit"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cross-scoring assignment")
        verbose_name_plural = _("cross-scoring assignments")
        constraints = [
            models.UniqueConstraint(fields=["period", "scored"], name="cross_scored_once"),
            models.CheckConstraint(condition=~Q(scorer=models.F("scored")), name="cross_not_self"),
        ]

    def __str__(self):
        return f"{self.scorer} → {self.scored}"


class Score(models.Model):
    """One stage of one unit's score on one criterion in one period.

    `value` is what was entered (an actual value, a count, a grade index, 1/0 for
    achieved, or points); `points` is what it is worth. Stages never overwrite each
    other; `version` refuses stale writes from a second editor.
    """

    class Stage(models.TextChoices):
        SELF = "self", _("Self-scored")
        CROSS = "cross", _("Cross-scored")
        APPRAISAL = "appraisal", _("Appraised")
        AGREED = "agreed", _("Agreed")

    period = models.ForeignKey(
        Period, verbose_name=_("period"), on_delete=models.CASCADE, related_name="scores"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="+"
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    value = models.DecimalField(_("value entered"), null=True, blank=True, **VALUES)
    points = models.DecimalField(_("points"), null=True, blank=True, **POINTS)
    note = models.TextField(_("note"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("entered at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "unit", "criterion", "stage"], name="score_unique"
            ),
        ]

    def __str__(self):
        return f"{self.unit} {self.criterion.code} {self.stage}: {self.points}"


class Evidence(models.Model):
    """A file a member unit attaches to its self-score on one criterion."""

    period = models.ForeignKey(
        Period, verbose_name=_("period"), on_delete=models.CASCADE, related_name="evidence"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="+"
    )
    file = models.FileField(_("file"), upload_to="evidence/%Y/")
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self):
        return self.original_name


class Submission(models.Model):
    """A unit handed in its self-scores (or a scorer its cross-scores) for a period."""

    period = models.ForeignKey(
        Period, verbose_name=_("period"), on_delete=models.CASCADE, related_name="submissions"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Score.Stage.choices)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(fields=["period", "unit", "stage"], name="submission_unique"),
        ]

    def __str__(self):
        return f"{self.unit} {self.stage} {self.period}"


class PeriodResult(models.Model):
    """A locked period's ranking, frozen when it was locked and deleted when it is reopened.

    A locked period's scores cannot change, and its official result must not change
    either when the province edits its rules later; reading it back is also much faster
    than ranking ten years of scores again. `rules` are the scoring rules the ranking was
    computed under and `rows` the ranked units with their totals and tie-break notes, as
    clusters.period_results.result_to_json writes them (result_from_json reads them back).
    """

    period = models.OneToOneField(
        Period, verbose_name=_("period"), on_delete=models.CASCADE, related_name="result"
    )
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)
    rules = models.JSONField(_("scoring rules"), default=dict)
    rows = models.JSONField(_("ranked units"), default=list)
    # The language of the tie-break notes in `rows`.
    language = models.CharField(_("language"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("period result")
        verbose_name_plural = _("period results")

    def __str__(self):
        return str(self.period)
