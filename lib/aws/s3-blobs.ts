/** Large bodies (items, messages) in S3, under keys the store and the queue choose. */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { NO_METER, type Meter } from './meter';
import type { BlobStore } from '../service/ports';

export class S3Blobs implements BlobStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly meter: Meter = NO_METER,
  ) {}

  async put(key: string, body: string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: 'application/json' }));
    this.meter.record('s3', 'PutObject', {});
  }

  async get(key: string): Promise<string> {
    const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    this.meter.record('s3', 'GetObject', {});
    return out.Body!.transformToString('utf8');
  }
}
