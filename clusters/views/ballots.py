"""Secret ballots at a deliberation meeting: the rounds per award form, their candidates
and tally, and re-vote rounds.

Only counts are stored: no model has a field that could link a voter to a choice.
Ballots are read by whoever may see the cluster and written by provincial staff and
the term's head and secretary (access.can_edit_cluster_year).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import award_rules, ballot_services, forms, meeting_services, selectors
from ..access import access_for
from ..models import AwardForm, Ballot, BallotCandidate, Cluster, Meeting, Proposal
from ..services import ClusterError


def _get_meeting_for_user(request, pk: int, *, edit: bool = False) -> Meeting:
    """A deliberation meeting, the only kind that holds ballots (any other is a 404);
    `edit` allows provincial staff and the term's head and secretary."""
    access = access_for(request.user)
    meeting = get_object_or_404(
        Meeting.objects.filter(
            kind=Meeting.Kind.DELIBERATION,
            cluster_year__cluster__in=Cluster.objects.filter(access.clusters_q()),
        ).select_related("cluster_year__cluster__province"),
        pk=pk,
    )
    if edit and not access.can_edit_cluster_year(meeting.cluster_year):
        raise PermissionDenied
    return meeting


def _get_ballot_for_user(request, pk: int, *, edit: bool = False) -> Ballot:
    access = access_for(request.user)
    ballot = get_object_or_404(
        Ballot.objects.filter(
            meeting__cluster_year__cluster__in=Cluster.objects.filter(access.clusters_q())
        ).select_related("meeting__cluster_year__cluster__province", "award_form"),
        pk=pk,
    )
    if edit and not access.can_edit_cluster_year(ballot.meeting.cluster_year):
        raise PermissionDenied
    return ballot


def _candidates():
    """Candidates with their unit and its names (a unit is shown under its name on the
    meeting date)."""
    return BallotCandidate.objects.select_related("unit").prefetch_related("unit__names")


def _candidate_rows(ballot: Ballot, candidates, result, strict: bool) -> list[dict]:
    """What the pages show per candidate: votes, shares, threshold, elected, re-vote."""
    day = ballot.meeting.date
    revote = set(result.revote) if result else set()
    rows = []
    for candidate in candidates:
        votes = candidate.votes
        counted = votes is not None and result is not None
        rows.append(
            {
                "candidate": candidate,
                "name": candidate.unit.name_on(day),
                "votes": votes,
                "percent_members": (
                    award_rules.vote_percent(votes, ballot.members_total) if counted else None
                ),
                "percent_present": (
                    award_rules.vote_percent(votes, ballot.present)
                    if counted and ballot.present
                    else None
                ),
                "threshold_met": (
                    award_rules.threshold_met(
                        votes, ballot.members_total, ballot.threshold_percent, strict
                    )
                    if counted
                    else None
                ),
                "elected": candidate.elected,
                "revote": candidate.unit_id in revote,
            }
        )
    return rows


def ballot_list(request, pk):
    """The meeting's ballots, grouped by award form and round."""
    meeting = _get_meeting_for_user(request, pk)
    term = meeting.cluster_year
    access = access_for(request.user)
    ballots = list(
        meeting.ballots.select_related("award_form")
        .prefetch_related(Prefetch("candidates", queryset=_candidates()))
        .order_by("award_form__position", "award_form__name", "round")
    )
    proposal = Proposal.objects.filter(cluster_year=term).first()
    locked = proposal is not None and proposal.state in ballot_services.CLOSED_STATES
    groups: list[dict] = []
    for ballot in ballots:
        if not groups or groups[-1]["award_form"].pk != ballot.award_form_id:
            groups.append({"award_form": ballot.award_form, "rounds": []})
        candidates = list(ballot.candidates.all())
        strict = ballot.threshold_strict
        result = ballot_services.ballot_result(ballot, candidates, strict)
        groups[-1]["rounds"].append(
            {
                "ballot": ballot,
                "result": result,
                "rows": _candidate_rows(ballot, candidates, result, strict),
            }
        )
    return render(
        request,
        "clusters/ballot_list.html",
        {
            "meeting": meeting,
            "term": term,
            "cluster": term.cluster,
            "groups": groups,
            "proposal": proposal,
            "can_edit": access.can_edit_cluster_year(term) and not locked,
            "locked": locked,
        },
    )


