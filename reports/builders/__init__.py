"""One module per document kind; importing the package registers them all."""

from . import (
    award_decision,  # noqa: F401
    cluster_report,  # noqa: F401
    deliberation_minutes,  # noqa: F401
    leaders_report,  # noqa: F401
    proposal_letter,  # noqa: F401
    review_minutes,  # noqa: F401
    score_summary,  # noqa: F401
    tally_minutes,  # noqa: F401
)
