"""Reads a file written by buurtlab_write_sample with xarray (h5netcdf) and h5py.

Usage: test_output_xarray.py FILE

The file layout is described in docs/output.md; the sample's contents in write_sample.cpp (every
value is 1000 * indicator + 100 * replicate + tick + place / 10; replicate 1 stops after tick 12).
Plain asserts, so it runs without pytest; any failure exits non-zero.
"""
import math
import sys
import warnings

import h5py
import numpy as np
import pandas as pd
import xarray as xr

TICKS = 20
LAST_TICK = [TICKS, 12]
CODES = ["GM0001", "WK000101", "BU00010101", "BU00010102"]
NAMES = ["Voorbeeldstad", "Centrum", "Oude Haven", "Zuidoever – Ĳsselkade"]


def expected(indicator, replicate, tick, place):
    if tick > LAST_TICK[replicate]:
        return math.nan
    return 1000.0 * indicator + 100.0 * replicate + tick + place / 10.0


def check_values(array, indicator):
    """array: (replicate, time, place) numpy array of one indicator."""
    assert array.shape == (2, TICKS + 1, 4), array.shape
    for r in range(2):
        for t in range(TICKS + 1):
            for p in range(4):
                want = expected(indicator, r, t, p)
                got = array[r, t, p]
                if math.isnan(want):
                    assert math.isnan(got), (indicator, r, t, p, got)
                else:
                    assert got == want, (indicator, r, t, p, got, want)


def check_xarray(path):
    # Any warning while opening or decoding (unknown dimensions, phony dimensions, undecodable
    # times, fill value trouble) means the file is not the netCDF-4 file it claims to be.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ds = xr.open_dataset(path, engine="h5netcdf")
        ds.load()
    relevant = [w for w in caught
                if not issubclass(w.category, (DeprecationWarning, PendingDeprecationWarning))]
    assert not relevant, [f"{w.category.__name__}: {w.message}" for w in relevant]

    with ds:
        assert dict(ds.sizes) == {"replicate": 2, "time": TICKS + 1, "place": 4}, dict(ds.sizes)
        for name in ("trust", "volunteer_hours"):
            assert ds[name].dims == ("replicate", "time", "place"), ds[name].dims

        # Time decodes to calendar dates: weekly from the start date.
        assert np.issubdtype(ds.time.dtype, np.datetime64), ds.time.dtype
        assert ds.time.values[0] == np.datetime64("2026-01-01"), ds.time.values[0]
        assert ds.time.values[1] == np.datetime64("2026-01-08"), ds.time.values[1]
        assert ds.time.values[-1] == np.datetime64("2026-01-01") + np.timedelta64(7 * TICKS, "D")

        # Indicators with their time axis; NaN where replicate 1 never got to.
        check_values(ds.trust.values, 0)
        check_values(ds.volunteer_hours.values, 1)
        series = ds.trust.sel(replicate=0, place=2).to_series()
        assert isinstance(series.index, pd.DatetimeIndex)
        assert series[pd.Timestamp("2026-01-15")] == expected(0, 0, 2, 2)
        late = ds.trust.sel(replicate=1, time="2026-05-21")
        assert bool(np.isnan(late).all()), late.values

        # Place metadata are coordinates of every indicator, so selections carry them along.
        for coord in ("place_code", "place_name", "place_level", "place_parent",
                      "place_population", "replicate_seed"):
            assert coord in ds.coords, (coord, list(ds.coords))
            assert coord in ds.trust.coords, (coord, list(ds.trust.coords))
        assert list(ds.place_code.values) == CODES, ds.place_code.values
        assert list(ds.place_name.values) == NAMES, ds.place_name.values
        assert list(ds.place_level.values) == ["city", "wijk", "buurt", "buurt"]
        assert list(ds.place_parent.values) == [-1, 0, 1, 1]
        assert list(ds.place_population.values) == [300, 300, 120, 180]
        assert list(ds.replicate_seed.values) == [1111, 2222]
        by_code = ds.trust.swap_dims(place="place_code").sel(place_code="BU00010102", replicate=0)
        assert by_code.sel(time="2026-01-08").item() == expected(0, 0, 1, 3)

        # Attributes.
        assert ds.trust.attrs["units"] == "share (0-1)", ds.trust.attrs
        assert ds.trust.attrs["long_name"] == "Share of residents who trust their neighbours"
        assert ds.volunteer_hours.attrs["units"] == "hours per week"
        assert ds.attrs["scenario_name"] == "sample"
        assert ds.attrs["model"] == "sample_model"
        assert ds.attrs["status"] == "interrupted", ds.attrs["status"]
        assert ds.attrs["complete"] == 0
        assert ds.attrs["start_date"] == "2026-01-01"
        assert ds.attrs["tick_length"] == "1 week"
        assert ds.attrs["seed"] == 42
        assert ds.attrs["replicates"] == 2
        assert ds.attrs["scenario_yaml"].startswith("name: sample\n")
        assert list(ds.ticks_written.values) == [TICKS + 1, 13], ds.ticks_written.values

        # pandas: one replicate as a time x place table, and long format.
        table = ds.trust.sel(replicate=0).to_pandas()
        assert table.shape == (TICKS + 1, 4)
        assert table.iloc[3, 1] == expected(0, 0, 3, 1)
        long = ds[["trust"]].to_dataframe()
        assert len(long) == 2 * (TICKS + 1) * 4


def check_h5py(path):
    with h5py.File(path, "r") as f:
        trust = f["trust"]
        assert trust.shape == (2, TICKS + 1, 4)
        assert trust.dtype == np.float64
        assert trust.chunks == (1, 8, 4), trust.chunks
        assert trust.compression == "gzip" and trust.shuffle
        assert math.isnan(trust.fillvalue)
        assert [d[0].name for d in trust.dims] == ["/replicate", "/time", "/place"]
        check_values(trust[...], 0)
        assert trust.attrs["units"] == "share (0-1)"
        assert f["time"].attrs["units"] == "days since 2026-01-01"
        assert f["time"].attrs["calendar"] == "proleptic_gregorian"
        assert list(f["time"][:]) == [7.0 * t for t in range(TICKS + 1)]
        codes = [c.decode() if isinstance(c, bytes) else c for c in f["place_code"][:]]
        assert codes == CODES, codes
        names = list(f["place_name"].asstr()[:])
        assert names == NAMES, names
        assert list(f["ticks_written"][:]) == [TICKS + 1, 13]
        assert f.attrs["status"] == "interrupted"
        assert f.attrs["complete"] == 0
        assert f.attrs["buurtlab_version"]
        assert f.attrs["git_commit"]
        assert f.attrs["created"].endswith("Z")


def main():
    if len(sys.argv) != 2:
        print("usage: test_output_xarray.py FILE", file=sys.stderr)
        return 2
    check_xarray(sys.argv[1])
    check_h5py(sys.argv[1])
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
