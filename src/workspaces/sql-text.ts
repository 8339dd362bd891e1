/**
 * A small SQL lexer: enough to tell code from strings, quoted identifiers and comments, so a
 * program can be split into statements and its `${name}` parameters bound outside strings. It
 * decides nothing about safety: every piece it produces is parsed again by DuckDB and checked
 * by sql-guard.ts, and a piece holding two statements is refused there.
 */
import { quoteLiteral } from '../platform/engine/engine.js';
import { HdhError } from '../platform/errors.js';

export interface Segment {
  kind: 'code' | 'string' | 'identifier' | 'comment';
  text: string;
  start: number;
}

export function lex(sql: string): Segment[] {
  const out: Segment[] = [];
  let i = 0;
  let codeStart = 0;
  const flush = (end: number) => {
    if (end > codeStart) out.push({ kind: 'code', text: sql.slice(codeStart, end), start: codeStart });
  };
  const push = (kind: Segment['kind'], start: number, end: number) => {
    flush(start);
    out.push({ kind, text: sql.slice(start, end), start });
    codeStart = end;
    i = end;
  };
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      push('comment', i, end === -1 ? sql.length : end);
    } else if (c === '/' && next === '*') {
      let depth = 0;
      let j = i;
      while (j < sql.length) {
        if (sql.startsWith('/*', j)) {
          depth++;
          j += 2;
        } else if (sql.startsWith('*/', j)) {
          depth--;
          j += 2;
          if (depth === 0) break;
        } else j++;
      }
      push('comment', i, j);
    } else if (c === "'") {
      // E'…' strings take backslash escapes; plain ones only doubled quotes.
      const escapes = i > 0 && /[eE]/.test(sql[i - 1]!) && (i < 2 || !/[A-Za-z0-9_]/.test(sql[i - 2]!));
      let j = i + 1;
      while (j < sql.length) {
        if (escapes && sql[j] === '\\') j += 2;
        else if (sql[j] === "'" && sql[j + 1] === "'") j += 2;
        else if (sql[j] === "'") break;
        else j++;
      }
      push('string', i, Math.min(j + 1, sql.length));
    } else if (c === '"') {
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === '"' && sql[j + 1] === '"') j += 2;
        else if (sql[j] === '"') break;
        else j++;
      }
      push('identifier', i, Math.min(j + 1, sql.length));
    } else if (c === '$' && (i === 0 || !/[A-Za-z0-9_]/.test(sql[i - 1]!))) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        push('string', i, close === -1 ? sql.length : close + tag[0].length);
      } else i++;
    } else i++;
  }
  flush(sql.length);
  return out;
}

/** The statements of a program, split on semicolons outside strings and comments; empty ones dropped. */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current = '';
  for (const s of lex(sql)) {
    if (s.kind !== 'code') {
      current += s.text;
      continue;
    }
    const parts = s.text.split(';');
    current += parts[0];
    for (const p of parts.slice(1)) {
      statements.push(current);
      current = p;
    }
  }
  statements.push(current);
  return statements.filter((st) => lex(st).some((seg) => seg.kind !== 'comment' && (seg.kind !== 'code' || seg.text.trim() !== '')));
}

/** The text with comments blanked to spaces of the same length: offsets still point into the original. */
export function codeOnly(sql: string): string {
  return lex(sql)
    .map((s) => (s.kind === 'comment' ? s.text.replace(/[^\n]/g, ' ') : s.text))
    .join('');
}

export type ParameterValue = string | number;

/**
 * Replaces `${name}` in code (never inside strings or comments) by a SQL literal: a number as
 * written, a string quoted. An unknown name is an error naming it.
 */
export function bindParameters(sql: string, parameters: Record<string, ParameterValue>): string {
  return lex(sql)
    .map((s) => {
      if (s.kind !== 'code') return s.text;
      return s.text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => {
        if (!(name in parameters)) throw new HdhError('workspace.parameter_missing', 400, { name }, [{ location: `parameters.${name}`, message: 'used by the program, not given' }]);
        const v = parameters[name]!;
        if (typeof v === 'number') {
          if (!Number.isFinite(v)) throw new HdhError('workspace.parameter_invalid', 400, { name }, [{ location: `parameters.${name}`, message: 'not a finite number' }]);
          // Parenthesised: `x -${n}` with a negative n must not become a `--` comment.
          return v < 0 ? `(${v})` : String(v);
        }
        return quoteLiteral(v);
      });
    })
    .join('');
}
