"""The course as students and instructors meet it: JupyterLab and nbgrader in a real (headless) browser.

Student: open the released A1, Run All, read the failing checks; type a plausible wrong
answer and read the check's hint; type the right answer and see its check pass; press
nbgrader's Validate and read the verdict. Instructor: the formgrader lists the course's
assignments. Reader: a lecture runs in fast mode and shows its plots.
Each step leaves a screenshot in test-artifacts/browser/.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import nbformat
import pytest

# one worker starts JupyterLab once for all browser tests under `--dist loadgroup`
pytestmark = [pytest.mark.browser, pytest.mark.timeout(300), pytest.mark.xdist_group("browser")]

A1 = "a1_convolution"
LECTURE = "lectures/01_convolution_as_sum_of_random_variables.ipynb"
RUN_TIMEOUT_MS = 120_000
GRADING_COURSE = Path(__file__).resolve().parents[1] / "grading" / "course.py"  # the mutants' loader


# ----------------------------------------------------------------------------- notebook helpers


def graded_cells(path: Path) -> dict[str, tuple[int, dict]]:
    """grade_id -> (cell index, nbgrader metadata) for every nbgrader cell of a notebook."""
    notebook = nbformat.read(path, as_version=4)
    found = {}
    for index, cell in enumerate(notebook.cells):
        meta = cell.metadata.get("nbgrader")
        if meta and "grade_id" in meta:
            found[meta["grade_id"]] = (index, meta)
    return found


def solution_source(course: Path, assignment: str, grade_id: str) -> str:
    """The instructor's solution of one graded cell, from the source notebook."""
    notebook = nbformat.read(course / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            return cell.source
    raise LookupError(f"no cell {grade_id!r} in the {assignment} solution")


def wrong_answer(assignment: str, grade_id: str, test_id: str) -> str | None:
    """A mutant (plausible mistake) of ``grade_id`` that its check ``test_id`` catches, if the course has one."""
    spec = importlib.util.spec_from_file_location("grading_course", GRADING_COURSE)
    course = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(course)
    for mutant in course.load_mutants(assignment):
        if mutant["cell"] == grade_id and test_id in mutant["fails"]:
            return mutant["source"]
    return None


def open_notebook(page, server, relative: str) -> None:
    """Open a notebook in JupyterLab (fresh workspace) and wait for its kernel to be idle."""
    page.goto(server.url(f"lab/tree/{relative}?reset"))
    page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").first.wait_for(state="visible", timeout=60_000)
    wait_kernel_idle(page)


def wait_kernel_idle(page, timeout: int = 60_000) -> None:
    """Wait until the status bar says the notebook's kernel is started and idle."""
    page.wait_for_function(
        """() => {
            const bar = document.querySelector('#jp-main-statusbar');
            const text = bar ? bar.innerText : '';
            return /\\| Idle/.test(text) && !text.includes('No Kernel');
        }""",
        timeout=timeout,
    )


def first_prompt_number(page) -> int:
    """Execution count shown on the first code cell (0 when it has not run)."""
    text = page.locator(".jp-Notebook .jp-CodeCell .jp-InputPrompt").first.inner_text()
    match = re.search(r"\[(\d+)\]", text)
    return int(match.group(1)) if match else 0


def run_all(page) -> None:
    """Run > Run All Cells, then wait until the run is over (it stops at the first failing cell)."""
    before = first_prompt_number(page)
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    page.wait_for_function(
        """(before) => {
            const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')];
            if (!prompts.length) return false;
            const m = prompts[0].innerText.match(/\\[(\\d+)\\]/);
            if (!m || Number(m[1]) <= before) return false;
            return prompts.every(p => !p.innerText.includes('*'));
        }""",
        arg=before,
        timeout=RUN_TIMEOUT_MS,
    )
    wait_kernel_idle(page, RUN_TIMEOUT_MS)


def cell(page, index: int):
    return page.locator(".jp-Notebook .jp-Cell").nth(index)


def is_error(text: str) -> bool:
    """An error output (a traceback), as opposed to a warning printed on stderr."""
    return "Traceback" in text


def error_text(page, index: int) -> str:
    """Text of the error output of cell ``index`` ('' when it has none)."""
    outputs = cell(page, index).locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    return "\n".join(text for text in outputs.all_inner_texts() if is_error(text))


def replace_cell_source(page, index: int, source: str) -> None:
    """Click into a code cell, select everything and type ``source`` instead (as a person pasting)."""
    editor = cell(page, index).locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(source)
    page.keyboard.press("Escape")
    typed = editor.inner_text()
    assert source.splitlines()[0].strip() in typed, f"typing into cell {index} did not take: {typed[:200]!r}"


def screenshot(page, artifacts: Path, name: str, target=None, block: str = "start") -> Path:
    """Save a screenshot, first scrolling ``target`` to the top (``block="start"``) or bottom ("end") of the view."""
    if target is not None:
        target.evaluate("(el, block) => el.scrollIntoView({block})", block)
        page.wait_for_timeout(300)
    path = artifacts / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def error_output(page, index: int):
    """The last output of cell ``index`` (its error, when it failed)."""
    return cell(page, index).locator(".jp-OutputArea-output").last


# ----------------------------------------------------------------------------- the flows


def test_student_runs_fixes_and_validates_a1(page, lab_server, artifacts):
    released = lab_server.root / "assignments" / A1 / f"{A1}.ipynb"
    if not released.exists():
        pytest.skip(f"assignments/{A1}/{A1}.ipynb does not exist yet")
    cells = graded_cells(released)
    solution_ids = [gid for gid, (_, meta) in cells.items() if meta.get("solution") and not meta.get("grade")]
    assert solution_ids, f"{A1} has no solution cell"
    target = solution_ids[0]
    test_id = f"test_{target}"
    assert test_id in cells, f"{A1}: no test cell {test_id} for the solution cell {target}"
    target_index, test_index = cells[target][0], cells[test_id][0]

    open_notebook(page, lab_server, f"assignments/{A1}/{A1}.ipynb")
    run_all(page)
    blank_error = error_text(page, test_index)
    screenshot(page, artifacts, "01_a1_blank_run_all", error_output(page, test_index), "end")
    assert blank_error, f"on the blank notebook the visible check {test_id} should fail"
    assert "NotImplementedError" in blank_error or "CheckFailed" in blank_error, blank_error[:1000]

    mistake = wrong_answer(A1, target, test_id)
    if mistake is not None:
        replace_cell_source(page, target_index, mistake)
        run_all(page)
        hint = error_text(page, test_index)
        screenshot(page, artifacts, "02_a1_wrong_answer_hint", error_output(page, test_index), "end")
        assert "CheckFailed" in hint or "AssertionError" in hint, (
            f"a wrong {target} should fail its check:\n{hint[:1500]}"
        )
        assert "NotImplementedError" not in hint

    replace_cell_source(page, target_index, solution_source(lab_server.root, A1, target))
    run_all(page)
    screenshot(page, artifacts, "03_a1_correct_answer_passes", cell(page, test_index))
    assert error_text(page, test_index) == "", f"{test_id} should pass with the solution typed in"
    prompt = cell(page, test_index).locator(".jp-InputPrompt").inner_text()
    assert re.search(r"\[\d+\]", prompt), f"{test_id} did not run: prompt {prompt!r}"

    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .validate-button").first.click()
    dialog = page.locator(".jp-Dialog")
    verdict = dialog.locator(".validation-failed, .validation-success, pre")
    verdict.first.wait_for(state="visible", timeout=RUN_TIMEOUT_MS)
    text = dialog.inner_text()
    screenshot(page, artifacts, "04_a1_validate_verdict")
    (artifacts / "04_a1_validate_verdict.txt").write_text(text)
    assert "There was an error running the validate command" not in text, text[:2000]
    if len(solution_ids) > 1:
        assert dialog.locator(".validation-failed").count() == 1, f"the other exercises are blank:\n{text[:2000]}"
        fixed_test = nbformat.read(released, as_version=4).cells[test_index].source
        assert fixed_test.strip() not in text, f"Validate still reports {test_id} as failing:\n{text[:2000]}"
    else:
        assert "Success! Your notebook passes all the tests." in text, text[:2000]
    dialog.get_by_role("button").last.click()


def test_instructor_sees_assignments_in_formgrader(page, lab_server, artifacts, assignment_names):
    names = assignment_names
    if not names:
        pytest.skip("no assignment under solutions/ yet")
    page.goto(lab_server.url("formgrader"))
    table = page.locator("table").filter(has_text="Name").first
    table.wait_for(state="visible", timeout=60_000)
    page.wait_for_function(
        "(names) => names.every(n => document.querySelector('table').innerText.includes(n))", arg=names, timeout=30_000
    )
    screenshot(page, artifacts, "05_formgrader_assignments")
    listed = table.inner_text()
    for name in names:
        assert name in listed, f"formgrader does not list {name}"


def test_lecture_runs_in_fast_mode_and_shows_plots(page, lab_server, artifacts):
    if not (lab_server.root / LECTURE).exists():
        pytest.skip(f"{LECTURE} does not exist yet")
    open_notebook(page, lab_server, LECTURE)
    run_all(page)
    errors = page.locator('.jp-Notebook .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    error_texts = [text for text in errors.all_inner_texts() if is_error(text)]
    images = page.locator(".jp-Notebook .jp-OutputArea-output img")
    assert images.count() >= 1, "the lecture should show at least one plot"
    first = images.first
    first.scroll_into_view_if_needed()
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 100", arg=first.element_handle())
    screenshot(page, artifacts, "06_lecture_plot")
    assert not error_texts, f"{LECTURE} raised in the browser:\n{error_texts[0][:2000]}"
    setup_output = page.locator(".jp-Notebook .jp-OutputArea-output").first.inner_text()
    assert "FAST" in setup_output, f"the kernel did not run in fast mode: {setup_output[:300]!r}"
