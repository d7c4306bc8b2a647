"""The places where domains plug into the application: the factory's registry, filled by each blueprint.

``core`` names no domain. Each domain's blueprint registers, when it is set up (``bp.record_once``), what it adds:
its demo data, its steps of the daily job, its entries of the navigation, its cards on the home page, how the 409
page shows the current state of its objects. The order is the order of registration (the factory's order of
blueprints).

A domain may also offer a named *extension point* to the domains above it (``registry.declare("leave.request_page")``:
a panel on its page, a field on its form), which they fill with ``registry.extend(point, item)``; the owner reads
``registry.extensions(point)``. Extending a point nobody declared, or registering a template that does not exist,
fails at start-up (:meth:`Registry.check`), never silently.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, current_app

# Where a navigation entry goes: the main bar, the user's own menu, or a drop-down menu that a domain adds
# (``add_nav_menu``).
NAV_SECTIONS = ("main", "user")


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable


@dataclass(frozen=True)
class NavMenu:
    """A drop-down menu of the navigation bar: its entries are those registered in ``section``."""

    section: str
    label: object
    visible: Callable[[object], bool]
    testid: str = ""


@dataclass
class Registry:
    demo_loaders: list[Step] = field(default_factory=list)
    tick_steps: list[Step] = field(default_factory=list)
    nav_entries: dict[str, list[str]] = field(default_factory=lambda: {section: [] for section in NAV_SECTIONS})
    nav_menus: list[NavMenu] = field(default_factory=list)
    home_cards: list[str] = field(default_factory=list)
    conflict_states: dict[type, str] = field(default_factory=dict)
    points: dict[str, list] = field(default_factory=dict)
    _extended: list[tuple[str, object]] = field(default_factory=list)
    form_classes: dict[tuple[type, str], type] = field(default_factory=dict)
    nav_counts: dict[str, Callable] = field(default_factory=dict)
    home_counts: dict[str, Callable] = field(default_factory=dict)
    pickers: dict[str, object] = field(default_factory=dict)
    notification_kinds: dict[str, Callable] = field(default_factory=dict)

    def add_demo(self, name: str, load: Callable[[dict], None]) -> None:
        """``load(ctx)`` adds the domain's demo data; ``ctx`` carries what earlier loaders made."""
        self.demo_loaders.append(Step(name, load))

    def add_tick_step(self, name: str, run: Callable) -> None:
        """``run(day)`` is one step of the daily job; it returns a summary line. The job commits after each."""
        self.tick_steps.append(Step(name, run))

    def add_nav(self, section: str, template: str) -> None:
        """``template`` is an entry of ``section``: "main", "user", or a menu's (added before or after)."""
        self.nav_entries.setdefault(section, []).append(template)

    def add_nav_menu(self, section: str, label, visible: Callable[[object], bool], testid: str = "") -> None:
        """A drop-down menu named ``label`` holding the entries of ``section``, shown to whom ``visible(user)``."""
        self.nav_menus.append(NavMenu(section, label, visible, testid))
        self.nav_entries.setdefault(section, [])

    def add_nav_count(self, name: str, expression: Callable[[object], object]) -> None:
        """``expression(user)`` is a scalar SQL expression the navigation shows for the reader (a count, a flag):
        every registered one is computed in one statement per page (:func:`app.core.navigation.nav_counts`)."""
        if name in self.nav_counts or name in self.home_counts:
            raise RuntimeError(f"navigation count registered twice: {name}")
        self.nav_counts[name] = expression

    def add_home_count(self, name: str, expression: Callable[[object], object]) -> None:
        """Like :meth:`add_nav_count`, for a number only the home page shows (what waits for the reader): computed
        in the navigation's one statement, on the home page only (:func:`app.core.navigation.nav_counts`)."""
        if name in self.nav_counts or name in self.home_counts:
            raise RuntimeError(f"navigation count registered twice: {name}")
        self.home_counts[name] = expression

    def declare(self, point: str) -> None:
        """Offer an extension point; its items come in the order they are registered."""
        if point in self.points:
            raise ValueError(f"extension point {point!r} declared twice")
        self.points[point] = [item for name, item in self._extended if name == point]

    def extend(self, point: str, item) -> None:
        """Add ``item`` (a template name, or an object the point's owner documents) to ``point``."""
        self._extended.append((point, item))
        if point in self.points:
            self.points[point].append(item)

    def extensions(self, point: str) -> list:
        return self.points[point]

    def add_picker(self, picker) -> None:
        """A search-as-you-type choice among many rows (a :class:`app.core.pickers.Picker`), served as JSON at
        ``/choix/<picker.name>``."""
        if picker.name in self.pickers:
            raise ValueError(f"picker {picker.name!r} registered twice")
        self.pickers[picker.name] = picker

    def add_notification_kinds(self, renderers: dict[str, Callable]) -> None:
        """``{kind: render(params)}``: how each kind of notification is written in the current locale
        (:mod:`app.core.notification_texts`)."""
        twice = sorted(set(renderers) & set(self.notification_kinds))
        if twice:
            raise ValueError(f"notification kinds registered twice: {', '.join(twice)}")
        self.notification_kinds.update(renderers)

    def add_home_card(self, template: str) -> None:
        self.home_cards.append(template)

    def add_conflict_state(self, model: type, template: str) -> None:
        """The partial the 409 page includes to show the current state of a ``model`` object (as ``subject``)."""
        self.conflict_states[model] = template

    def conflict_state_template(self, subject) -> str | None:
        for model in type(subject).__mro__:
            if model in self.conflict_states:
                return self.conflict_states[model]
        return None

    def templates(self) -> list[str]:
        return [
            *(t for entries in self.nav_entries.values() for t in entries),
            *self.home_cards,
            *self.conflict_states.values(),
            *(item for _point, item in self._extended if isinstance(item, str)),
            *(
                template
                for _point, item in self._extended
                for template in (getattr(item, "template", None), getattr(item, "cell", None))
                if template
            ),
        ]

    def check(self, app: Flask) -> None:
        """Every extended point is declared and every registered template exists; raises otherwise."""
        undeclared = sorted({point for point, _item in self._extended if point not in self.points})
        if undeclared:
            raise RuntimeError(f"extension points used but never declared: {', '.join(undeclared)}")
        menus = {menu.section for menu in self.nav_menus}
        orphans = sorted(
            section for section in self.nav_entries if section not in menus and section not in NAV_SECTIONS
        )
        if orphans:
            raise RuntimeError(f"navigation entries for menus nobody added: {', '.join(orphans)}")
        for template in self.templates():
            app.jinja_env.get_template(template)


