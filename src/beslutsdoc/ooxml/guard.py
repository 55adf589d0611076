"""Reading a .docx nobody here made: limits, and a Swedish error for every bad case.

Templates travel between municipalities and attachments arrive by e-mail, so a .docx
is untrusted input: a zip bomb, a billion-laughs DTD, a corrupt or encrypted entry, a
member named `../../x`, macros. Every zip and every XML part of a package is read
through this module, which refuses those with a `PackageError` naming the part (the
package layer adds the file).
"""

from __future__ import annotations

import posixpath
import re
import zipfile

from lxml import etree

#: Limits, chosen so that real papers (a hundred pages with photos) pass easily while a
#: bomb stops long before memory runs out (the packet keeps every part read in memory).
MAX_ENTRIES = 5000
MAX_PART_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
#: Deflate reaches ~1:1000 on one repeated byte; real XML stays under 1:100.
MAX_RATIO = 200
RATIO_FLOOR = 4 * 1024 * 1024  # small parts may compress however well they like
#: libxml2's own limit without XML_PARSE_HUGE, which we never set.
MAX_XML_DEPTH = 256


class PackageError(Exception):
    """A package that cannot or must not be read; the message is Swedish."""


_PARSER = etree.XMLParser(
    remove_blank_text=False,
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,  # libxml2's own limits on depth and text size stay on
)
_DOCTYPE = re.compile(rb"<!DOCTYPE|<\x00!\x00D\x00O\x00C\x00T\x00Y\x00P\x00E\x00", re.I)


def parse_xml(data: bytes, part: str) -> etree._Element:
    """Parse one XML part: no DTD, no entities, no network, bounded depth."""
    if _DOCTYPE.search(data):
        raise PackageError(f"delen {part} har en DTD (<!DOCTYPE>), som en Word-fil aldrig har")
    try:
        root = etree.fromstring(data, parser=_PARSER)
    except etree.XMLSyntaxError as err:
        if "depth" in str(err.msg):
            raise PackageError(
                f"delen {part} är nästlad djupare än {MAX_XML_DEPTH} nivåer"
            ) from None
        raise PackageError(f"delen {part} är ingen giltig XML ({err.msg})") from None
    return root


def safe_name(name: str) -> bool:
    """A zip member name a package may carry: relative, no `..`, no backslash or drive."""
    if not name or name.startswith("/") or "\\" in name or _DRIVE.match(name):
        return False
    return all(segment not in ("", ".", "..") for segment in name.split("/"))


_DRIVE = re.compile(r"[A-Za-z]:")


def open_zip(archive: zipfile.ZipFile) -> list[str]:
    """Check a package's zip against the limits; return its member names that are safe
    (a member named `../x` or `/x` is no part of any package and is left behind)."""
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise PackageError(f"filen har {len(infos)} delar; högst {MAX_ENTRIES} går att läsa")
    total = 0
    names = []
    for info in infos:
        if info.flag_bits & 0x1:
            raise PackageError("filen är krypterad eller lösenordsskyddad; spara den utan skydd")
        _check_size(info)
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise PackageError(
                f"filen packas upp till mer än {MAX_TOTAL_BYTES // 2**20} MB; det är för stort"
            )
        if not info.is_dir() and safe_name(info.filename):
            names.append(info.filename)
    return names


def _check_size(info: zipfile.ZipInfo) -> None:
    if info.file_size > MAX_PART_BYTES:
        raise PackageError(
            f"delen {info.filename} packas upp till {info.file_size // 2**20} MB;"
            f" högst {MAX_PART_BYTES // 2**20} MB går att läsa"
        )
    if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise PackageError(f"delen {info.filename} är packad mer än 1:{MAX_RATIO}, som en zip-bomb")


def read_member(archive: zipfile.ZipFile, name: str) -> bytes:
    """The bytes of one member, never more than the limit whatever its header claims."""
    try:
        with archive.open(name) as stream:
            data = stream.read(MAX_PART_BYTES + 1)
    except zipfile.BadZipFile as err:
        raise PackageError(f"delen {name} är skadad ({err})") from None
    except (RuntimeError, NotImplementedError) as err:  # encrypted, unknown compression
        raise PackageError(f"delen {name} kan inte packas upp ({err})") from None
    except (OSError, EOFError, ValueError) as err:  # zlib errors, a truncated file
        raise PackageError(f"delen {name} är skadad ({err})") from None
    if len(data) > MAX_PART_BYTES:
        raise PackageError(
            f"delen {name} packas upp till mer än {MAX_PART_BYTES // 2**20} MB; det är för stort"
        )
    return data


# Strict OOXML (ISO 29500 Strict) names every namespace and relationship type under
# purl.oclc.org; Transitional, which Word and everything here reads, under
# schemas.openxmlformats.org/…/2006/…. The vocabularies are otherwise the same.
_STRICT = re.compile(rb"http://purl\.oclc\.org/ooxml/(\w+)/([\w-]+)")
_STRICT_RENAMED = {
    b"extendedProperties": b"extended-properties",
    b"customProperties": b"custom-properties",
}


def is_strict(data: bytes) -> bool:
    return b"purl.oclc.org/ooxml/" in data


def strict_to_transitional(data: bytes) -> bytes:
    """`data` with Strict OOXML namespaces and relationship types made Transitional."""

    def replace(match: re.Match[bytes]) -> bytes:
        area, name = match[1], _STRICT_RENAMED.get(match[2], match[2])
        return b"http://schemas.openxmlformats.org/" + area + b"/2006/" + name

    data = _STRICT.sub(replace, data)
    return data.replace(b' w:conformance="strict"', b"")


def normalise_target(folder: str, target: str) -> str:
    """The part name a relationship target reaches from `folder`: absolute targets
    (`/word/media/a.png`) from the package root, relative ones from the folder."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(folder, target))
