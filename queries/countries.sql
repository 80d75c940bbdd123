-- Countries that appear in any dataset, with their name, for the country filter.
-- grain: one row per country code (Eurostat style: EL, UK)
with nuts0 as (
    select nuts_id as country, name from nuts where level = 0
),

used as (
    select country from plants
    union select country from programmes where country <> 'EU'
    union select country from partnerships
),

normalised as (
    select case country when 'GR' then 'EL' when 'GB' then 'UK' else country end as country from used
),

final as (
    select distinct u.country, coalesce(n.name, u.country) as name
    from normalised as u
    left join nuts0 as n on n.country = u.country
    where u.country is not null
    order by u.country
)

select * from final
