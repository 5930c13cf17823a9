"""The questionnaire as a person answers it, in a pseudo-terminal: typing, arrow keys and
space in the multiselect, Enter; a bad answer is re-asked with its message."""

import sys
from pathlib import Path

import pexpect

from tests.helpers import render, tree_differences

DOWN, SPACE, ENTER, ERASE_LINE = "\x1b[B", " ", "\r", "\x15"


def test_answering_the_prompts_gives_the_same_project_as_data(template, tmp_path):
    typed = tmp_path / "typed"
    copier = str(Path(sys.executable).parent / "copier")
    child = pexpect.spawn(
        copier,
        ["copy", "--trust", str(template), str(typed)],
        env={"TERM": "xterm", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        dimensions=(40, 160),
        encoding="utf-8",
        timeout=30,
    )

    child.expect("Human-readable project name")
    child.send("Demo Service" + ENTER)
    child.expect("Repository and distribution name")
    child.send(ERASE_LINE + "Bad Slug" + ENTER)
    child.expect("is not allowed: use lowercase letters")  # re-asked, with the reason
    child.send(ERASE_LINE + "demo-service" + ENTER)
    child.expect("Web framework and language")
    child.send(ENTER)  # FastAPI, the default
    child.expect("Python import name")
    child.send(ENTER)
    child.expect("Backing services")
    child.send(DOWN + DOWN + SPACE + ENTER)  # all three are preselected: untick RabbitMQ
    child.expect("Continuous integration provider")
    child.send(DOWN + ENTER)  # GitLab CI
    child.expect("CI runners the integration tests are spread over")
    child.send(ERASE_LINE + "many" + ENTER)
    child.expect("ci_shards must be a whole number from 1 to 32")  # re-asked, with the reason
    child.send(ERASE_LINE + "3" + ENTER)
    child.expect("Protect the example API")
    child.send("n")
    child.expect("Minimum total coverage")
    child.send(ERASE_LINE + "80" + ENTER)
    child.expect("Python version for CI")
    child.send(ENTER)
    child.expect(pexpect.EOF, timeout=60)
    child.close()
    assert child.exitstatus == 0, child.before

    given = render(
        template,
        tmp_path / "given",
        services=["postgres", "redis"],
        ci="gitlab",
        ci_shards=3,
        auth=False,
        min_coverage=80,
    )
    assert "node_version" not in (typed / ".copier-answers.yml").read_text()  # Express-only, never asked
    assert tree_differences(typed, given) == []
