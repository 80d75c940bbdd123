-- Names and centroids of NUTS regions at level $level, optionally for one country ($country null = all).
-- grain: one row per NUTS region (version 2024, UK on 2021) at the chosen level
with nuts as (
    select * from nuts
    where level = $level and (version = 2024 or (version = 2021 and country = 'UK'))
),

final as (
    select nuts_id, name, country, level, centroid_lat as lat, centroid_lon as lon
    from nuts
    where $country is null or country = $country
    order by nuts_id
)

select * from final
