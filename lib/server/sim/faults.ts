// Fault injection for the sim engine, decided per request with seeded dice so
// a faulty run is reproducible for a given request order.
import type { FaultConfig } from '../config/schema.ts';
import { seededRandom } from './pace.ts';

export interface FaultPlan {
  /** fail at once with EngineError 'injected_fault' */
  readonly fail: boolean;
  /** extra time spent holding the slot before computing */
  readonly spikeMs: number;
  /** stop making progress half-way until the request is aborted */
  readonly stall: boolean;
  /** this request's start crashes the worker: every running request fails */
  readonly crash: boolean;
}

export class FaultDice {
  private readonly rand: () => number;
  private started = 0;

  constructor(private readonly config: FaultConfig) {
    this.rand = seededRandom(config.seed);
  }

  next(): FaultPlan {
    this.started++;
    const c = this.config;
    // always draw three numbers so each fault's dice do not depend on the others' settings
    const [e, s, st] = [this.rand(), this.rand(), this.rand()];
    return {
      fail: e < c.errorRate,
      spikeMs: s < c.spikeProbability ? c.spikeMs : 0,
      stall: st < c.stallProbability,
      crash: c.crashAfterRequests > 0 && this.started === c.crashAfterRequests,
    };
  }
}
