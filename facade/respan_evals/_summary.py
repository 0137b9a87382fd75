"""summarize: pass rates and value statistics of scores per group, streamed in constant memory.

    >>> s = summarize([{"evaluator_slug": "quality", "numerical_value": 4.0, "is_passed": True}])
    >>> s.groups[0].key, s.groups[0].pass_rate, s.groups[0].numbers.mean
    (('quality',), 1.0, 4.0)

Statistics, per group:
- pass rate = passed / (passed + failed) (`is_passed` null or absent counts as unknown), with
  its Wilson 95% score interval;
- numerical / percentage: count, mean and stdev (exact, Welford), min / max (exact), median,
  p10, p90 (linear interpolation) and a histogram of at most 20 equal bins (one bin per integer
  when every value is an integer spanning fewer than 20). Exact while a group has at most
  10,000 values; past that they come from a uniform reservoir sample of 10,000 (seeded, so
  repeatable): a quantile's rank is then off by about 1 percentile point (95%: 1.96 *
  sqrt(0.25 / 10,000)), and histogram counts are the sample's scaled to the group's count;
- boolean: the share of True; single / multi select (and legacy categorical): the count per
  choice (each selected choice of a multi-select counts; past 1,000 distinct choices the rest
  count under "(other)"); text, comment and json: the count only.

A score's value type is inferred: its value field (`score_value_field`), then, for a field
several types share (numerical_value: numerical / percentage; categorical_value: single /
multi select, categorical; string_value: text / comment), the type the score names about
itself (`evaluator.score_value_type`, a `type` that is a value type, a legacy
`human_<type>`), else the first type of `facts.VALUE_TYPES` using that field. A group's
`value_type` is the most common among its scores.

`Summary.compare(baseline)` flags a change as significant when the pass rates differ by a
two-proportion z-test (pooled, two-sided p < 0.05) or the means by Welch's t-test (two-sided
p < 0.05).
"""

from __future__ import annotations

import datetime
import math
import random
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from respan_evals_api import facts

from ._errors import RespanValidationError
from ._score_value import _read, score_value, score_value_field

if TYPE_CHECKING:
    from respan_evals_api.models import Score

__all__ = [
    "BY_FIELDS",
    "Comparison",
    "GroupChange",
    "GroupSummary",
    "NumberStats",
    "Summary",
    "summarize",
]

BY_FIELDS = ("evaluator", "environment", "prompt_version_number", "dataset_id", "day")
EXACT_LIMIT = 10_000  # values a group keeps exactly; past it, a reservoir sample of this size
MAX_CHOICES = 1_000  # distinct choices counted per group; past it, OTHER_CHOICE
OTHER_CHOICE = "(other)"
NO_VALUE = "(none)"  # the key of a score without the `by` field
HISTOGRAM_BINS = 20
Z95 = 1.959963984540054  # the two-sided 95% normal quantile
ALPHA = 0.05
PASS_RATE_METHOD = "pass rate: two-proportion z-test (pooled), two-sided p < 0.05"
MEAN_METHOD = "mean: Welch's t-test, two-sided p < 0.05"

_NUMBER_CHECKS = frozenset({"number", "percentage"})
_CHOICE_CHECKS = frozenset({"single_choice", "multi_choice", "choices", "string_list"})
_LEGACY_PREFIX = "human_"


@dataclass(frozen=True)
class NumberStats:
    """The distribution of a group's numeric values (see the module's text for exactness)."""

    count: int
    mean: float | None
    median: float | None
    p10: float | None
    p90: float | None
    min: float | None
    max: float | None
    histogram: tuple[tuple[float, float, int], ...]  # (low, high, count), at most 20 equal bins
    stdev: float | None = None  # sample standard deviation (n - 1); None below 2 values


