"""What a benchmark scenario returns: one Result per (scenario, system, setting, metric), holding
every repetition's value; the report turns them into min / median / max tables, CSV and plots."""

import dataclasses
import statistics


@dataclasses.dataclass
class Result:
    scenario: str  # "crash-failover", "manual-failover", "idle-footprint", "false-failovers", "scale"
    system: str  # "hbd", "heartbeat", "keepalived"
    setting: str  # the timing in the operator's words, e.g. "keepalive 100ms / deadtime 1s"
    metric: str  # e.g. "failover_ms", "takeover_overhead_ms", "rss_kb", "cpu_percent"
    unit: str  # "ms", "kB", "%", "count", "packets/s", ...
    values: list  # one number per repetition (or per node); may be empty when a run failed
    note: str = ""  # anything a reader must know (e.g. "2 of 10 runs saw no new holder")

    def minimum(self):
        return min(self.values) if self.values else None

    def median(self):
        return statistics.median(self.values) if self.values else None

    def maximum(self):
        return max(self.values) if self.values else None
