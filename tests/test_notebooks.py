"""The notebooks run top to bottom, are committed without outputs, and match their generator.

Each notebook is executed once per test session in a fresh kernel of the interpreter running
the tests, with ``notebooks/`` as its working directory (as in Jupyter).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest
from conftest import load_script

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "notebooks"
NAMES = ("walkthrough.ipynb", "food-table.ipynb")
# [outputs] charts each notebook draws: at least these many PNG images.
MIN_IMAGES = {"walkthrough.ipynb": 4, "food-table.ipynb": 3}


def _generator():
    return load_script("tools/make_notebooks.py")


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    """A ``python3`` kernel spec that starts this interpreter, first on JUPYTER_PATH.

    Without it, a ``python3`` spec in the user's Jupyter folders could start another
    Python, with another planner (or none) installed.
    """
    from ipykernel.kernelspec import install
    from jupyter_client.kernelspec import KernelSpecManager

    prefix = tmp_path_factory.mktemp("jupyter")
    install(user=False, prefix=str(prefix))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUPYTER_PATH", str(prefix / "share" / "jupyter"))
        spec = KernelSpecManager().get_kernel_spec("python3")
        assert spec.argv[0] == sys.executable, spec.argv
        yield "python3"


@pytest.fixture(scope="module")
def executed(kernel):
    """Run a notebook once and return it with its outputs; raises on the first error."""
    from nbclient import NotebookClient

    done: dict[str, nbformat.NotebookNode] = {}

    def run(name: str) -> nbformat.NotebookNode:
        if name not in done:
            nb = nbformat.read(FOLDER / name, as_version=4)
            client = NotebookClient(
                nb,
                timeout=600,
                kernel_name=kernel,
                resources={"metadata": {"path": str(FOLDER)}},
            )
            client.execute()
            done[name] = nb
        return done[name]

    return run


def _outputs(nb: nbformat.NotebookNode) -> list:
    return [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs]


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_cleanly(executed, name):
    outputs = _outputs(executed(name))
    errors = [out for out in outputs if out.output_type == "error"]
    assert not errors, errors
    # A warning printed in a notebook (a deprecation, a pandas FutureWarning) is the start
    # of rot: fix it while the notebook still runs.
    stderr = [out.text for out in outputs if out.get("name") == "stderr"]
    assert not stderr, "".join(stderr)


@pytest.mark.parametrize("name", NAMES)
def test_notebook_draws_its_charts(executed, name):
    images = [out for out in _outputs(executed(name)) if "image/png" in out.get("data", {})]
    assert len(images) >= MIN_IMAGES[name]


@pytest.mark.parametrize("name", NAMES)
def test_committed_notebook_has_no_outputs(name):
    nb = nbformat.read(FOLDER / name, as_version=4)
    nbformat.validate(nb)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert code
    assert [cell.outputs for cell in code] == [[]] * len(code)
    assert {cell.execution_count for cell in code} == {None}


def test_generator_reproduces_committed_notebooks():
    generator = _generator()
    built = generator.notebooks()
    assert sorted(built) == sorted(NAMES)
    for name, nb in built.items():
        committed = (FOLDER / name).read_text(encoding="utf-8")
        assert committed == generator.render(nb), (
            f"notebooks/{name} differs from what tools/make_notebooks.py builds; "
            "edit the generator and run it, rather than the notebook"
        )
