-- The newest value of each regional indicator per region at NUTS level $level (optionally one $country, one
-- region $nuts_id and one $indicator, e.g. persons_employed_c27 / persons_employed_c29 for the reskilling pool, employment_ed3_4
-- as an allocation key), with its reference year, flag and provenance.
-- grain: one row per region x indicator (newest year with a value)
with regions as (
    select * from regions
    where level = $level and value is not null
      and ($country is null or country = $country)
      and ($nuts_id is null or nuts_id = $nuts_id)
      and ($indicator is null or indicator = $indicator)
),

ranked as (
    select *, row_number() over (partition by nuts_id, indicator order by year desc) as rn
    from regions
),

final as (
    select nuts_id, name, country, level, indicator, dataset, year, unit, value, flag, status, note,
           source_url, source_title, as_of
    from ranked
    where rn = 1
    order by nuts_id, indicator
)

select * from final
