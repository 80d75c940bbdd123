-- Every distinct source behind the data, with the datasets and row counts that cite it.
-- grain: one row per source_url x dataset
with cited as (
    select 'plants' as dataset, source_url, source_title, as_of from plants
    union all select 'plant_history', source_url, source_title, as_of from plant_history
    union all select 'roles', source_url, source_title, as_of from roles
    union all select 'programmes', source_url, source_title, as_of from programmes
    union all select 'partnerships', source_url, source_title, as_of from partnerships
    union all select 'regions', source_url, source_title, as_of from regions
    union all select 'headlines', source_url, source_title, as_of from headlines
),

final as (
    select dataset, source_url, min(source_title) as source_title, max(as_of) as as_of, count(*) as rows
    from cited
    where source_url is not null or source_title is not null
    group by dataset, source_url
    order by dataset, source_title
)

select * from final
