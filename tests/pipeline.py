"""Runs a generated project's CI pipeline on this machine, as the CI service would.

`run_github(runner)` reads the project's .github/workflows/tests.yml, `run_gitlab(runner)` its
.gitlab-ci.yml (`only=` picks jobs, which then use the artifacts earlier runs left). Jobs run one after another in dependency order (a matrix or `parallel:` job
once per instance), each in a fresh copy of the project at the same path (a CI checkout), with
the job's environment; the service URLs in it are pointed at the local services. Shell steps
run with bash -eo pipefail, as both services run them. Steps that only use an action are
listed as skipped (the toolchain is this machine's), except checkout (the fresh copy) and the
artifact actions, whose files are carried between jobs as GitLab's `artifacts:`/`needs:` are.
GitLab's `cache:` is kept between jobs and runs, keyed as GitLab keys it.

An install command named in `Runner.installs` (npm ci: ~20 s of unpacking, uv sync: bytecode
compiled again by every job's first import) runs for real the first time it meets a lockfile;
later jobs with the same command and the same lockfile get the folder it filled back (Python's
with its bytecode compiled), as CI's dependency caches give it, and say so. Jobs run in a
workspace at one path per process, so a virtualenv's absolute paths stay right.

A job whose inputs are exactly an earlier job's (the same definition, instance and service
URLs, the same files, the same artifacts at hand) would do the same again: it is replayed,
artifacts included, and says so. Prose, Copier's answers and the CI file itself are read by no
job (the CI file counts through the job's definition), so they are left out of that comparison:
a one-job and a sharded pipeline share their lint and unit jobs.
"""

import copy
import fnmatch
import hashlib
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tests.helpers import WORKER

# Variables of the machine that would leak into a job and change what its tools do.
_MACHINE_ONLY = ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "NODE_OPTIONS", "PYTHONDONTWRITEBYTECODE", "JEST_WORKER_ID")
_GITLAB_GLOBAL_KEYS = {"stages", "workflow", "variables", "default", "include", "image", "services", "cache"}
_DEFAULTABLE = ("image", "before_script", "after_script", "cache", "timeout", "interruptible")
# Read by no job: left out when deciding whether a job already ran on the same inputs.
_NOT_READ_BY_JOBS = {"README.md", ".copier-answers.yml", ".gitlab-ci.yml", ".github/workflows/tests.yml"}


@dataclass
class Step:
    name: str
    status: str  # passed, failed, skipped, emulated, not run
    detail: str = ""
    output: str = ""


@dataclass
class Job:
    name: str  # with its instance: "integration 2/3"
    definition: str  # its key in the CI file
    steps: list[Step] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    coverage: str | None = None  # GitLab: what the job's `coverage:` pattern found in its log
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return all(step.status != "failed" for step in self.steps) and any(s.status == "passed" for s in self.steps)

    @property
    def output(self) -> str:
        return "\n".join(step.output for step in self.steps)


@dataclass
class Pipeline:
    provider: str
    jobs: list[Job]
    artifacts: Path

    @property
    def passed(self) -> bool:
        return all(job.passed for job in self.jobs)

    def instances(self, definition: str) -> list[Job]:
        return [job for job in self.jobs if job.definition == definition]

    def report(self) -> str:
        """Each job and step with what happened to it: the test prints this."""
        lines = [f"{self.provider} pipeline: {'passed' if self.passed else 'FAILED'}"]
        for job in self.jobs:
            status = "passed" if job.passed else "FAILED"
            lines.append(f"  {job.name}: {status} ({job.seconds:.1f} s)")
            lines += [f"    - {s.name}: {s.status}{f' ({s.detail})' if s.detail else ''}" for s in job.steps]
        return "\n".join(lines)

    def failures(self) -> str:
        failed = [step for job in self.jobs for step in job.steps if step.status == "failed"]
        return self.report() + "".join(f"\n\n--- {s.name} ---\n{s.output[-6000:]}" for s in failed)


