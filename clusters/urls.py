from django.urls import include, path

from .views import (
    appraisals,
    ballots,
    clusters,
    decisions,
    exports,
    grid,
    imports,
    meetings,
    movements,
    periods,
    progress,
    proposals,
    scores,
    search,
    sheets,
    units,
    users,
)

app_name = "clusters"

unit_urls = [
    path("", units.unit_list, name="unit_list"),
    path("new/", units.unit_create, name="unit_create"),
    path("<int:pk>/", units.unit_detail, name="unit_detail"),
    path("<int:pk>/edit/", units.unit_update, name="unit_update"),
    path("<int:pk>/rename/", units.unit_rename, name="unit_rename"),
    path("<int:pk>/history/", units.unit_history, name="unit_history"),
]

cluster_urls = [
    path("", clusters.cluster_list, name="cluster_list"),
    path("new/", clusters.cluster_create, name="cluster_create"),
    path("<int:pk>/", clusters.cluster_detail, name="cluster_detail"),
    path("<int:pk>/edit/", clusters.cluster_update, name="cluster_update"),
    path("<int:pk>/years/new/", clusters.clusteryear_create, name="clusteryear_create"),
]

year_urls = [
    path("<int:pk>/", clusters.clusteryear_detail, name="clusteryear_detail"),
    path("<int:pk>/edit/", clusters.clusteryear_update, name="clusteryear_update"),
    path("<int:pk>/members/add/", clusters.membership_create, name="membership_create"),
]

membership_urls = [
    path("<int:pk>/edit/", clusters.membership_update, name="membership_update"),
    path("<int:pk>/delete/", clusters.membership_delete, name="membership_delete"),
]

user_urls = [
    path("", users.user_list, name="user_list"),
    path("new/", users.user_create, name="user_create"),
    path("<int:pk>/", users.user_detail, name="user_detail"),
    path("<int:pk>/edit/", users.user_update, name="user_update"),
    path("<int:pk>/password/", users.user_password, name="user_password"),
    path("<int:pk>/roles/add/", users.role_create, name="role_create"),
    path("roles/<int:pk>/delete/", users.role_delete, name="role_delete"),
]

import_urls = [
    path("", imports.import_upload, name="import_upload"),
    path("template/<str:kind>.<str:fmt>", imports.import_template, name="import_template"),
]

grid_urls = [
    path("<int:pk>/agreed/", grid.agreed_grid, name="agreed_grid"),
    path("<int:pk>/agreed/cell/", grid.grid_cell_save, name="grid_cell_save"),
    path("<int:pk>/agreed/download/", grid.grid_download, name="grid_download"),
    path("<int:pk>/agreed/upload/", grid.grid_upload, name="grid_upload"),
    path("<int:pk>/ranking/", grid.ranking, name="ranking"),
]

sheet_urls = [
    path("", sheets.sheet_list, name="sheet_list"),
    path("new/", sheets.sheet_create, name="sheet_create"),
    path("import/", sheets.sheet_import, name="sheet_import"),
    path("import/template.xlsx", sheets.sheet_import_template, name="sheet_import_template"),
    path("<int:pk>/", sheets.sheet_detail, name="sheet_detail"),
    path("<int:pk>/copy/", sheets.sheet_copy, name="sheet_copy"),
    path("<int:pk>/criteria/new/", sheets.criterion_create, name="criterion_create"),
    path("criteria/<int:pk>/edit/", sheets.criterion_update, name="criterion_update"),
    path("criteria/<int:pk>/delete/", sheets.criterion_delete, name="criterion_delete"),
]

covenant_urls = [
    path("<int:pk>/covenant/", periods.covenant_detail, name="covenant_detail"),
    path("<int:pk>/covenant/edit/", periods.covenant_update, name="covenant_update"),
    path("<int:pk>/covenant/targets/", periods.covenant_targets, name="covenant_targets"),
]

