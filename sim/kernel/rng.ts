import { sha256 } from './hash.js';

/** The whole state of a {@link SeededRng}: four 32-bit words, JSON-serializable. */
export type RngState = readonly [number, number, number, number];

/**
 * Seeded, serializable pseudo-random numbers (sfc32). The only source of randomness in peerlab:
 * every stochastic choice takes one of these, so a seed fixes a run.
 *
 * @example
 * const rng = SeededRng.fromSeed(42).fork('agent:subject');
 * rng.next(); // in [0, 1)
 */
export class SeededRng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  private constructor(state: RngState) {
    [this.a, this.b, this.c, this.d] = state;
  }

  /** A generator whose state is derived from a seed and an optional label. */
  static fromSeed(seed: number | string, label = ''): SeededRng {
    const digest = sha256(`${seed}\u0000${label}`);
    const words = [0, 8, 16, 24].map((i) => Number.parseInt(digest.slice(i, i + 8), 16) >>> 0);
    const rng = new SeededRng(words as unknown as RngState);
    for (let i = 0; i < 12; i++) rng.nextUint32(); // warm up away from the seeding pattern
    return rng;
  }

  /** Restores a generator from {@link SeededRng.state}. */
  static fromState(state: RngState): SeededRng {
    return new SeededRng(state);
  }

  /** An independent stream named by `label`, so adding draws in one place never shifts another. */
  fork(label: string): SeededRng {
    return SeededRng.fromSeed(this.state().join(','), label);
  }

  /** The current state; restoring it replays the same sequence. */
  state(): RngState {
    return [this.a, this.b, this.c, this.d];
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** A uniform number in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A standard Gumbel draw; adding these to scores and taking the max samples a softmax. */
  gumbel(): number {
    const u = Math.min(Math.max(this.next(), 1e-12), 1 - 1e-12);
    return -Math.log(-Math.log(u));
  }

  /** A standard normal draw (Box–Muller). */
  normal(): number {
    const u1 = Math.max(this.next(), 1e-12);
    const u2 = this.next();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
