"""requirements.lock, which `make run` and `make test` install from, agrees with pyproject.toml."""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}\b")


def required() -> list[Requirement]:
    """What pyproject asks for, the dev tools and what builds the project included, and the pip that installs it."""
    project = PYPROJECT["project"]
    texts = [*project["dependencies"], *project["optional-dependencies"]["dev"], *PYPROJECT["build-system"]["requires"]]
    return [Requirement(text) for text in [*texts, "pip"]]


def locked() -> dict[str, dict]:
    """Each package in the lock, by name: its requirement line (continuations joined) and the notes under it."""
    entries: dict[str, dict] = {}
    entry: dict = {"notes": []}
    for line in (ROOT / "requirements.lock").read_text().replace("\\\n", " ").splitlines():
        if line.startswith(" ") and line.strip().startswith("#"):
            entry["notes"].append(line.strip())
        elif line.strip() and not line.startswith(("#", "-", " ")):
            requirement = Requirement(line.split(" --hash")[0])
            entry = {"requirement": requirement, "hashes": HASH.findall(line), "notes": []}
            entries[canonicalize_name(requirement.name)] = entry
    return entries


def test_every_dependency_in_pyproject_is_pinned_in_the_lock():
    lock = locked()
    disagreements = []
    for requirement in required():
        entry = lock.get(canonicalize_name(requirement.name))
        if entry is None:
            disagreements.append(f"{requirement}: not in the lock")
        elif not version(entry) or not requirement.specifier.contains(version(entry), prereleases=True):
            disagreements.append(f"{requirement}: the lock has {entry['requirement']}")
    assert not disagreements, "run `make lock`: " + "; ".join(disagreements)


def test_every_package_in_the_lock_is_pinned_exactly_with_a_hash():
    loose = [name for name, entry in locked().items() if not version(entry) or not entry["hashes"]]
    assert not loose, f"pinned without == or without a sha256 hash: {loose}"


def test_the_lock_holds_nothing_for_pyproject_that_pyproject_no_longer_asks_for():
    asked = {canonicalize_name(requirement.name) for requirement in required()}
    dropped = [
        name
        for name, entry in locked().items()
        if any("burden-tracker (pyproject.toml)" in note for note in entry["notes"]) and name not in asked
    ]
    assert not dropped, f"run `make lock`: pyproject no longer asks for {dropped}"


def version(entry: dict) -> str | None:
    """The one exact version the lock pins, or None when it pins a range."""
    specifiers = list(entry["requirement"].specifier)
    if len(specifiers) == 1 and specifiers[0].operator == "==" and "*" not in specifiers[0].version:
        return specifiers[0].version
    return None
