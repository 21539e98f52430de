import { FakeClock } from '../../time';
import { RateLimiterRegistry, globalRateLimiterRegistry, sharedRateLimiter } from './rate-limiter-registry';

const T0 = Date.UTC(2026, 0, 1);

interface RegistryModule {
  readonly RateLimiterRegistry: typeof RateLimiterRegistry;
  readonly sharedRateLimiter: typeof sharedRateLimiter;
}

describe('RateLimiterRegistry', () => {
  test('one instance per key: callers of one connection share a budget', async () => {
    const clock = new FakeClock(T0);
    const registry = new RateLimiterRegistry();
    const options = { limit: 1, periodMs: 1_000, clock };
    const nodeA = registry.get('sap-prod', options);
    const nodeB = registry.get('sap-prod', options);
    expect(nodeB).toBe(nodeA);

    await nodeA.acquire();
    let bGranted: number | undefined;
    const b = nodeB.acquire().then(() => (bGranted = clock.now()));
    await clock.runAll();
    await b;
    expect(bGranted).toBe(T0 + 1_000);
  });

  test('different keys get independent limiters', async () => {
    const clock = new FakeClock(T0);
    const registry = new RateLimiterRegistry();
    const sap = registry.get('sap-prod', { limit: 1, periodMs: 1_000, clock });
    const dynamics = registry.get('d365-prod', { limit: 1, periodMs: 1_000, clock });
    expect(dynamics).not.toBe(sap);
    sap.pauseUntil(T0 + 60_000);
    await dynamics.acquire();
    expect(clock.now()).toBe(T0);
    expect(registry.size).toBe(2);
  });

  test('a key asked for with new options keeps its instance and takes the new options', async () => {
    const clock = new FakeClock(T0);
    const registry = new RateLimiterRegistry();
    const before = registry.get('sap-prod', { limit: 1, periodMs: 1_000, clock });
    await before.acquire();
    const after = registry.get('sap-prod', { limit: 2, periodMs: 500, clock });
    expect(after).toBe(before);
    expect(after.options).toEqual({ limit: 2, periodMs: 500 });
    await after.acquire(); // the second slot of the new limit, at once
    expect(clock.now()).toBe(T0);
  });

  test('delete forgets a key; the next get creates a fresh limiter', () => {
    const registry = new RateLimiterRegistry();
    const first = registry.get('sap-prod', { limit: 1, periodMs: 1_000 });
    expect(registry.delete('sap-prod')).toBe(true);
    expect(registry.has('sap-prod')).toBe(false);
    expect(registry.get('sap-prod', { limit: 1, periodMs: 1_000 })).not.toBe(first);
    expect(registry.delete('never-registered')).toBe(false);
  });
});

describe('sharedRateLimiter', () => {
  afterEach(() => {
    globalRateLimiterRegistry().delete('test-connection');
  });

  test('is the process-wide registry', () => {
    const limiter = sharedRateLimiter('test-connection', { limit: 5, periodMs: 1_000 });
    expect(globalRateLimiterRegistry().get('test-connection', { limit: 5, periodMs: 1_000 })).toBe(limiter);
  });

  test('two copies of the runtime in one process (n8n and Node-RED) share one limiter', () => {
    const fromHere = sharedRateLimiter('test-connection', { limit: 5, periodMs: 1_000 });
    let otherCopy: RegistryModule | undefined;
    jest.isolateModules(() => {
      otherCopy = jest.requireActual<RegistryModule>('./rate-limiter-registry');
    });
    expect(otherCopy).toBeDefined();
    expect(otherCopy!.RateLimiterRegistry).not.toBe(RateLimiterRegistry); // really a second copy of the module
    expect(otherCopy!.sharedRateLimiter('test-connection', { limit: 5, periodMs: 1_000 })).toBe(fromHere);
  });
});
