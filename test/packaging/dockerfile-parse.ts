/**
 * Just enough of Docker's formats for the packaging tests: Dockerfile instructions grouped by
 * stage (line continuations, comments, exec and shell forms, flags), and .dockerignore matching
 * (Go filepath.Match patterns plus `**`, later `!` lines re-include, a match excludes a folder's
 * contents). No Docker engine runs on the project's machines.
 */

export interface Instruction {
  /** Upper case: FROM, RUN, COPY, … */
  op: string;
  /** `--from=build` → { from: 'build' } */
  flags: Record<string, string>;
  /** The rest of the line after the flags. */
  rest: string;
  /** Exec form (a JSON array) when the rest is one; else undefined (shell form). */
  exec?: string[];
  line: number;
}

export interface Stage {
  image: string;
  name?: string;
  instructions: Instruction[];
}

function logicalLines(text: string): Array<{ text: string; line: number }> {
  const out: Array<{ text: string; line: number }> = [];
  let buf = '';
  let start = 0;
  text.split(/\r?\n/).forEach((raw, i) => {
    const trimmed = raw.trim();
    // Comments and blank lines are dropped, also inside a continued instruction (as Docker does).
    if (trimmed.startsWith('#') || (trimmed === '' && buf === '')) return;
    if (buf === '') start = i + 1;
    if (trimmed.endsWith('\\')) {
      buf += `${trimmed.slice(0, -1).trimEnd()} `;
      return;
    }
    buf += trimmed;
    if (buf.trim()) out.push({ text: buf.trim(), line: start });
    buf = '';
  });
  if (buf.trim()) throw new Error(`Dockerfile ends inside a continued line (line ${start})`);
  return out;
}

export function parseInstruction(text: string, line = 0): Instruction {
  const m = /^([A-Za-z]+)\s*(.*)$/s.exec(text);
  if (!m) throw new Error(`line ${line}: not an instruction: ${text}`);
  const op = m[1]!.toUpperCase();
  let rest = m[2]!;
  const flags: Record<string, string> = {};
  // HEALTHCHECK's options and COPY/RUN flags come before the arguments.
  for (let f = /^--([a-z-]+)(?:=(\S*))?\s+/.exec(rest); f; f = /^--([a-z-]+)(?:=(\S*))?\s+/.exec(rest)) {
    flags[f[1]!] = f[2] ?? 'true';
    rest = rest.slice(f[0].length);
  }
  let exec: string[] | undefined;
  const forExec = op === 'HEALTHCHECK' ? rest.replace(/^CMD\s+/, '') : rest;
  if (forExec.startsWith('[')) {
    const parsed = JSON.parse(forExec) as unknown;
    if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string')) throw new Error(`line ${line}: exec form must be an array of strings`);
    exec = parsed;
  }
  return { op, flags, rest, ...(exec ? { exec } : {}), line };
}

export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const l of logicalLines(text)) {
    const ins = parseInstruction(l.text, l.line);
    if (ins.op === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.rest);
      if (!m) throw new Error(`line ${l.line}: FROM ${ins.rest}`);
      stages.push({ image: m[1]!, ...(m[2] ? { name: m[2] } : {}), instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`line ${l.line}: ${ins.op} before FROM`);
    stage.instructions.push(ins);
  }
  return stages;
}

/** COPY's sources and destination (shell form; JSON form allowed too). */
export function copyArgs(ins: Instruction): { sources: string[]; dest: string } {
  const parts = ins.exec ?? ins.rest.split(/\s+/).filter(Boolean);
  if (parts.length < 2) throw new Error(`line ${ins.line}: COPY needs a source and a destination`);
  return { sources: parts.slice(0, -1), dest: parts.at(-1)! };
}

/** ENV KEY=VALUE … (unquoted or double-quoted values; the legacy `ENV KEY VALUE` form too). */
export function envArgs(ins: Instruction): Record<string, string> {
  const out: Record<string, string> = {};
  if (!ins.rest.includes('=')) {
    const [k, ...v] = ins.rest.split(/\s+/);
    out[k!] = v.join(' ');
    return out;
  }
  for (const m of ins.rest.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
    out[m[1]!] = m[2]!.startsWith('"') ? (JSON.parse(m[2]!) as string) : m[2]!;
  }
  return out;
}

function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      // `**/` matches any number of folders, including none.
      if (pattern[i + 2] === '/') {
        re += '(?:.*/)?';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** A .dockerignore: `ignored('node_modules/x/y.js')` answers as Docker's context filter does. */
export function dockerignore(text: string): (path: string) => boolean {
  const rules = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const p = (negate ? l.slice(1) : l).trim().replace(/^\/+/, '').replace(/\/+$/, '');
      return { negate, re: globToRegExp(p) };
    });
  return (path: string) => {
    const parts = path.replace(/^\.\//, '').split('/');
    let ignored = false;
    for (const r of rules) {
      // A pattern matching a folder takes everything under it.
      for (let n = 1; n <= parts.length; n++) {
        if (r.re.test(parts.slice(0, n).join('/'))) {
          ignored = !r.negate;
          break;
        }
      }
    }
    return ignored;
  };
}
