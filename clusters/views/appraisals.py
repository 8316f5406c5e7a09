"""The province's appraisal of the proposals clusters submitted: a list per year and a
page per proposal where staff appraise each item or return the proposal for completion.

Provincial staff appraise; leaders of the province read; everyone else gets a 404 (a
cluster follows its proposal on the proposal's own page).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch
from django.utils.translation import gettext as _

from .. import appraisal_services, forms, selectors
from ..access import access_for
from ..models import AwardForm, AwardRecipient, Proposal, ProposalItem
from ..services import ClusterError
from .units import _get_province_for_user

Appraisal = ProposalItem.Appraisal
State = Proposal.State

# The cluster has sent these; a draft is still the cluster's own.
SENT_STATES = [State.SUBMITTED, State.RETURNED, State.PROCESSED]
APPRAISAL_BADGES = {
    Appraisal.PENDING: "text-bg-secondary",
    Appraisal.ACCEPTED: "text-bg-success",
    Appraisal.REDUCED: "text-bg-warning",
    Appraisal.REJECTED: "text-bg-danger",
}
STATE_BADGES = {
    State.SUBMITTED: "text-bg-primary",
    State.RETURNED: "text-bg-warning",
    State.PROCESSED: "text-bg-success",
}


def _get_sent_proposal_for_user(request, pk: int, *, manage: bool = False) -> Proposal:
    """A proposal its cluster has sent, for staff and leaders of its province (404 for
    anyone else); PermissionDenied when a leader asks to change it."""
    access = access_for(request.user)
    provinces = (
        Q()
        if access.superuser
        else Q(cluster_year__cluster__province_id__in=(access.viewer_provinces))
    )
    proposal = get_object_or_404(
        Proposal.objects.filter(provinces, state__in=SENT_STATES).select_related(
            "cluster_year__cluster__province", "submitted_by"
        ),
        pk=pk,
    )
    if manage and not access.can_manage_province(proposal.cluster_year.cluster.province_id):
        raise PermissionDenied
    return proposal


def _proposal_url(proposal: Proposal) -> str | None:
    # The cluster's own page of the proposal, where its checks are shown.
    try:
        return proposal.get_absolute_url()
    except NoReverseMatch:
        return None


def appraisal_list(request, year):
    """The proposals the province's clusters and blocs sent for `year`, with how many of
    their items are still to appraise."""
    province = _get_province_for_user(request)
    proposals = (
        Proposal.objects.filter(
            cluster_year__cluster__province=province,
            cluster_year__year=year,
            state__in=SENT_STATES,
        )
        .select_related("cluster_year__cluster")
        .annotate(
            item_count=Count("items"),
            pending_count=Count("items", filter=Q(items__appraisal=Appraisal.PENDING)),
            accepted_count=Count(
                "items",
                filter=Q(items__appraisal__in=[Appraisal.ACCEPTED, Appraisal.REDUCED]),
            ),
            rejected_count=Count("items", filter=Q(items__appraisal=Appraisal.REJECTED)),
        )
        .order_by("cluster_year__cluster__kind", "cluster_year__cluster__sort_key")
    )
    for proposal in proposals:
        proposal.badge = STATE_BADGES.get(proposal.state, "text-bg-secondary")
    return render(
        request,
        "clusters/appraisal_list.html",
        {
            "province": province,
            "year": year,
            "proposals": proposals,
            "previous_year": year - 1,
            "next_year": year + 1,
        },
    )


def _page(request, proposal, *, bound_item=None, bound_form=None, return_form=None):
    access = access_for(request.user)
    can_appraise = (
        access.can_manage_province(proposal.cluster_year.cluster.province_id)
        and proposal.state in appraisal_services.APPRAISABLE_STATES
    )
    items = list(
        proposal.items.select_related("unit", "award_form", "reduced_to").order_by(
            "award_form__position", "rank", "unit__sort_key", "pk"
        )
    )
    all_forms = list(AwardForm.objects.all())
    year = proposal.cluster_year.year
    # Awards the same units already hold for the year (Law Art. 5), and the items that
    # a decision already awards, which can no longer be appraised again.
    recipients = list(
        AwardRecipient.objects.filter(unit__in=[item.unit_id for item in items], year=year)
        .select_related("decision__award_form")
        .order_by("decision__date", "pk")
    )
    earlier_by_unit: dict[int, list] = {}
    awarded_items = set()
    item_ids = {item.pk for item in items}
    for recipient in recipients:
        if recipient.proposal_item_id in item_ids:
            awarded_items.add(recipient.proposal_item_id)
        earlier_by_unit.setdefault(recipient.unit_id, []).append(recipient)
    for item in items:
        item.badge = APPRAISAL_BADGES[item.appraisal]
        item.awards_that_year = earlier_by_unit.get(item.unit_id, [])
        item.in_decision = item.pk in awarded_items
        item.form = None
        if can_appraise and not item.in_decision:
            lower = sorted(
                (f for f in all_forms if appraisal_services.is_lower(f, item.award_form)),
                key=appraisal_services.form_rank,
            )
            if item.pk == bound_item:
                item.form = bound_form
            else:
                item.form = forms.ItemAppraisalForm(
                    item=item, lower_forms=lower, prefix=f"item-{item.pk}"
                )
    history = selectors.history_entries(
        proposal.history.all(),
        ProposalItem.history.filter(proposal_id=proposal.pk).select_related("unit"),
        labels={ProposalItem: lambda record: record.unit.name if record.unit_id else ""},
        hidden=frozenset({"proposal", "cluster_year"}),
    )
    return render(
        request,
        "clusters/appraisal_detail.html",
        {
            "proposal": proposal,
            "term": proposal.cluster_year,
            "cluster": proposal.cluster_year.cluster,
            "year": year,
            "items": items,
            "state_badge": STATE_BADGES.get(proposal.state, "text-bg-secondary"),
            "proposal_url": _proposal_url(proposal),
            "can_appraise": can_appraise,
            "can_return": can_appraise and proposal.state == State.SUBMITTED,
            "return_form": return_form or forms.ProposalReturnForm(prefix="return"),
            "pending": sum(1 for item in items if item.appraisal == Appraisal.PENDING),
            "history": history,
        },
    )


def appraisal_detail(request, pk):
    """Every proposed item with its score, rank and vote share; staff appraise each item
    in its own small form, or return the proposal with what the cluster must complete."""
    proposal = _get_sent_proposal_for_user(request, pk, manage=request.method == "POST")
    if request.method != "POST":
        return _page(request, proposal)
    if "return" in request.POST:
        return _return(request, proposal)
    item = get_object_or_404(
        proposal.items.select_related("unit", "award_form"), pk=request.POST.get("item") or 0
    )
    lower = appraisal_services.lower_forms(item.award_form)
    form = forms.ItemAppraisalForm(
        request.POST, item=item, lower_forms=lower, prefix=f"item-{item.pk}"
    )
    if form.is_valid():
        try:
            appraisal_services.item_appraise(
                item=item,
                appraisal=form.cleaned_data["appraisal"],
                reduced_to=form.cleaned_data["reduced_to"],
                reason=form.cleaned_data["reason"],
                user=request.user,
            )
        except ClusterError as e:
            form.add_error(None, str(e))
        else:
            messages.success(
                request, _("The appraisal of %(unit)s was saved.") % {"unit": item.unit.name}
            )
            if item.proposal.state == State.PROCESSED and proposal.state != State.PROCESSED:
                messages.info(request, _("Every item is appraised: the proposal is processed."))
            return redirect("clusters:appraisal_detail", pk=proposal.pk)
    return _page(request, proposal, bound_item=item.pk, bound_form=form)


def _return(request, proposal):
    if proposal.state != State.SUBMITTED:
        messages.error(request, _("Only a submitted proposal can be returned for completion."))
        return redirect("clusters:appraisal_detail", pk=proposal.pk)
    form = forms.ProposalReturnForm(request.POST, prefix="return")
    if form.is_valid():
        # The cluster side owns the proposal's life cycle; it may not be installed yet.
        try:
            from ..proposal_services import proposal_return
        except ImportError:
            form.add_error(
                None,
                _("Returning proposals is not available yet; tell the cluster by other means."),
            )
        else:
            try:
                proposal_return(
                    proposal=proposal, user=request.user, reason=form.cleaned_data["reason"]
                )
            except ClusterError as e:
                form.add_error(None, str(e))
            else:
                messages.success(request, _("The proposal was returned to the cluster."))
                return redirect("clusters:appraisal_list", year=proposal.cluster_year.year)
    return _page(request, proposal, return_form=form)
