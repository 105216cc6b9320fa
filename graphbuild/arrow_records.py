"""Frozen dataclass records ↔ Arrow tables (one column per field), for Parquet spill files.

The column types come from the dataclass's field annotations, so a field added to a record type travels
without touching this module: ``str``, ``int``, ``float``, ``bool`` (each may be ``| None``), ``Literal``
of strings, ``tuple[str, ...]`` and ``tuple[tuple[str, ...], ...]``. Rows are built column by column
(``to_pylist`` per column, then one constructor call per row): several times faster than Arrow's
row-wise dict conversion.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import Any, Literal, TypeVar, Union

T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class Column:
    name: str
    arrow: Any  # pyarrow.DataType
    decode: Callable[[list[Any]], list[Any]] | None  # list column → tuples (None: values as read)


def _tuples(values: list[Any]) -> list[Any]:
    return [None if v is None else tuple(v) for v in values]


def _nested_tuples(values: list[Any]) -> list[Any]:
    return [None if v is None else tuple(tuple(x) for x in v) for v in values]


def _arrow_type(tp: Any, where: str) -> tuple[Any, Callable[[list[Any]], list[Any]] | None]:
    import pyarrow as pa

    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1:
            return _arrow_type(rest[0], where)
    if origin is Literal and all(isinstance(a, str) for a in args):
        return pa.string(), None
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        inner = args[0]
        if inner is str:
            return pa.list_(pa.string()), _tuples
        if typing.get_origin(inner) is tuple and all(a is str for a in typing.get_args(inner) if a is not Ellipsis):
            return pa.list_(pa.list_(pa.string())), _nested_tuples
    simple = {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_()}
    if tp in simple:
        return simple[tp], None
    raise TypeError(f"{where}: no Arrow column type for {tp!r}")


@cache
def columns(cls: type) -> tuple[Column, ...]:
    """The columns of a dataclass record type, in field order."""
    hints = typing.get_type_hints(cls)
    out = []
    for f in dataclasses.fields(cls):
        arrow, decode = _arrow_type(hints[f.name], f"{cls.__name__}.{f.name}")
        out.append(Column(f.name, arrow, decode))
    return tuple(out)


def schema(cls: type) -> Any:
    import pyarrow as pa

    return pa.schema([(c.name, c.arrow) for c in columns(cls)])


def to_table(records: Sequence[Any], cls: type, extra: dict[str, Any] | None = None) -> Any:
    """An Arrow table of ``records`` (instances of ``cls``), plus ``extra`` columns (name → pyarrow array)."""
    import pyarrow as pa

    cols = columns(cls)
    arrays = [pa.array([getattr(r, c.name) for r in records], type=c.arrow) for c in cols]
    names = [c.name for c in cols]
    for name, array in (extra or {}).items():
        names.append(name)
        arrays.append(array)
    return pa.Table.from_arrays(arrays, names=names)


def column_values(table: Any, cls: type) -> list[list[Any]]:
    """The table's ``cls`` columns as Python lists (tuples where the field is a tuple)."""
    out = []
    for c in columns(cls):
        values = table.column(c.name).to_pylist()
        out.append(c.decode(values) if c.decode else values)
    return out


def from_table(table: Any, cls: type[T]) -> list[T]:
    """The records of a table written by :func:`to_table`."""
    return [cls(*row) for row in zip(*column_values(table, cls), strict=True)]


def rows(records: Iterable[Any], cls: type) -> Iterable[tuple[Any, ...]]:
    """Field values of each record, in column order (for writers that buffer rows)."""
    names = [c.name for c in columns(cls)]
    for r in records:
        yield tuple(getattr(r, n) for n in names)
