"""Calibration targets: reading the targets file (tools/python/calibration_targets.yaml is the
neighbourhood model's Dutch list) and the loss that `buurtlab calibrate` minimises.

Only PyYAML is needed here, so that tests/validation/calibration.py can read the same file on a
machine with numpy and PyYAML but nothing else.

The loss (docs/calibration.md, "Search"): for a target with range [lo, hi] and a model value v,

    d = max(lo - v, 0, v - hi) / (hi - lo)

is 0 inside the range and grows linearly with the distance outside it, in units of the range's
width, so that targets in percent and in hours weigh alike. A point's loss is the sum of d^2 over
the targets: squaring makes one far-off target cost more than several near misses, which is what
a fit to all targets needs. An undefined value (NaN) is an infinite distance: it cannot fit.
"""

import difflib
import math
import os

DEFAULT_FILE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                            "calibration_targets.yaml")
FORMATS = ("percent", "number")
REQUIRED = ("indicator", "label", "range")
OPTIONAL = ("source_value", "source", "drift_band", "format", "window")


class TargetError(Exception):
    """A problem in a targets file; the message names the file, line and column."""


class Target:
    def __init__(self, indicator, label, lo, hi, band=None, source_value="", source="",
                 fmt="number", window=None):
        self.indicator, self.label = indicator, label
        self.lo, self.hi = float(lo), float(hi)
        self.band = tuple(band) if band else None
        self.source_value, self.source, self.format = source_value, source, fmt
        self.window = tuple(window) if window else None

    @property
    def range(self):
        return (self.lo, self.hi)

    def show(self, v):
        """A value as the reports print it: a share in percent, anything else as a number."""
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return "n/a"
        if self.format == "percent":
            return f"{100 * v:.1f}%"
        return f"{v:.3g}" if abs(v) < 100 else f"{v:.1f}"

    def show_range(self):
        if self.format == "percent":
            return f"{100 * self.lo:.1f}-{100 * self.hi:.1f}%"
        return f"{self.lo:g}-{self.hi:g}"

    def distance(self, v):
        return distance(v, self.lo, self.hi)


def distance(v, lo, hi):
    """Distance of v outside [lo, hi] in units of the range's width: 0 inside, inf for NaN."""
    if v is None or math.isnan(v):
        return math.inf
    return max(lo - v, 0.0, v - hi) / (hi - lo)


def loss(values, targets):
    """Sum over the targets of distance^2; values: one number per target, in order."""
    return sum(t.distance(v) ** 2 for t, v in zip(targets, values))


def centre_offset(values, targets):
    """Sum over the targets of ((v - middle of the range) / width)^2: how far inside its ranges
    a point lies. It orders points of equal loss (several inside every range), preferring the
    one least likely to leave a range when replicates or the model change."""
    total = 0.0
    for t, v in zip(targets, values):
        if v is None or math.isnan(v):
            return math.inf
        total += ((v - 0.5 * (t.lo + t.hi)) / (t.hi - t.lo)) ** 2
    return total


# ------------------------------------------------------------------------------------------------
# Reading the file, with line and column in every message

def _where(path, node):
    return f"{path}:{node.start_mark.line + 1}:{node.start_mark.column + 1}"


def _scalar(node):
    import yaml

    if not isinstance(node, yaml.ScalarNode):
        return None
    return yaml.safe_load(yaml.serialize(node))


def _pair(path, key, node, problems):
    """[a, b] with two numbers a < b, else None (and a problem)."""
    import yaml

    got = None
    if isinstance(node, yaml.SequenceNode) and len(node.value) == 2:
        a, b = (_scalar(x) for x in node.value)
        if all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in (a, b)):
            if math.isfinite(a) and math.isfinite(b) and a < b:
                return (float(a), float(b))
        got = f"[{a}, {b}]"
    problems.append(f"{_where(path, node)}: {key}: got {got or _show_node(node)}, "
                    "expected [low, high], two numbers with low < high")
    return None


def _show_node(node):
    import yaml

    if isinstance(node, yaml.ScalarNode):
        return repr(node.value) if node.value else "nothing"
    return "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"


