// The capacity plan: from the sustainable rate of one replica, how many
// replicas a target peak needs with headroom, and what it costs. Pure.
//   usable rate per replica = sustainable × (1 - headroom)
//   replicas                = ceil(peak / usable)
//   cost per 1,000 requests = price per replica-hour / (sustainable × 3600) × 1000
// Unit costs are at the sustainable rate (a replica run at its limit); the
// fleet cost per hour is for the replicas the peak needs.

export interface PlanInput {
  /** sustainable rate of one replica, requests per second */
  sustainableRps: number;
  /** measured at the sustainable step: output tokens and images per request (0 when the traffic has none) */
  outputTokensPerRequest: number;
  imagesPerRequest: number;
  /** expected peak, requests per second; null: no replica count */
  peakRps: number | null;
  /** share of each replica's sustainable rate kept spare, 0 <= headroom < 1 (0.2: run at most at 80 %) */
  headroomRatio: number;
  /** price of one GPU-hour or instance-hour; null: no costs */
  pricePerHour: number | null;
  /** GPUs (or instances) one replica occupies */
  unitsPerReplica: number;
  currency: string;
}

export interface ReplicaPlan {
  sustainableRps: number;
  requestsPerHour: number;
  imagesPerSecond: number;
  outputTokensPerSecond: number;
  headroomRatio: number;
  /** rate one replica is planned to carry: sustainable × (1 - headroom) */
  usableRpsPerReplica: number;
  peakRps: number | null;
  replicas: number | null;
  /** peak / (replicas × sustainable): how loaded the fleet is at peak */
  peakUtilization: number | null;
  currency: string;
  pricePerReplicaHour: number | null;
  fleetCostPerHour: number | null;
  costPer1kRequests: number | null;
  /** null when the traffic produces no images (or tokens) */
  costPer1kImages: number | null;
  costPerMillionOutputTokens: number | null;
}

/** Problems with the inputs, one line each (empty when fine). */
export function checkPlanInput(p: PlanInput): string[] {
  const problems: string[] = [];
  if (!(p.sustainableRps > 0)) problems.push(`sustainableRps: must be greater than 0, but is ${p.sustainableRps}`);
  if (p.peakRps !== null && !(p.peakRps > 0)) problems.push(`peakRps: must be greater than 0, but is ${p.peakRps}`);
  if (!(p.headroomRatio >= 0 && p.headroomRatio < 1))
    problems.push(`headroomRatio: must be at least 0 and below 1, but is ${p.headroomRatio}`);
  if (p.pricePerHour !== null && !(p.pricePerHour >= 0))
    problems.push(`pricePerHour: must be at least 0, but is ${p.pricePerHour}`);
  if (!(p.unitsPerReplica > 0)) problems.push(`unitsPerReplica: must be greater than 0, but is ${p.unitsPerReplica}`);
  if (!(p.outputTokensPerRequest >= 0) || !(p.imagesPerRequest >= 0))
    problems.push('outputTokensPerRequest and imagesPerRequest: must be at least 0');
  return problems;
}

export function replicaPlan(p: PlanInput): ReplicaPlan {
  const problems = checkPlanInput(p);
  if (problems.length > 0) throw new Error(`capacity plan: ${problems.join('; ')}`);
  const imagesPerSecond = p.sustainableRps * p.imagesPerRequest;
  const outputTokensPerSecond = p.sustainableRps * p.outputTokensPerRequest;
  const usable = p.sustainableRps * (1 - p.headroomRatio);
  const replicas = p.peakRps === null ? null : Math.max(1, Math.ceil(p.peakRps / usable - 1e-9));
  const pricePerReplicaHour = p.pricePerHour === null ? null : p.pricePerHour * p.unitsPerReplica;
  const perUnit = (unitsPerSecond: number, per: number): number | null =>
    pricePerReplicaHour === null || unitsPerSecond <= 0 ? null : (pricePerReplicaHour / (unitsPerSecond * 3600)) * per;
  return {
    sustainableRps: p.sustainableRps,
    requestsPerHour: p.sustainableRps * 3600,
    imagesPerSecond,
    outputTokensPerSecond,
    headroomRatio: p.headroomRatio,
    usableRpsPerReplica: usable,
    peakRps: p.peakRps,
    replicas,
    peakUtilization: replicas === null || p.peakRps === null ? null : p.peakRps / (replicas * p.sustainableRps),
    currency: p.currency,
    pricePerReplicaHour,
    fleetCostPerHour: replicas === null || pricePerReplicaHour === null ? null : replicas * pricePerReplicaHour,
    costPer1kRequests: perUnit(p.sustainableRps, 1000),
    costPer1kImages: perUnit(imagesPerSecond, 1000),
    costPerMillionOutputTokens: perUnit(outputTokensPerSecond, 1_000_000),
  };
}

/** The plan as a few readable lines (the CLI prints them; the report renders its own). */
export function describePlan(plan: ReplicaPlan): string[] {
  const money = (x: number | null): string =>
    x === null ? 'n/a' : `${x < 0.01 && x > 0 ? x.toPrecision(2) : x.toFixed(2)} ${plan.currency}`;
  const lines = [
    `per replica at ${plan.sustainableRps} rps: ${plan.imagesPerSecond.toFixed(2)} images/s, ${plan.outputTokensPerSecond.toFixed(1)} output tokens/s`,
  ];
  if (plan.replicas !== null) {
    lines.push(
      `peak ${plan.peakRps} rps with ${(plan.headroomRatio * 100).toFixed(0)} % headroom: ${plan.replicas} replica${plan.replicas === 1 ? '' : 's'} (${((plan.peakUtilization ?? 0) * 100).toFixed(0)} % loaded at peak)`,
    );
  }
  if (plan.pricePerReplicaHour !== null) {
    lines.push(
      `cost: ${money(plan.fleetCostPerHour)}/h for the fleet; per 1,000 requests ${money(plan.costPer1kRequests)}, per 1,000 images ${money(plan.costPer1kImages)}, per million output tokens ${money(plan.costPerMillionOutputTokens)}`,
    );
  }
  return lines;
}
