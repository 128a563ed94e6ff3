"""Probes that tell whether student code has tampered with the grading machinery in its kernel.

Test cells run in the same Python process as the student's code, so a student can replace
``cnnlib.grading.check_close``, ``np.allclose``, ``numpy.testing``, IPython's traceback display,
or add hooks that swallow a failing cell's error. The grader therefore runs a *probe* in the
kernel before the first cell (the baseline, before any student code has run) and again before
and after every autograded test cell, and compares:

* a fingerprint: the identity (and code, defaults) of every function the checks rely on, the
  module dictionaries they look names up in, ``sys.modules`` entries, the builtins they use,
  IPython's execution and traceback machinery, input/AST transformers, event callbacks, trace
  and profile hooks;
* behaviour: a check that must fail fails, ``np.allclose(1, 2)`` is False, ...;
* a canary cell ``raise AssertionError(nonce)`` must come back as an error reply *and* an error
  output (so hooks that hide errors from nbgrader are caught).

What this cannot do: code in the same process can, with enough effort, also fool the probe
(for example a patch that restores itself before the probe runs). It catches the direct
monkeypatches a student would try; see the README's "what the sandbox does not protect against".
"""

from __future__ import annotations

import json
import secrets

PROBE_TEMPLATE = r"""
def __cnn_autograde_probe():
    import builtins, sys, json
    out = {}
    mods = {}
    for name in ("cnnlib.grading", "cnnlib.gradcheck", "numpy", "numpy.testing"):
        try:
            mods[name] = __import__(name, fromlist=["_"])
        except Exception as exc:
            out["import " + name] = "failed: %r" % (exc,)
    np = mods.get("numpy")
    inner = []
    for name in ("numpy._core.numeric", "numpy.core.numeric", "numpy.testing._private.utils"):
        if name in sys.modules:
            inner.append(name)

    def describe(value):
        code = getattr(value, "__code__", None)
        if code is not None:
            return [id(value), hash(code), repr(getattr(value, "__defaults__", None)),
                    repr(getattr(value, "__kwdefaults__", None)), id(getattr(value, "__globals__", None))]
        return [id(value)]

    def module_dict(name):
        module = sys.modules.get(name)
        if module is None:
            return None
        return {k: describe(v) for k, v in sorted(vars(module).items()) if not k.startswith("__")}

    for name in ["cnnlib.grading", "cnnlib.gradcheck", "numpy.testing", *inner]:
        out["module " + name] = module_dict(name)
    if np is not None:
        for attr in ("allclose", "isclose", "array_equal", "array_equiv", "asarray", "abs", "all", "any",
                     "isnan", "where", "argmax", "argwhere", "unravel_index", "array2string", "printoptions",
                     "maximum", "ndarray", "float64"):
            out["numpy." + attr] = describe(getattr(np, attr, None))
    out["sys.modules"] = {name: id(sys.modules.get(name)) for name in
                          ["cnnlib", "cnnlib.grading", "cnnlib.gradcheck", "numpy", "numpy.testing", "builtins"]}
    out["builtins"] = {name: id(getattr(builtins, name, None)) for name in
                       ("isinstance", "bool", "float", "int", "abs", "len", "any", "all", "AssertionError",
                        "Exception", "BaseException", "getattr", "hasattr", "type", "tuple", "print",
                        "__import__", "max", "min", "sum", "range", "repr", "str", "hash", "id", "exec", "compile")}
    grading = mods.get("cnnlib.grading")
    if grading is not None:
        failed = getattr(grading, "CheckFailed", None)
        out["CheckFailed"] = {k: describe(v) for k, v in sorted(vars(failed).items())} if failed else None
    hook = sys.excepthook
    out["sys hooks"] = [id(getattr(hook, "__func__", hook)), id(getattr(hook, "__self__", None)),
                        repr(sys.gettrace()), repr(sys.getprofile()),
                        id(sys.stdout), id(sys.stderr), id(type(sys.stdout).write)]
    try:
        ip = get_ipython()
    except NameError:
        ip = None
    if ip is not None:
        cls = type(ip)
        names = ("run_cell", "run_cell_async", "_run_cell", "run_code", "run_ast_nodes", "showtraceback",
                 "_showtraceback", "showsyntaxerror", "transform_cell", "transform_ast", "should_run_async",
                 "get_exception_only", "InteractiveTB", "SyntaxTB", "CustomTB", "custom_exceptions",
                 "displayhook", "display_pub")
        out["ipython class"] = [id(cls)] + [id(getattr(cls, n, None)) for n in names]
        out["ipython instance"] = {n: id(v) for n, v in sorted(vars(ip).items()) if n in names}
        out["ipython custom_exceptions"] = repr(ip.custom_exceptions)
        out["ipython transformers"] = [[id(t) for t in ip.input_transformers_cleanup],
                                       [id(t) for t in ip.input_transformers_post],
                                       [id(t) for t in ip.ast_transformers]]
        trusted = ("IPython", "ipykernel", "matplotlib", "matplotlib_inline", "tqdm", "ipywidgets", "comm")
        callbacks = {}
        for event, funcs in sorted(ip.events.callbacks.items()):
            suspicious = [repr(f) for f in funcs
                          if not str(getattr(f, "__module__", "") or "").split(".")[0] in trusted]
            if suspicious:
                callbacks[event] = suspicious
        out["ipython event callbacks"] = callbacks
        kernel = getattr(ip, "kernel", None)
        if kernel is not None:
            out["kernel"] = [id(type(kernel).do_execute), id(vars(kernel).get("do_execute")),
                             id(getattr(kernel, "shell_handlers", {}).get("execute_request"))]
    behaviour = {}
    if grading is not None:
        try:
            grading.check_close("probe", np.array([1.0, 2.0]), np.array([1.0, 3.0]))
            behaviour["check_close fails on different values"] = False
        except AssertionError:
            behaviour["check_close fails on different values"] = True
        except Exception as exc:
            behaviour["check_close fails on different values"] = "raised %s" % type(exc).__name__
        try:
            grading.check_true("probe", False, "must fail")
            behaviour["check_true fails on False"] = False
        except AssertionError:
            behaviour["check_true fails on False"] = True
        except Exception as exc:
            behaviour["check_true fails on False"] = "raised %s" % type(exc).__name__
    if np is not None:
        behaviour["np.allclose(1, 2) is False"] = np.allclose(1.0, 2.0) is np.False_ or np.allclose(1.0, 2.0) is False
        behaviour["np.array_equal([1], [2]) is False"] = not np.array_equal([1], [2])
        try:
            np.testing.assert_allclose(1.0, 2.0)
            behaviour["numpy.testing.assert_allclose fails"] = False
        except AssertionError:
            behaviour["numpy.testing.assert_allclose fails"] = True
    try:
        assert False, "probe"
        behaviour["assert False raises"] = False
    except AssertionError:
        behaviour["assert False raises"] = True
    out["behaviour"] = behaviour
    bindings = {}
    if ip is not None:
        for name, value in list(ip.user_ns.items()):
            if name.startswith("_") or name in ("In", "Out", "get_ipython", "exit", "quit", "open"):
                continue
            module = getattr(value, "__module__", None) if not isinstance(value, type(sys)) else value.__name__
            if isinstance(value, type(sys)) or (isinstance(module, str) and module != "__main__"):
                bindings[name] = [id(value), str(module)]
    out["bindings"] = bindings
    return out

print("__NONCE__" + __import__("json").dumps(__cnn_autograde_probe(), sort_keys=True, default=repr))
del __cnn_autograde_probe
"""


