"""YAML text → plain data, remembering where every key and value stands.

PyYAML's implicit typing turns `18.00` into a float, `nej`/`on` into booleans and
`08-530 610 00`-like strings into who knows what. We read libyaml's event stream and
build the data ourselves: every scalar stays the string the user wrote (a plain `~`,
`null` or empty value is None), and the Pydantic models decide what a field's type is.
Building from events rather than from a composed node graph lets the limits below stop
a hostile file before it has cost any memory.

Nothing is rewritten behind the user's back: what YAML reads is what the paper says, so
editors and the JSON Schemas see the same data as beslutsdoc. The one change is Unicode
normalisation (NFC), which changes no character a reader can see.
"""

from __future__ import annotations

import copy
import errno
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from beslutsdoc.model.loaded import Source
from beslutsdoc.problems import FieldPath, InputError, Position, Problem

_NULLS = {"", "~", "null", "Null", "NULL"}

# libyaml's parser is some twenty times faster than PyYAML's pure Python one, and
# reports the same positions (in characters, not bytes).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Limits that no paper comes near, against files that would exhaust the machine. The
#: longest real paper we have (a remissvar) is 25 kB and a whole meeting with its minutes
#: 10 kB; a paper with a 300-page text pasted into it is still under 1 MB. Beyond these a
#: file is a mistake or an attack, and the later stages (checks, Markdown, Word) would
#: spend seconds and gigabytes on it.
MAX_BYTES = 2_000_000
#: Characters of text once every alias is written out: twice the file limit, so an
#: alias may repeat a list of members but not multiply a text a thousandfold.
MAX_CHARS = 2 * MAX_BYTES
#: Keys and values, aliases counted as often as they are used (billion laughs). The
#: largest example has 358; a file at the limit takes a second or two to refuse.
MAX_VALUES = 100_000
MAX_DEPTH = 60

_OS_REASONS = {
    errno.EACCES: "behörighet saknas",
    errno.EPERM: "behörighet saknas",
    errno.ENAMETOOLONG: "filnamnet är för långt",
    errno.ELOOP: "för många symboliska länkar i sökvägen",
    errno.ENOTDIR: "en del av sökvägen är inte en mapp",
    errno.EIO: "läsfel på disken",
}


def _mark(file: Path, mark: Any) -> Position:
    """The position of a libyaml mark (every event has one; the stubs allow None)."""
    return Position(file, mark.line + 1, mark.column + 1) if mark else Position(file, 1, 1)


def load_yaml(file: Path, text: str | None = None) -> Source:
    """Read `file` (or `text` as if it were that file) into a Source.

    Raises InputError with a Swedish message for unreadable, oversized or invalid files
    and YAML syntax errors.
    """
    if text is None:
        text = read_text(file)
    elif len(text) > MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise InputError([Problem(_too_big(len(text.encode("utf-8", "surrogatepass"))), file=file)])
    # NFC: a file from macOS may spell "ä" as "a" + a combining diaeresis, which would
    # not match a key or a document type although it looks the same.
    text = unicodedata.normalize("NFC", text.removeprefix("\ufeff"))
    invalid = invalid_characters(file, text)
    if invalid:
        raise InputError(invalid)
    source = Source(file=file, data=None, lines=text.splitlines())
    builder = _Builder(source)
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            builder.feed(event)
    except yaml.MarkedYAMLError as err:
        raise InputError([_syntax_problem(file, source.lines, err)]) from None
    except yaml.YAMLError:
        raise InputError([Problem("ogiltig YAML: filen kan inte tolkas", file=file)]) from None
    except _Stop as stop:
        raise InputError([*builder.problems, stop.problem]) from None
    if builder.problems:
        raise InputError(builder.problems)
    source.data = {} if builder.root is _NOTHING else builder.root
    return source


def _too_big(size: int) -> str:
    return (
        f"filen är för stor ({size / 1_000_000:.1f} MB); en handling får vara högst"
        f" {MAX_BYTES // 1_000_000} MB YAML-text"
    )


