// The registry of genload commands: one line per command, each implemented in its
// own file in this folder. `extraFlags` are flags beyond the load knobs (lib/cli/config/knobs.ts).

import { listScenarios } from '../bundle/bundle.ts';
import { ExitCode } from '../../shared/exit-codes.ts';
import { CAPACITY_FLAG_NAMES } from '../capacity/settings.ts';
import { runCapacity } from './capacity.ts';
import { COMPARE_FLAGS, runCompare } from './compare.ts';
import { runConfig } from './config.ts';
import { GATE_FLAGS, runGate } from './gate.ts';
import { listSloProfiles } from '../config/slo-file.ts';
import { runLoad } from './load.ts';
import { PACKAGE_OPERATOR_FLAGS, runPackageOperator } from './package-operator.ts';
import { REPORT_FLAGS, runReport } from './report.ts';

export interface Command {
  help: string;
  /** names of command-specific flags (string-valued), e.g. ['base', 'cand'] */
  extraFlags?: readonly string[];
  run(flags: Record<string, string | undefined>): Promise<number>;
}

export const COMMANDS: Readonly<Record<string, Command>> = {
  load: {
    help: 'run one scenario against TARGET (or the local reference server) into a new run folder',
    run: (flags) => runLoad({ flags, env: process.env }),
  },
  capacity: {
    help: 'find the highest request rate the target sustains inside the SLO, with evidence; plan replicas and cost',
    extraFlags: CAPACITY_FLAG_NAMES,
    run: (flags) => runCapacity(flags),
  },
  report: {
    help: 'render report.html, report.md and junit.xml for a run folder (default: the latest)',
    extraFlags: REPORT_FLAGS,
    run: (flags) => runReport(flags),
  },
  compare: {
    help: 'compare two runs: percentiles, block-bootstrap intervals, verdict per metric',
    extraFlags: COMPARE_FLAGS,
    run: (flags) => runCompare(flags),
  },
  gate: {
    help: 'fail (exit 7) when a run regressed against a baseline beyond tolerance, with statistical support',
    extraFlags: GATE_FLAGS,
    run: (flags) => runGate(flags),
  },
  'package-operator': {
    help: 'bundle a scenario into k6-operator manifests (ConfigMap + TestRun) for a cluster run',
    extraFlags: PACKAGE_OPERATOR_FLAGS,
    run: (flags) => runPackageOperator(flags),
  },
  config: {
    help: 'print the resolved load configuration (each value and its source) as JSON; nothing runs',
    run: (flags) => runConfig(flags),
  },
  scenarios: {
    help: 'list the available scenarios and SLO profiles',
    run: async () => {
      process.stdout.write(`scenarios: ${listScenarios().join(', ')}\nslo profiles: ${listSloProfiles().join(', ')}\n`);
      return ExitCode.Passed;
    },
  },
};
