"""Buurtlab from Python: run scenarios, check them and read the models' declarations.

Runs return an :class:`xarray.Dataset` laid out as the output file of ``buurtlab run`` opened with
``xarray.open_dataset(file, engine="h5netcdf")`` (docs/output.md): one variable per indicator with
dimensions ``(replicate, time, place)``, the places and replicate seeds as coordinates, dates on the
time axis and the run's description as attributes. The values are those the command line writes
for the same scenario, overrides and seed, bit for bit, whatever the number of threads.

>>> import buurtlab
>>> ds = buurtlab.run("builtin:default.yaml", set={"duration": "1 year", "spin_up": 0})
>>> ds["community_strength"].isel(place=0).mean("replicate")   # doctest: +SKIP

The reference, with a worked example, is docs/python.md.
"""

import datetime as _datetime
import json as _json
import math as _math
import numbers as _numbers
import os as _os
from collections.abc import Mapping as _Mapping

import numpy as _np

from . import _core

__all__ = [
    "RunError",
    "ScenarioError",
    "__version__",
    "describe",
    "indicators",
    "models",
    "run",
    "scenarios",
    "validate",
]

__version__ = _core.version()
#: The git commit the module was built from (``-dirty`` if modified, ``unknown`` outside git).
__git_commit__ = _core.git_commit()

ScenarioError = _core.ScenarioError
RunError = _core.RunError

DEFAULT_SCENARIO = "builtin:default.yaml"

# The coordinates' and ticks_written's long_name attributes, as the HDF5 writer stores them
# (engine/output/hdf5_writer.cpp); tests/tools/pybuurtlab_test.py holds the two equal.
_LONG_NAMES = {
    "replicate": "replicate number",
    "time": "date of the state after each tick (the first point is the initial state)",
    "place": "place index: the city, then each wijk followed by its buurten",
    "place_code": "place code (CBS code or generated)",
    "place_name": "place name",
    "place_level": "level in the hierarchy: city, wijk or buurt",
    "place_parent": "index of the enclosing place (-1 for the city)",
    "place_population": "residents at the start (sum of children above buurt)",
    "replicate_seed": "seed of the replicate's random streams",
    "ticks_written": "time points written per replicate (time[0:n] holds data; later points are NaN)",
}


def _flow(key, value):
    """A value inside a YAML flow list or map: strings are quoted (JSON is YAML)."""
    if isinstance(value, str):
        return _json.dumps(value, ensure_ascii=False)
    return _yaml_value(key, value)


def _yaml_value(key, value):
    """The YAML text of one override value, as it would follow ``--set KEY=`` on the command line.

    Booleans become ``true``/``false`` (not Python's ``True``), floats their ``repr`` (the
    shortest text that reads back as the same double), strings are passed as written (so
    ``"2 years"`` or ``"2026-01-01"`` mean what they mean in a scenario file), dates their ISO
    text, lists and dicts YAML flow collections.
    """
    if isinstance(value, (bool, _np.bool_)):
        return "true" if value else "false"
    if isinstance(value, _numbers.Integral):
        return str(int(value))
    if isinstance(value, _numbers.Real):
        x = float(value)
        if _math.isnan(x):
            return ".nan"
        if _math.isinf(x):
            return ".inf" if x > 0 else "-.inf"
        return repr(x)
    if isinstance(value, str):
        return value
    if isinstance(value, _datetime.datetime):
        raise TypeError(f"set[{key!r}]: got the date and time {value!r}, expected a date "
                        "(datetime.date) or its text, YYYY-MM-DD")
    if isinstance(value, _datetime.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_flow(key, v) for v in value) + "]"
    if isinstance(value, _Mapping):
        return "{" + ", ".join(f"{_flow(key, str(k))}: {_flow(key, v)}"
                               for k, v in value.items()) + "}"
    raise TypeError(f"set[{key!r}]: got {value!r} of type {type(value).__name__}, expected a "
                    "bool, number, string, date, list or dict")


def _overrides(set, replicates=None, seed=None):
    """The (key, YAML text) pairs of ``set``, then ``replicates`` and ``seed``, which win over a
    ``set`` of the same key as ``--replicates`` and ``--seed`` do on the command line."""
    out = []
    if set is not None:
        if not isinstance(set, _Mapping):
            raise TypeError(f"set: got {type(set).__name__}, expected a dict of dotted keys to "
                            "values, e.g. {'parameters.procurement.tender_interval': 2}")
        for key, value in set.items():
            if not isinstance(key, str):
                raise TypeError(f"set: got the key {key!r}, expected a dotted key (a string) "
                                "such as 'seed' or 'parameters.meeting.rate'")
            out.append((key, _yaml_value(key, value)))
    for name, value, least in (("replicates", replicates, 1), ("seed", seed, 0)):
        if value is None:
            continue
        if isinstance(value, (bool, _np.bool_)) or not isinstance(value, _numbers.Integral) \
                or value < least:
            raise ValueError(f"{name}: got {value!r}, expected "
                             f"{'a positive' if least else 'a non-negative'} integer")
        out.append((name, str(int(value))))
    return out


