/**
 * Block Kit validation as Slack's Web API applies it (the fake Slack's `invalid_blocks`).
 *
 * Each limit below is taken from Slack's Block Kit reference (docs.slack.dev/reference/block-kit/…,
 * formerly api.slack.com/reference/block-kit/…):
 * - blocks: "You can include up to 50 blocks in each message, and 100 blocks in modals or Home tabs"
 *   (reference/block-kit/blocks).
 * - section (blocks/section-block): `text` "Minimum length … is 1 and maximum length is 3000
 *   characters"; not required if `fields` is given; `fields` "Maximum number of items is 10. Maximum
 *   length for the text in each item is 2000 characters".
 * - header (blocks/header-block): a `plain_text` text object, "Maximum length … is 150 characters".
 * - context: image, plain_text or mrkdwn elements, "Maximum number of items is 10" (Slack's ContextBlock
 *   reference in docs.slack.dev/tools/node-slack-sdk/reference/types/interfaces/ContextBlock).
 * - actions (api.slack.com/reference/block-kit/blocks#actions): "There is a maximum of 25 elements in
 *   each action block".
 * - every block: `block_id` "Maximum length for this field is 255 characters", unique per message.
 * - button (block-elements/button-element): `text` plain_text only, max 75 characters; `action_id`
 *   max 255 (and unique among the message's elements); `value` max 2000; `url` max 3000; `style`
 *   `primary` or `danger`; `accessibility_label` max 75.
 * - confirmation dialog (composition-objects/confirmation-dialog-object): `title` plain_text max
 *   100, `text` max 300, `confirm` and `deny` plain_text max 30 each; all four required.
 * - text object (composition-objects/text-object): `type` `plain_text` or `mrkdwn`, `text` at least 1
 *   character, at most 3000.
 * - markdown block (blocks/markdown-block): `text` max 12,000 characters.
 * - image block (blocks/image-block): `image_url` max 3000 (or `slack_file`), `alt_text` required,
 *   max 2000; `title` plain_text max 2000.
 * - modal view (reference/views): `title` max 24, `submit` / `close` max 24, `callback_id` max 255,
 *   `private_metadata` max 3000, up to 100 blocks.
 *
 * Error strings follow Slack's shape, "<what> [json-pointer:/blocks/3/text/text]", with the wording
 * Slack returns where it is known from real responses: "must be less than 3001 characters", "must be
 * more than 0 characters", "no more than 50 items allowed", "unsupported type: x", "must define either
 * `text` or `fields`", "`action_id` \"x\" already exists". Lengths are counted in UTF-16 code units
 * (JavaScript's `length`), the stricter reading: a renderer that fits this fits Slack.
 */

export type Surface = 'message' | 'modal';

