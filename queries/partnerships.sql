-- Industry–education partnerships, optionally for one country ($country null = all) or one NUTS region
-- ($region: a NUTS id, sub-regions included).
-- optional: country, region
-- grain: one row per partnership
with partnerships as (
    select * from partnerships
),

plants as (
    select site_id, site_name, segment, status as plant_status from plants
),

final as (
    select
        pa.partnership_id, pa.industry_party, pa.company, pa.site_id, pl.site_name, pl.segment,
        pl.plant_status, pa.education_party, pa.programme_ids, pa.country, pa.nuts2, pa.city,
        pa.started, pa.what, pa.status, pa.source_url, pa.source_title, pa.as_of
    from partnerships as pa
    left join plants as pl on pl.site_id = pa.site_id
    where ($country is null or pa.country = $country)
        and ($region is null or starts_with(coalesce(pa.nuts2, ''), $region))
    order by pa.country, pa.started desc nulls last
)

select * from final
