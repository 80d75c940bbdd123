-- The modelled training-supply baseline (data/supply_baseline.csv, status modelled) per NUTS region at level $level
-- (0, 1 or 2; NUTS-2 rows summed up), optionally one $country and one region $nuts_id, for the shown year $year: national ISCED-F 07
-- graduates (Eurostat educ_uoe_grad02) allocated by the stated key x the battery-relevant share (assumption range).
-- A graduate flow is held at its newest published year for every later year (`held_from` says which); the key and
-- the graduate years are returned so the UI can show them. Catalogue capacities (observed) are not in here.
-- grain: one row per NUTS region (level $level) that has a modelled supply
with supply_baseline as (
    select * from supply_baseline
    where ($country is null or country = $country) and supply_mid is not null
      and ($nuts_id is null or starts_with(nuts_id, $nuts_id))
),

by_path as (
    select
        left(nuts_id, $level + 2) as nuts_id,
        any_value(country) as country,
        sum(supply_low) filter (where path = 'vet') as supply_vet_low,
        sum(supply_mid) filter (where path = 'vet') as supply_vet_mid,
        sum(supply_high) filter (where path = 'vet') as supply_vet_high,
        sum(supply_low) filter (where path = 'tertiary') as supply_tertiary_low,
        sum(supply_mid) filter (where path = 'tertiary') as supply_tertiary_mid,
        sum(supply_high) filter (where path = 'tertiary') as supply_tertiary_high,
        sum(graduates_region) as graduates_f07,
        min(graduates_year) as graduates_year_min,
        max(graduates_year) as graduates_year_max,
        string_agg(distinct key, ' | ' order by key) as supply_key,
        min(share_low) as share_low,
        max(share_high) as share_high,
        count(distinct nuts_id) as nuts2_regions,
        any_value(source_url) as source_url,
        any_value(source_title) as source_title,
        max(as_of) as as_of
    from supply_baseline
    group by 1
),

final as (
    select
        nuts_id,
        country,
        cast($year as integer) as year,
        supply_vet_low + supply_tertiary_low as supply_modelled_low,
        supply_vet_mid + supply_tertiary_mid as supply_modelled,
        supply_vet_high + supply_tertiary_high as supply_modelled_high,
        supply_vet_low, supply_vet_mid, supply_vet_high,
        supply_tertiary_low, supply_tertiary_mid, supply_tertiary_high,
        graduates_f07,
        graduates_year_min,
        graduates_year_max,
        case when graduates_year_min = graduates_year_max then cast(graduates_year_max as varchar)
             else graduates_year_min || '–' || graduates_year_max end as held_from,
        supply_key,
        share_low,
        share_high,
        nuts2_regions,
        'modelled' as supply_modelled_status,
        source_url, source_title, as_of
    from by_path
    where $nuts_id is null or nuts_id = $nuts_id
    order by nuts_id
)

select * from final
