"""Labels that tell runs apart in charts and tables, by the rule of `buurtlab compare`
(tools/buurtlab/run_labels.cpp; docs/ensembles.md, "Labels"): the points of one sweep share a
scenario name, so the name alone does not say which line or row is which.

The rule is written twice, in C++ for compare and here for plot and report; a test runs compare
and this module on the same files and requires the same labels (tests/tools/ensembles_test.py).
So the scenario is read here as the engine reads it (engine/scenario/tree.cpp), not as Python
values: every scalar stays the text it was written as ("0.30" is not 0.3, "2026-06-01" not a
date), and a plain `~`, `null`, `Null`, `NULL` or nothing is null.
"""

# How many differing values a label shows before it counts the rest (kMaxLabelValues).
MAX_LABEL_VALUES = 4

# Sections that differ between runs without changing what is simulated.
IGNORED = ("name", "description", "output")

_NULL_TEXTS = ("", "~", "null", "Null", "NULL")
_NULL_TAG = "tag:yaml.org,2002:null"


class UnreadableScenario(ValueError):
    pass


def _tree(node):
    import yaml

    if isinstance(node, yaml.ScalarNode):
        # Only a plain scalar without a tag of its own can be null; quoted and block scalars are
        # always text.
        if node.style is None and node.value in _NULL_TEXTS and node.tag == _NULL_TAG:
            return None
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_tree(item) for item in node.value]
    out = {}
    for k, v in node.value:
        # As the engine: keys are names (plain or quoted text), each given once.
        if not isinstance(k, yaml.ScalarNode) or (k.style is None and k.value in _NULL_TEXTS):
            raise UnreadableScenario("a complex key")
        if k.value in out:
            raise UnreadableScenario(f"duplicate key {k.value}")
        out[k.value] = _tree(v)
    return out


def scenario_tree(text):
    """A scenario's YAML text as the engine reads it: maps as dicts in the order written, lists,
    scalars as their text, null as None; an empty document is an empty map. Raises
    UnreadableScenario for text the engine would refuse to read."""
    import yaml

    try:
        # Only the first document counts, as for the engine's reader.
        for doc in yaml.compose_all(text, Loader=yaml.SafeLoader):
            tree = _tree(doc) if doc is not None else None
            break
        else:
            tree = None
    except yaml.YAMLError as e:
        raise UnreadableScenario(str(e)) from None
    return {} if tree is None else tree


def scenario_values(tree):
    """[(key, value)] of every leaf of a scenario tree, keys named as --set names them
    ("parameters.meet_rate", "timeline.0.at"), values as text; null as "~", an empty list as
    "[]", an empty map as "{}" (scenario_values in engine/scenario/loader.cpp)."""
    out = []

    def walk(node, key):
        prefix = key + "." if key else ""
        if node is None:
            out.append((key, "~"))
        elif isinstance(node, list):
            if not node:
                out.append((key, "[]"))
            for i, item in enumerate(node):
                walk(item, f"{prefix}{i}")
        elif isinstance(node, dict):
            if not node and key:
                out.append((key, "{}"))
            for k, v in node.items():
                walk(v, prefix + k)
        else:
            out.append((key, node))

    walk(tree, "")
    return out


def ignored(key):
    return any(key == s or key.startswith(s + ".") for s in IGNORED)


def _values_of(yaml_text):
    """{key: value} and the keys in the order written; nothing for an unreadable scenario, whose
    values then show as "(none)" against readable peers, and which its file tells apart from
    another unreadable one."""
    try:
        pairs = [(k, v) for k, v in scenario_values(scenario_tree(yaml_text)) if not ignored(k)]
    except UnreadableScenario:
        return {}, []
    by_key = {}
    for k, v in pairs:
        by_key.setdefault(k, v)
    return by_key, [k for k, _ in pairs]


def _is_index(part):
    return bool(part) and all("0" <= c <= "9" for c in part)


def _endings(key):
    """The dotted endings of a key that may name it, shortest first, the whole key last; an ending
    never starts at or right after a list index ("timeline.1.at" has no shorter name)."""
    parts = key.split(".")
    out = []
    for first in range(len(parts) - 1, -1, -1):
        if first > 0 and (_is_index(parts[first]) or _is_index(parts[first - 1])):
            continue
        out.append(".".join(parts[first:]))
    return out


def short_names(keys):
    """Each key by its shortest ending that no other key has among its endings (as
    run_labels.cpp's short_names)."""
    all_endings = [_endings(k) for k in keys]
    out = []
    for i, key in enumerate(keys):
        name = key
        for e in all_endings[i]:
            if not any(j != i and e in all_endings[j] for j in range(len(keys))):
                name = e
                break
        out.append(name)
    return out


def run_labels(runs):
    """One label per run; `runs` is a list of (file, scenario name, scenario YAML text). A run
    whose scenario name no other run has is labelled by the name. Runs that share a name get the
    name followed by the values of their resolved scenarios that differ between them, each named
    by the shortest ending of its --set key that no other differing key shares (short_names):
    "baseline [meet_rate=20, seed=3]" (at most MAX_LABEL_VALUES, then "+N more"; name,
    description and output are left out). Runs that are still alike after
    that get their file added, as given: "baseline (out/b.h5)"."""
    labels = [name for _, name, _ in runs]
    groups = {}
    for i, (_, name, _) in enumerate(runs):
        groups.setdefault(name, []).append(i)
    for name, group in groups.items():
        if len(group) < 2:
            continue
        values = [_values_of(runs[i][2]) for i in group]
        # The keys whose value is not the same in every run of the group, in the order first
        # written.
        differing, seen = [], set()
        for _, order in values:
            for key in order:
                if key in seen:
                    continue
                seen.add(key)
                if len({by_key.get(key) for by_key, _ in values}) > 1:
                    differing.append(key)
        if not differing:
            continue
        names = short_names(differing)
        for g, i in enumerate(group):
            by_key = values[g][0]
            shown = [f"{n}={by_key.get(k, '(none)')}"
                     for n, k in zip(names[:MAX_LABEL_VALUES], differing[:MAX_LABEL_VALUES])]
            if len(differing) > MAX_LABEL_VALUES:
                shown.append(f"+{len(differing) - MAX_LABEL_VALUES} more")
            labels[i] += " [" + ", ".join(shown) + "]"
    # Alike runs (the same scenario twice, or values past the ones shown): the file tells them
    # apart.
    before = list(labels)
    return [lb + f" ({runs[i][0]})" if before.count(lb) > 1 else lb for i, lb in enumerate(before)]
