from django.urls import path

from . import views, views_batches, views_downloads

app_name = "reports"

urlpatterns = [
    path("documents/<slug:kind>/<str:key>/", views.document_page, name="document_page"),
    path("documents/<slug:kind>/<str:key>/pdf/", views.document_pdf, name="document_pdf"),
    path("documents/<slug:kind>/<str:key>/docx/", views.document_docx, name="document_docx"),
    path("documents/<slug:kind>/<str:key>/issue/", views.document_issue, name="document_issue"),
    path("issued/<int:pk>/", views.issued_detail, name="issued_detail"),
    path("issued/<int:pk>/pdf/", views.issued_pdf, name="issued_pdf"),
    path("issued/<int:pk>/docx/", views.issued_docx, name="issued_docx"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify_code, name="verify_code"),
    # Leaders' downloads and background batches (issue 5, "Also").
    path("downloads/", views_downloads.downloads, name="downloads"),
    path("downloads/zip/", views_downloads.downloads_zip, name="downloads_zip"),
    path("batches/start/", views_batches.batch_start, name="batch_start"),
    path("batches/<int:pk>/", views_batches.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/progress/", views_batches.batch_progress, name="batch_progress"),
    path("batches/<int:pk>/download/", views_batches.batch_download, name="batch_download"),
]
