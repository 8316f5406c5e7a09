"""One search box for everything the user may see (clusters.search)."""

from .. import page_cache
from .. import search as search_data
from ..access import access_for

# Longer queries are cut: a search box is not a place for paragraphs.
MAX_QUERY_LENGTH = 100


def search(request):
    """Units, clusters and blocs, meetings, decisions and issued documents matching `q`,
    grouped by kind, each group with its count and its first results."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]

    def build():
        groups = search_data.search(access_for(request.user), query)
        return {"query": query, "groups": groups, "total": sum(group.count for group in groups)}

    return page_cache.render_page(
        request, "clusters/search.html", {"query": query}, "clusters/_search_body.html", build
    )
