import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyError } from './resilient-call.js';
import { createChatOpenAI } from './providers/openai-client.js';
import { BufferedResponse, ResponseDeadlineError, ResponseTooLargeError, nodeHttpFetch, nodeHttpFetchWith } from './node-http-fetch.js';

let server: Server;
let base = '';
let flooded = 0;
let floodClosed: () => void = () => {};
const seen: Array<{ method?: string; url?: string; headers: Record<string, unknown>; body: string }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() });
      if (req.url?.startsWith('/hang')) return; // never answers
      if (req.url === '/flood') {
        // 200, then 64 KiB chunks as fast as the socket takes them, forever.
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const pump = () => { while (!res.destroyed && res.write(chunk)) flooded += chunk.length; if (!res.destroyed) flooded += chunk.length; };
        res.on('drain', pump);
        res.on('close', () => floodClosed());
        pump();
        return;
      }
      if (req.url === '/trickle') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"choices": [');
        const timer = setInterval(() => res.write(' '), 10);
        res.on('close', () => clearInterval(timer));
        return;
      }
      if (req.url === '/announced') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(1024 * 1024 * 1024) });
        res.write('{');
        return;
      }
      if (req.url === '/empty') return void res.writeHead(204).end();
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '3', 'set-cookie': ['a=1', 'b=2'] });
      res.end(JSON.stringify({ echo: Buffer.concat(chunks).toString() }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('nodeHttpFetch', () => {
  it('sends method, headers and body, and returns status, headers and the whole body', async () => {
    const res = await nodeHttpFetch(`${base}/x?y=1`, { method: 'POST', headers: new Headers({ 'x-test': 'yes', 'content-type': 'application/json' }), body: '{"a":1}' });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/x?y=1', body: '{"a":1}', headers: { 'x-test': 'yes' } });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(res.headers.get('set-cookie')).toBe('a=1, b=2');
    expect(await res.json()).toEqual({ echo: '{"a":1}' });
    const empty = await nodeHttpFetch(`${base}/empty`, { method: 'GET' });
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe('');
  });

  it('answers with a buffered body that can be read again and parses once', async () => {
    const res = (await nodeHttpFetch(`${base}/again`, { method: 'POST', body: '{"b":2}' })) as unknown as BufferedResponse;
    expect(res).toBeInstanceOf(BufferedResponse);
    expect([res.ok, res.status, res.body, res.url]).toEqual([false, 429, null, `${base}/again`]);
    expect(await res.text()).toBe(await res.text());
    const first = await res.json();
    expect(first).toEqual({ echo: '{"b":2}' });
    expect(await res.json()).toBe(first);
  });

  it('rejects when aborted and when nothing listens', async () => {
    const controller = new AbortController();
    const pending = nodeHttpFetch(`${base}/hang`, { method: 'GET', signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toThrow(/abort/i);
    await expect(nodeHttpFetch('http://127.0.0.1:1/', {})).rejects.toThrow(/ECONNREFUSED/);
  });

  it('gives the OpenAI client a timeout it reports as a timeout', async () => {
    const model = createChatOpenAI('m', {
      baseUrl: `${base}/hang`, apiKey: 'k', temperature: 1, maxTokens: undefined, timeoutMs: 200, maxResponseBytes: 8 * 1024 * 1024, options: { api: 'chat' },
    });
    const started = Date.now();
    const err = await model.invoke('hi').then(() => undefined, (e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(String(err)).toMatch(/timed out|timeout/i);
    expect(classifyError(err, 0).retryable).toBe(true);
  });

  it('refuses a body that never ends at the size cap, and closes the connection', async () => {
    const fetch = nodeHttpFetchWith({ maxBodyBytes: 1024 * 1024 });
    const closed = new Promise<void>((resolve) => { floodClosed = resolve; });
    await expect(fetch(`${base}/flood`, { method: 'POST', body: '{}' })).rejects.toThrow(ResponseTooLargeError);
    // The server sees the connection closed and stops: what it sent is the cap plus what the sockets held.
    await closed;
    expect(flooded).toBeLessThan(32 * 1024 * 1024);
  });

  it('refuses an announced body over the cap before reading it', async () => {
    await expect(nodeHttpFetch(`${base}/announced`, { method: 'POST', body: '{}' })).rejects.toThrow(/larger than 8388608 bytes/);
  });

  it('ends an answer that trickles forever at its deadline', async () => {
    const fetch = nodeHttpFetchWith({ deadlineMs: 200 });
    await expect(fetch(`${base}/trickle`, { method: 'POST', body: '{}' })).rejects.toThrow(ResponseDeadlineError);
  });
});
