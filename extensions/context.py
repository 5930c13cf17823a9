"""Jinja extensions of the template: answer checks and the derived rendering context.

Everything a template needs beyond the raw answers is computed here, once, so the
files under ``template/`` stay plain code with few and shallow ``{% if %}`` blocks.
Versions of images and packages live in the tables below and nowhere else.
"""

from __future__ import annotations

import keyword
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from copier_template_extensions import ContextHook
from jinja2.ext import Extension

# ─── Versions: the one table ──────────────────────────────────────────────────

# Image majors are pinned; the tag also decides the tmpfs path (postgres 18+ moved it).
POSTGRES_MAJOR = 17
IMAGES = {
    "postgres": f"postgres:{POSTGRES_MAJOR}-alpine",
    "redis": "redis:7-alpine",
    "rabbitmq": "rabbitmq:4.1-alpine",
}

PYTHON_RUNTIME = [
    "fastapi>=0.115,<1",
    "pydantic-settings>=2.4,<3",
    "email-validator>=2.2,<3",
    "httpx>=0.28,<1",
    "uvicorn>=0.30,<1",
]
PYTHON_AUTH = ["pyjwt>=2.9,<3"]
PYTHON_TEST = [
    "pytest>=8.3,<10",
    "pytest-xdist>=3.6,<4",
    "pytest-randomly>=3.15,<6",
    "pytest-timeout>=2.3,<3",
    "pytest-cov>=6,<8",
    "factory-boy>=3.3,<4",
    "faker>=30",
    "respx>=0.22,<1",
    # Starlette's TestClient runs on httpx2; the app's own client stays on httpx (respx mocks it).
    "httpx2>=2.16,<3",
    "ruff>=0.12,<1",
]

# npm ranges of the Express stack. Majors are pinned where the next one breaks us:
# TypeScript 7 (ts-jest, typescript-eslint), nock 15 and @faker-js/faker 10 (ESM-only),
# testcontainers 12 (Node 22). node-pg-migrate 8+ is ESM-only: only its CLI is used.
NODE_RUNTIME = {
    "bcryptjs": "^3.0.2",
    "cors": "^2.8.5",
    "express": "^5.1.0",
    "helmet": "^8.1.0",
    "zod": "^4.1.0",
}
NODE_AUTH = {"jsonwebtoken": "^9.0.2"}
NODE_TEST = {
    "@eslint/js": "^9.39.0",
    "@faker-js/faker": "^9.9.0",
    "eslint": "^9.39.0",
    "globals": "^16.4.0",
    "jest": "^30.2.0",
    "jest-junit": "^16.0.0",
    "nock": "^14.0.10",
    "supertest": "^7.1.4",
}
NODE_TESTCONTAINERS = {"testcontainers": "^11.7.0"}
NODE_TYPESCRIPT = {
    "@swc/core": "^1.13.0",
    "@swc/jest": "^0.2.39",
    "@types/cors": "^2.8.19",
    "@types/express": "^5.0.3",
    "@types/jest": "^30.0.0",
    "@types/node": "^20.19.0",
    "@types/supertest": "^6.0.3",
    "typescript": "~6.0.3",
    "typescript-eslint": "^8.46.0",
}
NODE_TYPESCRIPT_AUTH = {"@types/jsonwebtoken": "^9.0.10"}
# Lowest Node the generated package.json accepts (eslint 9/10 and faker 9 need 20.19).
NODE_ENGINES = ">=20.19"


@dataclass(frozen=True)
class Service:
    """One backing service and everything templates say about it."""

    key: str
    title: str
    env_var: str  # URL the tests read first
    app_env_var: str  # URL the app reads at run time
    port: int
    host_port_var: str  # compose host port override
    local_url: str  # URL of the service on loopback, for docs and compose users
    python_deps: tuple[str, ...]
    node_deps: dict[str, str]  # npm runtime dependencies
    node_types: dict[str, str]  # their @types packages (TypeScript only)
    testcontainers_extra: str
    marker: str
    test_folder: str  # tests/integration/<folder> holds its tests
    start_command: str  # how a developer starts it without Docker (shown in errors)
    extra: dict[str, str] = field(default_factory=dict)


