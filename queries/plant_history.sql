-- How one site's announced plans moved over time ($site_id).
-- grain: one row per sourced statement about the site
with history as (
    select * from plant_history
),

final as (
    select site_id, as_of, status, status_date, capacity_value, capacity_unit, jobs_announced, start_year,
           evidence, notes, source_url, source_title
    from history
    where site_id = $site_id
    order by as_of nulls first, source_url
)

select * from final
