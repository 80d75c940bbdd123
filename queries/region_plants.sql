-- Battery value-chain sites located in one NUTS region or country ($region: a NUTS id; its sub-regions included).
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
    where starts_with(coalesce(nuts2, ''), $region)
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
