-- Every dataset in the catalog with its size, distinct sources and the newest as-of date.
-- grain: one row per dataset
with inventory as (
    select 'plants' as dataset, count(*) as rows, count(distinct source_url) as sources, max(as_of) as newest_as_of from plants
    union all select 'plant_history', count(*), count(distinct source_url), max(as_of) from plant_history
    union all select 'roles', count(*), count(distinct source_url), max(as_of) from roles
    union all select 'programmes', count(*), count(distinct source_url), max(as_of) from programmes
    union all select 'programme_partners', count(*), count(distinct source_url), max(as_of) from programme_partners
    union all select 'partnerships', count(*), count(distinct source_url), max(as_of) from partnerships
    union all select 'regions', count(*), count(distinct source_url), max(as_of) from regions
    union all select 'headlines', count(*), count(distinct source_url), max(as_of) from headlines
    union all select 'supply_baseline', count(*), count(distinct source_url), max(as_of) from supply_baseline
    union all select 'nuts', count(*), null, null from nuts
),

final as (
    select * from inventory order by dataset
)

select * from final
