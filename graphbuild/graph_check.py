"""Checking a ``graph.json`` (node-link data) against the schema before anything uses it.

A damaged or hand-edited file that still carries the right ``schema_version`` (a link without
``target``, a year that is text, a node without a label) would otherwise fail deep inside a store
or an exporter with a ``KeyError``. Here every node and link is checked once, against
``graphbuild/data/schema.yaml``, and the first problem is a :class:`GraphFileError` naming the file,
the element (``links[12]``) and the fix.
"""

from __future__ import annotations

import re
from typing import Any

import networkx as nx

from graphbuild.errors import GraphFileError
from graphbuild.schema import Schema, load_schema

_SURROGATE = re.compile("[\ud800-\udfff]")


def _type_ok(value: Any, ptype: str) -> bool:
    if ptype == "string":
        return isinstance(value, str) and (value.isascii() or _SURROGATE.search(value) is None)
    if ptype == "int":  # 64-bit, as both stores keep it
        return isinstance(value, int) and not isinstance(value, bool) and -(2**63) <= value < 2**63
    if ptype == "float":
        return isinstance(value, int | float) and not isinstance(value, bool) and -(2**1023) < value < 2**1023
    if ptype == "string[]":
        return isinstance(value, list) and all(_type_ok(v, "string") for v in value)
    return False


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


class _Checker:
    def __init__(self, where: str, schema: Schema) -> None:
        self.where = where
        self.schema = schema
        self.node_props = {label: {k: t for k, t in spec.properties.items() if k != "key"}
                           for label, spec in schema.nodes.items()}  # fmt: skip
        self.prefixes = {label: spec.prefix + ":" for label, spec in schema.nodes.items()}
        self.rel_props = dict(schema.relationship_properties)

    def fail(self, element: str, problem: str) -> GraphFileError:
        return GraphFileError(
            f"{self.where}: {element}: {problem}; the file is damaged or was edited by hand: "
            "rebuild it with `paperkg build`"
        )

    def properties(self, element: str, attrs: dict[str, Any], allowed: dict[str, str]) -> None:
        for name, value in attrs.items():
            ptype = allowed.get(name)
            if ptype is None:
                raise self.fail(element, f"unknown property {name!r} (the schema allows {', '.join(allowed)})")
            if value is not None and not _type_ok(value, ptype):
                raise self.fail(element, f"property {name!r} must be {ptype}, not {_describe(value)}")


def graph_from_node_link(data: Any, where: str, schema: Schema | None = None) -> nx.MultiDiGraph:
    """The ``MultiDiGraph`` of checked node-link ``data`` (``schema_version`` already removed)."""
    schema = schema or load_schema()
    c = _Checker(where, schema)
    if not isinstance(data, dict):
        raise c.fail("top level", f"expected a JSON object, got {type(data).__name__}")
    for flag in ("directed", "multigraph"):
        if data.get(flag, True) is not True:
            raise c.fail(flag, f"must be true, not {_describe(data.get(flag))}")
    nodes, links, graph_attrs = data.get("nodes"), data.get("links"), data.get("graph", {})
    if not isinstance(nodes, list):
        raise c.fail("nodes", f"expected a list, got {_describe(nodes)}")
    if not isinstance(links, list):
        raise c.fail("links", f"expected a list, got {_describe(links)}")
    if not isinstance(graph_attrs, dict):
        raise c.fail("graph", f"expected an object, got {_describe(graph_attrs)}")
    g = nx.MultiDiGraph(**graph_attrs)
    labels: dict[str, str] = {}
    for i, node in enumerate(nodes):
        element = f"nodes[{i}]"
        if not isinstance(node, dict):
            raise c.fail(element, f"expected an object, got {_describe(node)}")
        key = node.get("id")
        if not isinstance(key, str) or not key or not _type_ok(key, "string"):
            raise c.fail(element, f"'id' must be a non-empty text key, not {_describe(key)}")
        element = f"nodes[{i}] ({key!r})"
        label = node.get("label")
        if label not in c.node_props:
            raise c.fail(element, f"label {_describe(label)} is not one of {', '.join(c.node_props)}")
        if not key.startswith(c.prefixes[label]):
            raise c.fail(element, f"a {label} key must start with {c.prefixes[label]!r}")
        if key in labels:
            raise c.fail(element, "a second node with this id")
        attrs = {k: v for k, v in node.items() if k != "id"}
        c.properties(element, {k: v for k, v in attrs.items() if k != "label"}, c.node_props[label])
        labels[key] = label
        g.add_node(key, **attrs)
    for i, link in enumerate(links):
        element = f"links[{i}]"
        if not isinstance(link, dict):
            raise c.fail(element, f"expected an object, got {_describe(link)}")
        for end in ("source", "target"):
            if end not in link:
                raise c.fail(element, f"missing {end!r}")
            if not isinstance(link[end], str) or link[end] not in labels:
                raise c.fail(element, f"{end} {_describe(link[end])} is not the id of a node in the file")
        u, v = link["source"], link["target"]
        rtype = link.get("type", link.get("key"))
        key = link.get("key", rtype)
        element = f"links[{i}] ({u!r} -> {v!r})"
        spec = schema.relationships.get(rtype) if isinstance(rtype, str) else None
        if spec is None:
            known = ", ".join(schema.relationships)
            raise c.fail(element, f"relationship type {_describe(rtype)} is not one of {known}")
        if key != rtype:
            raise c.fail(element, f"key {_describe(key)} differs from its type {rtype!r}")
        if (labels[u], labels[v]) != (spec.source, spec.target):
            raise c.fail(element, f"{rtype} goes from {spec.source} to {spec.target}, not {labels[u]} to {labels[v]}")
        if g.has_edge(u, v, key):
            raise c.fail(element, f"a second {rtype} link between the same nodes")
        attrs = {k: val for k, val in link.items() if k not in ("source", "target", "key")}
        c.properties(element, {k: val for k, val in attrs.items() if k != "type"}, c.rel_props)
        g.add_edge(u, v, key=key, **attrs)
    return g
