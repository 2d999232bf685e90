import { describe, expect, it } from 'vitest';
import { EndpointGate, GateRegistry, Semaphore } from './endpoint-gate.js';

/** Lets queued promise callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Runs `n` calls one after the other, each ending with `outcome`. */
async function sequential(gate: EndpointGate, n: number, outcome: 'ok' | 'overloaded' | 'failed'): Promise<void> {
  for (let i = 0; i < n; i++) (await gate.acquire()).done(outcome);
}

describe('Semaphore', () => {
  it('admits up to its limit and the rest in arrival order', async () => {
    const s = new Semaphore(2);
    const order: number[] = [];
    const waits = [1, 2, 3, 4].map((i) => s.acquire().then(() => order.push(i)));
    await settle();
    expect(order).toEqual([1, 2]);
    expect(s.queued).toBe(2);
    s.release();
    await settle();
    expect(order).toEqual([1, 2, 3]);
    s.release();
    s.release();
    await Promise.all(waits);
    expect(order).toEqual([1, 2, 3, 4]);
  });

  it('refuses a limit below 1', () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });
});

describe('EndpointGate', () => {
  it('starts at its maximum and halves on each overload, never below 1', async () => {
    const gate = new EndpointGate(32);
    expect(gate.limit).toBe(32);
    const limits: number[] = [];
    for (let i = 0; i < 7; i++) {
      await sequential(gate, 1, 'overloaded');
      limits.push(gate.limit);
    }
    expect(limits).toEqual([16, 8, 4, 2, 1, 1, 1]);
  });

  it('grows by one after `limit` successes in a row, up to its maximum', async () => {
    const gate = new EndpointGate(4);
    await sequential(gate, 2, 'overloaded');
    expect(gate.limit).toBe(1);
    await sequential(gate, 1, 'ok');
    expect(gate.limit).toBe(2);
    await sequential(gate, 1, 'ok');
    expect(gate.limit).toBe(2);
    await sequential(gate, 1, 'ok');
    expect(gate.limit).toBe(3);
    await sequential(gate, 3, 'ok');
    expect(gate.limit).toBe(4);
    await sequential(gate, 100, 'ok');
    expect(gate.limit).toBe(4);
  });

  it('an overload breaks the streak; other failures change nothing', async () => {
    const gate = new EndpointGate(8);
    await sequential(gate, 1, 'overloaded');
    expect(gate.limit).toBe(4);
    await sequential(gate, 3, 'ok');
    await sequential(gate, 5, 'failed');
    expect(gate.limit).toBe(4);
    await sequential(gate, 1, 'ok');
    expect(gate.limit).toBe(5);
  });

  it('counts a burst of overloads from calls in flight together as one', async () => {
    const gate = new EndpointGate(8);
    const permits = await Promise.all(Array.from({ length: 8 }, () => gate.acquire()));
    for (const p of permits) p.done('overloaded');
    expect(gate.limit).toBe(4);
  });

  it('holds calls beyond a shrunken limit until enough have left', async () => {
    const gate = new EndpointGate(4);
    const first = await Promise.all(Array.from({ length: 4 }, () => gate.acquire()));
    first[0]!.done('overloaded'); // limit 2, three still in flight
    let admitted = false;
    void gate.acquire().then(() => { admitted = true; });
    await settle();
    expect(admitted).toBe(false);
    first[1]!.done('ok');
    await settle();
    expect(admitted).toBe(false); // two in flight: at the limit
    first[2]!.done('ok');
    await settle();
    expect(admitted).toBe(true);
  });

  it('run() releases its slot when the call throws and reports the outcome', async () => {
    const gate = new EndpointGate(2);
    await expect(gate.run(() => Promise.reject(new Error('busy')), () => 'overloaded')).rejects.toThrow('busy');
    expect(gate.inFlight).toBe(0);
    expect(gate.limit).toBe(1);
    expect(await gate.run(async () => 7)).toBe(7);
  });
});

describe('GateRegistry', () => {
  it('gives one gate per endpoint', () => {
    const gates = new GateRegistry({ perEndpoint: 3 });
    expect(gates.gate('http://a/v1')).toBe(gates.gate('http://a/v1/'));
    expect(gates.gate('http://a/v1')).not.toBe(gates.gate('http://b/v1'));
  });

  it('keeps all endpoints together under the global limit', async () => {
    const gates = new GateRegistry({ perEndpoint: 4, global: 5 });
    const a = gates.gate('http://a/v1');
    const b = gates.gate('http://b/v1');
    let admitted = 0;
    const all = [...Array.from({ length: 4 }, () => a.acquire()), ...Array.from({ length: 4 }, () => b.acquire())]
      .map((p) => p.then((permit) => { admitted += 1; return permit; }));
    await settle();
    expect(admitted).toBe(5);
    expect(a.inFlight + b.inFlight).toBe(8); // endpoint slots held, three of them waiting for a global one
    const firstFive = await Promise.all(all.slice(0, 4).concat(all[4]!));
    firstFive.forEach((p) => p.done('ok'));
    await settle();
    expect(admitted).toBe(8);
    expect(gates.snapshot()).toEqual({ 'http://a/v1': { limit: 4, inFlight: 0 }, 'http://b/v1': { limit: 4, inFlight: 3 } });
  });
});
