from django.urls import include, path

from .views import clusters, imports, units, users

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

urlpatterns = [
    path("units/", include(unit_urls)),
    path("reorganisations/", units.reorganisation_list, name="reorganisation_list"),
    path("reorganisations/new/", units.reorganisation_create, name="reorganisation_create"),
    path("clusters/", include(cluster_urls)),
    path("years/", include(year_urls)),
    path("memberships/", include(membership_urls)),
    path("users/", include(user_urls)),
    path("import/", include(import_urls)),
]
