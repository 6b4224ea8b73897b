// Vega-Lite specs compiled with vega-lite and rendered to SVG by vega in Node
// (renderer 'none': no canvas, no browser). The SVG is inlined in the HTML.

import type { TopLevelSpec } from 'vega-lite';
import { compile } from 'vega-lite';
import { parse, View } from 'vega';

/** Size and look shared by every plot. */
export const CHART = { width: 620, height: 220 } as const;

export const CHART_CONFIG = {
  font: 'system-ui, sans-serif',
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#e6e6e6' },
  legend: { labelFontSize: 11, titleFontSize: 11, orient: 'bottom', labelLimit: 480 },
  title: { fontSize: 14, anchor: 'start' },
  view: { stroke: 'transparent' },
} as const;

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = compile({ ...spec, config: { ...CHART_CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec).spec;
  const view = new View(parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
