-- Programmes exploded to the roles they prepare for (role_ids is a ';'-separated list), with the
-- role name and k = number of roles of the programme (capacity is split evenly across them).
-- grain: one row per programme x role
with programmes as (
    select * from programmes
    where $country is null or country = $country or country = 'EU'
),

roles as (
    select role_id, role, role_group from roles
),

exploded as (
    select programme_id, provider, programme, country, nuts2, eqf_level, mode, language, capacity_per_year,
           trim(unnest(string_split(coalesce(role_ids, ''), ';'))) as role_id
    from programmes
),

cleaned as (
    select distinct * from exploded where role_id <> ''
),

counted as (
    select *, count(*) over (partition by programme_id) as k from cleaned
),

final as (
    select c.programme_id, c.provider, c.programme, c.country, c.nuts2, c.eqf_level, c.mode, c.language,
           c.role_id, r.role, r.role_group, c.k, c.capacity_per_year / c.k as capacity_share
    from counted as c
    left join roles as r on r.role_id = c.role_id
    order by c.programme_id, c.role_id
)

select * from final
