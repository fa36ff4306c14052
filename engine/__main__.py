"""`python -m engine` is the `ocelote` command."""

from engine.launch import run

if __name__ == "__main__":
    run()
