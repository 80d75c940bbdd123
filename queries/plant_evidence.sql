-- Dated evidence rows of the plant pipeline with phase, scope and freshness ($site_id, $country; NULL = all).
-- grain: one row per site x source page x fact set (origin, source_url, as_of)
with evidence as (
    select * from plant_evidence
),

filtered as (
    select *
    from evidence
    where ($site_id is null or site_id = $site_id)
      and ($country is null or country = $country)
),

final as (
    select site_id, country, segment, phase, plan, status, status_date, freshness,
           capacity_value, capacity_unit, capacity_scope, jobs_announced, jobs_scope, start_year,
           source_url, source_title, as_of, origin, scope_basis, notes
    from filtered
    order by site_id, as_of nulls first, source_url
)

select * from final
