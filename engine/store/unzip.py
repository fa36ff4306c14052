"""Unpacking zips from outside (a publisher's download, a pack on a USB stick) without letting
a member write outside the folder it is unpacked into."""

import zipfile
from pathlib import Path

from engine.i18n import _
from engine.store.errors import ImportProblem


def safe_extract(archive: Path, target: Path) -> None:
    try:
        with zipfile.ZipFile(archive) as bundle:
            root = target.resolve()
            for member in bundle.infolist():
                destination = (target / member.filename).resolve()
                if not destination.is_relative_to(root):
                    raise ImportProblem(
                        _("{file} holds a path outside its folder ({member}).").format(
                            file=archive.name, member=member.filename
                        )
                    )
            bundle.extractall(target)
    except (zipfile.BadZipFile, EOFError) as error:
        raise ImportProblem(
            _("{file} is not a readable zip file ({error}).").format(file=archive.name, error=error)
        ) from error
