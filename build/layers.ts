// The levels of lib/cli, as data and one pure checker. A file may import a room
// on its own level or below, never above, and the rooms' imports form no cycle
// (so two rooms on one level never import each other, even through a third).
// Unit tests (*.test.ts) are left out: a test may reach up for a fixture.
// A room not in the table fails the check: a new folder is placed on purpose.
//
//   1 entries    main.ts, cli.ts, node-engines.ts, commands/       parse flags, call one executor, map the exit code
//   2 executors  run/ capacity/ k6-operator/ compare/ gate/ one per job
//   3 steps      report/ distributed/ monitor/ outputs/ results-index/ remote-write/
//   4 plan       config/ run-plan/ workload/ k6/ bundle/   the knobs, the typed plan, its requests, k6 provisioning
//   5 ground     run-folder/ errors.ts paths.ts command-io.ts   file names, records, atomic writes

import { resolveRelative, importsOf, type Violation } from './boundaries.ts';

export const CLI_LEVELS: readonly (readonly string[])[] = [
  // cli.ts: where main.ts hands over once the Node version is checked, before any command is imported
  ['main.ts', 'cli.ts', 'node-engines.ts', 'commands'],
  ['run', 'capacity', 'k6-operator', 'compare', 'gate'],
  ['report', 'distributed', 'monitor', 'outputs', 'results-index', 'remote-write'],
  ['config', 'run-plan', 'workload', 'k6', 'bundle'],
  ['run-folder', 'errors.ts', 'paths.ts', 'command-io.ts'],
];

const LEVEL_NAMES = ['entries', 'executors', 'steps', 'plan', 'ground'];
const CLI = 'lib/cli/';

/** The room of a lib/cli path: its first folder, or the file's own name at the top; undefined outside lib/cli. */
export function cliRoomOf(path: string): string | undefined {
  if (!path.startsWith(CLI)) return undefined;
  const rest = path.slice(CLI.length);
  const slash = rest.indexOf('/');
  return slash < 0 ? rest : rest.slice(0, slash);
}

/** 1-based level of a room, undefined when the table does not place it. */
export function levelOf(room: string): number | undefined {
  const k = CLI_LEVELS.findIndex((rooms) => rooms.includes(room));
  return k < 0 ? undefined : k + 1;
}

const describe = (room: string): string => {
  const level = levelOf(room);
  return level === undefined ? room : `${room} (level ${level}, ${LEVEL_NAMES[level - 1]})`;
};

export interface SourceFile {
  /** path relative to the repo root, '/'-separated */
  file: string;
  source: string;
}

/** Every import of lib/cli product files that breaks the levels, and every cycle between rooms. */
export function checkLayers(files: readonly SourceFile[]): Violation[] {
  const out: Violation[] = [];
  const edges = new Map<string, Map<string, { file: string; specifier: string }>>();
  for (const { file, source } of files) {
    const from = cliRoomOf(file);
    if (from === undefined || file.endsWith('.test.ts')) continue;
    if (levelOf(from) === undefined) {
      out.push({
        file,
        specifier: '',
        rule: `lib/cli room '${from}' has no level: add it to CLI_LEVELS (build/layers.ts)`,
      });
      continue;
    }
    for (const specifier of importsOf(source)) {
      if (!specifier.startsWith('.')) continue;
      const to = cliRoomOf(resolveRelative(file, specifier));
      if (to === undefined || to === from) continue;
      const toLevel = levelOf(to);
      if (toLevel === undefined) {
        out.push({
          file,
          specifier,
          rule: `lib/cli room '${to}' has no level: add it to CLI_LEVELS (build/layers.ts)`,
        });
        continue;
      }
      if (toLevel < (levelOf(from) as number))
        out.push({
          file,
          specifier,
          rule: `lib/cli levels: ${describe(from)} must not import ${describe(to)}, a level above`,
        });
      const fromEdges = edges.get(from) ?? new Map<string, { file: string; specifier: string }>();
      if (!fromEdges.has(to)) fromEdges.set(to, { file, specifier });
      edges.set(from, fromEdges);
    }
  }
  for (const cycle of roomCycles(edges)) {
    const [first] = cycle;
    const via = cycle.map((room, k) => {
      const next = cycle[(k + 1) % cycle.length] as string;
      const at = edges.get(room)?.get(next);
      return `${room} -> ${next}${at === undefined ? '' : ` (${at.file})`}`;
    });
    const at = edges.get(first as string)?.get(cycle[1 % cycle.length] as string);
    out.push({
      file: at?.file ?? `${CLI}${first}`,
      specifier: at?.specifier ?? '',
      rule: `lib/cli rooms import each other in a cycle: ${via.join(', ')}`,
    });
  }
  return out;
}

/** One cycle (rooms in import order) per strongly connected group of rooms with more than one room (Tarjan). */
export function roomCycles(edges: ReadonlyMap<string, ReadonlyMap<string, unknown>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v) as number);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) groups.push(group);
    }
  };
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) visit(v);
  return groups.map((group) => cycleWithin(group, edges));
}

/** A closed walk through a strongly connected group, starting at its first room in name order. */
function cycleWithin(group: readonly string[], edges: ReadonlyMap<string, ReadonlyMap<string, unknown>>): string[] {
  const inGroup = new Set(group);
  const start = [...group].sort()[0] as string;
  // breadth-first from start back to start, inside the group: the shortest cycle through it
  const parent = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift() as string;
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!inGroup.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(parent.get(path[0] as string) as string);
        return path;
      }
      if (!parent.has(w)) {
        parent.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}
