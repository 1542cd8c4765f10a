/**
 * The DynamoDB a test file talks to: dynalite on 127.0.0.1 (harness/services.mjs),
 * started before the file's tests and stopped after them, with a fresh table
 * per call of `table()`.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoStore } from '../../../lib/aws/dynamodb-store';
import { startServices, type Services } from '../../../harness/fixture';

export interface LocalTables {
  /** The client of the running dynalite (after the file's beforeAll). */
  client(): DynamoDBClient;
  /** A new, empty, ACTIVE store table named `<prefix><pid>x<n>`. */
  table(): Promise<string>;
}

/** Registers the file's beforeAll/afterAll that start and stop dynalite. */
export function localTables(prefix: string): LocalTables {
  let services: Services | undefined;
  let client: DynamoDBClient | undefined;
  let tables = 0;
  beforeAll(async () => {
    services = await startServices();
    client = new DynamoDBClient({ endpoint: services.dynamodb, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  });
  afterAll(async () => {
    client?.destroy();
    await services?.stop();
  });
  return {
    client: () => client!,
    async table() {
      const tableName = `${prefix}${process.pid}x${++tables}`;
      await DynamoStore.createTable(client!, tableName);
      return tableName;
    },
  };
}
