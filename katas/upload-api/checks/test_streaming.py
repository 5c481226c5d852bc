"""extra.streaming: a file far over the limit is refused without ever being held whole: the
app's peak memory, read by the grader from the kernel, grows by less than the statement's bound
while it refuses a file TIMES the limit."""

import pytest
from uploads import Upload, entries, png, post_files, word

from grader.kata_api import show

TIMES = 8
MIB = 1 << 20


def test_a_file_far_over_the_limit_is_never_held_whole(api, candidate, rng, limit):
    before = candidate.app_memory()
    if before is None:
        pytest.skip("this machine has no /proc: the app's memory cannot be read")
    upload = Upload(f"{word(rng)}.png", png(rng, TIMES * limit))
    response = post_files(api, [upload])
    assert response.status_code == 413, (
        f"a file of {len(upload.body)} bytes, {TIMES} times the limit: expected 413, got "
        f"{show(response)}")
    assert [entry["status"] for entry in entries(response, 1)] == [413]
    after = candidate.app_memory()
    assert after is not None, "the app stopped while refusing a large file"
    grown, bound = after.peak - before.peak, 2 * limit + 2 * MIB
    assert grown < bound, (
        f"refusing a {len(upload.body) / MIB:.1f} MiB file, the app's peak memory grew by "
        f"{grown / MIB:.1f} MiB (at most {bound / MIB:.1f} MiB): the file was held whole")