@dataclass(frozen=True)
class GroupSummary:
    """One group's counts, pass rate and value statistics."""

    key: tuple[str, ...]
    value_type: str | None
    count: int
    passed: int
    failed: int
    unknown: int
    pass_rate: float | None
    pass_rate_interval: tuple[float, float] | None
    numbers: NumberStats | None
    share_true: float | None
    choices: dict[str, int] | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: tuples as lists."""
        return {
            "key": list(self.key),
            "value_type": self.value_type,
            "count": self.count,
            "passed": self.passed,
            "failed": self.failed,
            "unknown": self.unknown,
            "pass_rate": self.pass_rate,
            "pass_rate_interval": _list_or_none(self.pass_rate_interval),
            "numbers": None if self.numbers is None else _numbers_dict(self.numbers),
            "share_true": self.share_true,
            "choices": None if self.choices is None else dict(self.choices),
        }


@dataclass(frozen=True)
class GroupChange:
    """One group, current against baseline."""

    key: tuple[str, ...]
    current: GroupSummary | None
    baseline: GroupSummary | None
    pass_rate_delta: float | None  # current - baseline, in points of rate (0..1)
    mean_delta: float | None
    significant: bool
    method: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: tuples as lists."""
        return {
            "key": list(self.key),
            "current": None if self.current is None else self.current.to_dict(),
            "baseline": None if self.baseline is None else self.baseline.to_dict(),
            "pass_rate_delta": self.pass_rate_delta,
            "mean_delta": self.mean_delta,
            "significant": self.significant,
            "method": self.method,
        }


