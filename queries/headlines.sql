-- Published headline figures (EBA 4M jobs / 800K needing training …) with their sources.
-- grain: one row per headline metric
with headlines as (
    select * from headlines
),

final as (
    select metric, value, unit, scope, year, note, source_url, source_title, as_of, status
    from headlines
    order by value desc
)

select * from final
