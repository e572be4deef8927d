// A local webhook receiver: what an outside alert service would get from the desk.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WebhookReceiver {
  /** The URL to give the desk (with a token in the path, as real webhooks have). */
  url: string;
  received: Record<string, unknown>[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(token: string): Promise<WebhookReceiver> {
  const received: Record<string, unknown>[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push(JSON.parse(body) as Record<string, unknown>);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook/${token}`,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
