"""What an import reports: its rows, the bad ones as ``第N行: 原因``, and the counts.

``Row(line, values)`` is one data row of a file (the header is line 1). Importers add
``RowError(line, reason)`` to an ``ImportReport``; ``error_lines(limit)`` yields ``第N行: 原因``
for the CLI and the upload page, and ``summary()`` one Chinese sentence with the counts. Errors
live in an ``ErrorLog``, which keeps the first thousand in memory and spills the rest to a
temporary file. ``core.tabular`` reads files into rows; ``core.bulk.run_import`` writes them.
"""

from __future__ import annotations

import tempfile
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, NamedTuple


class Row(NamedTuple):
    """One data row: its line in the file (header = 1) and its values by column name."""

    line: int
    values: dict[str, str]


@dataclass(frozen=True)
class RowError:
    """Why one line of the file was not imported."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"第{self.line}行: {self.message}"


# Errors kept in memory per log; beyond this they go to a temporary file (see ``ErrorLog``).
MEMORY_ERRORS = 1000


class ErrorLog:
    """Bad lines of an import in the order found, with bounded memory.

    The first ``MEMORY_ERRORS`` are kept as objects; later ones are written to an anonymous
    temporary file and only their line number and file position stay in memory (16 bytes
    each), so a file of a million bad lines costs disk, not the worker's memory. Iterating
    yields every ``RowError``; ``in_line_order`` yields them sorted by line.
    """

    def __init__(self, errors: Iterable[RowError] = ()) -> None:
        self._kept: list[RowError] = []
        self._lines = array("q")  # the line of every error, in the order added
        self._offsets = array("q")  # where each spilled error starts in the file
        self._spill: BinaryIO | None = None
        self._spill_end = 0
        self._writing = True  # the file position is at its end (a seek flushes the buffer)
        self._ordered = True
        self.extend(errors)

    def append(self, error: RowError) -> None:
        """Add one error."""
        if self._lines and error.line < self._lines[-1]:
            self._ordered = False
        self._lines.append(error.line)
        if len(self._kept) < MEMORY_ERRORS:
            self._kept.append(error)
            return
        if self._spill is None:
            self._spill = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the log
        record = f"{error.line}\t{' '.join(error.message.splitlines())}\n".encode()
        if not self._writing:
            self._spill.seek(self._spill_end)
            self._writing = True
        self._spill.write(record)
        self._offsets.append(self._spill_end)
        self._spill_end += len(record)

    def extend(self, errors: Iterable[RowError]) -> None:
        """Add several errors."""
        for error in errors:
            self.append(error)

    def __len__(self) -> int:
        return len(self._lines)

    def __bool__(self) -> bool:
        return bool(self._lines)

    def __getitem__(self, index: int) -> RowError:
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        if index < len(self._kept):
            return self._kept[index]
        assert self._spill is not None
        self._writing = False
        self._spill.seek(self._offsets[index - len(self._kept)])
        return self._parse(self._spill.readline())

    def __iter__(self) -> Iterator[RowError]:
        yield from self._kept
        if self._spill is not None:
            self._writing = False
            self._spill.seek(0)
            for _, record in zip(range(len(self._offsets)), self._spill, strict=False):
                yield self._parse(record)

    def in_line_order(self) -> Iterator[RowError]:
        """Every error sorted by line (stable: reasons for one line keep their order)."""
        if self._ordered:
            yield from iter(self)
            return
        if self._spill is None:
            yield from sorted(self._kept, key=lambda e: e.line)
            return
        # Sort positions, not objects: a million spilled errors need ~40 MB here, not ~400.
        for index in sorted(range(len(self._lines)), key=self._lines.__getitem__):
            yield self[index]

    @property
    def lines(self) -> set[int]:
        """The distinct lines with at least one error."""
        return set(self._lines)

    def line_count(self) -> int:
        """How many distinct lines have an error (no set needed when they came in order)."""
        if not self._ordered:
            return len(set(self._lines))
        return sum(1 for i, line in enumerate(self._lines) if i == 0 or line != self._lines[i - 1])

    def close(self) -> None:
        """Remove the temporary file (also done when the log is garbage-collected)."""
        if self._spill is not None:
            self._spill.close()

    @staticmethod
    def _parse(record: bytes) -> RowError:
        line, _, message = record.decode().rstrip("\n").partition("\t")
        return RowError(int(line), message)


@dataclass
class ImportReport:
    """What an import did: counts of created/updated/unchanged records and every bad line."""

    kind: str = "数据"
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: ErrorLog = field(default_factory=ErrorLog)
    skip_invalid: bool = False
    written: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.errors, ErrorLog):
            self.errors = ErrorLog(self.errors)

    def add_error(self, line: int, message: str) -> None:
        """Record a bad line."""
        self.errors.append(RowError(line, message))

    @property
    def bad_lines(self) -> set[int]:
        """Line numbers that had at least one problem."""
        return self.errors.lines

    @property
    def bad_line_count(self) -> int:
        """How many lines had at least one problem."""
        return self.errors.line_count()

    def error_lines(self, limit: int | None = None) -> Iterator[str]:
        """``第N行: 原因`` for every bad line (or the first ``limit``), in file order.

        Several reasons for one line are joined by ；.
        """
        shown = 0
        line, reasons = None, []
        for error in self.errors.in_line_order():
            if error.line != line:
                if reasons:
                    yield f"第{line}行: {'；'.join(reasons)}"
                    shown += 1
                    if limit is not None and shown >= limit:
                        return
                line, reasons = error.line, []
            if error.message not in reasons:
                reasons.append(error.message)
        if reasons:
            yield f"第{line}行: {'；'.join(reasons)}"

    def summary(self) -> str:
        """One Chinese sentence with the counts, saying whether anything was written."""
        bad = self.bad_line_count
        if bad and not self.skip_invalid:
            return (
                f"{self.kind}导入未执行：共 {self.total} 行数据，"
                f"其中 {bad} 行有误，未导入任何数据。"
                "请修正后重新导入，或选择跳过有误的行。"
            )
        text = (
            f"{self.kind}导入完成：共 {self.total} 行数据，新增 {self.created} 条，"
            f"更新 {self.updated} 条，未变化 {self.unchanged} 条"
        )
        if bad:
            text += f"，跳过有误的 {bad} 行"
        return text + "。"

    @property
    def ok(self) -> bool:
        """True when there were no bad lines."""
        return not self.errors