SERVICES = {
    "postgres": Service(
        key="postgres",
        title="PostgreSQL",
        env_var="TEST_DATABASE_URL",
        app_env_var="DATABASE_URL",
        port=5432,
        host_port_var="TEST_POSTGRES_PORT",
        local_url="postgresql://postgres:postgres@127.0.0.1:{port}/{db}",
        python_deps=("sqlalchemy>=2.0.30,<3", "psycopg[binary]>=3.2,<4", "alembic>=1.13,<2"),
        node_deps={"node-pg-migrate": "^8.0.3", "pg": "^8.16.0"},
        node_types={"@types/pg": "^8.15.0"},
        testcontainers_extra="postgres",
        marker="database",
        test_folder="database",
        start_command="docker compose -f docker-compose.test.yml up -d --wait postgres",
    ),
    "redis": Service(
        key="redis",
        title="Redis",
        env_var="TEST_REDIS_URL",
        app_env_var="REDIS_URL",
        port=6379,
        host_port_var="TEST_REDIS_PORT",
        local_url="redis://127.0.0.1:{port}/0",
        python_deps=("redis>=5.2,<9",),
        node_deps={"ioredis": "^5.8.0"},
        node_types={},
        testcontainers_extra="redis",
        marker="redis",
        test_folder="cache",
        start_command="docker compose -f docker-compose.test.yml up -d --wait redis",
    ),
    "rabbitmq": Service(
        key="rabbitmq",
        title="RabbitMQ",
        env_var="TEST_AMQP_URL",
        app_env_var="AMQP_URL",
        port=5672,
        host_port_var="TEST_RABBITMQ_PORT",
        local_url="amqp://guest:guest@127.0.0.1:{port}/%2F",
        python_deps=("pika>=1.3,<2",),
        node_deps={"amqplib": "^2.3.0"},  # ships its own types
        node_types={},
        testcontainers_extra="rabbitmq",
        marker="rabbitmq",
        test_folder="queue",
        start_command="docker compose -f docker-compose.test.yml up -d --wait rabbitmq",
    ),
}
SERVICE_ORDER = list(SERVICES)
SERVICE_FIXTURES = {"postgres": "database_url", "redis": "redis_target", "rabbitmq": "amqp_url"}

# Host ports in docker-compose.test.yml: offset from the defaults so a developer's own
# Postgres/Redis/RabbitMQ on the standard ports never collides with the test ones.
COMPOSE_PORT_OFFSET = 50000


class Answers(NamedTuple):
    """The answers that decide which files are generated."""

    stack_family: str  # "python" or "node"
    language: str  # "python", "js" or "ts"
    package: str
    services: tuple[str, ...]
    auth: bool
    ci: str


STACKS = {"fastapi": "python", "express-js": "node", "express-ts": "node"}
LANGUAGES = {"fastapi": "python", "express-js": "js", "express-ts": "ts"}
AVAILABLE_STACKS = ("fastapi", "express-js", "express-ts")

