"""Who may see and change what, computed once per request from the user's role assignments.

Views fetch objects through the `_get_<model>_for_user` helpers, which use these
rules: a 404 when the user may not see the object, PermissionDenied when they may
see but not change it.
"""

import hashlib
from dataclasses import dataclass, field

from django.db.models import Q

from .models import Cluster, ClusterYear, Membership, RoleAssignment, Unit

Role = RoleAssignment.Role


@dataclass(frozen=True)
class Access:
    superuser: bool = False
    staff_provinces: frozenset[int] = field(default_factory=frozenset)
    leader_provinces: frozenset[int] = field(default_factory=frozenset)
    # Cluster years the user heads or keeps the minutes of, and their clusters.
    cluster_year_ids: frozenset[int] = field(default_factory=frozenset)
    cluster_ids: frozenset[int] = field(default_factory=frozenset)
    # Cluster years the user heads: they issue the cluster's documents.
    head_cluster_year_ids: frozenset[int] = field(default_factory=frozenset)
    # Units the user is the officer of, and the clusters those units belong to.
    unit_ids: frozenset[int] = field(default_factory=frozenset)
    member_cluster_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def viewer_provinces(self) -> frozenset[int]:
        return self.staff_provinces | self.leader_provinces

    @property
    def is_staff(self) -> bool:
        return self.superuser or bool(self.staff_provinces)

    def digest(self) -> str:
        """The same for users with the same rights: they may share a cached page."""
        fields = [
            f"{name}={sorted(value) if isinstance(value, frozenset) else value}"
            for name, value in sorted(vars(self).items())
        ]
        return hashlib.sha256(";".join(fields).encode()).hexdigest()[:32]

    def can_view_province(self, province_id: int) -> bool:
        return self.superuser or province_id in self.viewer_provinces

    def can_manage_province(self, province_id: int) -> bool:
        return self.superuser or province_id in self.staff_provinces

    def can_view_cluster(self, cluster: Cluster) -> bool:
        return (
            self.can_view_province(cluster.province_id)
            or cluster.pk in self.cluster_ids
            or cluster.pk in self.member_cluster_ids
        )

    def can_edit_cluster_year(self, cluster_year: ClusterYear) -> bool:
        """Staff edit every term; a head or secretary edits the header of their own term."""
        return (
            self.can_manage_province(cluster_year.cluster.province_id)
            or cluster_year.pk in self.cluster_year_ids
        )

    def can_edit_unit_contact(self, unit: Unit) -> bool:
        return self.can_manage_province(unit.province_id) or unit.pk in self.unit_ids

    def can_act_for_unit(self, unit: Unit) -> bool:
        """Self-score, cross-score and upload evidence in the unit's name."""
        return self.can_manage_province(unit.province_id) or unit.pk in self.unit_ids

    def clusters_q(self) -> Q:
        if self.superuser:
            return Q()
        return (
            Q(province_id__in=self.viewer_provinces)
            | Q(pk__in=self.cluster_ids)
            | Q(pk__in=self.member_cluster_ids)
        )

    def units_q(self) -> Q:
        """Units visible to the user: their province's, their own, their clusters' members."""
        if self.superuser:
            return Q()
        member_units = Membership.objects.filter(
            cluster_year__cluster_id__in=self.cluster_ids | self.member_cluster_ids
        ).values("unit_id")
        return (
            Q(province_id__in=self.viewer_provinces)
            | Q(pk__in=self.unit_ids)
            | Q(pk__in=member_units)
        )


def access_for(user) -> Access:
    """The user's rights, cached on the user object for the length of the request."""
    if not user.is_authenticated or not user.is_active:
        return Access()
    cached = getattr(user, "_access", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        access = Access(superuser=True)
    else:
        roles = list(
            RoleAssignment.objects.filter(user=user).values_list(
                "role", "province_id", "cluster_year_id", "cluster_year__cluster_id", "unit_id"
            )
        )
        unit_ids = frozenset(r[4] for r in roles if r[0] == Role.MEMBER_OFFICER)
        member_cluster_ids = frozenset()
        if unit_ids:
            member_cluster_ids = frozenset(
                Membership.objects.filter(unit_id__in=unit_ids).values_list(
                    "cluster_year__cluster_id", flat=True
                )
            )
        access = Access(
            staff_provinces=frozenset(r[1] for r in roles if r[0] == Role.PROVINCIAL_STAFF),
            leader_provinces=frozenset(r[1] for r in roles if r[0] == Role.LEADER),
            cluster_year_ids=frozenset(r[2] for r in roles if r[0] in RoleAssignment.CLUSTER_ROLES),
            cluster_ids=frozenset(r[3] for r in roles if r[0] in RoleAssignment.CLUSTER_ROLES),
            head_cluster_year_ids=frozenset(r[2] for r in roles if r[0] == Role.CLUSTER_HEAD),
            unit_ids=unit_ids,
            member_cluster_ids=member_cluster_ids,
        )
    user._access = access
    return access
