"""Reads a scan's review table with pyarrow (and pandas when present) and checks the contract.

Usage: python3 tests/read_back.py OUT EXPECTED_ROWS
Exit 0 when the table matches; prints what differs otherwise.
"""
import sys

import pyarrow.dataset as ds
import pyarrow.parquet as pq

CONTRACT = [
    "doc_id", "source_path", "file_sha256", "checksum_status", "file_format", "file_bytes",
    "page_count", "text_chars", "text_source", "ocr_pages", "ocr_confidence",
    "extract_status", "extract_error", "text_preview",
    "text_truncated",
    "arkivdel_id", "arkivdel_title", "klasse_id", "klasse_title", "mappe_id", "mappe_title",
    "registrering_id", "journalpost_type", "registrering_title", "document_title",
    "tilknyttet_som", "created", "kassasjon_vedtak", "kassasjon_bevaringstid",
    "tilgangsrestriksjon", "skjerming_hjemmel",
    "series_suggested", "series_score", "series_top", "klasse_suggested", "klasse_score",
    "klasse_top", "klasse_evidence", "retention_suggested", "retention_years", "retention_basis",
    "retention_score", "pii_kinds", "pii_count", "pii_evidence", "skjerming_suggested",
    "skjerming_hjemmel_suggested", "skjerming_score",
    "disagrees_with_export", "needs_review", "review_reasons", "review_priority", "model_id",
]
METADATA = [
    "arkivar.version", "arkivar.schema_version", "arkivar.command", "arkivar.started",
    "arkivar.finished", "arkivar.model_sha256", "arkivar.classifier_sha256",
]
# Columns a reviewer compares: plain strings in Arrow (so `df.klasse_id != df.klasse_suggested`
# works in pandas), dictionary-encoded on disk by Parquet all the same.
COMPARED = [
    "extract_status", "checksum_status", "file_format", "klasse_id", "arkivdel_id",
    "klasse_suggested", "series_suggested", "arkivdel_title", "retention_suggested",
    "kassasjon_vedtak",
]


def main(out, expected_rows):
    problems = []
    table = ds.dataset(out, format="parquet").to_table()
    if table.schema.names != CONTRACT:
        problems.append(f"columns differ from the contract: {table.schema.names}")
    if table.num_rows != expected_rows:
        problems.append(f"{table.num_rows} rows, expected {expected_rows}")
    for name in COMPARED:
        if str(table.schema.field(name).type) != "string":
            problems.append(f"{name} has Arrow type {table.schema.field(name).type}, not string")
    top = table.schema.field("klasse_top").type
    if str(top) != "list<item: struct<id: string not null, title: string, score: float not null>>":
        problems.append(f"klasse_top has type {top}")
    files = sorted(f for f in ds.dataset(out, format="parquet").files)
    for f in files:
        meta = pq.read_metadata(f).metadata or {}
        keys = {k.decode() for k in meta}
        missing = [k for k in METADATA if k not in keys]
        if missing:
            problems.append(f"{f}: metadata keys missing: {missing}")
        if meta.get(b"arkivar.schema_version") != b"6":
            problems.append(f"{f}: schema_version is {meta.get(b'arkivar.schema_version')}")
        row_group = pq.ParquetFile(f).metadata.row_group(0)
        by_name = {row_group.column(i).path_in_schema: row_group.column(i) for i in range(row_group.num_columns)}
        for name in COMPARED:
            encodings = by_name[name].encodings
            if not any("DICTIONARY" in e for e in encodings):
                problems.append(f"{f}: {name} is not dictionary-encoded on disk: {encodings}")
    if str(table.schema.field("review_priority").type) != "uint8":
        problems.append(f"review_priority is {table.schema.field('review_priority').type}")
    for needs, priority in zip(table.column("needs_review").to_pylist(), table.column("review_priority").to_pylist()):
        if needs != (priority > 0):
            problems.append(f"needs_review {needs} with review_priority {priority}")
            break
    ids = table.column("doc_id").to_pylist()
    if len(set(ids)) != len(ids):
        problems.append("doc_id is not unique")
    try:
        import pandas  # noqa: F401

        df = pandas.read_parquet(out)
        if len(df) != expected_rows:
            problems.append(f"pandas reads {len(df)} rows")
        # The comparison a reviewer types first must work (it raised TypeError on categoricals).
        for export_col, suggested in [("klasse_id", "klasse_suggested"), ("arkivdel_title", "series_suggested")]:
            differ = df[export_col] != df[suggested]
            if len(differ) != expected_rows:
                problems.append(f"{export_col} != {suggested} gave {len(differ)} values")
    except ImportError:
        pass
    for p in problems:
        print(p)
    print(f"read back {table.num_rows} rows from {len(files)} part file(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2])))
