"""Which camera took a file: the grouping key for events, backgrounds and repeated boxes."""

from posixpath import dirname

from engine.results.events_store import StoredPhoto


def camera_key(photo: StoredPhoto) -> str:
    """The camera's serial number when EXIF has one, else make + model + folder.

    Two traps of one model in one folder cannot be told apart without a serial; keeping the
    folder in the key at least keeps cards copied into their own folders apart.
    """
    if photo.camera_serial:
        return f"serial:{photo.camera_serial.strip()}"
    make = (photo.camera_make or "").strip()
    model = (photo.camera_model or "").strip()
    return f"{make}|{model}|{dirname(photo.rel_path)}"
