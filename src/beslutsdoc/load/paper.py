"""Load a paper: find its profile, merge the two, validate into a model with positions."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from beslutsdoc.load.errors import profile_hint, translate
from beslutsdoc.load.source import load_yaml
from beslutsdoc.model.loaded import Loaded, Source
from beslutsdoc.model.profil import PROFILE_RENAMES, Profil
from beslutsdoc.model.registry import PAPERS, PaperType, Registry
from beslutsdoc.problems import InputError, Problem

PROFILE_NAME = "beslutsdoc.yaml"


def find_profile(folder: Path) -> Path | None:
    """The nearest `beslutsdoc.yaml` in `folder` or a parent folder."""
    for candidate in [folder, *folder.parents]:
        found = candidate / PROFILE_NAME
        if found.is_file():
            return found
    return None


def load_profile(file: Path) -> Source:
    """The profile at `file`, validated; read once per version of the file (a run often
    renders many papers of one board)."""
    try:
        stat = file.stat()
    except OSError:
        raise InputError([Problem("profilen finns inte", file=file)]) from None
    return _load_profile(file, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)  # a run reads few profiles; a long-lived process many versions
def _load_profile(file: Path, mtime: int, size: int) -> Source:
    source = load_yaml(file)
    if not isinstance(source.data, dict):
        raise InputError(
            [Problem("profilen ska vara en mappning med nycklar", source.position(()), (), file)]
        )
    try:
        Profil.model_validate(source.data)
    except ValidationError as err:
        raise InputError(
            translate(
                err,
                Profil,
                lambda p, m, key=False: Problem(m, source.position(p, key=key), p, file),
            )
        ) from None
    return source


def _merge(profile: Mapping[str, Any], paper: Mapping[str, Any]) -> dict[str, Any]:
    merged = {PROFILE_RENAMES.get(k, k): v for k, v in profile.items()}
    for key, value in paper.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_paper(
    file: Path,
    profile_file: Path | None = None,
    _linking: frozenset[Path] = frozenset(),
    *,
    text: str | None = None,
    find: bool = True,
    registry: Registry = PAPERS,
) -> Loaded[Any]:
    """Load and validate one paper of any type in `registry`. Raises InputError listing
    every problem. With `text`, that is the paper and `file` only names it; with
    `find=False`, no profile is looked for beside it."""
    paper = load_yaml(file, text)
    if not isinstance(paper.data, dict):
        raise InputError(
            [
                Problem(
                    "filen ska vara en mappning med nycklar, med ”typ:” först",
                    paper.position(()),
                    (),
                    file,
                )
            ]
        )
    profile_path = profile_file or (find_profile(file.resolve().parent) if find else None)
    if profile_path and profile_path.resolve() == file.resolve():
        profile_path = None  # a paper named beslutsdoc.yaml is its own profile
    profile = load_profile(profile_path) if profile_path else None
    paper_type = _paper_type(paper, registry)
    model = paper_type.model_class

    data = _merge(profile.data if profile else {}, paper.data)
    loaded: Loaded[Any] = Loaded(model=None, file=file, paper=paper, profile=profile)
    try:
        loaded.model = model.model_validate(data)
    except ValidationError as err:
        problems = translate(err, model, loaded.problem)
        keys = {PROFILE_RENAMES.get(k, k) for k in Profil.model_fields}
        searched = file.resolve().parent if find and not profile_file else None
        problems = profile_hint(problems, keys, profile_path, searched, PROFILE_NAME)
        raise InputError(problems) from None
    _load_links(loaded, paper_type, profile_file, _linking | {file.resolve()}, registry)
    return loaded


def _paper_type(paper: Source, registry: Registry) -> PaperType:
    """The type the paper's `typ:` names, or a problem saying which there are."""
    kind = paper.data.get("typ")
    found = registry.get(kind)
    if found is not None:
        return found
    import difflib  # only for a misspelt type

    names = list(registry.types)
    known = ", ".join(names)
    if kind is None:
        message = f"nyckeln ”typ” saknas; ange en av: {known}"
    else:
        shown = kind if isinstance(kind, str) else "en lista eller mappning"
        close = difflib.get_close_matches(str(kind), names, n=1, cutoff=0.6)
        hint = f"; menade du ”{close[0]}”?" if close else f"; förväntat en av: {known}"
        message = f"okänd dokumenttyp ”{shown}”{hint}"
    raise InputError([Problem(message, paper.position(("typ",)), ("typ",), paper.file)])


def _load_links(
    loaded: Loaded[Any],
    paper_type: PaperType,
    profile_file: Path | None,
    linking: frozenset[Path],
    registry: Registry,
) -> None:
    """Load the papers this one names by path (a follow-up's plan) along with it."""
    for key, kind in paper_type.links.items():
        _load_link(loaded, key, kind, profile_file, linking, registry)


def _load_link(
    loaded: Loaded[Any],
    key: str,
    kind: str,
    profile_file: Path | None,
    linking: frozenset[Path],
    registry: Registry,
) -> None:
    target = loaded.file.parent / getattr(loaded.model, key)
    if not target.is_file():
        raise InputError(
            [loaded.problem((key,), f"filen ”{getattr(loaded.model, key)}” finns inte")]
        )
    if target.resolve() in linking:
        raise InputError(
            [loaded.problem((key,), f"”{getattr(loaded.model, key)}” hänvisar tillbaka hit")]
        )
    linked = load_paper(target, profile_file, linking, registry=registry)
    if linked.model.typ != kind:
        raise InputError(
            [
                loaded.problem(
                    (key,),
                    f"”{getattr(loaded.model, key)}” är av typen ”{linked.model.typ}”, inte {kind}",
                )
            ]
        )
    loaded.linked[key] = linked