def _scenario_text(scenario):
    if isinstance(scenario, (str, _os.PathLike)):
        return _os.fspath(scenario)
    raise TypeError(f"scenario: got {type(scenario).__name__}, expected a file path or "
                    "'builtin:NAME'")


def _dataset(raw):
    """The xarray Dataset of a run returned by _core.run, laid out as xarray reads its file."""
    import pandas as pd
    import xarray as xr

    attrs = raw["attrs"]
    R = int(attrs["replicates"])
    P = len(raw["place_code"])
    start = pd.Timestamp(attrs["start_date"])
    times = (start + pd.to_timedelta(raw["time_days"], unit="D")).values

    def coord(dim, values, name):
        return (dim, values, {"long_name": _LONG_NAMES[name]})

    coords = {
        "replicate": coord("replicate", _np.arange(R, dtype=_np.int32), "replicate"),
        "time": coord("time", times, "time"),
        "place": coord("place", _np.arange(P, dtype=_np.int32), "place"),
        "place_code": coord("place", _np.array(raw["place_code"], dtype=object), "place_code"),
        "place_name": coord("place", _np.array(raw["place_name"], dtype=object), "place_name"),
        "place_level": coord("place", _np.array(raw["place_level"], dtype=object), "place_level"),
        "place_parent": coord("place", raw["place_parent"], "place_parent"),
        "place_population": coord("place", raw["place_population"], "place_population"),
        "replicate_seed": coord("replicate", raw["replicate_seed"], "replicate_seed"),
    }
    data = {"ticks_written": ("replicate", raw["ticks_written"],
                              {"long_name": _LONG_NAMES["ticks_written"]})}
    values = raw["values"]
    for i, (name, var_attrs) in enumerate(raw["indicators"]):
        data[name] = (("replicate", "time", "place"), values[i], dict(var_attrs))
    ds = xr.Dataset(data, coords=coords, attrs=dict(attrs))
    # What xarray would use to write the Dataset back to netCDF, as it reads it from the file.
    ds["time"].encoding.update({"units": raw["time_units"], "calendar": "proleptic_gregorian"})
    for name, _ in raw["indicators"]:
        ds[name].encoding["_FillValue"] = _np.nan
    return ds


def run(scenario=DEFAULT_SCENARIO, set=None, replicates=None, seed=None, threads=None,
        output=None, overwrite=False):
    """Run a scenario and return its trajectories.

    The equivalent of ``buurtlab run SCENARIO --set KEY=VALUE ... --replicates N --seed S``:
    the scenario is loaded and checked completely before anything runs, and the values are
    those that command writes to its file, bit for bit.

    Parameters
    ----------
    scenario : str or os.PathLike, default "builtin:default.yaml"
        A scenario file, or ``"builtin:NAME"`` for a built-in one (see :func:`scenarios`).
    set : dict, optional
        Overrides, dotted key to value, as ``--set KEY=VALUE`` on the command line, e.g.
        ``{"parameters.procurement.tender_interval": 2, "duration": "3 years"}``. Values are
        written as YAML scalars: ``True`` as ``true``, floats by their ``repr`` (so they read
        back as the same double), strings as written, dates as ``YYYY-MM-DD``; lists and dicts
        as YAML flow collections.
    replicates : int, optional
        Number of replicates (``--replicates``); wins over ``set["replicates"]``.
    seed : int, optional
        Run seed (``--seed``); wins over ``set["seed"]``.
    threads : int, optional
        Worker threads; by default all hardware threads. ``0`` selects the serial reference
        executor. The results do not depend on it.
    output : str or os.PathLike, optional
        Also write the run to this HDF5 file, exactly as ``buurtlab run -o FILE`` does
        (docs/output.md). Missing folders are created. Without it nothing is written, whatever
        the scenario's ``output.file`` says.
    overwrite : bool, default False
        Replace ``output`` if it exists; otherwise an existing file is refused and left alone.

    Returns
    -------
    xarray.Dataset
        One float64 variable per indicator of the model, dimensions ``(replicate, time, place)``,
        with ``units`` and ``long_name`` attributes; ``ticks_written`` per replicate; coordinates
        ``replicate``, ``time`` (dates), ``place``, ``place_code``, ``place_name``,
        ``place_level``, ``place_parent``, ``place_population`` and ``replicate_seed``; the
        attributes of the file (``scenario_name``, ``model``, ``seed``, ``buurtlab_version``,
        ``scenario_yaml``, ``status``, the spin-up check, ...). NaN means no value.

    Raises
    ------
    ScenarioError
        The scenario or an override is invalid (every problem, as ``file:line:column: key: got
        VALUE, expected ...``; the exception's ``errors`` lists them).
    FileExistsError
        ``output`` exists and ``overwrite`` is false.
    RunError
        The run failed (the file, if any, is then marked ``failed``).
    KeyboardInterrupt
        Ctrl-C: the run stops after the current tick of each replicate in flight; a file given as
        ``output`` is kept, marked ``interrupted``.
    TypeError, ValueError
        An argument of the wrong kind (a ``set`` value that has no YAML form, ``threads < 0``).

    Examples
    --------
    >>> ds = buurtlab.run("builtin:baseline.yaml", replicates=2,
    ...                   set={"duration": "2 years", "spin_up": 0})     # doctest: +SKIP
    >>> ds["community_strength"].sel(place=0).mean("replicate").to_pandas()   # doctest: +SKIP
    """
    sets = _overrides(set, replicates, seed)
    if threads is not None and (isinstance(threads, (bool, _np.bool_))
                                or not isinstance(threads, _numbers.Integral)):
        raise TypeError(f"threads: got {threads!r}, expected an integer (0 for the serial "
                        "reference executor) or None for all hardware threads")
    out = None if output is None else _os.fspath(output)
    raw = _core.run(_scenario_text(scenario), sets, None if threads is None else int(threads),
                    out, bool(overwrite))
    return _dataset(raw)


