"""
Who copied whom: a claim's carriages and the carriages they cite, laid out for a small
server-side SVG picture (origin first, each outlet once) with the same facts as a list.

The picture reads left to right: an outlet stands one column to the right of the outlets it
cites, so the origin (and anything citing nobody) is in the first column. A link is marked
*undated* when either report has no time (the order is then our reading, not a fact) and
*unarchived* when either report has no archived copy (the link cannot be checked later).
"""

from dataclasses import dataclass, field

from django.utils.text import Truncator

from .models import CarriageRole

COLUMN = 200  # from one column's left edge to the next
NODE_WIDTH, NODE_HEIGHT = 168, 44
ROW = 60
PAD = 8
LABEL_CHARS = 22


@dataclass(eq=False)
class Node:
    """One outlet, with the first of its carriages of this claim (oldest report first)."""

    carriage: object
    column: int = 0
    row: int = 0
    upstream: list["Node"] = field(default_factory=list)

    @property
    def outlet(self):
        return self.carriage.report.outlet

    @property
    def report(self):
        return self.carriage.report

    @property
    def is_origin(self) -> bool:
        return self.carriage.role == CarriageRole.ORIGIN

    @property
    def dated(self) -> bool:
        return self.report.published_at is not None

    @property
    def archived(self) -> bool:
        return bool(getattr(self.report, "archived_copies", None))

    @property
    def label(self) -> str:
        return Truncator(self.outlet.name).chars(LABEL_CHARS)

    @property
    def x(self) -> int:
        return PAD + self.column * COLUMN

    @property
    def y(self) -> int:
        return PAD + self.row * ROW

    @property
    def middle(self) -> int:
        return self.y + NODE_HEIGHT // 2


@dataclass(eq=False)
class Link:
    """`cited` is where `citing` took the claim from."""

    cited: Node
    citing: Node

    @property
    def undated(self) -> bool:
        return not (self.cited.dated and self.citing.dated)

    @property
    def unarchived(self) -> bool:
        return not (self.cited.archived and self.citing.archived)

    @property
    def path(self) -> str:
        """From the cited outlet's right edge to the citing outlet's left edge."""
        x1, y1 = self.cited.x + NODE_WIDTH, self.cited.middle
        x2, y2 = self.citing.x - 6, self.citing.middle
        bend = (x1 + x2) / 2
        return f"M{x1},{y1} C{bend},{y1} {bend},{y2} {x2},{y2}"


@dataclass
class SourceGraph:
    nodes: list[Node]
    links: list[Link]

    @property
    def width(self) -> int:
        columns = max((node.column for node in self.nodes), default=0) + 1
        return 2 * PAD + (columns - 1) * COLUMN + NODE_WIDTH

    @property
    def height(self) -> int:
        rows = max((node.row for node in self.nodes), default=0) + 1
        return 2 * PAD + (rows - 1) * ROW + NODE_HEIGHT

    def __bool__(self) -> bool:
        return bool(self.nodes)


def source_graph(carriages: list) -> SourceGraph:
    """The graph of `carriages` (public ones, oldest report first, with `report.outlet`,
    `cites` and `report.archived_copies` loaded); a cited carriage not among them (private
    or withdrawn) is left out."""
    by_outlet: dict[int, Node] = {}
    node_of: dict[int, Node] = {}
    for carriage in carriages:
        node = by_outlet.get(carriage.report.outlet_id)
        if node is None:
            node = by_outlet[carriage.report.outlet_id] = Node(carriage)
        elif carriage.role == CarriageRole.ORIGIN and not node.is_origin:
            node.carriage = carriage  # the outlet's origin carriage speaks for it
        node_of[carriage.pk] = node
    links: dict[tuple[int, int], Link] = {}
    for carriage in carriages:
        citing, cited = node_of[carriage.pk], node_of.get(carriage.cites_id)
        if cited is None or cited is citing:
            continue
        key = (id(cited), id(citing))
        if key not in links:
            links[key] = Link(cited, citing)
            citing.upstream.append(cited)
    nodes = list(by_outlet.values())
    for node in nodes:
        node.column = _column(node, set())
    # Origins first, then in the order the outlets carried the claim.
    order = {id(node): n for n, node in enumerate(nodes)}
    nodes.sort(key=lambda node: (node.column, not node.is_origin, order[id(node)]))
    rows: dict[int, int] = {}
    for node in nodes:
        node.row = rows.get(node.column, 0)
        rows[node.column] = node.row + 1
    return SourceGraph(nodes, list(links.values()))


def _column(node: Node, seen: set[int]) -> int:
    """One more than the furthest outlet it cites; a citation loop stops where it repeats."""
    seen = seen | {id(node)}
    upstream = [cited for cited in node.upstream if id(cited) not in seen]
    return 1 + max((_column(cited, seen) for cited in upstream), default=-1)
