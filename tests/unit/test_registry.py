"""The registry the domains fill: what is registered wrongly fails at start-up, never silently."""

import pytest
from flask import Flask
from jinja2 import DictLoader, TemplateNotFound

from app.core.registry import FormExtension, init_registry


@pytest.fixture
def bare():
    bare = Flask(__name__)
    bare.jinja_env.loader = DictLoader({"here.html": "", "cell.html": ""})
    return bare


def test_a_template_that_does_not_exist_fails_the_check(bare):
    registry = init_registry(bare)
    registry.add_home_card("here.html")
    registry.check(bare)
    registry.add_nav("main", "renamed.html")
    with pytest.raises(TemplateNotFound):
        registry.check(bare)


def test_an_extension_of_a_point_nobody_declared_fails_the_check(bare):
    registry = init_registry(bare)
    registry.extend("leave.nowhere", "here.html")
    with pytest.raises(RuntimeError, match="leave.nowhere"):
        registry.check(bare)


def test_a_point_gets_its_items_whatever_the_order_of_registration(bare):
    registry = init_registry(bare)
    field = FormExtension("x", field=lambda: None, fill=lambda form, obj: None, apply=lambda obj, v, a: None)
    registry.extend("a.form", field)
    registry.declare("a.form")
    registry.extend("a.form", "here.html")
    assert registry.extensions("a.form") == [field, "here.html"]
    with pytest.raises(ValueError, match="declared twice"):
        registry.declare("a.form")


def test_the_templates_of_extension_objects_are_checked_too(bare):
    registry = init_registry(bare)
    registry.declare("a.form")
    registry.extend("a.form", FormExtension("x", lambda: None, lambda f, o: None, lambda o, v, a: None, "gone.html"))
    with pytest.raises(TemplateNotFound):
        registry.check(bare)


def test_entries_of_a_menu_nobody_added_fail_the_check(bare):
    registry = init_registry(bare)
    registry.add_nav("bri", "here.html")
    with pytest.raises(RuntimeError, match="bri"):
        registry.check(bare)
    registry.add_nav_menu("bri", "BRI", lambda user: True)
    registry.check(bare)
    assert registry.nav_entries["bri"] == ["here.html"]


def test_a_navigation_count_registered_twice_fails_at_once(bare):
    registry = init_registry(bare)
    registry.add_nav_count("unread", lambda user: None)
    with pytest.raises(RuntimeError, match="unread"):
        registry.add_nav_count("unread", lambda user: None)
    assert list(registry.nav_counts) == ["unread"]


def test_a_home_count_shares_the_names_of_the_navigation_counts(bare):
    registry = init_registry(bare)
    registry.add_nav_count("unread", lambda user: None)
    registry.add_home_count("waiting", lambda user: None)
    with pytest.raises(RuntimeError, match="twice: unread"):
        registry.add_home_count("unread", lambda user: None)
    with pytest.raises(RuntimeError, match="twice: waiting"):
        registry.add_nav_count("waiting", lambda user: None)
