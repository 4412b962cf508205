// The load generator of the ack benchmark, in its own process so that neither the Genesys
// emulator nor the fake Slack API (which serve the bot's work after each ack, in the parent
// process) delay the clock that measures the acks. Driven over IPC: the parent sends a batch of
// already signed requests, this process sends them `concurrency` at a time over keep-alive
// connections and answers with each one's start time, latency and status.

import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface LoadRequest {
  body: string;
  headers: Record<string, string>;
}

export interface LoadBatch {
  type: 'run';
  id: number;
  url: string;
  concurrency: number;
  requests: LoadRequest[];
}

export interface LoadResult {
  /** Epoch ms when the request was sent. */
  sentAt: number;
  /** From sending the request to the end of the response body. */
  ms: number;
  /** HTTP status, 0 for a connection error. */
  status: number;
}

export interface LoadReply {
  type: 'result';
  id: number;
  results: LoadResult[];
}

const agents = new Map<string, http.Agent>();

function agentFor(origin: string, concurrency: number): http.Agent {
  let agent = agents.get(origin);
  if (!agent) {
    agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(concurrency, 20) });
    agents.set(origin, agent);
  }
  return agent;
}

function send(url: URL, request: LoadRequest, agent: http.Agent): Promise<LoadResult> {
  return new Promise((resolve) => {
    const sentAt = Date.now();
    const started = performance.now();
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { ...request.headers, 'content-length': Buffer.byteLength(request.body) },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ sentAt, ms: performance.now() - started, status: res.statusCode ?? 0 }),
        );
      },
    );
    req.on('error', () => resolve({ sentAt, ms: performance.now() - started, status: 0 }));
    req.end(request.body);
  });
}

async function run(batch: LoadBatch): Promise<LoadResult[]> {
  const url = new URL(batch.url);
  const agent = agentFor(url.origin, batch.concurrency);
  const results = new Array<LoadResult>(batch.requests.length);
  let next = 0;
  const workers = Array.from(
    { length: Math.min(batch.concurrency, batch.requests.length) },
    async () => {
      for (;;) {
        const index = next++;
        const request = batch.requests[index];
        if (!request) return;
        results[index] = await send(url, request, agent);
      }
    },
  );
  await Promise.all(workers);
  return results;
}

process.on('message', (message: LoadBatch) => {
  if (message?.type !== 'run') return;
  run(message).then((results) => {
    const reply: LoadReply = { type: 'result', id: message.id, results };
    process.send?.(reply);
  });
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
process.stdout.write(`${JSON.stringify({ port: 0, msg: 'ready' })}\n`);
