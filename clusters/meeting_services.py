"""Meetings of a cluster year: the meeting itself, the attendance of its members, the
ordered sections of its content and the commendations handed out at it.

Rules kept here (the forms show them per field, the writes enforce them again):

- The date falls in the term's year. A covenant signing or an annual review may also
  be held up to 31 March of the next year: the annual review of a year and the signing
  for the next one are usually held together in the first quarter (domain.md §3.1).
- The members of a meeting are the units whose membership of the term covers its date;
  for a meeting held after the year, those of the year's last day. Attendance has one
  row per such member and no other, so "present" can never exceed the membership.
- The host is a member on the date; the next head, deputy and host are members of the
  cluster in this year or the next, and the next head is not the next deputy.
- Once delegates are recorded, a named chair must be one of the present delegates
  (names compared folded: accents, case and spacing ignored).
- A commendation is issued by a competent authority, never by a cluster or bloc,
  which has no power to award (Law 06/2022 Art. 74–75).
- A meeting with ballots cannot be deleted: the ballots are part of its minutes.
"""

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from . import award_rules, text
from .models import (
    Attendance,
    ClusterYear,
    Meeting,
    MeetingCommendation,
    MeetingSection,
    Membership,
    Unit,
)
from .selectors import ruleset_for
from .services import ClusterError

Kind = Meeting.Kind

DEFAULT_QUORUM_PERCENT = Decimal("66.67")
# Kinds that may be held in the first quarter of the next year.
LATE_KINDS = frozenset({Kind.COVENANT_SIGNING, Kind.ANNUAL_REVIEW})
LATE_LIMIT = (3, 31)  # 31 March of the next year
# Issuers that are a cluster or bloc, once folded: they have no power to award.
NO_AWARD_POWER = ("cum thi dua", "khoi thi dua")


class MeetingError(ClusterError):
    """A refusal, with the form field it is about (None: the whole form)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# --- Pure rules --------------------------------------------------------------------


def date_allowed(kind: str, day: datetime.date, year: int) -> bool:
    """Whether a meeting of `kind` of the term `year` may be held on `day`."""
    if day.year == year:
        return True
    return kind in LATE_KINDS and day.year == year + 1 and (day.month, day.day) <= LATE_LIMIT


def membership_day(day: datetime.date, year: int) -> datetime.date:
    """The day whose membership counts: the meeting day, or the year's last day after it."""
    return min(day, datetime.date(year, 12, 31))


def covers(valid_from, valid_to, day: datetime.date) -> bool:
    return (valid_from is None or valid_from <= day) and (valid_to is None or day <= valid_to)


def _words(value: str) -> str:
    """Folded text with punctuation as spaces, so that names compare word by word."""
    return " ".join(re.sub(r"[^\w]+", " ", text.fold(value)).split())


def is_delegate(name: str, delegates: Iterable[str]) -> bool:
    """Whether `name` is among the delegates (texts of one person per line).

    A line matches when the folded name occurs in it as whole words, so that "Nguyễn
    Văn An" matches "Ông Nguyễn Văn An, Chủ tịch UBND huyện".
    """
    wanted = _words(name)
    if not wanted:
        return True
    for block in delegates:
        for line in block.splitlines():
            if f" {wanted} " in f" {_words(line)} ":
                return True
    return False


def chair_problem(chair_name: str, present_delegates: list[str]) -> str | None:
    """Why the chair cannot be recorded, or None. Checked only once delegates exist."""
    if not chair_name.strip() or not any(d.strip() for d in present_delegates):
        return None
    if is_delegate(chair_name, present_delegates):
        return None
    return _(
        "The chair %(name)s is not among the delegates of the units present. Add the chair "
        "to the delegates of their unit, or correct the name."
    ) % {"name": chair_name.strip()}


def issuer_problem(issuer: str) -> str | None:
    """Why a commendation cannot be recorded as issued by `issuer`, or None."""
    if text.fold(issuer).startswith(NO_AWARD_POWER):
        return _(
            "A cluster or bloc has no power to award: enter the competent authority that "
            "issued the commendation (e.g. the chairman of the district's people's committee)."
        )
    return None


# --- Reads -------------------------------------------------------------------------


def term_units(cluster_year: ClusterYear):
    """Every unit that is a member of the term on some day of the year."""
    return (
        Unit.objects.filter(memberships__cluster_year=cluster_year).distinct().order_by("sort_key")
    )


def successor_units(cluster_year: ClusterYear):
    """Units that may be the next head, deputy or host: members this year or the next."""
    memberships = Membership.objects.filter(
        cluster_year__cluster_id=cluster_year.cluster_id,
        cluster_year__year__in=[cluster_year.year, cluster_year.year + 1],
    )
    return Unit.objects.filter(pk__in=memberships.values("unit_id")).order_by("sort_key", "pk")


def members_on(cluster_year: ClusterYear, day: datetime.date):
    """Units whose membership of the term covers the meeting day (see membership_day)."""
    on = membership_day(day, cluster_year.year)
    memberships = Membership.objects.filter(cluster_year=cluster_year).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=on),
        Q(valid_to__isnull=True) | Q(valid_to__gte=on),
    )
    return Unit.objects.filter(pk__in=memberships.values("unit_id")).order_by("sort_key", "pk")


