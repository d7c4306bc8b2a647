"""The next step of every status, for each kind of reader."""

import pytest

from app.leave import labels
from app.leave.workflow import STATUSES


@pytest.mark.parametrize("status", STATUSES)
def test_every_status_tells_its_next_step_to_every_reader(status):
    for reader in (labels.APPLICANT, labels.DECIDER, labels.OTHER):
        assert labels.next_step(status, reader)


def test_the_words_follow_the_reader():
    words = labels.STATUS_WORDS["submitted"]
    assert labels.next_step("submitted") == str(words.next_step)
    assert labels.next_step("submitted", labels.OTHER) == str(words.next_step_others)
    assert labels.next_step("submitted", labels.DECIDER) == str(labels.DECIDER_NEXT_STEP)
    assert len({labels.next_step("submitted", reader) for reader in ("applicant", "decider", "other")}) == 3
    # A status whose words say it for everyone keeps them.
    assert labels.next_step("closed", labels.OTHER) == labels.next_step("closed")
    assert labels.next_step("no such status") == ""
