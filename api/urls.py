from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import views

app_name = "api"

router = SimpleRouter()
router.register("units", views.UnitViewSet, basename="unit")
router.register("clusters", views.ClusterViewSet, basename="cluster")
router.register("periods", views.PeriodViewSet, basename="period")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("decisions", views.DecisionViewSet, basename="decision")
router.register("documents", views.DocumentViewSet, basename="document")

urlpatterns = [
    path("token/", views.token_page, name="token"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("", include(router.urls)),
]
