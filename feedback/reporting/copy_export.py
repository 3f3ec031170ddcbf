"""The feedback report's CSV made by PostgreSQL itself: `COPY (SELECT …) TO STDOUT (FORMAT csv)`.

The Python path (`FeedbackExporter.rows()` + `csv.writer`) stays the reference and the path on
SQLite; on PostgreSQL the same bytes come out of COPY about ten times faster, because every
cell (masking, labels, local times, formula neutralising) is computed by the SELECT and
PostgreSQL's own CSV writer quotes it. `tests/dashboard/test_feedback_export_copy.py` checks
the two paths are byte-identical.

How the SQL is built, and why it is injection-safe:

- The rows and their filters come from the ORM: `dashboard.feedback_rows(filters)` with
  `.values(x_ref=F("reference"), …)` (a translated name as `campaigns.content.
  content_expression`, also an ORM expression), compiled by Django into SQL with `%s`
  placeholders and a separate list of parameters (never `str(qs.query)`, which pastes values
  in unquoted).
- Around it goes a fixed SELECT written here (`SELECT … FROM (<orm sql>) AS f ORDER BY …`).
  Its only variable parts are placeholders too: the translated labels, the time zone and the
  clock's "now". Nothing from a user or the database is ever formatted into the SQL text.
- COPY cannot take server-side parameters, so psycopg 3 merges them client-side
  (`cursor.copy(sql, params)` → `PostgresClientQuery`), quoting each value as a literal
  with the connection's own adapters: the same escaping as any query Django sends.

CSV details that must match Python's `csv.writer` byte for byte:

- Empty strings are sent as NULL (`NULLIF(…, '')`): COPY writes NULL as an empty field but
  quotes a non-NULL empty string (`""`), while `csv.writer` writes both as nothing.
- Both quote a field holding a comma, a double quote, CR or LF, and double the quotes.
- COPY ends each row with LF, `csv.writer` with CRLF. The protocol sends every row of a COPY
  TO as its own CopyData message ("messages sent from the backend will always correspond to
  single data rows", PostgreSQL docs, Frontend/Backend Protocol → COPY Operations), and psycopg
  hands them out one by one, so the LF that ends each message is the row end and is swapped for
  CRLF (an LF inside a quoted field is left alone, as `csv.writer` leaves it).

Known difference: masking a phone number keeps ASCII digits only, where `mask_phone()` keeps
any Unicode digit; stored numbers are ASCII (the form field normalises them with NFKC).
"""

from collections.abc import Callable, Iterator

from django.db import connections
from django.db.models import Expression, F, QuerySet

# What Python's str.strip() removes (str.isspace()), for masking names like mask_name().
# tests/dashboard/test_feedback_export_copy.py checks it against Python's own definition.
PY_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
# A constant escape-string literal (E'\u0009…'): no quote, backslash or % can appear in it.
_WHITESPACE_SQL = "E'" + "".join(f"\\u{ord(c):04X}" for c in PY_WHITESPACE) + "'"
CHUNK_BYTES = 1 << 16


def safe(expr: str, prefixes: tuple[str, ...]) -> str:
    """SQL for `safe_cell()`: an apostrophe before text starting with a formula character;
    empty text becomes NULL (see the module docstring). `expr` must hold no placeholder (it
    appears three times). `ascii()` is the code point of the first character (0 for '')."""
    codes = ", ".join(str(ord(p)) for p in sorted(prefixes))
    return f"NULLIF(CASE WHEN ascii({expr}) IN ({codes}) THEN '''' || {expr} ELSE {expr} END, '')"


def mask_name(expr: str) -> str:
    """SQL for `campaigns.masking.mask_name()`: first character after stripping + '**'."""
    stripped = f"ltrim({expr}, {_WHITESPACE_SQL})"
    return f"CASE WHEN {stripped} = '' THEN '' ELSE left({stripped}, 1) || '**' END"


def mask_phone(expr: str) -> str:
    """SQL for `campaigns.masking.mask_phone()`: the digits; first 3, stars, last 4 (all
    stars under 7 digits). Digits without a regex: drop from `expr` every character that
    is left once the digits are dropped."""
    digits = f"translate({expr}, translate({expr}, '0123456789', ''), '')"
    return (
        f"CASE WHEN length({digits}) < 7 THEN repeat('*', length({digits})) "
        f"ELSE left({digits}, 3) || repeat('*', length({digits}) - 7) || right({digits}, 4) END"
    )


