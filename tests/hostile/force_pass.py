"""Makes every pytest check pass, wherever it is loaded: as a conftest.py, a -p plugin, or from
sitecustomize/usercustomize. When it runs at all, it leaves a marker file named after itself."""
import os as _os

PARAMS: dict = {}

try:
    with open(_os.path.join(PARAMS["markers"], _os.path.basename(__file__)), "a") as _marker:
        _marker.write(f"ran in pid {_os.getpid()} as uid {_os.getuid()}\n")
except OSError:
    pass

try:
    import pytest as _pytest

    @_pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(item, call):
        outcome = yield
        report = outcome.get_result()
        report.outcome = "passed"
        report.longrepr = None

    import _pytest.reports as _reports

    _reports.BaseReport.failed = property(lambda self: False)
except Exception:
    pass
