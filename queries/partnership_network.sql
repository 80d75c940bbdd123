-- Edges of the partnership network: industry party (company / plant) -> education party, in a region.
-- grain: one row per partnership
with partnerships as (
    select * from partnerships
    where $country is null or country = $country
),

plants as (
    select site_id, site_name, segment, status as plant_status, nuts2 as plant_nuts2 from plants
),

nuts as (
    select nuts_id, name from nuts where level = 2 and version = 2024
),

joined as (
    select
        pa.partnership_id,
        coalesce(pa.company, pa.industry_party) as company,
        pa.industry_party, pa.site_id, pl.site_name, pl.segment, pl.plant_status,
        pa.education_party, pa.programme_ids, pa.country,
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
