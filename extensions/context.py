"""Jinja extensions of the template: answer checks and the derived rendering context.

Everything a template needs beyond the raw answers is computed here, once, so the
files under ``template/`` stay plain code with few and shallow ``{% if %}`` blocks.
Versions of images and packages live in the tables below and nowhere else.
"""

from __future__ import annotations

import json
import keyword
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from copier_template_extensions import ContextHook
from jinja2.bccache import FileSystemBytecodeCache
from jinja2.ext import Extension

# ─── Versions: the one table ──────────────────────────────────────────────────

# Service images: current majors, pinned. The PostgreSQL major also decides the tmpfs path:
# 18+ keeps its data under /var/lib/postgresql/<major>/docker (a tmpfs at .../data would do
# nothing). RabbitMQ is pinned to a minor: 4.3 refuses non-durable non-exclusive queues and
# global QoS, which the generated code must keep avoiding.
POSTGRES_MAJOR = 18
IMAGES = {
    "postgres": f"postgres:{POSTGRES_MAJOR}-alpine",
    "redis": "redis:8-alpine",
    "rabbitmq": "rabbitmq:4.3-alpine",
}
POSTGRES_DATA_DIR = "/var/lib/postgresql" if POSTGRES_MAJOR >= 18 else "/var/lib/postgresql/data"

# The lockfile is written on `copier copy` (a task), so the first commit has it; without the
# tool, or offline, the copy still succeeds and says how to write it later.
LOCK_COMMANDS = {
    "python": (
        "if command -v uv >/dev/null 2>&1; then uv lock --quiet || echo 'uv lock failed:"
        " run `make install` to write uv.lock, then commit it.'; else echo 'uv not found:"
        " `make install` installs it and writes uv.lock; commit that file.'; fi"
    ),
    # npm's own summary ("up to date") goes to /dev/null: it would read as if nothing was done.
    "node": (
        "if command -v npm >/dev/null 2>&1; then npm install --package-lock-only --no-audit --no-fund"
        " --loglevel=error >/dev/null && echo 'Wrote package-lock.json: commit it (`make install` installs"
        " from it).' || echo 'npm could not write package-lock.json (offline?): run `make install` to write"
        " it, then commit it.'; else echo 'npm not found: once it is installed, `make install` writes"
        " package-lock.json; commit that file.'; fi"
    ),
}

# GitHub Actions: majors that run on the Node 24 runtime (Node 20 actions are deprecated).
ACTIONS = {
    "checkout": "actions/checkout@v6",
    # setup-uv publishes no major tags since v8 (immutable releases): pinned to a release.
    "setup_uv": "astral-sh/setup-uv@v8.3.2",
    "setup_node": "actions/setup-node@v6",
    "upload_artifact": "actions/upload-artifact@v7",
    "download_artifact": "actions/download-artifact@v8",
}

