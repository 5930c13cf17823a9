"""A Docker engine for the tests of the Testcontainers path, and the stand-in images they run.

The engine: whatever answers (DOCKER_HOST, else the default socket). Where none does and this
machine can start one (Linux, root, dockerd or Debian's packages), a private dockerd: Debian's
`docker.io` installed if absent, its data root in the cache (so images survive between
runs), its socket and exec root in a temporary folder, no iptables rules, stopped by its pid
at the end. One private engine per cache at a time: a second test session waits for the lock.

The images: stand-ins for the official postgres, redis and rabbitmq images (which cannot be
pulled everywhere), built from Debian's packages on a base made by debootstrap and
`docker import`, each tagged `it-template/<service>-standin:<hash of its build files>` and
built only when that tag is missing. They are never tagged as an official image: the
generated projects are pointed at them through their TEST_<SERVICE>_IMAGE variables.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from tests.helpers import CACHE, SERVICE_KEYS

HERE = Path(__file__).resolve().parent
STANDINS = SERVICE_KEYS  # every service has a folder of build files beside this module
IMAGE_PREFIX = "it-template"
DEFAULT_SOCKET = "unix:///var/run/docker.sock"

# The base: Debian's current stable, the closest Debian gets to the pinned images' versions.
DEBIAN_SUITE = "trixie"
DEBIAN_MIRROR = os.environ.get("TEMPLATE_TEST_DEBIAN_MIRROR", "http://deb.debian.org/debian")
# Where neither debootstrap nor apt is at hand (an engine elsewhere, which can pull): Debian's image.
DEBIAN_IMAGE = f"debian:{DEBIAN_SUITE}-slim"
# Bump when the way the base is made changes.
BASE_RECIPE = f"debootstrap --variant=minbase {DEBIAN_SUITE}; policy-rc.d; no docs; v1"

ENGINE_HOME = CACHE / "docker"
ANSWER_TIMEOUT = 5.0  # seconds for `docker version` to answer
START_TIMEOUT = 60.0  # seconds for a private dockerd to answer
LOCK_TIMEOUT = 30 * 60.0  # seconds to wait for another test session's private engine


class EngineUnavailable(Exception):
    """No engine answers. `expected` says whether this machine should have had one: then the
    tests fail; otherwise they skip with the message."""

    def __init__(self, message: str, *, expected: bool) -> None:
        super().__init__(message)
        self.expected = expected


@dataclass
class Engine:
    host: str  # the DOCKER_HOST value that reaches it
    private: bool  # started here (and stopped here), so nothing else runs on it
    process: subprocess.Popen | None = None
    run_dir: Path | None = None
    lock: IO | None = None
    log: Path | None = None
    storage_driver: str = ""
    started_in: float = 0.0  # seconds it took to install and start (0 when it was running)
    installed: list[str] = field(default_factory=list)

    def env(self, base: dict[str, str] | None = None) -> dict[str, str]:
        env = dict(os.environ if base is None else base)
        env.pop("DOCKER_CONTEXT", None)
        env["DOCKER_HOST"] = self.host
        return env

    def docker(self, *args: str, check: bool = True, timeout: float = 600, **kwargs) -> subprocess.CompletedProcess:
        command = [docker_cli(), *args]
        result = subprocess.run(
            command, env=self.env(), capture_output=True, text=True, timeout=timeout, check=False, **kwargs
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        return result

    def containers(self, *filters: str) -> list[str]:
        """Ids of every container, running or not (optionally filtered, e.g. `ancestor=<image>`)."""
        args = [arg for value in filters for arg in ("--filter", value)]
        return self.docker("ps", "-a", "-q", "--no-trunc", *args).stdout.split()

    def volumes(self) -> list[str]:
        return self.docker("volume", "ls", "-q").stdout.split()

    def remove_everything(self) -> None:
        """Every container and unused volume: a private engine only (nothing else runs on it), so
        that one session's leftovers (a run killed mid-way, a failed test) never reach the next."""
        assert self.private, "only a private engine is emptied"
        containers = self.containers()
        if containers:
            self.docker("rm", "-f", "-v", *containers)
        self.docker("volume", "prune", "-f")

    def has_image(self, image: str) -> bool:
        return self.docker("image", "inspect", image, check=False).returncode == 0

    def stop(self) -> None:
        """Stop a private engine by its pid and remove its socket folder; leave any other alone."""
        if self.process is not None:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGTERM)
                try:
                    self.process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=10)
            self.process = None
            (ENGINE_HOME / "dockerd.pid").unlink(missing_ok=True)
        if self.run_dir is not None:
            _unmount_under(self.run_dir)  # dockerd leaves its netns bind mount behind
            shutil.rmtree(self.run_dir, ignore_errors=True)
            self.run_dir = None
        if self.lock is not None:
            self.lock.close()  # releases the flock
            self.lock = None


