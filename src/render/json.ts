/** The JSON contract: the Answer as is, pretty-printed. */
import type { Answer } from '../answer/types.js';

export function renderJson(answer: Answer): string {
  return `${JSON.stringify(answer, null, 2)}\n`;
}