@dataclass
class Runner:
    """What every job shares: the project, where jobs run, and how they reach the services."""

    project: Path
    work: Path
    service_env: dict[str, str]  # TEST_*_URL -> a local URL; replaces the CI file's value
    cache: Path  # GitLab caches and shared installs, across runs
    prepare: Callable[[str, Path], None] | None = None  # (job key, workspace): edit before a job
    # install command -> (the lockfile it installs, the folder it fills)
    installs: dict[str, tuple[str, str]] = field(default_factory=dict)
    # What this machine gives every job, as a self-hosted runner's environment does (a warm
    # tool cache: it changes how long a job takes, never what it finds).
    machine_env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.history: list[Job] = []  # the last run's jobs
        # One path per process (a checkout's path is the same in every job of a CI service).
        self.workspace = self.cache / f"workspace-{WORKER}"
        self.artifacts = self.work / "artifacts"
        shutil.rmtree(self.work, ignore_errors=True)
        self.artifacts.mkdir(parents=True)

    def fresh_workspace(self, definition: str) -> Path:
        shutil.rmtree(self.workspace, ignore_errors=True)
        shutil.copytree(self.project, self.workspace, symlinks=True)
        if self.prepare:
            self.prepare(definition, self.workspace)
        return self.workspace

    def _installed(self, command: str) -> tuple[Path, Path]:
        lockfile, folder = self.installs[command]
        key = command.encode() + str(self.workspace).encode() + (self.workspace / lockfile).read_bytes()
        return self.cache / "installs" / hashlib.sha256(key).hexdigest()[:16], self.workspace / folder

    def restore_install(self, command: str) -> Step | None:
        """The folder an earlier run of this install filled from this lockfile, if there was one."""
        if command not in self.installs:
            return None
        stored, folder = self._installed(command)
        if not (stored / "ready").exists():
            return None
        subprocess.run(["cp", "-al", str(stored / folder.name), str(folder)], check=True)
        return Step(command, "passed", f"{folder.name} as it installed this lockfile earlier")

    def keep_install(self, command: str) -> None:
        """After a job ran the install for real: keep what it filled for the next jobs."""
        if command not in self.installs:
            return
        stored, folder = self._installed(command)
        if (stored / "ready").exists() or not folder.is_dir():
            return
        shutil.rmtree(stored, ignore_errors=True)
        stored.mkdir(parents=True)
        subprocess.run(["cp", "-al", str(folder), str(stored / folder.name)], check=True)
        if (stored / folder.name / "pyvenv.cfg").exists():  # new files beside the shared ones
            compile_all = [sys.executable, "-m", "compileall", "-q", "-j", "0", str(stored / folder.name / "lib")]
            subprocess.run(compile_all, check=False, capture_output=True)  # a package's odd file may not compile
        (stored / "ready").write_text(command)

    def inputs_key(self, provider: str, definition: dict, instance: dict) -> str:
        """What decides a job's outcome: its definition and instance, the service URLs, the
        workspace's files and the artifacts at hand."""
        digest = hashlib.sha256(json.dumps([provider, definition, instance, self.service_env], default=str).encode())
        for root in (self.workspace, self.artifacts):
            for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
                relative = path.relative_to(root).as_posix()
                if root == self.workspace and relative in _NOT_READ_BY_JOBS:
                    continue
                digest.update(relative.encode() + b"\0" + path.read_bytes() + b"\0")
        return digest.hexdigest()

    def replay(self, key: str, job: Job) -> bool:
        """Give `job` the outcome and artifacts of an earlier job with the same inputs, if one ran."""
        if key not in _DONE:
            return False
        earlier, artifacts = _DONE[key]
        job.steps = [
            Step(s.name, s.status, f"as {earlier.name} on the same inputs earlier", s.output) for s in earlier.steps
        ]
        job.coverage = earlier.coverage
        for name, stored in artifacts.items():
            shutil.copytree(stored, self.artifacts / name, dirs_exist_ok=True)
        return True

    def remember(self, key: str, job: Job, artifacts_before: set[str]) -> None:
        kept = {}
        for name in set(self.artifact_names()) - artifacts_before:
            kept[name] = Path(_KEPT_ARTIFACTS.name) / key / name
            shutil.copytree(self.artifacts / name, kept[name])
        _DONE[key] = (copy.deepcopy(job), kept)

    def environment(self, variables: dict[str, str]) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in _MACHINE_ONLY and k not in self.service_env}
        env |= self.machine_env | {"CI": "true"} | variables
        for name in variables.keys() & self.service_env.keys():
            env[name] = self.service_env[name]
        return env

    def shell(self, script: str, env: dict[str, str], timeout: float) -> tuple[bool, str]:
        command = ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script]
        try:
            result = subprocess.run(
                command, cwd=self.workspace, env=env, capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired as error:
            return False, f"timed out after {timeout:.0f} s\n{error.stdout or ''}"
        return result.returncode == 0, result.stdout + result.stderr

    def keep(self, name: str, patterns: list[str], *, hidden: bool = True) -> None:
        """Copy what the patterns match in the workspace into the artifact `name`."""
        destination = self._artifact(name)
        for pattern in patterns:
            for found in self.workspace.glob(pattern.rstrip("/")):
                files = found.rglob("*") if found.is_dir() else [found]
                for file in (f for f in files if f.is_file()):
                    relative = file.relative_to(self.workspace)
                    if not hidden and any(part.startswith(".") for part in relative.parts):
                        continue
                    (destination / relative).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(file, destination / relative)

    def bring(self, names: list[str], into: Path) -> None:
        for name in names:
            if self._artifact(name).exists():
                shutil.copytree(self._artifact(name), into, dirs_exist_ok=True)

    def _artifact(self, name: str) -> Path:
        return self.artifacts / name.replace("/", " of ")  # "integration 2/3": one folder

    def artifact_names(self) -> list[str]:
        return sorted(path.name for path in self.artifacts.iterdir())


# Jobs this process ran, by inputs_key: (the job, the artifacts it kept).
_DONE: dict[str, tuple[Job, dict[str, Path]]] = {}
_KEPT_ARTIFACTS = tempfile.TemporaryDirectory(prefix="replayed-artifacts-")  # removed at exit


def _topological(jobs: dict[str, dict], needs: Callable[[dict], list[str]]) -> list[str]:
    ordered: list[str] = []
    while len(ordered) < len(jobs):
        ready = [k for k, job in jobs.items() if k not in ordered and set(needs(job)) <= set(ordered)]
        assert ready, f"jobs wait on each other: {sorted(set(jobs) - set(ordered))}"
        ordered.append(ready[0])
    return ordered


def _seconds(value: object, default_minutes: float) -> float:
    """A job's time limit: GitHub's minutes (10) or GitLab's duration ("10 minutes")."""
    if value is None:
        return default_minutes * 60
    match = re.fullmatch(r"(\d+)\s*(|m|minutes?|h|hours?)", str(value).strip())
    assert match, f"timeout {value!r} not understood"
    return int(match[1]) * (3600 if match[2].startswith("h") else 60)


# ─── GitHub Actions ───────────────────────────────────────────────────────────

_EXPRESSION = re.compile(r"\$\{\{\s*(.+?)\s*\}\}")


def _github_expand(text: str, matrix: dict) -> str:
    def value(match: re.Match) -> str:
        expression = match[1]
        assert expression.startswith("matrix."), f"expression not supported by the runner: {expression}"
        return str(matrix[expression.removeprefix("matrix.")])

    return _EXPRESSION.sub(value, str(text))


def _matrix(job: dict) -> list[dict]:
    matrix = (job.get("strategy") or {}).get("matrix") or {}
    keys = list(matrix)
    return [dict(zip(keys, values, strict=True)) for values in itertools.product(*(matrix[k] for k in keys))]


def _github_needs(job: dict) -> list[str]:
    needs = job.get("needs", [])
    return needs if isinstance(needs, list) else [needs]


def run_github(runner: Runner, only: set[str] | None = None) -> Pipeline:
    workflow = yaml.safe_load((runner.project / ".github/workflows/tests.yml").read_text())
    jobs: dict[str, dict] = workflow["jobs"]
    done: list[Job] = []
    for key in _topological(jobs, _github_needs):
        definition = jobs[key]
        if only is not None and key not in only:
            continue
        for matrix in _matrix(definition):
            name = key + "".join(f" {v}/{len(_matrix(definition))}" for v in matrix.values())
            job = Job(name, key, services=list(definition.get("services") or {}))
            done.append(job)
            if any(not j.passed for j in done if j.definition in _github_needs(definition)):
                job.steps.append(Step("(whole job)", "not run", "a job it needs failed"))
                continue
            _github_job(runner, key, definition, matrix, job)
    return Pipeline("GitHub Actions", done, runner.artifacts)


def _github_job(runner: Runner, key: str, definition: dict, matrix: dict, job: Job) -> None:
    started = time.monotonic()
    runner.fresh_workspace(key)
    inputs = runner.inputs_key("github", definition, matrix)
    if runner.replay(inputs, job):
        return
    artifacts_before = set(runner.artifact_names())
    job_env = {k: _github_expand(v, matrix) for k, v in (definition.get("env") or {}).items()}
    timeout = _seconds(definition.get("timeout-minutes"), 360)
    failed = False
    for step in definition["steps"]:
        condition = str(step.get("if", "success()"))
        assert condition in ("success()", "always()"), f"step condition not supported: {condition}"
        if failed and condition != "always()":
            job.steps.append(Step(step.get("name") or step.get("uses") or step["run"], "not run"))
            continue
        if "uses" in step:
            job.steps.append(_github_action(runner, step, matrix))
            continue
        restored = runner.restore_install(step["run"].strip())
        if restored:
            job.steps.append(restored)
            continue
        name = _github_expand(step.get("name") or step["run"].strip().splitlines()[0], matrix)
        env = runner.environment(job_env | {k: _github_expand(v, matrix) for k, v in (step.get("env") or {}).items()})
        ok, output = runner.shell(_github_expand(step["run"], matrix), env, timeout)
        job.steps.append(Step(name, "passed" if ok else "failed", output=output))
        failed = failed or not ok
        if ok:
            runner.keep_install(step["run"].strip())
    job.seconds = time.monotonic() - started
    runner.remember(inputs, job, artifacts_before)


def _github_action(runner: Runner, step: dict, matrix: dict) -> Step:
    action = step["uses"]
    inputs = {k: _github_expand(v, matrix) for k, v in (step.get("with") or {}).items()}
    if action.startswith("actions/checkout@"):
        return Step(action, "emulated", "a fresh copy of the project")
    if action.startswith("actions/upload-artifact@"):
        hidden = str(inputs.get("include-hidden-files", "false")).lower() == "true"
        runner.keep(inputs["name"], inputs["path"].split(), hidden=hidden)
        return Step(action, "emulated", f"kept as artifact {inputs['name']}")
    if action.startswith("actions/download-artifact@"):
        names = [n for n in runner.artifact_names() if fnmatch.fnmatch(n, inputs.get("pattern", inputs.get("name")))]
        into = runner.workspace / inputs.get("path", ".")
        if str(inputs.get("merge-multiple", "false")).lower() == "true":
            runner.bring(names, into)
        else:
            for name in names:
                runner.bring([name], into / name)
        return Step(action, "emulated", f"brought {', '.join(names) or 'nothing'}")
    return Step(action, "skipped", "this machine's toolchain")


# ─── GitLab CI ────────────────────────────────────────────────────────────────

_VARIABLE = re.compile(r"\$\{?(\w+)\}?")


def _gitlab_expand(text: str, variables: dict[str, str]) -> str:
    return _VARIABLE.sub(lambda m: variables.get(m[1], m[0]), str(text))


def _gitlab_jobs(config: dict) -> dict[str, dict]:
    defaults = config.get("default") or {}
    jobs = {}
    for key, job in config.items():
        if key in _GITLAB_GLOBAL_KEYS or key.startswith("."):
            continue
        assert "extends" not in job, "extends: not supported by the runner"
        jobs[key] = {name: defaults[name] for name in _DEFAULTABLE if name in defaults} | job
    return jobs


def _gitlab_instances(job: dict) -> Iterator[dict[str, str]]:
    total = job.get("parallel")
    if total is None:
        yield {}
        return
    assert isinstance(total, int), "parallel:matrix not supported by the runner"
    for index in range(1, total + 1):
        yield {"CI_NODE_INDEX": str(index), "CI_NODE_TOTAL": str(total)}


def run_gitlab(runner: Runner, only: set[str] | None = None) -> Pipeline:
    config = yaml.safe_load((runner.project / ".gitlab-ci.yml").read_text())
    stages = config.get("stages", ["build", "test", "deploy"])
    jobs = _gitlab_jobs(config)
    by_stage = sorted(jobs, key=lambda key: stages.index(jobs[key].get("stage", "test")))
    ordered = _topological({k: jobs[k] for k in by_stage}, lambda job: job.get("needs", []))
    stage = {key: stages.index(jobs[key].get("stage", "test")) for key in jobs}
    done: list[Job] = []
    for key in ordered:
        definition = jobs[key]
        if only is not None and key not in only:
            continue
        for instance in _gitlab_instances(definition):
            suffix = f" {instance['CI_NODE_INDEX']}/{instance['CI_NODE_TOTAL']}" if instance else ""
            job = Job(key + suffix, key, services=[s["alias"] for s in definition.get("services", [])])
            # Artifacts come from the jobs it needs, else from every job of the earlier stages
            # (of this run, or of the earlier run whose artifacts an `only=` run uses).
            ran = done + [j for j in runner.history if j.definition not in {d.definition for d in done}]
            if "needs" in definition:
                earlier = [j for j in ran if j.definition in definition["needs"]]
            else:
                earlier = [j for j in ran if stage[j.definition] < stage[key]]
            done.append(job)
            if any(not j.passed for j in earlier):
                job.steps.append(Step("(whole job)", "not run", "an earlier job failed"))
                continue
            _gitlab_job(runner, config, key, definition, instance, [j.name for j in earlier], job)
    runner.history = done
    return Pipeline("GitLab CI", done, runner.artifacts)


def _gitlab_job(
    runner: Runner, config: dict, key: str, definition: dict, instance: dict, earlier: list[str], job: Job
) -> None:
    started = time.monotonic()
    workspace = runner.fresh_workspace(key)
    builtin = {"CI_PROJECT_DIR": str(workspace), "CI_JOB_NAME": job.name, "GITLAB_CI": "true", **instance}
    variables = dict(builtin)
    for name, value in {**(config.get("variables") or {}), **(definition.get("variables") or {})}.items():
        variables[name] = _gitlab_expand(value, variables)
    env = runner.environment(variables)
    timeout = _seconds(definition.get("timeout"), 60)
    job.steps.append(Step(f"image {definition.get('image', '(runner default)')}", "skipped", "this machine instead"))
    runner.bring(earlier, workspace)
    inputs = runner.inputs_key("gitlab", definition, instance | {"needs": earlier})
    if runner.replay(inputs, job):
        return
    artifacts_before = set(runner.artifact_names())
    _restore_cache(runner, definition.get("cache"), workspace)

    script = [*definition.get("before_script", []), *definition["script"]]
    for restored in filter(None, map(runner.restore_install, script)):
        job.steps.append(restored)
        script.remove(restored.name)
    ok, output = runner.shell("\n".join(script), env, timeout)
    job.steps.append(Step("; ".join(script), "passed" if ok else "failed", "before_script + script", output))
    for command in script if ok else ():
        runner.keep_install(command)
    if definition.get("after_script"):
        _, after = runner.shell("\n".join(definition["after_script"]), env, 300)
        job.steps.append(Step("after_script", "passed", "its outcome never fails the job", after))
    if "coverage" in definition:
        found = re.search(definition["coverage"].strip("/"), output, re.MULTILINE)
        job.coverage = found[1] if found else None
    artifacts = definition.get("artifacts") or {}
    if ok or artifacts.get("when") == "always":
        reports = artifacts.get("reports") or {}
        coverage_report = (reports.get("coverage_report") or {}).get("path")
        patterns = [*artifacts.get("paths", []), *([reports["junit"]] if "junit" in reports else [])]
        runner.keep(job.name, [*patterns, *([coverage_report] if coverage_report else [])])
    job.seconds = time.monotonic() - started
    runner.remember(inputs, job, artifacts_before)


def _restore_cache(runner: Runner, cache: dict | None, workspace: Path) -> None:
    """GitLab's cache, by its key: the listed folders live on between jobs (here: a link)."""
    if not cache:
        return
    key_files = (cache.get("key") or {}).get("files", [])
    digest = hashlib.sha256(b"".join((workspace / name).read_bytes() for name in key_files)).hexdigest()[:16]
    for path in cache["paths"]:
        stored = runner.cache / digest / path.strip("/")
        stored.mkdir(parents=True, exist_ok=True)
        target = workspace / path.strip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(stored, target_is_directory=True)
