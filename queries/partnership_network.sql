-- Edges of the partnership network: industry party (company / plant) -> education party, in a region.
-- grain: one row per partnership
with partnerships as (
    select * from partnerships
    where $country is null or country = $country
),

plants as (
    select site_id, company as plant_company, site_name, segment, status as plant_status, nuts2 as plant_nuts2
    from plants
),

nuts as (
    select nuts_id, name from nuts where level = 2 and version = 2024
),

joined as (
    select
        pa.partnership_id,
        -- one node per company: the linked plant's company when there is one ("CATL Debrecen" and "CATL
        -- (Contemporary Amperex Technology Hungary)" are both CATL; the site stays an attribute), else as stated
        coalesce(pl.plant_company, pa.company, pa.industry_party) as company,
        pa.industry_party, pa.site_id, pl.site_name, pl.segment, pl.plant_status,
        -- one node per school: the name without its bracketed gloss or " - detail" (DSZC written two ways)
        trim(regexp_replace(regexp_replace(pa.education_party, '\s*\([^)]*\)', '', 'g'), '\s+-\s.*$', ''))
            as education_party,
        pa.education_party as education_party_as_stated, pa.programme_ids, pa.country,
        coalesce(pa.nuts2, pl.plant_nuts2) as nuts2, pa.city, pa.started, pa.what, pa.status,
        pa.source_url, pa.source_title, pa.as_of
    from partnerships as pa
    left join plants as pl on pl.site_id = pa.site_id
),

final as (
    select j.*, n.name as region_name
    from joined as j
    left join nuts as n on n.nuts_id = j.nuts2
    order by j.country, j.nuts2, j.company, j.education_party
)

select * from final
