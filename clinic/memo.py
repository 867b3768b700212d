"""Facts worked out once per model instance and kept on it: the read path's memos.

Serving a page asks the same things of an object many times: its translation
states, its text in the language served, its topics, its medical reviews, the
URLs of its language versions. Each such fact is a :class:`Memo`, declared once
beside the code that fills it, saying what it holds, what fills it and what
makes it wrong; code reads and writes it through that object only.

The value lives in the instance's ``__dict__`` (as ``functools.cached_property``
keeps its values): reading it is one dictionary lookup, and it lives exactly
as long as the instance, which for a response is one request. Nothing expires
on its own: the write that makes a memo wrong calls :meth:`Memo.forget` on the
instance it changed, which also forgets the memos declared ``derived_from`` it.
An instance loaded afresh has none. :func:`registered` lists every memo.
"""

from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

_registry: dict[str, "Memo"] = {}


class Memo(Generic[T]):
    """One named fact, memoised per instance.

    ``holds``: what the value is; ``filled_by``: where it is computed;
    ``invalidated_by``: what makes it wrong (and calls :meth:`forget`);
    ``derived_from``: memos it is computed from, whose :meth:`forget` forgets it too.
    """

    def __init__(
        self,
        name: str,
        *,
        holds: str,
        filled_by: str,
        invalidated_by: str,
        derived_from: tuple["Memo", ...] = (),
    ) -> None:
        if name in _registry:
            raise ValueError(f"A memo named {name!r} is already registered.")
        self.name = name
        self.holds = holds
        self.filled_by = filled_by
        self.invalidated_by = invalidated_by
        self.derived_from = derived_from
        self._key = f"_memo_{name}"
        self._derived: list[Memo] = []
        for memo in derived_from:
            memo._derived.append(self)
        _registry[name] = self

    def __repr__(self) -> str:
        return f"<Memo {self.name}>"

    def is_set(self, obj: object) -> bool:
        return self._key in obj.__dict__

    def get(self, obj: object) -> T | None:
        """The value kept on ``obj``, or ``None``."""
        return obj.__dict__.get(self._key)

    def set(self, obj: object, value: T) -> T:
        obj.__dict__[self._key] = value
        return value

    def get_or_set(self, obj: object, compute: Callable[[], T]) -> T:
        """The value kept on ``obj``; computed by ``compute()`` and kept if there is none."""
        try:
            return obj.__dict__[self._key]
        except KeyError:
            return self.set(obj, compute())

    def forget(self, obj: object) -> None:
        """Drop the value from ``obj``, and the values of the memos derived from it."""
        obj.__dict__.pop(self._key, None)
        for memo in self._derived:
            memo.forget(obj)


def registered() -> tuple[Memo, ...]:
    """Every memo, in the order their modules declared them."""
    return tuple(_registry.values())
