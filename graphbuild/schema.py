"""The graph schema, read once from ``graphbuild/data/schema.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from graphbuild.assets import read_yaml


@dataclass(frozen=True)
class NodeSpec:
    label: str
    prefix: str
    properties: dict[str, str]


@dataclass(frozen=True)
class RelSpec:
    type: str
    source: str
    target: str
    role: str | None


@dataclass(frozen=True)
class Schema:
    version: int
    nodes: dict[str, NodeSpec]
    relationships: dict[str, RelSpec]
    relationship_properties: dict[str, str]

    def label_of_key(self, key: str) -> str:
        """``"method:transformer"`` → ``"Method"``."""
        prefix = key.split(":", 1)[0]
        for spec in self.nodes.values():
            if spec.prefix == prefix:
                return spec.label
        raise KeyError(f"node key {key!r} has no known prefix")


@cache
def load_schema() -> Schema:
    text = resources.files("graphbuild").joinpath("data/schema.yaml").read_text("utf-8")
    raw: dict[str, Any] = read_yaml(text)
    nodes = {
        label: NodeSpec(label, spec["prefix"], dict(spec["properties"]))
        for label, spec in raw["nodes"].items()
    }
    rels = {
        name: RelSpec(name, spec["from"], spec["to"], spec.get("role"))
        for name, spec in raw["relationships"].items()
    }
    return Schema(
        int(raw["schema_version"]), nodes, rels, dict(raw["relationship_properties"])
    )
