-- Battery value-chain sites, optionally for one country ($country null = all Europe) or one NUTS region
-- ($region: a NUTS id, its sub-regions included; null = no region filter).
-- optional: country, region
-- grain: one row per site
with plants as (
    select * from plants
),

nuts as (
    select nuts_id, version, name from nuts where level = 2
),

filtered as (
    select *
    from plants
    where ($country is null or country = $country or left(nuts2, 2) = $country)
        and ($region is null or starts_with(coalesce(nuts2, ''), $region))
),

final as (
    select
        f.site_id, f.company, f.site_name, f.city, f.country, f.nuts2,
        n.name as region_name, f.lat, f.lon, f.segment,
        f.capacity_value, f.capacity_unit, f.jobs_announced, f.status, f.status_date, f.start_year,
        f.evidence, f.notes, f.source_url, f.source_title, f.as_of
    from filtered as f
    left join nuts as n
        on n.nuts_id = f.nuts2 and n.version = coalesce(try_cast(f.nuts_version as integer), 2024)
    order by f.country, f.company, f.site_name
)

select * from final
