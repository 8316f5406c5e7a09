"""Meetings of a cluster year: covenant signing, six-month and annual reviews,
deliberation. Their attendance, the ordered sections of their content and the
commendations handed out at them.

Provincial staff and the term's head and secretary edit; leaders and the officers of
the cluster's members read; anyone else gets a 404. The rules are in
clusters.meeting_services.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import forms, meeting_services, selectors
from ..access import access_for
from ..models import (
    Attendance,
    Cluster,
    Meeting,
    MeetingCommendation,
    MeetingSection,
)
from .clusters import _get_clusteryear_for_user

Kind = Meeting.Kind


# --- Access ------------------------------------------------------------------------


def _visible_clusters(request):
    return Cluster.objects.filter(access_for(request.user).clusters_q())


def _get_meeting_for_user(request, pk: int, *, edit: bool = False) -> Meeting:
    """The meeting if the user may see its cluster; `edit` allows provincial staff and
    the term's head and secretary. Its term, cluster and units come with it."""
    meeting = get_object_or_404(
        Meeting.objects.filter(cluster_year__cluster__in=_visible_clusters(request)).select_related(
            "cluster_year__cluster__province",
            "host_unit",
            "next_head_unit",
            "next_deputy_unit",
            "next_host_unit",
        ),
        pk=pk,
    )
    if edit and not access_for(request.user).can_edit_cluster_year(meeting.cluster_year):
        raise PermissionDenied
    return meeting


def _get_section_for_user(request, pk: int) -> MeetingSection:
    """A section, for those who may edit its meeting (readers see it on the meeting)."""
    section = get_object_or_404(
        MeetingSection.objects.filter(
            meeting__cluster_year__cluster__in=_visible_clusters(request)
        ).select_related("meeting__cluster_year__cluster__province"),
        pk=pk,
    )
    if not access_for(request.user).can_edit_cluster_year(section.meeting.cluster_year):
        raise PermissionDenied
    return section


def _get_commendation_for_user(request, pk: int) -> MeetingCommendation:
    """A commendation, for those who may edit its meeting."""
    commendation = get_object_or_404(
        MeetingCommendation.objects.filter(
            meeting__cluster_year__cluster__in=_visible_clusters(request)
        ).select_related("meeting__cluster_year__cluster__province"),
        pk=pk,
    )
    if not access_for(request.user).can_edit_cluster_year(commendation.meeting.cluster_year):
        raise PermissionDenied
    return commendation


def _url_or_none(name: str, *args) -> str | None:
    """The URL of a page another part of the app may not provide yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _save_error(form, error: meeting_services.MeetingError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error))


# --- Meetings ----------------------------------------------------------------------


def meeting_list(request, pk):
    """The term's meetings in date order, each with its attendance against the quorum."""
    term = _get_clusteryear_for_user(request, pk)
    meetings = list(term.meetings.select_related("host_unit"))
    memberships = list(term.memberships.values_list("unit_id", "valid_from", "valid_to"))
    present = {}
    rows = Attendance.objects.filter(meeting__cluster_year=term, present=True)
    for meeting_id, unit_id in rows.values_list("meeting_id", "unit_id"):
        present.setdefault(meeting_id, set()).add(unit_id)
    percent = meeting_services.quorum_percent(term)
    for meeting in meetings:
        day = meeting_services.membership_day(meeting.date, term.year)
        members = {u for u, start, end in memberships if meeting_services.covers(start, end, day)}
        meeting.quorum = meeting_services.quorum(members, present.get(meeting.pk, set()), percent)
    return render(
        request,
        "clusters/meeting_list.html",
        {
            "term": term,
            "cluster": term.cluster,
            "meetings": meetings,
            "kinds": Kind.choices,
            "can_edit": access_for(request.user).can_edit_cluster_year(term),
        },
    )


