import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A front that records the SigV4 scope (`region service`) of each request and passes the request to `target`. */
export async function signingFront(target: string): Promise<{ url: string; scopes: string[]; close(): void }> {
  const scopes: string[] = [];
  const front = http.createServer(async (req, res) => {
    scopes.push(/Credential=[^/]+\/\d+\/([^/]+)\/([^/]+)\//.exec(req.headers.authorization ?? '')?.slice(1).join(' ') ?? 'unsigned');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const answer = await fetch(target, { method: 'POST', headers: { 'content-type': req.headers['content-type']!, 'x-amz-target': req.headers['x-amz-target'] as string }, body: Buffer.concat(chunks) });
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/x-amz-json-1.0' });
    res.end(await answer.text());
  });
  await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(front.address() as AddressInfo).port}`, scopes, close: () => front.close() };
}
