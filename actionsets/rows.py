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



@cache
def _converters(field: models.Field) -> tuple:
    """What the ORM applies to `field`'s raw values on this database (one vendor per process)."""
    expression = field.get_col(field.model._meta.db_table)
    return expression, connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)


def convert(field: models.Field, value):
    """One raw value as `field` reads it (also for a column a raw query annotates)."""
    expression, functions = _converters(field)
    for function in functions:
        value = function(value, expression, connection)
    return value


@dataclass(frozen=True)
class Columns:
    model: type[models.Model]
    select: str                     # alias."column", … for the SELECT list
    fields: list[models.Field]

    def build(self, values) -> models.Model:
        converted = [convert(field, value) for field, value in zip(self.fields, values, strict=True)]
        return self.model.from_db(connection.alias, [field.attname for field in self.fields], converted)


@cache
def columns(model: type[models.Model], alias: str) -> Columns:
    """Every concrete column of `model` under the table alias `alias`."""
    quote = connection.ops.quote_name
    fields = list(model._meta.concrete_fields)
    return Columns(model=model, select=", ".join(f"{alias}.{quote(f.column)}" for f in fields), fields=fields)


@dataclass(frozen=True)
class Statement:
    """A hand-written SELECT and the models its columns build, in order."""

    sql: str
    parts: list[Columns]

    def fetch_all(self, params: list) -> list[list[models.Model]]:
        """Every row as [instance per part]."""
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            fetched = cursor.fetchall()
        built = []
        for row in fetched:
            instances, start = [], 0
            for part in self.parts:
                end = start + len(part.fields)
                instances.append(part.build(row[start:end]))
                start = end
            built.append(instances)
        return built

    def fetch_one(self, params: list) -> list[models.Model] | None:
        found = self.fetch_all(params)
        return found[0] if found else None
