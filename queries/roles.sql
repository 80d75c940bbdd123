-- Battery job roles with ESCO mapping and the staffing-mix assumption.
-- grain: one row per role
with roles as (
    select * from roles
),

final as (
    select role_id, role, role_group, typical_eqf, esco_uri, esco_label, isco08,
           mix_cell, mix_materials, mix_pack, mix_recycling, mix_status, mix_rationale,
           source_url, source_title, as_of, status
    from roles
    order by role_id
)

select * from final
