/**
 * ItemReader on one machine: a DISTRIBUTED Map's `arn:aws:states:::s3:getObject`
 * reads `<root>/<Bucket>/<Key>` from the local disk, and `s3:listObjectsV2`
 * lists `<root>/<Bucket>/<Prefix>`, with the parsing rules Step Functions
 * applies to JSON, JSONL and CSV objects.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isJsonObject, type JsonObject, type JsonValue } from '../asl/json';
import { itemReaderFailed as fail, parseItems, type ItemReaderPort } from '../engine/integrations/items';

export { parseCsv, parseItems, type ItemReaderPort } from '../engine/integrations/items';

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
