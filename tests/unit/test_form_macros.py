"""The form macros of ``templates/_macros/forms.html``: what a field looks like once rendered."""

from flask import render_template_string
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField
from wtforms.widgets import HiddenInput

MACRO = (
    '{% from "_macros/forms.html" import render_field %}{{ render_field(form.version) }}{{ render_field(form.name) }}'
)


class VersionForm(FlaskForm):
    class Meta:
        csrf = False

    version = IntegerField("Version", widget=HiddenInput())
    name = StringField("Nom")


def test_a_hidden_input_of_any_field_type_is_rendered_bare_without_its_label(app):
    with app.test_request_context("/"):
        form = VersionForm(data={"version": 3, "name": "Éloïse"})
        html = render_template_string(MACRO, form=form)
    assert '<input id="version" name="version" type="hidden" value="3">' in html
    assert ">Version<" not in html and 'for="version"' not in html
    assert 'for="name"' in html and ">Nom<" in html  # a visible field keeps its label