def _unmount_under(folder: Path) -> None:
    mounts = [line.split()[1] for line in Path("/proc/self/mounts").read_text().splitlines()]
    for target in sorted((m for m in mounts if m.startswith(f"{folder}/")), key=len, reverse=True):
        subprocess.run(["umount", "-l", target], capture_output=True, check=False)


def docker_cli() -> str:
    found = shutil.which("docker")
    if not found:
        raise EngineUnavailable("the docker command line is not installed", expected=can_start_engine() is None)
    return found


def answers(host: str, timeout: float = ANSWER_TIMEOUT) -> bool:
    cli = shutil.which("docker")
    if not cli:
        return False
    env = {k: v for k, v in os.environ.items() if k != "DOCKER_CONTEXT"} | {"DOCKER_HOST": host}
    try:
        result = subprocess.run(
            [cli, "version", "--format", "{{.Server.Version}}"],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return False
    return result.returncode == 0 and bool(result.stdout.strip())


def can_start_engine() -> str | None:
    """None when this machine can run a private dockerd (Linux, root, dockerd or Debian's
    packages to install it from), else why not."""
    if not sys.platform.startswith("linux"):
        return f"no Docker engine answers, and a private one is started only on Linux (this is {sys.platform})"
    if os.geteuid() != 0:
        return "no Docker engine answers, and starting a private dockerd needs root"
    if not shutil.which("dockerd") and not (Path("/etc/debian_version").exists() and shutil.which("apt-get")):
        return "no Docker engine answers, dockerd is not installed and there is no apt-get to install docker.io"
    return None


def find_engine() -> Engine:
    """The engine to run the Testcontainers path on: one that answers, else a private one."""
    host = os.environ.get("DOCKER_HOST")
    if host and answers(host):
        return Engine(host=host, private=False)
    if not host and answers(DEFAULT_SOCKET):
        return Engine(host=DEFAULT_SOCKET, private=False)
    reason = can_start_engine()
    if reason:
        raise EngineUnavailable(reason, expected=False)
    try:
        return start_private_engine()
    except EngineUnavailable:
        raise
    except Exception as error:
        raise EngineUnavailable(f"could not start a private dockerd: {error}", expected=True) from error


def apt_install(*packages: str) -> list[str]:
    """Install Debian packages (idempotent; waits for another apt holding the lock)."""
    if not packages:
        return []
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    lock = ["-o", "DPkg::Lock::Timeout=600"]
    for command in (
        ["apt-get", *lock, "update", "-q"],
        ["apt-get", *lock, "install", "-y", "-q", "--no-install-recommends", *packages],
    ):
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False, timeout=900)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return list(packages)


def _acquire_lock(path: Path) -> IO:
    handle = path.open("w")
    deadline = time.monotonic() + LOCK_TIMEOUT
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return handle
        except BlockingIOError:
            if time.monotonic() > deadline:
                handle.close()
                raise RuntimeError(f"another test session held {path} for {LOCK_TIMEOUT:.0f} s") from None
            time.sleep(2)


