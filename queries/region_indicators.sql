-- Eurostat baseline indicators for one region ($nuts_id), all years.
-- grain: one row per indicator x year
with regions as (
    select * from regions
),

final as (
    select nuts_id, name, indicator, dataset, year, unit, value, flag, status, note, source_url, source_title, as_of
    from regions
    where nuts_id = $nuts_id
    order by indicator, year
)

select * from final
