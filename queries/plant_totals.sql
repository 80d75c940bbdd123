-- Headline counts of the plant pipeline for the selected scope ($country null = Europe).
-- grain: one row
with plants as (
    select * from plants
    where $country is null or country = $country or left(nuts2, 2) = $country
),

final as (
    select
        count(*) as sites,
        count(distinct country) as countries,
        count(*) filter (where status = 'operating') as operating,
        count(*) filter (where status = 'under_construction') as under_construction,
        count(*) filter (where status = 'announced') as announced,
        count(*) filter (where status = 'paused') as paused,
        count(*) filter (where status = 'cancelled') as cancelled,
        sum(jobs_announced) filter (where status <> 'cancelled') as jobs_announced,
        count(jobs_announced) filter (where status <> 'cancelled') as sites_with_jobs,
        sum(capacity_value) filter (where capacity_unit = 'GWh/yr' and status <> 'cancelled') as capacity_gwh
    from plants
)

select * from final