def read_text(file: Path) -> str:
    """The text of a regular file of at most MAX_BYTES, as UTF-8.

    A FIFO or a device would block or never end; opening without blocking and checking
    the opened file (not the name, which could change in between) refuses them.
    """
    try:
        handle = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise InputError([Problem("filen finns inte", file=file)]) from None
    except OSError as err:
        reason = _OS_REASONS.get(err.errno or 0, err.strerror or "okänt fel")
        raise InputError([Problem(f"filen kan inte läsas: {reason}", file=file)]) from None
    status = os.fstat(handle)
    mode = status.st_mode
    if not stat.S_ISREG(mode):
        os.close(handle)
        message = (
            "är en mapp, inte en YAML-fil"
            if stat.S_ISDIR(mode)
            else "är ingen vanlig fil (en FIFO eller en enhet?); ange en YAML-fil"
        )
        raise InputError([Problem(message, file=file)])
    with os.fdopen(handle, "rb") as stream:
        try:
            data = stream.read(MAX_BYTES + 1)
        except OSError as err:
            reason = _OS_REASONS.get(err.errno or 0, err.strerror or "okänt fel")
            raise InputError([Problem(f"filen kan inte läsas: {reason}", file=file)]) from None
    if len(data) > MAX_BYTES:
        raise InputError([Problem(_too_big(max(status.st_size, len(data))), file=file)])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError([_not_utf8(file, data, err.start)]) from None


def _not_utf8(file: Path, data: bytes, start: int) -> Problem:
    line_start = data.rfind(b"\n", 0, start) + 1
    column = len(data[line_start:start].decode("utf-8", "replace")) + 1
    position = Position(file, data.count(b"\n", 0, start) + 1, column)
    return Problem(
        f"filen är inte UTF-8-kodad text (byten 0x{data[start]:02X}); spara den som UTF-8",
        position,
        file=file,
    )


# What YAML forbids in a file (YAML 1.1, "printable"): control characters other than
# tab and line breaks, DEL, C1 controls other than NEL, lone surrogates, U+FFFE/U+FFFF.
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_NAMES = {
    "\x00": "NUL",
    "\x1b": "ESC",
    "\x7f": "DEL",
    "\x0b": "vertikal tabb",
    "\x0c": "sidbrytning",
}


def invalid_characters(file: Path, text: str) -> list[Problem]:
    """A problem for each kind of forbidden character on each line, with the count of
    the others (a file of NUL bytes must not become millions of problems)."""
    if not _INVALID.search(text):
        return []
    problems = []
    for number, line in enumerate(text.split("\n"), start=1):
        kinds = set(_INVALID.findall(line))  # in C, however many there are
        for char in sorted(kinds, key=line.index):
            name = _NAMES.get(char, f"U+{ord(char):04X}")
            message = (
                f"otillåtet tecken ({name}) i texten; ta bort det (det syns sällan i en redigerare)"
            )
            at = Position(file, number, line.index(char) + 1)
            problems.append(Problem(message, at, file=file, repeats=line.count(char) - 1))
    return problems


_NOTHING: Any = object()


