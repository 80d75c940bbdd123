-- Map extent of one NUTS region or a whole country ($nuts_id, any level; 2024 preferred over 2021).
-- A country's extent covers its NUTS-2 regions in continental Europe only (no outermost regions),
-- so that France or Portugal zoom to their mainland.
-- grain: one row (or none when the code is unknown)
with nuts as (
    select * from nuts
),

best_version as (
    select max(version) as version from nuts where nuts_id = $nuts_id
),

own as (
    select n.nuts_id, n.name, n.level, n.minx, n.miny, n.maxx, n.maxy
    from nuts as n
    join best_version as b on n.version = b.version
    where n.nuts_id = $nuts_id
),

mainland as (
    select min(n.minx) as minx, min(n.miny) as miny, max(n.maxx) as maxx, max(n.maxy) as maxy
    from nuts as n
    join best_version as b on n.version = b.version
    where length($nuts_id) = 2 and n.level = 2 and n.country = $nuts_id
      and n.centroid_lon between -25 and 45 and n.centroid_lat between 34 and 72
),

final as (
    select
        o.nuts_id, o.name, o.level,
        coalesce(m.minx, o.minx) as minx, coalesce(m.miny, o.miny) as miny,
        coalesce(m.maxx, o.maxx) as maxx, coalesce(m.maxy, o.maxy) as maxy
    from own as o
    cross join mainland as m
)

select * from final