# Python ranges of the FastAPI stack: floors at the current release (Nov 2026), ceilings at
# the next major (0.x: at 1.0); uv.lock pins the exact versions. All need Python >= 3.11.
PYTHON_RUNTIME = [
    "fastapi>=0.165,<1",
    "pydantic-settings>=2.16,<3",
    "email-validator>=2.4,<3",
    # 0.28 removed AsyncClient(app=...); respx mocks httpx only, so the app's client stays on it.
    "httpx>=0.28.1,<1",
    "uvicorn>=0.54,<1",
]
PYTHON_AUTH = ["pyjwt>=2.15,<3"]
PYTHON_TEST_AUTH = ["time-machine>=3.6,<4"]  # moves the clock past a token's expiry
PYTHON_TEST = [
    "pytest>=9.2,<10",
    "pytest-xdist>=3.8,<4",
    "pytest-randomly>=5.1,<6",
    "pytest-timeout>=2.4,<3",
    "pytest-cov>=7.1,<8",
    # Splits the integration tests into CI shards by their stored (or estimated) durations.
    "pytest-split>=0.11,<1",
    "factory-boy>=3.3.3,<4",
    # Faker ships a new major most months, none breaking for us: no ceiling, uv.lock pins it.
    "faker>=40",
    "respx>=0.23,<1",
    # Consumer contract of the profile API (tests/integration/external): writes pacts/*.json.
    "pact-python>=4.2,<5",
    # Recorded profile API answers replayed offline; 0.x, so ranged to its current minor.
    "vcrpy>=9.4.2,<10",
    "pytest-recording>=0.14.1,<0.15",
    # Property-based tests (tests/integration/fuzz): requests from the OpenAPI document, and inputs.
    "schemathesis>=4.32,<5",
    "hypothesis>=6.170,<7",
    # Checks every API test's answer against the committed openapi.json, apart from the app's models.
    "jsonschema-rs>=0.60,<1",
    # Starlette 1.10's TestClient runs on httpx2 (a warning, an error under -W error, without it).
    "httpx2>=2.16,<3",
    # 0.x: a minor may add or stabilise rules; uv.lock pins the exact version.
    "ruff>=0.17,<1",
    # mypy --strict: a plain PyPI wheel (pyright's PyPI wrapper fetches Node at run time).
    "mypy>=2.4,<3",
]
# testcontainers 4.15 moved its modules to testcontainers.community.*; the old import paths
# warn, which fails suites that turn warnings into errors.
PYTHON_TESTCONTAINERS = "testcontainers[{extras}]>=4.15,<5"
# uv's own build backend (the default of `uv init`): 0.x, so ranged to its current minor.
PYTHON_BUILD_BACKEND = "uv_build>=0.13.6,<0.14"
# GitLab CI's image: uv (same minor) on the official python image of the chosen version
# (the full one, not -slim: the jobs run `make`).
PYTHON_UV_IMAGE = "ghcr.io/astral-sh/uv:0.13-python{version}-trixie"

# npm ranges of the Express stack, current as of Nov 2026 (the lockfile written on copy fixes
# the exact versions). A major stays pinned where the next one breaks us on the tested floor
# (NODE_ENGINES, Node 20.19), each with its reason beside it.
NODE_RUNTIME = {
    "bcryptjs": "^3.0.3",  # pure JS: npm 11 blocks install scripts (bcrypt, argon2 need them)
    "cors": "^2.8.6",
    "express": "^5.3.0",
    "helmet": "^8.3.0",
    "zod": "^4.6.7",
    # Builds the app's OpenAPI document (GET /openapi.json) from its zod schemas; 8+ is for zod 4.
    "@asteasolutions/zod-to-openapi": "^9.1.0",
}
NODE_AUTH = {"jsonwebtoken": "^9.0.3"}
NODE_TEST = {
    "@eslint/js": "^10.0.1",
    # Consumer contract of the profile API (tests/integration/external): writes pacts/*.json.
    # held: HELD_MAJORS; 16.5 needs https-proxy-agent 9 (ESM-only), which CommonJS Jest cannot load.
    "@pact-foundation/pact": "~16.4.0",
    "@faker-js/faker": "^9.9.0",  # held: HELD_MAJORS
    # Check every API test's answer against the committed openapi.json (JSON Schema 2020-12).
    "ajv": "^8.20.0",
    "ajv-formats": "^3.0.1",
    # 10 needs Node ^20.19 (the floor below); flat config only.
    "eslint": "^10.15.0",
    # Property-based tests (tests/fuzz): hostile input must never get a 5xx.
    "fast-check": "^4.11.0",
    "globals": "^17.14.0",
    # Combine CI's coverage pieces (scripts/coverage-report.js); Jest reports with them too.
    "istanbul-lib-coverage": "^3.2.2",
    "istanbul-lib-report": "^3.0.1",
    "istanbul-reports": "^3.2.0",
    "jest": "^30.5.2",
    # The readable diff of the OpenAPI snapshot test (Jest's own, as a direct dependency).
    "jest-diff": "^30.5.2",
    # The base of the tests' environment (tests/setup/environment), Jest's own too.
    "jest-environment-node": "^30.5.2",
    "jest-junit": "^17.0.0",
    "nock": "^14.0.17",  # held: HELD_MAJORS
    "supertest": "^7.3.2",
}
NODE_TESTCONTAINERS = {"testcontainers": "^11.14.0"}  # held: HELD_MAJORS
NODE_TYPESCRIPT = {
    "@swc/core": "^1.16.22",
    "@swc/jest": "^0.2.39",
    "@types/cors": "^2.8.19",
    "@types/express": "^5.0.6",
    "@types/jest": "^30.0.0",
    "@types/node": "^20.19.43",  # held: HELD_MAJORS
    "@types/supertest": "^7.2.1",
    "typescript": "~6.0.3",  # held: HELD_MAJORS
    "typescript-eslint": "^8.74.0",
}
NODE_TYPESCRIPT_AUTH = {"@types/jsonwebtoken": "^9.0.10"}
# The oldest Node the generated code and its test tools run on, and the one the template's
# own tests run them on (eslint 10 and @eslint/js 10 need ^20.19; the pins above keep the rest
# there). CI and containers use the newer `node_version` answer (22 or 24).
NODE_ENGINES = ">=20.19"
# Majors held back on purpose, and why. The generated README lists the project's own, and
# Dependabot / Renovate are told to leave those majors alone (minors and patches still come).
HELD_MAJORS = {
    "@faker-js/faker": "10 is ESM-only, which CommonJS Jest cannot load",
    "@pact-foundation/pact": "17 needs Node 22 or newer",
    "@types/node": "the engines floor's major: newer Node types would accept code the floor cannot run",
    "nock": "15 needs Node 22.20 or newer (and is ESM-only)",
    "testcontainers": "12 needs Node 22.22 or newer",
    "typescript": "7 (the Go compiler) is not supported by typescript-eslint",
}


