"""The questionnaire: defaults, validators (each message), and `when` logic."""

import pytest
import yaml

from tests.helpers import render


def test_defaults_give_a_fastapi_project_with_every_service(template, tmp_path):
    project = render(template, tmp_path / "p")

    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["stack"] == "fastapi"
    assert answers["services"] == ["postgres", "redis", "rabbitmq"]
    assert (answers["ci"], answers["ci_shards"], answers["auth"], answers["min_coverage"]) == (
        "github",
        "1",
        True,
        70,
    )
    assert answers["project_slug"] == "demo-service"
    assert answers["package_name"] == "demo_service"
    assert "node_version" not in answers  # asked only for Express
    assert (project / "demo_service" / "main.py").exists()


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"project_name": "   "}, "project_name must not be empty"),
        ({"project_name": "123"}, "must contain at least one letter"),
        ({"project_slug": "Bad Slug"}, "project_slug 'Bad Slug' is not allowed"),
        ({"package_name": "my package"}, "contains spaces"),
        ({"package_name": "1service"}, "starts with a digit"),
        ({"package_name": "class"}, "reserved Python keyword"),
        ({"package_name": "json"}, "would shadow the module"),
        ({"package_name": ""}, "package_name must not be empty"),
        ({"min_coverage": 101}, "min_coverage must be from 0 to 100, not 101"),
        ({"ci_shards": 0}, "ci_shards must be from 1 to 32, not 0"),
        ({"ci_shards": 33}, "ci_shards must be from 1 to 32, not 33"),
        ({"ci_shards": "many"}, "ci_shards must be a whole number from 1 to 32, not 'many'"),
        ({"ci_shards": 2.5}, "ci_shards must be a whole number from 1 to 32, not '2.5'"),
        ({"stack": "django"}, "Invalid choice for 'stack': 'django'"),
    ],
)
def test_bad_answers_are_rejected_with_their_message_and_nothing_is_written(template, tmp_path, answers, message):
    destination = tmp_path / "p"

    with pytest.raises(ValueError, match=message):
        render(template, destination, **answers)

    assert not destination.exists() or not any(destination.iterdir())


def test_a_choice_outside_the_list_names_what_is_allowed(template, tmp_path):
    with pytest.raises(ValueError, match="(?s)ci.*github.*gitlab.*none|Invalid choice"):
        render(template, tmp_path / "p", ci="jenkins")


def test_answers_are_recorded_for_updates(template, tmp_path):
    project = render(template, tmp_path / "p", services=["redis"], auth=False, ci="gitlab")

    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert (answers["services"], answers["auth"], answers["ci"]) == (["redis"], False, "gitlab")


def test_ci_shards_is_a_number_asked_only_with_ci(template, tmp_path):
    # `--data ci_shards=3` arrives as text, as a prompt's answer does.
    sharded = render(template, tmp_path / "sharded", ci="gitlab", ci_shards="3")
    without_ci = render(template, tmp_path / "without-ci", ci="none")

    assert yaml.safe_load((sharded / ".copier-answers.yml").read_text())["ci_shards"] == "3"
    assert yaml.safe_load((sharded / ".gitlab-ci.yml").read_text())["integration"]["parallel"] == 3
    assert "ci_shards" not in yaml.safe_load((without_ci / ".copier-answers.yml").read_text())
