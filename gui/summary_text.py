"""What the status line says after a run, in words: how many, how long, and when nothing was
found, where Ocelote looked, what it set aside and why.

Why its own module: "Done: 0 files" told a ranger nothing; the explanation needs the error
descriptions and the formats read, which the classify page should not carry.
"""

from __future__ import annotations

from pathlib import Path

from engine.errors import describe
from engine.i18n import _, fmt_duration, fmt_number
from engine.results.summary import Summary


def summary_text(summary: Summary, source: Path | None) -> str:
    if summary.status == "cancelled":
        return _(
            "Stopped: {count} files done. Drop the same folder again to continue where it stopped."
        ).format(count=fmt_number(summary.files))
    if summary.classified == 0:
        return nothing_found_text(summary, source)
    return _("Done: {files} files, {errors} with errors, in {time}.").format(
        files=fmt_number(summary.files),
        errors=fmt_number(sum(summary.errors.values())),
        time=fmt_duration(summary.seconds),
    )


def nothing_found_text(summary: Summary, source: Path | None) -> str:
    lines = [_("No photos or videos were found in {path}.").format(path=source or _("this folder"))]
    for code, count in sorted(summary.errors.items(), key=lambda pair: -pair[1]):
        lines.append(
            _("Set aside: {count} files. {reason}").format(
                count=fmt_number(count), reason=describe(code)
            )
        )
    lines.append(
        _(
            "Ocelote reads photos (JPEG, PNG, TIFF, BMP, WebP) and videos (MP4, AVI, MOV, MKV, "
            "WebM, WMV, MPEG); other files, hidden files and system folders are skipped."
        )
    )
    return "\n".join(lines)