def _units_in_ranking_order(units, ranking: ballot_services.TermRanking) -> list:
    position = {row.result.key: index for index, row in enumerate(ranking.rows)}
    return sorted(units, key=lambda u: (position.get(u.pk, len(position)), u.sort_key, u.pk))


def ballot_create(request, pk):
    """Open a ballot for one award form, with the defaults of the RuleSet, the meeting and
    the annual ranking; the award form is chosen first (?award_form=)."""
    meeting = _get_meeting_for_user(request, pk, edit=True)
    term = meeting.cluster_year
    award_forms = list(AwardForm.objects.all())
    held = set(meeting.ballots.values_list("award_form_id", flat=True))
    wanted = request.POST.get("award_form") or request.GET.get("award_form")
    award_form = next((f for f in award_forms if str(f.pk) == wanted), None)
    if award_form is None:
        award_form = next((f for f in award_forms if f.pk not in held), award_forms[0])
    ruleset = ballot_services.ruleset_for(term)
    ranking = ballot_services.annual_ranking(term)
    units = _units_in_ranking_order(
        meeting_services.members_on(term, meeting.date).prefetch_related("names"), ranking
    )
    defaults = ballot_services.ballot_defaults(
        meeting, award_form, ruleset=ruleset, ranking=ranking, members_total=len(units)
    )
    form = forms.BallotForm(
        request.POST or None,
        units=units,
        initial={
            "award_form": award_form.pk,
            "quota": defaults.quota,
            "threshold_percent": defaults.threshold_percent,
            "members_total": defaults.members_total,
            "present": defaults.present,
            "candidates": defaults.candidates,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ballot = ballot_services.ballot_create(
                meeting=meeting,
                award_form=data["award_form"],
                quota=data["quota"],
                threshold_percent=data["threshold_percent"],
                members_total=data["members_total"],
                present=data["present"],
                candidates=form.ordered_candidates(),
                tally_committee=data["tally_committee"],
            )
        except ClusterError as e:
            form.add_error(None, str(e))
        else:
            messages.success(
                request, _("The ballot for %(form)s was opened.") % {"form": ballot.award_form}
            )
            return redirect("clusters:ballot_detail", ballot.pk)
    try:
        ballot_services.check_ballots_open(term)
        locked = False
    except ClusterError:
        locked = True
    selected = {str(v) for v in (form["candidates"].value() or [])}
    rows_by_unit = ranking.by_unit()
    return render(
        request,
        "clusters/ballot_form.html",
        {
            "meeting": meeting,
            "term": term,
            "cluster": term.cluster,
            "form": form,
            "award_form": award_form,
            "award_forms": award_forms,
            "held": held,
            "ruleset": ruleset,
            "ranking_error": ranking.error,
            "locked": locked,
            "units": [
                {
                    "unit": unit,
                    "name": unit.name_on(meeting.date),
                    "row": rows_by_unit.get(unit.pk),
                    "checked": str(unit.pk) in selected,
                }
                for unit in units
            ],
        },
    )


def ballot_detail(request, pk):
    """One round: its quota, threshold, tally committee, counts and result per candidate."""
    ballot = _get_ballot_for_user(request, pk)
    meeting = ballot.meeting
    term = meeting.cluster_year
    access = access_for(request.user)
    candidates = list(_candidates().filter(ballot=ballot))
    strict = ballot.threshold_strict
    result = ballot_services.ballot_result(ballot, candidates, strict)
    rounds = list(
        Ballot.objects.filter(meeting=meeting, award_form_id=ballot.award_form_id)
        .order_by("round")
        .values_list("pk", "round")
    )
    is_last_round = rounds[-1][0] == ballot.pk
    names = {c.unit_id: c.unit.name_on(meeting.date) for c in candidates}
    history = selectors.history_entries(
        ballot.history.filter(id=ballot.pk),
        BallotCandidate.history.filter(ballot_id=ballot.pk),
        labels={BallotCandidate: lambda record: names.get(record.unit_id, "")},
        hidden=frozenset({"ballot", "meeting"}),
    )
    can_edit = access.can_edit_cluster_year(term)
    locked = False
    if can_edit:
        try:
            ballot_services.check_ballots_open(term)
        except ClusterError:
            locked = True
    return render(
        request,
        "clusters/ballot_detail.html",
        {
            "ballot": ballot,
            "meeting": meeting,
            "term": term,
            "cluster": term.cluster,
            "rows": _candidate_rows(ballot, candidates, result, strict),
            "result": result,
            "tallied": ballot_services.is_tallied(ballot),
            "strict": strict,
            "quorum_percent": ballot.quorum_percent,
            "quorum_reached": award_rules.quorum_reached(
                ballot.present, ballot.members_total, ballot.quorum_percent
            ),
            "committee": [line for line in ballot.tally_committee.splitlines() if line.strip()],
            "rounds": rounds,
            "is_last_round": is_last_round,
            "history": history,
            "can_edit": can_edit and not locked,
            "locked": locked,
        },
    )


def ballot_tally(request, pk):
    """Record the tally; numbers that do not add up are refused with every reason, and
    what was typed stays in the form."""
    ballot = _get_ballot_for_user(request, pk, edit=True)
    meeting = ballot.meeting
    term = meeting.cluster_year
    try:
        ballot_services.check_ballots_open(term)
    except ClusterError as e:
        messages.warning(request, str(e))
        return redirect("clusters:ballot_detail", ballot.pk)
    candidates = list(_candidates().filter(ballot=ballot))
    form = forms.BallotTallyForm(request.POST or None, ballot=ballot, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ballot_services.ballot_tally(
                ballot=ballot,
                issued=data["issued"],
                returned=data["returned"],
                valid=data["valid"],
                invalid=data["invalid"],
                votes=form.votes(),
                tally_committee=data["tally_committee"],
            )
        except ballot_services.TallyRefused as e:
            for problem in e.problems:
                form.add_error(None, problem.message)
        except ClusterError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("The tally was recorded."))
            return redirect("clusters:ballot_detail", ballot.pk)
    return render(
        request,
        "clusters/ballot_tally.html",
        {
            "ballot": ballot,
            "meeting": meeting,
            "term": term,
            "cluster": term.cluster,
            "form": form,
            "vote_fields": [
                (candidate.unit.name_on(meeting.date), form[f"votes-{candidate.pk}"])
                for candidate in candidates
            ],
        },
    )


@require_POST
def ballot_revote(request, pk):
    ballot = _get_ballot_for_user(request, pk, edit=True)
    try:
        new = ballot_services.ballot_revote(ballot=ballot)
    except ClusterError as e:
        messages.error(request, str(e))
        return redirect("clusters:ballot_detail", ballot.pk)
    messages.success(request, _("Round %(round)s was opened.") % {"round": new.round})
    return redirect("clusters:ballot_detail", new.pk)


@require_POST
def ballot_delete(request, pk):
    ballot = _get_ballot_for_user(request, pk, edit=True)
    meeting = ballot.meeting
    try:
        ballot_services.ballot_delete(ballot=ballot)
    except ClusterError as e:
        messages.error(request, str(e))
        return redirect("clusters:ballot_detail", ballot.pk)
    messages.success(request, _("The ballot round was deleted."))
    return redirect("clusters:ballot_list", meeting.pk)
