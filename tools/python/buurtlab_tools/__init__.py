"""Python tools that read Buurtlab output files: `buurtlab plot` and `buurtlab report`.

The package is run through tools/python/buurtlab_tool.py, which the `buurtlab` program starts for
its `plot` and `report` commands. The modules:

    results  open and check an output file, select indicators and places, report problems
    stats    replicate statistics: Student-t intervals of means, Welch intervals of differences
    charts   the shared drawing code (replicate median with a 5-95% band)
    plot     the `plot` command
    report   the `report` command
"""
