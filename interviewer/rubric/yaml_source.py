"""YAML reading that remembers where each value was written.

PyYAML silently keeps the last of two equal keys and forgets positions once it has built
Python objects; coaches need both caught and pointed at, so we keep the node tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode


class _RecordingLoader(yaml.SafeLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicate_keys: list[tuple[str, yaml.Mark, yaml.Mark]] = []

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        first_seen: dict[Any, yaml.Mark] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in first_seen:
                self.duplicate_keys.append((str(key), key_node.start_mark, first_seen[key]))
            else:
                first_seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep)


@dataclass
class YamlDocument:
    data: Any
    root: Node | None
    duplicate_keys: list[tuple[str, yaml.Mark, yaml.Mark]] = field(default_factory=list)

    def position(self, loc: tuple[Any, ...]) -> tuple[int, int] | None:
        """1-based (line, column) of the deepest node on the path `loc` that exists."""
        if self.root is None:
            return None
        node, mark = self.root, self.root.start_mark
        for part in loc:
            if isinstance(node, MappingNode):
                pair = next(((k, v) for k, v in node.value if str(k.value) == str(part)), None)
                if pair is None:
                    break
                mark, node = pair[0].start_mark, pair[1]
            elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
                mark = node.start_mark
            else:
                break
        return mark.line + 1, mark.column + 1


def parse_yaml(text: str) -> YamlDocument:
    """Parse one YAML document; raises yaml.YAMLError (with a problem_mark) on bad syntax."""
    loader = _RecordingLoader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
        return YamlDocument(data, root, loader.duplicate_keys)
    finally:
        loader.dispose()
