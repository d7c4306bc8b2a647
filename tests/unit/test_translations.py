"""Every message of the sources has its French translation (a missing one fails the suite)."""

import re

from app.core.translations import ROOT, TRANSLATIONS, extract, po_path, read_catalog, untranslated


def test_every_message_has_a_french_translation():
    missing = untranslated()
    assert not missing, f"{len(missing)} message(s) lack French (flask --app app i18n update): {missing[:10]}"


def test_french_translations_keep_the_placeholders():
    for message in read_catalog():
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(re.findall(r"%\(\w+\)[sd]", ids[0]))
        for text in strings:
            assert set(re.findall(r"%\(\w+\)[sd]", text)) == wanted, (message.id, text)


def test_the_check_sees_a_message_without_translation(tmp_path):
    """The check is not vacuous: a new English message with no catalog entry is reported, in the Python sources,
    the pages (templates' sub-folders starting with _ included) and the e-mails."""
    (tmp_path / "app" / "core").mkdir(parents=True)
    (tmp_path / "app" / "core" / "probe.py").write_text(
        'from flask_babel import gettext as _\n_("A message nobody translated yet")\n'
    )
    (tmp_path / "templates" / "_partials").mkdir(parents=True)
    (tmp_path / "templates" / "_partials" / "probe.html").write_text('<p>{{ _("A page nobody translated yet") }}</p>\n')
    (tmp_path / "templates" / "emails").mkdir()
    (tmp_path / "templates" / "emails" / "probe.txt").write_text('{{ _("An e-mail nobody translated yet") }}\n')
    missing = untranslated(root=tmp_path)
    assert "A message nobody translated yet" in missing
    assert "A page nobody translated yet" in missing
    assert "An e-mail nobody translated yet" in missing
    assert len(extract(tmp_path)) == 3


def test_the_check_sees_the_keywords_of_babel_cfg(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "probe.py").write_text(
        "from flask_babel import lazy_gettext as _l, lazy_pgettext, ngettext\n"
        '_l("Lazy probe")\n'
        'ngettext("%(num)s probe", "%(num)s probes", 2)\n'
        'lazy_pgettext("probe context", "Probe with a context")\n'
    )
    catalog = extract(tmp_path)
    assert catalog.get("Lazy probe") is not None
    assert catalog.get(("%(num)s probe", "%(num)s probes")) is not None
    assert catalog.get("Probe with a context", context="probe context") is not None


def test_no_message_has_two_different_french_translations():
    """Flask-Babel would merge several catalogs, and the same English message translated two ways would show the
    wrong one: there is one French catalog, and each message (with its context) appears in it once."""
    catalogs = sorted(path.relative_to(TRANSLATIONS).as_posix() for path in TRANSLATIONS.rglob("*.po"))
    assert catalogs == ["fr/LC_MESSAGES/messages.po"]
    text = po_path().read_text(encoding="utf-8")
    entries = re.findall(r'^(?:msgctxt (".*")\n)?msgid (".*"(?:\n".*")*)', text, flags=re.MULTILINE)
    seen: dict[tuple, int] = {}
    for entry in entries:
        seen[entry] = seen.get(entry, 0) + 1
    clashes = {key: count for key, count in seen.items() if count > 1}
    assert not clashes, clashes
    assert len(entries) == len(read_catalog()) + 1  # + the header
    assert (ROOT / "babel.cfg").is_file()


# A call of gettext inside an f-string's braces: Babel's extractor reads an f-string as one string token on Python
# 3.11 and never sees the call, so its text stays in English for every reader.
GETTEXT_IN_FSTRING = re.compile(r"""\bf(["'])[^"'\n]*\{[^}\n]*\b(?:_|_l|gettext|lazy_gettext|ngettext)\(""")


def test_no_gettext_call_hides_inside_an_f_string():
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "app").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if GETTEXT_IN_FSTRING.search(line)
    ]
    assert found == []


def test_the_f_string_check_sees_a_hidden_call():
    assert GETTEXT_IN_FSTRING.search("""    return f"{_('Comment:')} {params['comment']}" """)
    assert not GETTEXT_IN_FSTRING.search("""    return f"{label} {params['comment']}" """)
