"""The floors of the package (docs/architecture.md). The contracts in pyproject.toml ([tool.importlinter]) say which
floor may import which, that the pure core loads no database and no web framework, and that no modules import each
other in a circle; `lint-imports` checks them here and in `make lint`. So a wrong import fails a test rather than a
review. What the contracts cannot see is checked beside them: what a fresh interpreter actually loads, and the length
of modules."""

import subprocess
import sys
from pathlib import Path

import burden_tracker

PACKAGE = Path(burden_tracker.__file__).parent
ROOT = PACKAGE.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
LONGEST = 300
# A module longer than this says why at its top, in a comment or its docstring, with these words.
WHY_LONG = "One module of more than 300 lines"


def test_every_import_keeps_the_contracts_of_the_floors():
    result = subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_pure_core_loads_neither_the_database_nor_flask():
    """In a fresh interpreter, which loads what imports inside functions and the package itself bring as well."""
    loaded = ("import sys, burden_tracker.hours, burden_tracker.workflow, burden_tracker.naming, burden_tracker.waits; "
              "print(sorted({name.split('.')[0] for name in sys.modules} & {'sqlalchemy', 'sqlmodel', 'flask', "
              "'psycopg'} | set(sys.modules) & {'burden_tracker.db', 'burden_tracker.models'}))")
    result = subprocess.run([sys.executable, "-c", loaded], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_a_long_module_says_why_it_is_one_module():
    long = {str(path.relative_to(ROOT)) for path in PACKAGE.rglob("*.py")
            if "migrations" not in path.parts and len(path.read_text(encoding="utf-8").splitlines()) > LONGEST
            and WHY_LONG not in path.read_text(encoding="utf-8")}
    assert sorted(long) == []


TESTS = ROOT / "tests"
# Tests of the project as a whole rather than of one module; each says so in its docstring.
WHOLE = {"unit/test_floors.py", "unit/test_lock.py"}


def _module_tested(test: Path) -> Path | None:
    """The module a test file names, `test_<module>.py` or `test_<module>_<side>.py`, beside its floor."""
    floor = test.parent.relative_to(TESTS).parts[1:]  # unit/services/test_x.py -> ("services",)
    words = test.stem.removeprefix("test_").split("_")
    for end in range(len(words), 0, -1):
        module = PACKAGE.joinpath(*floor, "_".join(words[:end]) + ".py")
        if module.exists():
            return module
    return None


def test_each_unit_and_integration_test_sits_where_its_module_does():
    tests = [path for kind in ("unit", "integration") for path in (TESTS / kind).rglob("test_*.py")]
    astray = [str(path.relative_to(TESTS)) for path in tests
              if str(path.relative_to(TESTS)) not in WHOLE and _module_tested(path) is None]
    assert len(tests) > 40 and astray == []


def test_no_test_imports_another_test_module():
    """What tests share lives in tests/support, so moving or deleting a test never breaks another."""
    importing = [str(path.relative_to(TESTS)) for path in TESTS.rglob("*.py")
                 if "from tests." in (text := path.read_text(encoding="utf-8"))
                 and any(line.startswith(("from tests.", "    from tests.")) and ".test_" in line.split(" import")[0]
                         for line in text.splitlines())]
    assert importing == []
