"""Builders for the fleet feeds' tests: a CSV file from a header and rows of cells."""

from __future__ import annotations

import io


def csv_file(columns: tuple[str, ...], *rows: dict, name: str = "fleet.csv") -> io.BytesIO:
    lines = [",".join(columns), *(",".join(row.get(column, "") for column in columns) for row in rows)]
    upload = io.BytesIO(("\n".join(lines) + "\n").encode())
    upload.name = name
    return upload


def problems(result) -> list[tuple[int | None, str, str]]:
    return [(error.line, error.column, error.reason) for error in result.errors]
