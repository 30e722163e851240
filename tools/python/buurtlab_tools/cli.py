"""Command-line conventions shared with the `buurtlab` program (tools/buurtlab/cli.hpp):
errors are printed as `buurtlab: error: ...` followed by a hint at --help, and the exit codes are
0 success, 1 failure, 2 usage or input error."""

import argparse
import os

from .results import ToolError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(ToolError):
    """A mistake on the command line: the message is followed by a hint at --help."""

    def __init__(self, message, command):
        super().__init__(message, EXIT_USAGE)
        self.command = command


class Parser(argparse.ArgumentParser):
    def __init__(self, command, **kwargs):
        super().__init__(prog=f"buurtlab {command}", allow_abbrev=False, **kwargs)
        self.command = command

    def error(self, message):
        raise UsageError(message, self.command)


def check_output_path(path, suffixes, command):
    """-o FILE: a known format, and a folder we can write to (created if missing)."""
    ext = os.path.splitext(path)[1].lower()
    if ext not in suffixes:
        raise UsageError(f"-o {path}: unknown format '{ext or '(none)'}'; use one of "
                         + ", ".join(suffixes), command)
    if os.path.isdir(path):
        raise ToolError(f"{path} is a folder")
    folder = os.path.dirname(path)
    if folder and not os.path.isdir(folder):
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError as e:
            raise ToolError(f"cannot create {folder}: {e.strerror}", EXIT_FAILED) from None
