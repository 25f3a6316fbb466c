-- The notices' outbound deliveries become an outbox: each row is written in the transaction of the
-- notice action it announces, carries when its next attempt is due, and names the recipients it is
-- for (null: every recipient of the notice), so a delivery due or retrying when the process stops
-- is picked up by the next start. A row being sent is leased (its next attempt pushed past the
-- send's timeout), so two processes never send it at once and a process that died mid-send leaves
-- it to be retried under the same idempotency key.
alter table notice_outbound
  add column next_attempt_at timestamptz default now(),
  add column person_ids integer[];
update notice_outbound set next_attempt_at = null where status <> 'pending';
create index notice_outbound_due on notice_outbound (next_attempt_at) where status = 'pending';

-- The recipients of a notice are a copy of the grid persons at the moment of sending, written
-- with their notice in one statement of its transaction. Their foreign keys cost two lookups per
-- row (three quarters of the time of sending a notice to the district's 13,494 persons) and the
-- one to grid_person would stop a later grid change from removing a person who once received a
-- notice, which the copy exists to allow.
alter table notice_recipient
  drop constraint notice_recipient_notice_id_fkey,
  drop constraint notice_recipient_person_id_fkey;
