-- Training programmes located in one NUTS region or country ($region: a NUTS id; its sub-regions included).
-- Located where delivered; joint programmes once (places_split).
-- grain: one row per programme
with programmes as (
    select * from programmes
),

nuts as (
    select nuts_id, name from nuts where level = 2 and version = 2024
),

final as (
    select
        p.programme_id, p.provider, p.provider_type, p.programme, p.city, p.country, p.nuts2,
        n.name as region_name, p.lat, p.lon, p.eqf_level, p.mode, p.language, p.role_ids,
        p.capacity_per_year, p.places_split, p.joint_with, p.provider_city,
        p.status, p.notes, p.source_url, p.source_title, p.as_of
    from programmes as p
    left join nuts as n on n.nuts_id = p.nuts2
    where starts_with(coalesce(p.nuts2, ''), $region)
    order by p.country, p.provider, p.programme
)

select * from final
