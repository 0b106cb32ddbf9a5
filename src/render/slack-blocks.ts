/**
 * Block Kit primitives and Slack's limits: the only code that knows Block Kit, with
 * src/render/slack*.ts. Text from AWS (names, descriptions, rules) is escaped so it can never
 * produce a mention, a channel ping or a link; commands are shown verbatim in preformatted
 * rich text (no mrkdwn, no escaping, no character altered) or, when too long, as a snippet.
 *
 * Limits (Slack's Block Kit reference): 50 blocks per message; section text 3,000 characters;
 * header 150; context 10 elements; actions 25 elements; button text 75, value 2,000,
 * action_id 255; confirm title 100, text 300, buttons 30; message `text` 40,000.
 */

import { slackText } from './escape.js';

export const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  fallbackText: 3000,
  /** Our own budget for one preformatted block (kept under the section limit so it reads as one). */
  preformatted: 2900,
  /** Our own budget for one message's text across blocks (readable, and far from msg_too_long). */
  messageChars: 12_000,
} as const;

export type PlainText = { type: 'plain_text'; text: string; emoji?: boolean };
export type Mrkdwn = { type: 'mrkdwn'; text: string };
export interface Confirm {
  title: PlainText;
  text: Mrkdwn | PlainText;
  confirm: PlainText;
  deny: PlainText;
  style?: 'primary' | 'danger';
}
export interface Button {
  type: 'button';
  text: PlainText;
  action_id: string;
  value?: string;
  style?: 'primary' | 'danger';
  confirm?: Confirm;
}
export type RichText = {
  type: 'rich_text';
  elements: Array<{ type: 'rich_text_preformatted'; elements: Array<{ type: 'text'; text: string }> }>;
};

export type Block =
  | { type: 'header'; text: PlainText }
  | { type: 'section'; text: Mrkdwn }
  | { type: 'context'; elements: Mrkdwn[] }
  | { type: 'divider' }
  | { type: 'actions'; block_id?: string; elements: Button[] }
  | RichText;

export interface SlackMessage {
  /** Plain fallback for notifications and clients without blocks. */
  text: string;
  blocks: Block[];
}

/** A file to upload in the thread (long commands, long traces). */
export interface Snippet {
  filename: string;
  title: string;
  content: string;
}

/**
 * Text from AWS or from users, shown inside mrkdwn: escaped so it can produce no mention, no
 * link, no code block and no layout (src/render/escape.ts slackText).
 */
export const untrusted = (s: string): string => slackText(s);

export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

export const section = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) } });
export const header = (text: string): Block => ({ type: 'header', text: { type: 'plain_text', text: truncate(text, LIMITS.headerText), emoji: true } });
export const context = (...texts: string[]): Block => ({
  type: 'context',
  elements: texts.slice(0, LIMITS.contextElements).map((t) => ({ type: 'mrkdwn', text: truncate(t, LIMITS.sectionText) })),
});
export const divider = (): Block => ({ type: 'divider' });

/** A command exactly as it is (preformatted rich text is shown literally: no mrkdwn, no entities). */
export function preformatted(text: string): RichText {
  return { type: 'rich_text', elements: [{ type: 'rich_text_preformatted', elements: [{ type: 'text', text }] }] };
}

/** Whether a command can be shown verbatim in one preformatted block. */
export const fitsPreformatted = (text: string) => text.length <= LIMITS.preformatted && text.trim() !== '';

export function button(text: string, actionId: string, value?: string, opts: { style?: 'primary' | 'danger'; confirm?: Confirm } = {}): Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: truncate(text, LIMITS.buttonText), emoji: true },
    action_id: truncate(actionId, LIMITS.actionId),
    ...(value !== undefined ? { value: value.slice(0, LIMITS.buttonValue) } : {}),
    ...(opts.style ? { style: opts.style } : {}),
    ...(opts.confirm ? { confirm: opts.confirm } : {}),
  };
}

export function confirmDialog(title: string, text: string, yes: string, no = 'Cancel'): Confirm {
  return {
    title: { type: 'plain_text', text: truncate(title, LIMITS.confirmTitle) },
    text: { type: 'mrkdwn', text: truncate(text, LIMITS.confirmText) },
    confirm: { type: 'plain_text', text: truncate(yes, LIMITS.confirmButton) },
    deny: { type: 'plain_text', text: truncate(no, LIMITS.confirmButton) },
  };
}

/** Splits buttons into actions blocks of at most 25 elements. */
export function actions(buttons: Button[], blockId?: string): Block[] {
  const out: Block[] = [];
  for (let i = 0; i < buttons.length; i += LIMITS.actionsElements) {
    out.push({ type: 'actions', ...(blockId ? { block_id: `${blockId}${i ? `-${i}` : ''}` } : {}), elements: buttons.slice(i, i + LIMITS.actionsElements) });
  }
  return out;
}

/** Characters of text a block carries (our per-message budget). */
export function blockChars(b: Block): number {
  switch (b.type) {
    case 'header':
    case 'section':
      return b.text.text.length;
    case 'context':
      return b.elements.reduce((n, e) => n + e.text.length, 0);
    case 'rich_text':
      return b.elements.reduce((n, e) => n + e.elements.reduce((m, t) => m + t.text.length, 0), 0);
    case 'actions':
      return b.elements.reduce((n, e) => n + e.text.text.length + (e.value?.length ?? 0), 0);
    default:
      return 0;
  }
}

/**
 * Packs groups of blocks (a group is never split: a fix's title stays with its command) into
 * messages within the block and character budgets. `reserve` blocks are kept free in the first
 * message (its buttons and footer).
 */
export function pack(groups: Block[][], reserveFirst = 0): Block[][] {
  const messages: Block[][] = [[]];
  let chars = 0;
  for (const g of groups) {
    const gChars = g.reduce((n, b) => n + blockChars(b), 0);
    const cur = messages[messages.length - 1]!;
    const room = LIMITS.blocks - (messages.length === 1 ? reserveFirst : 0);
    if (cur.length > 0 && (cur.length + g.length > room || chars + gChars > LIMITS.messageChars)) {
      messages.push([...g]);
      chars = gChars;
    } else {
      cur.push(...g);
      chars += gChars;
    }
  }
  return messages;
}
