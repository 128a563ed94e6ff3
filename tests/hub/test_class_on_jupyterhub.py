"""The whole life of A1 in a class on one JupyterHub, in a real (headless) browser.

One instructor, two students, the deployment of lib/instructor/deploy/jupyterhub/:

1. the instructor logs in and, in the formgrader, generates and releases A1 to the exchange;
2. each student logs in, fetches A1 from JupyterLab's Assignment List, answers it (alice every exercise
   and the written question, bob only the first four exercises), runs it, validates and submits;
3. the instructor collects the submissions from the formgrader; the course's grading command grades
   them as root in its sandbox (setup_hub.py grade); the instructor releases the feedback;
4. each student fetches the feedback from the Assignment List and opens it: the score the grading command
   gave them, and no hidden test.

Every step leaves a screenshot in test-artifacts/hub/ (git-ignored), with the hub's log and the set-up
script's and grading command's output.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import time
import urllib.parse
from pathlib import Path

import nbformat
import pytest
from hub_kit import Hub, UserServer, course_kit, lab_kit, run_with_browser

# The sandboxed grading command runs here: stay on the hostile suite's worker, one sandboxed run at a time.
pytestmark = [pytest.mark.hub, pytest.mark.a1, pytest.mark.timeout(1200), pytest.mark.xdist_group("hostile")]

A1 = "a1_convolution"
COURSE_ID = "cnn-course"
PARTIAL = 4  # bob answers the first four exercises and leaves the rest as released
WRITTEN_ANSWER = (
    "Flipping the kernel turns cross-correlation into true convolution; a learned kernel can absorb the flip."
)
SCENARIO_TIMEOUT = 1100.0
LONG_MS = 180_000  # spawning a server, generating or grading on a busy 2-core machine


# ----------------------------------------------------------------------------- hub pages


def log_in(page, hub: Hub, user: str, artifacts: Path | None = None) -> None:
    """Log in on the hub's page and wait for the user's JupyterLab (the hub spawns it if needed)."""
    page.goto(hub.url("hub/login"))
    page.fill("#username_input", user)
    page.fill("#password_input", hub.password(user))
    if artifacts is not None:
        shot(page, artifacts, "00_hub_login")
    page.click("#login_submit")
    page.wait_for_url(re.compile(rf"/user/{re.escape(user)}/lab"), timeout=LONG_MS)
    page.locator("#jp-main-dock-panel").wait_for(state="visible", timeout=LONG_MS)


def shot(page, artifacts: Path, name: str, target=None, block: str = "start") -> Path:
    return lab_kit.screenshot(page, artifacts, name, target, block)


def modal_text(page, artifacts: Path, name: str) -> str:
    """Wait for the formgrader's success or error dialog, photograph it, close it, return its text."""
    dialog = page.locator("#success-modal, #error-modal").first
    dialog.wait_for(state="visible", timeout=LONG_MS)
    page.wait_for_timeout(500)  # the dialog fades in
    shot(page, artifacts, name)
    text = dialog.inner_text()
    dialog.locator(".modal-footer button").click()
    dialog.wait_for(state="detached", timeout=30_000)
    return text


def formgrader_row(page, hub: Hub):
    """The formgrader's Manage Assignments row of A1 (loaded afresh)."""
    page.goto(hub.url(f"user/{hub.instructor}/formgrader"))
    row = page.locator("tr", has=page.locator("td.name", has_text=A1)).first
    row.wait_for(state="visible", timeout=60_000)
    return row


def formgrader_action(page, hub: Hub, artifacts: Path, column: str, name: str, success: str) -> str:
    """Click A1's link in one column of Manage Assignments (assign, release, collect, release-feedback)."""
    row = formgrader_row(page, hub)
    row.locator(f"td.{column} a").click()
    text = modal_text(page, artifacts, name)
    assert success in text, f"formgrader {column} of {A1} failed:\n{text[:3000]}"
    return text


# ----------------------------------------------------------------------------- JupyterLab pages


def nbgrader_menu(page):
    """The open Nbgrader menu (the one holding Assignment List)."""
    return page.locator(".lm-Menu", has=page.locator('li[data-command="nbgrader:open-assignment-list"]')).first


def open_assignment_list(page, artifacts: Path | None = None, name: str = "") -> str:
    """Nbgrader > Assignment List (photographing the open menu when asked), then wait until its three
    lists have loaded; returns the menu's text."""
    page.locator(".lm-MenuBar-item", has_text="Nbgrader").first.click()
    menu = nbgrader_menu(page)
    menu.wait_for(state="visible")
    text = menu.inner_text()
    if artifacts is not None:
        shot(page, artifacts, name)
    page.locator('li[data-command="nbgrader:open-assignment-list"]').click()
    for name in ("released", "fetched", "submitted"):
        page.locator(f"#{name}_assignments_list").wait_for(state="attached", timeout=60_000)
        page.locator(f"#{name}_assignments_list_loading").wait_for(state="hidden", timeout=60_000)
    return text


