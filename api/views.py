"""The read-only JSON API under /api/v1/, and the page where a user manages their token.

Every list and detail is scoped by clusters.access, as the HTML pages are: a superuser
sees everything, provincial staff and leaders their province, a cluster's head and
secretary their cluster, a member unit's officer their unit and its clusters. An object
the user may not see answers 404, as if it did not exist; a request without valid
credentials answers 401.

Each list reads a fixed number of queries whatever its length: related rows come with
select_related and prefetch_related (pinned in api/tests/test_queries.py).
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView
from rest_framework import viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from clusters import scoring
from clusters.access import Access, access_for
from clusters.models import (
    Attendance,
    AwardDecision,
    AwardRecipient,
    Cluster,
    ClusterYear,
    Meeting,
    MeetingCommendation,
    Membership,
    Period,
    Unit,
    UnitSuccession,
)
from clusters.ranking import load_period
from reports.models import Document

from . import serializers, services

NOT_AUTHENTICATED = OpenApiResponse(description="No valid token (or session) was sent.")
NOT_FOUND = OpenApiResponse(description="No such object, or one the user may not see.")
BAD_FILTER = OpenApiResponse(description="A query parameter is not valid; the body says which.")
LIST_NOT_FOUND = OpenApiResponse(description="The page number is beyond the last page.")


def _visible_clusters(access: Access):
    return Cluster.objects.filter(access.clusters_q())


def _documented(list_serializer, detail_serializer, filters) -> dict:
    """The schema of a viewset's list and detail: their filters and every answer they give."""
    return {
        "list": extend_schema(
            parameters=[filters],
            responses={
                200: list_serializer(many=True),
                400: BAD_FILTER,
                401: NOT_AUTHENTICATED,
                404: LIST_NOT_FOUND,
            },
        ),
        "retrieve": extend_schema(
            responses={200: detail_serializer, 401: NOT_AUTHENTICATED, 404: NOT_FOUND}
        ),
    }


# The API answers 401 itself: LoginRequiredMiddleware must not send its clients to the
# login page.
@method_decorator(login_not_required, name="dispatch")
class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """A list and a detail; the list validates its query parameters with `filters`."""

    filters: type[Serializer]
    detail_serializer_class = None

    @property
    def access(self) -> Access:
        return access_for(self.request.user)

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer_class is not None:
            return self.detail_serializer_class
        return self.serializer_class

    def get_queryset(self):
        queryset = self.visible()
        if self.action == "list":
            # A plain dict, not the QueryDict: DRF reads an empty form value as "not
            # given", but `?kind=` is a mistake the client should hear about.
            params = self.filters(data=self.request.query_params.dict())
            params.is_valid(raise_exception=True)
            queryset = self.filter_list(queryset, params.validated_data)
        return queryset

    def visible(self):
        """The rows the user may see, with what their serializer reads."""
        raise NotImplementedError

    # Query parameter → lookup, for the filters that are a plain equality.
    filter_lookups: dict[str, str] = {}

    def filter_list(self, queryset, params: dict):
        return queryset.filter(
            **{
                lookup: params[name]
                for name, lookup in self.filter_lookups.items()
                if name in params
            }
        )


@extend_schema_view(
    **_documented(
        serializers.UnitSerializer, serializers.UnitDetailSerializer, serializers.UnitFilters
    )
)
class UnitViewSet(ReadOnlyViewSet):
    """Units in Vietnamese alphabetical order, each with its names over time and the
    reorganisations that made it and ended it; the detail adds its whole lineage."""

    serializer_class = serializers.UnitSerializer
    detail_serializer_class = serializers.UnitDetailSerializer
    filters = serializers.UnitFilters

    def visible(self):
        return (
            Unit.objects.filter(self.access.units_q())
            .prefetch_related(
                "names",
                Prefetch(
                    "successions_in",
                    queryset=UnitSuccession.objects.select_related("predecessor").order_by(
                        "effective_date", "pk"
                    ),
                ),
                Prefetch(
                    "successions_out",
                    queryset=UnitSuccession.objects.select_related("successor").order_by(
                        "effective_date", "pk"
                    ),
                ),
            )
            .order_by("sort_key", "pk")
        )

    filter_lookups = {"kind": "kind"}

    def filter_list(self, queryset, params):
        queryset = super().filter_list(queryset, params)
        if "q" in params:
            queryset = queryset.search(params["q"])
        if "existing_on" in params:
            queryset = queryset.existing_on(params["existing_on"])
        return queryset


