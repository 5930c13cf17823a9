"""What one mutation run found, in the same shape for every tool."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Mutant:
    file: str  # relative to the generated project
    line: int  # 1-based, in the original (unmutated) file; 0 when the tool does not say
    change: str  # what the tool changed, in its own words (mutator name, or the diff's one line)
    status: str  # "killed" | "survived" | "no coverage" | "timeout" | "error"


@dataclass
class Report:
    stack: str
    tool: str  # name and version
    mutants: list[Mutant] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, *statuses: str) -> int:
        return sum(m.status in statuses for m in self.mutants)

    @property
    def kill_rate(self) -> float:
        """Killed (a timeout counts: the mutant made the suite hang) over every mutant that ran."""
        judged = [m for m in self.mutants if m.status != "error"]
        return sum(m.status in ("killed", "timeout") for m in judged) / len(judged) if judged else 0.0
