import { Agent, ProxyAgent, type Dispatcher } from 'undici';

import { proxyFor, type ProxyEndpoint, type ProxyPlan } from './proxy';
import type { ResolvedTls } from './tls-options';

/** Socket settings shared by every pool of one client. */
export interface PoolSettings {
  readonly connectMs: number;
  readonly headersMs: number;
  readonly bodyMs: number;
  /** Idle time after which a kept-alive socket is closed, unless the server's Keep-Alive hint says less. */
  readonly keepAliveMs: number;
  /** Upper bound on the server's Keep-Alive hint. */
  readonly keepAliveMaxMs: number;
  readonly connectionsPerOrigin: number;
}

/** Where one request goes: the dispatcher, and the proxy it passes through (for messages). */
export interface Route {
  readonly dispatcher: Dispatcher;
  readonly proxy?: string;
}

/**
 * The sockets of one client: a plain undici Agent for direct requests and one ProxyAgent per proxy, chosen
 * per request URL. Each keeps a keep-alive pool per origin, so sequential requests to one host reuse a socket.
 * https://github.com/nodejs/undici/blob/main/docs/docs/api/Agent.md
 * https://github.com/nodejs/undici/blob/main/docs/docs/api/ProxyAgent.md
 */
export class Dispatchers {
  private readonly direct: Agent;
  /** Keyed by endpoint: HTTPS_PROXY falling back to HTTP_PROXY is the same endpoint, and shares the agent. */
  private readonly proxied = new Map<ProxyEndpoint, ProxyAgent>();

  constructor(
    private readonly pool: PoolSettings,
    private readonly tls: ResolvedTls,
    private readonly plan: ProxyPlan,
  ) {
    this.direct = new Agent({ ...this.agentOptions(), connect: { ...tls.target, timeout: pool.connectMs } });
  }

  route(url: URL): Route {
    const endpoint = proxyFor(this.plan, url);
    if (!endpoint) return { dispatcher: this.direct };
    return { dispatcher: this.proxyAgent(endpoint), proxy: endpoint.uri };
  }

  async close(): Promise<void> {
    await Promise.all([this.direct.close(), ...[...this.proxied.values()].map((agent) => agent.close())]);
    this.proxied.clear();
  }

  private proxyAgent(endpoint: ProxyEndpoint): ProxyAgent {
    const existing = this.proxied.get(endpoint);
    if (existing) return existing;
    const agent = new ProxyAgent({
      ...this.agentOptions(),
      uri: endpoint.uri,
      ...(endpoint.token ? { token: endpoint.token } : {}),
      // undici 7 tunnels even plain-http targets through CONNECT by default; many company proxies allow
      // CONNECT to port 443 only, so http targets are sent as absolute-URI requests, as curl does.
      proxyTunnel: false,
      requestTls: { ...this.tls.target, timeout: this.pool.connectMs },
      proxyTls: { ...this.tls.proxy, timeout: this.pool.connectMs },
    });
    this.proxied.set(endpoint, agent);
    return agent;
  }

  private agentOptions(): Agent.Options {
    return {
      headersTimeout: this.pool.headersMs,
      bodyTimeout: this.pool.bodyMs,
      keepAliveTimeout: this.pool.keepAliveMs,
      keepAliveMaxTimeout: this.pool.keepAliveMaxMs,
      connections: this.pool.connectionsPerOrigin,
    };
  }
}
