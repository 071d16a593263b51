/**
 * Resolving trainer targets into addresses, once per discovery round. A name that does not resolve
 * now is not an error of the search: its round reports it, and the next round asks again.
 */
import { lookup, Resolver } from 'node:dns/promises';
import { addressOf, formatTarget, type TrainerTarget } from './trainer-target.ts';

/** A trainer address and the name it was found under (what its TLS certificate names). */
export interface FoundAddress {
  readonly address: string;
  readonly name: string;
}

/** What one round found: every address, and one line per target that gave none. */
export interface Resolution {
  readonly addresses: readonly FoundAddress[];
  /** `target: why` for each target that resolved to nothing (or failed) this round. */
  readonly problems: readonly string[];
}

/** Resolves targets; tests pass their own to avoid DNS. */
export type ResolveTargets = (targets: readonly TrainerTarget[]) => Promise<Resolution>;

/** A DNS query waits this long for a server before it tries again (twice in all). */
const QUERY_TIMEOUT_MS = 2_000;

/** Resolves every target (in parallel); addresses in target order, each once. */
export const resolveTargets: ResolveTargets = async (targets) => {
  const rounds = await Promise.all(targets.map((t) => resolveOne(t).then(ok, failed(t))));
  const addresses = new Map<string, FoundAddress>();
  const problems: string[] = [];
  rounds.forEach((round, i) => {
    const target = targets[i];
    if (target === undefined) return;
    if (typeof round === 'string') problems.push(`${formatTarget(target)}: ${round}`);
    else if (round.length === 0) problems.push(`${formatTarget(target)}: no address`);
    else for (const a of round) if (!addresses.has(a.address)) addresses.set(a.address, a);
  });
  return { addresses: [...addresses.values()], problems };
};

async function resolveOne(target: TrainerTarget): Promise<FoundAddress[]> {
  switch (target.kind) {
    case 'host': {
      const found = await lookup(target.host, { all: true });
      return found.map((a) => ({ address: addressOf(a.address, target.port), name: target.host }));
    }
    case 'dns':
      return hostAddresses(resolverFor(target.server), target.name, target.port);
    case 'srv': {
      const resolver = resolverFor(target.server);
      const records = await resolver.resolveSrv(target.name);
      const each = await Promise.all(
        records.map((r) => hostAddresses(resolver, r.name, r.port).catch(() => [])),
      );
      return each.flat();
    }
  }
}

/** A and AAAA records of `name`; a name with only one kind is fine, none at all is an error. */
async function hostAddresses(
  resolver: Resolver,
  name: string,
  port: number,
): Promise<FoundAddress[]> {
  const [v4, v6] = await Promise.allSettled([resolver.resolve4(name), resolver.resolve6(name)]);
  if (v4.status === 'rejected' && v6.status === 'rejected') throw v4.reason;
  const ips = [
    ...(v4.status === 'fulfilled' ? v4.value : []),
    ...(v6.status === 'fulfilled' ? v6.value : []),
  ];
  return ips.map((ip) => ({ address: addressOf(ip, port), name }));
}

function resolverFor(server: string | null): Resolver {
  const resolver = new Resolver({ timeout: QUERY_TIMEOUT_MS, tries: 2 });
  if (server !== null) resolver.setServers([server]);
  return resolver;
}

function ok(addresses: FoundAddress[]): FoundAddress[] {
  return addresses;
}

/** A DNS failure in a few plain words (`ENOTFOUND` is "no such name"). */
function failed(target: TrainerTarget): (err: unknown) => string {
  return (err) => {
    const code = err instanceof Error && 'code' in err ? String(err.code) : '';
    const words: Record<string, string> = {
      ENOTFOUND: 'no such name',
      ENODATA: 'no address records',
      ETIMEOUT: 'the DNS server did not answer',
      ECONNREFUSED: 'the DNS server refused the query',
      ESERVFAIL: 'the DNS server failed (SERVFAIL)',
      EAI_AGAIN: 'name lookup failed for now (DNS unreachable?)',
    };
    const name = target.kind === 'host' ? target.host : target.name;
    return words[code] ?? `cannot resolve ${name}: ${code || String(err)}`;
  };
}
