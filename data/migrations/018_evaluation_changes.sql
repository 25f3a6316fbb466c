-- What the evaluation counts changed, and when it happened: one row per statement that wrote
-- cases, case events, patrol positions, notice recipients or grid cells, with the span of times it
-- touched (a case's reported_at, a position's t, a notice's created_at; the whole timeline for a
-- grid change). The API processes keep the scores of each period in memory and, before answering,
-- read the rows after the last one they saw: a period that a row's span overlaps is counted again,
-- every other period is served from memory. Rows older than a week are pruned by the API.
create table evaluation_change (
  id      bigint generated always as identity primary key,
  at      timestamptz not null default now(),
  t_from  timestamptz not null,
  t_to    timestamptz not null
);

create function evaluation_change_note(t_from timestamptz, t_to timestamptz) returns void language sql as $$
  insert into evaluation_change (t_from, t_to) select t_from, t_to where t_from is not null
$$;

-- Cases: a new or changed case (status, level, cell, due time) counts in the period it was reported.
create function evaluation_change_incident_new() returns trigger language plpgsql as $$
begin
  perform evaluation_change_note(min(reported_at), max(reported_at)) from added;
  return null;
end $$;
create function evaluation_change_incident_old() returns trigger language plpgsql as $$
begin
  perform evaluation_change_note(min(reported_at), max(reported_at)) from removed;
  return null;
end $$;
create trigger evaluation_change_incident_insert after insert on incident
  referencing new table as added for each statement execute function evaluation_change_incident_new();
create trigger evaluation_change_incident_update_new after update on incident
  referencing new table as added for each statement execute function evaluation_change_incident_new();
create trigger evaluation_change_incident_update_old after update on incident
  referencing old table as removed for each statement execute function evaluation_change_incident_old();
create trigger evaluation_change_incident_delete after delete on incident
  referencing old table as removed for each statement execute function evaluation_change_incident_old();

-- Case events (registered, first handled, reopened come from the log): the case's period.
create function evaluation_change_incident_event() returns trigger language plpgsql as $$
begin
  perform evaluation_change_note(min(i.reported_at), max(i.reported_at))
  from added e join incident i on i.id = e.incident_id;
  return null;
end $$;
create trigger evaluation_change_incident_event_insert after insert on incident_event
  referencing new table as added for each statement execute function evaluation_change_incident_event();

-- Patrol positions (a phone may send yesterday's positions today): the positions' own times.
create function evaluation_change_patrol_new() returns trigger language plpgsql as $$
begin
  perform evaluation_change_note(min(t), max(t)) from added;
  return null;
end $$;
create function evaluation_change_patrol_old() returns trigger language plpgsql as $$
begin
  perform evaluation_change_note(min(t), max(t)) from removed;
  return null;
end $$;
create trigger evaluation_change_patrol_insert after insert on patrol_position
  referencing new table as added for each statement execute function evaluation_change_patrol_new();
create trigger evaluation_change_patrol_update after update on patrol_position
  referencing new table as added for each statement execute function evaluation_change_patrol_new();
create trigger evaluation_change_patrol_delete after delete on patrol_position
  referencing old table as removed for each statement execute function evaluation_change_patrol_old();

-- Notice recipients (sent, acknowledged): the period the notice was sent in.
create function evaluation_change_notice() returns trigger language plpgsql as $$
begin
  perform evaluation_change_note(min(n.created_at), max(n.created_at))
  from added r join notice n on n.id = r.notice_id;
  return null;
end $$;
create trigger evaluation_change_notice_insert after insert on notice_recipient
  referencing new table as added for each statement execute function evaluation_change_notice();
create trigger evaluation_change_notice_update after update on notice_recipient
  referencing new table as added for each statement execute function evaluation_change_notice();

-- Grid cells (an import, a redrawn boundary) and any table emptied at once: every period.
create function evaluation_change_all() returns trigger language plpgsql as $$
begin
  perform evaluation_change_note('-infinity', 'infinity');
  return null;
end $$;
create trigger evaluation_change_grid after insert or update or delete or truncate on grid_cell
  for each statement execute function evaluation_change_all();
create trigger evaluation_change_incident_truncate after truncate on incident
  for each statement execute function evaluation_change_all();
create trigger evaluation_change_incident_event_truncate after truncate on incident_event
  for each statement execute function evaluation_change_all();
create trigger evaluation_change_patrol_truncate after truncate on patrol_position
  for each statement execute function evaluation_change_all();
create trigger evaluation_change_notice_truncate after truncate on notice_recipient
  for each statement execute function evaluation_change_all();