const TEXT_TYPES = ['plain_text', 'mrkdwn'];
/** Interactive elements Slack accepts in an actions block or as a section accessory. */
const INTERACTIVE = new Set([
  'button', 'checkboxes', 'datepicker', 'datetimepicker', 'timepicker', 'overflow', 'radio_buttons', 'workflow_button',
  'static_select', 'external_select', 'users_select', 'conversations_select', 'channels_select',
  'multi_static_select', 'multi_external_select', 'multi_users_select', 'multi_conversations_select', 'multi_channels_select',
]);
const MESSAGE_BLOCKS = new Set(['section', 'header', 'context', 'actions', 'divider', 'image', 'markdown', 'rich_text', 'file', 'video']);
const MODAL_BLOCKS = new Set([...MESSAGE_BLOCKS, 'input']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class Checker {
  readonly errors: string[] = [];
  private readonly actionIds = new Set<string>();
  private readonly blockIds = new Set<string>();

  err(msg: string, ptr: string): void {
    this.errors.push(`${msg} [json-pointer:${ptr}]`);
  }

  /** A string field of at most `max` characters (and at least `min`). */
  str(o: Obj, key: string, ptr: string, max: number, opts: { required?: boolean; min?: number } = {}): string | undefined {
    const v = o[key];
    if (v === undefined) {
      if (opts.required) this.err(`missing required field: ${key}`, ptr);
      return undefined;
    }
    if (typeof v !== 'string') {
      this.err('must provide a string', `${ptr}/${key}`);
      return undefined;
    }
    if (v.length < (opts.min ?? 0)) this.err(`must be more than ${(opts.min ?? 1) - 1} characters`, `${ptr}/${key}`);
    if (v.length > max) this.err(`must be less than ${max + 1} characters`, `${ptr}/${key}`);
    return v;
  }

  /** A text object: `{type: plain_text|mrkdwn, text}` with 1..max characters. */
  text(v: unknown, ptr: string, max: number, plainOnly = false): void {
    if (!isObj(v)) {
      this.err('must provide an object', ptr);
      return;
    }
    const type = v.type;
    if (typeof type !== 'string' || !TEXT_TYPES.includes(type)) this.err('must be a valid enum value', `${ptr}/type`);
    else if (plainOnly && type !== 'plain_text') this.err('must be a valid enum value (plain_text)', `${ptr}/type`);
    this.str(v, 'text', ptr, max, { required: true, min: 1 });
  }

  blockId(b: Obj, ptr: string): void {
    const id = this.str(b, 'block_id', ptr, 255);
    if (id === undefined) return;
    if (this.blockIds.has(id)) this.err(`\`block_id\` "${id}" already exists`, `${ptr}/block_id`);
    this.blockIds.add(id);
  }

  confirm(v: unknown, ptr: string): void {
    if (!isObj(v)) return this.err('must provide an object', ptr);
    for (const [key, max, plain] of [['title', 100, true], ['text', 300, false], ['confirm', 30, true], ['deny', 30, true]] as const) {
      if (v[key] === undefined) this.err(`missing required field: ${key}`, ptr);
      else this.text(v[key], `${ptr}/${key}`, max, plain);
    }
    if (v.style !== undefined && v.style !== 'primary' && v.style !== 'danger') this.err('must be a valid enum value', `${ptr}/style`);
  }

  /** An interactive element (actions block, section accessory, input). */
  element(e: unknown, ptr: string, allowImage: boolean): void {
    if (!isObj(e)) return this.err('must provide an object', ptr);
    const type = e.type;
    if (typeof type !== 'string') return this.err('missing required field: type', ptr);
    if (type === 'image' && allowImage) return this.image(e, ptr, false);
    if (!INTERACTIVE.has(type) && !(type === 'plain_text_input')) return this.err(`unsupported type: ${type}`, `${ptr}/type`);
    const actionId = this.str(e, 'action_id', ptr, 255, { required: type === 'workflow_button' });
    if (actionId !== undefined) {
      if (this.actionIds.has(actionId)) this.err(`\`action_id\` "${actionId}" already exists`, `${ptr}/action_id`);
      this.actionIds.add(actionId);
    }
    if (e.confirm !== undefined) this.confirm(e.confirm, `${ptr}/confirm`);
    if (type === 'button' || type === 'workflow_button') {
      if (e.text === undefined) this.err('missing required field: text', ptr);
      else this.text(e.text, `${ptr}/text`, 75, true);
      this.str(e, 'value', ptr, 2000);
      this.str(e, 'url', ptr, 3000);
      this.str(e, 'accessibility_label', ptr, 75);
      if (e.style !== undefined && e.style !== 'primary' && e.style !== 'danger') this.err('must be a valid enum value', `${ptr}/style`);
    }
  }

  image(o: Obj, ptr: string, isBlock: boolean): void {
    if (o.image_url === undefined && o.slack_file === undefined) this.err('must provide either `image_url` or `slack_file`', ptr);
    this.str(o, 'image_url', ptr, 3000, { min: 1 });
    this.str(o, 'alt_text', ptr, 2000, { required: true, min: 1 });
    if (isBlock && o.title !== undefined) this.text(o.title, `${ptr}/title`, 2000, true);
  }

  block(b: unknown, ptr: string, surface: Surface): void {
    if (!isObj(b)) return this.err('must provide an object', ptr);
    const type = b.type;
    if (typeof type !== 'string') return this.err('missing required field: type', ptr);
    if (!(surface === 'modal' ? MODAL_BLOCKS : MESSAGE_BLOCKS).has(type)) return this.err(`unsupported type: ${type}`, `${ptr}/type`);
    this.blockId(b, ptr);
    switch (type) {
      case 'section':
        if (b.text === undefined && b.fields === undefined) this.err('must define either `text` or `fields`', `${ptr}/type`);
        if (b.text !== undefined) this.text(b.text, `${ptr}/text`, 3000);
        if (b.fields !== undefined) {
          if (!Array.isArray(b.fields)) this.err('must provide an array', `${ptr}/fields`);
          else {
            if (b.fields.length > 10) this.err('no more than 10 items allowed', `${ptr}/fields`);
            b.fields.forEach((f, i) => this.text(f, `${ptr}/fields/${i}`, 2000));
          }
        }
        if (b.accessory !== undefined) this.element(b.accessory, `${ptr}/accessory`, true);
        return;
      case 'header':
        if (b.text === undefined) return this.err('missing required field: text', ptr);
        return this.text(b.text, `${ptr}/text`, 150, true);
      case 'context':
        return this.list(b, ptr, 10, (e, p) => {
          if (isObj(e) && e.type === 'image') this.image(e, p, false);
          else if (isObj(e) && typeof e.type === 'string' && !TEXT_TYPES.includes(e.type)) this.err(`unsupported type: ${e.type}`, `${p}/type`);
          else this.text(e, p, 3000);
        });
      case 'actions':
        return this.list(b, ptr, 25, (e, p) => this.element(e, p, false));
      case 'image':
        return this.image(b, ptr, true);
      case 'markdown':
        this.str(b, 'text', ptr, 12_000, { required: true, min: 1 });
        return;
      case 'rich_text':
        if (!Array.isArray(b.elements)) this.err('missing required field: elements', ptr);
        return;
      case 'input':
        if (b.label === undefined) this.err('missing required field: label', ptr);
        else this.text(b.label, `${ptr}/label`, 2000, true);
        if (b.element === undefined) this.err('missing required field: element', ptr);
        else this.element(b.element, `${ptr}/element`, false);
        return;
      default:
        return; // divider, file, video: no limits this bot can reach
    }
  }

  /** `elements`: required, 1..max items, each checked. */
  private list(b: Obj, ptr: string, max: number, each: (e: unknown, p: string) => void): void {
    if (!Array.isArray(b.elements)) return this.err('missing required field: elements', ptr);
    if (b.elements.length === 0) this.err('must provide at least 1 items', `${ptr}/elements`);
    if (b.elements.length > max) this.err(`no more than ${max} items allowed`, `${ptr}/elements`);
    b.elements.forEach((e, i) => each(e, `${ptr}/elements/${i}`));
  }
}

/** Errors for a `blocks` array posted to a message (max 50) or a modal (max 100); empty when valid. */
export function validateBlocks(blocks: unknown, surface: Surface = 'message', base = '/blocks'): string[] {
  const c = new Checker();
  if (!Array.isArray(blocks)) {
    c.err('must provide an array', base);
    return c.errors;
  }
  const max = surface === 'modal' ? 100 : 50;
  if (blocks.length > max) c.err(`no more than ${max} items allowed`, base);
  blocks.forEach((b, i) => c.block(b, `${base}/${i}`, surface));
  return c.errors;
}

/** Errors for a modal view (views.open / views.update / views.push). */
export function validateView(view: unknown): string[] {
  const c = new Checker();
  if (!isObj(view)) {
    c.err('must provide an object', '/view');
    return c.errors;
  }
  if (view.type !== 'modal' && view.type !== 'home') c.err('must be a valid enum value', '/view/type');
  if (view.type === 'modal') {
    if (view.title === undefined) c.err('missing required field: title', '/view');
    else c.text(view.title, '/view/title', 24, true);
    if (view.submit !== undefined) c.text(view.submit, '/view/submit', 24, true);
    if (view.close !== undefined) c.text(view.close, '/view/close', 24, true);
  }
  c.str(view, 'callback_id', '/view', 255);
  c.str(view, 'private_metadata', '/view', 3000);
  return [...c.errors, ...validateBlocks(view.blocks ?? [], 'modal', '/view/blocks')];
}
