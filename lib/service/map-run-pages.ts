/**
 * Pages of the Map Run listings — ListMapRuns of an execution, and
 * ListExecutions of a Map Run's child executions — with maxResults and an
 * opaque nextToken bound to what they list (page-tokens.ts), so a token of
 * another execution, Map Run or filter is InvalidToken, as the service
 * answers. Both listings are in a fixed order (Map Runs as they started,
 * children by item index), so a token is the offset the next page starts at.
 */
import { ServiceError, ServiceErrorName } from '../engine/service-errors';
import { pageToken, readPageToken } from './page-tokens';

/** One page of `items` and, when more follow, the nextToken of the next. */
export interface ListingPage<T> {
  items: T[];
  nextToken?: string;
}

/** Where a page of listing `tag` of `scope` starts: 0 without a token. */
export function pageOffset(tag: string, scope: string, nextToken: string | undefined): number {
  if (nextToken === undefined) return 0;
  const offset = readPageToken(tag, scope, nextToken);
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) throw new ServiceError(ServiceErrorName.InvalidToken, 'Invalid Token');
  return offset;
}

/** The page of `all` at `offset`, `limit` long, and the token of the rest. */
export function pageAt<T>(tag: string, scope: string, all: readonly T[], offset: number, limit: number): ListingPage<T> {
  const end = offset + limit;
  return { items: all.slice(offset, end), ...(end < all.length ? { nextToken: pageToken(tag, scope, end) } : {}) };
}

/**
 * A page of a listing in index order read as it goes: from index `from`
 * (below `end`), `read` turns a chunk of indices into their entries
 * (undefined for those the listing leaves out), until `limit` are found and
 * one more proves a next page — so a page costs the entries it scans, not the
 * whole listing, and listing every page reads each entry about once. The
 * token is the index the next page starts at.
 */
export async function scanPage<T>(
  tag: string,
  scope: string,
  from: number,
  end: number,
  limit: number,
  read: (indices: number[]) => Promise<(T | undefined)[]>,
): Promise<ListingPage<T>> {
  const items: T[] = [];
  for (let at = from; at < end; ) {
    const chunk = Array.from({ length: Math.min(end - at, Math.max(limit + 1 - items.length, SCAN_CHUNK)) }, (_, i) => at + i);
    const entries = await read(chunk);
    for (let i = 0; i < chunk.length; i++) {
      const entry = entries[i];
      if (entry === undefined) continue;
      if (items.length === limit) return { items, nextToken: pageToken(tag, scope, chunk[i]) };
      items.push(entry);
    }
    at += chunk.length;
  }
  return { items };
}

/** Indices a scanning page reads at a time at least (in parallel), so a filter that matches few does not read one by one. */
const SCAN_CHUNK = 25;
