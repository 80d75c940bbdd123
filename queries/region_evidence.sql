-- Dated evidence rows of the sites located in one NUTS region or country ($region: a NUTS id; sub-regions
-- included): the region panel's site timelines and jobs facts (targets and headcounts apart).
-- grain: one row per site x source page x fact set (origin, source_url, as_of)
with evidence as (
    select * from plant_evidence
),

plants as (
    select * from plants
),

located as (
    select site_id
    from plants
    where starts_with(coalesce(nuts2, ''), $region)
),

final as (
    select e.site_id, e.country, e.segment, e.phase, e.plan, e.status, e.status_date, e.freshness,
           e.capacity_value, e.capacity_unit, e.capacity_scope, e.jobs_announced, e.jobs_scope, e.start_year,
           e.source_url, e.source_title, e.as_of, e.origin, e.scope_basis, e.notes
    from evidence as e
    inner join located as l using (site_id)
    order by e.site_id, e.as_of nulls first, e.source_url
)

select * from final
