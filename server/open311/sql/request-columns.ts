/**
 * An incident as an Open311 service request, over `incident i` left-joined to what Open311 stored
 * beside it (`o`, open311_request): free text goes through mask_free_text like on every other
 * interface (title and description as one description, the address and media link the client
 * sent), and no person appears at all (the GeoReport fields have no place for parties or the
 * reporter). `address` is the grid path, most specific first, unless the client gave one (the
 * five codes are spelled out so each is a primary-key lookup);
 * `address_id` is the household group's code, the addressing system of the grid.
 */
import type { Fragment, SqlOrTx } from '../../db/fragment.ts'
import { maskedDescription, maskedTitle } from '../../incidents/free-text-mask.ts'

export function requestColumns(sql: SqlOrTx): Fragment {
  return sql`
    i.id::text as service_request_id,
    i.status as "detailStatus", i.handling_level as "handlingLevel", i.merged_into as "mergedInto",
    c.name_zh as service_name, i.category as service_code,
    left(case when i.description = '' then ${maskedTitle(sql)}
              when strpos(i.description, i.title) = 1 then ${maskedDescription(sql)}
              else ${maskedTitle(sql)} || E'\n' || ${maskedDescription(sql)} end, 4000) as description,
    (select h.name from grid_cell h where h.code = left(i.grid_code, 3 + 3 * i.handling_level)) as agency_responsible,
    i.reported_at as requested_datetime,
    coalesce(i.closed_at, i.updated_at) as updated_datetime,
    case when i.status in ('closed', 'dismissed') then null else i.due_at end as expected_datetime,
    coalesce(nullif(mask_free_text(o.address, i.parties), ''),
             (select string_agg(a.name, ', ' order by a.level desc) from grid_cell a
              where a.code in (left(i.grid_code, 6), left(i.grid_code, 9), left(i.grid_code, 12), left(i.grid_code, 15), i.grid_code))) as address,
    i.grid_code as address_id,
    ST_Y(i.location) as lat, ST_X(i.location) as long,
    case when o.media_url is null then null else mask_free_text(o.media_url, i.parties) end as media_url`
}

/** The tables requestColumns reads. */
export function requestSource(sql: SqlOrTx): Fragment {
  return sql`incident i join incident_category c on c.code = i.category left join open311_request o on o.incident_id = i.id`
}
