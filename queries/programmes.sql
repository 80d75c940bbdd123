-- Training programmes, optionally for one country ($country null = all, incl. EU-wide offers).
-- Or those located in one NUTS region ($region: a NUTS id, sub-regions included; EU-wide offers excluded).
-- Located where delivered (city/nuts2); joint programmes once, places_split says how places are shared.
-- optional: country, region
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
    where ($country is null or p.country = $country or p.country = 'EU')
        and ($region is null or starts_with(coalesce(p.nuts2, ''), $region))
    order by p.country, p.provider, p.programme
)

select * from final
