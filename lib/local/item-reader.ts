/**
 * ItemReader on one machine: a DISTRIBUTED Map's `arn:aws:states:::s3:getObject`
 * reads `<root>/<Bucket>/<Key>` from the local disk, and `s3:listObjectsV2`
 * lists `<root>/<Bucket>/<Prefix>`, with the parsing rules Step Functions
 * applies to JSON, JSONL and CSV objects.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { StatesError, StatesErrorName } from '../asl/errors';
import { isJsonObject, type JsonObject, type JsonValue } from '../asl/json';

/** Reads a Map's items; throws a StatesError (States.ItemReaderFailed) on failure. */
export interface ItemReaderPort {
  read(reader: JsonValue): Promise<JsonValue[]>;
}

function fail(cause: string): never {
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
      fail(`The ItemReader could not parse the object as JSON: ${(err as Error).message}`);
    }
    if (!Array.isArray(parsed)) fail('The ItemReader expected a JSON array.');
    items = parsed as JsonValue[];
  } else if (inputType === 'JSONL') {
    items = text
      .split(/\r?\n/)
      .filter((line) => line.trim() !== '')
      .map((line, i) => {
        try {
          return JSON.parse(line) as JsonValue;
        } catch {
          return fail(`The ItemReader could not parse line ${i + 1} as JSON.`);
        }
      });
  } else if (inputType === 'CSV') {
    const rows = parseCsv(text).filter((r) => !(r.length === 1 && r[0] === ''));
    let headers: string[];
    if (config.CSVHeaderLocation === 'GIVEN') headers = (config.CSVHeaders as string[] | undefined) ?? fail('CSVHeaders is required when CSVHeaderLocation is GIVEN.');
    else headers = rows.shift() ?? [];
    items = rows.map((r) => Object.fromEntries(headers.map((h, i) => [h, r[i] ?? ''])));
  } else {
    return fail(`Unsupported InputType: ${inputType}`);
  }
  const max = config.MaxItems;
  return typeof max === 'number' && max > 0 ? items.slice(0, max) : items;
}

/** An ItemReader over a local folder standing in for S3 buckets. */
export function localItemReader(root: string): ItemReaderPort {
  return {
    async read(reader) {
      if (!isJsonObject(reader)) fail('ItemReader must be an object.');
      const resource = String(reader.Resource ?? '');
      const params = (reader.Parameters ?? reader.Arguments ?? {}) as JsonObject;
      const config = (reader.ReaderConfig ?? {}) as JsonObject;
      const bucket = String(params.Bucket ?? '');
      if (resource.endsWith(':s3:listObjectsV2')) {
        const prefix = String(params.Prefix ?? '');
        const dir = path.join(root, bucket);
        const files = await listFiles(dir).catch(() => fail(`The bucket '${bucket}' does not exist under ${root}.`));
        const objects: JsonValue[] = [];
        for (const rel of files.filter((f) => f.startsWith(prefix)).sort()) {
          const stat = await fs.stat(path.join(dir, rel));
          objects.push({ Etag: `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs)}"`, Key: rel, LastModified: stat.mtime.toISOString(), Size: stat.size, StorageClass: 'STANDARD' });
        }
        return objects;
      }
      if (!resource.endsWith(':s3:getObject')) fail(`Unsupported ItemReader resource: ${resource}`);
      const file = path.join(root, bucket, String(params.Key ?? ''));
      const text = await fs.readFile(file, 'utf8').catch(() => fail(`The object s3://${bucket}/${String(params.Key ?? '')} was not found (looked in ${file}).`));
      return parseItems(text, config);
    },
  };
}

async function listFiles(dir: string, base = ''): Promise<string[]> {
  const entries = await fs.readdir(path.join(dir, base), { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries) {
    const rel = base ? `${base}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else out.push(rel);
  }
  return out;
}