@dataclass(frozen=True)
class Comparison:
    """Every group of either summary, current against baseline, sorted by key."""

    groups: tuple[GroupChange, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: tuples as lists."""
        return {"groups": [g.to_dict() for g in self.groups]}


@dataclass(frozen=True)
class Summary:
    """The groups of a summarize, sorted by key."""

    by: tuple[str, ...]
    groups: tuple[GroupSummary, ...]

    def compare(self, baseline: Summary) -> Comparison:
        """Per group, the change from `baseline` and whether it is larger than noise.

        Raises:
            RespanValidationError: the two summaries are grouped by different fields.
        """
        if tuple(baseline.by) != tuple(self.by):
            raise RespanValidationError(
                f"compare needs summaries grouped alike: by={list(self.by)} against "
                f"by={list(baseline.by)}"
            )
        current = {g.key: g for g in self.groups}
        before = {g.key: g for g in baseline.groups}
        keys = sorted(current.keys() | before.keys(), key=_sort_key)
        return Comparison(tuple(_change(k, current.get(k), before.get(k)) for k in keys))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: tuples as lists."""
        return {"by": list(self.by), "groups": [g.to_dict() for g in self.groups]}


def summarize(
    scores: Iterable[Score | Mapping[str, Any]], *, by: Sequence[str] = ("evaluator",)
) -> Summary:
    """Summarise `scores` per group of the `by` fields, reading each score once.

    `by`: any of "evaluator" (evaluator_slug, else evaluator_id), "environment",
    "prompt_version_number", "dataset_id", "day" (created_at's UTC date); () is one group.

    Raises:
        RespanValidationError: an unknown `by` field.
    """
    summarizer = Summarizer(by)
    for score in scores:
        summarizer.add(score)
    return summarizer.result()


class Summarizer:
    """The running state of a summarize: add scores one at a time, then `result()`."""

    def __init__(self, by: Sequence[str] = ("evaluator",)) -> None:
        fields = (by,) if isinstance(by, str) else tuple(by)
        unknown = [f for f in fields if f not in BY_FIELDS]
        if unknown:
            raise RespanValidationError(
                f"unknown by field(s) {unknown}: expected some of {list(BY_FIELDS)}"
            )
        self.by = fields
        self._groups: dict[tuple[str, ...], _Group] = {}
        # Read once a summarize: a test may swap facts.VALUE_TYPES (a spec change, simulated).
        self._types = dict(facts.VALUE_TYPES)
        self._types_of_field: dict[str, list[str]] = {}
        for name, declared in self._types.items():
            self._types_of_field.setdefault(declared.field, []).append(name)

    def add(self, score: Score | Mapping[str, Any]) -> None:
        """Count one score into its group."""
        key = tuple(_key_part(score, f) for f in self.by)
        group = self._groups.get(key)
        if group is None:
            group = self._groups[key] = _Group(seed=len(self._groups))
        value_type = self._value_type(score)
        value = None if value_type is None else score_value(score, value_type=value_type)
        check = None if value_type is None else self._types[value_type].check
        group.add(_read(score, "is_passed"), value_type, check, value)

    def result(self) -> Summary:
        """The summary of every score added so far."""
        keys = sorted(self._groups, key=_sort_key)
        return Summary(self.by, tuple(self._groups[k].summary(k) for k in keys))

    def _value_type(self, score: Score | Mapping[str, Any]) -> str | None:
        value_field = score_value_field(score)
        if value_field is None:
            return None
        candidates = self._types_of_field.get(value_field)
        if not candidates:
            return None
        if len(candidates) > 1:
            for hint in _type_hints(score):
                if hint in candidates:
                    return hint
            raw = _read(score, value_field)
            if isinstance(raw, list | tuple) and len(raw) != 1:  # not one choice: many
                many = [c for c in candidates if self._types[c].check == "multi_choice"]
                if many:
                    return many[0]
        return candidates[0]


def _type_hints(score: Score | Mapping[str, Any]) -> Iterable[str]:
    """The value types a score names about itself, best first."""
    evaluator = _read(score, "evaluator")
    for hint in (_read(evaluator, "score_value_type"), _read(score, "type")):
        if hint is not None:
            name = str(hint)  # a generated StrEnum reads as its value
            yield name.removeprefix(_LEGACY_PREFIX)


@dataclass
class _Group:
    """One group's running counts."""

    seed: int
    count: int = 0
    passed: int = 0
    failed: int = 0
    types: dict[str, int] = field(default_factory=dict)
    checks: dict[str, str] = field(default_factory=dict)  # value type -> its check kind
    numbers: _Numbers | None = None
    booleans: int = 0
    trues: int = 0
    choices: dict[str, int] | None = None

    def add(
        self, is_passed: object, value_type: str | None, check: str | None, value: object
    ) -> None:
        self.count += 1
        if is_passed is True:
            self.passed += 1
        elif is_passed is False:
            self.failed += 1
        if value_type is None:
            return
        self.types[value_type] = self.types.get(value_type, 0) + 1
        if check is not None:
            self.checks[value_type] = check
        if check in _NUMBER_CHECKS:
            if isinstance(value, int | float) and not isinstance(value, bool):
                number = float(value)
                if math.isfinite(number):
                    if self.numbers is None:
                        self.numbers = _Numbers(random.Random(self.seed))
                    self.numbers.add(number)
        elif check == "boolean":
            if isinstance(value, bool):
                self.booleans += 1
                self.trues += value
        elif check in _CHOICE_CHECKS:
            self._add_choices(value)

    def _add_choices(self, value: object) -> None:
        if self.choices is None:
            self.choices = {}
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list | tuple):
            return
        for item in items:
            choice = str(item)
            if choice not in self.choices and len(self.choices) >= MAX_CHOICES:
                choice = OTHER_CHOICE  # a bound on memory for free-form "choices"
            self.choices[choice] = self.choices.get(choice, 0) + 1

    def _value_type(self) -> str | None:
        """The most common value type; a group holding any multi-choice score is multi-choice.

        One-choice lists read as single_select when nothing says otherwise, but a single_select
        evaluator never writes two choices: a group with both kinds is a multi_select one.
        """
        if not self.types:
            return None
        common = max(self.types, key=self.types.__getitem__)
        if self.checks.get(common) == "single_choice":
            many = [t for t, c in self.checks.items() if c in ("multi_choice", "string_list")]
            if many:
                return max(many, key=self.types.__getitem__)
        return common

    def summary(self, key: tuple[str, ...]) -> GroupSummary:
        decided = self.passed + self.failed
        return GroupSummary(
            key=key,
            value_type=self._value_type(),
            count=self.count,
            passed=self.passed,
            failed=self.failed,
            unknown=self.count - decided,
            pass_rate=self.passed / decided if decided else None,
            pass_rate_interval=wilson_interval(self.passed, decided) if decided else None,
            numbers=None if self.numbers is None else self.numbers.stats(),
            share_true=self.trues / self.booleans if self.booleans else None,
            choices=None if self.choices is None else dict(sorted(self.choices.items())),
        )


