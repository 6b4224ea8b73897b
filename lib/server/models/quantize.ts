// Symmetric int8 quantisation of weights, one scale per output channel, as
// ONNX Runtime's dynamic quantisation does for MatMul and Conv weights:
//   w ≈ q × scale[channel], q in [-127, 127], zero point 0.

export interface QuantizedWeight {
  readonly q: Int8Array;
  /** one scale per output channel */
  readonly scale: Float32Array;
}

/**
 * Quantises a weight whose output channel of element i is channelOf(i).
 * MatMul weights [in, out]: channel = i % out. Conv weights [out, in, k, k]: channel = floor(i / (in·k·k)).
 */
export function quantizePerChannel(
  w: Float32Array,
  channels: number,
  channelOf: (i: number) => number,
): QuantizedWeight {
  const maxAbs = new Float32Array(channels);
  for (let i = 0; i < w.length; i++) {
    const c = channelOf(i);
    const a = Math.abs(w[i]!);
    if (a > maxAbs[c]!) maxAbs[c] = a;
  }
  const scale = maxAbs.map((m) => (m > 0 ? m / 127 : 1));
  const q = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++) q[i] = Math.max(-127, Math.min(127, Math.round(w[i]! / scale[channelOf(i)]!)));
  return { q, scale };
}

export function quantizeMatMulWeight(w: Float32Array, outDim: number): QuantizedWeight {
  return quantizePerChannel(w, outDim, (i) => i % outDim);
}

export function quantizeConvWeight(w: Float32Array, outChannels: number): QuantizedWeight {
  const perChannel = w.length / outChannels;
  return quantizePerChannel(w, outChannels, (i) => Math.floor(i / perChannel));
}