def make_probe() -> tuple[str, str]:
    """Return (source, nonce): the probe code and the marker its one line of output starts with."""
    nonce = "CNNPROBE" + secrets.token_hex(8) + ":"
    return PROBE_TEMPLATE.replace("__NONCE__", nonce), nonce


def make_canary() -> tuple[str, str]:
    """Return (source, nonce) of a cell that must fail with an AssertionError carrying ``nonce``."""
    nonce = "CNNCANARY" + secrets.token_hex(8)
    return f"raise AssertionError({nonce!r})", nonce


def parse_probe(text: str, nonce: str) -> dict | None:
    """The fingerprint printed by a probe, or None when its line is missing or garbled."""
    for line in text.splitlines():
        if line.startswith(nonce):
            try:
                return json.loads(line[len(nonce) :])
            except ValueError:
                return None
    return None


def rebound(protected: dict, current: dict) -> list[str]:
    """Names that instructor cells imported (``protected``: name -> [id, module]) and that now point elsewhere."""
    now = current.get("bindings", {})
    return [
        f"{name} was redefined (it was imported from {info[1]} by the assignment)"
        for name, info in sorted(protected.items())
        if now.get(name, [None])[0] != info[0]
    ]


def differences(baseline: dict, current: dict) -> list[str]:
    """Human-readable list of what changed between two fingerprints (empty when nothing did)."""
    problems = []
    for key, value in sorted(current.get("behaviour", {}).items()):
        if value is not True:
            problems.append(f"{key}: got {value}")
    for key in sorted(set(baseline) | set(current)):
        if key in ("behaviour", "bindings"):
            continue
        old, new = baseline.get(key), current.get(key)
        if old == new:
            continue
        if isinstance(old, dict) and isinstance(new, dict):
            changed = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
            shown = ", ".join(changed[:6]) + (" ..." if len(changed) > 6 else "")
            problems.append(f"{key} changed ({shown})")
        else:
            problems.append(f"{key} changed")
            if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
                problems[-1] += (
                    " (item "
                    + ", ".join(str(i) for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b)
                    + ")"
                )
    return problems
