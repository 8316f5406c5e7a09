"""Users and their role assignments, managed by the provincial staff of their province."""

from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import forms, selectors
from ..access import access_for
from ..models import RoleAssignment, User
from ..text import fold, sort_key
from .units import PAGE_SIZE, _get_province_for_user

ROLES_WITH_SCOPE = RoleAssignment.objects.select_related("cluster_year__cluster", "unit")


def _users_for(request):
    """Users of the provinces the requester manages; 404 for everyone else."""
    access = access_for(request.user)
    if not access.is_staff:
        raise Http404
    users = User.objects.all()
    if not access.superuser:
        in_province = User.objects.filter(
            Q(province_id__in=access.staff_provinces)
            | Q(roles__province_id__in=access.staff_provinces)
        )
        users = users.filter(pk__in=in_province.values("pk"), is_superuser=False)
    return users


def _province_of(request, user):
    """The province whose clusters and units the user's roles may point to."""
    if user.province and access_for(request.user).can_manage_province(user.province_id):
        return user.province
    return _get_province_for_user(request, manage=True)


def _get_user_for_user(request, pk: int) -> User:
    return get_object_or_404(_users_for(request).select_related("province"), pk=pk)


def user_list(request):
    """The province's accounts with their roles, in Vietnamese order, searchable
    without accents by name, username or position."""
    query = request.GET.get("q", "").strip()
    users = list(_users_for(request).prefetch_related(Prefetch("roles", queryset=ROLES_WITH_SCOPE)))
    words = fold(query).split()
    if words:
        users = [
            u
            for u in users
            if all(w in fold(f"{u.full_name} {u.username} {u.position}") for w in words)
        ]
    users.sort(key=lambda u: (sort_key(u.full_name or u.username), u.pk))
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "clusters/user_list.html",
        {
            "page_obj": page,
            "query": query,
            "querystring_without_page": params.urlencode() + "&" if params else "",
        },
    )


def user_detail(request, pk):
    user = _get_user_for_user(request, pk)
    return _render_detail(
        request, user, forms.RoleAssignmentForm(user=user, province=_province_of(request, user))
    )


def _render_detail(request, user, role_form, status=200):
    roles = ROLES_WITH_SCOPE.filter(user=user).order_by("role", "pk")
    history = selectors.history_entries(
        user.history.all(),
        RoleAssignment.history.filter(user_id=user.pk).select_related(
            "cluster_year__cluster", "unit"
        ),
        labels={RoleAssignment: _role_label},
        hidden=frozenset({"user", "province"}),
    )
    return render(
        request,
        "clusters/user_detail.html",
        {
            "account": user,
            "roles": roles,
            "role_form": role_form,
            "history": history,
        },
        status=status,
    )


def _role_label(record) -> str:
    scope = record.cluster_year or record.unit
    role = record.get_role_display()
    return f"{role} – {scope}" if scope else role


def user_create(request):
    province = _get_province_for_user(request, manage=True)
    form = forms.UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save(commit=False)
        user.province = province
        user.save()
        messages.success(
            request, _("The account %(username)s was created.") % {"username": user.username}
        )
        return redirect(user)
    return render(request, "clusters/user_form.html", {"form": form, "account": None})


def user_update(request, pk):
    user = _get_user_for_user(request, pk)
    form = forms.UserForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        if user == request.user and not form.cleaned_data["is_active"]:
            form.add_error("is_active", _("You cannot deactivate your own account."))
        else:
            form.save()
            messages.success(request, _("The changes were saved."))
            return redirect(user)
    return render(request, "clusters/user_form.html", {"form": form, "account": user})


def user_password(request, pk):
    """Staff set a new password for an account, e.g. one whose owner forgot it."""
    user = _get_user_for_user(request, pk)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The new password was set."))
        return redirect(user)
    return render(request, "clusters/user_password.html", {"form": form, "account": user})


@require_POST
def role_create(request, pk):
    user = _get_user_for_user(request, pk)
    province = _province_of(request, user)
    form = forms.RoleAssignmentForm(request.POST, user=user, province=province)
    if form.is_valid():
        role = form.save(commit=False)
        role.user = user
        role.province = province
        role.save()
        messages.success(request, _("The role was added."))
        return redirect(user)
    return _render_detail(request, user, form, status=400)


@require_POST
def role_delete(request, pk):
    role = get_object_or_404(RoleAssignment.objects.select_related("user"), pk=pk)
    user = _get_user_for_user(request, role.user_id)
    if user == request.user and role.role == RoleAssignment.Role.PROVINCIAL_STAFF:
        messages.error(request, _("You cannot remove your own provincial staff role."))
        return redirect(user)
    role.delete()
    messages.success(request, _("The role was removed."))
    return redirect(user)
