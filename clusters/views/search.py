"""One search box for everything the user may see (clusters.search)."""

from django.shortcuts import render

from .. import search as search_data
from ..access import access_for

# Longer queries are cut: a search box is not a place for paragraphs.
MAX_QUERY_LENGTH = 100


def search(request):
    """Units, clusters and blocs, meetings, decisions and issued documents matching `q`,
    grouped by kind, each group with its count and its first results."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    groups = search_data.search(access_for(request.user), query)
    return render(
        request,
        "clusters/search.html",
        {
            "query": query,
            "groups": groups,
            "total": sum(group.count for group in groups),
        },
    )
