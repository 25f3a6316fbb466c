-- Photos of area notices (the notice's own, and those of clues from the field). The bytes are
-- the attachment store's content-addressed blobs (009); a photo is uploaded first (unlinked, its
-- uploader's alone) and linked to a notice by the send or the reply that references its id.
create table notice_attachment (
  id           bigint generated always as identity primary key,
  notice_id    bigint references notice (id),
  sha256       bytea not null references attachment_blob (sha256),
  uploaded_by  bigint not null references app_user (id),
  added_by     text not null,
  added_at     timestamptz not null default now()
);
create index notice_attachment_notice on notice_attachment (notice_id, id);
create index notice_attachment_unlinked on notice_attachment (uploaded_by) where notice_id is null;
