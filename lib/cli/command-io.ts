// Where a command prints and what time it is; tests pass their own.

export interface CommandIo {
  out?: (text: string) => void;
  now?: Date;
}
