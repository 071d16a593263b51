/**
 * The network test harness (test/fixtures/netns*.ts) on a real network of namespaces: a search
 * from one host against a trainer on another, by address and by a name a real DNS server (dnsmasq)
 * serves and changes, a cut link, a TLS trainer's certificate checked by openssl from another
 * host, and a teardown that leaves no namespace, link, file or process behind. Needs root;
 * skipped (saying why) elsewhere, except under CI=true.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryDns, startDns, TEST_DOMAIN, type TestDns } from '../fixtures/netns-dns.ts';
import { processExists } from '../fixtures/netns-process.ts';
import { tcpConnect, waitForConnect } from '../fixtures/netns-probe.ts';
import { makeTestPki, type TestPki } from '../fixtures/netns-tls.ts';
import {
  FAST_SEARCH_FLAGS,
  NAS_CTL,
  startTrainer,
  type NetTrainer,
} from '../fixtures/netns-trainer.ts';
import { createTestNetwork, networkSkipReason, type TestNetwork } from '../fixtures/netns.ts';

const skip = await networkSkipReason({ tools: ['dnsmasq', 'openssl'] });
const NAME = `trainers.${TEST_DOMAIN}`;

/** Names of the root namespace's links: a test network must not add any. */
function rootLinks(): string[] {
  const text = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });
  return text
    .split('\n')
    .map((line) => line.split(': ')[1]?.split('@')[0] ?? '')
    .filter((name) => name !== '')
    .sort();
}