# ─── Which answer adds which files: the one table ─────────────────────────────
# (glob over destination paths, who keeps it). Paths not listed are always kept.
# A pattern may name the Python package as `{package}`.
FILE_RULES: list[tuple[str, Callable[[Answers], bool]]] = [
    (".github", lambda a: a.ci == "github"),
    (".gitlab-ci.yml", lambda a: a.ci == "gitlab"),
    # The stack: Python files for FastAPI only.
    ("{package}", lambda a: a.stack_family == "python"),
    ("pyproject.toml", lambda a: a.stack_family == "python"),
    ("tests/**/*.py", lambda a: a.stack_family == "python"),
    ("migrations/env.py", lambda a: a.stack_family == "python"),
    ("migrations/script.py.mako", lambda a: a.stack_family == "python"),
    ("migrations/versions", lambda a: a.stack_family == "python"),
    ("alembic.ini", lambda a: a.stack_family == "python"),
    # The stack: Node files for Express only, and each language its own sources and tests.
    ("package.json", lambda a: a.stack_family == "node"),
    ("jest.config.js", lambda a: a.stack_family == "node"),
    ("eslint.config.js", lambda a: a.stack_family == "node"),
    ("src", lambda a: a.stack_family == "node"),
    ("migrations/*.sql", lambda a: a.stack_family == "node"),
    ("tsconfig.json", lambda a: a.language == "ts"),
    ("tsconfig.build.json", lambda a: a.language == "ts"),
    ("src/**/*.ts", lambda a: a.language == "ts"),
    ("tests/**/*.ts", lambda a: a.language == "ts"),
    ("src/**/*.js", lambda a: a.language == "js"),
    ("tests/**/*.js", lambda a: a.language == "js"),
    ("tests/setup", lambda a: a.stack_family == "node"),
    # PostgreSQL: models, migrations and their tests; without it users live in memory.
    ("migrations", lambda a: "postgres" in a.services),
    ("alembic.ini", lambda a: "postgres" in a.services),
    ("*/db.py", lambda a: "postgres" in a.services),
    ("*/models.py", lambda a: "postgres" in a.services),
    ("*/repositories/sql.py", lambda a: "postgres" in a.services),
    ("*/repositories/memory.py", lambda a: "postgres" not in a.services),
    ("tests/integration/database", lambda a: "postgres" in a.services),
    ("tests/support/postgres.py", lambda a: "postgres" in a.services),
    ("tests/support/database_names.py", lambda a: "postgres" in a.services),
    ("tests/unit/test_database_names.py", lambda a: "postgres" in a.services),
    # Redis: cache and rate limiter backends; without it both live in process memory.
    ("*/cache/redis_cache.py", lambda a: "redis" in a.services),
    ("*/ratelimit/redis_limiter.py", lambda a: "redis" in a.services),
    ("tests/integration/cache", lambda a: "redis" in a.services),
    ("tests/support/redis.py", lambda a: "redis" in a.services),
    # RabbitMQ: the user.created event goes to an exchange; without it, to an in-memory log.
    ("*/events/rabbitmq.py", lambda a: "rabbitmq" in a.services),
    ("tests/integration/queue", lambda a: "rabbitmq" in a.services),
    ("tests/support/rabbitmq.py", lambda a: "rabbitmq" in a.services),
    ("tests/unit/test_queue_declarations.py", lambda a: "rabbitmq" in a.services),
    ("tests/integration/api/test_user_events.py", lambda a: "rabbitmq" not in a.services),
    # JWT auth.
    ("*/api/auth.py", lambda a: a.auth),
    ("*/security/tokens.py", lambda a: a.auth),
    ("tests/integration/api/test_auth.py", lambda a: a.auth),
    ("tests/unit/test_tokens.py", lambda a: a.auth),
    # The Express project, by service and option (both languages: `name.*`).
    ("src/db.*", lambda a: "postgres" in a.services),
    ("src/users/sql-repository.*", lambda a: "postgres" in a.services),
    ("src/users/memory-repository.*", lambda a: "postgres" not in a.services),
    ("tests/support/postgres.*", lambda a: "postgres" in a.services),
    ("tests/unit/database-names.test.*", lambda a: "postgres" in a.services),
    ("src/cache/redis-cache.*", lambda a: "redis" in a.services),
    ("src/ratelimit/redis-limiter.*", lambda a: "redis" in a.services),
    ("tests/support/redis.*", lambda a: "redis" in a.services),
    ("src/events/rabbitmq.*", lambda a: "rabbitmq" in a.services),
    ("tests/support/rabbitmq.*", lambda a: "rabbitmq" in a.services),
    ("tests/unit/queue-declarations.test.*", lambda a: "rabbitmq" in a.services),
    ("tests/integration/api/user-events.test.*", lambda a: "rabbitmq" not in a.services),
    ("tests/support/containers.*", lambda a: bool(a.services)),
    ("tests/support/services.*", lambda a: bool(a.services)),
    ("tests/setup/global-*", lambda a: bool(a.services)),
    ("tests/support/database-names.*", lambda a: "postgres" in a.services),
    ("src/auth", lambda a: a.auth),
    ("tests/integration/api/auth.test.*", lambda a: a.auth),
    ("tests/unit/tokens.test.*", lambda a: a.auth),
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


def check_stack(value: str) -> str:
    if value not in STACKS:
        return f"stack {value!r} is unknown: choose one of {', '.join(STACKS)}."
    if value not in AVAILABLE_STACKS:
        return f"stack {value!r} is not available yet: choose one of {', '.join(AVAILABLE_STACKS)}."
    return ""


def check_coverage(value: object) -> str:
    try:
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return f"coverage_threshold must be a whole number from 0 to 100, not {value!r}."
    if not 0 <= number <= 100:
        return f"coverage_threshold must be from 0 to 100, not {number}."
    return ""


def slugify_name(value: str) -> str:
    """'Billing Service 2' -> 'billing-service-2'; the default for project_slug."""
    slug = re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-")
    return re.sub(r"^[^a-z]+", "", slug)


class AnswerChecks(Extension):
    """Exposes the checks above to copier.yml validators and defaults."""

    def __init__(self, environment):
        super().__init__(environment)
        environment.globals.update(
            check_project_name=check_project_name,
            check_slug=check_slug,
            check_package_name=check_package_name,
            check_stack=check_stack,
            check_coverage=check_coverage,
        )
        environment.filters["slugify_name"] = slugify_name


# ─── Derived context ──────────────────────────────────────────────────────────


def excluded_paths(answers: Answers) -> str:
    """Newline-separated exclude patterns for copier.yml's `_exclude`."""
    patterns = (pattern.format(package=answers.package) for pattern, keep in FILE_RULES if not keep(answers))
    return "\n".join(patterns)


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


def derive(answers: dict) -> dict:
    """Everything the templates need, computed from the answers alone."""
    services = tuple(key for key in SERVICE_ORDER if key in (answers.get("services") or []))
    return _derive(
        stack=answers.get("stack", "fastapi"),
        services=services,
        auth=bool(answers.get("auth", True)),
        ci=answers.get("ci", "github"),
        package=answers.get("package_name") or "app",
        slug=str(answers.get("project_slug") or "app"),
    )


@lru_cache(maxsize=64)
def _derive(*, stack: str, services: tuple[str, ...], auth: bool, ci: str, package: str, slug: str) -> dict:
    # Cached: Copier builds a context for every path and file it renders.
    chosen = [SERVICES[key] for key in services]
    stack_family = STACKS.get(stack, "python")
    language = LANGUAGES.get(stack, "python")
    # Express projects have no Python package; their names derive from the slug.
    database = f"{package}_test" if stack_family == "python" else slug.replace("-", "_") + "_test"

    python_deps = [*PYTHON_RUNTIME, *(PYTHON_AUTH if auth else [])]
    for service in chosen:
        python_deps.extend(service.python_deps)
    test_deps = list(PYTHON_TEST)
    if chosen:
        extras = ",".join(s.testcontainers_extra for s in chosen)
        test_deps.append(f"testcontainers[{extras}]>=4.15,<5")

    compose_ports = {s.key: s.port + COMPOSE_PORT_OFFSET for s in chosen}
    compose_urls = {
        s.key: s.local_url.format(port=f"${{{s.host_port_var}:-{compose_ports[s.key]}}}", db=database) for s in chosen
    }
    rule_answers = Answers(stack_family, language, package, services, auth, ci)
    return {
        "enabled": list(services),
        "chosen_services": chosen,
        "has_postgres": "postgres" in services,
        "has_redis": "redis" in services,
        "has_rabbitmq": "rabbitmq" in services,
        "stack_family": stack_family,
        "is_typescript": language == "ts",
        # Extension of the Express project's sources and tests.
        "ext": "ts" if language == "ts" else "js",
        **node_packages(chosen, auth=auth, typescript=language == "ts"),
        "images": IMAGES,
        "postgres_major": POSTGRES_MAJOR,
        "postgres_data_dir": "/var/lib/postgresql" if POSTGRES_MAJOR >= 18 else "/var/lib/postgresql/data",
        "python_deps": python_deps,
        "python_test_deps": test_deps,
        "test_database": database,
        "compose_ports": compose_ports,
        "compose_urls": compose_urls,
        "markers": {s.key: s.marker for s in chosen},
        "start_commands": {s.key: s.start_command for s in chosen},
        # Session fixtures (from tests/support) that hold each chosen service's URL.
        "service_fixtures": [SERVICE_FIXTURES[key] for key in services],
        # Express: the Service objects of tests/support that globalSetup resolves.
        "service_constants": [key.upper() for key in services],
        "excluded_paths": excluded_paths(rule_answers),
    }


class ContextUpdater(ContextHook):
    """Adds the derived values to every render.

    Copier calls this in every phase (prompt, render, tasks, migrate); answers that do not
    exist yet fall back to their defaults, and nothing here has side effects.
    """

    def hook(self, context):
        context.update(derive(context))
