"""One registry object per extension point, papermill's pattern: items by name, in the order registered.
``register`` refuses a name twice; ``get`` of an unknown name raises the registry's own error, naming
the registered ones. The inputs (inputs.INPUTS) and the programmes (programmes.PROGRAMMES) are such
registries; each item has a ``name``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, Protocol, TypeVar


class Named(Protocol):
    name: str


Item = TypeVar("Item", bound=Named)


class UnknownName(KeyError):
    """A name nothing is registered under (a KeyError whose message reads as a sentence)."""

    def __str__(self) -> str:
        return str(self.args[0])


class NamedRegistry(Generic[Item]):
    """Items by name, in the order registered. ``kind`` names them in messages ("input", "programme");
    ``unknown`` is the error ``get`` raises."""

    def __init__(self, kind: str, unknown: type[UnknownName] = UnknownName) -> None:
        self.kind = kind
        self.unknown = unknown
        self._items: dict[str, Item] = {}

    def register(self, item: Item) -> Item:
        if item.name in self._items:
            raise ValueError(f"a {self.kind} named {item.name!r} is already registered")
        self._items[item.name] = item
        return item

    def unregister(self, name: str) -> None:
        """For a test that registers an example for a while."""
        self.get(name)
        del self._items[name]

    def get(self, name: str) -> Item:
        try:
            return self._items[name]
        except KeyError:
            known = ", ".join(self._items)
            raise self.unknown(f"no {self.kind} named {name!r}; registered: {known}") from None

    def names(self) -> tuple[str, ...]:
        return tuple(self._items)

    def __iter__(self) -> Iterator[Item]:
        return iter(list(self._items.values()))

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def __len__(self) -> int:
        return len(self._items)