def _stop_orphan(pidfile: Path) -> None:
    """A dockerd left running on our data root by a test session that was killed: stop it by its pid."""
    try:
        pid = int(pidfile.read_text().strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except (OSError, ValueError):
        pidfile.unlink(missing_ok=True)
        return
    if (
        cmdline
        and cmdline[0].endswith(b"dockerd")
        and any(arg.startswith(str(ENGINE_HOME).encode()) for arg in cmdline)
    ):
        os.kill(pid, signal.SIGTERM)
        for _ in range(300):
            if not Path(f"/proc/{pid}").exists():
                break
            time.sleep(0.1)
        else:
            os.kill(pid, signal.SIGKILL)
    pidfile.unlink(missing_ok=True)


def start_private_engine() -> Engine:
    started = time.monotonic()
    installed = [] if shutil.which("dockerd") and shutil.which("docker") else apt_install("docker.io")
    ENGINE_HOME.mkdir(parents=True, exist_ok=True)
    lock = _acquire_lock(ENGINE_HOME / "lock")
    try:
        _stop_orphan(ENGINE_HOME / "dockerd.pid")
        problems = []
        for driver in ("overlay2", "vfs"):  # vfs copies whole images per container: the fallback only
            engine = _start_dockerd(ENGINE_HOME / f"data-{driver}", driver)
            if engine.process is not None:
                engine.lock, engine.installed = lock, installed
                engine.started_in = time.monotonic() - started
                return engine
            problems.append(f"{driver}: {engine.log.read_text()[-1500:] if engine.log else ''}")
        raise RuntimeError("dockerd did not answer:\n" + "\n".join(problems))
    except BaseException:
        lock.close()
        raise


def _start_dockerd(data_root: Path, driver: str) -> Engine:
    """Start dockerd; an Engine whose `process` is None when it did not answer."""
    data_root.mkdir(parents=True, exist_ok=True)
    # Short: a unix socket's path is limited to 108 bytes, containerd's lives under the exec root.
    run_dir = Path(tempfile.mkdtemp(prefix="itd-", dir="/tmp"))
    socket, log = run_dir / "docker.sock", run_dir / "dockerd.log"
    command = [
        shutil.which("dockerd") or "dockerd",
        "--data-root",
        str(data_root),
        "--exec-root",
        str(run_dir / "exec"),
        "--pidfile",
        str(run_dir / "dockerd.pid"),
        "-H",
        f"unix://{socket}",
        # No firewall rules on the host; the default bridge stays, so published ports work on
        # 127.0.0.1 through docker-proxy. Builds use the host's network (--network host).
        "--iptables=false",
        "--storage-driver",
        driver,
    ]
    with log.open("w") as output:
        # Its own session: a Ctrl-C in the terminal reaches pytest, which then stops it.
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    (ENGINE_HOME / "dockerd.pid").write_text(str(process.pid))
    engine = Engine(host=f"unix://{socket}", private=True, process=process, run_dir=run_dir, log=log)
    engine.storage_driver = driver
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline and process.poll() is None:
        if socket.exists() and answers(engine.host, timeout=2):
            info = engine.docker("info", "--format", "{{.Driver}}", check=False)
            if info.returncode == 0 and info.stdout.strip() == driver:
                return engine
            break
        time.sleep(0.2)
    saved = log.read_text() if log.exists() else ""
    engine.stop()  # by its pid; also removes run_dir
    engine.log = Path(tempfile.mkstemp(prefix="itd-failed-", suffix=".log")[1])
    engine.log.write_text(saved)
    return engine


# ─── Stand-in images ──────────────────────────────────────────────────────────


def _digest(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()[:12]


def base_tag() -> str:
    return f"{IMAGE_PREFIX}/debian-standin-base:{_digest(BASE_RECIPE.encode())}"


def standin_tag(key: str) -> str:
    files = sorted(path for path in (HERE / key).rglob("*") if path.is_file())
    if not files:
        raise RuntimeError(f"no stand-in for {key}: tests/docker/{key}/ needs a Dockerfile (see tests/docker/redis/)")
    parts = [
        base_tag().encode(),
        *(part for path in files for part in (str(path.relative_to(HERE)).encode(), path.read_bytes())),
    ]
    return f"{IMAGE_PREFIX}/{key}-standin:{_digest(*parts)}"


@dataclass
class Images:
    tags: dict[str, str]  # service key -> image
    built: list[str]  # what had to be built this time (empty when all were cached)
    seconds: float


def standin_images(engine: Engine) -> Images:
    """Every stand-in image on this engine, built where its tag is missing."""
    started = time.monotonic()
    tags = {key: standin_tag(key) for key in STANDINS}
    missing = [key for key, tag in tags.items() if not engine.has_image(tag)]
    built: list[str] = []
    if missing:
        base = _ensure_base(engine, built)
        # In parallel: mostly downloads and unpacking.
        with ThreadPoolExecutor(max_workers=len(missing)) as pool:
            for key in pool.map(lambda key: _build(engine, key, tags[key], base), missing):
                built.append(tags[key])
        _prune(engine, keep={*tags.values(), base})
    return Images(tags, built, time.monotonic() - started)


def base_image(engine: Engine) -> str:
    """The image the stand-ins are built on (a plain Debian: no server in it)."""
    return _ensure_base(engine, [])


def _build(engine: Engine, key: str, tag: str, base: str) -> str:
    engine.docker("build", "-q", "--network", "host", "--build-arg", f"BASE={base}", "-t", tag, str(HERE / key))
    return key


def _ensure_base(engine: Engine, built: list[str]) -> str:
    tag = base_tag()
    if engine.has_image(tag):
        return tag
    if not shutil.which("debootstrap"):
        if os.geteuid() == 0 and Path("/etc/debian_version").exists() and shutil.which("apt-get"):
            apt_install("debootstrap")
        else:  # an engine elsewhere: it can pull Debian's own image
            return DEBIAN_IMAGE
    with tempfile.TemporaryDirectory(prefix="itd-rootfs-") as tmp:
        rootfs = Path(tmp) / "rootfs"
        command = ["debootstrap", "--variant=minbase", DEBIAN_SUITE, str(rootfs), DEBIAN_MIRROR]
        result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=900)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        # As Debian's own images: no services started by package scripts, no caches, no docs.
        policy = rootfs / "usr/sbin/policy-rc.d"
        policy.write_text("#!/bin/sh\nexit 101\n")
        policy.chmod(0o755)
        for folder in (
            "var/lib/apt/lists",
            "var/cache/apt/archives",
            "usr/share/doc",
            "usr/share/man",
            "usr/share/info",
        ):
            for child in (rootfs / folder).glob("*"):
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child)
                elif child.name != "lock":
                    child.unlink()
        (rootfs / "etc/dpkg/dpkg.cfg.d/excludes").write_text(
            "path-exclude /usr/share/doc/*\npath-exclude /usr/share/man/*\npath-exclude /usr/share/info/*\n"
        )
        tar = subprocess.Popen(["tar", "-C", str(rootfs), "--numeric-owner", "-c", "."], stdout=subprocess.PIPE)
        engine.docker("import", "--change", 'CMD ["bash"]', "-", tag, stdin=tar.stdout)
        tar.stdout.close()  # type: ignore[union-attr]
        if tar.wait() != 0:
            raise RuntimeError("tar of the debootstrap root failed")
    built.append(tag)
    return tag


def _prune(engine: Engine, keep: set[str]) -> None:
    """Older builds of the stand-ins (other hashes), so the cache does not grow with every change."""
    listing = engine.docker("images", "--format", "{{.Repository}}:{{.Tag}}", check=False).stdout.split()
    stale = [image for image in listing if image.startswith(f"{IMAGE_PREFIX}/") and image not in keep]
    if stale:
        engine.docker("rmi", *stale, check=False)
    if engine.private:
        engine.docker("image", "prune", "-f", check=False)