def quorum_percent(cluster_year: ClusterYear) -> Decimal:
    """The quorum of the province's rules for the year, 66.67 % when it has none."""
    ruleset = ruleset_for(cluster_year)
    return ruleset.quorum_percent if ruleset else DEFAULT_QUORUM_PERCENT


@dataclass(frozen=True)
class Quorum:
    present: int
    total: int
    percent: Decimal

    @property
    def reached(self) -> bool:
        return award_rules.quorum_reached(self.present, self.total, self.percent)


def quorum(member_ids: set[int], present_ids: set[int], percent: Decimal) -> Quorum:
    """Present members out of the members on the meeting date, against the quorum."""
    return Quorum(present=len(present_ids & member_ids), total=len(member_ids), percent=percent)


def meeting_quorum(meeting: Meeting) -> Quorum:
    """The quorum of one meeting, in three queries (for the ballots and documents)."""
    member_ids = set(members_on(meeting.cluster_year, meeting.date).values_list("pk", flat=True))
    present_ids = set(meeting.attendance.filter(present=True).values_list("unit_id", flat=True))
    return quorum(member_ids, present_ids, quorum_percent(meeting.cluster_year))


# --- Checks shared by the forms and the writes --------------------------------------


def meeting_problems(*, cluster_year: ClusterYear, data: Mapping, meeting=None) -> dict:
    """Every reason the meeting data cannot be saved, keyed by field (None: the form).

    `data` has the Meeting fields by name (units as Unit objects or None). When
    `meeting` is saved already, its attendance decides whether the chair is a delegate.
    """
    problems: dict[str | None, str] = {}
    year = cluster_year.year
    kind, day = data.get("kind"), data.get("date")
    if day and kind and not date_allowed(kind, day, year):
        if kind in LATE_KINDS:
            message = _(
                "The date must fall in %(year)s, or be no later than 31/03/%(next)s for a "
                "covenant signing or an annual review."
            ) % {"year": year, "next": year + 1}
        else:
            message = _("The date must fall in %(year)s.") % {"year": year}
        problems["date"] = message
    start, end = data.get("start_time"), data.get("end_time")
    if start and end and end < start:
        problems["end_time"] = _("The end time must not be before the start time.")
    host = data.get("host_unit")
    if host and day and "date" not in problems:
        if not members_on(cluster_year, day).filter(pk=host.pk).exists():
            problems["host_unit"] = _("The host must be a member of the cluster on the date.")
    allowed = None
    for field in ("next_head_unit", "next_deputy_unit", "next_host_unit"):
        unit = data.get(field)
        if unit is None:
            continue
        if allowed is None:
            allowed = set(successor_units(cluster_year).values_list("pk", flat=True))
        if unit.pk not in allowed:
            problems[field] = _("Choose a member of the cluster.")
    head, deputy = data.get("next_head_unit"), data.get("next_deputy_unit")
    if head and deputy and head == deputy and "next_deputy_unit" not in problems:
        problems["next_deputy_unit"] = _("The next deputy head must be another unit.")
    percent = data.get("approval_percent")
    if percent is not None and not (0 <= percent <= 100):
        problems["approval_percent"] = _("Enter a percentage between 0 and 100.")
    if meeting is not None and meeting.pk and day and "date" not in problems:
        member_ids = set(members_on(cluster_year, day).values_list("pk", flat=True))
        delegates = [
            row.delegates
            for row in meeting.attendance.all()
            if row.present and row.unit_id in member_ids
        ]
        problem = chair_problem(data.get("chair_name") or "", delegates)
        if problem:
            problems["chair_name"] = problem
    return problems


def _raise_first(problems: dict) -> None:
    if problems:
        field, message = next(iter(problems.items()))
        raise MeetingError(message, field)


# --- Writes ------------------------------------------------------------------------


MEETING_FIELDS = [
    "kind",
    "date",
    "start_time",
    "end_time",
    "venue",
    "host_unit",
    "chair_name",
    "chair_position",
    "secretary_name",
    "secretary_position",
    "guests",
    "next_head_unit",
    "next_deputy_unit",
    "next_host_unit",
    "approval_percent",
    "illustrative",
]


def _sync_attendance(meeting: Meeting, user) -> None:
    """One attendance row per member on the meeting date, and no other.

    New members are present by default; rows of units that are no longer members on
    the date (the date or the membership changed) are removed.
    """
    member_ids = list(members_on(meeting.cluster_year, meeting.date).values_list("pk", flat=True))
    existing = {row.unit_id: row for row in meeting.attendance.all()}
    for unit_id, row in existing.items():
        if unit_id not in member_ids:
            row._history_user = user
            row.delete()
    for unit_id in member_ids:
        if unit_id not in existing:
            row = Attendance(meeting=meeting, unit_id=unit_id, present=True)
            row._history_user = user
            row.save()


