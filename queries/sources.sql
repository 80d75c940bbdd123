-- Every distinct source behind the data, with the datasets, provenance and row counts that cite it.
-- provenance = the row's status (observed/announced/modelled/assumption; plants: `evidence`, since their
-- status is the lifecycle); indicators = the regional indicators citing the source (regions only).
-- grain: one row per source_url x dataset x provenance
with plants as (
    select source_url, source_title, as_of, evidence from plants
),

plant_history as (
    select source_url, source_title, as_of, evidence from plant_history
),

roles as (
    select source_url, source_title, as_of, status from roles
),

programmes as (
    select source_url, source_title, as_of, status from programmes
),

programme_partners as (
    select source_url, source_title, as_of, status from programme_partners
),

partnerships as (
    select source_url, source_title, as_of, status from partnerships
),

regions as (
    select source_url, source_title, as_of, status, indicator from regions
),

headlines as (
    select source_url, source_title, as_of, status from headlines
),

supply_baseline as (
    select source_url, source_title, as_of, status from supply_baseline
),

cited as (
    select 'plants' as dataset, source_url, source_title, as_of, evidence as provenance,
           cast(null as varchar) as indicator
    from plants
    union all select 'plant_history', source_url, source_title, as_of, evidence, null from plant_history
    union all select 'roles', source_url, source_title, as_of, status, null from roles
    union all select 'programmes', source_url, source_title, as_of, status, null from programmes
    union all select 'programme_partners', source_url, source_title, as_of, status, null from programme_partners
    union all select 'partnerships', source_url, source_title, as_of, status, null from partnerships
    union all select 'regions', source_url, source_title, as_of, status, indicator from regions
    union all select 'headlines', source_url, source_title, as_of, status, null from headlines
    union all select 'supply_baseline', source_url, source_title, as_of, status, null from supply_baseline
),

final as (
    select
        dataset, source_url, min(source_title) as source_title, max(as_of) as as_of, provenance,
        string_agg(distinct indicator, ', ' order by indicator) as indicators,
        count(*) as rows
    from cited
    where source_url is not null or source_title is not null
    group by dataset, source_url, provenance
    order by dataset, source_title, provenance
)

select * from final