class _Numbers:
    """Running moments, extremes and a bounded sample of a group's numbers."""

    def __init__(self, rng: random.Random) -> None:
        self.count = 0
        self.mean = 0.0
        self.m2 = 0.0  # Welford: the sum of squared deviations from the mean
        self.low = math.inf
        self.high = -math.inf
        self.integers = True
        self.sample = array("d")  # every value up to EXACT_LIMIT, then a reservoir
        self.rng = rng

    def add(self, x: float) -> None:
        self.count += 1
        delta = x - self.mean
        self.mean += delta / self.count
        self.m2 += delta * (x - self.mean)
        self.low = min(self.low, x)
        self.high = max(self.high, x)
        self.integers = self.integers and x.is_integer()
        if len(self.sample) < EXACT_LIMIT:
            self.sample.append(x)
        else:  # Algorithm R: the sample stays uniform over every value seen
            j = self.rng.randrange(self.count)
            if j < EXACT_LIMIT:
                self.sample[j] = x

    def stats(self) -> NumberStats:
        ordered = sorted(self.sample)
        return NumberStats(
            count=self.count,
            mean=self.mean,
            median=quantile(ordered, 0.5),
            p10=quantile(ordered, 0.1),
            p90=quantile(ordered, 0.9),
            min=self.low,
            max=self.high,
            histogram=self._histogram(ordered),
            stdev=math.sqrt(self.m2 / (self.count - 1)) if self.count > 1 else None,
        )

    def _histogram(self, ordered: list[float]) -> tuple[tuple[float, float, int], ...]:
        low, high = self.low, self.high
        if low == high:
            return ((low, high, self.count),)
        if self.integers and high - low < HISTOGRAM_BINS:
            # Ratings and the like: one bin per integer, centred on it.
            edges = [(v - 0.5, v + 0.5) for v in _frange(low, high)]
            counts = [0] * len(edges)
            for x in ordered:
                counts[int(x - low)] += 1
        else:
            width = (high - low) / HISTOGRAM_BINS
            edges = [
                (low + i * width, high if i == HISTOGRAM_BINS - 1 else low + (i + 1) * width)
                for i in range(HISTOGRAM_BINS)
            ]
            counts = [0] * HISTOGRAM_BINS
            for x in ordered:
                counts[min(int((x - low) / width), HISTOGRAM_BINS - 1)] += 1
        counts = _scaled(counts, self.count)
        return tuple((lo, hi, n) for (lo, hi), n in zip(edges, counts, strict=True))


