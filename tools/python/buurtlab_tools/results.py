"""Opening and checking Buurtlab output files (layout: docs/output.md).

Everything a person can get wrong when pointing a tool at a file is reported as a ToolError that
names the file and says what is there instead: not a file, not HDF5, HDF5 but not a Buurtlab
output, damaged, an indicator or a place that the file lacks (with the ones it has). A run that
did not finish is not an error: its file holds everything up to the last flush, so the tools
show that and say so.
"""

import os
import sys

import numpy as np

from . import labels

# The datasets and root attributes every Buurtlab output has; a file without them was written by
# something else (or by a future layout this tool does not know).
REQUIRED_DATASETS = ("replicate", "time", "place", "place_code", "place_name", "place_level",
                     "place_parent", "ticks_written")
REQUIRED_ATTRS = ("buurtlab_version", "model", "scenario_name", "start_date", "replicates", "ticks",
                  "status")
LEVELS = ("city", "wijk", "buurt")

# How many names an error message lists before it says "and N more".
LIST_LIMIT = 40


# The sizes no run can exceed: kMaxReplicates, kMaxYears * 366 + 1 time points and kMaxPlaces
# of include/buurtlab/limits.hpp (the C++ reader refuses the same).
MAX_REPLICATES = 100_000
MAX_TIME_POINTS = 1000 * 366 + 1
MAX_PLACES = 100_000


class ToolError(Exception):
    """A problem the user can fix; `code` is the exit code (2: bad input, as `buurtlab run`)."""

    def __init__(self, message, code=2):
        super().__init__(message)
        self.code = code


def warn(message):
    print(f"buurtlab: warning: {message}", file=sys.stderr)


def name_list(names, limit=LIST_LIMIT):
    names = list(names)
    if len(names) <= limit:
        return ", ".join(names)
    return ", ".join(names[:limit]) + f", ... ({len(names) - limit} more)"


def _text(value):
    """An HDF5 attribute as a Python str/int/float (h5py gives bytes, numpy scalars or arrays)."""
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value[()]
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.reshape(())[()]
    if isinstance(value, (bytes, np.bytes_)):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, np.generic):
        return value.item()
    return value


def _open_h5(path):
    import h5py

    if not os.path.exists(path):
        raise ToolError(f"{path}: no such file")
    if os.path.isdir(path):
        raise ToolError(f"{path}: is a folder, not an output file")
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError as e:
        raise ToolError(f"{path}: cannot be read: {e.strerror}") from None
    if not h5py.is_hdf5(path):
        what = "an empty file" if not head else "not an HDF5 file"
        raise ToolError(f"{path}: not a Buurtlab output ({what}; 'buurtlab run' writes HDF5 files)")
    try:
        return h5py.File(path, "r")
    except OSError as e:
        # HDF5 checks the file's recorded end against its size when it opens it: a file cut short
        # by a full disk or an interrupted copy fails here.
        reason = str(e).strip() or "unknown HDF5 error"
        hint = "truncated" if "truncated" in reason or "eof" in reason else "damaged"
        raise ToolError(f"{path}: cannot be opened; the file looks {hint} ({reason}). "
                        "A run that was stopped or killed leaves a readable file, so this one was "
                        "probably cut short afterwards (copy, full disk): run the scenario again"
                        ) from None


