/**
 * Loads the account config: the path given by the caller (a CLI flag) wins over SGWHY_CONFIG;
 * with neither, the default credential chain stands in as one account.
 */
import { readFile } from 'node:fs/promises';
import { parse, YAMLParseError } from 'yaml';
import { SgwhyError } from '../errors/errors.js';
import { readSgwhyEnv } from './env.js';
import type { SgwhyConfig } from './types.js';
import { implicitConfig, validateConfig } from './validate.js';

/** Parses config text (YAML, which includes JSON) and validates it. Pure. */
export function parseConfigText(text: string, source: string): SgwhyConfig {
  let doc: unknown;
  try {
    doc = parse(text, { prettyErrors: true, uniqueKeys: true });
  } catch (e) {
    const where = e instanceof YAMLParseError && e.linePos ? ` (line ${e.linePos[0].line}, column ${e.linePos[0].col})` : '';
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new SgwhyError('CONFIG_INVALID', `Cannot parse sgwhy config ${source}${where}: ${msg}`, { cause: e });
  }
  return validateConfig(doc, source);
}

export interface LoadConfigOptions {
  /** A path from a CLI flag; wins over SGWHY_CONFIG. */
  path?: string;
  /** Environment to read SGWHY_CONFIG from (defaults to process.env, read in env.ts). */
  env?: Readonly<Record<string, string | undefined>>;
}

export async function loadConfig(opts: LoadConfigOptions = {}): Promise<SgwhyConfig> {
  const path = opts.path ?? readSgwhyEnv(opts.env).configPath;
  if (!path) return implicitConfig();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SgwhyError('CONFIG_INVALID', `Cannot read sgwhy config ${path}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`, {
      cause: e,
      hints: ['Set SGWHY_CONFIG (or pass the config flag) to a YAML or JSON file listing the accounts.'],
    });
  }
  return parseConfigText(text, path);
}
