"""Every message of the sources has its French translation (a missing one fails the suite)."""

import pytest

from app.core.i18n_catalogs import DOMAIN_SOURCES, extract, read_catalog, untranslated


@pytest.mark.parametrize("domain", sorted(DOMAIN_SOURCES))
def test_every_message_has_a_french_translation(domain):
    missing = untranslated(domain)
    assert not missing, (
        f"{len(missing)} message(s) of '{domain}' lack French (flask i18n update {domain}): {missing[:10]}"
    )


@pytest.mark.parametrize("domain", sorted(DOMAIN_SOURCES))
def test_french_translations_keep_the_placeholders(domain):
    import re

    catalog = read_catalog(domain)
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(re.findall(r"%\(\w+\)[sd]", ids[0]))
        for text in strings:
            assert set(re.findall(r"%\(\w+\)[sd]", text)) == wanted, (domain, message.id, text)


def test_the_check_sees_a_message_without_translation(tmp_path, monkeypatch):
    """The check is not vacuous: a new English message with no catalog entry is reported."""
    from app.core import i18n_catalogs

    source = tmp_path / "probe.py"
    source.write_text('from flask_babel import gettext as _\n_("A message nobody translated yet")\n')
    monkeypatch.setitem(i18n_catalogs.DOMAIN_SOURCES, "core", {"py": [str(source)], "templates": []})
    monkeypatch.setattr(i18n_catalogs, "ROOT", tmp_path)
    assert "A message nobody translated yet" in untranslated("core")
    assert len(extract("core")) == 1


def test_no_message_has_two_different_french_translations():
    """Flask-Babel merges the catalogs: the same English message translated two ways would show the wrong one."""
    seen: dict[tuple, dict[str, list[str]]] = {}
    for domain in DOMAIN_SOURCES:
        for message in read_catalog(domain):
            if not message.id or not message.string:
                continue
            key = (message.id if isinstance(message.id, str) else message.id[0], message.context)
            text = message.string if isinstance(message.string, str) else message.string[0]
            seen.setdefault(key, {}).setdefault(text, []).append(domain)
    clashes = {key: texts for key, texts in seen.items() if len(texts) > 1}
    assert not clashes, clashes
