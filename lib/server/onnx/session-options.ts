// How every InferenceSession is created, and the explicit CPU fallback when
// the requested execution provider cannot load (ORT throws at session creation
// and does not fall back by itself).
import ort from 'onnxruntime-node';

export type ProviderName = 'cpu' | 'cuda' | 'webgpu';

export function sessionOptions(provider: ProviderName, threads: number): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: [provider],
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    // idle intra-op threads sleep instead of spinning: spinning burnt ~1 core when idle (FACTS.md)
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  };
}

/** creates the sessions with `provider`, or with cpu when it cannot load; reports which */
export async function createSessions(
  paths: readonly { key: string; path: string }[],
  provider: ProviderName,
  threads: number,
): Promise<{ sessions: Map<string, ort.InferenceSession>; provider: ProviderName; fallbackReason?: string }> {
  const load = async (p: ProviderName) => {
    const sessions = new Map<string, ort.InferenceSession>();
    for (const { key, path } of paths)
      sessions.set(key, await ort.InferenceSession.create(path, sessionOptions(p, threads)));
    return sessions;
  };
  if (provider === 'cpu') return { sessions: await load('cpu'), provider };
  try {
    return { sessions: await load(provider), provider };
  } catch (err) {
    const reason = `provider ${provider} could not load, using cpu; reason: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
    return { sessions: await load('cpu'), provider: 'cpu', fallbackReason: reason };
  }
}
