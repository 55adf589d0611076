"""The .docx package: a zip of parts, their content types and relationships.

python-docx's package layer loads and re-serialises every part on each open and save
(about 18 ms for a small paper). A paper renders from one template many times, so we
read the template's parts once as bytes and write back only the parts a render changes.
"""

from __future__ import annotations

import copy
import errno
import io
import posixpath
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from lxml import etree

from beslutsdoc.ooxml import guard
from beslutsdoc.ooxml.guard import PackageError
from beslutsdoc.problems import InputError, Problem

CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
R_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
R_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
R_NUMBERING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
R_ENDNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes"
R_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
R_HEADER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
R_FOOTER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
R_SETTINGS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings"
#: Word 2010's copy of styles.xml: stale once styles change, and Word then repairs.
R_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
R_OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)

CONTENT_TYPES = {
    "footnotes": "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
    "endnotes": "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml",
    "numbering": "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml",
}


def rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


W_MAIN = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
R_ATTACHED_TEMPLATE = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
)
#: Content types of macros and what binds them: never carried into an output.
_ACTIVE_TYPES = ("vbaProject", "vbaData", "keyMapCustomizations", "attachedToolbars")


def parse(data: bytes, part: str = "XML") -> etree._Element:
    """Parse a part through the guard: no DTD or entities, bounded depth."""
    return guard.parse_xml(data, part)


def serialize(element: etree._Element) -> bytes:
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)


class _LazyParts(dict[str, bytes]):
    """Part names of a zip, whose bytes are read on first access."""

    def __init__(self, archive: zipfile.ZipFile, names: list[str]) -> None:
        super().__init__((name, b"") for name in names)
        self.archive = archive
        self.unread = set(self)
        self.strict = False
        self.read_bytes = 0  # what the parts read so far really inflated to

    def __getitem__(self, name: str) -> bytes:
        if name in self.unread:
            data = guard.read_member(self.archive, name)
            # Headers can lie about sizes: the total really read is what counts.
            self.read_bytes += len(data)
            if self.read_bytes > guard.MAX_TOTAL_BYTES:
                raise PackageError(
                    f"filen packas upp till mer än {guard.MAX_TOTAL_BYTES // 2**20} MB;"
                    " det är för stort"
                )
            if self.strict and name.endswith((".xml", ".rels")) and guard.is_strict(data):
                data = guard.strict_to_transitional(data)
            self.unread.discard(name)
            super().__setitem__(name, data)
        return super().__getitem__(name)

    def __setitem__(self, name: str, value: bytes) -> None:
        self.unread.discard(name)
        super().__setitem__(name, value)

    def get(self, name: str, default: Any = None) -> Any:
        # dict.get would skip __getitem__, and with it the reading.
        return self[name] if name in self else default  # noqa: SIM401


