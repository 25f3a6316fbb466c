-- Reports that came in through Open311 GeoReport v2: which API token sent them, what the client
-- said beyond the incident itself (its address text and media link, served back as given, masked
-- like any free text) and a fingerprint of the form, so a client that retries a POST whose answer
-- it lost gets the first request's id instead of a second case.
create table open311_request (
  incident_id  bigint primary key references incident (id),
  token_id     bigint not null references api_token (id),
  form_hash    text not null,
  address      text not null default '' check (length(address) <= 500),
  media_url    text check (length(media_url) <= 2000),
  created_at   timestamptz not null default now()
);
create index open311_request_retry on open311_request (token_id, form_hash, created_at desc);