def init_registry(app: Flask) -> Registry:
    registry = Registry()
    app.extensions["conges_registry"] = registry
    app.jinja_env.globals.update(
        nav_entries=registry.nav_entries,
        nav_menus=registry.nav_menus,
        home_cards=registry.home_cards,
        extensions=registry.extensions,
    )
    return registry


def registry_of(app: Flask | None = None) -> Registry:
    return (app or current_app).extensions["conges_registry"]


def _same(query):
    return query


@dataclass(frozen=True)
class FormExtension:
    """A field that a domain above adds to a form it does not own (the owner declares the point).

    The owner builds its form class with :func:`extended_form`, calls ``fill(form, obj)`` before showing it and
    ``apply(obj, value, actor)`` inside its own service (same unit of work; raise the core errors with
    ``field=name``), and includes ``template`` (which receives ``form``) where the field goes.
    """

    name: str
    field: Callable[[], object]
    fill: Callable[[object, object], None]
    apply: Callable[[object, object, object], None]
    template: str | None = None


@dataclass(frozen=True)
class ListExtension:
    """A filter, and the column that shows it, that a domain above adds to a list it does not own.

    ``field()`` is the filter form's field (named ``name``, the query-string parameter), ``fill(field)`` sets its
    choices, ``apply(query, value)`` adds its condition for a chosen value, ``load(query)`` eager-loads what the
    column shows; ``header`` and ``cell`` (a partial receiving ``row``) draw the column, ``value(row)`` is its cell in
    the list's exports (none: not exported).
    """

    name: str
    field: Callable[[], object]
    fill: Callable[[object], None]
    apply: Callable[[object, object], object]
    load: Callable[[object], object] = _same
    header: object = None
    cell: str | None = None
    value: Callable[[object], object] | None = None


def extended_form(form_class: type, point: str) -> type:
    """``form_class`` with the fields of the :class:`FormExtension` items of ``point`` (made once per app)."""
    registry = registry_of()
    key = (form_class, point)
    if key not in registry.form_classes:
        fields = {ext.name: ext.field() for ext in registry.extensions(point)}
        registry.form_classes[key] = type(form_class.__name__, (form_class,), fields) if fields else form_class
    return registry.form_classes[key]
