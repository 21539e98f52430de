import { BlockList, isIP } from 'node:net';

/**
 * NO_PROXY: which request URLs bypass the proxy. There is no standard; this follows what curl and Go accept
 * so that a value copied from a company's proxy instructions behaves the same here
 * (https://about.gitlab.com/blog/we-need-to-talk-no-proxy/ compares the implementations):
 *
 * - entries are separated by commas or whitespace, and matched case-insensitively;
 * - `*` alone bypasses the proxy for every host;
 * - `example.com`, `.example.com` and `*.example.com` all match example.com and every subdomain of it;
 * - `host:port` matches that host on that port only (a URL without a port has its scheme's default port);
 * - IP addresses match literally (`10.1.2.3`, `::1`, `[::1]:8443`), CIDR blocks match a range (`10.0.0.0/8`);
 * - nothing is resolved: `localhost` does not match `127.0.0.1`, list both when both are used.
 */
export interface NoProxyList {
  /** The entries as given, for diagnostics. */
  readonly entries: readonly string[];
  /** True when a request to `url` must go direct. */
  bypasses(url: URL): boolean;
}

interface Target {
  readonly host: string;
  readonly ipFamily: 'ipv4' | 'ipv6' | undefined;
  readonly port: number;
}

type Rule = (target: Target) => boolean;

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443 };

export function parseNoProxy(value: string | readonly string[] | undefined): NoProxyList {
  const entries = (typeof value === 'string' ? [value] : [...(value ?? [])])
    .flatMap((item) => item.split(/[\s,]+/))
    .map((item) => item.trim().toLowerCase())
    .filter((item) => item.length > 0);
  const rules = entries.map(ruleFor);
  return {
    entries,
    bypasses(url) {
      if (rules.length === 0) return false;
      const host = stripBrackets(url.hostname.toLowerCase()).replace(/\.$/, '');
      const target: Target = {
        host,
        ipFamily: ipFamily(host),
        port: url.port ? Number(url.port) : (DEFAULT_PORTS[url.protocol] ?? 0),
      };
      return rules.some((rule) => rule(target));
    },
  };
}

function ruleFor(entry: string): Rule {
  if (entry === '*') return () => true;

  const cidr = /^(.+)\/(\d{1,3})$/.exec(entry);
  if (cidr?.[1] !== undefined && cidr[2] !== undefined) {
    const family = ipFamily(cidr[1]);
    if (family) {
      const block = new BlockList();
      block.addSubnet(cidr[1], Number(cidr[2]), family);
      return (target) => target.ipFamily === family && block.check(target.host, family);
    }
  }

  const { host, port } = splitHostPort(entry);
  const matchesPort = (target: Target): boolean => port === undefined || target.port === port;
  const family = ipFamily(host);
  if (family) {
    // BlockList compares addresses, not spellings: `::1` matches `0:0:0:0:0:0:0:1`.
    const block = new BlockList();
    block.addAddress(host, family);
    return (target) => target.ipFamily === family && block.check(target.host, family) && matchesPort(target);
  }

  const domain = host.replace(/^\*?\./, '').replace(/\.$/, '');
  return (target) =>
    target.ipFamily === undefined &&
    (target.host === domain || target.host.endsWith(`.${domain}`)) &&
    matchesPort(target);
}

function splitHostPort(entry: string): { host: string; port: number | undefined } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed?.[1] !== undefined) {
    return { host: bracketed[1], port: bracketed[2] === undefined ? undefined : Number(bracketed[2]) };
  }
  // A bare IPv6 address has several colons and no port; only `name:digits` is a host with a port.
  const withPort = /^([^:]+):(\d+)$/.exec(entry);
  if (withPort?.[1] !== undefined && withPort[2] !== undefined) {
    return { host: withPort[1], port: Number(withPort[2]) };
  }
  return { host: entry, port: undefined };
}

function ipFamily(address: string): 'ipv4' | 'ipv6' | undefined {
  const family = isIP(address);
  return family === 4 ? 'ipv4' : family === 6 ? 'ipv6' : undefined;
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
