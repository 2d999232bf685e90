/**
 * The seat a person plays `human:` models from: the model side asks (`play`) and waits; the play
 * screen reads the turn waiting for an answer (`current`), and answers it (`answer`). Leaving the
 * screen mid-turn (`leave`) fails the waiting call, which ends the episode as errored with the
 * reason, as a model that stopped answering would.
 */
import type { HumanAnswer, HumanPlayer, HumanTurn } from '../../../agents/index.js';

/** Thrown into the episode when the person leaves before answering. */
export class PlayerLeftError extends Error {}

export class PlaySeat implements HumanPlayer {
  private pending: { turn: HumanTurn; resolve: (a: HumanAnswer) => void; reject: (e: Error) => void } | undefined;
  private left: string | undefined;
  private readonly listeners = new Set<() => void>();

  play(turn: HumanTurn): Promise<HumanAnswer> {
    if (this.left !== undefined) return Promise.reject(new PlayerLeftError(this.left));
    return new Promise((resolve, reject) => {
      this.pending = { turn, resolve, reject };
      this.changed();
    });
  }

  /** The turn waiting for the person's answer, if any. */
  current(): HumanTurn | undefined {
    return this.pending?.turn;
  }

  /** Answers the waiting turn. */
  answer(answer: HumanAnswer): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    pending.resolve(answer);
    this.changed();
  }

  /** The person leaves: the waiting turn, and any later one, fails with `reason`. */
  leave(reason: string): void {
    this.left = reason;
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject(new PlayerLeftError(reason));
    this.changed();
  }

  /** Calls `listener` whenever a turn arrives or is answered; returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  private changed(): void {
    for (const l of [...this.listeners]) l();
  }
}
