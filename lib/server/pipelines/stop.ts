// Stop strings over streamed text: text that could still become a stop string
// is held back; once a stop string appears, the text before it is released and
// generation ends (the stop string itself is never emitted, as in OpenAI's API).

export class StopMatcher {
  private pending = '';

  constructor(private readonly stops: readonly string[]) {}

  /** adds a decoded piece; returns the text safe to emit and whether a stop string was hit */
  push(piece: string): { emit: string; stopped: boolean } {
    this.pending += piece;
    let cut = -1;
    for (const s of this.stops) {
      if (s === '') continue;
      const at = this.pending.indexOf(s);
      if (at >= 0 && (cut < 0 || at < cut)) cut = at;
    }
    if (cut >= 0) {
      const emit = this.pending.slice(0, cut);
      this.pending = '';
      return { emit, stopped: true };
    }
    const hold = this.heldBack();
    const emit = this.pending.slice(0, this.pending.length - hold);
    this.pending = this.pending.slice(this.pending.length - hold);
    return { emit, stopped: false };
  }

  /** text held back when generation ends for another reason */
  flush(): string {
    const rest = this.pending;
    this.pending = '';
    return rest;
  }

  /** length of the longest suffix of pending that is a proper prefix of a stop string */
  private heldBack(): number {
    let best = 0;
    for (const s of this.stops) {
      for (let n = Math.min(s.length - 1, this.pending.length); n > best; n--) {
        if (this.pending.endsWith(s.slice(0, n))) {
          best = n;
          break;
        }
      }
    }
    return best;
  }
}
