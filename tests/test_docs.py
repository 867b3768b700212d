"""The documentation stays true: README.md and docs/*.md are checked against the code.

Links and anchors resolve, the `make` targets and `manage.py` commands shown exist
(commands are parsed with their own parser, never run), and every variable of a
configuration table is read by the settings. Code means fenced blocks and inline
code spans.
"""

import re
import shlex
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

FENCED = re.compile(r"^ *```[^\n]*\n(.*?)^ *```", re.MULTILINE | re.DOTALL)
INLINE = re.compile(r"`([^`\n]+)`")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6} +(.+?) *$", re.MULTILINE)
MAKE = re.compile(r"(?:^|&&|;|\|)\s*(?:\w+=\S*\s+)*make\s+([\w-]+)")
MANAGE = re.compile(r"manage\.py\s+(.+)")
SHELL_OPERATORS = {"|", "||", "&&", ";", ">", ">>", "2>&1", "&"}


def name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def prose(text: str) -> str:
    """The text without its fenced code blocks (their `#` lines are not headings)."""
    return FENCED.sub("", text)


def code_lines(text: str) -> list[str]:
    """Every line of code: fenced blocks (backslash continuations joined) and inline spans."""
    lines = []
    for block in FENCED.findall(text):
        lines += block.replace("\\\n", " ").splitlines()
    return lines + INLINE.findall(prose(text))


def github_anchors(text: str) -> set[str]:
    """The `#fragment`s GitHub gives the headings: lower case, punctuation dropped, `-` for
    spaces, `-1`, `-2` … for repeats."""
    anchors: set[str] = set()
    for heading in HEADING.findall(prose(text)):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        anchor, n = slug, 0
        while anchor in anchors:
            n += 1
            anchor = f"{slug}-{n}"
        anchors.add(anchor)
    return anchors


def links():
    for doc in DOCS:
        for target in dict.fromkeys(LINK.findall(prose(doc.read_text()))):
            if not re.match(r"[a-z]+:", target):  # http:, https:, mailto: are not ours
                yield pytest.param(doc, target, id=f"{name(doc)}->{target}")


def make_targets():
    for doc in DOCS:
        shown = [target for line in code_lines(doc.read_text()) for target in MAKE.findall(line)]
        for target in dict.fromkeys(shown):
            yield pytest.param(target, id=f"{name(doc)}: make {target}")


def management_commands():
    for doc in DOCS:
        shown = [rest for line in code_lines(doc.read_text()) for rest in MANAGE.findall(line)]
        for rest in dict.fromkeys(shown):
            words = shlex.split(rest, comments=True)
            for i, word in enumerate(words):
                if word in SHELL_OPERATORS:
                    words = words[:i]
                    break
            yield pytest.param(words, id=f"{name(doc)}: manage.py {' '.join(words)}")


def configuration_variables():
    """Backquoted names in the first column of every table headed `| variable |`."""
    for doc in DOCS:
        in_table = False
        for line in doc.read_text().splitlines():
            if line.startswith("| variable |"):
                in_table = True
            elif in_table and line.startswith("|"):
                first_cell = line.split("|")[1]
                for variable in re.findall(r"`([A-Z][A-Z0-9_]+)`", first_cell):
                    yield pytest.param(variable, id=f"{name(doc)}: {variable}")
            else:
                in_table = False


@pytest.mark.parametrize(("doc", "target"), list(links()))
def test_relative_link_resolves_to_a_file_and_heading(doc, target):
    path, _, anchor = target.partition("#")
    linked = (doc.parent / path).resolve() if path else doc
    assert linked.exists(), f"{name(doc)} links to {path}, which does not exist"
    if anchor:
        assert anchor in github_anchors(linked.read_text()), (
            f"{name(doc)} links to #{anchor}, not a heading of {name(linked)}"
        )


def test_the_checks_find_what_the_docs_show():
    """Guards the checks against matching nothing after a change of format."""
    assert "docs/api.md" in {p.values[1] for p in links()}
    assert {"run", "test"} <= {p.values[0] for p in make_targets()}
    assert "export_translations" in {p.values[0][0] for p in management_commands()}
    assert "SECRET_KEY" in {p.values[0] for p in configuration_variables()}


@pytest.mark.parametrize("target", list(make_targets()))
def test_make_target_exists(target):
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(rf"^{re.escape(target)}\s*:(?!=)", makefile, re.MULTILINE), (
        f"make {target}: no such target in the Makefile"
    )


@pytest.mark.parametrize("words", list(management_commands()))
def test_management_command_exists_and_accepts_the_options_shown(words):
    command, *arguments = words
    app = get_commands().get(command)
    assert app, f"manage.py {command}: no such management command"
    parser = load_command_class(app, command).create_parser("manage.py", command)
    parser.parse_args(arguments)  # raises CommandError for an unknown or malformed option


@pytest.mark.parametrize("variable", list(configuration_variables()))
def test_configuration_variable_is_read_by_the_settings(variable):
    source = (ROOT / "clinic" / "settings.py").read_text() + (ROOT / "gunicorn.conf.py").read_text()
    assert f'"{variable}"' in source or f"'{variable}'" in source, (
        f"{variable} is documented but read neither in clinic/settings.py nor gunicorn.conf.py"
    )


def test_readme_is_under_200_lines():
    assert len((ROOT / "README.md").read_text().splitlines()) < 200
