"""Print every import cycle between LabDesk modules (exit 1 when there is one).

Imports under ``if TYPE_CHECKING:`` count too: a circle for the type checker is still a circle
in the design. The house rule (docs/architecture.md) is: none.
"""

from __future__ import annotations

import sys

import grimp


def find_cycles(package: str = "labdesk") -> list[list[str]]:
    graph = grimp.build_graph(package, include_external_packages=False)
    modules = sorted(graph.modules)
    index = {m: i for i, m in enumerate(modules)}
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in modules}
    # Tarjan's strongly connected components.
    counter = 0
    stack: list[str] = []
    on_stack: set[str] = set()
    low: dict[str, int] = {}
    num: dict[str, int] = {}
    components: list[list[str]] = []
    sys.setrecursionlimit(10_000)

    def visit(v: str) -> None:
        nonlocal counter
        num[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                continue
            if w not in num:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], num[w])
        if low[v] == num[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for m in modules:
        if m not in num:
            visit(m)
    return components


def main() -> int:
    cycles = find_cycles()
    for component in cycles:
        print("circle:", " <-> ".join(component))
    return 1 if cycles else 0


if __name__ == "__main__":
    sys.exit(main())
