from hypothesis import given
from hypothesis import strategies as st

from clusters.lineage import predecessors, successors

# Districts into communes on 1/7/2025: 1, 2 -> 10; 2 -> 11 (split); 3 -> 11; 4 dissolved.
EDGES = [(1, 10), (2, 10), (2, 11), (3, 11), (4, None), (10, 20)]


def test_predecessors_follow_every_merger_back():
    assert predecessors(EDGES, 10) == {1: 1, 2: 1}
    assert predecessors(EDGES, 20) == {10: 1, 1: 2, 2: 2}


def test_successors_follow_splits_forward():
    assert successors(EDGES, 2) == {10: 1, 11: 1, 20: 2}


def test_dissolved_unit_has_no_successor():
    assert successors(EDGES, 4) == {}


def test_cycles_do_not_loop():
    assert successors([(1, 2), (2, 1)], 1) == {2: 1}


edges = st.lists(
    st.tuples(st.integers(0, 12), st.one_of(st.none(), st.integers(0, 12))), max_size=30
)


@given(edges, st.integers(0, 12), st.integers(0, 12))
def test_predecessor_and_successor_relations_mirror_each_other(graph, a, b):
    assert (a in predecessors(graph, b)) == (b in successors(graph, a))


@given(edges, st.integers(0, 12))
def test_a_unit_is_never_its_own_predecessor(graph, unit):
    assert unit not in predecessors(graph, unit)
    assert unit not in successors(graph, unit)


@given(edges, st.integers(0, 12))
def test_distances_are_shortest_paths(graph, unit):
    found = successors(graph, unit)
    for node, distance in found.items():
        if distance > 1:
            # Some unit one step nearer leads to it.
            assert any(
                found.get(before) == distance - 1 for before, after in graph if after == node
            )
        else:
            assert (unit, node) in graph