def _unit_ref_fields(relation: str) -> list[str]:
    """The columns a unit reference shows, for only(): a unit row is wide (search text)."""
    return [f"{relation}__{name}" for name in serializers.UnitRefSerializer.Meta.fields]


def _years(members: bool = False) -> Prefetch:
    """A cluster's years, latest first, with head and deputy, members count and periods."""
    # A correlated count: a join with every membership grouped by year is slower.
    members_count = (
        Membership.objects.filter(cluster_year=OuterRef("pk"))
        .order_by()
        .values("cluster_year")
        .annotate(count=Count("pk"))
        .values("count")
    )
    years = (
        ClusterYear.objects.select_related("head_unit", "deputy_unit")
        .only(
            "cluster_id", "year", *_unit_ref_fields("head_unit"), *_unit_ref_fields("deputy_unit")
        )
        .annotate(members_count=Coalesce(Subquery(members_count), 0))
        .prefetch_related(Prefetch("periods", queryset=Period.objects.order_by("kind")))
        .order_by("-year")
    )
    if members:
        years = years.prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("unit")
                .only("cluster_year_id", "valid_from", "valid_to", *_unit_ref_fields("unit"))
                .order_by("unit__sort_key", "unit_id", "valid_from"),
            )
        )
    return Prefetch("years", queryset=years)


@extend_schema_view(
    **_documented(
        serializers.ClusterSerializer,
        serializers.ClusterDetailSerializer,
        serializers.ClusterFilters,
    )
)
class ClusterViewSet(ReadOnlyViewSet):
    """Clusters (of localities) and blocs (of agencies) with their yearly terms: head
    and deputy unit, members count and scoring periods; the detail lists the members."""

    serializer_class = serializers.ClusterSerializer
    detail_serializer_class = serializers.ClusterDetailSerializer
    filters = serializers.ClusterFilters

    def visible(self):
        return _visible_clusters(self.access).prefetch_related(
            _years(members=self.action == "retrieve")
        )

    filter_lookups = {"kind": "kind"}


@extend_schema_view(
    **_documented(
        serializers.PeriodSerializer, serializers.PeriodSerializer, serializers.PeriodFilters
    )
)
class PeriodViewSet(ReadOnlyViewSet):
    """Scoring periods (six months, year) of the clusters' terms, latest year first."""

    serializer_class = serializers.PeriodSerializer
    filters = serializers.PeriodFilters

    def visible(self):
        periods = Period.objects.filter(
            cluster_year__cluster__in=_visible_clusters(self.access)
        ).select_related("cluster_year__cluster")
        if self.action == "ranking":
            periods = periods.select_related("cluster_year__covenant__sheet")
        return periods.order_by(
            "-cluster_year__year",
            "cluster_year__cluster__kind",
            "cluster_year__cluster__sort_key",
            "cluster_year__cluster_id",
            "kind",
        )

    filter_lookups = {
        "year": "cluster_year__year",
        "cluster": "cluster_year__cluster_id",
        "kind": "kind",
        "state": "state",
    }

    @extend_schema(
        summary="The period's ranking on its agreed scores",
        responses={
            200: serializers.RankingSerializer,
            401: NOT_AUTHENTICATED,
            404: NOT_FOUND,
        },
    )
    @action(detail=True)
    def ranking(self, request, pk=None):
        """The members ranked on their agreed scores, as on the ranking page: totals per
        group, bonus, penalty, band, vetoes, eligibility and the tie-break notes."""
        period = self.get_object()
        data = load_period(period)
        rows, error = [], ""
        if data.sheet is None:
            error = _("The covenant has no score sheet yet.")
        else:
            try:
                rows = data.ranking()
            except scoring.ScoreError as e:
                error = e.message
        ranking = {"period": period, "rows": rows, "error": error}
        return Response(serializers.RankingSerializer(ranking).data)


