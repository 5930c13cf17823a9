"""The template's releases, read from its own history, and a throwaway clone tagged with them.

A release is the commit that adds its version's section to CHANGELOG.md (a branch's commits
travel, tags may not), and publishing tags that commit `v<version>`. The update tests tag the
same commits in a clone, so they update across the real releases without the network.
"""

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from packaging.version import InvalidVersion, Version

from tests.helpers import REPO

GIT = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"]
HEADING = re.compile(r"^## (\S+)", re.MULTILINE)


def git(repo: Path, *args: str) -> str:
    return subprocess.run([*GIT, "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def versions_in(changelog: str) -> list[Version]:
    """The released versions a CHANGELOG.md lists (headings that are PEP 440 versions)."""
    found = []
    for heading in HEADING.findall(changelog):
        try:
            found.append(Version(heading))
        except InvalidVersion:  # "Unreleased"
            continue
    return found


def releases(repo: Path) -> dict[Version, str]:
    """Each release's commit, oldest first: the first commit whose CHANGELOG.md has its version."""
    found: dict[Version, str] = {}
    for commit in git(repo, "log", "--reverse", "--format=%H", "--", "CHANGELOG.md").split():
        for version in versions_in(git(repo, "show", f"{commit}:CHANGELOG.md")):
            found.setdefault(version, commit)
    return dict(sorted(found.items()))


@dataclass(frozen=True)
class ReleasedTemplate:
    """A clone of the template with its releases tagged; `current` is the working tree's state."""

    path: Path
    tags: dict[Version, str]  # version -> tag
    current: str  # a release's tag, or the commit of the unreleased work on top of the last one

    def release_before(self, version: Version | str) -> str:
        """The newest release's tag strictly older than `version`."""
        older = [tag for released, tag in self.tags.items() if released < Version(str(version))]
        assert older, (
            f"no release before {version} in the template's history: these tests read the releases "
            "from git (clone the template without --depth)"
        )
        return older[-1]

    @property
    def older(self) -> list[str]:
        """The releases a project can be updated from to `current`, newest first."""
        tags = list(self.tags.values())
        end = tags.index(self.current) if self.current in tags else len(tags)
        return tags[:end][::-1]

    @property
    def previous(self) -> str:
        """The release before `current`."""
        assert self.older, "no release before the current one in the template's history (a shallow clone?)"
        return self.older[0]


def released_clone(working_tree: Path, destination: Path) -> ReleasedTemplate:
    """Clone the template's history, commit `working_tree` (a snapshot of the files as they are
    now, uncommitted edits included) on top, and tag every release, that commit included if it
    adds a version to CHANGELOG.md."""
    assert git(REPO, "rev-parse", "--is-shallow-repository").strip() == "false", (
        "the template's checkout is shallow: the update tests read the releases from its history"
    )
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(REPO), str(destination)], check=True)
    for entry in destination.iterdir():
        if entry.name != ".git":
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    shutil.copytree(working_tree, destination, dirs_exist_ok=True)
    git(destination, "add", "-A")
    if git(destination, "status", "--porcelain").strip():
        git(destination, "commit", "-q", "-m", "The working tree")
    head = git(destination, "rev-parse", "HEAD").strip()
    commits = releases(destination)
    tags = {version: f"v{version}" for version in commits}
    for version, commit in commits.items():
        git(destination, "tag", "--force", tags[version], commit)  # derived, whatever was published
    current = next((tags[version] for version, commit in commits.items() if commit == head), head)
    return ReleasedTemplate(destination, tags, current)