def mask_email(expr: str, mask: str) -> str:
    """SQL for `campaigns.masking.mask_email()` (and '' for no email): first character of the
    part before the first '@', three mask characters, '@', the rest after the first '@'."""
    if any(char in mask for char in "'%\\"):
        raise ValueError(f"mask character {mask!r} cannot go into an SQL literal")
    at = f"strpos({expr}, '@')"
    domain = f"CASE WHEN {at} = 0 THEN '' ELSE substr({expr}, {at} + 1) END"
    return (
        f"CASE WHEN {expr} = '' THEN '' "
        f"ELSE left(split_part({expr}, '@', 1), 1) || '{mask * 3}@' || {domain} END"
    )


def local_time(expr: str, zone: str) -> tuple[str, list]:
    """Wall-clock time in `zone` as `%Y-%m-%d %H:%M` (NULL stays NULL)."""
    return f"to_char({expr} AT TIME ZONE %s, 'YYYY-MM-DD HH24:MI')", [zone]


def labels(expr: str, mapping: dict[str, str]) -> tuple[str, list]:
    """`CASE expr WHEN %s THEN %s … END`: stored value → (already safe) translated label."""
    whens, params = [], []
    for value, label in mapping.items():
        whens.append("WHEN %s THEN %s")
        params += [value, label]
    return f"NULLIF(CASE {expr} {' '.join(whens)} END, '')", params


def compile_rows(
    queryset: QuerySet, columns: dict[str, str | Expression]
) -> tuple[str, list, str]:
    """The ORM's SQL and parameters for `columns` (alias → field path or ORM expression) of
    `queryset`, without its ORDER BY, plus an ORDER BY over the same keys for the wrapping
    SELECT (so PostgreSQL can flatten the subquery and still use an index for the order)."""
    order_columns, order_sql = {}, []
    for i, key in enumerate(queryset.query.order_by):
        if not isinstance(key, str) or "__" in key or "?" in key:
            raise ValueError(f"COPY export cannot order by {key!r}")
        alias = f"o_{i}"
        order_columns[alias] = F(key.lstrip("-"))
        order_sql.append(f"f.{alias} {'DESC' if key.startswith('-') else 'ASC'}")
    if not order_sql:
        raise ValueError("COPY export needs an explicitly ordered queryset")
    expressions = {alias: F(path) if isinstance(path, str) else path
                   for alias, path in columns.items()}
    rows = queryset.order_by().values(**expressions, **order_columns)
    sql, params = rows.query.get_compiler(using=rows.db).as_sql()
    return sql, list(params), ", ".join(order_sql)


def copy_csv_chunks(
    using: str,
    sql: str,
    params: list,
    *,
    header: bytes,
    progress: Callable[[int], None] | None = None,
    progress_every: int = 5000,
) -> Iterator[bytes]:
    """Yield `header`, then the CSV of `COPY (sql) TO STDOUT` with CRLF row ends, in chunks
    of about 64 KiB. `sql` is a SELECT with `%s` placeholders for `params`.

    The COPY holds the connection (and psycopg's connection lock) until its last row: the
    consumer must not run another query on the same connection between chunks (it would
    wait for ever). `progress(rows)`, if given, is called every `progress_every` rows while
    the COPY runs, so it must write through another connection (background jobs do)."""
    yield header
    statement = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"
    connection = connections[using]
    # cursor.cursor: the psycopg 3 cursor under Django's wrapper. psycopg merges the
    # parameters into the statement client-side, each quoted as a literal.
    with connection.cursor() as cursor, cursor.cursor.copy(statement, params) as copy:
        parts, size = [], 0
        for rows, row in enumerate(copy, 1):  # one CopyData message = one CSV row ending in LF
            if row[-1] != 0x0A:
                raise RuntimeError("COPY row does not end with a newline")
            parts.append(row[:-1])
            size += len(row)
            if progress is not None and rows % progress_every == 0:
                progress(rows)
            if size >= CHUNK_BYTES:
                parts.append(b"")
                yield b"\r\n".join(parts)
                parts, size = [], 0
        if parts:
            parts.append(b"")
            yield b"\r\n".join(parts)