class _Stop(Exception):
    """A limit was passed: stop reading at once."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


@dataclass
class _Key:
    """A mapping key waiting for its value; `name` None when the value is to be skipped."""

    name: str | None
    position: Position | None = None
    event: yaml.ScalarEvent | None = None


@dataclass
class _Frame:
    """An open mapping or sequence."""

    path: FieldPath
    value: Any
    record: bool
    flow: bool
    start: Position
    anchor: str | None
    log_start: int
    counts: tuple[int, int]
    key: _Key | None = None
    #: After a plain text value: the event that ends where a comma would cut the text,
    #: and the text so far (for the comma check).
    previous: tuple[yaml.ScalarEvent, str] | None = None
    #: The index in `problems` of the comma problem of the value being cut, if any.
    split: int | None = None


@dataclass
class _Anchor:
    value: Any
    path: FieldPath
    entries: list[tuple[dict[FieldPath, Any], FieldPath, Any]]
    values: int
    chars: int


@dataclass
class _Builder:
    """Builds the data from libyaml's events, recording positions and counting."""

    source: Source
    problems: list[Problem] = field(default_factory=list)
    root: Any = _NOTHING
    stack: list[_Frame] = field(default_factory=list)
    anchors: dict[str, _Anchor] = field(default_factory=dict)
    open_anchors: set[str] = field(default_factory=set)
    #: Every position recorded, in order, so an anchor knows the positions inside it.
    log: list[tuple[dict[FieldPath, Any], FieldPath, Any]] = field(default_factory=list)
    values: int = 0
    chars: int = 0
    documents: int = 0

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.ScalarEvent):
            self._scalar(event)
        elif isinstance(event, yaml.AliasEvent):
            self._alias(event)
        elif isinstance(event, yaml.MappingStartEvent):
            self._start(event, {})
        elif isinstance(event, yaml.SequenceStartEvent):
            self._start(event, [])
        elif isinstance(event, yaml.CollectionEndEvent):
            self._end()
        elif isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise _Stop(
                    self._problem(
                        "filen har mer än ett YAML-dokument (en rad ”---” mitt i filen?);"
                        " en handling är ett enda dokument",
                        _mark(self.source.file, event.start_mark),
                    )
                )

    def _problem(self, message: str, position: Position | None, path: FieldPath = ()) -> Problem:
        return Problem(message, position, path, self.source.file)

    def _slot(self) -> tuple[FieldPath, bool, bool]:
        """Where the next value goes: its path, whether its positions are recorded, and
        whether it is a mapping's key."""
        if not self.stack:
            return (), True, False
        top = self.stack[-1]
        if isinstance(top.value, list):
            return (*top.path, len(top.value)), top.record, False
        if top.key is None:
            return top.path, False, True
        if top.key.name is None:
            return top.path, False, False
        return (*top.path, top.key.name), top.record, False

    def _set(self, table: dict[FieldPath, Any], path: FieldPath, value: Any) -> None:
        table[path] = value
        self.log.append((table, path, value))

    def _count(self, values: int, chars: int, position: Position, alias: bool = False) -> None:
        self.values += values
        self.chars += chars
        where = " när YAML-aliasen (*namn) skrivs ut" if alias else ""
        if self.values > MAX_VALUES:
            message = f"filen har för många värden{where} (mer än {MAX_VALUES:,})".replace(",", " ")
        elif self.chars > MAX_CHARS:
            message = f"filen har för mycket text{where} (mer än {MAX_CHARS:,} tecken)".replace(
                ",", " "
            )
        else:
            return
        fix = "; skriv ut värdena i stället för att upprepa dem med alias" if alias else ""
        raise _Stop(self._problem(message + fix, position))

    def _scalar(self, event: yaml.ScalarEvent) -> None:
        path, record, is_key = self._slot()
        position = _mark(self.source.file, event.start_mark)
        self._count(1, len(event.value), position)
        plain = not event.style  # PyYAML says None for a plain scalar, libyaml ""
        value = None if plain and event.value in _NULLS and not is_key else event.value
        start = len(self.log)
        if record:
            self._set(self.source.values, path, position)
            if event.style == "|":
                self._set(self.source.blocks, path, position.line + 1)
            elif plain and event.end_mark and position.line == event.end_mark.line + 1:
                self._set(self.source.plain, path, position.column)
        if event.anchor:
            self.anchors[event.anchor] = _Anchor(value, path, self.log[start:], 1, len(event.value))
        self._deliver(value, position, event)

    def _alias(self, event: yaml.AliasEvent) -> None:
        path, record, _ = self._slot()
        position = _mark(self.source.file, event.start_mark)
        anchor = self.anchors.get(event.anchor or "")
        if anchor is None:
            own = event.anchor in self.open_anchors
            message = (
                "ett YAML-alias pekar på sig självt"
                if own
                else f"okänt YAML-alias ”*{event.anchor}”"
            )
            self.problems.append(self._problem(message, position, path))
            self._deliver(None, position, None)
            return
        self._count(anchor.values, anchor.chars, position, alias=True)
        if record:
            cut = len(anchor.path)
            for table, old, value in anchor.entries:
                self._set(table, (*path, *old[cut:]), value)
        self._deliver(copy.deepcopy(anchor.value), position, None)

    def _start(self, event: yaml.CollectionStartEvent, value: Any) -> None:
        path, record, is_key = self._slot()
        position = _mark(self.source.file, event.start_mark)
        if len(path) > MAX_DEPTH:
            message = f"för djupt nästlad (mer än {MAX_DEPTH} nivåer)"
            raise _Stop(self._problem(message, position))
        self._count(1, 0, position)
        log_start = len(self.log)
        if record:
            self._set(self.source.values, path, position)
        if event.anchor:
            self.open_anchors.add(event.anchor)
        frame = _Frame(
            path=path,
            value=value,
            record=record and not is_key,
            flow=bool(event.flow_style),
            start=position,
            anchor=event.anchor,
            log_start=log_start,
            counts=(self.values - 1, self.chars),
        )
        self.stack.append(frame)

    def _end(self) -> None:
        frame = self.stack.pop()
        if frame.anchor:
            self.open_anchors.discard(frame.anchor)
            self.anchors[frame.anchor] = _Anchor(
                frame.value,
                frame.path,
                self.log[frame.log_start :],
                self.values - frame.counts[0],
                self.chars - frame.counts[1],
            )
        self._deliver(frame.value, frame.start, None)

    def _deliver(self, value: Any, position: Position, event: yaml.ScalarEvent | None) -> None:
        """Put a finished value where it belongs: the root, a list, a key or a value."""
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        if isinstance(top.value, list):
            top.value.append(value)
        elif top.key is None:
            top.key = self._take_key(top, value, position, event)
        else:
            key, top.key = top.key, None
            if key.name is not None and not self._splits(top, key, event):
                if top.record:
                    self._set(self.source.keys, (*top.path, key.name), key.position)
                top.value[key.name] = value
                plain_text = event is not None and not event.style and value is not None
                top.previous = (event, event.value) if event and plain_text else None
                top.split = None

    def _take_key(
        self, top: _Frame, value: Any, position: Position, event: yaml.ScalarEvent | None
    ) -> _Key:
        if not isinstance(value, str):
            message = "en nyckel måste vara ett ord, inte en lista eller mappning"
            self.problems.append(self._problem(message, position, top.path))
            return _Key(None)
        if value in top.value:
            message = f"nyckeln ”{value}” förekommer två gånger"
            self.problems.append(self._problem(message, position, (*top.path, value)))
            return _Key(None)
        return _Key(value, position, event)

    def _splits(self, top: _Frame, key: _Key, value: yaml.ScalarEvent | None) -> bool:
        """`{beskrivning: Hög risk, mycket troligt}`: YAML ends the value at the comma and
        reads the rest as a key without a value. Keys have no spaces, so a key with
        spaces and no value after a plain text value is the rest of that text: an error
        that says how to write what the user meant."""
        previous = top.previous
        if not (
            top.flow
            and previous is not None
            and key.event is not None
            and not key.event.style
            and " " in key.event.value
            and value is not None
            and not value.style
            and value.value in _NULLS
        ):
            return False
        before, text = previous
        name = next(reversed(top.value))
        whole = f"{text}, {key.event.value}"
        top.previous = (key.event, whole)
        message = (
            "kommatecknet delar värdet i en {…}-mappning; sätt texten inom citattecken:"
            f' {name}: "{whole}"'
        )
        if top.split is not None:  # a second comma in the same text: one problem
            self.problems[top.split] = replace(self.problems[top.split], message=message)
            return True
        comma = _mark(self.source.file, before.end_mark)
        top.split = len(self.problems)
        self.problems.append(self._problem(message, comma, (*top.path, name)))
        return True