def meeting_create(request, pk):
    """A new meeting of the term; ?kind= preselects its kind. Saving records every member
    on the date as present, to be corrected on the attendance page."""
    term = _get_clusteryear_for_user(request, pk, edit=True)
    access = access_for(request.user)
    kind = request.GET.get("kind", "")
    initial = {
        "kind": kind if kind in Kind.values else None,
        "host_unit": term.head_unit_id,
        "secretary_name": term.secretary_name,
        "secretary_position": term.secretary_position,
    }
    form = forms.MeetingForm(
        request.POST or None,
        instance=Meeting(cluster_year=term),
        initial=initial,
        cluster_year=term,
        staff=access.can_manage_province(term.cluster.province_id),
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meeting_services.meeting_save(meeting=form.instance, user=request.user)
        except meeting_services.MeetingError as e:
            _save_error(form, e)
        else:
            messages.success(
                request,
                _(
                    "The meeting was created; every member is recorded as present. Correct the "
                    "attendance and add the delegates."
                ),
            )
            return redirect("clusters:attendance_edit", meeting.pk)
    return render(
        request,
        "clusters/meeting_form.html",
        {"form": form, "term": term, "cluster": term.cluster, "meeting": None},
    )


def meeting_detail(request, pk):
    """The meeting as its minutes will print it: header, attendance against the quorum,
    people, sections in order, commendations, conclusions and its history."""
    meeting = _get_meeting_for_user(request, pk)
    term = meeting.cluster_year
    access = access_for(request.user)
    members = list(meeting_services.members_on(term, meeting.date))
    attendance = {row.unit_id: row for row in meeting.attendance.all()}
    rows = [(unit, attendance.get(unit.pk)) for unit in members]
    quorum = meeting_services.quorum(
        {unit.pk for unit in members},
        {unit_id for unit_id, row in attendance.items() if row.present},
        meeting_services.quorum_percent(term),
    )
    sections = list(meeting.sections.all())
    commendations = list(meeting.commendations.select_related("recipient_unit"))

    def unit_label(record):
        return record.unit.name if record.unit_id else ""

    def section_label(record):
        return record.title or dict(MeetingSection.Kind.choices).get(record.kind, "")

    history = selectors.history_entries(
        meeting.history.all(),
        Attendance.history.filter(meeting_id=meeting.pk).select_related("unit"),
        MeetingSection.history.filter(meeting_id=meeting.pk),
        MeetingCommendation.history.filter(meeting_id=meeting.pk),
        labels={
            Attendance: unit_label,
            MeetingSection: section_label,
            MeetingCommendation: lambda record: record.recipient_name,
        },
        hidden=frozenset({"cluster_year", "meeting", "unit"}),
    )
    ballots_url = None
    if meeting.kind == Kind.DELIBERATION:
        ballots_url = _url_or_none("clusters:ballot_list", meeting.pk)
    return render(
        request,
        "clusters/meeting_detail.html",
        {
            "meeting": meeting,
            "term": term,
            "cluster": term.cluster,
            "rows": rows,
            "quorum": quorum,
            "guests": [line for line in meeting.guests.splitlines() if line.strip()],
            "sections": sections,
            "commendations": commendations,
            "ballots_url": ballots_url,
            "history": history,
            "can_edit": access.can_edit_cluster_year(term),
        },
    )


def meeting_update(request, pk):
    meeting = _get_meeting_for_user(request, pk, edit=True)
    term = meeting.cluster_year
    access = access_for(request.user)
    form = forms.MeetingForm(
        request.POST or None,
        instance=meeting,
        cluster_year=term,
        staff=access.can_manage_province(term.cluster.province_id),
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting_services.meeting_save(meeting=form.instance, user=request.user)
        except meeting_services.MeetingError as e:
            _save_error(form, e)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(meeting)
    return render(
        request,
        "clusters/meeting_form.html",
        {"form": form, "term": term, "cluster": term.cluster, "meeting": meeting},
    )


@require_POST
def meeting_delete(request, pk):
    meeting = _get_meeting_for_user(request, pk, edit=True)
    term = meeting.cluster_year
    try:
        meeting_services.meeting_delete(meeting=meeting, user=request.user)
    except meeting_services.MeetingError as e:
        messages.error(request, str(e))
        return redirect(meeting)
    messages.success(request, _("The meeting was deleted."))
    return redirect("clusters:meeting_list", term.pk)


def attendance_edit(request, pk):
    """One row per member on the meeting date: present or not, and its delegates."""
    meeting = _get_meeting_for_user(request, pk, edit=True)
    term = meeting.cluster_year
    units = list(meeting_services.members_on(term, meeting.date))
    existing = {row.unit_id: row for row in meeting.attendance.all()}
    form = forms.AttendanceForm(request.POST or None, units=units, rows=existing)
    if request.method == "POST" and form.is_valid():
        try:
            meeting_services.attendance_save(meeting=meeting, rows=form.rows(), user=request.user)
        except meeting_services.MeetingError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("The attendance was saved."))
            return redirect(meeting)
    return render(
        request,
        "clusters/meeting_attendance.html",
        {
            "form": form,
            "meeting": meeting,
            "term": term,
            "cluster": term.cluster,
            "rows": [
                (unit, form[f"present-{unit.pk}"], form[f"delegates-{unit.pk}"]) for unit in units
            ],
        },
    )


# --- Sections ----------------------------------------------------------------------


def _section_form_page(request, form, meeting, section):
    return render(
        request,
        "clusters/meeting_section_form.html",
        {
            "form": form,
            "meeting": meeting,
            "term": meeting.cluster_year,
            "cluster": meeting.cluster_year.cluster,
            "section": section,
        },
    )


def section_create(request, pk):
    meeting = _get_meeting_for_user(request, pk, edit=True)
    kind = request.GET.get("kind", "")
    form = forms.MeetingSectionForm(
        request.POST or None,
        instance=MeetingSection(meeting=meeting),
        initial={"kind": kind if kind in MeetingSection.Kind.values else None},
    )
    if request.method == "POST" and form.is_valid():
        meeting_services.section_save(section=form.instance, user=request.user)
        messages.success(request, _("The section was added."))
        return redirect(reverse("clusters:meeting_detail", args=[meeting.pk]) + "#sections")
    return _section_form_page(request, form, meeting, None)


def section_update(request, pk):
    section = _get_section_for_user(request, pk)
    form = forms.MeetingSectionForm(request.POST or None, instance=section)
    if request.method == "POST" and form.is_valid():
        meeting_services.section_save(section=form.instance, user=request.user)
        messages.success(request, _("The changes were saved."))
        return redirect(reverse("clusters:meeting_detail", args=[section.meeting_id]) + "#sections")
    return _section_form_page(request, form, section.meeting, section)


@require_POST
def section_delete(request, pk):
    section = _get_section_for_user(request, pk)
    meeting_services.section_delete(section=section, user=request.user)
    messages.success(request, _("The section was deleted."))
    return redirect(reverse("clusters:meeting_detail", args=[section.meeting_id]) + "#sections")


@require_POST
def section_move(request, pk):
    """Move a section one place up or down (direction=up|down)."""
    section = _get_section_for_user(request, pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        messages.error(request, _("Choose whether to move the section up or down."))
    else:
        meeting_services.section_move(section=section, up=direction == "up", user=request.user)
    return redirect(reverse("clusters:meeting_detail", args=[section.meeting_id]) + "#sections")


# --- Commendations -----------------------------------------------------------------


def _commendation_page(request, pk=None, meeting_pk=None):
    if pk is None:
        meeting = _get_meeting_for_user(request, meeting_pk, edit=True)
        commendation = None
        instance = MeetingCommendation(meeting=meeting)
    else:
        commendation = _get_commendation_for_user(request, pk)
        meeting = commendation.meeting
        instance = commendation
    form = forms.MeetingCommendationForm(request.POST or None, instance=instance, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            meeting_services.commendation_save(commendation=form.instance, user=request.user)
        except meeting_services.MeetingError as e:
            _save_error(form, e)
        else:
            if commendation is None:
                messages.success(request, _("The commendation was added."))
            else:
                messages.success(request, _("The changes were saved."))
            return redirect(
                reverse("clusters:meeting_detail", args=[meeting.pk]) + "#commendations"
            )
    return render(
        request,
        "clusters/meeting_commendation_form.html",
        {
            "form": form,
            "meeting": meeting,
            "term": meeting.cluster_year,
            "cluster": meeting.cluster_year.cluster,
            "commendation": commendation,
        },
    )


def commendation_create(request, pk):
    return _commendation_page(request, meeting_pk=pk)


def commendation_update(request, pk):
    return _commendation_page(request, pk=pk)


@require_POST
def commendation_delete(request, pk):
    commendation = _get_commendation_for_user(request, pk)
    meeting_services.commendation_delete(commendation=commendation, user=request.user)
    messages.success(request, _("The commendation was deleted."))
    return redirect(
        reverse("clusters:meeting_detail", args=[commendation.meeting_id]) + "#commendations"
    )