def wilson_interval(successes: int, trials: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a proportion (95% by default).

    >>> [round(x, 4) for x in wilson_interval(8, 10)]
    [0.4902, 0.9433]
    """
    if trials <= 0:
        raise ValueError("trials must be positive")
    p = successes / trials
    z2 = z * z
    denominator = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def quantile(ordered: Sequence[float], q: float) -> float | None:
    """The q-quantile of sorted values, interpolating linearly between ranks (numpy's default).

    >>> quantile([1.0, 2.0, 3.0, 4.0], 0.5)
    2.5
    """
    if not ordered:
        return None
    position = (len(ordered) - 1) * q
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def two_proportion_p(passed_a: int, n_a: int, passed_b: int, n_b: int) -> float | None:
    """The two-sided p-value of a pooled two-proportion z-test; None without data or spread."""
    if n_a <= 0 or n_b <= 0:
        return None
    pooled = (passed_a + passed_b) / (n_a + n_b)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    if se == 0:  # all pass or all fail on both sides: the rates are equal
        return None
    z = (passed_a / n_a - passed_b / n_b) / se
    return math.erfc(abs(z) / math.sqrt(2))


def welch_p(a: NumberStats, b: NumberStats) -> float | None:
    """The two-sided p-value of Welch's t-test on two groups' means; None below 2 values each."""
    if a.mean is None or b.mean is None or a.stdev is None or b.stdev is None:
        return None
    va, vb = a.stdev**2 / a.count, b.stdev**2 / b.count
    if va + vb == 0:  # no spread on either side: any difference is certain
        return 0.0 if a.mean != b.mean else 1.0
    t = (a.mean - b.mean) / math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va * va / (a.count - 1) + vb * vb / (b.count - 1))
    return t_two_sided_p(t, df)


def t_two_sided_p(t: float, df: float) -> float:
    """P(|T| >= |t|) for Student's t with df degrees of freedom.

    >>> round(t_two_sided_p(2.228, 10), 3)
    0.05
    """
    return _betainc(df / 2, 0.5, df / (df + t * t))


def _change(
    key: tuple[str, ...], current: GroupSummary | None, baseline: GroupSummary | None
) -> GroupChange:
    if current is None or baseline is None:
        where = "the baseline" if current is None else "the current set"
        return GroupChange(
            key=key,
            current=current,
            baseline=baseline,
            pass_rate_delta=None,
            mean_delta=None,
            significant=False,
            method=f"not tested: only in {where}",
        )
    rate_delta = mean_delta = None
    methods: list[str] = []
    significant = False
    if current.pass_rate is not None and baseline.pass_rate is not None:
        rate_delta = current.pass_rate - baseline.pass_rate
        methods.append(PASS_RATE_METHOD)
        p = two_proportion_p(
            current.passed,
            current.passed + current.failed,
            baseline.passed,
            baseline.passed + baseline.failed,
        )
        significant = p is not None and p < ALPHA
    a, b = current.numbers, baseline.numbers
    if a is not None and b is not None and a.mean is not None and b.mean is not None:
        mean_delta = a.mean - b.mean
        methods.append(MEAN_METHOD)
        p = welch_p(a, b)
        significant = significant or (p is not None and p < ALPHA)
    method = "; ".join(methods) or "not tested: no pass rate or mean on both sides"
    return GroupChange(
        key=key,
        current=current,
        baseline=baseline,
        pass_rate_delta=rate_delta,
        mean_delta=mean_delta,
        significant=significant,
        method=method,
    )


def _key_part(score: Score | Mapping[str, Any], name: str) -> str:
    if name == "evaluator":
        value = _read(score, "evaluator_slug") or _read(score, "evaluator_id")
    elif name == "day":
        return _day(_read(score, "created_at"))
    else:
        value = _read(score, name)
    return NO_VALUE if value is None or value == "" else str(value)


def _day(created_at: object) -> str:
    """created_at's UTC date (a naive time is taken as UTC), or NO_VALUE."""
    if isinstance(created_at, str):
        try:
            created_at = datetime.datetime.fromisoformat(created_at)
        except ValueError:
            return NO_VALUE
    if not isinstance(created_at, datetime.datetime):
        return NO_VALUE
    if created_at.tzinfo is not None:
        created_at = created_at.astimezone(datetime.UTC)
    return created_at.date().isoformat()


def _sort_key(key: tuple[str, ...]) -> tuple[tuple[int, int, str], ...]:
    """Numbers in numeric order ("9" before "10"), then text; NO_VALUE last."""
    return tuple(
        (2, 0, part) if part == NO_VALUE else (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in key
    )


def _frange(low: float, high: float) -> list[float]:
    return [low + i for i in range(int(high - low) + 1)]


def _scaled(counts: list[int], total: int) -> list[int]:
    """Counts of a sample scaled to sum to `total` (largest remainder); as given when exact."""
    sampled = sum(counts)
    if sampled == total or sampled == 0:
        return counts
    shares = [c * total / sampled for c in counts]
    scaled = [math.floor(s) for s in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: scaled[i] - shares[i])
    for i in by_remainder[: total - sum(scaled)]:
        scaled[i] += 1
    return scaled


def _betainc(a: float, b: float, x: float) -> float:
    """The regularized incomplete beta function I_x(a, b) (Numerical Recipes, 6.4)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1) / (a + b + 2):
        return front * _beta_fraction(a, b, x) / a
    return 1 - front * _beta_fraction(b, a, 1 - x) / b


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    c, d = 1.0, 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 500):
        m2 = 2 * m
        for aa in (
            m * (b - m) * x / ((a - 1 + m2) * (a + m2)),
            -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1 + m2)),
        ):
            d = 1 + aa * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + aa / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1) < 1e-15:
            break
    return h


def _list_or_none(pair: tuple[float, float] | None) -> list[float] | None:
    return None if pair is None else list(pair)


def _numbers_dict(n: NumberStats) -> dict[str, Any]:
    return {
        "count": n.count,
        "mean": n.mean,
        "median": n.median,
        "p10": n.p10,
        "p90": n.p90,
        "min": n.min,
        "max": n.max,
        "stdev": n.stdev,
        "histogram": [list(b) for b in n.histogram],
    }