_YAML_PROBLEMS = {
    "mapping values are not allowed": "ett kolon följt av mellanslag står där det inte får stå; sätt texten inom citattecken",
    "found character that cannot start any token": "ett tecken som inte får inleda ett värde; sätt texten inom citattecken",
    "found unexpected end of stream": "filen tar slut mitt i ett värde (ett citattecken saknar sin avslutning?)",
    "did not find expected key": "en nyckel väntades här; kontrollera indraget",
    "did not find expected '-' indicator": "ett listelement (-) väntades här; kontrollera indraget",
    "found duplicate anchor": "samma YAML-ankare används två gånger",
    "expected <block end>, but found": "fel indrag: raden passar inte in i strukturen ovanför",
    "while scanning a quoted scalar": "ett citattecken saknar sin avslutning",
    "while scanning an a": "ett YAML-ankare eller alias (&namn, *namn) får bara ha bokstäverna a–z, siffror, - och _",
    "did not find expected <document start>": "en rad ”---” behövs efter ”%”-raden överst (eller ta bort den)",
}

TAB_MESSAGE = "ogiltig YAML: tabb i indraget; använd mellanslag"


def _syntax_problem(file: Path, lines: list[str], err: yaml.MarkedYAMLError) -> Problem:
    """A YAML syntax error in Swedish, at the place the user must change."""
    mark = err.problem_mark or err.context_mark
    for candidate in (err.problem_mark, err.context_mark):
        tab = _indent_tab(lines, candidate)
        if candidate and tab is not None:  # a tab in the indentation is the error
            return Problem(TAB_MESSAGE, Position(file, candidate.line + 1, tab + 1), file=file)
    raw = f"{err.context or ''} {err.problem or ''}"
    if "tab character" in raw:
        return Problem(TAB_MESSAGE, _mark(file, mark) if mark else None, file=file)
    if "could not find expected ':'" in raw and err.context_mark:
        # libyaml notices the missing colon only on the next line; the key is where
        # the scan began.
        at = err.context_mark
        text = lines[at.line][at.column :].strip() if at.line < len(lines) else ""
        shown = text if len(text) <= 40 else text[:37] + "..."
        message = (
            f"ogiltig YAML: kolon (:) saknas efter ”{shown}”; skriv ”nyckel: värde”,"
            " eller dra in raden om den fortsätter texten ovanför"
        )
        return Problem(message, _mark(file, at), file=file)
    if "while scanning a quoted scalar" in raw and err.context_mark:
        mark = err.context_mark  # where the quote opened
    if "while parsing a flow" in raw and err.context_mark:
        return _unclosed(file, err.context_mark, err.problem_mark, "flow mapping" in raw)
    position = _mark(file, mark) if mark else None
    for english, swedish in _YAML_PROBLEMS.items():
        if english in raw:
            return Problem(f"ogiltig YAML: {swedish}", position, file=file)
    message = "ogiltig YAML: filen kan inte tolkas här; kontrollera indrag, kolon och citattecken"
    return Problem(message, position, file=file)


def _unclosed(file: Path, start: yaml.Mark, problem: yaml.Mark | None, mapping: bool) -> Problem:
    """A `[…]` or `{…}` that does not end where YAML expects: told where it begins."""
    opening, closing = ("{", "}") if mapping else ("[", "]")
    where = f" (rad {problem.line + 1})" if problem and problem.line != start.line else ""
    message = (
        f"ogiltig YAML: ”{opening}” här avslutas inte med ”{closing}”{where}; kontrollera"
        " parenteser och kommatecken, eller sätt texten inom citattecken"
    )
    return Problem(message, _mark(file, start), file=file)


def _indent_tab(lines: list[str], mark: yaml.Mark | None) -> int | None:
    """The column (from 0) of a tab in the indentation of the mark's line, if any."""
    if mark is None or mark.line >= len(lines):
        return None
    line = lines[mark.line]
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    return indent.index("\t") if "\t" in indent else None
