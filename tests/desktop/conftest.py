"""What every GUI test shares: a clean message log and the app context over the test database."""
import pytest

from desktop import msgbox


@pytest.fixture(autouse=True)
def _clean_msgbox():
    """Each test starts with no recorded messages and no queued answers, and leaves none queued."""
    msgbox.shown.clear()
    msgbox.answers.clear()
    yield
    msgbox.answers.clear()


@pytest.fixture
def ctx(db, db_path):
    """The app context of the test's field database (override in a module for other data)."""
    from desktop.context import AppContext

    return AppContext(db, db_path)
