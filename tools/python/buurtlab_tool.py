"""Entry point of the Python commands of `buurtlab`: `buurtlab plot ...`, `buurtlab report ...`
and `buurtlab calibrate ...` start this script as `buurtlab_tool.py plot ...`
(tools/buurtlab/python_tools.cpp). It can also be run directly with the same arguments.

Errors follow the `buurtlab` program: `buurtlab: error: ...` on standard error, exit code 2 for
usage and input errors, 1 for other failures.
"""

import os
import sys

# The tools may run from a source tree or an installed folder: leave no __pycache__ behind there.
sys.dont_write_bytecode = True

COMMANDS = ("plot", "report", "calibrate")

# Debian package of each Python module the commands need (tools/setup.sh installs them).
NEEDS = {"numpy": "python3-numpy", "h5py": "python3-h5py", "matplotlib": "python3-matplotlib",
         "scipy": "python3-scipy", "yaml": "python3-yaml"}


def missing_modules():
    import importlib.util

    return [m for m in NEEDS if importlib.util.find_spec(m) is None]


def main(argv):
    if not argv or argv[0] not in COMMANDS:
        print("usage: buurtlab_tool.py {plot,report,calibrate} [options]", file=sys.stderr)
        return 2
    command, rest = argv[0], argv[1:]
    missing = missing_modules()
    if missing:
        print(f"buurtlab: error: '{command}' needs the Python modules " + ", ".join(missing) +
              f", missing from {sys.executable}; on Debian: apt-get install " +
              " ".join(NEEDS[m] for m in missing) +
              " (or point BUURTLAB_PYTHON at a Python that has them)", file=sys.stderr)
        return 1

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from buurtlab_tools.cli import UsageError
    from buurtlab_tools.results import ToolError

    try:
        if command == "plot":
            from buurtlab_tools import plot as module
        elif command == "calibrate":
            from buurtlab_tools import calibrate as module
        else:
            from buurtlab_tools import report as module
        return module.main(rest)
    except UsageError as e:
        print(f"buurtlab: error: {e}\ntry 'buurtlab {e.command} --help'", file=sys.stderr)
        return e.code
    except ToolError as e:
        for line in str(e).splitlines():
            print(f"buurtlab: error: {line}", file=sys.stderr)
        return e.code
    except KeyboardInterrupt:
        print("buurtlab: interrupted", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 1
    except Exception:  # noqa: BLE001 -- a bug: say so, and keep the details for a bug report
        import traceback

        print(f"buurtlab: error: '{command}' failed unexpectedly (a bug; please report it with "
              "the details below)", file=sys.stderr)
        traceback.print_exc()
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