describe.skipIf(skip !== null)('test networks of namespaces', () => {
  const linksBefore = skip === null ? rootLinks() : [];
  let net: TestNetwork;
  let setupMs = 0;
  let dns: TestDns;
  let trainer: NetTrainer;
  let tlsTrainer: NetTrainer;
  let pki: TestPki;

  /** `nas-ctl search` run in the ctl host; resolves with the JSON events it printed. */
  async function searchFromCtl(trainers: string, trials: number, runDir: string) {
    const args = [
      ...[NAS_CTL, 'search', '--trainers', trainers, '--trials', String(trials)],
      ...['--strategy', 'random', '--json', '--progress', 'none', '--run-dir', runDir],
      ...FAST_SEARCH_FLAGS,
    ];
    const out = await net.run('ctl', process.execPath, args, 60_000);
    expect(out.code, out.stderr).toBe(0);
    return out.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { type: string; status?: string; trainer?: string });
  }

  beforeAll(async () => {
    const start = performance.now();
    net = await createTestNetwork({ hosts: ['dns', 'ctl', 'h1', 'h2'] });
    setupMs = performance.now() - start;
    pki = await makeTestPki({
      dir: `${net.tempDir}/pki`,
      serverNames: [NAME, `h1.${TEST_DOMAIN}`],
    });
    [trainer, tlsTrainer, dns] = await Promise.all([
      startTrainer(net, 'h1'),
      startTrainer(net, 'h1', { port: 50052, tls: { cert: pki.serverCert, key: pki.serverKey } }),
      startDns(net, 'dns'),
    ]);
  });
  afterAll(() => net?.remove());

  it('gives each host its address and loopback, the bridge in a namespace of its own', () => {
    expect(setupMs).toBeLessThan(5_000);
    for (const host of net.hosts) {
      const addr = execFileSync('ip', ['-n', host.namespace, '-4', '-o', 'addr', 'show'], {
        encoding: 'utf8',
      });
      expect(addr).toContain(`lo    inet 127.0.0.1/8`);
      expect(addr).toContain(`eth0    inet ${host.address}/24`);
    }
    const ports = execFileSync('ip', ['-n', net.switchNamespace, '-o', 'link', 'show'], {
      encoding: 'utf8',
    });
    for (const host of net.hosts)
      expect(ports).toMatch(new RegExp(`${host.switchPort}@.* master br0`));
    expect(rootLinks()).toEqual(linksBefore);
  });

  it('runs a search from ctl against the trainer on h1 by address', async () => {
    const events = await searchFromCtl(trainer.address, 2, `${net.tempDir}/run-address`);
    const finished = events.filter((e) => e.type === 'trial-finished');
    expect(finished.map((e) => e.status)).toEqual(['succeeded', 'succeeded']);
    expect(events.find((e) => e.type === 'trial-started')?.trainer).toBe(trainer.address);
  });

  it('serves a name whose addresses change, seen from ctl at once', async () => {
    const [h1, h2] = [net.host('h1').address, net.host('h2').address];
    const both = await dns.set(NAME, [h1, h2]);
    expect((await dns.query(NAME, 'A', 'ctl')).answer).toEqual([h1, h2].sort());
    const one = await dns.set(NAME, [h1]);
    expect((await dns.query(NAME, 'A', 'ctl')).answer).toEqual([h1]);
    const none = await dns.set(NAME, []);
    expect((await dns.query(NAME, 'A', 'ctl')).answer).toEqual([]);
    // Each change shows within a poll or two: dnsmasq re-reads the hosts folder on inotify.
    expect(Math.max(both, one, none)).toBeLessThan(2_000);
  });

  it('serves SRV records, changed by a restart', async () => {
    const srv = `_grpc._tcp.${NAME}`;
    await dns.setSrv([{ name: srv, target: `h1.${TEST_DOMAIN}`, port: 50051 }]);
    expect((await dns.query(srv, 'SRV', 'ctl')).answer).toEqual([`0 0 50051 h1.${TEST_DOMAIN}`]);
    await dns.setSrv([]);
    expect((await dns.query(srv, 'SRV', 'ctl')).answer).toEqual([]);
  });

  it("resolves a name through ctl's resolv.conf, for a search by name", async () => {
    await dns.set(NAME, [net.host('h1').address]);
    // getaddrinfo, as `nas-ctl --trainers host:port` does: /etc/netns/<ns>/resolv.conf is mounted.
    const system = await queryDns(net, 'ctl', { name: NAME, server: null });
    expect(system.answer).toEqual([net.host('h1').address]);
    const events = await searchFromCtl(`${NAME}:50051`, 1, `${net.tempDir}/run-name`);
    expect(events.filter((e) => e.status === 'succeeded')).toHaveLength(1);
  });

  it('a cut link makes a connect from ctl to h1 fail until it is restored', async () => {
    expect((await tcpConnect(net, 'ctl', trainer.address, 2_000)).error).toBeNull();
    await net.cut('h1');
    try {
      const cut = await tcpConnect(net, 'ctl', trainer.address, 1_000);
      expect(['ETIMEDOUT', 'EHOSTUNREACH']).toContain(cut.error);
      // ctl sees nothing locally; h1 sees its carrier go, as with a pulled cable.
      const link = (ns: string) => execFileSync('ip', ['-n', ns, '-br', 'link', 'show', 'eth0']);
      expect(link(net.host('ctl').namespace).toString()).toContain('LOWER_UP');
      expect(link(net.host('h1').namespace).toString()).toContain('NO-CARRIER');
    } finally {
      await net.restore('h1');
    }
    expect(await waitForConnect(net, 'ctl', trainer.address, 5_000)).toBeLessThan(5_000);
  });

  it('serves TLS on h1 with the test certificate, verified from ctl', async () => {
    const sClient = (verifyName: string) =>
      net.run(
        'ctl',
        'openssl',
        [
          ...['s_client', '-connect', tlsTrainer.address, '-servername', NAME],
          ...['-verify_hostname', verifyName, '-CAfile', pki.ca, '-verify_return_error'],
          ...['-alpn', 'h2'],
        ],
        10_000,
      );
    const good = await sClient(NAME);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toContain('Verify return code: 0 (ok)');
    expect(good.stdout).toContain(`Verified peername: ${NAME}`);
    // grpc-js offers and requires HTTP/2 by ALPN.
    expect(good.stdout).toContain('ALPN protocol: h2');
    const wrong = await sClient(`other.${TEST_DOMAIN}`);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/hostname mismatch/i);
    await tlsTrainer.stop();
    expect(tlsTrainer.process.running()).toBe(false);
  });

  it('removes every namespace, link, file and process it made, and again does nothing', async () => {
    const pids = [trainer.process.pid, tlsTrainer.process.pid];
    await net.remove();
    const namespaces = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
    expect(namespaces).not.toContain(net.prefix);
    const etc = existsSync('/etc/netns') ? readdirSync('/etc/netns') : [];
    expect(etc.filter((n) => n.startsWith(net.prefix))).toEqual([]);
    expect(existsSync(net.tempDir)).toBe(false);
    expect(pids.filter(processExists)).toEqual([]);
    expect(rootLinks()).toEqual(linksBefore);
    await net.remove();
  });
});