def assignment_row(page, listing: str, timeout: int = 60_000):
    """A1's row in the released, fetched or submitted list (refreshing until it is there)."""
    row = page.locator(f"#{listing}_assignments_list > .list_item", has_text=A1).first
    deadline = time.monotonic() + timeout / 1000
    while time.monotonic() < deadline:
        if row.count() and row.is_visible():
            return row
        page.locator("#refresh_assignments_list").click()
        page.wait_for_timeout(1500)
    raise AssertionError(f"{A1} never appeared in the {listing} assignments list")


def save_notebook(page) -> None:
    """Ctrl+S in command mode, then wait until the notebook's tab is no longer marked dirty."""
    page.keyboard.press("Escape")
    page.keyboard.press("Control+s")
    page.wait_for_function(
        "() => !document.querySelector('.lm-TabBar-tab.jp-mod-current.jp-mod-dirty')", timeout=30_000
    )


def validate(page, artifacts: Path, name: str) -> tuple[str, bool]:
    """nbgrader's Validate button on the notebook's toolbar: (the dialog's text, whether it passed)."""
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .validate-button").first.click()
    dialog = page.locator(".jp-Dialog")
    dialog.locator(".validation-failed, .validation-success, pre").first.wait_for(state="visible", timeout=LONG_MS)
    text = dialog.inner_text()
    shot(page, artifacts, name)
    (artifacts / f"{name}.txt").write_text(text)
    dialog.get_by_role("button").last.click()
    assert "There was an error running the validate command" not in text, text[:3000]
    return text, "Success! Your notebook passes all the tests." in text


def answer(page, released: Path, grade_ids: list[str], written: str | None) -> None:
    """Type the solution of each named exercise into its cell, and the written answer when given."""
    cells = lab_kit.graded_cells(released)
    sources = course_kit.solution_sources(A1)
    for grade_id in grade_ids:
        lab_kit.replace_cell_source(page, cells[grade_id][0], sources[grade_id])
    if written is not None:  # the written question: a Markdown cell that is both answer and graded
        index = next(i for i, meta in cells.values() if meta.get("solution") and meta.get("grade"))
        lab_kit.cell(page, index).dblclick()  # a rendered Markdown cell opens its editor on double-click
        lab_kit.replace_cell_source(page, index, written)


def normalised(text: str) -> str:
    return " ".join(text.split())


def page_lines(text: str) -> set[str]:
    return {normalised(line) for line in text.splitlines() if line.strip()}


def hidden_test_lines() -> set[str]:
    """Lines of A1's hidden tests (from the solution notebook) that the released notebook does not also
    contain: a feedback page showing one of them shows a hidden test. Whole lines, as the grading tests
    compare them (a hidden line that is part of a visible one is no leak)."""
    released = nbformat.read(course_kit.release_path(A1), as_version=4)
    visible = {line for cell in released.cells for line in page_lines(cell.source)}
    hidden: set[str] = set()
    for cell in nbformat.read(course_kit.solution_path(A1), as_version=4).cells:
        if course_kit.is_test_cell(cell):
            inside, _ = course_kit.split_regions(cell.source, course_kit.HIDDEN_MARKERS)
            hidden |= page_lines("\n".join(inside))
    return hidden - visible


def read_grades(course: Path) -> dict[str, dict[str, str]]:
    with (course / f"grades-{A1}.csv").open(newline="") as handle:
        return {row["student_id"]: row for row in csv.DictReader(handle)}


# ----------------------------------------------------------------------------- the class


