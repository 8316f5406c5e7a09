"""The cluster registry: provinces, units and their reorganisation, clusters and blocs,
their yearly terms and members, and who may do what.

History (who, when, before/after) is kept by django-simple-history on every model
that users edit.
"""

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import text


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    province = models.ForeignKey(
        "Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.username

    def get_absolute_url(self):
        return reverse("clusters:user_detail", args=[self.pk])


class Province(models.Model):
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("official code"), max_length=10, blank=True)
    # Printed above a cluster's name in document headers, e.g. "UBND TỈNH ĐỒNG THÁP".
    authority_name = models.CharField(_("people's committee name"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["name"]

    def __str__(self):
        return self.name


class SortedNameModel(models.Model):
    """A model with a `name` that lists sort in Vietnamese order and search ignores accents."""

    sort_key = models.CharField(max_length=2000, editable=False, db_index=True)
    search_text = models.TextField(editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # The keys are a pure function of the name, so they are kept with it on every save.
        self.refresh_name_keys()
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "sort_key", "search_text"}
        super().save(*args, **kwargs)

    def search_names(self) -> list[str]:
        return [self.name]

    def refresh_name_keys(self) -> None:
        """Recompute the derived sort and search columns; bulk_create callers must call it."""
        self.sort_key = text.sort_key(self.name)
        self.search_text = text.fold(" ".join(self.search_names()))


class UnitQuerySet(models.QuerySet):
    def existing_on(self, day: datetime.date):
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )

    def search(self, query: str):
        folded = text.fold(query)
        if not folded:
            return self
        filters = Q()
        for word in folded.split():
            filters &= Q(search_text__contains=word) | Q(code__iexact=word)
        return self.filter(filters)


class Unit(SortedNameModel):
    class Kind(models.TextChoices):
        PROVINCE = "province", _("Province")
        DISTRICT = "district", _("District")
        PROVINCIAL_CITY = "provincial_city", _("Provincial city")
        TOWN = "town", _("Town")
        COMMUNE = "commune", _("Commune")
        WARD = "ward", _("Ward")
        TOWNSHIP = "township", _("Township")
        SPECIAL_ZONE = "special_zone", _("Special zone")
        DEPARTMENT = "department", _("Department")
        AGENCY = "agency", _("Agency")
        MASS_ORGANISATION = "mass_organisation", _("Front or mass organisation")
        PUBLIC_SERVICE = "public_service", _("Public service unit")
        ENTERPRISE = "enterprise", _("Enterprise")
        SCHOOL = "school", _("School")
        OTHER = "other", _("Other")

    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="units"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    code = models.CharField(_("official code"), max_length=20, blank=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    # Contact details that the unit's own officer keeps up to date.
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    head_name = models.CharField(_("head of unit"), max_length=150, blank=True)
    head_position = models.CharField(_("head's position"), max_length=200, blank=True)
    illustrative = models.BooleanField(
        _("illustrative (demo)"),
        default=False,
        help_text=_("Demo data that is not taken from a source."),
    )

    objects = UnitQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["sort_key", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "code"],
                condition=~Q(code=""),
                name="unit_code_unique_in_province",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unit_validity_ordered",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("clusters:unit_detail", args=[self.pk])

    def search_names(self) -> list[str]:
        return [self.name, self.short_name, self.code]

    def exists_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def name_on(self, day: datetime.date) -> str:
        """The unit's name on `day`, from its name history (prefetched as `names`)."""
        for unit_name in self.names.all():
            if unit_name.covers(day):
                return unit_name.name
        return self.name


class UnitName(models.Model):
    """One name a unit bore over a period; the last one equals `Unit.name`."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="names"
    )
    name = models.CharField(_("name"), max_length=200)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit name")
        verbose_name_plural = _("unit names")
        ordering = ["unit", "valid_from"]

    def __str__(self):
        return self.name

    def covers(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class UnitSuccession(models.Model):
    """One edge of the reorganisation graph: `predecessor` went on as `successor`.

    A merge of three communes into one is three rows with the same successor and
    date; a split is one row per successor; a dissolution has no successor.
    """

    class Kind(models.TextChoices):
        MERGE = "merge", _("Merger")
        SPLIT = "split", _("Split")
        RENAME = "rename", _("Renaming")
        ABSORB = "absorb", _("Absorption")
        DISSOLVE = "dissolve", _("Dissolution")
        TRANSFER = "transfer", _("Transfer")

    predecessor = models.ForeignKey(
        Unit,
        verbose_name=_("predecessor"),
        on_delete=models.PROTECT,
        related_name="successions_out",
    )
    successor = models.ForeignKey(
        Unit,
        verbose_name=_("successor"),
        on_delete=models.PROTECT,
        related_name="successions_in",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    effective_date = models.DateField(_("effective date"))
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reorganisation")
        verbose_name_plural = _("reorganisations")
        ordering = ["-effective_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor", "effective_date"],
                name="succession_unique",
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")),
                name="succession_not_to_itself",
            ),
        ]

    def __str__(self):
        return f"{self.predecessor} → {self.successor or '∅'} ({self.effective_date:%d/%m/%Y})"


class Cluster(SortedNameModel):
    class Kind(models.TextChoices):
        CLUSTER = "cluster", _("Emulation cluster")
        BLOC = "bloc", _("Emulation bloc")

    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="clusters"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    name = models.CharField(_("name"), max_length=200)
    symbol = models.CharField(
        _("document symbol"),
        max_length=20,
        blank=True,
        help_text=_("Used in document numbers, e.g. CTĐ3 in 02/BB-CTĐ3."),
    )
    founding_decision = models.CharField(_("founding decision"), max_length=300, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    illustrative = models.BooleanField(_("illustrative (demo)"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cluster or bloc")
        verbose_name_plural = _("clusters and blocs")
        ordering = ["kind", "sort_key", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="cluster_validity_ordered",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("clusters:cluster_detail", args=[self.pk])


class ClusterYear(models.Model):
    """A cluster's term for one year: its head, deputy, secretary and document header."""

    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster or bloc"), on_delete=models.PROTECT, related_name="years"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    head_unit = models.ForeignKey(
        Unit,
        verbose_name=_("head unit"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    deputy_unit = models.ForeignKey(
        Unit,
        verbose_name=_("deputy head unit"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    secretary_name = models.CharField(_("secretary"), max_length=150, blank=True)
    secretary_position = models.CharField(_("secretary's position"), max_length=200, blank=True)
    supervisor_name = models.CharField(_("supervising council member"), max_length=150, blank=True)
    supervisor_position = models.CharField(_("supervisor's position"), max_length=200, blank=True)
    header_parent = models.CharField(
        _("header: parent body"),
        max_length=200,
        blank=True,
        help_text=_("First header line of the cluster's documents, e.g. UBND TỈNH ĐỒNG THÁP."),
    )
    header_name = models.CharField(
        _("header: issuing body"),
        max_length=200,
        blank=True,
        help_text=_("Second header line, in bold, e.g. CỤM THI ĐUA SỐ 3."),
    )
    signer_name = models.CharField(_("signer"), max_length=150, blank=True)
    signer_position = models.CharField(
        _("signer's position in their agency"),
        max_length=200,
        blank=True,
        help_text=_("E.g. CHỦ TỊCH UBND HUYỆN TÂN HỒNG."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cluster year")
        verbose_name_plural = _("cluster years")
        ordering = ["cluster", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "year"], name="cluster_year_unique"),
        ]

    def __str__(self):
        return f"{self.cluster} – {self.year}"

    def get_absolute_url(self):
        return reverse("clusters:clusteryear_detail", args=[self.pk])

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def last_day(self) -> datetime.date:
        return datetime.date(self.year, 12, 31)


class Membership(models.Model):
    """A unit's membership of a cluster in one year; dates narrow it within the year."""

    cluster_year = models.ForeignKey(
        ClusterYear,
        verbose_name=_("cluster year"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="memberships"
    )
    valid_from = models.DateField(_("member from"), null=True, blank=True)
    valid_to = models.DateField(_("member until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # NĐ 152/2025 Art. 4(6): among equally qualified collectives, prefer those of ≥ 70 % women.
    women_majority = models.BooleanField(_("at least 70 % women"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster_year", "unit", "valid_from"], name="membership_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="membership_validity_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.unit} ∈ {self.cluster_year}"


class RoleAssignment(models.Model):
    """What a user may do, and where.

    Provincial staff and leaders act on a whole province; a cluster head or
    secretary on one cluster year; a member officer on one unit.
    """

    class Role(models.TextChoices):
        PROVINCIAL_STAFF = "provincial_staff", _("Provincial staff")
        LEADER = "leader", _("Leader (read-only)")
        CLUSTER_HEAD = "cluster_head", _("Cluster head")
        CLUSTER_SECRETARY = "cluster_secretary", _("Cluster secretary")
        MEMBER_OFFICER = "member_officer", _("Member unit officer")

    PROVINCE_ROLES = {Role.PROVINCIAL_STAFF, Role.LEADER}
    CLUSTER_ROLES = {Role.CLUSTER_HEAD, Role.CLUSTER_SECRETARY}

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="roles",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.CASCADE, related_name="+"
    )
    cluster_year = models.ForeignKey(
        ClusterYear,
        verbose_name=_("cluster year"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="roles",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="roles",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        role__in=["provincial_staff", "leader"],
                        cluster_year__isnull=True,
                        unit__isnull=True,
                    )
                    | Q(
                        role__in=["cluster_head", "cluster_secretary"],
                        cluster_year__isnull=False,
                        unit__isnull=True,
                    )
                    | Q(role="member_officer", cluster_year__isnull=True, unit__isnull=False)
                ),
                name="role_scope_matches_role",
            ),
        ]

    def __str__(self):
        scope = self.cluster_year or self.unit or self.province
        return f"{self.get_role_display()} – {scope}"
