"""The province's appraisal (thẩm định) of a cluster's proposal.

Provincial staff appraise each proposed item: accepted, reduced to a lower form, or
rejected. A reduction names the lower form; a reduction or a rejection gives its
reason, which the cluster and the history keep. Once every item is appraised the
proposal is processed, and its accepted items (at their form, or the lower one they
were reduced to) can be awarded by a decision. An item already awarded by a decision
is no longer appraised again: the decision would have to be changed first.

Returning a proposal for completion belongs to the proposal's own services
(clusters.proposal_services.proposal_return); the appraisal page calls it.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from .models import AwardForm, AwardRecipient, Proposal, ProposalItem
from .services import ClusterError

Appraisal = ProposalItem.Appraisal
Level = AwardForm.Level
State = Proposal.State

# Higher forms first. Within a level the forms' own position decides (e.g. several
# "other" titles); a form is lower than another when it comes after it here.
LEVEL_ORDER = {
    Level.GOVERNMENT_FLAG: 0,
    Level.PROVINCIAL_FLAG: 1,
    Level.MERIT_CERTIFICATE: 2,
    Level.OTHER: 3,
}
APPRAISABLE_STATES = frozenset({State.SUBMITTED, State.PROCESSED})


def _as_user(obj, user) -> None:
    """Record `user` as the author of the next history record, outside a request too."""
    if user is not None:
        obj._history_user = user


def form_rank(award_form: AwardForm) -> tuple[int, int]:
    return (LEVEL_ORDER.get(award_form.level, len(LEVEL_ORDER)), award_form.position)


def is_lower(award_form: AwardForm, than: AwardForm) -> bool:
    """Whether `award_form` ranks below `than` (a certificate of merit below a flag)."""
    return award_form.pk != than.pk and form_rank(award_form) > form_rank(than)


def lower_forms(award_form: AwardForm) -> list[AwardForm]:
    """The forms an item proposed for `award_form` may be reduced to, highest first."""
    return sorted(
        (f for f in AwardForm.objects.all() if is_lower(f, award_form)),
        key=form_rank,
    )


def awarded_form(item: ProposalItem) -> int | None:
    """The id of the form a decision may award for an appraised item, or None."""
    if item.appraisal == Appraisal.ACCEPTED:
        return item.award_form_id
    if item.appraisal == Appraisal.REDUCED:
        return item.reduced_to_id
    return None


@transaction.atomic
def item_appraise(
    *,
    item: ProposalItem,
    appraisal: str,
    reduced_to: AwardForm | None = None,
    reason: str = "",
    user=None,
) -> ProposalItem:
    """Record the province's appraisal of one proposed item.

    1. The proposal must have been submitted (or already processed) and the item not
       yet awarded by a decision.
    2. Accepted needs nothing more; reduced needs a lower form and a reason; rejected
       needs a reason.
    3. When no item of the proposal is pending any more, a submitted proposal becomes
       processed.
    """
    # Lock the proposal so that two staff appraising its last items both see the end.
    proposal = Proposal.objects.select_for_update().get(pk=item.proposal_id)
    if proposal.state not in APPRAISABLE_STATES:
        raise ClusterError(
            _("This proposal is %(state)s: only a submitted proposal can be appraised.")
            % {"state": proposal.get_state_display().lower()}
        )
    if AwardRecipient.objects.filter(proposal_item=item).exists():
        raise ClusterError(
            _("This item is already awarded by a decision; change the decision first.")
        )
    reason = reason.strip()
    if appraisal == Appraisal.ACCEPTED:
        reduced_to = None
    elif appraisal == Appraisal.REDUCED:
        if reduced_to is None:
            raise ClusterError(_("Choose the lower form the item is reduced to."))
        if not is_lower(reduced_to, item.award_form):
            raise ClusterError(
                _("%(form)s is not lower than %(proposed)s.")
                % {"form": reduced_to, "proposed": item.award_form}
            )
    elif appraisal == Appraisal.REJECTED:
        reduced_to = None
    else:
        raise ClusterError(_("Choose accepted, reduced or rejected."))
    if appraisal != Appraisal.ACCEPTED and not reason:
        raise ClusterError(_("Give the reason for reducing or rejecting the item."))

    item.appraisal = appraisal
    item.reduced_to = reduced_to
    item.appraisal_reason = reason
    _as_user(item, user)
    item.save(update_fields=["appraisal", "reduced_to", "appraisal_reason"])

    pending = proposal.items.filter(appraisal=Appraisal.PENDING).exists()
    if proposal.state == State.SUBMITTED and not pending:
        proposal.state = State.PROCESSED
        _as_user(proposal, user)
        proposal.save(update_fields=["state"])
    item.proposal = proposal
    return item