def student_works_on_a1(browser, hub: Hub, artifacts: Path, student: str, label: str, full: bool) -> None:
    """Log in, fetch A1, answer it (fully or partly), run it, validate, submit."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(30_000)
    page = context.new_page()
    server = UserServer(hub, student)
    log_in(page, hub, student, artifacts if full else None)

    menu = open_assignment_list(page, artifacts, f"03_{label}_nbgrader_menu")
    assert "Assignment List" in menu and "Formgrader" not in menu, f"{student}'s Nbgrader menu: {menu!r}"
    formgrader = context.request.get(server.url("formgrader"))
    assert formgrader.status == 404, f"a student's server answers /formgrader with {formgrader.status}"
    released_row = assignment_row(page, "released")
    assert COURSE_ID in released_row.inner_text()
    shot(page, artifacts, f"03_{label}_assignment_list_released")
    released_row.locator(".item_status button").click()
    fetched_row = assignment_row(page, "fetched")
    shot(page, artifacts, f"04_{label}_fetched")
    notebook = server.root / A1 / f"{A1}.ipynb"
    assert notebook.exists(), f"Fetch did not put {A1} in {student}'s home"
    assert "BEGIN SOLUTION" not in notebook.read_text(), "students must get the release, not the solution"

    cells = lab_kit.graded_cells(notebook)
    exercises = [gid for gid, (_, meta) in cells.items() if meta.get("solution") and not meta.get("grade")]
    chosen = exercises if full else exercises[:PARTIAL]
    lab_kit.open_notebook(page, server, f"{A1}/{A1}.ipynb")
    answer(page, notebook, chosen, WRITTEN_ANSWER if full else None)
    lab_kit.run_all(page)
    if full:
        last_test = cells[f"test_{exercises[-1]}"][0]
        shot(page, artifacts, f"05_{label}_answers_run", lab_kit.cell(page, last_test))
        assert lab_kit.error_text(page, last_test) == "", f"{student}'s full answer should pass its checks"
    else:
        first_blank = cells[f"test_{exercises[PARTIAL]}"][0]
        shot(page, artifacts, f"05_{label}_answers_run", lab_kit.error_output(page, first_blank), "end")
        assert "NotImplementedError" in lab_kit.error_text(page, first_blank), "a blank exercise should fail its check"
    save_notebook(page)

    text, passed = validate(page, artifacts, f"06_{label}_validate")
    assert passed == full, f"Validate for {student} ({'full' if full else 'partial'} answer):\n{text[:3000]}"

    open_assignment_list(page)
    fetched_row = assignment_row(page, "fetched")
    fetched_row.locator(".item_status button", has_text="Submit").click()
    submitted = page.locator("#submitted_assignments_list .list_item", has_text=A1)
    submitted.first.wait_for(state="visible", timeout=60_000)
    page.locator("#submitted_assignments_list .nested_list_item").first.wait_for(state="visible", timeout=60_000)
    shot(page, artifacts, f"07_{label}_submitted")
    context.close()


def student_reads_feedback(
    browser, hub: Hub, artifacts: Path, student: str, label: str, look_at: str
) -> tuple[float, float, str]:
    """Log in, fetch the feedback from the Assignment List, open it, photograph its top and the test cell
    ``look_at``: (score, max score, the page's text)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(30_000)
    page = context.new_page()
    log_in(page, hub, student)
    page.goto(UserServer(hub, student).url("lab?reset"))
    page.locator("#jp-main-dock-panel").wait_for(state="visible", timeout=LONG_MS)
    open_assignment_list(page)
    row = assignment_row(page, "submitted")
    available = page.locator("#submitted_assignments_list", has_text="feedback available to fetch")
    deadline = time.monotonic() + 60
    while not available.count() and time.monotonic() < deadline:
        page.locator("#refresh_assignments_list").click()
        page.wait_for_timeout(1500)
    assert available.count(), f"{student} sees no feedback to fetch:\n{row.inner_text()}"
    row.locator(".item_status button", has_text="Fetch Feedback").click()
    view = page.locator("#submitted_assignments_list a", has_text="view feedback").first
    view.wait_for(state="visible", timeout=60_000)
    view.click()  # the file browser opens the feedback folder
    page.wait_for_timeout(1000)
    shot(page, artifacts, f"11_{label}_feedback_fetched")

    pages = sorted((UserServer(hub, student).root / A1 / "feedback").glob(f"*/{A1}.html"))
    assert pages, f"Fetch Feedback put no {A1}.html under {student}'s ~/{A1}/feedback/"
    relative = pages[-1].relative_to(UserServer(hub, student).root).as_posix()
    page.goto(UserServer(hub, student).url(f"files/{urllib.parse.quote(relative)}"))
    heading = page.locator("h4", has_text="Score:").first
    heading.wait_for(state="visible", timeout=60_000)
    shot(page, artifacts, f"12_{label}_feedback")
    match = re.search(r"\(Score: ([\d.]+) / ([\d.]+)\)", heading.inner_text())
    assert match, f"no score in the feedback heading {heading.inner_text()!r}"
    text = page.locator("body").inner_text()
    check = page.locator(f"a[name='{look_at}']").first  # the feedback's anchor just above that test cell
    shot(page, artifacts, f"13_{label}_feedback_{look_at}", check)
    context.close()
    return float(match.group(1)), float(match.group(2)), text


def test_a1_released_fetched_submitted_graded_and_returned_on_jupyterhub(hub_class: Hub, hub_artifacts: Path):
    hub, artifacts = hub_class, hub_artifacts
    alice, bob = hub.students
    started = time.monotonic()
    timings: dict[str, float] = {}
    solution = hub.course_dir / "solutions" / A1 / f"{A1}.ipynb"
    for user, allowed in ((hub.instructor, True), (alice, False)):  # the instructor's home is private
        readable = subprocess.run(["runuser", "-u", user, "--", "test", "-r", str(solution)], check=False)
        assert (readable.returncode == 0) == allowed, f"{user} {'cannot' if allowed else 'can'} read {solution}"

    def lap(step: str) -> None:
        timings[step] = round(time.monotonic() - started, 1)

    def first_half(browser) -> None:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.set_default_timeout(30_000)
        page = context.new_page()
        log_in(page, hub, hub.instructor)
        page.locator(".lm-MenuBar-item", has_text="Nbgrader").first.click()
        menu = nbgrader_menu(page)
        menu.wait_for(state="visible")
        shot(page, artifacts, "01_instructor_nbgrader_menu")
        assert "Formgrader" in menu.inner_text(), f"the instructor's Nbgrader menu: {menu.inner_text()!r}"
        page.keyboard.press("Escape")
        formgrader_row(page, hub)
        shot(page, artifacts, "01_instructor_formgrader")
        formgrader_action(page, hub, artifacts, "assign", "02_instructor_generated", "Successfully created")
        formgrader_action(page, hub, artifacts, "release", "02_instructor_released", "Successfully released")
        row = formgrader_row(page, hub)
        assert "released" in row.locator("td.status").inner_text()
        lap("released")
        student_works_on_a1(browser, hub, artifacts, alice, "alice", full=True)
        lap("alice submitted")
        student_works_on_a1(browser, hub, artifacts, bob, "bob", full=False)
        lap("bob submitted")
        formgrader_action(page, hub, artifacts, "collect", "08_instructor_collected", "Successfully collected")
        row = formgrader_row(page, hub)
        assert row.locator("td.num-submissions").inner_text().strip() == "2"
        lap("collected")
        context.close()

    run_with_browser(first_half, artifacts, SCENARIO_TIMEOUT)
    for student, label in ((alice, "alice"), (bob, "bob")):
        collected = hub.course_dir / "submitted" / student / A1 / f"{A1}.ipynb"
        assert collected.exists(), f"{student} was not collected"
        shutil.copyfile(collected, artifacts / f"submitted_{label}.ipynb")

    # The course's grading command, as root, in its sandbox (one worker: CI has 2 cores and a browser).
    graded = hub.setup_script("grade", A1, "--workers", "1", "--json", str(artifacts / "09_grading.json"))
    (artifacts / "09_grading_command.txt").write_text(graded.stdout + graded.stderr)
    assert graded.returncode == 0, f"the grading command failed:\n{graded.stdout[-4000:]}{graded.stderr[-4000:]}"
    grades = read_grades(hub.course_dir)
    lap("graded")
    assert grades[alice]["auto_score"] == grades[alice]["auto_max"] != "0", grades[alice]
    assert 0 < float(grades[bob]["auto_score"]) < float(grades[bob]["auto_max"]), grades[bob]
    for student in hub.students:
        owner = (hub.course_dir / "feedback" / student).owner()
        assert owner == hub.instructor, f"feedback/{student} belongs to {owner}, so the formgrader cannot use it"

    feedback: dict[str, tuple[float, float, str]] = {}

    def second_half(browser) -> None:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.set_default_timeout(30_000)
        page = context.new_page()
        log_in(page, hub, hub.instructor)
        formgrader_action(page, hub, artifacts, "release-feedback", "10_instructor_feedback_released", "Successfully")
        context.close()
        lap("feedback released")
        exercises = [
            gid for gid, (_, m) in lab_kit.graded_cells(course_kit.release_path(A1)).items() if m.get("solution")
        ]
        looks = {alice: f"test_{exercises[-2]}", bob: f"test_{exercises[PARTIAL]}"}  # a passed one; bob's first blank
        for student, label in ((alice, "alice"), (bob, "bob")):
            feedback[student] = student_reads_feedback(browser, hub, artifacts, student, label, looks[student])
        lap("feedback read")

    run_with_browser(second_half, artifacts, SCENARIO_TIMEOUT)
    (artifacts / "timings.txt").write_text("".join(f"{step}: {seconds} s\n" for step, seconds in timings.items()))

    hidden = hidden_test_lines()
    assert hidden, f"{A1}'s solution has no hidden test lines to look for"
    setup_cell = page_lines(nbformat.read(course_kit.release_path(A1), as_version=4).cells[1].source)
    for student in hub.students:
        score, max_score, text = feedback[student]
        assert score == pytest.approx(float(grades[student]["score"])), (student, score, grades[student])
        assert max_score == pytest.approx(float(grades[student]["max_score"])), (student, max_score, grades[student])
        shown = page_lines(text)
        assert setup_cell & shown, f"{student}'s feedback page does not show the notebook's code as lines"
        assert "HIDDEN TESTS" not in normalised(text)
        leaked = sorted(hidden & shown)
        assert not leaked, f"{student}'s feedback shows hidden test lines: {leaked[:3]}"
    assert feedback[alice][0] > feedback[bob][0]
