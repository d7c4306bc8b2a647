"""The rows of the generated requests: the request, its history, its mission report, the notifications it caused
and the delegations its decisions needed (a part of :class:`benchmarks.builder.Builder`)."""

from datetime import UTC, datetime, timedelta

from app.leave.workflow import REPORT_STATUSES
from app.models import Delegation, LeaveRequest, MissionReport, Notification, ReferenceCounter, Transition
from benchmarks import vocabulary as words
from benchmarks.histories import Plan


class RequestRows:
    def request_row(self, plan: Plan) -> dict:
        theme = words.THEMES[plan.theme]
        partner = self.partners[plan.partner - 1]
        last = plan.events[-1][6] if plan.events else plan.created_at
        submit = plan.last("submit")
        return {
            "id": plan.id,
            "reference": plan.reference,
            "applicant_id": plan.applicant,
            "cycle_id": self.cycles[plan.year].id,
            "country_code": plan.country,
            "city": plan.city,
            "partner_id": plan.partner,
            "project_id": plan.project_id,
            "start_date": plan.start,
            "end_date": plan.end,
            "working_days": plan.working_days,
            "objectives": f"Accompagner l'équipe de {partner['name']} dans {theme}.",
            "expertise": self.rng.choice(words.EXPERTISE),
            "benefits": f"Retour d'expérience sur {theme} pour les équipes de Montréal.",
            "languages": "Français, créole" if plan.country == "HT" else "Français",
            "cost_transport": plan.costs[0],
            "cost_lodging": plan.costs[1],
            "cost_per_diem": plan.costs[2],
            "cost_other": plan.costs[3],
            "amount_requested": plan.amount,
            "status": plan.status,
            "status_changed_at": last,
            "submitted_at": submit[6] if submit else None,
            "creation_token": None,
            "version": 1 + len(plan.events),
            "created_at": plan.created_at,
            "updated_at": last,
        }

    def transition_rows(self):
        tid = 0
        for plan in self.plans:
            for action, source, target, actor, on_behalf_of, comment, at in plan.events:
                tid += 1
                yield {
                    "id": tid,
                    "request_id": plan.id,
                    "action": action,
                    "from_status": source,
                    "to_status": target,
                    "actor_id": actor,
                    "on_behalf_of_id": on_behalf_of,
                    "comment": comment,
                    "created_at": at,
                }

    def report_rows(self):
        rng, rid = self.rng, 0
        for plan in self.plans:
            if plan.status not in REPORT_STATUSES:
                continue
            submitted, returned, accepted = (
                plan.last("submit_report"),
                plan.last("return_report"),
                plan.last("accept_report"),
            )
            if submitted is None and rng.random() < 0.5:
                continue  # a report due and never opened
            theme = words.THEMES[plan.theme]
            opened = plan.last("end_mission")[6] + timedelta(days=1)
            decision = accepted if plan.status == "closed" else (returned if plan.status == "report_due" else None)
            updated = max(e[6] for e in (submitted, returned, accepted) if e) if submitted else opened
            rid += 1
            yield {
                "id": rid,
                "request_id": plan.id,
                "activities": rng.choice(words.ACTIVITIES).format(theme=theme),
                "results": rng.choice(words.RESULTS).format(theme=theme) if submitted else "",
                "lessons_learned": rng.choice(words.LESSONS) if submitted else "",
                "recommendations_city": f"Poursuivre la coopération sur {theme}." if submitted else "",
                "recommendations_partner": "Désigner une personne responsable du suivi." if submitted else "",
                "testimony": rng.choice(words.TESTIMONIES) if submitted else "",
                "consent_to_quote": bool(submitted) and rng.random() < 0.6,
                "submitted_at": submitted[6] if submitted else None,
                "decided_at": decision[6] if decision else None,
                "decided_by_id": decision[3] if decision else None,
                "decision": {"accept_report": "accepted", "return_report": "returned"}[decision[0]]
                if decision
                else None,
                "bri_comment": returned[5] if returned else "",
                "version": 1
                + sum(1 for e in plan.events if e[0] in ("submit_report", "return_report", "accept_report")),
                "created_at": opened,
                "updated_at": updated,
            }

    def insert_requests(self) -> None:
        self.insert(LeaveRequest, (self.request_row(p) for p in self.plans))
        self.insert(Transition, self.transition_rows())
        self.insert(MissionReport, self.report_rows())
        self.insert(Notification, self.notification_rows())
        self.insert(Delegation, self.delegation_rows())
        self.insert(ReferenceCounter, [{"year": y, "last": n} for y, n in sorted(self.reference_numbers.items())])

    # Notifications and delegations -------------------------------------------------------------------------------

    SUBJECTS = {
        "manager_approve": ("Votre demande {ref} est approuvée par votre gestionnaire", "Your manager approved {ref}"),
        "manager_reject": ("Votre demande {ref} est refusée", "Your request {ref} was rejected"),
        "manager_request_changes": ("Modifications demandées pour {ref}", "Changes requested on {ref}"),
        "bri_approve": ("Le BRI approuve votre demande {ref}", "The BRI approved your request {ref}"),
        "bri_reject": ("Le BRI refuse votre demande {ref}", "The BRI rejected your request {ref}"),
        "bri_request_changes": ("Le BRI demande des modifications pour {ref}", "The BRI asks for changes on {ref}"),
        "cancel": ("Mission {ref} annulée", "Mission {ref} cancelled"),
        "start_mission": ("Bonne mission ! ({ref})", "Have a good mission! ({ref})"),
        "end_mission": ("Rapport de mission attendu pour {ref}", "Mission report due for {ref}"),
        "return_report": ("Votre rapport {ref} est à revoir", "Your report {ref} needs changes"),
        "accept_report": ("Votre rapport {ref} est accepté", "Your report {ref} was accepted"),
        "submitted": ("Demande {ref} à décider", "Request {ref} to decide"),
        "manager_approved": ("Demande {ref} à décider par le BRI", "Request {ref} for the BRI to decide"),
        "report_submitted": ("Rapport {ref} à examiner", "Report {ref} to review"),
    }

    # The kind of notification (app/*/notification_texts.py) each step gives; the others are decisions.
    KINDS = {
        "start_mission": "leave/mission_started",
        "end_mission": "leave/report_due",
        "return_report": "reports/returned",
        "accept_report": "reports/accepted",
        "submitted": "leave/to_decide_manager",
        "manager_approved": "leave/to_decide_bri",
        "report_submitted": "reports/submitted",
    }

    def notification_params(self, key: str, plan: Plan) -> dict:
        """What the application's notify() stores: the page writes the text from it in the reader's language."""
        event = plan.last(key)
        return {
            "ref": plan.reference,
            "applicant": self.users[plan.applicant]["full_name"],
            "country": plan.country,
            "start": plan.start.isoformat(),
            "end": plan.end.isoformat(),
            "days": plan.working_days,
            "amount": str(plan.amount),
            "action": key,
            "status": event[2] if event else plan.status,
            "comment": (event[5] if event else "") or "",
        }

    def notification(self, nid: int, recipient: int, key: str, plan: Plan, at: datetime, unread: bool) -> dict:
        user = self.users[recipient]
        subject = self.SUBJECTS[key][user["language"] == "en"].format(ref=plan.reference)
        link = f"/rapports/{plan.id}" if key in ("report_submitted", "return_report", "accept_report") else None
        return {
            "id": nid,
            "recipient_id": recipient,
            "kind": self.KINDS.get(key, "leave/decision"),
            "params": self.notification_params(key, plan),
            "subject": subject,
            "body": f"{subject}.",
            "link": link or f"/conges/{plan.id}",
            "created_at": at,
            "read_at": None if unread else at + timedelta(hours=self.rng.randint(1, 72)),
            "emailed_at": at + timedelta(minutes=1) if user["active"] else None,
        }

    def notification_rows(self):
        """The applicant hears of the last step someone else took; the next decider of a waiting request is told."""
        rng, nid, recent = self.rng, 0, self.now - timedelta(days=21)
        for plan in self.plans:
            told = next((e for e in reversed(plan.events) if e[3] != plan.applicant), None)
            if told is not None:
                nid += 1
                # The chosen employee has read nothing of the last two months.
                mine = plan.applicant == self.employee and told[6] > self.now - timedelta(days=60)
                unread = mine or (told[6] > recent and rng.random() < 0.5)
                yield self.notification(nid, plan.applicant, told[0], plan, told[6], unread)
            if plan.status in ("submitted", "manager_approved", "report_submitted"):
                last = plan.events[-1]
                recipient = self.manager_of[plan.applicant] if plan.status == "submitted" else rng.choice(self.bri)
                if last[4] is not None:  # decided by a delegate before: the manager is told all the same
                    recipient = last[4]
                nid += 1
                yield self.notification(nid, recipient, plan.status, plan, last[6], rng.random() < 0.6)

    def delegation_rows(self):
        rows = sorted(set(self.deciders.delegations))
        # The chosen manager named delegates in the past (their delegations page).
        colleagues = [m for m in self.managers_by_dept[self.users[self.manager]["department_id"]] if m != self.manager]
        for k in range(2):
            day = self.today - timedelta(days=200 * (k + 1))
            rows.append((self.manager, colleagues[k % len(colleagues)], day))
        for i, (manager, delegate, day) in enumerate(rows, start=1):
            yield {
                "id": i,
                "manager_id": manager,
                "delegate_id": delegate,
                "starts_on": day - timedelta(days=3),
                "ends_on": day + timedelta(days=10),
                **self.stamps(datetime.combine(day - timedelta(days=5), datetime.min.time(), UTC)),
            }
