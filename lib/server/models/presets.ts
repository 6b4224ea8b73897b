// Size knobs of the built models, per preset. 'test' runs in milliseconds (unit
// tests), 'small' in tens of ms per image, 'realistic' in hundreds of ms per
// image on a 2-core CPU. Measured figures: lib/server/onnx/README.md.

export type SizePreset = 'test' | 'small' | 'realistic';

export interface DiffusionSize {
  /** byte tokens per prompt the text encoder reads (padded/truncated) */
  readonly textTokens: number;
  readonly textDim: number;
  readonly textLayers: number;
  readonly textHeads: number;
  /** latent channels (Stable Diffusion: 4); the latent is image / 8 per side */
  readonly latentChannels: number;
  /** denoiser width at full latent resolution; doubled after the downsample */
  readonly unetChannels: number;
  readonly unetBlocks: number;
  readonly unetHeads: number;
  readonly timeDim: number;
  /** VAE decoder widths from the latent up to full resolution (4 entries: 3 ×2 upsamples) */
  readonly vaeChannels: readonly [number, number, number, number];
  readonly imageSizes: readonly number[];
  readonly defaultSteps: number;
  readonly maxSteps: number;
}

export interface LlmSize {
  readonly dModel: number;
  readonly layers: number;
  readonly heads: number;
  readonly contextTokens: number;
}

export interface PresetSizes {
  readonly diffusion: DiffusionSize;
  readonly llm: LlmSize;
}

export const presets: Readonly<Record<SizePreset, PresetSizes>> = {
  test: {
    diffusion: {
      textTokens: 16,
      textDim: 32,
      textLayers: 1,
      textHeads: 2,
      latentChannels: 4,
      unetChannels: 16,
      unetBlocks: 1,
      unetHeads: 2,
      timeDim: 32,
      vaeChannels: [16, 16, 8, 8],
      imageSizes: [32, 64],
      defaultSteps: 4,
      maxSteps: 50,
    },
    llm: { dModel: 32, layers: 2, heads: 2, contextTokens: 256 },
  },
  small: {
    diffusion: {
      textTokens: 32,
      textDim: 128,
      textLayers: 2,
      textHeads: 4,
      latentChannels: 4,
      unetChannels: 48,
      unetBlocks: 1,
      unetHeads: 4,
      timeDim: 128,
      vaeChannels: [64, 48, 32, 16],
      imageSizes: [64, 128, 256],
      defaultSteps: 10,
      maxSteps: 100,
    },
    llm: { dModel: 128, layers: 4, heads: 4, contextTokens: 1024 },
  },
  realistic: {
    diffusion: {
      textTokens: 77,
      textDim: 256,
      textLayers: 4,
      textHeads: 8,
      latentChannels: 4,
      unetChannels: 96,
      unetBlocks: 2,
      unetHeads: 8,
      timeDim: 256,
      vaeChannels: [128, 96, 64, 32],
      imageSizes: [128, 256, 512],
      defaultSteps: 20,
      maxSteps: 150,
    },
    llm: { dModel: 384, layers: 6, heads: 6, contextTokens: 2048 },
  },
};
