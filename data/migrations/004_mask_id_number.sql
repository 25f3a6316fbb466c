-- Masks a resident ID number: the 6-digit area code and the last 4 characters stay.
create function mask_id_number(id_number text) returns text
  language sql immutable parallel safe
  return case when length(id_number) >= 10 then left(id_number, 6) || repeat('*', length(id_number) - 10) || right(id_number, 4) else '****' end;
