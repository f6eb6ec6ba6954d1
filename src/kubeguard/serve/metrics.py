"""Counters and histograms in the Prometheus text exposition format (version 0.0.4), shared by the
worker processes of one server.

A server with ``--workers N`` is N processes behind one socket, and a scrape of ``/metrics`` reaches
whichever of them accepts it; each answering with its own counts would make every counter jump
back and forth. So each worker publishes its samples into a slot of a shared memory area (made by
the runner before it forks the workers) about once a second, and a scrape sums every slot, the
answering worker's own live values in place of its slot. A worker that is replaced starts from what
its predecessor published, so counters do not fall back (a scrape may lag the others by the
publication interval, which is far below Prometheus' scrape interval).

Each slot is written with a sequence counter (odd while writing), so a reader never takes a
half-written snapshot: it reads again instead.
"""

from __future__ import annotations

import json
import math
import mmap
import struct
from collections.abc import Iterable, Sequence

#: Latency buckets in seconds, from 1 ms to 10 s.
LATENCY_BUCKETS: tuple[float, ...] = (
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
    2.5,
    5.0,
    10.0,
)

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _help(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def _number(value: float) -> str:
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _labels(names: Sequence[str], values: Sequence[str]) -> str:
    if not names:
        return ""
    return "{" + ",".join(f'{n}="{_escape(v)}"' for n, v in zip(names, values, strict=True)) + "}"


class _Metric:
    kind = ""

    def __init__(self, name: str, help_text: str, labels: Sequence[str]) -> None:
        self.name = name
        self.help = help_text
        self.label_names = tuple(labels)
        # sample line without its value -> value, in exposition order
        self.samples: dict[str, float] = {}

    def _values(self, labels: dict[str, str]) -> tuple[str, ...]:
        if labels.keys() != set(self.label_names):
            raise ValueError(f"{self.name} takes the labels {self.label_names}, not {tuple(labels)}")
        return tuple(str(labels[n]) for n in self.label_names)


class Counter(_Metric):
    """A count that only goes up; ``inc(decision="allow")`` with the labels it was declared with."""

    kind = "counter"

    def __init__(self, name: str, help_text: str, labels: Sequence[str] = ()) -> None:
        super().__init__(name, help_text, labels)
        self._keys: dict[tuple[str, ...], str] = {}
        if not self.label_names:
            self.samples[name] = 0.0

    def inc(self, amount: float = 1.0, **labels: str) -> None:
        if amount < 0:
            raise ValueError("a counter only goes up")
        values = self._values(labels)
        key = self._keys.get(values)
        if key is None:
            key = self._keys[values] = self.name + _labels(self.label_names, values)
        self.samples[key] = self.samples.get(key, 0.0) + amount


class Histogram(_Metric):
    """Observations counted into cumulative buckets (``le``), with their sum and count."""

    kind = "histogram"

    def __init__(
        self,
        name: str,
        help_text: str,
        labels: Sequence[str] = (),
        buckets: Iterable[float] = LATENCY_BUCKETS,
    ) -> None:
        super().__init__(name, help_text, labels)
        self.buckets = (*tuple(sorted(set(buckets))), math.inf)
        self._keys: dict[tuple[str, ...], tuple[list[str], str, str]] = {}

    def _series(self, values: tuple[str, ...]) -> tuple[list[str], str, str]:
        series = self._keys.get(values)
        if series is None:
            names = (*self.label_names, "le")
            buckets = [f"{self.name}_bucket{_labels(names, (*values, _number(b)))}" for b in self.buckets]
            plain = _labels(self.label_names, values)
            series = self._keys[values] = (buckets, f"{self.name}_sum{plain}", f"{self.name}_count{plain}")
            for key in (*buckets, series[1], series[2]):  # every bucket shown, in order, from the first
                self.samples.setdefault(key, 0.0)
        return series

    def observe(self, value: float, **labels: str) -> None:
        buckets, sum_key, count_key = self._series(self._values(labels))
        samples = self.samples
        for bound, key in zip(self.buckets, buckets, strict=True):
            if value <= bound:
                samples[key] += 1
        samples[sum_key] += value
        samples[count_key] += 1


class SharedSlots:
    """One shared memory area with a slot per worker; make it before forking the workers."""

    _HEAD = struct.Struct("<QI")  # sequence number (odd while writing), length of the JSON

    def __init__(self, count: int, slot_size: int = 1 << 20) -> None:
        self.count = count
        self.slot_size = slot_size
        self._area = mmap.mmap(-1, count * slot_size)  # anonymous and shared: forked workers see it

    def write(self, index: int, payload: bytes) -> bool:
        """Put ``payload`` into slot ``index``; ``False`` (nothing written) when it does not fit."""
        if len(payload) > self.slot_size - self._HEAD.size:
            return False
        base = index * self.slot_size
        sequence, _ = self._HEAD.unpack_from(self._area, base)
        self._HEAD.pack_into(self._area, base, sequence + 1, 0)
        self._area[base + self._HEAD.size : base + self._HEAD.size + len(payload)] = payload
        self._HEAD.pack_into(self._area, base, sequence + 2, len(payload))
        return True

    def read(self, index: int) -> bytes:
        base = index * self.slot_size
        while True:
            before, length = self._HEAD.unpack_from(self._area, base)
            if before % 2:
                continue
            payload = self._area[base + self._HEAD.size : base + self._HEAD.size + length]
            after, _ = self._HEAD.unpack_from(self._area, base)
            if after == before:
                return payload


class Metrics:
    """A set of metrics, rendered together by :meth:`render`."""

    def __init__(self) -> None:
        self._metrics: dict[str, _Metric] = {}
        self._slots: SharedSlots | None = None
        self._index = 0
        self._published: bytes = b""

    def _add(self, metric: _Metric) -> None:
        if metric.name in self._metrics:
            raise ValueError(f"metric {metric.name} is already defined")
        self._metrics[metric.name] = metric

    def counter(self, name: str, help_text: str, labels: Sequence[str] = ()) -> Counter:
        counter = Counter(name, help_text, labels)
        self._add(counter)
        return counter

    def histogram(
        self,
        name: str,
        help_text: str,
        labels: Sequence[str] = (),
        buckets: Iterable[float] = LATENCY_BUCKETS,
    ) -> Histogram:
        histogram = Histogram(name, help_text, labels, buckets)
        self._add(histogram)
        return histogram

    # --- sharing between worker processes (the runner calls these) ---

    def share(self, slots: SharedSlots, index: int) -> None:
        """Publish into ``slots[index]`` from now on, continuing from what was published there."""
        self._slots, self._index = slots, index
        for name, samples in self._decode(slots.read(index)).items():
            metric = self._metrics.get(name)
            if metric is not None:
                for key, value in samples.items():
                    metric.samples[key] = metric.samples.get(key, 0.0) + value

    def publish(self) -> None:
        """Write this worker's samples into its slot (when they changed since the last time)."""
        if self._slots is None:
            return
        payload = json.dumps({m.name: m.samples for m in self._metrics.values()}).encode()
        if payload != self._published and self._slots.write(self._index, payload):
            self._published = payload

    @staticmethod
    def _decode(payload: bytes) -> dict[str, dict[str, float]]:
        if not payload:
            return {}
        decoded: dict[str, dict[str, float]] = json.loads(payload)
        return decoded

    def render(self) -> str:
        """Every metric in the text exposition format, summed over all workers."""
        others: list[dict[str, dict[str, float]]] = []
        if self._slots is not None:
            others = [self._decode(self._slots.read(i)) for i in range(self._slots.count) if i != self._index]
        lines: list[str] = []
        for metric in self._metrics.values():
            samples = dict(metric.samples)
            for other in others:
                for key, value in other.get(metric.name, {}).items():
                    samples[key] = samples.get(key, 0.0) + value
            lines.append(f"# HELP {metric.name} {_help(metric.help)}")
            lines.append(f"# TYPE {metric.name} {metric.kind}")
            lines.extend(f"{key} {_number(value)}" for key, value in samples.items())
        return "\n".join(lines) + "\n"
