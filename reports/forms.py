from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster, Period

from .models import Kind, RenderBatch

YEARS = {"min_value": 2000, "max_value": 2100}


def _bootstrap(form: forms.Form) -> None:
    """Bootstrap's classes on the widgets of a form laid out by hand in its template."""
    for field in form.fields.values():
        select = isinstance(field.widget, forms.Select)
        field.widget.attrs.setdefault("class", "form-select" if select else "form-control")


class DocumentFilterForm(forms.Form):
    """The downloads page's filters (GET): the year, then optionally a cluster, a kind and
    a period. `clusters` are those the user may choose from."""

    year = forms.IntegerField(label=_("Year"), **YEARS)
    cluster = forms.ModelChoiceField(
        label=_("Cluster or bloc"), queryset=Cluster.objects.none(), required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *Kind.choices], required=False
    )
    period = forms.ChoiceField(
        label=_("Period"), choices=[("", _("All periods")), *Period.Kind.choices], required=False
    )

    def __init__(self, *args, clusters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters
        self.fields["cluster"].empty_label = _("All clusters and blocs")
        _bootstrap(self)

    def filter(self, documents):
        """The documents of the year that match the filters (call after is_valid).

        "Of the year" is the emulation year the document is about: a cluster's documents
        by their term's year, the leaders' report by its period (its key starts with the
        year, though it is issued early the next year), other province documents by the
        year they are dated.
        """
        data = self.cleaned_data
        year = data["year"]
        leaders_report = Q(kind=Kind.LEADERS_REPORT)
        documents = documents.filter(
            Q(cluster_year__year=year)
            | Q(cluster_year__isnull=True) & leaders_report & Q(source_key__startswith=f"{year}-")
            | Q(cluster_year__isnull=True) & ~leaders_report & Q(year=year)
        )
        if data["cluster"]:
            documents = documents.filter(cluster_year__cluster=data["cluster"])
        if data["kind"]:
            documents = documents.filter(kind=data["kind"])
        if data["period"]:
            documents = documents.filter(period=data["period"])
        return documents


class BatchForm(forms.Form):
    what = forms.ChoiceField(label=_("What"), choices=RenderBatch.What.choices)
    year = forms.IntegerField(label=_("Year"), **YEARS)
    period = forms.ChoiceField(
        label=_("Period"), choices=[("", "—"), *Period.Kind.choices], required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def clean(self):
        data = super().clean()
        if data.get("what") == RenderBatch.What.LEADERS_REPORT and not data.get("period"):
            raise ValidationError(_("Choose the period of the report."))
        if data.get("what") == RenderBatch.What.CLUSTER_MINUTES:
            data["period"] = ""
        return data
