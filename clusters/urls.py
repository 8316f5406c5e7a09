from django.urls import include, path

from .views import clusters, grid, imports, periods, scores, sheets, units, users

app_name = "clusters"

unit_urls = [
    path("", units.unit_list, name="unit_list"),
    path("new/", units.unit_create, name="unit_create"),
    path("<int:pk>/", units.unit_detail, name="unit_detail"),
    path("<int:pk>/edit/", units.unit_update, name="unit_update"),
    path("<int:pk>/rename/", units.unit_rename, name="unit_rename"),
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
]