@extend_schema_view(
    **_documented(
        serializers.MeetingSerializer,
        serializers.MeetingDetailSerializer,
        serializers.MeetingFilters,
    )
)
class MeetingViewSet(ReadOnlyViewSet):
    """Meetings of the clusters' terms, newest first; the detail adds the attendance,
    the content sections of the minutes and the commendations handed out."""

    serializer_class = serializers.MeetingSerializer
    detail_serializer_class = serializers.MeetingDetailSerializer
    filters = serializers.MeetingFilters

    def visible(self):
        meetings = (
            Meeting.objects.filter(cluster_year__cluster__in=_visible_clusters(self.access))
            .select_related(
                "cluster_year__cluster",
                "host_unit",
                "next_head_unit",
                "next_deputy_unit",
                "next_host_unit",
            )
            .order_by("-date", "-start_time", "-pk")
        )
        if self.action == "retrieve":
            meetings = meetings.prefetch_related(
                Prefetch(
                    "attendance",
                    queryset=Attendance.objects.select_related("unit").order_by(
                        "unit__sort_key", "unit_id"
                    ),
                ),
                "sections",
                Prefetch(
                    "commendations",
                    queryset=MeetingCommendation.objects.select_related("recipient_unit"),
                ),
            )
        return meetings

    filter_lookups = {
        "year": "cluster_year__year",
        "cluster": "cluster_year__cluster_id",
        "kind": "kind",
    }


@extend_schema_view(
    **_documented(
        serializers.DecisionSerializer, serializers.DecisionSerializer, serializers.DecisionFilters
    )
)
class DecisionViewSet(ReadOnlyViewSet):
    """The chairman's award decisions, newest first, with every recipient, the name it
    bore on the decision date and its cash amount. Seen by the province's staff and
    leaders only, as on the decision pages."""

    serializer_class = serializers.DecisionSerializer
    filters = serializers.DecisionFilters

    def visible(self):
        decisions = AwardDecision.objects.all()
        if not self.access.superuser:
            decisions = decisions.filter(province_id__in=self.access.viewer_provinces)
        return (
            decisions.select_related("award_form")
            .annotate(
                recipients_count=Count("recipients"),
                total_amount=Coalesce(Sum("recipients__amount"), Value(Decimal(0))),
            )
            .prefetch_related(
                Prefetch(
                    "recipients",
                    queryset=AwardRecipient.objects.select_related("unit")
                    .prefetch_related("unit__names")
                    .order_by("pk"),
                )
            )
            .order_by("-date", "number", "pk")
        )

    filter_lookups = {"award_form": "award_form__code"}

    def filter_list(self, queryset, params):
        if "year" in params:
            years = AwardRecipient.objects.filter(year=params["year"]).values("decision_id")
            queryset = queryset.filter(pk__in=years)
        return super().filter_list(queryset, params)


@extend_schema_view(
    **_documented(
        serializers.DocumentSerializer, serializers.DocumentSerializer, serializers.DocumentFilters
    )
)
class DocumentViewSet(ReadOnlyViewSet):
    """Issued documents, newest first, with the SHA-256 of their PDF and their
    verification code. A corrected document is a new version that `replaces` the old."""

    serializer_class = serializers.DocumentSerializer
    filters = serializers.DocumentFilters

    def visible(self):
        access = self.access
        documents = Document.objects.all()
        if not access.superuser:
            documents = documents.filter(
                Q(province_id__in=access.viewer_provinces)
                | Q(cluster_year__cluster__in=_visible_clusters(access))
            )
        # The snapshot (the document's whole data) is not shown: it is not read either.
        replacement = Document.objects.filter(replaces=OuterRef("pk")).values("pk")
        return (
            documents.defer("snapshot")
            .annotate(replaced_by_id=Subquery(replacement))
            .order_by("-issued_at", "-pk")
        )

    filter_lookups = {"year": "year", "kind": "kind", "cluster_year": "cluster_year_id"}


# The description is public, so that another system can be built against it before it has
# a token; it holds no data.
@method_decorator(login_not_required, name="dispatch")
class SchemaView(SpectacularAPIView):
    """The OpenAPI description, in English for the developers of other systems;
    `?lang=vi` gives it with the Vietnamese labels of the choices."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        with translation.override("en"):
            return super().get(request, *args, **kwargs)


# --- The token page ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def token_page(request):
    """Provincial staff and leaders make, replace and revoke their own API token.

    A new key is shown once, on the answer to the POST that made it; afterwards the page
    shows only its first characters.
    """
    access = access_for(request.user)
    if not (access.superuser or access.viewer_provinces):
        raise PermissionDenied
    new_key = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "revoke":
            if services.token_revoke(request.user):
                messages.success(request, _("Your API token was revoked."))
            return redirect("api:token")
        if action != "regenerate":
            return HttpResponseBadRequest()
        new_key = services.token_regenerate(request.user).key
    token = Token.objects.filter(user=request.user).first()
    return render(request, "api/token.html", {"token": token, "new_key": new_key})
