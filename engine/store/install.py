"""Install a catalog model: download (resumable), check size and checksum, unpack, write the
card and manifest in a staging folder, then move it into the store in one rename.

A checksum mismatch removes the partial download and says so; any failure or a kill leaves no
half-installed model (the partial download stays, so the next try resumes).
"""

from __future__ import annotations

import json
import shutil
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from engine.i18n import _, fmt_bytes
from engine.pipeline.cancel import CancelToken
from engine.store import records
from engine.store.cards import from_catalog, variant_entry
from engine.store.catalog import CatalogEntry, entry
from engine.store.download import ProgressCallback, check_free_space, digests_of, fetch, opener
from engine.store.errors import ChecksumError, DownloadError
from engine.store.inspect_onnx import inspect
from engine.store.location import store_dir
from engine.store.manifest import write_manifest
from engine.store.publisher import convert
from engine.store.staging import DOWNLOADS, clean_leftovers, commit, discard, new_stage
from engine.store.unzip import safe_extract
from engine.store.verify import verify_folder


@dataclass(frozen=True)
class Installed:
    model_id: str
    folder: Path
    sha256: str  # of the downloaded file
    checked_against: str  # what the download was checked against, in words
    first_record: bool  # no checksum was published: this install recorded it


@dataclass(frozen=True)
class Expected:
    size: int | None
    checks: dict[str, tuple[str, str]]  # algorithm -> (hex, where it comes from)


def _published_from_api(item: CatalogEntry, open_url: urllib.request.OpenerDirector) -> dict:
    """The publisher's checksum served by its record API (Zenodo: files[].checksum "md5:…")."""
    published = dict(item.download["published"])
    try:
        with open_url.open(published["from_api"], timeout=30) as response:
            files = json.loads(response.read().decode("utf-8")).get("files", [])
    except (OSError, ValueError) as error:
        raise DownloadError(
            _("The publisher's checksum for {model} could not be read ({error}); nothing was "
              "downloaded. Try again when the connection works.")
            .format(model=item.name, error=error)
        ) from error  # fmt: skip
    for file in files:
        algorithm, _sep, value = file.get("checksum", "").partition(":")
        if file.get("key") == published["key"] and value:
            return {**published, "algorithm": algorithm, "value": value, "size": file.get("size")}
    raise DownloadError(
        _("The publisher lists no checksum for {model}; it is not installed unverified.").format(
            model=item.name
        )
    )


def _expected(item: CatalogEntry, published: dict | None, store: Path) -> Expected:
    download = item.download
    checks: dict[str, tuple[str, str]] = {}
    size = download["size_bytes"] if download.get("size_exact") else None
    if published and published.get("value"):
        source = _("the publisher's {algorithm}").format(algorithm=published["algorithm"].upper())
        checks[published["algorithm"]] = (published["value"].lower(), source)
        size = published.get("size") or size
    if download.get("sha256"):
        checks["sha256"] = (download["sha256"], _("the SHA-256 pinned in Ocelote's catalog"))
    earlier = records.recorded(store, item.id)
    if earlier and "sha256" not in checks:
        when = earlier["first_installed"]
        checks["sha256"] = (
            earlier["sha256"],
            _("the SHA-256 recorded on {date}").format(date=when),
        )
    return Expected(size, checks)


def _check(part: Path, item: CatalogEntry, expected: Expected) -> dict[str, str]:
    actual = digests_of(part)
    size = part.stat().st_size
    problem = None
    if expected.size is not None and size != expected.size:
        problem = _("{size} bytes instead of {expected}").format(size=size, expected=expected.size)
    for algorithm, (value, source) in expected.checks.items():
        if problem is None and actual.get(algorithm) != value:
            problem = _("{algorithm} {actual} does not match {source} ({value})").format(
                algorithm=algorithm.upper(), actual=actual.get(algorithm), source=source,
                value=value,
            )  # fmt: skip
    if problem is not None:
        part.unlink(missing_ok=True)
        raise ChecksumError(
            _("The file downloaded for {model} is not the publisher's file: {problem}. The "
              "partial download was removed; try again.").format(model=item.name, problem=problem)
        )  # fmt: skip
    return actual


def _build(stage: Path, part: Path, item: CatalogEntry, published: dict | None) -> dict:
    download = item.download
    if download["format"] == "zip":
        raw = stage / ".unpacked"
        safe_extract(part, raw)
        card = convert(raw, stage, item, published)
        shutil.rmtree(raw)
        return card
    target = stage / download["file"]
    shutil.move(str(part), target)
    return from_catalog(item, inspect(target), variant_entry(stage, target.name, published), False)


def install(
    model_id: str,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    open_url: urllib.request.OpenerDirector | None = None,
    retries: int = 4,
    backoff: float = 1.0,
    timeout: float = 30.0,
    catalog_entry: CatalogEntry | None = None,
    status: Callable[[str], None] | None = None,
) -> Installed:
    """Download and install one catalog model into the store; see the module's docstring."""
    item = catalog_entry or entry(model_id)
    store = store_dir()
    clean_leftovers(store)
    open_url = open_url or opener()
    download = item.download
    published = download.get("published")
    if published and published.get("from_api"):
        published = _published_from_api(item, open_url)
    expected = _expected(item, published, store)
    unpack = 2 if download["format"] == "zip" else 1
    check_free_space(store, (expected.size or item.size_bytes) * unpack)
    part = store / DOWNLOADS / item.id / (download["file"] + ".part")
    part.parent.mkdir(parents=True, exist_ok=True)
    if status:
        size_text = fmt_bytes(expected.size or item.size_bytes)
        status(_("Downloading {model} ({size})…").format(model=item.name, size=size_text))
    fetch(download["url"], part, size=expected.size, progress=progress, cancel=cancel,
          retries=retries, backoff=backoff, timeout=timeout, open_url=open_url)  # fmt: skip
    digests = _check(part, item, expected)
    size = part.stat().st_size
    stage = new_stage(store, item.id)
    try:
        card = _build(stage, part, item, published)
        card["download"] = {"url": download["url"], **digests, "size_bytes": size}
        (stage / "card.json").write_text(json.dumps(card, indent=2, ensure_ascii=False), "utf-8")
        write_manifest(stage)
        commit(stage, store / item.id)
    except BaseException:
        discard(stage)
        raise
    shutil.rmtree(part.parent, ignore_errors=True)
    verify_folder(store / item.id)
    first = not expected.checks
    if first:
        records.record(store, item.id, download["url"], digests["sha256"], size)
    sources = ", ".join(source for _value, source in expected.checks.values())
    return Installed(item.id, store / item.id, digests["sha256"], sources, first)
