"""Where a cluster run goes: `local[:N]` (a Ray started here) or the address of a running one."""

from __future__ import annotations

import os
from dataclasses import dataclass

from engine.i18n import _


class ClusterError(Exception):
    """The cluster cannot be reached or used; the message is for the user, in their language."""


@dataclass(frozen=True)
class RayTarget:
    """`address` None starts a private Ray on this machine with `workers` CPUs for workers."""

    address: str | None
    workers: int | None = None  # local: N; an address: None means one per CPU it offers

    @classmethod
    def parse(cls, text: str) -> RayTarget:
        """`local`, `local:N`, or an address such as `auto`, `10.0.0.5:6379`, `ray://host:10001`."""
        name, _sep, count = text.partition(":")
        if name != "local":
            if not text.strip():
                raise ClusterError(_("Name a Ray cluster: local, local:N or its address."))
            return cls(text.strip())
        if not count:
            return cls(None, os.cpu_count() or 1)
        if not count.isdigit() or int(count) < 1:
            raise ClusterError(
                _("{text} is not a number of workers: write local:N with N at least 1.").format(
                    text=text
                )
            )
        return cls(None, int(count))

    def __str__(self) -> str:
        return self.address or f"local:{self.workers}"
