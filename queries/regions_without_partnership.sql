-- NUTS-2 regions with battery demand (non-cancelled plants with announced jobs) but no partnership listed.
-- grain: one row per NUTS-2 region
with plants as (
    select * from plants
    where status <> 'cancelled' and nuts2 is not null
      and ($country is null or country = $country or left(nuts2, 2) = $country)
),

partnerships as (
    select distinct nuts2 from partnerships where nuts2 is not null
),

nuts as (
    select nuts_id, name from nuts where level = 2 and version = 2024
),

demand as (
    select nuts2, count(*) as sites, sum(jobs_announced) as jobs_announced,
           string_agg(distinct company, '; ' order by company) as companies
    from plants
    group by nuts2
),

final as (
    select d.nuts2, n.name as region_name, d.sites, d.jobs_announced, d.companies
    from demand as d
    left join nuts as n on n.nuts_id = d.nuts2
    where d.nuts2 not in (select nuts2 from partnerships)
    order by d.jobs_announced desc nulls last, d.nuts2
)

select * from final
