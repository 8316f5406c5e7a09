"""The domain models, one module per area: the registry (units, clusters, roles) and
scoring (score sheets, rules, covenants, periods, scores)."""

from .registry import (
    Cluster,
    ClusterYear,
    Membership,
    Province,
    RoleAssignment,
    SortedNameModel,
    Unit,
    UnitName,
    UnitSuccession,
    User,
)
from .scoring import (
    Covenant,
    Criterion,
    CrossAssignment,
    Evidence,
    Period,
    RuleSet,
    Score,
    ScoreSheet,
    Submission,
    Target,
)

__all__ = [
    "Covenant",
    "Criterion",
    "CrossAssignment",
    "Evidence",
    "Period",
    "RuleSet",
    "Score",
    "ScoreSheet",
    "Submission",
    "Target",
    "Cluster",
    "ClusterYear",
    "Membership",
    "Province",
    "RoleAssignment",
    "SortedNameModel",
    "Unit",
    "UnitName",
    "UnitSuccession",
    "User",
]
