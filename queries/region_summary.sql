-- Per region at NUTS level $level (0, 1 or 2): sites, announced jobs and capacity,
-- programmes, partnerships, and the latest baselines with their reference years: industry employment
-- (observed) and population in thousand persons: the observed population on 1 January (demo_r_pjanaggr3,
-- newest year, 2025 where published) and only where a region has none, population_derived (modelled from
-- Eurostat GDP / GDP per inhabitant); NULL where neither exists.
-- grain: one row per NUTS region (version 2024, UK on 2021) at the chosen level
with plants as (
    select * from plants where nuts2 is not null
),

programmes as (
    select * from programmes where nuts2 is not null
),

partnerships as (
    select * from partnerships where nuts2 is not null
),

nuts as (
    select * from nuts
    where level = $level and (version = 2024 or (version = 2021 and country = 'UK'))
),

industry as (
    select nuts_id, value, year,
           row_number() over (partition by nuts_id order by year desc) as rn
    from regions
    where indicator = 'employment_industry' and level = $level and value is not null
),

employment as (
    -- total employment (Eurostat nama_10r_3empers, thousand persons): the base of the allocation cap
    select nuts_id, value, year,
           row_number() over (partition by nuts_id order by year desc) as rn
    from regions
    where indicator = 'employment_total' and level = $level and value is not null
),

population_observed as (
    select nuts_id, value / 1000.0 as value, year, status, dataset, cast(null as double) as bound_pct, 0 as pref
    from regions
    where indicator = 'population' and level = $level and value is not null
),

population_modelled as (
    select nuts_id, value, year, status, dataset,
           -- each row's note states its rounding bound as "±0.44 %" (scripts/build_regions.py)
           try_cast(regexp_extract(note, '±([0-9.]+) %', 1) as double) as bound_pct, 1 as pref
    from regions
    where indicator = 'population_derived' and level = $level and value is not null
),

population as (
    select *, row_number() over (partition by nuts_id order by pref, year desc) as rn
    from (select * from population_observed union all select * from population_modelled)
),

plant_totals as (
    select
        left(nuts2, $level + 2) as nuts_id,
        count(*) as sites,
        count(*) filter (where status in ('operating', 'under_construction')) as sites_secure,
        sum(jobs_announced) filter (where status <> 'cancelled') as jobs_announced,
        sum(capacity_value) filter (where capacity_unit = 'GWh/yr' and status <> 'cancelled') as capacity_gwh,
        bool_and(status in ('announced', 'paused', 'cancelled')) as only_announced
    from plants
    group by 1
),

programme_totals as (
    select left(nuts2, $level + 2) as nuts_id, count(*) as programmes,
           sum(capacity_per_year) as capacity_per_year, count(capacity_per_year) as programmes_with_capacity
    from programmes
    group by 1
),

partnership_totals as (
    select left(nuts2, $level + 2) as nuts_id, count(*) as partnerships
    from partnerships
    group by 1
),

final as (
    select
        n.nuts_id, n.name, n.country, n.level, n.version,
        coalesce(pt.sites, 0) as sites,
        coalesce(pt.sites_secure, 0) as sites_secure,
        pt.jobs_announced,
        pt.capacity_gwh,
        coalesce(pt.only_announced, false) as only_announced,
        coalesce(pr.programmes, 0) as programmes,
        pr.capacity_per_year as training_capacity,
        coalesce(pr.programmes_with_capacity, 0) as programmes_with_capacity,
        coalesce(pa.partnerships, 0) as partnerships,
        i.value as industry_employment_ths,
        i.year as industry_employment_year,
        e.value as employment_total_ths,
        e.year as employment_total_year,
        po.value as population_ths,
        po.year as population_year,
        po.status as population_status,
        po.dataset as population_dataset,
        po.bound_pct as population_bound_pct
    from nuts as n
    left join plant_totals as pt on pt.nuts_id = n.nuts_id
    left join programme_totals as pr on pr.nuts_id = n.nuts_id
    left join partnership_totals as pa on pa.nuts_id = n.nuts_id
    left join industry as i on i.nuts_id = n.nuts_id and i.rn = 1
    left join employment as e on e.nuts_id = n.nuts_id and e.rn = 1
    left join population as po on po.nuts_id = n.nuts_id and po.rn = 1
    where $country is null or n.country = $country
    order by n.nuts_id
)

select * from final
