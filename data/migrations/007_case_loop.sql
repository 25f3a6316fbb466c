-- Case handling as a command centre runs it, and residents' personal data in free text.
--
-- 1. mask_free_text: titles, descriptions and timeline notes are written by people, who name the
--    parties in them ("…涉及陈辉。", "报警人王小红 13812345678"). The stored text stays whole (the
--    audited reveal shows it); every read path passes it through this function with the case's
--    parties, so masking happens at read time, for every row old and new, in one place.
-- 2. Departments (职能部门) a case can be dispatched to, managed by the commander.
-- 3. Who handles a case (a grid person or a department), merges, and the people behind events.
-- 4. Registration deadlines (待受理) per category group, after which a case escalates by itself.

-- Masks, in free text, the case's own parties (name, phone, ID number), any mobile number, any
-- 18-character ID number, landline numbers with an area code, and names introduced by the usual
-- markers (当事人/涉及/报警人/联系人/…), with the same masks the structured fields use (陈*, 138****5678).
create or replace function mask_free_text(body text, parties jsonb) returns text
  language plpgsql immutable parallel safe as $$
declare
  p jsonb;
  v text;
  previous text;
  result text := body;
  -- A name: 2 or 3 Han characters, then something that cannot continue a name.
  han constant text := '[\u4e00-\u9fff]';
  name_end constant text := '(?=$|[^\u4e00-\u9fff]|[和与及等的家反称说向在因被])';
  markers constant text := '当事人|涉及|报警人|联系人|求助人|举报人|投诉人|反映人|申请人|走失人员|失踪人员|走失者|户主|业主|租户|嫌疑人|受害人|伤者';
begin
  if result is null or result = '' then return result; end if;
  if parties is not null and jsonb_array_length(parties) > 0 then
    for p in select value from jsonb_array_elements(parties) loop
      v := p->>'idNumber';
      if v is not null and length(v) >= 6 then result := replace(result, v, mask_id_number(v)); end if;
      v := p->>'phone';
      if v is not null and length(v) >= 5 then result := replace(result, v, mask_phone(v)); end if;
      v := p->>'name';
      if v is not null and length(v) >= 2 then result := replace(result, v, mask_name(v)); end if;
    end loop;
  end if;
  -- The patterns below are costly; most text has no long digit run and no marker, and skips them.
  if result ~ '[0-9]{7}' or result ~ '[0-9]{3,4}-[0-9]{7}|1[3-9][0-9][- ][0-9]{4}[- ][0-9]{4}' then
    -- 18-character resident ID numbers (with a birth date, so grid codes stay): area code and last four stay, as mask_id_number does.
    result := regexp_replace(result, '(?<![0-9])([1-9][0-9]{5})(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])([0-9]{3}[0-9Xx])(?![0-9Xx])', '\1********\2', 'g');
    -- Mobile numbers, also written 138-1234-5678 or 138 1234 5678.
    result := regexp_replace(result, '(?<![0-9])(1[3-9][0-9])[- ]?[0-9]{4}[- ]?([0-9]{4})(?![0-9])', '\1****\2', 'g');
    -- Landlines with an area code (0668-1234567).
    result := regexp_replace(result, '(?<![0-9])(0[0-9]{2,3}-)[0-9]{3,4}([0-9]{4})(?![0-9])', '\1****\2', 'g');
  end if;
  if result ~ markers then
    -- Names after the markers that introduce people.
    result := regexp_replace(result,
      '((?:涉及)?(?:' || markers || '))([：:\s]*(?:为|是)?[：:\s]*)(?!' || markers || ')(' || han || ')' || han || '{1,2}' || name_end, '\1\2\3*', 'g');
  end if;
  if strpos(result, '*') > 0 then
    -- Further names in a list after one masked (陈*、李*和王*).
    for i in 1..20 loop
      previous := result;
      result := regexp_replace(result, '(\*\s*[、和与及]\s*)(' || han || ')' || han || '{1,2}' || name_end, '\1\2*', 'g');
      exit when result = previous;
    end loop;
  end if;
  return result;
end $$;

-- Departments (职能部门: 派出所, 司法所, 住建, 城管, 市场监管, 自然资源…) that take dispatched cases.
create table department (
  id            integer generated always as identity primary key,
  name_zh       text not null unique check (length(name_zh) between 1 and 100),
  name_en       text not null default '' check (length(name_en) <= 100),
  -- Category or subcategory codes it handles (dispute, dispute.land…).
  categories    text[] not null default '{}',
  -- The cell it serves (a grid code; its subtree).
  scope         text not null check (scope ~ '^[0-9]{6}([0-9]{3}){0,4}$'),
  -- A work contact (the duty desk), not a resident: shown in full to those whose scope holds it.
  contact_name  text not null default '' check (length(contact_name) <= 50),
  contact_phone text not null default '' check (contact_phone ~ '^(\+?[0-9-]{5,20})?$'),
  active        boolean not null default true,
  updated_at    timestamptz not null default now()
);

-- Who handles the case now: a grid worker or leader of the handling level's cell, or a department.
alter table incident
  add column assignee_person integer references grid_person (id),
  add column assignee_department integer references department (id),
  add column merged_into bigint references incident (id),
  add constraint incident_one_assignee check (assignee_person is null or assignee_department is null),
  add constraint incident_not_merged_into_itself check (merged_into is null or merged_into <> id);
create index incident_assignee_person on incident (assignee_person) where assignee_person is not null;
create index incident_assignee_department on incident (assignee_department) where assignee_department is not null;

-- Events say whom a dispatch chose, and which signed-in user acted (separation of duties).
alter table incident_event
  add column actor_user bigint references app_user (id),
  add column assignee_person integer references grid_person (id),
  add column assignee_department integer references department (id),
  add column related_incident bigint references incident (id);

-- A signed-in user may be one of the grid's people (their own cases: "my cases").
alter table app_user add column person_id integer references grid_person (id);

-- Hours a case may wait in 待受理 (reported) before it escalates by itself, by category or group.
create table category_register_hours (
  category text primary key check (category ~ '^[a-z_]+(\.[a-z_]+)?$'),
  hours    integer not null check (hours between 1 and 720)
);
insert into category_register_hours (category, hours) values
  ('missing', 1), ('hazard', 4), ('epidemic', 4), ('order', 8), ('anti_fraud', 12),
  ('dispute', 24), ('environment', 24), ('livelihood', 48);
