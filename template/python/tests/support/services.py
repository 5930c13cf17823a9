"""How the tests find each service, in one order, once per run:

1. an explicit URL in the environment (TEST_<SERVICE>_URL): CI service containers,
   `make services-up`, or any server you point it at;
2. otherwise Testcontainers, when a Docker engine answers; the containers start in the
   pytest controller and reach xdist workers through the same environment variables;
3. otherwise one failure, within seconds, naming each missing service, what was tried
   and the command that starts it.
"""

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

import pytest

# Every client connect in the checks gives up after this many seconds.
CONNECT_TIMEOUT = 3.0


@dataclass(frozen=True)
class Service:
    title: str
    env_var: str
    check: Callable[[str], None]  # a real round trip; raises when the service is not usable
    start_container: Callable[[], tuple[str, object]]  # (url, container) via Testcontainers
    start_command: str
    image: str  # what Testcontainers runs: its image variable's value, else the official image
    image_var: str
    # Run-level set-up once every service answers, and its undoing (pytest controller only).
    prepare_run: Callable[[], None] | None = None
    finish_run: Callable[[], None] | None = None


_containers: list[object] = []


class _Container(Protocol):
    def start(self) -> object: ...
    def stop(self) -> None: ...


_C = TypeVar("_C", bound=_Container)


def start_or_remove(container: _C) -> _C:
    """`container.start()`; one that fails to start or to become ready is removed, not left
    behind (where Testcontainers' reaper is off, nothing else would remove it)."""
    try:
        container.start()
    except BaseException:
        with contextlib.suppress(Exception):
            container.stop()
        raise
    return container


def docker_problem() -> str | None:
    """None when a Docker engine answers, else why not."""
    try:
        import docker

        docker.from_env(timeout=2).ping()
    except Exception as error:
        return f"no Docker engine answered ({type(error).__name__})"
    return None


def _describe(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}".strip()


def resolve(services: list[Service]) -> None:
    """Make every service's env var point at a working server, or stop the run."""
    problems: list[str] = []
    missing: list[Service] = []
    for service in services:
        url = os.environ.get(service.env_var)
        if not url:
            missing.append(service)
            continue
        try:
            service.check(url)
        except Exception as error:
            problems.append(
                f"- {service.title}: {service.env_var}={url} did not answer ({_describe(error)}).\n"
                f"  Start it (`{service.start_command}`), or point {service.env_var} at a running server."
            )
    if missing:
        docker = docker_problem()
        for service in missing:
            if docker:
                problems.append(
                    f"- {service.title}: {service.env_var} is not set and Testcontainers cannot run: {docker}.\n"
                    f"  Start it (`{service.start_command}`) and export {service.env_var}, or start Docker."
                )
                continue
            try:
                url, container = service.start_container()
                _containers.append(container)
                service.check(url)
            except Exception as error:
                problems.append(
                    f"- {service.title}: Testcontainers could not start {service.image} ({_describe(error)}).\n"
                    f"  Set {service.image_var} to an image Docker has or can pull (a registry mirror, say)."
                )
                continue
            os.environ[service.env_var] = url
    if problems:
        stop_containers()
        pytest.exit("Test services are not reachable:\n" + "\n".join(problems), returncode=3)


def start_run(services: list[Service]) -> None:
    """Find every service (or stop the run), then do each one's run-level set-up."""
    resolve(services)
    for service in services:
        if service.prepare_run:
            service.prepare_run()


def finish_run(services: list[Service]) -> None:
    for service in services:
        if service.finish_run:
            service.finish_run()
    stop_containers()


def stop_containers() -> None:
    while _containers:
        _containers.pop().stop()  # type: ignore[attr-defined]