# Durability off for test databases: their data is thrown away anyway, and this is the
# biggest speed-up there is. Compose, GitLab and Testcontainers pass these as `-c` flags;
# GitHub service containers take no command, so its workflow applies them with ALTER SYSTEM.
POSTGRES_TEST_SETTINGS = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


@dataclass(frozen=True)
class CiSetup:
    """How a family's CI jobs install and cache. What the jobs run is the family Makefile's
    `lint`, `ci-unit`, `ci-integration` and `coverage` targets, the same everywhere."""

    install: str  # every job's first command: exactly what the lockfile pins
    lockfile: str  # dependency caches are keyed on it
    coverage_xml: str  # the combined Cobertura report `make coverage` writes
    coverage_regex: str  # GitLab reads the total from `make coverage`'s output with it
    hidden_coverage_data: bool  # coverage data in dot files, which artifacts skip unless told
    version_question: str  # the answer that picks CI's runtime version
    gitlab_image: str  # {version}: that answer; an image that has `make`
    gitlab_cache: str  # the package manager's download cache, under the project folder
    gitlab_variables: dict[str, str]
    gitlab_after_script: tuple[str, ...] = ()


CI_SETUP = {
    "python": CiSetup(
        install="uv sync --locked",
        lockfile="uv.lock",
        coverage_xml="coverage.xml",
        coverage_regex=r"/^TOTAL.+?(\d+(?:\.\d+)?%)$/",
        hidden_coverage_data=True,  # coverage.py's .coverage.*
        version_question="python_version",
        gitlab_image=PYTHON_UV_IMAGE,
        gitlab_cache=".cache/uv",
        gitlab_variables={
            "UV_CACHE_DIR": "$CI_PROJECT_DIR/.cache/uv",
            # The build directory is another mount than the cache: copy instead of hard-linking.
            "UV_LINK_MODE": "copy",
            # The image's Python is the project's CI version: never download another.
            "UV_PYTHON_DOWNLOADS": "never",
        },
        # Keeps only what the next pipeline cannot rebuild faster than it downloads.
        gitlab_after_script=("uv cache prune --ci",),
    ),
    "node": CiSetup(
        install="npm ci --no-audit --no-fund",
        lockfile="package-lock.json",
        coverage_xml="coverage/cobertura-coverage.xml",
        coverage_regex=r"/^Lines\s*:\s*(\d+(?:\.\d+)?)%/",
        hidden_coverage_data=False,
        version_question="node_version",
        gitlab_image="node:{version}",
        gitlab_cache=".cache/npm",
        gitlab_variables={"npm_config_cache": "$CI_PROJECT_DIR/.cache/npm", "npm_config_prefer_offline": "true"},
    ),
}

# Host ports in docker-compose.test.yml: offset from the defaults so a developer's own
# Postgres/Redis/RabbitMQ on the standard ports never collides with the test ones.
COMPOSE_PORT_OFFSET = 50000

FAMILIES = ("python", "node")


