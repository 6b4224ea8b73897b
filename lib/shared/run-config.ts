// The resolved configuration of one run: built and validated by the CLI
// (lib/cli/config), frozen, written to the run folder as config.json (secrets
// redacted), and handed to k6 as ONE JSON value in the environment variable
// GENLOAD_CONFIG (read in exactly one place: lib/k6/config.ts).
// This schema is the single source of truth; the TypeScript type derives from it.
// k6-side code imports only the type (erased by esbuild), so zod never enters a bundle.

import { z } from 'zod';
import { sloSchema } from './slo/schema.ts';

export const RUN_CONFIG_SCHEMA_VERSION = 1;
export const RUN_CONFIG_ENV = 'GENLOAD_CONFIG';
/** the bearer token travels in its own variable and is never written to any file */
export const API_KEY_ENV = 'GENLOAD_API_KEY';
/** credentials found in TARGET (user:password@) travel base64-encoded here, never in the URL or a file */
export const BASIC_AUTH_ENV = 'GENLOAD_BASIC_AUTH';

/** Which wire protocol the target speaks (lib/shared/targets/apis.ts describes each). */
export const TARGET_APIS = [
  'reference',
  'openai-chat',
  'openai-completions',
  'openai-images',
  'tgi',
  'kserve-v2',
  'generic-json',
] as const;
export type TargetApi = (typeof TARGET_APIS)[number];

export const ARRIVALS = ['constant', 'poisson', 'gamma'] as const;
export type Arrival = (typeof ARRIVALS)[number];

export const targetSchema = z
  .object({
    /** base URL, e.g. http://127.0.0.1:8000 */
    url: z.string(),
    api: z.enum(TARGET_APIS),
    /** model id sent in requests; undefined lets the target module pick its default */
    model: z.string().optional(),
    /** true when genload started the reference server for this run */
    managed: z.boolean(),
    /** path (relative to url) probed for readiness before load is sent */
    readyPath: z.string(),
  })
  .strict();

export const loadSchema = z
  .object({
    /** open-model arrival rate for constant-rate scenarios, requests per second */
    rateRps: z.number().positive(),
    /** highest rate a ramp or breakpoint scenario may reach, requests per second */
    maxRateRps: z.number().positive(),
    /** measured duration (excluding warm-up), seconds */
    durationSeconds: z.number().positive(),
    /** warm-up traffic before measuring, tagged stage=warmup and kept out of SLO metrics */
    warmupSeconds: z.number().min(0),
    /** closed-model concurrency for VU-based scenarios */
    vus: z.number().int().positive(),
    /** cap on VUs an arrival-rate executor may allocate */
    maxVus: z.number().int().positive(),
    arrival: z.enum(ARRIVALS),
    /** seed for workload sampling and arrival jitter */
    seed: z.number().int().min(0),
    /** closed-model steps of the concurrency scenario: concurrent requests per step, ascending; absent: 1, 2, 4, ... up to maxVus */
    concurrency: z.array(z.number().int().positive()).min(1).optional(),
  })
  .strict();

export const workloadFileSchema = z
  .object({
    /** absolute path of workload.jsonl */
    path: z.string(),
    sha256: z.string(),
    /** requests in the file */
    count: z.number().int().positive(),
    /** synthetic, dataset, trace, or file (a previous run's workload.jsonl reused) */
    source: z.string(),
    /** input lengths were asked for in tokens (INPUT_TOKENS, TOKEN_PAIRS, TRACE, TOKENIZER): a server counting others is warned about */
    exactInput: z.boolean().optional(),
  })
  .strict();

export const runConfigSchema = z
  .object({
    schemaVersion: z.literal(RUN_CONFIG_SCHEMA_VERSION),
    /** scenario name: the file scenarios/<name>.ts */
    scenario: z.string(),
    runId: z.string(),
    /** absolute path of the run folder; handleSummary writes here */
    runDir: z.string(),
    target: targetSchema,
    load: loadSchema,
    /** the SLO profile file this run is judged by, or null */
    sloPath: z.string().nullable(),
    /** the parsed SLO (lib/shared/slo): the one given, else the scenario's default, resolved by the CLI (lib/cli/run-plan/slo.ts) */
    slo: sloSchema,
    /** workload knobs (prompt set, lengths, image sizes); schema owned by lib/shared/workload */
    workload: z.record(z.string(), z.unknown()),
    /** the requests of this run, built before k6 starts (lib/cli/workload): k6 sends line i of this file */
    workloadFile: workloadFileSchema,
  })
  .strict();

export type TargetConfig = z.infer<typeof targetSchema>;
export type LoadConfig = z.infer<typeof loadSchema>;
export type RunConfig = z.infer<typeof runConfigSchema>;
export type WorkloadFileRef = z.infer<typeof workloadFileSchema>;
