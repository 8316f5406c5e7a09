"""Demo deliberation of Cụm thi đua số 3 (Đồng Tháp) for 2022, called by clusters.demo:
the secret ballots and the proposal the cluster sent to the province.

The annual ranking comes from the demo scores (clusters.demo_scoring): Tân Hồng first
and eligible; Hồng Ngự and Thanh Bình equal on the final score, Hồng Ngự ahead on the
core group; Tam Nông vetoed. Everything here is illustrative (no source reports the
2022 deliberation): the meeting is marked so, and the people say "(minh họa)".

1. The term's deliberation meeting is reused if there is one; otherwise one is held on
   5/12/2022 in Tân Hồng with all four members present.
2. A ballot for the provincial flag (candidates from the ranking: Tân Hồng, elected
   with 4 of 4 votes) and one for the certificate of merit (Hồng Ngự elected with 4
   votes; Thanh Bình's 2 of 4 are not more than half), with a tally committee of three.
3. The proposal, pre-filled from the ballots and submitted on 8/12/2022.

Loading twice changes nothing: each step is skipped when its object exists.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from . import ballot_services, proposal_services
from .meeting_services import attendance_save, meeting_save
from .models import AwardForm, Ballot, ClusterYear, Meeting, Proposal, Unit, User
from .services import ClusterError

ILLUSTRATIVE = "(minh họa)"
# District code → its name, as in clusters.demo.
MEMBERS = {
    "869": "huyện Tân Hồng",
    "870": "huyện Hồng Ngự",
    "871": "huyện Tam Nông",
    "872": "huyện Thanh Bình",
}
MEETING_DAY = datetime.date(2022, 12, 5)
SUBMISSION_DAY = datetime.date(2022, 12, 8)
CHAIR = f"Lãnh đạo UBND huyện Tân Hồng {ILLUSTRATIVE}"
TALLY_COMMITTEE = "\n".join(
    [
        f"Trưởng ban: cán bộ Văn phòng HĐND và UBND huyện Tân Hồng {ILLUSTRATIVE}",
        f"Thành viên: cán bộ Phòng Nội vụ huyện Hồng Ngự {ILLUSTRATIVE}",
        f"Thành viên: cán bộ Phòng Nội vụ huyện Thanh Bình {ILLUSTRATIVE}",
    ]
)
# Votes per candidate in ballot order, with 4 ballots issued, returned and valid.
VOTES = {
    AwardForm.Level.PROVINCIAL_FLAG: [4],
    AwardForm.Level.MERIT_CERTIFICATE: [4, 2],
}


def _meeting(term: ClusterYear, units: dict[str, Unit]) -> Meeting:
    existing = (
        Meeting.objects.filter(cluster_year=term, kind=Meeting.Kind.DELIBERATION)
        .order_by("date", "pk")
        .first()
    )
    if existing is not None:
        return existing
    meeting = Meeting(
        cluster_year=term,
        kind=Meeting.Kind.DELIBERATION,
        date=MEETING_DAY,
        start_time=datetime.time(8, 0),
        end_time=datetime.time(11, 0),
        venue="Huyện Tân Hồng",
        host_unit=units["869"],
        secretary_name=f"Cán bộ thi đua, khen thưởng huyện Tân Hồng {ILLUSTRATIVE}",
        secretary_position="Thư ký Cụm",
        guests=f"Đại diện Ban Thi đua - Khen thưởng, Sở Nội vụ tỉnh Đồng Tháp {ILLUSTRATIVE}",
        illustrative=True,
    )
    meeting_save(meeting=meeting, user=None)
    attendance_save(
        meeting=meeting,
        rows={
            units[code].pk: (True, f"Lãnh đạo UBND {name} {ILLUSTRATIVE}")
            for code, name in MEMBERS.items()
        },
        user=None,
    )
    # The chair is recorded once the delegates are, as the meeting rules require.
    meeting.chair_name = CHAIR
    meeting.chair_position = "Cụm trưởng Cụm thi đua số 3"
    meeting_save(meeting=meeting, user=None)
    return meeting


def _ballot(meeting: Meeting, level: str, ruleset, ranking) -> None:
    award_form = AwardForm.objects.filter(level=level).order_by("position").first()
    if award_form is None or Ballot.objects.filter(meeting=meeting, award_form=award_form).exists():
        return
    members = {u.pk: u for u in Unit.objects.filter(pk__in=[r.result.key for r in ranking.rows])}
    defaults = ballot_services.ballot_defaults(
        meeting, award_form, ruleset=ruleset, ranking=ranking, members_total=len(MEMBERS)
    )
    votes = VOTES[level]
    candidates = [members[pk] for pk in defaults.candidates][: len(votes)]
    if len(candidates) != len(votes):
        return
    ballot = ballot_services.ballot_create(
        meeting=meeting,
        award_form=award_form,
        quota=defaults.quota,
        threshold_percent=defaults.threshold_percent,
        members_total=len(MEMBERS),
        present=len(MEMBERS),
        candidates=candidates,
        tally_committee=TALLY_COMMITTEE,
    )
    by_position = list(ballot.candidates.order_by("position"))
    ballot_services.ballot_tally(
        ballot=ballot,
        issued=len(MEMBERS),
        returned=len(MEMBERS),
        valid=len(MEMBERS),
        invalid=0,
        votes={c.pk: v for c, v in zip(by_position, votes, strict=True)},
        tally_committee=TALLY_COMMITTEE,
    )


@transaction.atomic
def load() -> None:
    """Record the 2022 deliberation of Cụm thi đua số 3 and its proposal (once)."""
    term = (
        ClusterYear.objects.filter(
            cluster__province__name="Đồng Tháp", cluster__name="Cụm thi đua số 3", year=2022
        )
        .select_related("cluster__province")
        .first()
    )
    if term is None:
        return
    units = {
        u.code: u
        for u in Unit.objects.filter(province=term.cluster.province, code__in=list(MEMBERS))
    }
    ranking = ballot_services.annual_ranking(term)
    if set(units) != set(MEMBERS) or not ranking.rows:
        return
    meeting = _meeting(term, units)
    ruleset = ballot_services.ruleset_for(term)
    for level in VOTES:
        _ballot(meeting, level, ruleset, ranking)

    if Proposal.objects.filter(cluster_year=term).exists():
        return
    secretary = User.objects.filter(username="thuky").first()
    proposal, _source = proposal_services.proposal_create(cluster_year=term, user=secretary)
    try:
        proposal_services.proposal_submit(
            proposal=proposal,
            user=secretary,
            today=SUBMISSION_DAY,
            when=timezone.make_aware(
                datetime.datetime.combine(SUBMISSION_DAY, datetime.time(9, 30))
            ),
        )
    except ClusterError:
        # A check fails (the rule set was changed): the draft shows which, as in real use.
        return
