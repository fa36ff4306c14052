"""Named reasons why a file could not be classified, stored by code, shown in the user's words.

The results database keeps the language-independent code (and a technical detail); the text a
person reads is made at display time, so a Spanish run can be exported in English and back.
"""

from enum import Enum

from engine.i18n import _


class ErrorCode(str, Enum):
    EMPTY_FILE = "empty_file"
    NOT_MEDIA = "not_media"
    TRUNCATED = "truncated"
    CORRUPT = "corrupt"
    TOO_LARGE = "too_large"
    UNREADABLE = "unreadable"
    FOLDER_UNREADABLE = "folder_unreadable"
    SYMLINK_LOOP = "symlink_loop"
    UNSUPPORTED = "unsupported"
    VIDEO_UNSUPPORTED = "video_unsupported"
    VIDEO_CODEC = "video_codec"
    VIDEO_NO_FRAMES = "video_no_frames"
    INFERENCE_FAILED = "inference_failed"
    HIDDEN = "hidden"
    NOT_REGULAR = "not_regular_file"


class MediaError(Exception):
    """A file that cannot be classified, with a code for the database and a technical detail."""

    def __init__(self, code: ErrorCode, detail: str = "") -> None:
        super().__init__(f"{code.value}: {detail}" if detail else code.value)
        self.code = code
        self.detail = detail


def describe(code: ErrorCode | str) -> str:
    """What happened and what to do, in the current language."""
    texts = {
        ErrorCode.EMPTY_FILE: _(
            "The file is empty (0 bytes). Copy it again from the camera's card."
        ),
        ErrorCode.NOT_MEDIA: _(
            "The file is not a photo or video, although its name says so. Check where it came from."
        ),
        ErrorCode.TRUNCATED: _(
            "The photo is cut short (incomplete copy or damaged card). "
            "Copy it again from the card if you still have it."
        ),
        ErrorCode.CORRUPT: _(
            "The file is damaged and cannot be read. Copy it again from the card."
        ),
        ErrorCode.TOO_LARGE: _(
            "The image is too large to open safely: its header claims far more pixels than "
            "its file holds (possible decompression bomb), or it needs more memory than allowed. "
            "Check that it is a real camera photo."
        ),
        ErrorCode.UNREADABLE: _(
            "The file cannot be read: permission denied. Ask for read access or copy it elsewhere."
        ),
        ErrorCode.FOLDER_UNREADABLE: _(
            "The folder cannot be opened: permission denied. Ask for read access to it."
        ),
        ErrorCode.SYMLINK_LOOP: _(
            "This link points back into a folder already scanned, or to itself; skipped."
        ),
        ErrorCode.UNSUPPORTED: _("This kind of file is not supported yet."),
        ErrorCode.VIDEO_UNSUPPORTED: _("Videos are not classified yet by this version."),
        ErrorCode.VIDEO_CODEC: _(
            "This video cannot be opened: its codec is not supported or the file is damaged. "
            "Convert it to MP4 (H.264) or copy it again from the card."
        ),
        ErrorCode.VIDEO_NO_FRAMES: _(
            "No picture in this video could be decoded (damaged file or unknown codec). "
            "Copy it again from the card, or convert it to MP4 (H.264)."
        ),
        ErrorCode.INFERENCE_FAILED: _(
            "The model failed on this file. Run again; if it repeats, report it with the log file."
        ),
        ErrorCode.HIDDEN: _(
            "Skipped: a hidden file or folder (computers and cameras keep their own notes there)."
        ),
        ErrorCode.NOT_REGULAR: _(
            "Skipped: not a regular file (a pipe, socket or device), which cannot be a photo."
        ),
    }
    return texts.get(ErrorCode(code), _("Unknown error."))
