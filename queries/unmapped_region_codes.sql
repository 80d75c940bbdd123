-- Eurostat region codes that could not be placed on NUTS 2024 (aggregates, extra-regio, split regions …),
-- so the map can say what it leaves out instead of dropping it silently.
-- grain: one row per dataset x code
with unmapped as (
    select * from regions_unmapped
),

final as (
    select dataset, geo, reason, n_values
    from unmapped
    where $country is null or left(geo, 2) = $country
    order by reason, dataset, geo
)

select * from final