def load(path=None):
    """Reads a targets file; returns (model or None, [Target]). Raises TargetError listing every
    problem, each as FILE:LINE:COLUMN: KEY: got ..., expected ..."""
    import yaml

    path = path or DEFAULT_FILE
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise TargetError(f"{path}: cannot read the targets file: {e.strerror}") from None
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        at = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else path
        raise TargetError(f"{at}: not valid YAML: {getattr(e, 'problem', e)}") from None
    problems = []
    if not isinstance(root, yaml.MappingNode):
        raise TargetError(f"{path}: expected a mapping with 'targets:' (and optionally 'model:')")
    top = {k.value: (k, v) for k, v in root.value}
    for name, (k, _) in top.items():
        if name not in ("model", "targets"):
            problems.append(f"{_where(path, k)}: {name}: unknown key, expected model or targets")
    model = _scalar(top["model"][1]) if "model" in top else None
    if "targets" not in top or not isinstance(top["targets"][1], yaml.SequenceNode) \
            or not top["targets"][1].value:
        node = top["targets"][1] if "targets" in top else root
        problems.append(f"{_where(path, node)}: targets: expected a list of targets")
        raise TargetError("\n".join(problems))
    out, seen = [], {}
    for i, item in enumerate(top["targets"][1].value):
        key0 = f"targets[{i}]"
        if not isinstance(item, yaml.MappingNode):
            problems.append(f"{_where(path, item)}: {key0}: got {_show_node(item)}, "
                            "expected a mapping with " + ", ".join(REQUIRED))
            continue
        fields = {}
        for k, v in item.value:
            name = k.value
            if name not in REQUIRED + OPTIONAL:
                close = difflib.get_close_matches(name, REQUIRED + OPTIONAL, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else \
                    " (known: " + ", ".join(REQUIRED + OPTIONAL) + ")"
                problems.append(f"{_where(path, k)}: {key0}.{name}: unknown key{hint}")
                continue
            fields[name] = v
        missing = [r for r in REQUIRED if r not in fields]
        if missing:
            problems.append(f"{_where(path, item)}: {key0}: missing " + ", ".join(missing))
            continue
        ind = _scalar(fields["indicator"])
        if not isinstance(ind, str) or not ind:
            problems.append(f"{_where(path, fields['indicator'])}: {key0}.indicator: got "
                            f"{_show_node(fields['indicator'])}, expected an indicator name")
            continue
        key = f"{key0}({ind})"
        if ind in seen:
            problems.append(f"{_where(path, fields['indicator'])}: {key}: the indicator is "
                            f"already a target (targets[{seen[ind]}]); give it once")
        seen.setdefault(ind, i)
        rng = _pair(path, f"{key}.range", fields["range"], problems)
        band = _pair(path, f"{key}.drift_band", fields["drift_band"], problems) \
            if "drift_band" in fields else None
        if rng and band and not (band[0] <= rng[0] and rng[1] <= band[1]):
            problems.append(f"{_where(path, fields['drift_band'])}: {key}.drift_band: got "
                            f"[{band[0]:g}, {band[1]:g}], expected a band that contains the range "
                            f"[{rng[0]:g}, {rng[1]:g}]")
        window = _pair(path, f"{key}.window", fields["window"], problems) \
            if "window" in fields else None
        if window and window[0] < 0:
            problems.append(f"{_where(path, fields['window'])}: {key}.window: got "
                            f"[{window[0]:g}, {window[1]:g}], expected years since the start (>= 0)")
        fmt = _scalar(fields["format"]) if "format" in fields else "number"
        if fmt not in FORMATS:
            problems.append(f"{_where(path, fields['format'])}: {key}.format: got {fmt!r}, "
                            "expected " + " or ".join(FORMATS))
        texts = {}
        for name in ("label", "source_value", "source"):
            v = _scalar(fields[name]) if name in fields else ""
            texts[name] = "" if v is None else str(v)
        if rng:
            out.append(Target(ind, texts["label"], rng[0], rng[1], band, texts["source_value"],
                              texts["source"], fmt, window))
    if problems:
        raise TargetError("\n".join(problems))
    return (str(model) if model is not None else None), out
