-- The plant pipeline by country and status: sites, cell capacity (GWh/yr), announced jobs.
-- grain: one row per country x status
with plants as (
    select * from plants
),

filtered as (
    select * from plants
    where $country is null or country = $country
),

final as (
    select
        country,
        status,
        count(*) as sites,
        sum(case when capacity_unit = 'GWh/yr' then capacity_value end) as capacity_gwh,
        sum(case when capacity_unit = 'kt/yr' then capacity_value end) as capacity_kt,
        sum(jobs_announced) as jobs_announced,
        count(jobs_announced) as sites_with_jobs
    from filtered
    group by country, status
    order by country, status
)

select * from final
