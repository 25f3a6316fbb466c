-- Above the county: a province's or a city's command centre watches many counties. The province
-- (省, the division code's first 2 digits) and the city (市, its first 4) are grid cells too, at
-- levels -1 and 0, so the five levels from the county down keep their numbers 1–5 and a subtree is
-- still a code prefix: a scope of '44' or '4409' needs nothing new in the scope predicate, the
-- roll-ups or the figures. A county deployment simply has no cells above level 1.
create function grid_code_length(level integer) returns integer
  language sql immutable parallel safe
  return case level when -1 then 2 when 0 then 4 else 3 + 3 * level end;

alter table grid_cell
  drop constraint grid_cell_check,
  drop constraint grid_cell_check1,
  drop constraint grid_cell_code_check,
  add constraint grid_cell_code_check check (code ~ '^[0-9]{2}([0-9]{2}([0-9]{2}([0-9]{3}){0,4})?)?$'),
  add constraint grid_cell_level_code_length check (level between -1 and 5 and length(code) = grid_code_length(level)),
  -- A province has no parent; a city's is its province and a county's its city when they are
  -- loaded, else (a county deployment) none; below the county every cell has its parent.
  add constraint grid_cell_parent_above_county check (level <= 1 or parent_code is not null),
  add constraint grid_cell_parent_is_prefix check (parent_code is null or (level >= 0 and left(code, length(parent_code)) = parent_code));

-- A user, a wall, an API token or a department may be scoped to a city or the province.
alter table app_user drop constraint app_user_scope_check,
  add constraint app_user_scope_check check (scope ~ '^[0-9]{2}([0-9]{2}([0-9]{2}([0-9]{3}){0,4})?)?$');
alter table wall_token drop constraint wall_token_scope_check,
  add constraint wall_token_scope_check check (scope ~ '^[0-9]{2}([0-9]{2}([0-9]{2}([0-9]{3}){0,4})?)?$');
alter table api_token drop constraint api_token_scope_check,
  add constraint api_token_scope_check check (scope ~ '^[0-9]{2}([0-9]{2}([0-9]{2}([0-9]{3}){0,4})?)?$');
alter table department drop constraint department_scope_check,
  add constraint department_scope_check check (scope ~ '^[0-9]{2}([0-9]{2}([0-9]{2}([0-9]{3}){0,4})?)?$');
