/**
 * What a DISTRIBUTED Map's ItemReader does with an object, whichever driver
 * fetched it: parse it by InputType as Step Functions does (a JSON array,
 * JSON Lines, or CSV rows keyed by the header row or the given headers),
 * then apply MaxItems — over an object source each driver provides.
 */
import { StatesError, StatesErrorName } from '../../asl/errors';
import { isJsonObject, type JsonObject, type JsonValue } from '../../asl/json';
import type { ReadItemsEffect } from '../effects';
import type { ItemsReadMessage } from '../messages';

/** Reads a Map's items; throws a StatesError (States.ItemReaderFailed) on failure. */
export interface ItemReaderPort {
  read(reader: JsonValue): Promise<JsonValue[]>;
}

/**
 * The ItemsRead reply for a read that failed: the reader's States error
 * name (States.ItemReaderFailed when it gave none) and its cause.
 */
export function itemsReadFailed(effect: Pick<ReadItemsEffect, 'frameId' | 'entry'>, err: unknown): ItemsReadMessage {
  const address = { type: 'ItemsRead', frameId: effect.frameId, entry: effect.entry } as const;
  if (typeof err !== 'object' || err === null) return { ...address, error: StatesErrorName.ItemReaderFailed, cause: String(err) };
  const reason = err as { error?: string; cause?: string; message?: string };
  return { ...address, error: reason.error ?? StatesErrorName.ItemReaderFailed, cause: reason.cause ?? reason.message };
}

/** Fails the ItemReader with States.ItemReaderFailed and the cause. */
export function itemReaderFailed(cause: string): never {
  throw new StatesError(StatesErrorName.ItemReaderFailed, cause);
}

/** Splits CSV text into rows (RFC 4180: quoted fields, doubled quotes, CRLF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Parses an object's text by InputType (JSON array, JSON Lines, or CSV rows as objects keyed by header). */
export function parseItems(text: string, config: JsonObject): JsonValue[] {
  const inputType = (config.InputType as string | undefined) ?? 'JSON';
  let items: JsonValue[];
  if (inputType === 'JSON') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      itemReaderFailed(`The ItemReader could not parse the object as JSON: ${(err as Error).message}`);
    }
    if (!Array.isArray(parsed)) itemReaderFailed('The ItemReader expected a JSON array.');
    items = parsed as JsonValue[];
  } else if (inputType === 'JSONL') {
    items = text
      .split(/\r?\n/)
      .filter((line) => line.trim() !== '')
      .map((line, i) => {
        try {
          return JSON.parse(line) as JsonValue;
        } catch {
          return itemReaderFailed(`The ItemReader could not parse line ${i + 1} as JSON.`);
        }
      });
  } else if (inputType === 'CSV') {
    const rows = parseCsv(text).filter((r) => !(r.length === 1 && r[0] === ''));
    let headers: string[];
    if (config.CSVHeaderLocation === 'GIVEN') headers = (config.CSVHeaders as string[] | undefined) ?? itemReaderFailed('CSVHeaders is required when CSVHeaderLocation is GIVEN.');
    else headers = rows.shift() ?? [];
    items = rows.map((r) => Object.fromEntries(headers.map((h, i) => [h, r[i] ?? ''])));
  } else {
    return itemReaderFailed(`Unsupported InputType: ${inputType}`);
  }
  return limited(items, config);
}

/** ReaderConfig.MaxItems, when set, keeps the first N items. */
function limited(items: JsonValue[], config: JsonObject): JsonValue[] {
  const max = config.MaxItems;
  return typeof max === 'number' && max > 0 ? items.slice(0, max) : items;
}

/** Where the objects are: S3 in the cloud, a folder on one machine. Errors are reported with itemReaderFailed. */
export interface ObjectSource {
  /** Every object under the prefix, as `{Etag, Key, LastModified, Size, StorageClass}`. */
  list(bucket: string, prefix: string | undefined): Promise<JsonValue[]>;
  /** One object's text. */
  get(bucket: string, key: string, versionId: string | undefined): Promise<string>;
}

/**
 * An ItemReader over an object source: `arn:aws:states:::s3:listObjectsV2`
 * lists the objects under a prefix, `arn:aws:states:::s3:getObject` reads one
 * and parses it by InputType; MaxItems applies to either.
 */
export function objectItemReader(source: ObjectSource): ItemReaderPort {
  return {
    async read(reader) {
      if (!isJsonObject(reader)) itemReaderFailed('ItemReader must be an object.');
      const resource = String(reader.Resource ?? '');
      const params = (reader.Parameters ?? reader.Arguments ?? {}) as JsonObject;
      const config = (reader.ReaderConfig ?? {}) as JsonObject;
      const bucket = String(params.Bucket ?? '');
      if (resource.endsWith(':s3:listObjectsV2')) return limited(await source.list(bucket, params.Prefix === undefined ? undefined : String(params.Prefix)), config);
      if (!resource.endsWith(':s3:getObject')) itemReaderFailed(`Unsupported ItemReader resource: ${resource}`);
      const text = await source.get(bucket, String(params.Key ?? ''), params.VersionId === undefined ? undefined : String(params.VersionId));
      return parseItems(text, config);
    },
  };
}

