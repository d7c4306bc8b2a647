"""Every message of the reference pages and of the notification pages has its French text."""

import pytest

from app.core.i18n_catalogs import untranslated


@pytest.mark.parametrize("domain", ["reference", "core"])
def test_every_message_has_its_french_translation(domain):
    assert untranslated(domain) == []