@transaction.atomic
def meeting_save(*, meeting: Meeting, user) -> Meeting:
    """Create or change a meeting of its cluster year.

    1. Every rule of meeting_problems is checked (MeetingError names the field); the
       chair against the delegates already recorded for the members on the date.
    2. The meeting is saved.
    3. Its attendance gets one row per member on the date, present by default, and
       loses the rows of units that are not members on the date.
    """
    term = ClusterYear.objects.select_related("cluster").get(pk=meeting.cluster_year_id)
    data = {name: getattr(meeting, name) for name in MEETING_FIELDS}
    _raise_first(meeting_problems(cluster_year=term, data=data, meeting=meeting))
    meeting.cluster_year = term
    meeting.guests = "\n".join(line.strip() for line in meeting.guests.splitlines() if line.strip())
    meeting._history_user = user
    meeting.save()
    _sync_attendance(meeting, user)
    return meeting


@transaction.atomic
def meeting_delete(*, meeting: Meeting, user) -> None:
    """Delete a meeting with its attendance, sections and commendations; a meeting with
    ballots is refused, as they belong to its minutes."""
    if meeting.ballots.exists():
        raise MeetingError(
            _("This meeting has ballots: delete its ballots first, or keep the meeting.")
        )
    for related in (meeting.attendance, meeting.sections, meeting.commendations):
        for row in related.all():
            row._history_user = user
            row.delete()
    meeting._history_user = user
    meeting.delete()


@transaction.atomic
def attendance_save(*, meeting: Meeting, rows: Mapping[int, tuple[bool, str]], user) -> int:
    """Record who attended: `rows` maps a unit id to (present, delegates, one per line).

    Only members on the meeting date can be recorded; any other unit is refused. A
    member left out keeps its row (or gets one, present). Rows that do not change are
    not written, so the history shows real changes only. Returns how many rows changed.
    """
    members = {u.pk: u for u in members_on(meeting.cluster_year, meeting.date)}
    strangers = [unit_id for unit_id in rows if unit_id not in members]
    if strangers:
        names = Unit.objects.filter(pk__in=strangers).values_list("name", flat=True)
        raise MeetingError(
            _("Not a member of the cluster on the meeting date: %(units)s.")
            % {"units": ", ".join(names) or ", ".join(map(str, strangers))}
        )
    existing = {row.unit_id: row for row in meeting.attendance.all()}
    final = {
        unit_id: (row.present, row.delegates)
        for unit_id, row in existing.items()
        if unit_id in members
    }
    for unit_id, (present, delegates) in rows.items():
        lines = (line.strip() for line in delegates.splitlines())
        final[unit_id] = (bool(present), "\n".join(line for line in lines if line))
    problem = chair_problem(
        meeting.chair_name, [delegates for present, delegates in final.values() if present]
    )
    if problem:
        raise MeetingError(problem)
    changed = 0
    for unit_id in members:
        row = existing.get(unit_id) or Attendance(meeting=meeting, unit_id=unit_id, present=True)
        present, delegates = final.get(unit_id, (row.present, row.delegates))
        if row.pk and (row.present, row.delegates) == (present, delegates):
            continue
        row.present, row.delegates = present, delegates
        row._history_user = user
        row.save()
        changed += 1
    return changed


def _next_position(meeting: Meeting) -> int:
    last = meeting.sections.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


@transaction.atomic
def section_save(*, section: MeetingSection, user) -> MeetingSection:
    """Save a section; a new one goes after the meeting's last section."""
    if section.pk is None:
        section.position = _next_position(section.meeting)
    section._history_user = user
    section.save()
    return section


@transaction.atomic
def section_move(*, section: MeetingSection, up: bool, user) -> bool:
    """Swap a section with the one before (`up`) or after it; False at either end.

    Positions are renumbered 0, 1, 2… first, so that equal positions left by older
    data still move one step at a time.
    """
    sections = list(MeetingSection.objects.select_for_update().filter(meeting=section.meeting_id))
    index = next(i for i, s in enumerate(sections) if s.pk == section.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(sections):
        return False
    sections[index], sections[other] = sections[other], sections[index]
    for position, item in enumerate(sections):
        if item.position != position:
            item.position = position
            item._history_user = user
            item.save(update_fields=["position"])
    return True


@transaction.atomic
def section_delete(*, section: MeetingSection, user) -> None:
    section._history_user = user
    section.delete()


@transaction.atomic
def commendation_save(*, commendation: MeetingCommendation, user) -> MeetingCommendation:
    """Save a commendation handed out at a meeting; a cluster or bloc as issuer is refused."""
    commendation.issuer = " ".join(commendation.issuer.split())
    problem = issuer_problem(commendation.issuer)
    if problem:
        raise MeetingError(problem, "issuer")
    if not commendation.recipient_name.strip():
        raise MeetingError(_("Enter the recipient."), "recipient_name")
    commendation._history_user = user
    commendation.save()
    return commendation


@transaction.atomic
def commendation_delete(*, commendation: MeetingCommendation, user) -> None:
    commendation._history_user = user
    commendation.delete()
