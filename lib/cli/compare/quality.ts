// Quality drift between two runs' outputs for the same prompts and seeds:
// each run saves outputs/<prompt-index>.png (images) or .txt (text); files with
// the same name are compared. Images: PSNR in dB (higher = closer; identical =
// Infinity) and mean absolute difference on 0-255; text: token agreement (share
// of positions with the same whitespace-separated token, over the longer text),
// plus character agreement and the common prefix (the same measures per
// character: what token agreement means for a byte-level model such as the
// reference server's, whose outputs often hold no whitespace at all).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import sharp from 'sharp';

export interface ImageDrift {
  name: string;
  psnrDb: number;
  meanAbsDiff: number;
}

export interface TextDrift {
  name: string;
  tokenAgreement: number;
  /** share of character positions that agree, over the longer text */
  charAgreement: number;
  /** characters before the first difference */
  commonPrefixChars: number;
}

export interface QualityDrift {
  compared: number;
  images: ImageDrift[];
  texts: TextDrift[];
  /** files present in only one run, or images whose sizes differ */
  unmatched: string[];
  /** images identical pixel for pixel (PSNR infinite, left out of meanPsnrDb) */
  identicalImages: number;
  /** mean PSNR over the images that differ; null when none differ */
  meanPsnrDb: number | null;
  minPsnrDb: number | null;
  meanAbsDiff: number | null;
  meanTokenAgreement: number | null;
  meanCharAgreement: number | null;
}

/** PSNR and mean absolute difference of two equal-length 8-bit buffers. */
export function imageDifference(a: Uint8Array, b: Uint8Array): { psnrDb: number; meanAbsDiff: number } {
  let sq = 0;
  let abs = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    sq += d * d;
    abs += Math.abs(d);
  }
  const mse = sq / a.length;
  return {
    psnrDb: mse === 0 ? Number.POSITIVE_INFINITY : 10 * Math.log10((255 * 255) / mse),
    meanAbsDiff: abs / a.length,
  };
}

export function tokenAgreement(a: string, b: string): number {
  const ta = a.trim().split(/\s+/).filter(Boolean);
  const tb = b.trim().split(/\s+/).filter(Boolean);
  const longest = Math.max(ta.length, tb.length);
  if (longest === 0) return 1;
  let same = 0;
  for (let i = 0; i < Math.min(ta.length, tb.length); i++) if (ta[i] === tb[i]) same++;
  return same / longest;
}

/** Character-level agreement (code points) and the length of the common prefix. */
export function charAgreement(a: string, b: string): { charAgreement: number; commonPrefixChars: number } {
  const ca = [...a];
  const cb = [...b];
  const longest = Math.max(ca.length, cb.length);
  let same = 0;
  let prefix = -1;
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    if (ca[i] === cb[i]) same++;
    else if (prefix < 0) prefix = i;
  }
  return {
    charAgreement: longest === 0 ? 1 : same / longest,
    commonPrefixChars: prefix < 0 ? Math.min(ca.length, cb.length) : prefix,
  };
}

async function rgb(path: string): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(path).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

const meanOf = (xs: number[]): number | null => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);

export async function qualityDrift(
  baseDir: string | undefined,
  candDir: string | undefined,
): Promise<QualityDrift | null> {
  if (baseDir === undefined || candDir === undefined || !existsSync(baseDir) || !existsSync(candDir)) return null;
  const baseFiles = new Set(readdirSync(baseDir));
  const candFiles = new Set(readdirSync(candDir));
  const images: ImageDrift[] = [];
  const texts: TextDrift[] = [];
  const unmatched = [...baseFiles, ...candFiles].filter((f) => !(baseFiles.has(f) && candFiles.has(f)));
  for (const name of [...baseFiles].filter((f) => candFiles.has(f)).sort()) {
    const ext = extname(name).toLowerCase();
    if (ext === '.png' || ext === '.jpg' || ext === '.jpeg' || ext === '.webp') {
      const [a, b] = await Promise.all([rgb(join(baseDir, name)), rgb(join(candDir, name))]);
      if (a.width !== b.width || a.height !== b.height)
        unmatched.push(`${name} (${a.width}x${a.height} vs ${b.width}x${b.height})`);
      else images.push({ name, ...imageDifference(a.data, b.data) });
    } else if (ext === '.txt') {
      const [a, b] = [readFileSync(join(baseDir, name), 'utf8'), readFileSync(join(candDir, name), 'utf8')];
      texts.push({ name, tokenAgreement: tokenAgreement(a, b), ...charAgreement(a, b) });
    }
  }
  if (images.length + texts.length === 0 && unmatched.length === 0) return null;
  const finitePsnr = images.map((i) => i.psnrDb);
  return {
    compared: images.length + texts.length,
    images,
    texts,
    unmatched,
    identicalImages: finitePsnr.filter((p) => !Number.isFinite(p)).length,
    meanPsnrDb: meanOf(finitePsnr.filter(Number.isFinite)),
    minPsnrDb: images.length > 0 ? Math.min(...finitePsnr) : null,
    meanAbsDiff: meanOf(images.map((i) => i.meanAbsDiff)),
    meanTokenAgreement: meanOf(texts.map((t) => t.tokenAgreement)),
    meanCharAgreement: meanOf(texts.map((t) => t.charAgreement)),
  };
}
