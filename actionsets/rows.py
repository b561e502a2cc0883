"""Model instances from a hand-written SELECT, converted exactly as the ORM converts them.

For the few reads on every set page, building and compiling a `select_related` query costs more
CPU than the database spends running it (~1 ms for the membership gate, measured with the
benchmark; docs/benchmarks.md). Such a read is written once per process from the models' own
field lists (`columns`), and each row is turned back into instances with `Model.from_db` after the
database's converters (SQLite returns datetimes as text and booleans as integers) — so a new field
or migration needs no change here, and tests hold the result equal to the ORM's.
"""

from dataclasses import dataclass
from functools import cache

from django.db import connection, models


@dataclass(frozen=True)
class Columns:
    model: type[models.Model]
    select: str                     # "alias"."column", … for the SELECT list
    attnames: list[str]             # what Model.from_db expects, in the same order
    converters: list[tuple]         # per column: (expression, [converter, …])

    def build(self, values) -> models.Model:
        converted = []
        for value, (expression, functions) in zip(values, self.converters, strict=True):
            for function in functions:
                value = function(value, expression, connection)
            converted.append(value)
        return self.model.from_db(connection.alias, self.attnames, converted)


@cache
def columns(model: type[models.Model], alias: str) -> Columns:
    """Every concrete column of `model` under the table alias `alias`. One vendor per process."""
    quote = connection.ops.quote_name
    fields = model._meta.concrete_fields
    converters = []
    for field in fields:
        expression = field.get_col(alias)
        converters.append((expression, connection.ops.get_db_converters(expression)
                           + expression.get_db_converters(connection)))
    return Columns(
        model=model,
        select=", ".join(f"{alias}.{quote(field.column)}" for field in fields),
        attnames=[field.attname for field in fields],
        converters=converters,
    )


def fetch_one(sql: str, params: list, parts: list[Columns]) -> list[models.Model] | None:
    """Run `sql` (selecting each part's columns, in order) and build one instance per part."""
    found = fetch_all(sql, params, parts)
    return found[0] if found else None


def fetch_all(sql: str, params: list, parts: list[Columns]) -> list[list[models.Model]]:
    """Every row of `sql` as [instance per part]."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    built = []
    for row in fetched:
        instances, start = [], 0
        for part in parts:
            end = start + len(part.attnames)
            instances.append(part.build(row[start:end]))
            start = end
        built.append(instances)
    return built