@dataclass(frozen=True)
class Service:
    """One backing service and everything the template says about it.

    Compose, both CI files, the READMEs, the dependency lists, the file rules and the
    template's own tests all loop over these records; a new service starts here.
    """

    key: str  # the answer, the compose service, the CI alias, tests/support/<key>.*
    title: str
    image: str
    port: int  # inside the container
    url: str  # with {host}, {port} and {db}
    env_var: str  # URL the tests read first
    command: tuple[str, ...]  # the server tuned for tests; () keeps the image's own
    container_env: dict[str, str]  # what the image needs; values may use {db}
    tmpfs: str  # data directory, kept in memory
    health_check: tuple[str, ...]  # a real round trip inside the container, over TCP
    health_interval: int  # seconds; retries * interval bounds the start-up wait
    health_retries: int
    marker: str  # pytest marker of its tests
    test_folder: str  # tests/integration/<folder> holds its example tests
    fixture: str  # pytest session fixture that holds what the tests connect to
    python_deps: tuple[str, ...]
    testcontainers_extra: str
    node_deps: dict[str, str]  # npm runtime dependencies
    node_types: dict[str, str]  # their @types packages (TypeScript only)
    # Paths beyond tests/support/<key>.* and tests/integration/<test_folder>, per family,
    # that exist only with the service (`files`) or only without it (`fallback_files`).
    files: dict[str, tuple[str, ...]]
    fallback_files: dict[str, tuple[str, ...]] = field(default_factory=dict)
    extra_markers: dict[str, str] = field(default_factory=dict)
    # Regular expressions for words that give it away: the template's tests check that none
    # appears in a project that did not choose it.
    words: tuple[str, ...] = ()

    @property
    def host_port_var(self) -> str:
        return f"TEST_{self.key.upper()}_PORT"

    @property
    def image_var(self) -> str:
        """Overrides `image` where Testcontainers starts it (a registry mirror, a stand-in)."""
        return f"TEST_{self.key.upper()}_IMAGE"

    @property
    def compose_port(self) -> int:
        return self.port + COMPOSE_PORT_OFFSET

    @property
    def start_command(self) -> str:
        """How a developer starts it (shown when the tests cannot reach it)."""
        return f"docker compose -f docker-compose.test.yml up -d --wait {self.key}"

    def url_at(self, host: str = "127.0.0.1", port: int | str | None = None, db: str = "") -> str:
        return self.url.format(host=host, port=self.port if port is None else port, db=db)

    def compose_url(self, db: str) -> str:
        """Its URL when started by docker-compose.test.yml (host port overridable)."""
        return self.url_at(port=f"${{{self.host_port_var}:-{self.compose_port}}}", db=db)

    def environment(self, db: str) -> dict[str, str]:
        return {name: value.format(db=db) for name, value in self.container_env.items()}