def validate(scenario, set=None):
    """Load and check a scenario without running it; ``buurtlab validate``.

    Parameters
    ----------
    scenario : str or os.PathLike
        A scenario file, or ``"builtin:NAME"``.
    set : dict, optional
        Overrides, dotted key to value, as for :func:`run`.

    Returns
    -------
    dict
        ``name``, ``description``, ``model``, ``source_file``, ``start`` and ``end`` (ISO
        dates), ``duration``, ``tick`` (its length), ``ticks``, ``spin_up`` (``"none"`` without
        one) and ``spin_up_ticks``, ``replicates``, ``seed``, ``places`` (all of them, the city
        included), ``wijken``, ``buurten``, ``residents``, ``events`` (timeline entries),
        ``changed_parameters`` (names whose value differs from the default), ``output_file``
        and ``scenario_yaml`` (the resolved scenario, as a run stores it).

    Raises
    ------
    ScenarioError
        With every problem found, in the command line's words.
    """
    return _core.validate(_scenario_text(scenario), _overrides(set))


def models():
    """The built-in models.

    Returns
    -------
    dict
        Model name to its one-line description, e.g. ``{"neighbourhood": "...", ...}``.
    """
    return _core.models()


def scenarios():
    """The scenarios compiled into the module, as ``buurtlab scenarios`` lists them.

    Returns
    -------
    list of str
        Names to pass to :func:`run` as they are, e.g. ``"builtin:baseline.yaml"``. A few are
        bases meant for ``extends`` and do not run on their own.
    """
    return _core.scenarios()


def describe(model="neighbourhood", which="parameters"):
    """A model's declarations as a table; ``buurtlab describe MODEL``.

    Parameters
    ----------
    model : str, default "neighbourhood"
        A model name (see :func:`models`).
    which : {"parameters", "place_attributes", "hooks"}, default "parameters"
        The model's parameters, its place attributes (set per city, wijk or buurt), or its policy
        hooks (called from a scenario's timeline).

    Returns
    -------
    pandas.DataFrame
        For parameters and place attributes one row each, in declaration order, with columns
        ``name`` (dotted, as in ``set``), ``type`` (real, integer, boolean or choice), ``unit``,
        ``default`` (a float, int, bool or choice name), ``default_text`` (as written in a
        scenario), ``range`` (as text), ``min`` and ``max`` (NaN for booleans and choices),
        ``choices``, ``description`` and ``source`` (a citation, or "assumption"). For hooks one
        row per hook: ``name``, ``description`` and ``arguments`` (a list of dicts with the
        columns above). ``DataFrame.attrs`` holds the model's ``model`` and ``description``.

    Raises
    ------
    ValueError
        An unknown model (the message lists the known ones) or ``which``.

    Examples
    --------
    >>> p = buurtlab.describe("neighbourhood").set_index("name")     # doctest: +SKIP
    >>> p.loc["procurement.tender_interval", ["unit", "default", "range"]]  # doctest: +SKIP
    """
    import pandas as pd

    kinds = ("parameters", "place_attributes", "hooks")
    if which not in kinds:
        raise ValueError(f"which: got {which!r}, expected one of {', '.join(kinds)}")
    info = _core.describe(model)
    columns = {
        "hooks": ["name", "description", "arguments"],
    }.get(which, ["name", "type", "unit", "default", "default_text", "range", "min", "max",
                  "choices", "description", "source"])
    df = pd.DataFrame(info[which], columns=columns)
    df.attrs.update(model=info["name"], description=info["description"])
    return df


def indicators(model="neighbourhood"):
    """A model's indicators: what every run's Dataset holds, one variable each.

    Parameters
    ----------
    model : str, default "neighbourhood"
        A model name (see :func:`models`).

    Returns
    -------
    pandas.DataFrame
        One row per indicator, in the order of the output, with columns ``name``, ``unit``,
        ``description`` and ``summary`` (True for those the end-of-run summary of ``buurtlab
        run`` shows and the spin-up's settle check watches).

    Raises
    ------
    ValueError
        An unknown model.
    """
    import pandas as pd

    info = _core.describe(model)
    df = pd.DataFrame(info["indicators"], columns=["name", "unit", "description"])
    df["summary"] = df["name"].isin(info["summary_indicators"])
    df.attrs.update(model=info["name"], description=info["description"])
    return df
