/**
 * A DISTRIBUTED Map's ItemReader on S3: `arn:aws:states:::s3:getObject`
 * (JSON, JSONL, CSV by ReaderConfig.InputType) and
 * `arn:aws:states:::s3:listObjectsV2` (every object under a prefix, paged,
 * as `{Etag, Key, LastModified, Size, StorageClass}` items); and where a
 * ResultWriter exports (PutObject).
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { JsonValue } from '../asl/json';
import { itemReaderFailed as fail, objectItemReader, type ItemReaderPort } from '../engine/integrations/items';
import { NO_METER, type Meter } from './meter';

export function s3ItemReader(client: S3Client, meter: Meter = NO_METER): ItemReaderPort {
  return objectItemReader({
    async list(bucket, prefix) {
      const objects: JsonValue[] = [];
      let token: string | undefined;
      do {
        const out = await client
          .send(new ListObjectsV2Command({ Bucket: bucket, ...(prefix !== undefined ? { Prefix: prefix } : {}), ...(token ? { ContinuationToken: token } : {}) }))
          .catch((err: Error) => fail(`S3 ListObjectsV2 on bucket '${bucket}' failed: ${err.name}: ${err.message}`));
        meter.record('s3', 'ListObjectsV2', {});
        for (const o of out.Contents ?? []) {
          objects.push({ Etag: o.ETag ?? '', Key: o.Key ?? '', LastModified: o.LastModified?.toISOString() ?? '', Size: o.Size ?? 0, StorageClass: o.StorageClass ?? 'STANDARD' });
        }
        token = out.IsTruncated ? out.NextContinuationToken : undefined;
      } while (token);
      return objects;
    },
    async get(bucket, key, versionId) {
      const out = await client
        .send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(versionId !== undefined ? { VersionId: versionId } : {}) }))
        .catch((err: Error) => fail(`S3 GetObject s3://${bucket}/${key} failed: ${err.name}: ${err.message}`));
      meter.record('s3', 'GetObject', {});
      return out.Body!.transformToString('utf8');
    },
  });
}

/** Where a DISTRIBUTED Map's ResultWriter puts its objects: S3 PutObject. */
export function s3ObjectWriter(client: S3Client, meter: Meter = NO_METER): { put(bucket: string, key: string, body: string): Promise<void> } {
  return {
    async put(bucket, key, body) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }));
      meter.record('s3', 'PutObject', {});
    },
  };
}
