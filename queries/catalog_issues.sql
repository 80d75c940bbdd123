-- Problems met while loading data/ (missing or broken files); empty when all is well.
-- grain: one row per problem
with issues as (
    select * from catalog_issues
),

final as (
    select "table", file, problem from issues order by "table"
)

select * from final
