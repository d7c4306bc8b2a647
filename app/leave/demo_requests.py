"""The demo's requests: every status, three cycles, a dozen countries, coherent histories."""

from datetime import date, timedelta


def _flow(applicant: str, manager: str, start: date, until: str, submitted: date) -> list:
    """The usual path up to status ``until``: submit, manager, BRI, start, end, report."""
    d = submitted
    path = [
        ("submit", applicant, d, ""),
        ("manager_approve", manager, d + timedelta(days=3), ""),
        ("bri_approve", "bri1", d + timedelta(days=8), ""),
        ("start_mission", None, start, ""),
        ("end_mission", None, None, ""),
        ("submit_report", applicant, None, ""),
        ("accept_report", "bri2", None, "Merci pour ce rapport clair et complet."),
    ]
    order = [
        "submitted",
        "manager_approved",
        "approved",
        "in_mission",
        "report_due",
        "report_submitted",
        "closed",
    ]
    return path[: order.index(until) + 1]


def _with_end(steps: list, end: date) -> list:
    fixed = []
    for action, actor, day, comment in steps:
        if action == "end_mission":
            day = end + timedelta(days=1)
        elif action == "submit_report":
            day = end + timedelta(days=12)
        elif action == "accept_report":
            day = end + timedelta(days=20)
        fixed.append((action, actor, day, comment))
    return fixed


