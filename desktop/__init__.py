"""Everything Qt: the GUI areas, shared widgets, and the CLI entry point."""
import sys as _sys

if _sys.version_info < (3, 12):
    # PySide6 6.12.0 on CPython 3.11: every Python-side ``Signal.emit()`` drops one
    # reference to ``True`` it never took (measured: -1 per emit, see
    # tests/desktop/test_psks_page.py::test_many_signal_emits_do_not_abort). After a
    # few thousand emits ``True`` is "deallocated" and CPython aborts with
    # "Fatal Python error: bool_dealloc" -- in a long GUI session, or at the end of
    # a test run. CPython 3.12 makes True/False immortal; do the same here by giving
    # them a reference count no session can exhaust.
    import ctypes as _ctypes

    for _b in (True, False):
        _ctypes.c_ssize_t.from_address(id(_b)).value += 1 << 40
    del _b, _ctypes
