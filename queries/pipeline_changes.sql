-- What changed in the plant pipeline since a date ($since, YYYY or YYYY-MM or YYYY-MM-DD as text; $country NULL = all).
-- grain: one row per evidence row published after $since (dated rows only), newest first
with evidence as (
    select * from plant_evidence
),

dated as (
    select *
    from evidence
    where as_of is not null and as_of <> ''
),

filtered as (
    select *
    from dated
    where as_of > cast($since as varchar)
      and ($country is null or country = $country)
),

final as (
    select as_of, site_id, country, segment, phase, status, status_date, capacity_value, capacity_unit,
           capacity_scope, jobs_announced, jobs_scope, source_url, source_title
    from filtered
    order by as_of desc, site_id, source_url
)

select * from final