def add_requests(b, today: date) -> None:
    """Requests in every status over three cycles; ``b`` is the demo's builder."""
    past, now, nxt = today.year - 1, today.year, today.year + 1
    # A past cycle: closed, rejected, cancelled missions.
    for who, mgr, partner, month in [
        ("emp1", "mgr_urb", "Mairie de Jacmel", 5),
        ("emp4", "mgr_env", "Commune de Dakar-Plateau", 6),
        ("emp9", "mgr_eau", "Fondation Eau vive Sahel", 9),
    ]:
        start = date(past, month, 4)
        steps = _with_end(_flow(who, mgr, start, "closed", date(past, 2, 10)), start + timedelta(days=20))
        b.request(who, past, partner, start, 20, "6500", steps)
    b.request(
        "emp7",
        past,
        "Communauté urbaine de Douala",
        date(past, 7, 6),
        14,
        "5200",
        [
            ("submit", "emp7", date(past, 2, 20), ""),
            ("manager_approve", "mgr_fin", date(past, 2, 24), ""),
            ("bri_reject", "bri2", date(past, 3, 10), "Le partenaire n'a pas confirmé l'accueil."),
        ],
    )
    start = date(past, 8, 3)
    b.request(
        "emp10",
        past,
        "Association des maires de la Région des Palmes",
        start,
        21,
        "7000",
        [
            *_flow("emp10", "mgr_eau", start, "approved", date(past, 3, 1)),
            ("cancel", "bri1", date(past, 7, 20), "Avis aux voyageurs : déplacements non essentiels déconseillés."),
        ],
    )
    # The current cycle: missions done, under way, about to leave.
    start = today - timedelta(days=70)
    end = start + timedelta(days=21)
    b.request(
        "emp2",
        now,
        "Mairie de Port-au-Prince",
        start,
        21,
        "7200",
        _with_end(_flow("emp2", "mgr_urb", start, "closed", start - timedelta(days=80)), end),
    )
    start = today - timedelta(days=50)
    end = start + timedelta(days=18)
    b.request(
        "emp5",
        now,
        "Ville de Tunis — Direction de l'environnement",
        start,
        18,
        "6100",
        _with_end(_flow("emp5", "mgr_env", start, "report_submitted", start - timedelta(days=70)), end),
    )
    start = today - timedelta(days=40)
    end = start + timedelta(days=20)
    b.request(
        "emp8",
        now,
        "District autonome d'Abidjan",
        start,
        20,
        "6400",
        _with_end(_flow("emp8", "mgr_fin", start, "report_due", start - timedelta(days=60)), end),
    )
    start = today - timedelta(days=32)
    b.request(
        "emp11",
        now,
        "Fondation Eau vive Sahel",
        start,
        14,
        "4800",
        _with_end(_flow("emp11", "mgr_eau", start, "report_due", start - timedelta(days=50)), start + timedelta(14)),
    )
    start = today - timedelta(days=6)
    b.request(
        "emp3",
        now,
        "Alcaldía de Medellín — Planeación",
        start,
        21,
        "7500",
        _flow("emp3", "mgr_urb", start, "in_mission", start - timedelta(days=60)),
    )
    start = today - timedelta(days=3)
    b.request(
        "emp6",
        now,
        "Mairie de Jacmel",
        start,
        28,
        "8200",
        _flow("emp6", "mgr_env", start, "in_mission", start - timedelta(days=55)),
    )
    start = today + timedelta(days=12)
    b.request(
        "emp12",
        now,
        "Ville de Kigali — One Stop Centre",
        start,
        14,
        "5600",
        _flow("emp12", "mgr_urb", start, "approved", today - timedelta(days=40)),
    )
    start = today + timedelta(days=20)
    b.request(
        "emp7",
        now,
        "Comité populaire du district de Hoàn Kiếm",
        start,
        14,
        "6000",
        _flow("emp7", "mgr_fin", start, "approved", today - timedelta(days=35)),
    )
    # The next cycle: everything still being decided.
    spring = date(nxt, 2, 2)
    b.request("emp1", nxt, "Association des maires de la Région des Palmes", spring, 21, "6800", [])
    b.request(
        "emp13", nxt, "Université d'État d'Haïti — Faculté des sciences", spring + timedelta(days=30), 14, "0", []
    )
    b.request(
        "emp2",
        nxt,
        "Mairie de Jacmel",
        date(nxt, 3, 2),
        14,
        "5000",
        [("submit", "emp2", today - timedelta(days=9), "")],
    )
    b.request(
        "emp9",
        nxt,
        "Fondation Eau vive Sahel",
        date(nxt, 2, 16),
        21,
        "7000",
        [("submit", "emp9", today - timedelta(days=4), "")],
    )
    b.request(
        "emp4",
        nxt,
        "Communauté urbaine de Douala",
        date(nxt, 4, 6),
        14,
        "5400",
        [("submit", "emp4", today - timedelta(days=2), "")],
    )
    b.request(
        "emp10",
        nxt,
        "Mairie de Port-au-Prince",
        date(nxt, 5, 3),
        28,
        "9000",
        [
            ("submit", "emp10", today - timedelta(days=20), ""),
            ("manager_request_changes", "mgr_eau", today - timedelta(days=17), "Précise les livrables attendus."),
        ],
    )
    b.request(
        "emp6",
        nxt,
        "Commune de Dakar-Plateau",
        date(nxt, 5, 10),
        14,
        "5100",
        [
            ("submit", "emp6", today - timedelta(days=25), ""),
            ("manager_approve", "delegate", today - timedelta(days=21), ""),
        ],
    )
    b.request(
        "emp3",
        nxt,
        "Comité populaire du district de Hoàn Kiếm",
        date(nxt, 6, 7),
        21,
        "7400",
        [
            ("submit", "emp3", today - timedelta(days=15), ""),
            ("manager_approve", "mgr_urb", today - timedelta(days=12), "Belle occasion pour l'équipe."),
        ],
    )
    b.request(
        "emp11",
        nxt,
        "Ville de Kigali — One Stop Centre",
        date(nxt, 4, 13),
        14,
        "5300",
        [
            ("submit", "emp11", today - timedelta(days=30), ""),
            ("manager_approve", "mgr_eau", today - timedelta(days=27), ""),
            ("bri_request_changes", "bri2", today - timedelta(days=20), "Ajoutez la lettre d’invitation."),
        ],
    )
    b.request(
        "emp8",
        nxt,
        "District autonome d'Abidjan",
        date(nxt, 3, 16),
        14,
        "4000",
        [
            ("submit", "emp8", today - timedelta(days=14), ""),
            ("manager_reject", "mgr_fin", today - timedelta(days=10), "Clôture budgétaire : absence impossible."),
        ],
    )
    b.request(
        "emp12",
        nxt,
        "Mairie de Jacmel",
        date(nxt, 6, 1),
        14,
        "5000",
        [
            ("submit", "emp12", today - timedelta(days=22), ""),
            ("withdraw", "emp12", today - timedelta(days=18), "Projet reporté à l'an prochain."),
        ],
    )
    b.request(
        "emp5",
        nxt,
        "Alcaldía de Medellín — Planeación",
        date(nxt, 3, 1),
        14,
        "5000",
        [("withdraw", "emp5", today - timedelta(days=5), "")],
    )