@dataclass
class Package:
    """The parts of a .docx by zip name, as bytes (or parsed, once changed)."""

    parts: dict[str, bytes]
    xml: dict[str, etree._Element] = field(default_factory=dict)
    #: A zip already holding some parts, compressed once (see `freeze`).
    frozen: bytes = b""
    frozen_names: frozenset[str] = frozenset()
    next_rel: dict[str, int] = field(default_factory=dict)
    #: The file the package came from, for messages.
    source: Path | None = None

    @classmethod
    def read(cls, data: bytes, source: Path | None = None) -> Package:
        """The package in `data`, read through the guard (limits, no macros, no external
        template); each part is decompressed when first used (a packet reads only some
        parts of each paper it merges). Bad input: `InputError` naming `source`."""
        try:
            return cls._read(data, source)
        except PackageError as err:
            raise _problem(source, str(err)) from None

    @classmethod
    def open(cls, path: Path) -> Package:
        """The package in the file `path`, read through the guard (see `read`)."""
        try:
            size = path.stat().st_size
            if size > guard.MAX_TOTAL_BYTES:
                raise _problem(
                    path,
                    f"filen är {size // 2**20} MB; högst"
                    f" {guard.MAX_TOTAL_BYTES // 2**20} MB går att läsa",
                )
            with path.open("rb") as stream:  # stat and read the same file, not a swapped one
                data = stream.read(guard.MAX_TOTAL_BYTES + 1)
        except OSError as err:
            reason = _OS_REASONS.get(err.errno or 0, "läsfel")
            raise _problem(path, f"filen kan inte läsas ({reason})") from None
        return cls.read(data, path)

    @classmethod
    def _read(cls, data: bytes, source: Path | None) -> Package:
        if data[:4] == b"\xd0\xcf\x11\xe0":  # an OLE file: Word's encrypted format, or .doc
            raise PackageError(
                "filen är krypterad, lösenordsskyddad eller i det gamla .doc-formatet;"
                " spara den som en vanlig .docx utan skydd"
            )
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, ValueError, OSError):
            raise PackageError(
                "filen är ingen Word-fil (.docx är en zip-fil, den här är inte det)"
            ) from None
        parts = _LazyParts(archive, guard.open_zip(archive))
        for required in ("[Content_Types].xml", "_rels/.rels"):
            if required not in parts:
                raise PackageError(f"filen är ingen Word-fil: delen {required} saknas")
        parts.strict = guard.is_strict(parts["_rels/.rels"])
        if parts.strict:  # the two parts read so far, now as the rest will be
            for name in ("[Content_Types].xml", "_rels/.rels"):
                parts[name] = guard.strict_to_transitional(parts[name])
        package = cls(parts, source=source)
        package._disarm()
        return package

    def copy(self) -> Package:
        """A package sharing the unchanged bytes; parsed parts are re-parsed on demand."""
        parts = {name: self._raw(name) for name in self.parts}
        return Package(
            parts, frozen=self.frozen, frozen_names=self.frozen_names, source=self.source
        )

    def fail(self, message: str) -> NoReturn:
        """Raise the project's input error for this package's file."""
        raise _problem(self.source, message)

    # -- reading parts ------------------------------------------------------------------
    def has(self, name: str) -> bool:
        return name in self.parts

    def names(self) -> list[str]:
        return list(self.parts)

    def data(self, name: str) -> bytes:
        """The bytes of a part as they would be written now."""
        return serialize(self.xml[name]) if name in self.xml else self._raw(name)

    def _raw(self, name: str) -> bytes:
        """The stored bytes of a part, read (through the guard) when first asked for."""
        try:
            return self.parts[name]
        except PackageError as err:
            self.fail(str(err))

    def set_data(self, name: str, data: bytes) -> None:
        """Replace (or add) the bytes of a part; its parsed form is dropped."""
        self.xml.pop(name, None)
        self.parts[name] = data

    def fresh_element(self, name: str) -> etree._Element:
        """A new tree of a part as it would be written now, for the caller to change;
        the package's own tree, if it keeps one, stays as it is."""
        if name in self.xml:
            return copy.deepcopy(self.xml[name])
        try:
            return parse(self._raw(name), name)
        except PackageError as err:
            self.fail(str(err))

    def settle(self, keep: Iterable[str] = ()) -> None:
        """Write every parsed part but those in `keep` back as bytes, and forget its tree:
        bytes are what copies of the package share (see `copy`)."""
        kept = set(keep)
        for name in [n for n in self.xml if n not in kept]:
            self.parts[name] = serialize(self.xml.pop(name))

    def set_element(self, name: str, root: etree._Element) -> None:
        """Replace (or add, without a content type) a part by an XML tree."""
        self.parts[name] = b""
        self.xml[name] = root

    def remove(self, name: str) -> None:
        """Remove a part, its relationships and its content type override."""
        for gone in (name, rels_name(name)):
            self.parts.pop(gone, None)
            self.xml.pop(gone, None)
        types = self.element("[Content_Types].xml")
        for override in types.findall(f"{{{CT_NS}}}Override"):
            if override.get("PartName") == "/" + name:
                types.remove(override)

    def relationships(self, part: str) -> list[etree._Element]:
        """The relationship elements of `part` (none when it has no .rels part)."""
        name = rels_name(part)
        return list(self.element(name)) if name in self.parts else []

    def target(self, part: str, rel_id: str) -> str | None:
        """The part `part`'s relationship `rel_id` reaches (None: external or unknown)."""
        for rel in self.relationships(part):
            if rel.get("Id") == rel_id and rel.get("TargetMode") != "External":
                return guard.normalise_target(posixpath.dirname(part), str(rel.get("Target")))
        return None

    def add_override(self, name: str, content_type: str) -> None:
        """Declare the content type of the part `name`."""
        types = self.element("[Content_Types].xml")
        etree.SubElement(
            types, f"{{{CT_NS}}}Override", PartName="/" + name, ContentType=content_type
        )

    def defaults(self) -> dict[str, str]:
        """Content types by (lower-case) file extension."""
        types = self.element("[Content_Types].xml")
        return {
            str(d.get("Extension")).lower(): str(d.get("ContentType"))
            for d in types.iter(f"{{{CT_NS}}}Default")
        }

    def add_default(self, extension: str, content_type: str) -> None:
        types = self.element("[Content_Types].xml")
        types.insert(
            0, etree.Element(f"{{{CT_NS}}}Default", Extension=extension, ContentType=content_type)
        )

    def content_type(self, name: str) -> str | None:
        types = self.element("[Content_Types].xml")
        for override in types.iter(f"{{{CT_NS}}}Override"):
            if override.get("PartName") == "/" + name:
                return str(override.get("ContentType"))
        extension = posixpath.splitext(name)[1].lstrip(".").lower()
        for default in types.iter(f"{{{CT_NS}}}Default"):
            if str(default.get("Extension")).lower() == extension:
                return str(default.get("ContentType"))
        return None

    def _disarm(self) -> None:
        """Macros and an external attached template never pass through: the output is
        a plain .docx, whatever the input carried."""
        types_data = self.parts["[Content_Types].xml"]
        if any(t.encode() in types_data for t in (*_ACTIVE_TYPES, "macroEnabled")):
            types = self.element("[Content_Types].xml")
            for entry in list(types):
                kind = str(entry.get("ContentType"))
                if "macroEnabled" in kind and "main" in kind:
                    entry.set("ContentType", MAIN_TYPE)
                elif any(t in kind for t in _ACTIVE_TYPES):
                    part = str(entry.get("PartName", "")).lstrip("/")
                    if part in self.parts:
                        self.remove(part)  # its override too
                    if entry.getparent() is not None:
                        types.remove(entry)
            self._drop_dangling(self.main_part())
        settings = "word/_rels/settings.xml.rels"
        if settings in self.parts and b"attachedTemplate" in self.parts[settings]:
            rels = self.element(settings)
            for rel in list(rels):
                if rel.get("Type") == R_ATTACHED_TEMPLATE:
                    rels.remove(rel)
            if "word/settings.xml" in self.parts:
                root = self.element("word/settings.xml")
                for node in root.findall(f"{{{W_MAIN}}}attachedTemplate"):
                    root.remove(node)

    def _drop_dangling(self, part: str) -> None:
        """Remove `part`'s internal relationships whose target part is gone."""
        name = rels_name(part)
        if name not in self.parts:
            return
        folder = posixpath.dirname(part)
        rels = self.element(name)
        for rel in list(rels):
            target = guard.normalise_target(folder, str(rel.get("Target")))
            if rel.get("TargetMode") != "External" and target not in self.parts:
                rels.remove(rel)

    def freeze(self, names: set[str]) -> None:
        """Compress the parts `names` once: every package copied from this one starts its
        zip from them and writes only the rest. Compressing unchanged template parts
        again on every render was most of the time spent writing a paper."""
        names = {n for n in names if n in self.parts and n not in self.xml}
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in sorted(names):
                archive.writestr(_zipinfo(name), self._raw(name), compresslevel=6)
        self.frozen = out.getvalue()
        self.frozen_names = frozenset(names)

    def element(self, name: str) -> etree._Element:
        """The parsed XML of a part; changes to it are written back on `to_bytes`."""
        if name not in self.xml:
            try:
                self.xml[name] = parse(self.parts[name], name)
            except PackageError as err:
                self.fail(str(err))
        return self.xml[name]

    def main_part(self) -> str:
        rels = self.element("_rels/.rels")
        for rel in rels:
            if rel.get("Type") == R_OFFICE_DOCUMENT:
                return guard.normalise_target("", str(rel.get("Target")))
        return "word/document.xml"

    def check_word(self) -> str:
        """The main part's name, after making sure it is a Word document's body."""
        main = self.main_part()
        if main not in self.parts:
            self.fail(f"filen är ingen Word-fil: huvuddelen {main} saknas")
        root = self.element(main)
        if root.tag != f"{{{W_MAIN}}}document":
            name = etree.QName(root).localname if isinstance(root.tag, str) else "?"
            self.fail(
                f"filen är ingen Word-fil: huvuddelen {main} är ”{name}”, inte ett Word-dokument"
            )
        if root.find(f"{{{W_MAIN}}}body") is None:
            self.fail(f"filen är ingen Word-fil: huvuddelen {main} har ingen brödtext (w:body)")
        return main

    def related(self, part: str, rel_type: str) -> list[str]:
        """Names of the parts `part` refers to with a relationship of `rel_type`."""
        name = rels_name(part)
        if name not in self.parts:
            return []
        folder = posixpath.dirname(part)
        return [
            guard.normalise_target(folder, str(rel.get("Target")))
            for rel in self.element(name)
            if rel.get("Type") == rel_type and rel.get("TargetMode") != "External"
        ]

    def related_one(self, part: str, rel_type: str) -> str | None:
        """The first part `part` refers to with a relationship of `rel_type`, if any."""
        found = self.related(part, rel_type)
        return found[0] if found else None

    def drop_related(self, part: str, rel_type: str) -> None:
        """Remove `part`'s relationships of `rel_type` and the parts they reach."""
        name = rels_name(part)
        if name not in self.parts:
            return
        folder = posixpath.dirname(part)
        rels = self.element(name)
        for rel in list(rels):
            if rel.get("Type") != rel_type:
                continue
            rels.remove(rel)
            if rel.get("TargetMode") != "External":
                target = guard.normalise_target(folder, str(rel.get("Target")))
                if target in self.parts:
                    self.remove(target)

    def add_relationship(
        self, part: str, rel_type: str, target: str, *, external: bool = False
    ) -> str:
        name = rels_name(part)
        if name not in self.parts:
            self.parts[name] = b""
            self.xml[name] = etree.Element(f"{{{REL_NS}}}Relationships", nsmap={None: REL_NS})  # type: ignore[dict-item]
        rels = self.element(name)
        # The next free number, remembered: a packet adds thousands of relationships.
        number = self.next_rel.get(name)
        if number is None:
            used = [int(str(r.get("Id"))[3:]) for r in rels if str(r.get("Id"))[3:].isdigit()]
            number = max(used, default=0) + 1
        rel_id = f"rId{number}"
        self.next_rel[name] = number + 1
        rel = etree.SubElement(
            rels, f"{{{REL_NS}}}Relationship", Id=rel_id, Type=rel_type, Target=target
        )
        if external:
            rel.set("TargetMode", "External")
        return rel_id

    def add_part(self, name: str, element: etree._Element, content_type: str) -> None:
        self.parts[name] = b""
        self.xml[name] = element
        self.add_override(name, content_type)

    def to_bytes(self) -> bytes:
        reuse = bool(self.frozen) and not (self.frozen_names & self.xml.keys())
        out = io.BytesIO(self.frozen if reuse else b"")
        out.seek(0, io.SEEK_END)
        with zipfile.ZipFile(out, "a" if reuse else "w", zipfile.ZIP_DEFLATED) as archive:
            # [Content_Types].xml first, as Office writes it.
            names = sorted(self.parts, key=lambda n: n != "[Content_Types].xml")
            for name in names:
                if reuse and name in self.frozen_names:
                    continue
                # Only parts read through the guard or named here: never `../x` or `/x`.
                assert guard.safe_name(name), name
                data = serialize(self.xml[name]) if name in self.xml else self._raw(name)
                archive.writestr(_zipinfo(name), data, compresslevel=3)
        return out.getvalue()


_OS_REASONS = {
    errno.EACCES: "ingen behörighet",
    errno.ENOENT: "filen finns inte",
    errno.EISDIR: "det är en mapp",
}


def _problem(source: Path | None, message: str) -> InputError:
    return InputError([Problem(message, file=source)])


def _zipinfo(name: str) -> zipfile.ZipInfo:
    # A fixed timestamp: the same input gives the same bytes.
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info
