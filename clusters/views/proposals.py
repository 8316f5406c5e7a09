"""The cluster's proposal to the province for a year: its items, their checks with the
legal basis of each, overrides by provincial staff, and submission.

Read by whoever may see the cluster (staff, leaders, the term's head and secretary,
member officers); edited, while a draft or returned, by staff and the term's head and
secretary; checks are overridden by provincial staff only.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import forms, proposal_services, selectors
from ..access import access_for
from ..models import Cluster, Meeting, Proposal, ProposalItem
from ..services import ClusterError
from .clusters import _get_clusteryear_for_user


def _get_proposal_for_user(request, pk: int, *, edit: bool = False) -> Proposal:
    """The proposal if the user may see its cluster; `edit` allows provincial staff and
    the term's head and secretary (the state is the service's to check)."""
    access = access_for(request.user)
    proposal = get_object_or_404(
        Proposal.objects.filter(
            cluster_year__cluster__in=Cluster.objects.filter(access.clusters_q())
        ).select_related("cluster_year__cluster__province", "submitted_by"),
        pk=pk,
    )
    if edit and not access.can_edit_cluster_year(proposal.cluster_year):
        raise PermissionDenied
    return proposal


def _get_item_for_user(
    request, pk: int, *, edit: bool = False, override: bool = False
) -> ProposalItem:
    """A proposed item; `edit` as for its proposal, `override` only provincial staff."""
    access = access_for(request.user)
    item = get_object_or_404(
        ProposalItem.objects.filter(
            proposal__cluster_year__cluster__in=Cluster.objects.filter(access.clusters_q())
        ).select_related("proposal__cluster_year__cluster__province", "unit", "award_form"),
        pk=pk,
    )
    term = item.proposal.cluster_year
    if edit and not access.can_edit_cluster_year(term):
        raise PermissionDenied
    if override and not access.can_manage_province(term.cluster.province_id):
        raise PermissionDenied
    return item


def proposal_detail(request, pk):
    """Every item with its score, rank, vote share and checks; what blocks submission."""
    proposal = _get_proposal_for_user(request, pk)
    term = proposal.cluster_year
    access = access_for(request.user)
    items = list(proposal.items.select_related("unit", "award_form"))
    data = proposal_services.proposal_data(term)
    checks = proposal_services.proposal_checks(proposal, items, data)
    meetings = list(
        Meeting.objects.filter(cluster_year=term, kind=Meeting.Kind.DELIBERATION).order_by(
            "date", "pk"
        )
    )
    history = selectors.history_entries(
        proposal.history.filter(id=proposal.pk),
        ProposalItem.history.filter(proposal_id=proposal.pk).select_related("unit", "award_form"),
        labels={
            ProposalItem: lambda record: f"{record.unit.name} – {record.award_form.name}",
        },
        hidden=frozenset({"cluster_year", "proposal"}),
    )
    editable = proposal.state in proposal_services.EDITABLE_STATES
    can_edit = editable and access.can_edit_cluster_year(term)
    return render(
        request,
        "clusters/proposal_detail.html",
        {
            "proposal": proposal,
            "term": term,
            "cluster": term.cluster,
            "checks": checks,
            "blocking": checks.blocking,
            "ranking_error": data.ranking.error,
            "ruleset": data.ruleset,
            "flag_quota": data.flag_quota,
            "merit_quota": data.merit_quota,
            "meetings": meetings,
            "history": history,
            "can_edit": can_edit,
            "can_override": (
                proposal.state in proposal_services.OVERRIDABLE_STATES
                and access.can_manage_province(term.cluster.province_id)
            ),
            "submit_form": forms.ProposalSubmitForm(initial={"number": proposal.number})
            if can_edit
            else None,
        },
    )


def proposal_create(request, pk):
    """Open the term's proposal, pre-filled from the ballots or the ranking. Anyone who
    may see the term is sent to the proposal once it exists."""
    term = _get_clusteryear_for_user(request, pk)
    existing = Proposal.objects.filter(cluster_year=term).first()
    if existing is not None:
        return redirect(existing)
    access = access_for(request.user)
    can_edit = access.can_edit_cluster_year(term)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        try:
            proposal, source = proposal_services.proposal_create(
                cluster_year=term, user=request.user
            )
        except ClusterError as e:
            messages.error(request, str(e))
            return redirect(term)
        if source == "ballots":
            messages.success(
                request, _("The proposal was opened with the units elected by the ballots.")
            )
        else:
            messages.success(
                request,
                _("The proposal was opened from the ranking, as no ballot has been held."),
            )
        return redirect(proposal)
    data = proposal_services.proposal_data(term)
    source, entries = proposal_services.prefill(data)
    names = {row.result.key: row.result.name for row in data.ranking.rows}
    units = dict(term.memberships.values_list("unit_id", "unit__name"))
    return render(
        request,
        "clusters/proposal_create.html",
        {
            "term": term,
            "cluster": term.cluster,
            "source": source,
            "entries": [
                {"entry": entry, "name": names.get(entry.unit_id) or units.get(entry.unit_id)}
                for entry in entries
            ],
            "ranking_error": data.ranking.error,
            "can_edit": can_edit,
        },
    )


def proposal_item_add(request, pk):
    proposal = _get_proposal_for_user(request, pk, edit=True)
    term = proposal.cluster_year
    form = forms.ProposalItemForm(request.POST or None, cluster_year=term)
    if request.method == "POST" and form.is_valid():
        try:
            item = proposal_services.proposal_item_add(
                proposal=proposal,
                unit=form.cleaned_data["unit"],
                award_form=form.cleaned_data["award_form"],
                user=request.user,
            )
        except ClusterError as e:
            form.add_error(None, str(e))
        else:
            messages.success(
                request,
                _("%(unit)s was proposed for %(form)s.")
                % {"unit": item.unit.name, "form": item.award_form.name},
            )
            return redirect(proposal)
    return render(
        request,
        "clusters/proposal_item_form.html",
        {"proposal": proposal, "term": term, "cluster": term.cluster, "form": form},
    )


@require_POST
def proposal_item_delete(request, pk):
    item = _get_item_for_user(request, pk, edit=True)
    proposal = item.proposal
    try:
        proposal_services.proposal_item_delete(item=item, user=request.user)
    except ClusterError as e:
        messages.error(request, str(e))
    else:
        messages.success(
            request,
            _("%(unit)s is no longer proposed for %(form)s.")
            % {"unit": item.unit.name, "form": item.award_form.name},
        )
    return redirect(proposal)


def proposal_item_override(request, pk):
    """Provincial staff accept an item although a check fails, with a written reason; or
    withdraw that acceptance."""
    item = _get_item_for_user(request, pk, override=True)
    proposal = item.proposal
    term = proposal.cluster_year
    withdraw = request.method == "POST" and "withdraw" in request.POST
    form = forms.ProposalOverrideForm(
        None if withdraw else (request.POST or None), initial={"reason": item.override_reason}
    )
    if withdraw or (request.method == "POST" and form.is_valid()):
        reason = "" if withdraw else form.cleaned_data["reason"]
        try:
            proposal_services.proposal_item_override(item=item, user=request.user, reason=reason)
        except ClusterError as e:
            messages.error(request, str(e))
        else:
            if withdraw:
                messages.success(request, _("The override was withdrawn."))
            else:
                messages.success(request, _("The checks of this item were overridden."))
        return redirect(proposal)
    items = list(proposal.items.select_related("unit", "award_form"))
    checks = proposal_services.proposal_checks(
        proposal, items, proposal_services.proposal_data(term)
    )
    check = next(c for c in checks.items if c.item.pk == item.pk)
    return render(
        request,
        "clusters/proposal_override.html",
        {
            "item": item,
            "check": check,
            "general": checks.general,
            "proposal": proposal,
            "term": term,
            "cluster": term.cluster,
            "form": form,
        },
    )


@require_POST
def proposal_submit(request, pk):
    proposal = _get_proposal_for_user(request, pk, edit=True)
    form = forms.ProposalSubmitForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(proposal)
    try:
        proposal_services.proposal_submit(
            proposal=proposal, user=request.user, number=form.cleaned_data["number"]
        )
    except ClusterError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("The proposal was submitted to the province."))
    return redirect(proposal)
