/**
 * Messages between the hub and a sandboxed engine process (sandbox.ts ↔ sandbox-worker.ts). Plain
 * JSON-safe values only: rows are converted in the child, so nothing DuckDB-specific crosses.
 */

export interface SandboxOptions {
  /** The session's own database file (scratch tables and views live there). */
  databasePath: string;
  /** Per-process ceiling, e.g. '1024MB'. */
  memoryLimit: string;
  threads: number;
  /** Spill folder (inside the workspace). */
  tempDirectory: string;
  /** Largest spill, e.g. '4GB'. */
  maxTempDirectorySize: string;
  /**
   * The process's HOME and DuckDB's extension folder: outside every allowed folder, so an
   * INSTALL is refused by the engine itself instead of downloading anything.
   */
  homeDirectory: string;
  /** The only folders file-reading SQL may reach (the project's extract). */
  allowedDirectories: string[];
  /** Trusted statements run before the configuration is locked. */
  setup: string[];
  /**
   * Views (re)made at each open, tagged with a comment: views left by an earlier open with the
   * tag are dropped first; a user table already holding a new view's name is renamed aside.
   */
  taggedViews?: { tag: string; views: { name: string; sql: string }[] };
  /** Queries that may run at once (one connection each). */
  connections: number;
}

export interface ResultColumn {
  name: string;
  type: string;
}

export interface RunResult {
  columns: ResultColumn[];
  /** At most `maxRows` rows. */
  rows: unknown[][];
  /** More rows existed than `maxRows`. */
  truncated: boolean;
  /** Rows written by INSERT / CREATE TABLE AS, when the statement reports it. */
  rowsChanged: number | null;
  /** DuckDB's statement type name as it ran (SELECT, CREATE…): a second look after the parse check. */
  statementType: string;
}

export interface InspectResult {
  /** Statements DuckDB's parser finds in the text. */
  statementCount: number;
  /** `json_serialize_sql` of the SELECT part, or null when none was asked. */
  serialized: string | null;
}

/** A table or view of the session's database. */
export interface DatabaseObject {
  name: string;
  kind: 'table' | 'view';
  /** Carries the tag of `taggedViews` (made by the hub, not by the user). */
  tagged: boolean;
  columns: ResultColumn[];
}

export type SandboxRequest =
  | { kind: 'objects'; id: number; tag: string | null }
  | { kind: 'names'; id: number }
  | { kind: 'open'; id: number; options: SandboxOptions }
  | { kind: 'inspect'; id: number; sql: string; select: string | null }
  | { kind: 'run'; id: number; sql: string; maxRows: number }
  | { kind: 'progress'; id: number; target: number }
  | { kind: 'interrupt'; id: number; target: number }
  | { kind: 'close'; id: number };

export type SandboxResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: { message: string; interrupted: boolean } };