SERVICES = {
    "postgres": Service(
        key="postgres",
        title="PostgreSQL",
        image=IMAGES["postgres"],
        port=5432,
        url="postgresql://postgres:postgres@{host}:{port}/{db}",
        env_var="TEST_DATABASE_URL",
        command=(
            "postgres",
            *(arg for name, value in POSTGRES_TEST_SETTINGS.items() for arg in ("-c", f"{name}={value}")),
        ),
        container_env={"POSTGRES_USER": "postgres", "POSTGRES_PASSWORD": "postgres", "POSTGRES_DB": "{db}"},
        tmpfs=POSTGRES_DATA_DIR,
        health_check=("pg_isready", "-h", "127.0.0.1", "-U", "postgres"),
        health_interval=1,
        health_retries=30,
        marker="database",
        test_folder="database",
        fixture="database_url",
        # SQLAlchemy 2.1 no longer installs greenlet: fine, the app is synchronous.
        python_deps=("sqlalchemy>=2.1,<3", "psycopg[binary]>=3.3,<4", "alembic>=1.20,<2"),
        testcontainers_extra="postgres",
        node_deps={"node-pg-migrate": "^9.0.0", "pg": "^8.23.1"},  # node-pg-migrate: ESM-only, CLI only
        node_types={"@types/pg": "^8.23.1"},
        files={
            "python": (
                "migrations",
                "alembic.ini",
                "{package}/db.py",
                "{package}/models.py",
                "{package}/repositories/sql.py",
                "tests/support/database_names.py",
                "tests/support/query_plans.py",
                "tests/unit/test_database_names.py",
                "tests/unit/test_database_url.py",
                "{package}/webhooks/sql_deliveries.py",
            ),
            "node": (
                "migrations",
                "src/db.*",
                "src/users/sql-repository.*",
                "tests/support/database-names.*",
                "tests/support/query-plans.*",
                "scripts/migrator.cjs",
                "tests/unit/database-names.test.*",
                "src/webhooks/sql-deliveries.*",
            ),
        },
        fallback_files={
            "python": ("{package}/repositories/memory.py",),
            "node": ("src/users/memory-repository.*",),
        },
        extra_markers={
            "commits": "commits for real (outside the rolled-back transaction) and cleans up after itself",
            "migrations": "runs the migrations in a scratch database",
        },
        words=("postgres", "psycopg", "sqlalchemy", "alembic", r"\bpg\b", "psql", "migrat", "TEST_DATABASE_URL"),
    ),
    "redis": Service(
        key="redis",
        title="Redis",
        image=IMAGES["redis"],
        port=6379,
        url="redis://{host}:{port}/0",
        env_var="TEST_REDIS_URL",
        command=("redis-server", "--save", "", "--appendonly", "no"),
        container_env={},
        tmpfs="/data",
        health_check=("redis-cli", "ping"),
        health_interval=1,
        health_retries=30,
        marker="redis",
        test_folder="cache",
        fixture="redis_target",
        python_deps=("redis>=8.1,<9",),
        testcontainers_extra="redis",
        node_deps={"ioredis": "^6.0.0"},
        node_types={},
        files={
            "python": (
                "{package}/cache/redis_cache.py",
                "{package}/ratelimit/redis_limiter.py",
                "{package}/events/redis_stream.py",
                "{package}/webhooks/redis_deliveries.py",
            ),
            "node": (
                "src/cache/redis-cache.*",
                "src/ratelimit/redis-limiter.*",
                "src/events/redis-stream.*",
                "src/webhooks/redis-deliveries.*",
            ),
        },
        words=("redis",),
    ),
    "rabbitmq": Service(
        key="rabbitmq",
        title="RabbitMQ",
        image=IMAGES["rabbitmq"],
        port=5672,
        url="amqp://guest:guest@{host}:{port}/%2F",
        env_var="TEST_AMQP_URL",
        command=(),
        container_env={},
        tmpfs="/var/lib/rabbitmq",
        health_check=("rabbitmq-diagnostics", "-q", "ping"),
        health_interval=2,
        health_retries=60,
        marker="rabbitmq",
        test_folder="queue",
        fixture="amqp_url",
        python_deps=("pika>=1.4,<2",),
        testcontainers_extra="rabbitmq",
        node_deps={"amqplib": "^2.3.1"},  # ships its own types
        node_types={},
        files={
            "python": ("{package}/events/rabbitmq.py", "tests/unit/test_queue_declarations.py"),
            "node": ("src/events/rabbitmq.*", "tests/unit/queue-declarations.test.*"),
        },
        fallback_files={
            "python": ("tests/integration/api/test_user_events.py",),
            "node": ("tests/integration/api/user-events.test.*",),
        },
        words=("rabbitmq", "pika", "amqp"),
    ),
}


class Answers(NamedTuple):
    """The answers that decide which files are generated."""

    family: str  # "python" or "node"
    language: str  # "python", "js" or "ts"
    services: tuple[str, ...]
    auth: bool
    ci: str


# stack answer -> (family, language); the family names the tree under template/.
STACKS = {"fastapi": ("python", "python"), "express-js": ("node", "js"), "express-ts": ("node", "ts")}


@dataclass(frozen=True)
class FileRule:
    """Paths (destination globs, per family) that exist only when `keep(answers)` holds."""

    keep: Callable[[Answers], bool]
    python: tuple[str, ...] = ()
    node: tuple[str, ...] = ()


