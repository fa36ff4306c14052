"""The entry of both frozen executables: `ocelote` (console CLI) and `ocelote-gui` (windowed).

One Analysis feeds two executables, which halves the build time: the name of the running
program picks the CLI or the window. `-m MODULE ARGS...` (or `--child-module MODULE ...`)
runs MODULE the way `python -m MODULE ARGS...` would: the engine starts its probes as
`[sys.executable, "-m", module]`, and in a frozen build `sys.executable` is this program, not
a Python. Without this, the window's device probe would start another window, and so on.
"""

import os
import runpy
import sys
from pathlib import Path

CHILD_FLAGS = ("-m", "--child-module")


def _run_child(module: str, args: list[str]) -> int:
    if sys.stdout is None:  # a windowed program has no stdout unless its parent gave a pipe
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
    return 0


def main() -> int:
    args = sys.argv[1:]
    if len(args) >= 2 and args[0] in CHILD_FLAGS:
        return _run_child(args[1], args[2:])
    if Path(sys.executable).stem.lower().endswith("-gui"):
        from gui.app import main as gui_main

        return gui_main()
    from engine.launch import main as cli_main

    return cli_main(process=True)


if __name__ == "__main__":
    sys.exit(main())
