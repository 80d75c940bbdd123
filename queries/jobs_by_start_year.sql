-- Announced jobs and capacity by planned start year and status (the pipeline timeline).
-- grain: one row per start_year x status
with plants as (
    select * from plants
    where ($country is null or country = $country or left(nuts2, 2) = $country)
      and start_year is not null
),

final as (
    select start_year, status, count(*) as sites, sum(jobs_announced) as jobs_announced,
           sum(capacity_value) filter (where capacity_unit = 'GWh/yr') as capacity_gwh
    from plants
    group by start_year, status
    order by start_year, status
)

select * from final
