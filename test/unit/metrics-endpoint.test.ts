/**
 * The metrics endpoint both programs serve (runtime/metrics-endpoint.ts) over real loopback HTTP and
 * its flags (runtime/metrics-address.ts).
 */
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import fc from 'fast-check';
import { Counter, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { Violation } from '../../shared/errors.ts';
import { metricsAddressFrom, type MetricsFlags } from '../../runtime/metrics-address.ts';
import {
  MetricsListenError,
  startMetricsEndpoint,
  type MetricsEndpoint,
} from '../../runtime/metrics-endpoint.ts';
import { scrapeMetrics } from '../fixtures/scrape-metrics.ts';

function parse(flags: MetricsFlags): { address: unknown; violations: Violation[] } {
  const violations: Violation[] = [];
  return { address: metricsAddressFrom(flags, violations), violations };
}

describe('--metrics-port and --metrics-host', () => {
  it('are off by default and default to loopback', () => {
    expect(parse({})).toEqual({ address: undefined, violations: [] });
    expect(parse({ metricsPort: '0' })).toEqual({
      address: { host: '127.0.0.1', port: 0, public: false },
      violations: [],
    });
    expect(parse({ metricsPort: '9464', metricsHost: '[::1]' }).address).toEqual({
      host: '::1',
      port: 9464,
      public: false,
    });
  });

  it('accept every port in 0..65535 and refuse anything else, naming the flag', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 65_535 }), (port) => {
        expect(parse({ metricsPort: String(port) })).toEqual({
          address: { host: '127.0.0.1', port, public: false },
          violations: [],
        });
      }),
    );
    const bad = fc.oneof(
      fc.integer({ min: 65_536, max: 10_000_000 }).map(String),
      fc.integer({ max: -1 }).map(String),
      fc.string().filter((s) => !/^\s*\d{1,5}\s*$/.test(s)),
    );
    fc.assert(
      fc.property(bad, (text) => {
        const { violations } = parse({ metricsPort: text });
        expect(violations).toEqual([
          {
            path: '--metrics-port',
            message: `expected a port in 0..65535 (0 picks a free one), got ${JSON.stringify(text)}`,
          },
        ]);
      }),
    );
  });

  it('refuse a host that is no address or name, and a host without a port', () => {
    for (const host of ['', 'two words', 'http://x', 'a..b', '-x']) {
      expect(parse({ metricsPort: '0', metricsHost: host }).violations).toEqual([
        expect.objectContaining({ path: '--metrics-host' }),
      ]);
    }
    expect(parse({ metricsHost: '0.0.0.0' }).violations).toEqual([
      { path: '--metrics-host', message: 'goes with --metrics-port' },
    ]);
    expect(parse({ metricsPublic: true }).violations).toEqual([
      { path: '--metrics-public', message: 'goes with --metrics-port' },
    ]);
  });

  it('refuse an address other machines reach unless --metrics-public says so', () => {
    for (const host of ['0.0.0.0', '::', '10.1.2.3', 'metrics.example']) {
      expect(parse({ metricsPort: '0', metricsHost: host }).violations, host).toEqual([
        {
          path: '--metrics-host',
          message: expect.stringContaining('add --metrics-public to mean it') as unknown,
        },
      ]);
      expect(parse({ metricsPort: '0', metricsHost: host, metricsPublic: true })).toEqual({
        address: { host, port: 0, public: true },
        violations: [],
      });
    }
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', 'localhost'])
      expect(parse({ metricsPort: '0', metricsHost: host }).violations, host).toEqual([]);
  });
});

describe('the metrics endpoint', () => {
  const open: MetricsEndpoint[] = [];
  afterEach(async () => {
    for (const endpoint of open.splice(0)) await endpoint.close();
  });

  async function serveCounter(
    isPublic = false,
  ): Promise<{ endpoint: MetricsEndpoint; counter: Counter }> {
    const registry = new Registry();
    const counter = new Counter({ name: 'x_total', help: 'x', registers: [registry] });
    const endpoint = await startMetricsEndpoint(
      { host: '127.0.0.1', port: 0, public: isPublic },
      { render: () => registry.metrics(), contentType: registry.contentType },
    );
    open.push(endpoint);
    return { endpoint, counter };
  }

  it('serves GET /metrics in the text format, rendered at each scrape', async () => {
    const { endpoint, counter } = await serveCounter();
    expect(endpoint.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const first = await scrapeMetrics(endpoint.url);
    expect(first.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(first.value('x_total')).toBe(0);
    counter.inc(3);
    expect((await scrapeMetrics(`${endpoint.url}?debug=1`)).value('x_total')).toBe(3);
    const head = await fetch(endpoint.url, { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([200, '']);
  });

  it('answers 404 elsewhere and 405 to anything but GET and HEAD', async () => {
    const { endpoint } = await serveCounter();
    const base = endpoint.url.replace(/\/metrics$/, '');
    for (const path of ['/', '/metrics/', '/other']) {
      expect((await fetch(base + path)).status).toBe(404);
    }
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const answer = await fetch(endpoint.url, { method });
      expect([answer.status, answer.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
    }
  });

  it('answers loopback Host names only, unless opened with --metrics-public', async () => {
    const scrape = (url: string, host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(url, { headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    const closed = await serveCounter();
    for (const host of ['localhost:9464', '127.0.0.1', '[::1]:1'])
      expect(await scrape(closed.endpoint.url, host), host).toBe(200);
    for (const host of ['attacker.example', '10.1.2.3:9464', 'cellsearch-trainer.ns.svc'])
      expect(await scrape(closed.endpoint.url, host), host).toBe(403);
    const opened = await serveCounter(true);
    for (const host of ['10.1.2.3:9464', 'cellsearch-trainer.ns.svc', 'localhost'])
      expect(await scrape(opened.endpoint.url, host), host).toBe(200);
  });

  it('refuses a port in use with one line naming the flags', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const address = taken.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const failure = startMetricsEndpoint(
        { host: '127.0.0.1', port, public: false },
        { render: () => Promise.resolve(''), contentType: 'text/plain' },
      );
      await expect(failure).rejects.toThrow(MetricsListenError);
      await expect(failure).rejects.toThrow(
        `--metrics-port ${port} on --metrics-host 127.0.0.1: cannot listen: the port is in use; choose another, or 0 for a free one`,
      );
    } finally {
      taken.close();
    }
  });
});
