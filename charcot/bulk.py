"""Loading many rows at once, as given: PostgreSQL's COPY where it runs, a raw INSERT elsewhere.

For imports and seeds, where per-row INSERTs (and building the statement for each batch)
cost more than the work itself. Values go in exactly as set on the instances (no
`auto_now_add`, no `pre_save`), the way Django's loaddata writes rows.
"""

import datetime
import uuid

from django.db import connection

# Values the database driver takes as they are (Field.get_db_prep_save would return them
# unchanged); anything else goes through the field.
_AS_IS = frozenset({str, int, bool, float, type(None), datetime.datetime, datetime.date, uuid.UUID})


def reserve_ids(model, count: int) -> list[int]:
    """`count` fresh primary keys from the table's sequence, ascending (PostgreSQL only)."""
    if count <= 0:
        return []
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [connection.ops.quote_name(table), column, count],
        )
        return sorted(row[0] for row in cursor.fetchall())


def copy_rows(model, objects, *, with_pk: bool) -> None:
    """Write the objects' rows in one COPY (PostgreSQL). With `with_pk`, each object's pk is
    already set (from reserve_ids); without, the table's sequence numbers them."""
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    attnames = [(f.attname, f) for f in fields]
    connection.ensure_connection()
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, under Django's wrapper
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in objects:
                row = []
                for attname, field in attnames:
                    value = getattr(obj, attname)
                    if type(value) not in _AS_IS:
                        value = field.get_db_prep_save(value, connection)
                    row.append(value)
                copy.write_row(row)


def insert_new(model, objects) -> None:
    """Insert new rows whose pks nobody needs afterwards: COPY on PostgreSQL, else bulk_create."""
    if connection.vendor == "postgresql":
        copy_rows(model, objects, with_pk=False)
    else:
        model.objects.bulk_create(objects, batch_size=500)
