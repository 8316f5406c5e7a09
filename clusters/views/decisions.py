"""Award decisions of the provincial chairman and the reference data behind their amounts.

Decisions are listed by the year of the achievements they award. Provincial staff
record and correct them; leaders of the province read them; everyone else gets a 404
(a unit's page shows the awards it received, with the decision's number and date).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Prefetch, Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import decision_services, forms, selectors
from ..access import access_for
from ..models import AwardDecision, AwardForm, AwardRecipient, BaseSalary, CashMultiple
from .units import _get_province_for_user


def _get_decision_for_user(request, pk: int, *, manage: bool = False) -> AwardDecision:
    """A decision for staff and leaders of its province (404 for anyone else);
    PermissionDenied when a leader asks to change it."""
    access = access_for(request.user)
    decisions = AwardDecision.objects.select_related("province", "award_form")
    if not access.superuser:
        decisions = decisions.filter(province_id__in=access.viewer_provinces)
    decision = get_object_or_404(decisions, pk=pk)
    if manage and not access.can_manage_province(decision.province_id):
        raise PermissionDenied
    return decision


def decision_list(request, year=None):
    """The province's decisions for the achievements of `year`; without a year, the
    latest year that has decisions (or last year, whose awards are decided this one)."""
    province = _get_province_for_user(request)
    if year is None:
        latest = AwardRecipient.objects.filter(decision__province=province).aggregate(
            latest=Max("year")
        )["latest"]
        return redirect("clusters:decision_list", year=latest or timezone.localdate().year - 1)
    in_year = Q(recipients__year=year)
    decisions = (
        AwardDecision.objects.filter(
            province=province,
            pk__in=AwardRecipient.objects.filter(year=year).values("decision_id"),
        )
        .select_related("award_form")
        .annotate(
            recipient_count=Count("recipients", filter=in_year, distinct=True),
            total=Sum("recipients__amount", filter=in_year),
        )
        .order_by("date", "number")
    )
    waiting = decision_services.candidate_items(province, year).count()
    access = access_for(request.user)
    return render(
        request,
        "clusters/decision_list.html",
        {
            "province": province,
            "year": year,
            "decisions": decisions,
            "waiting": waiting,
            "can_manage": access.can_manage_province(province.pk),
            "previous_year": year - 1,
            "next_year": year + 1,
        },
    )


def _save(request, form, decision, year):
    """Run the service on a valid form; on refusal, put each problem next to its field."""
    try:
        decision_services.decision_save(
            decision=decision,
            year=year,
            items=form.cleaned_data["items"],
            units=form.cleaned_data["units"],
            user=request.user,
        )
    except decision_services.DecisionError as e:
        for problem in e.problems:
            message = problem.message
            if problem.legal_basis:
                message = f"{message} ({problem.legal_basis})"
            field = decision_services.PROBLEM_FIELDS.get(problem.code)
            form.add_error(field if field in form.fields else None, message)
        return False
    return True


def decision_create(request, year):
    province = _get_province_for_user(request, manage=True)
    items = decision_services.candidate_items(province, year)
    form = forms.AwardDecisionForm(request.POST or None, province=province, items=items)
    if request.method == "POST" and form.is_valid():
        decision = form.save(commit=False)
        decision.province = province
        if _save(request, form, decision, year):
            messages.success(
                request, _("Decision %(number)s was recorded.") % {"number": decision.number}
            )
            return redirect(decision)
    return render(
        request,
        "clusters/decision_form.html",
        {"form": form, "decision": None, "province": province, "year": year},
    )


def decision_update(request, pk):
    decision = _get_decision_for_user(request, pk, manage=True)
    year = decision_services.decision_year(decision)
    if year is None:
        raise Http404
    items = decision_services.candidate_items(decision.province, year, decision=decision)
    recipients = list(decision.recipients.all())
    initial = {
        "items": [r.proposal_item_id for r in recipients if r.proposal_item_id],
        "units": [r.unit_id for r in recipients if not r.proposal_item_id],
    }
    form = forms.AwardDecisionForm(
        request.POST or None,
        instance=decision,
        initial=initial,
        province=decision.province,
        items=items,
    )
    if request.method == "POST" and form.is_valid():
        decision = form.save(commit=False)
        if _save(request, form, decision, year):
            messages.success(request, _("The changes were saved."))
            return redirect(decision)
    return render(
        request,
        "clusters/decision_form.html",
        {"form": form, "decision": decision, "province": decision.province, "year": year},
    )


def decision_detail(request, pk):
    decision = _get_decision_for_user(request, pk)
    access = access_for(request.user)
    recipients = list(
        decision.recipients.select_related(
            "unit", "proposal_item__proposal__cluster_year__cluster"
        ).order_by("unit__sort_key", "pk")
    )
    history = selectors.history_entries(
        decision.history.all(),
        AwardRecipient.history.filter(decision_id=decision.pk).select_related("unit"),
        labels={AwardRecipient: lambda record: record.unit.name if record.unit_id else ""},
        hidden=frozenset({"decision", "province", "proposal_item"}),
    )
    return render(
        request,
        "clusters/decision_detail.html",
        {
            "decision": decision,
            "recipients": recipients,
            "signature_lines": decision_services.signature_lines(decision),
            "year": recipients[0].year if recipients else None,
            "total": sum((r.amount for r in recipients), 0),
            "history": history,
            "can_manage": access.can_manage_province(decision.province_id),
        },
    )


def reference_data(request):
    """The award forms with their dated cash multiples, and the base salary by date.

    The data are national, edited in the administration site; staff and leaders of any
    province read them here."""
    _get_province_for_user(request)
    award_forms = AwardForm.objects.prefetch_related(
        Prefetch("multiples", queryset=CashMultiple.objects.order_by("-valid_from"))
    )
    return render(
        request,
        "clusters/reference_data.html",
        {
            "award_forms": award_forms,
            "salaries": BaseSalary.objects.order_by("-valid_from"),
            "can_manage": access_for(request.user).is_staff,
        },
    )
