// A loopback pass-through in front of the llama server that keeps the
// server's own account of each answer, to compare with what genload recorded:
// usage.completion_tokens of JSON answers; for SSE answers, the chunks that
// carry text, the finish_reason and usage when sent. Bytes are forwarded
// unchanged as they arrive (streams are not buffered).

import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Answer {
  path: string;
  status: number;
  stream: boolean;
  /** usage.completion_tokens, when the server sent it */
  usageTokens?: number;
  /** SSE: chunks with non-empty delta.content or text */
  textChunks: number;
  finishReason?: string;
}

export interface UsageProxy {
  url: string;
  answers: Answer[];
  close(): Promise<void>;
}

function account(path: string, res: IncomingMessage, body: string): Answer {
  const stream = (res.headers['content-type'] ?? '').includes('text/event-stream');
  const a: Answer = { path, status: res.statusCode ?? 0, stream, textChunks: 0 };
  const read = (json: unknown) => {
    if (typeof json !== 'object' || json === null) return;
    const o = json as {
      usage?: { completion_tokens?: unknown };
      choices?: Array<{ delta?: { content?: unknown }; text?: unknown; finish_reason?: unknown }>;
    };
    if (typeof o.usage?.completion_tokens === 'number') a.usageTokens = o.usage.completion_tokens;
    for (const c of o.choices ?? []) {
      const text = c.delta?.content ?? c.text;
      if (stream && typeof text === 'string' && text !== '') a.textChunks++;
      if (typeof c.finish_reason === 'string') a.finishReason = c.finish_reason;
    }
  };
  if (!stream) {
    try {
      read(JSON.parse(body));
    } catch {
      // not JSON: nothing to account
    }
    return a;
  }
  for (const line of body.split('\n')) {
    if (!line.startsWith('data:')) continue;
    const data = line.slice(5).trim();
    if (data === '[DONE]' || data === '') continue;
    try {
      read(JSON.parse(data));
    } catch {
      // a malformed event: genload reports those itself
    }
  }
  return a;
}

export async function startUsageProxy(upstream: string): Promise<UsageProxy> {
  const up = new URL(upstream);
  const answers: Answer[] = [];
  const server: Server = createServer((req, res) => {
    const fwd = request(
      { host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers },
      (ur) => {
        res.writeHead(ur.statusCode ?? 502, ur.headers);
        let body = '';
        ur.on('data', (c: Buffer) => {
          body += c.toString('utf8');
          res.write(c);
        });
        ur.on('end', () => {
          if (req.method === 'POST') answers.push(account(req.url ?? '', ur, body));
          res.end();
        });
      },
    );
    fwd.on('error', (err) => {
      res.writeHead(502);
      res.end(String(err));
    });
    req.pipe(fwd);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    answers,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
