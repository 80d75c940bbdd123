-- Training supply by country and mode: programmes, providers, published annual capacity.
-- grain: one row per country x mode
with programmes as (
    select * from programmes
    where $country is null or country = $country or country = 'EU'
),

final as (
    select country, coalesce(mode, 'unknown') as mode, count(*) as programmes,
           count(distinct provider) as providers, sum(capacity_per_year) as capacity_per_year,
           count(capacity_per_year) as with_capacity
    from programmes
    group by all
    order by country, mode
)

select * from final
