/**
 * ItemReader on one machine: a DISTRIBUTED Map's `arn:aws:states:::s3:getObject`
 * reads `<root>/<Bucket>/<Key>` from the local disk, and `s3:listObjectsV2`
 * lists `<root>/<Bucket>/<Prefix>`, with the parsing rules Step Functions
 * applies to JSON, JSONL and CSV objects.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { JsonValue } from '../asl/json';
import { itemReaderFailed as fail, objectItemReader, type ItemReaderPort } from '../engine/integrations/items';

export { parseCsv, parseItems, type ItemReaderPort } from '../engine/integrations/items';

/** An ItemReader over a local folder standing in for S3 buckets. */
export function localItemReader(root: string): ItemReaderPort {
  return objectItemReader({
    async list(bucket, prefix = '') {
      const dir = path.join(root, bucket);
      const files = await listFiles(dir).catch(() => fail(`The bucket '${bucket}' does not exist under ${root}.`));
      const objects: JsonValue[] = [];
      for (const rel of files.filter((f) => f.startsWith(prefix)).sort()) {
        const stat = await fs.stat(path.join(dir, rel));
        objects.push({ Etag: `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs)}"`, Key: rel, LastModified: stat.mtime.toISOString(), Size: stat.size, StorageClass: 'STANDARD' });
      }
      return objects;
    },
    async get(bucket, key) {
      const file = path.join(root, bucket, key);
      return fs.readFile(file, 'utf8').catch(() => fail(`The object s3://${bucket}/${key} was not found (looked in ${file}).`));
    },
  });
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
