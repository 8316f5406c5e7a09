"""The reorganisation graph as plain data: which units came before and after a unit.

Pure functions over (predecessor_id, successor_id) edges, with no ORM imports, so the
rules can be tested exhaustively. The graph is small (hundreds of units per province),
so callers load a province's edges in one query and walk them here.
"""

from collections import defaultdict
from collections.abc import Iterable

Edge = tuple[int, int | None]


def _walk(adjacency: dict[int, set[int]], start: int) -> dict[int, int]:
    """Breadth-first distances from start (excluded), following adjacency; cycles are safe."""
    distances: dict[int, int] = {}
    frontier = [start]
    depth = 0
    seen = {start}
    while frontier:
        depth += 1
        following = []
        for node in frontier:
            for neighbour in sorted(adjacency.get(node, ())):
                if neighbour not in seen:
                    seen.add(neighbour)
                    distances[neighbour] = depth
                    following.append(neighbour)
        frontier = following
    return distances


def predecessors(edges: Iterable[Edge], unit_id: int) -> dict[int, int]:
    """Every unit the given one descends from, with the number of steps back."""
    backwards: dict[int, set[int]] = defaultdict(set)
    for before, after in edges:
        if after is not None:
            backwards[after].add(before)
    return _walk(backwards, unit_id)


def successors(edges: Iterable[Edge], unit_id: int) -> dict[int, int]:
    """Every unit that carries the given one on, with the number of steps forward."""
    forwards: dict[int, set[int]] = defaultdict(set)
    for before, after in edges:
        if after is not None:
            forwards[before].add(after)
    return _walk(forwards, unit_id)