def _service_rules(service: Service) -> list[FileRule]:
    support = {"python": f"tests/support/{service.key}.py", "node": f"tests/support/{service.key}.*"}
    folder = f"tests/integration/{service.test_folder}"
    with_it = {family: (support[family], folder, *service.files.get(family, ())) for family in FAMILIES}
    without = {family: service.fallback_files.get(family, ()) for family in FAMILIES}
    return [
        FileRule(lambda a, key=service.key: key in a.services, **with_it),
        FileRule(lambda a, key=service.key: key not in a.services, **without),
    ]


# ─── Which answer adds which files: the one table ─────────────────────────────
# Within a family's tree, paths not named here are always generated. Services add their
# rows from their records above; `{package}` is the Python package's folder.
FILE_RULES: list[FileRule] = [
    FileRule(lambda a: a.ci == "github", python=(".github",), node=(".github",)),
    FileRule(
        lambda a: a.ci == "gitlab", python=(".gitlab-ci.yml", "renovate.json"), node=(".gitlab-ci.yml", "renovate.json")
    ),
    FileRule(
        lambda a: a.auth,
        python=(
            "{package}/api/auth.py",
            "{package}/security/tokens.py",
            "tests/integration/api/test_auth.py",
            "tests/unit/test_tokens.py",
        ),
        node=("src/auth", "tests/integration/api/auth.test.*", "tests/unit/tokens.test.*"),
    ),
    # Express in TypeScript or JavaScript: one tree, each source in both languages.
    FileRule(lambda a: a.language == "ts", node=("tsconfig*.json", "src/**/*.ts", "tests/**/*.ts")),
    FileRule(lambda a: a.language == "js", node=("src/**/*.js", "tests/**/*.js")),
    # Starting services, finding them and starting containers: only where there are services.
    FileRule(
        lambda a: bool(a.services),
        python=("docker-compose.test.yml", ".env.test", "tests/support/services.py"),
        node=(
            "docker-compose.test.yml",
            ".env.test",
            "tests/support/services.*",
            "tests/support/containers.*",
            "tests/setup/global-*",
        ),
    ),
    *(rule for service in SERVICES.values() for rule in _service_rules(service)),
]


# ─── Answer checks (used by copier.yml validators) ────────────────────────────

_SLUG = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_PACKAGE = re.compile(r"^[a-z][a-z0-9_]*$")
# Names that would shadow the standard library, a dependency or the project's own layout.
_TAKEN_PACKAGE_NAMES = {
    "tests",
    "test",
    "migrations",
    "app",
    "fastapi",
    "starlette",
    "pydantic",
    "sqlalchemy",
    "alembic",
    "redis",
    "pika",
    "httpx",
    "jwt",
    "factory",
    "faker",
    "respx",
    "pytest",
    "psycopg",
    "uvicorn",
    "testcontainers",
}


def check_project_name(value: str) -> str:
    if not str(value).strip():
        return "project_name must not be empty, e.g. 'Billing Service'."
    if not re.search(r"[A-Za-z]", str(value)):
        return "project_name must contain at least one letter."
    return ""


def check_slug(value: str) -> str:
    value = str(value)
    if not value:
        return "project_slug must not be empty."
    if not _SLUG.match(value):
        return (
            f"project_slug {value!r} is not allowed: use lowercase letters, digits and single "
            "dashes, starting with a letter (e.g. 'billing-service')."
        )
    return ""


def check_package_name(value: str) -> str:
    value = str(value)
    if not value:
        return "package_name must not be empty."
    if " " in value:
        return f"package_name {value!r} contains spaces: use underscores (e.g. 'billing_service')."
    if value[0].isdigit():
        return f"package_name {value!r} starts with a digit: a Python import name must start with a letter."
    if not _PACKAGE.match(value):
        return (
            f"package_name {value!r} is not allowed: use lowercase letters, digits and underscores, "
            "starting with a letter (e.g. 'billing_service')."
        )
    if keyword.iskeyword(value) or keyword.issoftkeyword(value):
        return f"package_name {value!r} is a reserved Python keyword: choose another name."
    if value in sys.stdlib_module_names or value in _TAKEN_PACKAGE_NAMES:
        return (
            f"package_name {value!r} would shadow the module of the same name "
            "(standard library, a dependency or the project's layout): choose another name."
        )
    return ""


