"""Table specs for every dataset in data/: file, columns, types, allowed values.

One source of truth used by the catalog loader (db.py), the data tests and the upload
validator. Plain data here; pandera schemas are derived on demand (`pandera_schema`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

PLANT_STATUSES = ("operating", "under_construction", "announced", "paused", "cancelled")
EVIDENCE = ("observed", "announced", "modelled", "assumption")
SEGMENTS = ("cell", "cathode", "precursor", "anode", "refining", "recycling", "pack", "separator", "electrolyte", "other")
MODES = ("initial_vet", "higher_education", "continuous_learning")
PARTNER_ROLES = ("coordinator", "network_member", "joint_delivery", "consortium_member", "joint_partner")
SOURCE_COLUMNS = ("source_url", "source_title", "as_of")


@dataclass(frozen=True)
class TableSpec:
    name: str
    file: str  # path relative to data/
    title: str
    key: tuple[str, ...]
    columns: dict[str, str]  # column -> "str" | "int" | "float"
    enums: dict[str, tuple[str, ...]] = field(default_factory=dict)
    required: tuple[str, ...] = ()  # never empty
    description: str = ""


def _cols(spec: str) -> dict[str, str]:
    """'a b:int c:float' -> {'a': 'str', 'b': 'int', 'c': 'float'}"""
    out = {}
    for token in spec.split():
        name, _, kind = token.partition(":")
        out[name] = kind or "str"
    return out


TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in [
        TableSpec(
            "plants", "plants.csv", "Battery value-chain sites", ("site_id",),
            _cols("site_id company site_name city country nuts2 nuts_version lat:float lon:float segment "
                  "capacity_value:float capacity_unit jobs_announced:int status status_date start_year:int "
                  "source_url source_title as_of evidence notes"),
            enums={"status": PLANT_STATUSES, "segment": SEGMENTS, "evidence": EVIDENCE},
            required=("site_id", "company", "site_name", "country", "segment", "status", "source_url", "source_title"),
            description="One row per site with its latest sourced status, capacity and announced jobs.",
        ),
        TableSpec(
            "plant_history", "plant_history.csv", "Plant announcements and status changes", ("site_id", "source_url", "as_of"),
            _cols("site_id as_of status status_date capacity_value:float capacity_unit jobs_announced:int "
                  "start_year:int source_url source_title evidence notes"),
            required=("site_id", "source_url"),
            description="Every sourced statement about a site, so the UI can show how plans moved.",
        ),
        TableSpec(
            "plant_evidence", "plant_evidence.csv", "Plant evidence rows with phase, scope and freshness",
            ("site_id", "origin", "source_url", "as_of"),
            _cols("site_id country origin phase plan segment status status_date freshness capacity_value:float "
                  "capacity_unit capacity_scope jobs_announced:int jobs_scope start_year:int source_url source_title "
                  "as_of scope_basis notes"),
            enums={"capacity_scope": ("phase", "full_buildout", ""), "jobs_scope": ("phase_target", "full_target",
                                                                                   "headcount", "")},
            required=("site_id", "source_url", "origin", "scope_basis"),
            description="Every dated evidence row (reference + research files) with its phase, capacity scope "
                        "(phase/full_buildout), jobs scope (phase_target/full_target/headcount) and freshness "
                        "('current' or 'status unverified since YYYY-MM'); built by scripts/build_data.py.",
        ),
        TableSpec(
            "roles", "roles.csv", "Battery job roles (ESCO)", ("role_id",),
            _cols("role_id role role_group typical_eqf:int esco_uri esco_label isco08 mix_cell:float "
                  "mix_materials:float mix_pack:float mix_recycling:float mix_status mix_rationale "
                  "source_url source_title as_of status"),
            required=("role_id", "role", "esco_uri"),
            description="Job roles mapped to ESCO/ISCO-08, with the staffing-mix assumption per segment group.",
        ),
        TableSpec(
            "programmes", "programmes.csv", "Training programmes and providers", ("programme_id",),
            _cols("programme_id provider provider_type programme city country nuts2 lat:float lon:float "
                  "eqf_level:int mode language role_ids capacity_per_year:float source_url source_title as_of "
                  "status notes provider_city joint_with places_split"),
            enums={"mode": MODES, "status": EVIDENCE},
            required=("programme_id", "provider", "programme", "country", "source_url", "source_title"),
            description="Real training offers relevant to battery roles, one row per programme (joint programmes "
                        "once, `places_split` states how places are shared; `city`/`nuts2` = where it is "
                        "delivered, `provider_city` = where the provider is named); capacity only where published.",
        ),
        TableSpec(
            "programme_partners", "programme_partners.csv", "Programme partners and network memberships",
            ("partner_id",),
            _cols("partner_id programme_id network organisation role city country nuts2 source_url source_title "
                  "as_of status notes"),
            enums={"role": PARTNER_ROLES, "status": EVIDENCE},
            required=("partner_id", "organisation", "role", "source_url", "source_title"),
            description="Network memberships, consortium members and joint/partner roles of programmes. Not "
                        "training supply: a programme's places are counted once, on its programmes row.",
        ),
        TableSpec(
            "partnerships", "partnerships.csv", "Industry–education partnerships", ("partnership_id",),
            _cols("partnership_id industry_party company site_id education_party programme_ids country nuts2 city "
                  "started what source_url source_title as_of status"),
            enums={"status": EVIDENCE},
            required=("partnership_id", "industry_party", "education_party", "source_url", "source_title"),
            description="Plant/company ↔ school/university agreements with both ends and the source.",
        ),
        TableSpec(
            "regions", "regions.csv", "Regional baseline indicators (Eurostat)", ("nuts_id", "indicator", "year"),
            _cols("nuts_id level:int country name indicator dataset year:int unit value:float flag "
                  "source_url source_title as_of status note"),
            required=("nuts_id", "indicator", "dataset", "year"),
            description="NUTS 0/1/2 indicators from real Eurostat extracts, each with dataset, year, unit, flag.",
        ),
        TableSpec(
            "regions_unmapped", "regions_unmapped.csv", "Eurostat codes not placed on NUTS 2024", ("dataset", "geo"),
            _cols("dataset geo reason n_values:int"),
            required=("dataset", "geo", "reason"),
            description="Region codes in the Eurostat extracts that the NUTS crosswalk could not place (listed, not dropped).",
        ),
        TableSpec(
            "supply_baseline", "supply_baseline.csv", "Modelled training supply baseline (Eurostat graduates)",
            ("nuts_id", "path"),
            _cols("nuts_id level:int country name path graduates_country:float graduates_year:int graduates_codes key "
                  "key_year:int key_share:float graduates_region:float share_low:float share_value:float "
                  "share_high:float supply_low:float supply_mid:float supply_high:float source_url source_title "
                  "as_of status note"),
            enums={"path": ("vet", "tertiary"), "status": EVIDENCE},
            required=("nuts_id", "path", "key", "source_url", "source_title", "status"),
            description="Every EU NUTS-2 region x path (vet ISCED 3-4 / tertiary ISCED 5-8): national ISCED-F 07 "
                        "graduates (educ_uoe_grad02) allocated by the stated key (attainment of the employed, "
                        "lfst_r_lfe2eedu; population for split regions) x battery-relevant share (assumption "
                        "range); status modelled. Built by scripts/build_supply.py.",
        ),
        TableSpec(
            "nuts", "geo/nuts_regions.csv", "NUTS regions (GISCO)", ("nuts_id", "version"),
            _cols("nuts_id version:int level:int country name parent minx:float miny:float maxx:float maxy:float "
                  "centroid_lon:float centroid_lat:float"),
            required=("nuts_id", "version", "level"),
            description="NUTS 2021 and 2024 region names, hierarchy and bounding boxes.",
        ),
        TableSpec(
            "headlines", "headlines.csv", "Headline figures", ("metric",),
            _cols("metric value:float unit scope year:int source_url source_title as_of status note"),
            required=("metric", "value", "source_title"),
            description="Published headline figures such as the EBA 4M jobs / 800K training estimate.",
        ),
    ]
}


def pandas_dtype(kind: str) -> str:
    return {"str": "string", "int": "Int64", "float": "Float64"}[kind]
