-- The plant pipeline as it was known at $as_of (issue 15, `build --as-of`): same columns as plants.sql.
-- Only evidence with a known as_of <= $as_of is used (as_of is ISO text, 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD';
-- a partial date counts as its first day, so text comparison is date comparison); undated evidence is left out.
-- Per site, like scripts/build_data.py for today's plants: status, status_date and the main source from the newest
-- row stating a status; jobs and start year from the newest row of the same segment stating them; capacity in the
-- scope of the carried jobs figure (as scripts/build_data.py carry_capacity), else the newest.
-- Rows of a superseded plan give no capacity or jobs; a reported headcount is never the site's jobs.
-- Sites first evidenced after $as_of are absent. Place (company, name, city, NUTS-2, lat/lon) from today's plants.
-- Columns: those of plants.sql plus nuts_version (so `build --as-of` can write a loadable plants.csv).
-- grain: one row per site known at $as_of
with evidence as (
    select * from plant_evidence
),

plants as (
    select * from plants
),

nuts as (
    select nuts_id, version, name from nuts where level = 2
),

known as (
    select *, coalesce(plan, '') as plan_key
    from evidence
    where coalesce(as_of, '') <> ''
      and as_of <= $as_of
      and ($country is null or country = $country)
),

main as (
    select site_id, segment, status, status_date, source_url, source_title, as_of
    from known
    where coalesce(status, '') <> ''
    qualify row_number() over (partition by site_id order by as_of desc, source_url) = 1
),

jobs as (
    select k.site_id, k.jobs_announced, k.jobs_scope, coalesce(cast(k.phase as varchar), '') as phase_key
    from known as k
    inner join main as m on m.site_id = k.site_id and m.segment = k.segment
    where k.jobs_announced is not null and k.plan_key <> 'superseded' and coalesce(k.jobs_scope, '') <> 'headcount'
    qualify row_number() over (partition by k.site_id order by k.as_of desc, k.source_url) = 1
),

capacity as (
    -- in the scope of the carried jobs figure (full target -> full build-out capacity; another target -> the
    -- capacity of that phase), else the newest capacity: the two figures describe the same plant
    select k.site_id, k.capacity_value, k.capacity_unit
    from known as k
    inner join main as m on m.site_id = k.site_id and m.segment = k.segment
    left join jobs as j on j.site_id = k.site_id
    where k.capacity_value is not null and k.plan_key <> 'superseded'
    qualify row_number() over (
        partition by k.site_id
        order by case
            when j.site_id is null then 1
            when j.jobs_scope = 'full_target' and k.capacity_scope = 'full_buildout' then 0
            when coalesce(j.jobs_scope, '') <> 'full_target' and k.capacity_scope = 'phase'
                 and coalesce(cast(k.phase as varchar), '') = j.phase_key then 0
            else 1
        end,
        k.as_of desc, k.source_url
    ) = 1
),

start as (
    select k.site_id, k.start_year
    from known as k
    inner join main as m on m.site_id = k.site_id and m.segment = k.segment
    where k.start_year is not null
    qualify row_number() over (partition by k.site_id order by k.as_of desc, k.source_url) = 1
),

final as (
    select
        m.site_id, coalesce(p.company, m.site_id) as company, coalesce(p.site_name, m.site_id) as site_name,
        p.city, coalesce(p.country, e.country) as country, p.nuts2, p.nuts_version,
        n.name as region_name, p.lat, p.lon, m.segment,
        c.capacity_value, c.capacity_unit, j.jobs_announced, m.status, m.status_date, s.start_year,
        case when m.status = 'operating' then 'observed' else 'announced' end as evidence,
        'as known at ' || $as_of || ' (evidence dated on or before that day)' as notes,
        m.source_url, m.source_title, m.as_of
    from main as m
    left join (select site_id, any_value(country) as country from known group by site_id) as e using (site_id)
    left join plants as p using (site_id)
    left join nuts as n
        on n.nuts_id = p.nuts2 and n.version = coalesce(try_cast(p.nuts_version as integer), 2024)
    left join capacity as c using (site_id)
    left join jobs as j using (site_id)
    left join start as s using (site_id)
    order by country, company, site_name
)

select * from final