def whole_number(value: object) -> int | None:
    """The number a number answer holds: `int` or digits (`--data` and prompts give text)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def check_whole_number(name: str, value: object, low: int, high: int) -> str:
    """For number questions of `type: str`: Copier's own `type: int` cast fails on "many" with
    a message that names no question."""
    number = whole_number(value)
    if number is None:
        return f"{name} must be a whole number from {low} to {high}, not {value!r}."
    if not low <= number <= high:
        return f"{name} must be from {low} to {high}, not {number}."
    return ""


def to_js(value: object) -> str:
    """A dict, list or string as a JavaScript literal in the generated code's style:
    `{ POSTGRES_USER: "postgres" }`, `["redis-server", "--save", ""]`."""
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{key}: {to_js(item)}" for key, item in value.items()) + " }"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(to_js(item) for item in value) + "]"
    return json.dumps(value)


def json_text(value: object) -> str:
    """A JSON literal spelt as the generated projects write their OpenAPI snapshots (UTF-8, not
    `tojson`'s HTML-safe escapes), so a rendered snapshot equals the one `make openapi` writes."""
    return json.dumps(value, ensure_ascii=False)


def slugify_name(value: str) -> str:
    """'Billing Service 2' -> 'billing-service-2'; the default for project_slug."""
    slug = re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-")
    return re.sub(r"^[^a-z]+", "", slug)


class AnswerChecks(Extension):
    """Exposes the checks above to copier.yml validators and defaults, and the filters."""

    def __init__(self, environment):
        super().__init__(environment)
        environment.globals.update(
            check_project_name=check_project_name,
            check_slug=check_slug,
            check_package_name=check_package_name,
            check_whole_number=check_whole_number,
        )
        environment.filters["slugify_name"] = slugify_name
        environment.filters["to_js"] = to_js
        environment.filters["json_text"] = json_text


class BytecodeByName(FileSystemBytecodeCache):
    """Jinja's on-disk cache of compiled templates, one entry per template path. Jinja keys an
    entry by the file's absolute path too, and Copier renders a git template from a fresh
    clone in a new temporary folder each time: every entry would be new, and never read. An
    entry is used only while the source it was compiled from is unchanged (Jinja checks)."""

    def __init__(self) -> None:
        super().__init__(pattern="copier-integration-template-%s.cache")

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return super().get_cache_key(name)


class CompiledOnce(Extension):
    """Compiles each template once. A file template's compiled code is kept on disk between
    renders (a third of a render's time went to compiling them). Copier compiles every part of
    every path, and the answers file's name once a part, anew each time (over a thousand
    compiles in one render, most of them of the same few strings): each string is compiled
    once per render. A `{% yield %}` is left to Copier, which resets its state on each compile."""

    def __init__(self, environment):
        super().__init__(environment)
        environment.bytecode_cache = BytecodeByName()
        compile_string = environment.from_string
        compiled: dict[str, object] = {}

        def from_string(source, globals=None, template_class=None):
            if globals is not None or template_class is not None or not isinstance(source, str) or "yield" in source:
                return compile_string(source, globals, template_class)
            if source not in compiled:
                compiled[source] = compile_string(source)
            return compiled[source]

        environment.from_string = from_string


# ─── Derived context ──────────────────────────────────────────────────────────


def excluded_paths(answers: Answers, package: str) -> str:
    """Newline-separated exclude patterns for copier.yml's `_exclude`."""
    dropped = (pattern for rule in FILE_RULES if not rule.keep(answers) for pattern in getattr(rule, answers.family))
    return "\n".join(pattern.format(package=package) for pattern in dropped)


def python_packages(chosen: list[Service], *, auth: bool) -> dict:
    """pyproject.toml's dependencies and its `dev` group, and what uv builds and runs them with."""
    runtime = [*PYTHON_RUNTIME, *(PYTHON_AUTH if auth else [])]
    test = [*PYTHON_TEST, *(PYTHON_TEST_AUTH if auth else [])]
    for service in chosen:
        runtime.extend(service.python_deps)
    if chosen:
        extras = ",".join(service.testcontainers_extra for service in chosen)
        test.append(PYTHON_TESTCONTAINERS.format(extras=extras))
    return {
        "python_deps": runtime,
        "python_test_deps": test,
        "python_build_backend": PYTHON_BUILD_BACKEND,
    }


def node_packages(chosen: list[Service], *, auth: bool, typescript: bool) -> dict:
    """package.json's dependencies and devDependencies, sorted as npm writes them."""
    runtime = {**NODE_RUNTIME, **(NODE_AUTH if auth else {})}
    dev = dict(NODE_TEST)
    for service in chosen:
        runtime.update(service.node_deps)
    if chosen:
        dev.update(NODE_TESTCONTAINERS)
    if typescript:
        dev.update(NODE_TYPESCRIPT)
        dev.update(NODE_TYPESCRIPT_AUTH if auth else {})
        for service in chosen:
            dev.update(service.node_types)
    return {
        "node_deps": dict(sorted(runtime.items())),
        "node_dev_deps": dict(sorted(dev.items())),
        "node_engines": NODE_ENGINES,
    }


def held_majors(packages: dict) -> dict[str, str]:
    """The project's dependencies held back a major on purpose (see HELD_MAJORS), by name."""
    names = {*packages.get("node_deps", {}), *packages.get("node_dev_deps", {})}
    names |= {re.split(r"[\[<>=~! ]", dep, maxsplit=1)[0] for dep in packages.get("python_deps", [])}
    names |= {re.split(r"[\[<>=~! ]", dep, maxsplit=1)[0] for dep in packages.get("python_test_deps", [])}
    return {name: reason for name, reason in HELD_MAJORS.items() if name in names}


def derive(answers: dict) -> dict:
    """Everything the templates need, computed from the answers alone.

    Copier calls this in every phase (prompt, render, tasks, migrate): answers that do not
    exist yet fall back to their defaults.
    """
    stack = answers.get("stack", "fastapi")
    family, _ = STACKS.get(stack, STACKS["fastapi"])
    return _derive(
        stack=stack,
        services=tuple(key for key in SERVICES if key in (answers.get("services") or [])),
        auth=bool(answers.get("auth", True)),
        ci=answers.get("ci", "github"),
        # Until the validator has accepted the answer it may be anything ("many").
        shards=max(whole_number(answers.get("ci_shards")) or 1, 1),
        runtime=str(answers.get(CI_SETUP[family].version_question) or ""),
        package=answers.get("package_name") or "app",
        slug=str(answers.get("project_slug") or "app"),
    )


@lru_cache(maxsize=64)
def _derive(
    *, stack: str, services: tuple[str, ...], auth: bool, ci: str, shards: int, runtime: str, package: str, slug: str
) -> dict:
    # Cached: Copier builds a context for every path and file it renders.
    family, language = STACKS.get(stack, STACKS["fastapi"])
    chosen = [SERVICES[key] for key in services]
    answers = Answers(family, language, services, auth, ci)
    # Express projects have no Python package; their names derive from the slug.
    database = f"{package}_test" if family == "python" else slug.replace("-", "_") + "_test"
    packages = (
        python_packages(chosen, auth=auth)
        if family == "python"
        else node_packages(chosen, auth=auth, typescript=language == "ts")
    )
    return {
        "stack_family": family,
        "is_typescript": language == "ts",
        # Extension of the Express project's sources and tests.
        "ext": "ts" if language == "ts" else "js",
        # Every service's record by key, chosen or not; `chosen_services` in questionnaire order.
        "svc": SERVICES,
        "chosen_services": chosen,
        "enabled": list(services),
        **{f"has_{key}": key in services for key in SERVICES},
        "postgres_test_settings": POSTGRES_TEST_SETTINGS,
        "actions": ACTIONS,
        "ci_setup": CI_SETUP[family],
        "ci_image": CI_SETUP[family].gitlab_image.format(version=runtime),
        # CI runners the integration tests are split over (the `ci_shards` answer).
        "shards": shards if ci != "none" else 1,
        "lock_command": LOCK_COMMANDS[family],
        # Dependabot's name for the family's package manager.
        "dependency_ecosystem": "uv" if family == "python" else "npm",
        "held_majors": held_majors(packages),
        "test_database": database,
        # Where the example app lives (copier.yml's ownership rules).
        "app_dir": package if family == "python" else "src",
        **packages,
        "excluded_paths": excluded_paths(answers, package),
    }


class ContextUpdater(ContextHook):
    """Adds the derived values to every render; nothing here has side effects."""

    def hook(self, context):
        context.update(derive(context))
