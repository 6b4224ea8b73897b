// Process exit codes of every genload command, in one place. The README's
// "Exit codes" table is checked against this object by a test.
// k6's own codes pass through where they mean the same thing (99).

export const ExitCode = {
  /** the run completed and every SLO threshold held */
  Passed: 0,
  /** an unexpected internal error (a bug in genload); the message has the stack */
  InternalError: 1,
  /** configuration (Make variables, environment, SLO file) is invalid; nothing ran */
  ConfigInvalid: 2,
  /** k6 could not be provisioned, or k6 failed for a reason other than thresholds */
  K6Unavailable: 3,
  /** the target did not answer before any load was sent, or went down mid-run */
  TargetUnreachable: 4,
  /** the load generator could not deliver the offered load: results are not valid evidence */
  RunInvalid: 5,
  /** capacity search: no rate at or above the lowest probed rate met the SLO */
  NoSustainableRate: 6,
  /** regression gate: a metric regressed beyond tolerance with statistical support */
  Regression: 7,
  /** the reference server could not start or did not become ready */
  ServerFailed: 8,
  /** an SLO threshold was breached (k6's own exit code for failed thresholds) */
  SloBreached: 99,
  /** interrupted by SIGINT or SIGTERM; partial results were kept */
  Interrupted: 130,
} as const;

export type ExitCodeName = keyof typeof ExitCode;
export type ExitCodeValue = (typeof ExitCode)[ExitCodeName];

/** k6's documented exit codes, used to translate a k6 exit status. */
export const K6ExitCode = {
  ThresholdsFailed: 99,
  SetupTimeout: 100,
  TeardownTimeout: 101,
  GenericTimeout: 102,
  GenericEngine: 103,
  InvalidConfig: 104,
  ExternalAbort: 105,
  CannotStartRestAPI: 106,
  ScriptException: 107,
  ScriptAborted: 108,
  TestFailed: 110,
} as const;

/**
 * Prefix of the exception a scenario throws in k6's init context when the run
 * config cannot work (e.g. a stage that cannot reach the SLO's minRequests);
 * the CLI finds it in k6's log and reports invalid configuration (exit 2).
 * Problems follow it, separated by "; ".
 */
export const K6_CONFIG_ERROR_PREFIX = 'genload config: ';
