-- Each regional indicator of the regions table: its dataset, unit, newest and oldest reference year, and
-- coverage: how many regions per NUTS level have a value in the newest year and in any year; with the
-- Eurostat source and provenance. An indicator whose newest year is more than 3 years before $today_year is
-- marked old_data (the screens label it "old data").
-- grain: one row per indicator
with regions as (
    select * from regions
),

newest as (
    select indicator, max(year) as newest_year, min(year) as oldest_year
    from regions
    where value is not null
    group by indicator
),

coverage as (
    select
        r.indicator,
        any_value(r.dataset) as dataset,
        any_value(r.unit) as unit,
        string_agg(distinct r.status, ', ') as status,
        any_value(r.source_url) as source_url,
        any_value(r.source_title) as source_title,
        count(distinct r.nuts_id) filter (where r.year = n.newest_year and r.level = 0) as countries_newest,
        count(distinct r.nuts_id) filter (where r.year = n.newest_year and r.level = 2) as nuts2_newest,
        count(distinct r.nuts_id) filter (where r.level = 2) as nuts2_any_year,
        count(*) as rows
    from regions as r
    join newest as n on n.indicator = r.indicator
    where r.value is not null
    group by r.indicator
),

final as (
    select
        c.indicator, c.dataset, c.unit, n.newest_year, n.oldest_year,
        $today_year - n.newest_year > 3 as old_data,
        c.countries_newest, c.nuts2_newest, c.nuts2_any_year, c.rows, c.status, c.source_title, c.source_url
    from coverage as c
    join newest as n on n.indicator = c.indicator
    order by c.indicator
)

select * from final
