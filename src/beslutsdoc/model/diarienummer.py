"""Diarienummer: a board's case number, whose format is configuration, not code.

A profile gives the pattern, for example `SN {år}:{nummer}` or `SN {år}:{nummer:05}`
(zero-padded to five digits). Input may be written short (`SN 2021:1`) or padded
(`SN 2021:00001`); it is printed as the pattern says. A handling in a case may follow
with a dash: `SOF 2023/553-1`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

_FIELD = re.compile(r"\{(år|nummer)(?::0(\d+))?\}")


class DiarienummerError(ValueError):
    """The text does not match the pattern, or the pattern itself is broken."""


@dataclass(frozen=True)
class Diarienummer:
    år: int
    nummer: int
    handling: int | None
    pattern: DiarienummerMönster

    def __str__(self) -> str:
        return self.pattern.format(self)


@dataclass(frozen=True)
class DiarienummerMönster:
    text: str
    regex: re.Pattern[str]
    width: int

    @classmethod
    @cache
    def compile(cls, text: str) -> DiarienummerMönster:
        parts: list[str] = []
        seen: list[str] = []
        width = 0
        pos = 0
        for match in _FIELD.finditer(text):
            parts.append(re.escape(text[pos : match.start()]))
            name = match[1]
            if name in seen:
                raise DiarienummerError(f"{{{name}}} står två gånger i mönstret")
            seen.append(name)
            if name == "år":
                parts.append(r"(?P<år>[0-9]{4})")
            else:
                width = int(match[2] or 0)
                parts.append(r"(?P<nummer>[0-9]+)")
            pos = match.end()
        rest = text[pos:]
        leftover = _FIELD.sub("", text)
        if "{" in leftover or "}" in leftover:
            raise DiarienummerError(
                "mönstret får bara innehålla {år} och {nummer} (eller {nummer:05})"
            )
        parts.append(re.escape(rest))
        if sorted(seen) != ["nummer", "år"]:
            raise DiarienummerError("mönstret måste innehålla både {år} och {nummer}")
        regex = re.compile("".join(parts) + r"(?:-(?P<handling>[0-9]+))?")
        return cls(text=text, regex=regex, width=width)

    def parse(self, text: str) -> Diarienummer:
        match = self.regex.fullmatch(text.strip())
        if not match:
            raise DiarienummerError(
                f"”{text}” följer inte nämndens diarienummermönster ”{self.text}”"
                f" (till exempel ”{self.example()}”)"
            )
        handling = match["handling"]
        return Diarienummer(
            år=int(match["år"]),
            nummer=int(match["nummer"]),
            handling=int(handling) if handling else None,
            pattern=self,
        )

    def format(self, dnr: Diarienummer) -> str:
        out = self.text.replace("{år}", str(dnr.år))
        out = _FIELD.sub(lambda m: str(dnr.nummer).zfill(self.width), out)
        return out + (f"-{dnr.handling}" if dnr.handling is not None else "")

    def example(self) -> str:
        return self.format(Diarienummer(2023, 553, None, self))


def format_diarienummer(text: str, pattern: str | None) -> str:
    """The Dnr as the board prints it: normalised by the pattern when there is one."""
    if not pattern:
        return text.strip()
    return str(DiarienummerMönster.compile(pattern).parse(text))
