// Synthetic LLM requests: single prompts, shared system prompts and multi-turn chats.
//
// Multi-turn (turns k > 1): `inFlight` conversation slots are open at once; each
// LLM request picks a slot (seeded) and sends that conversation's next turn, and a
// slot whose conversation has sent all k turns starts a new one. So conversations
// interleave, and turn t of a conversation always comes after its turn t-1. Turn
// t's messages: the shared system prompt (if any), the earlier user turns each
// followed by an assistant reply of that turn's requested output length (synthetic
// text of exactly that many tokens), then the new user turn.
// Shared prefixes: `count` distinct system prompts of exactly `tokens` tokens; a
// fraction `share` of conversations (of requests, single-turn) carries one, picked
// uniformly; the prefix adds to the sampled input length.

import { mixSeed, seededUniform } from '../../shared/stats/random.ts';
import type { LlmItem, Message } from './items.ts';
import type { TokenPair } from './lengths.ts';
import { Purpose } from './seeds.ts';
import type { PromptMaker } from './synthetic.ts';

export interface PrefixSpec {
  count: number;
  tokens: number;
  /** fraction of requests (of conversations, multi-turn) with a shared system prompt, 0..1 */
  share: number;
}

interface Conversation {
  id: number;
  /** turns sent so far */
  turn: number;
  messages: Message[];
  tokens: number;
  prefix?: number;
  /** requested output tokens and request index of the last turn (its reply comes next) */
  lastOutput: number;
  lastIndex: number;
}

export class Conversations {
  private readonly slots: Array<Conversation | undefined>;
  private readonly systemPrompts = new Map<number, { text: string; tokens: number }>();
  private nextId = 0;

  constructor(
    private readonly maker: PromptMaker,
    private readonly seed: number,
    private readonly turns: number,
    inFlight: number,
    private readonly prefixes?: PrefixSpec,
  ) {
    this.slots = new Array<Conversation | undefined>(turns > 1 ? inFlight : 1).fill(undefined);
  }

  /** Request i: the next turn of a conversation, with the sampled lengths of its new user turn. */
  next(i: number, lengths: TokenPair): LlmItem {
    const s =
      this.slots.length === 1
        ? 0
        : Math.floor(seededUniform(mixSeed(this.seed, i, Purpose.slot))() * this.slots.length);
    let c = this.slots[s];
    if (c === undefined || c.turn >= this.turns) {
      c = this.open(i);
      this.slots[s] = c;
    }
    if (c.turn > 0) {
      const reply = this.maker.exact(c.lastOutput, mixSeed(this.seed, c.lastIndex, Purpose.reply));
      c.messages.push({ role: 'assistant', content: reply.text });
      c.tokens += c.lastOutput;
    }
    const user = this.maker.distinct(lengths.inputTokens, mixSeed(this.seed, i, Purpose.text));
    c.messages.push({ role: 'user', content: user.text });
    c.tokens += lengths.inputTokens;
    c.turn++;
    c.lastOutput = lengths.outputTokens;
    c.lastIndex = i;
    const item: LlmItem = {
      class: 'llm',
      messages: [...c.messages],
      inputTokens: c.tokens,
      outputTokens: lengths.outputTokens,
    };
    if (this.turns > 1) {
      item.conversation = c.id;
      item.turn = c.turn;
    }
    if (c.prefix !== undefined) item.prefix = c.prefix;
    return item;
  }

  private open(i: number): Conversation {
    const c: Conversation = { id: this.nextId++, turn: 0, messages: [], tokens: 0, lastOutput: 0, lastIndex: i };
    const pf = this.prefixes;
    if (pf !== undefined && pf.share > 0) {
      const u = seededUniform(mixSeed(this.seed, i, Purpose.prefix));
      if (u() < pf.share) {
        c.prefix = Math.floor(u() * pf.count);
        const system = this.systemPrompt(c.prefix, pf.tokens);
        c.messages.push({ role: 'system', content: system.text });
        c.tokens += system.tokens;
      }
    }
    return c;
  }

  /** Shared prompt p, built once (distinct from every other prompt's start). */
  private systemPrompt(p: number, tokens: number): { text: string; tokens: number } {
    let sp = this.systemPrompts.get(p);
    if (sp === undefined) {
      sp = { text: this.maker.distinct(tokens, mixSeed(this.seed, Purpose.prefixText, p)).text, tokens };
      this.systemPrompts.set(p, sp);
    }
    return sp;
  }
}
