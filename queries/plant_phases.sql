-- Phases of each site from its evidence: newest status, capacity (with scope) and target jobs per phase
-- ($country, $site_id; NULL = all). phase '' = statements about the whole site. Superseded plans are left out;
-- headcounts are not targets and are not used here.
-- grain: one row per site x phase
with evidence as (
    select * from plant_evidence
),

live as (
    select *, coalesce(phase, '') as phase_key
    from evidence
    where coalesce(plan, '') <> 'superseded'
      and ($country is null or country = $country)
      and ($site_id is null or site_id = $site_id)
),

status_rows as (
    select site_id, phase_key,
           arg_max(status, coalesce(as_of, '')) as status,
           arg_max(status_date, coalesce(as_of, '')) as status_date,
           arg_max(freshness, coalesce(as_of, '')) as freshness
    from live where status is not null
    group by all
),

capacity_rows as (
    select site_id, phase_key,
           arg_max(capacity_value, coalesce(as_of, '')) as capacity_value,
           arg_max(capacity_unit, coalesce(as_of, '')) as capacity_unit,
           arg_max(capacity_scope, coalesce(as_of, '')) as capacity_scope,
           arg_max(source_url, coalesce(as_of, '')) as capacity_source_url
    from live where capacity_value is not null
    group by all
),

target_rows as (
    select site_id, phase_key,
           arg_max(jobs_announced, coalesce(as_of, '')) as jobs_target,
           arg_max(jobs_scope, coalesce(as_of, '')) as jobs_target_scope,
           arg_max(source_url, coalesce(as_of, '')) as jobs_target_source_url
    from live where jobs_announced is not null and jobs_scope in ('phase_target', 'full_target')
    group by all
),

phases as (
    select site_id, phase_key, any_value(country) as country, mode(segment) as segment
    from live
    group by all
),

final as (
    select p.site_id, p.country, p.segment, p.phase_key as phase,
           s.status, s.status_date, s.freshness,
           c.capacity_value, c.capacity_unit, c.capacity_scope, c.capacity_source_url,
           t.jobs_target, t.jobs_target_scope, t.jobs_target_source_url
    from phases p
    left join status_rows s using (site_id, phase_key)
    left join capacity_rows c using (site_id, phase_key)
    left join target_rows t using (site_id, phase_key)
    order by p.site_id, p.phase_key
)

select * from final