period_urls = [
    path("<int:pk>/", periods.period_detail, name="period_detail"),
    path("<int:pk>/move/", periods.period_move, name="period_move"),
    path("<int:pk>/assignments/", periods.cross_assignments, name="cross_assignments"),
    path("<int:pk>/assignments/ring/", periods.cross_assign_ring, name="cross_assign_ring"),
    path("<int:pk>/units/<int:unit_pk>/self/", scores.self_score, name="self_score"),
    path("<int:pk>/units/<int:unit_pk>/cross/", scores.cross_score, name="cross_score"),
    path("evidence/<int:pk>/", scores.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/delete/", scores.evidence_delete, name="evidence_delete"),
]

meeting_year_urls = [
    path("", meetings.meeting_list, name="meeting_list"),
    path("new/", meetings.meeting_create, name="meeting_create"),
]

meeting_urls = [
    path("<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("<int:pk>/edit/", meetings.meeting_update, name="meeting_update"),
    path("<int:pk>/delete/", meetings.meeting_delete, name="meeting_delete"),
    path("<int:pk>/attendance/", meetings.attendance_edit, name="attendance_edit"),
    path("<int:pk>/sections/new/", meetings.section_create, name="section_create"),
    path("sections/<int:pk>/edit/", meetings.section_update, name="section_update"),
    path("sections/<int:pk>/delete/", meetings.section_delete, name="section_delete"),
    path("sections/<int:pk>/move/", meetings.section_move, name="section_move"),
    path("<int:pk>/commendations/new/", meetings.commendation_create, name="commendation_create"),
    path("commendations/<int:pk>/edit/", meetings.commendation_update, name="commendation_update"),
    path(
        "commendations/<int:pk>/delete/", meetings.commendation_delete, name="commendation_delete"
    ),
]

movement_urls = [
    path("", movements.movement_list, name="movement_list"),
    path("new/", movements.movement_create, name="movement_create"),
    path("<int:pk>/", movements.movement_detail, name="movement_detail"),
    path("<int:pk>/edit/", movements.movement_update, name="movement_update"),
]

exemplary_urls = [
    path("", movements.exemplary_list, name="exemplary_list"),
    path("new/", movements.exemplary_create, name="exemplary_create"),
    path("<int:pk>/edit/", movements.exemplary_update, name="exemplary_update"),
    path("<int:pk>/delete/", movements.exemplary_delete, name="exemplary_delete"),
]

appraisal_urls = [
    path("<int:year>/", appraisals.appraisal_list, name="appraisal_list"),
    path("proposal/<int:pk>/", appraisals.appraisal_detail, name="appraisal_detail"),
]

decision_urls = [
    path("", decisions.decision_list, name="decision_list"),
    path("<int:year>/", decisions.decision_list, name="decision_list"),
    path("<int:year>/new/", decisions.decision_create, name="decision_create"),
    path("decision/<int:pk>/", decisions.decision_detail, name="decision_detail"),
    path("decision/<int:pk>/edit/", decisions.decision_update, name="decision_update"),
]

ballot_meeting_urls = [
    path("", ballots.ballot_list, name="ballot_list"),
    path("new/", ballots.ballot_create, name="ballot_create"),
]

ballot_urls = [
    path("<int:pk>/", ballots.ballot_detail, name="ballot_detail"),
    path("<int:pk>/tally/", ballots.ballot_tally, name="ballot_tally"),
    path("<int:pk>/revote/", ballots.ballot_revote, name="ballot_revote"),
    path("<int:pk>/delete/", ballots.ballot_delete, name="ballot_delete"),
]

proposal_urls = [
    path("<int:pk>/", proposals.proposal_detail, name="proposal_detail"),
    path("<int:pk>/items/add/", proposals.proposal_item_add, name="proposal_item_add"),
    path("<int:pk>/submit/", proposals.proposal_submit, name="proposal_submit"),
    path("items/<int:pk>/delete/", proposals.proposal_item_delete, name="proposal_item_delete"),
    path(
        "items/<int:pk>/override/", proposals.proposal_item_override, name="proposal_item_override"
    ),
]

urlpatterns = [
    path("units/", include(unit_urls)),
    path("reorganisations/", units.reorganisation_list, name="reorganisation_list"),
    path("reorganisations/new/", units.reorganisation_create, name="reorganisation_create"),
    path("clusters/", include(cluster_urls)),
    path("years/", include(year_urls)),
    path("years/", include(covenant_urls)),
    path("memberships/", include(membership_urls)),
    path("users/", include(user_urls)),
    path("import/", include(import_urls)),
    path("periods/", include(grid_urls)),
    path("periods/", include(period_urls)),
    path("rankings/<int:year>/", grid.ranking_year, name="ranking_year"),
    path("sheets/", include(sheet_urls)),
    path("rules/<int:year>/", sheets.ruleset_edit, name="ruleset_edit"),
    path("years/<int:pk>/meetings/", include(meeting_year_urls)),
    path("meetings/", include(meeting_urls)),
    path("movements/", include(movement_urls)),
    path("exemplary/", include(exemplary_urls)),
    path("appraisals/", include(appraisal_urls)),
    path("decisions/", include(decision_urls)),
    path("progress/<int:year>/", progress.progress, name="progress"),
    path("reference/", decisions.reference_data, name="reference_data"),
    path("meetings/<int:pk>/ballots/", include(ballot_meeting_urls)),
    path("ballots/", include(ballot_urls)),
    path("years/<int:pk>/proposal/", proposals.proposal_create, name="proposal_create"),
    path("proposals/", include(proposal_urls)),
]

# Search, and every table as .xlsx or CSV (fmt is "xlsx" or "csv"; any other is a 404).
urlpatterns += [
    path("search/", search.search, name="search"),
    path(
        "periods/<int:pk>/ranking/export.<str:fmt>", exports.ranking_export, name="ranking_export"
    ),
    path("periods/<int:pk>/agreed/export.<str:fmt>", exports.grid_export, name="grid_export"),
    path(
        "rankings/<int:year>/export.<str:fmt>",
        exports.ranking_year_export,
        name="ranking_year_export",
    ),
    path(
        "decisions/<int:year>/export.<str:fmt>", exports.award_list_export, name="award_list_export"
    ),
    path(
        "decisions/decision/<int:pk>/export.<str:fmt>",
        exports.decision_export,
        name="decision_export",
    ),
    path("units/<int:pk>/awards.<str:fmt>", exports.unit_awards_export, name="unit_awards_export"),
    path("progress/<int:year>/export.<str:fmt>", exports.progress_export, name="progress_export"),
]

# The home page of each role for a year, and the user's notifications.
from .views import dashboard, notifications  # noqa: E402

urlpatterns += [
    path("dashboard/<int:year>/", dashboard.home, name="dashboard"),
    path("dashboard/<int:year>/leaders/", dashboard.leaders, name="dashboard_leaders"),
    path("notifications/", notifications.notification_list, name="notification_list"),
    path("notifications/badge/", notifications.notification_badge, name="notification_badge"),
    path("notifications/read/", notifications.notification_read_all, name="notification_read_all"),
    path("notifications/<int:pk>/", notifications.notification_open, name="notification_open"),
    path("notifications/<int:pk>/read/", notifications.notification_read, name="notification_read"),
]