class Output:
    """One output file, open for reading. Use as a context manager, or call close()."""

    def __init__(self, path):
        self.path = path
        self._f = _open_h5(path)
        try:
            self._check_layout()
            self._read_metadata()
        except ToolError:
            self._f.close()
            raise
        except (OSError, KeyError, ValueError, TypeError, OverflowError, IndexError,
                AttributeError) as e:
            # A file with the right names but values of another kind (a date that is not one,
            # text where numbers belong): damaged, or written by something else.
            self._f.close()
            raise ToolError(f"{path}: damaged Buurtlab output, or another layout "
                            f"({type(e).__name__}: {e}); docs/output.md describes the layout"
                            ) from None
        except Exception:
            self._f.close()
            raise

    # -- opening -----------------------------------------------------------------------------

    def _check_layout(self):
        f = self._f
        missing = [d for d in REQUIRED_DATASETS if d not in f]
        missing += [f"attribute '{a}'" for a in REQUIRED_ATTRS if a not in f.attrs]
        if missing:
            raise ToolError(f"{self.path}: not a Buurtlab output (an HDF5 file without "
                            f"{name_list(missing, 8)}; docs/output.md describes the layout)")

    def _read_metadata(self):
        f = self._f
        self.attrs = {k: _text(v) for k, v in f.attrs.items()}
        self.scenario_name = str(self.attrs["scenario_name"])
        self.description = " ".join(str(self.attrs.get("scenario_description", "")).split())
        self.model = str(self.attrs["model"])
        self.status = str(self.attrs["status"])
        # HDF5 datasets may be declared far larger than the file holds (unwritten chunks take no
        # space), so a damaged file could ask for any amount of memory; no run within the
        # scenario limits (include/buurtlab/limits.hpp) writes more than these. Checked on the
        # shapes, before anything is read.
        claims = [int(f[n].shape[0]) if f[n].shape else 0
                  for n in ("ticks_written", "time", "place_code")]
        if (claims[0] > MAX_REPLICATES or claims[1] > MAX_TIME_POINTS
                or claims[2] > MAX_PLACES):
            raise ToolError(f"{self.path}: not a Buurtlab output: it claims "
                            f"{claims[0]} replicates, {claims[1]} time points and {claims[2]} "
                            f"places, more than a run can write (at most {MAX_REPLICATES}, "
                            f"{MAX_TIME_POINTS} and {MAX_PLACES})")
        try:
            self.codes = list(f["place_code"].asstr()[:])
            self.names = list(f["place_name"].asstr()[:])
            self.levels = list(f["place_level"].asstr()[:])
            self.parents = np.asarray(f["place_parent"][:], dtype=np.int64)
            days = np.asarray(f["time"][:], dtype=np.float64)
            self.ticks_written = np.asarray(f["ticks_written"][:], dtype=np.int64)
        except (OSError, KeyError, ValueError, TypeError) as e:
            raise ToolError(f"{self.path}: damaged Buurtlab output, its place or time list "
                            f"cannot be read ({e})") from None
        self.replicates = len(self.ticks_written)
        # Each replicate's seed: replicates of two files with the same seed share their random
        # numbers (common random numbers), so their differences are paired (stats.difference).
        try:
            self.seeds = [int(x) for x in f["replicate_seed"][:]]
        except (KeyError, OSError, ValueError, TypeError):
            self.seeds = []
        self.time_points = len(days)
        start = np.datetime64(str(self.attrs["start_date"]), "s")
        self.dates = start + np.round(days * 86400).astype("timedelta64[s]")
        self.days = days
        self.index = {c: i for i, c in enumerate(self.codes)}
        shape = (self.replicates, self.time_points, len(self.codes))
        self.indicators = sorted(k for k, d in f.items()
                                 if getattr(d, "shape", None) == shape and d.dtype.kind == "f")

    def close(self):
        self._f.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- what the file holds -----------------------------------------------------------------

    @property
    def complete(self):
        return self.status == "complete" and bool(np.all(self.ticks_written == self.time_points))

    @property
    def complete_replicates(self):
        """Indices of the replicates that reached the last time point."""
        return np.flatnonzero(self.ticks_written >= self.time_points)

    def incomplete_note(self):
        """None for a finished run; else one sentence on what the file holds."""
        if self.complete:
            return None
        T, R = self.time_points, self.replicates
        done = int(np.sum(self.ticks_written >= T))
        parts = []
        if done:
            parts.append(f"{done} of {R} replicates complete")
        partial = [(r, int(n)) for r, n in enumerate(self.ticks_written) if 0 < n < T]
        for r, n in partial[:3]:
            parts.append(f"replicate {r + 1} has {n} of {T} time points "
                         f"(up to {str(self.dates[n - 1])[:10]})")
        if len(partial) > 3:
            parts.append(f"{len(partial) - 3} more replicates partly written")
        empty = int(np.sum(self.ticks_written <= 0))
        if empty:
            parts.append(f"{empty} replicate{'s' if empty > 1 else ''} not started")
        status = {"running": "still running, or killed",
                  "interrupted": "interrupted", "failed": "failed"}.get(self.status, self.status)
        return f"incomplete run (status '{self.status}': {status}): " + "; ".join(parts)

    def usable(self):
        """(replicates, last tick) that statistics use, by the rule of `buurtlab compare`
        (docs/ensembles.md, 'Incomplete files'): the complete replicates up to the last tick;
        without any, the replicates that got beyond the initial state, up to the last tick all of
        them reached. ([], 0) if there is nothing beyond the initial state."""
        T = self.time_points - 1
        done = np.flatnonzero(self.ticks_written >= self.time_points)
        if len(done):
            return [int(r) for r in done], T
        started = np.flatnonzero(self.ticks_written >= 2)
        if not len(started):
            return [], 0
        return [int(r) for r in started], int(np.min(self.ticks_written[started])) - 1

    def time_axis(self):
        """What must agree for two files' statistics to be compared tick by tick."""
        return (self.time_points - 1, str(self.attrs.get("tick_length", "")),
                str(self.attrs["start_date"]))

    def time_axis_text(self):
        ticks, length, start = self.time_axis()
        return f"{ticks} ticks of {length} from {start}"

    def label(self):
        return self.scenario_name

    def scenario(self):
        """The resolved scenario (the scenario_yaml attribute) as the engine reads it: maps,
        lists and every value as the text written (labels.scenario_tree); {} if unreadable."""
        try:
            doc = labels.scenario_tree(self.scenario_yaml)
        except labels.UnreadableScenario:
            return {}
        return doc if isinstance(doc, dict) else {}

    @property
    def scenario_yaml(self):
        return str(self.attrs.get("scenario_yaml") or "")

    def indicator_info(self, name):
        d = self._f[name]
        return (str(_text(d.attrs.get("units", ""))), str(_text(d.attrs.get("long_name", ""))))

    def require_indicator(self, name):
        if name not in self.indicators:
            import difflib
            close = difflib.get_close_matches(name, self.indicators, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ToolError(f"{self.path}: no indicator '{name}'{hint}; this file has "
                            f"{len(self.indicators)}: {name_list(self.indicators, 100)}")

    def place_of(self, code):
        if code not in self.index:
            hint = ""
            lowered = {c.lower(): c for c in self.codes}
            if code.lower() in lowered:
                hint = f" (did you mean {lowered[code.lower()]}?)"
            by_level = "; ".join(f"{lvl}: {name_list([c for c, l in zip(self.codes, self.levels) if l == lvl])}"
                                 for lvl in LEVELS if lvl in self.levels)
            raise ToolError(f"{self.path}: no place with code '{code}'{hint}; places in this "
                            f"file: {by_level}")
        return self.index[code]

    def places_at(self, level):
        return [i for i, lvl in enumerate(self.levels) if lvl == level]

    def read(self, name, places=None):
        """Indicator `name` as an array (replicate, time, place); `places` a list of indices.
        Time points a replicate did not write are NaN, as in the file."""
        self.require_indicator(name)
        d = self._f[name]
        try:
            if places is None:
                values = d[...]
            else:
                # h5py reads a selection of places only in increasing order, without repeats.
                unique = sorted(set(int(p) for p in places))
                block = d[:, :, unique]
                pos = {p: k for k, p in enumerate(unique)}
                values = block[:, :, [pos[int(p)] for p in places]]
        except (OSError, ValueError, MemoryError) as e:
            raise ToolError(f"{self.path}: cannot read indicator '{name}': the file is damaged "
                            f"({e})") from None
        values = np.asarray(values, dtype=np.float64)
        for r, n in enumerate(self.ticks_written):
            values[r, max(int(n), 0):, :] = np.nan
        return values


def open_outputs(paths):
    """Opens every file, reporting the first problem; warns about incomplete runs."""
    outs = []
    try:
        for p in paths:
            out = Output(p)
            outs.append(out)
            note = out.incomplete_note()
            if note:
                warn(f"{p}: {note}; showing what is there")
    except Exception:
        for o in outs:
            o.close()
        raise
    models = {o.model for o in outs}
    if len(models) > 1:
        for o in outs:
            o.close()
        raise ToolError("the files come from different models (" +
                        ", ".join(f"{o.path}: {o.model}" for o in outs) + "); compare runs of one model")
    return outs


def unique_labels(outs):
    """A label for each file, by the rule of `buurtlab compare` (labels.run_labels): the scenario
    name; where files share a name, the values that differ between their scenarios; where they
    are still alike, the file as given."""
    return labels.run_labels([(o.path, o.scenario_name, o.scenario_yaml) for o in outs])
