/**
 * Escaping for strings that come from AWS (names, tags, descriptions, ids in messages) on their
 * way to a terminal or to Slack. Pure. Every renderer passes AWS-derived text through one of
 * these; commands are never escaped (that would change them): they are shown verbatim when
 * `terminalSafe` / `slackCodeVerbatim` say they can be, otherwise another way.
 *
 * Terminal (`escapeTerminal`): C0 controls (including ESC, BEL, CR, LF, TAB), DEL, C1 controls
 * (U+0080–U+009F, which some terminals read as CSI/OSC), Unicode line/paragraph separators,
 * bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E/F, U+061C) and invisible format
 * characters (zero-width spaces and joiners, U+FEFF) are written as visible escapes: `\n`, `\t`,
 * `\r`, `\e` for ESC, otherwise `\xHH` or `\u{HHHH}`. A backslash is doubled, so an escape in
 * the output always means an escaped character (nobody can fake one). Everything else, including
 * non-Latin letters and emoji, is left alone.
 *
 * Slack (`slackText`): the same escapes, then Slack's own three entities (`&` → `&amp;`,
 * `<` → `&lt;`, `>` → `&gt;`), which is what makes `<!channel>`, `<@U123>`, `<#C123>` and
 * `<http://…|label>` inert, then a word joiner (U+2060, invisible) after `@` in `@channel`,
 * `@here`, `@everyone` (which Slack expands when a message is posted with link_names) and
 * inside every `://` and every dot followed by a letter (IP addresses stay intact), so Slack's auto-linker does not
 * turn AWS text ("evil.example.com", "https://…") into a link. Backticks become `ˋ` (U+02CB) so
 * AWS text cannot open or close a code span around it. Use it for names, descriptions and
 * messages — never for a command.
 *
 * Slack code blocks (`slackCodeVerbatim`, `slackCode`): a command can be shown in a ``` block
 * only if what Slack displays is byte-identical to the command: no backtick (Slack has no escape
 * for it inside a code block), no control or invisible character except the line feeds between
 * the lines of a script. `slackCode(cmd)` returns the text to put between the fences (only the
 * three entities, which Slack displays as the original characters); when the predicate is false
 * show the command another way (a snippet / file upload), never an altered copy.
 */

/** Characters that must not reach a terminal or a Slack message as they are. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\\]/gu;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\t': '\\t', '\r': '\\r', '\u001b': '\\e', '\\': '\\\\' };

function escapeChar(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.codePointAt(0)!;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16).padStart(4, '0')}}`;
}

/** A string from AWS, safe to write to a terminal: control, bidi and invisible characters shown as escapes. */
export function escapeTerminal(value: string): string {
  return value.replace(UNSAFE, escapeChar);
}

/** Characters a printed command may not contain for a terminal to show it verbatim (line feeds separate a script's lines). */
const UNSAFE_IN_COMMAND = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/u;

/** Whether a command can be written to a terminal as it is (each line; line feeds allowed between lines). */
export function terminalSafe(command: string): boolean {
  return !UNSAFE_IN_COMMAND.test(command);
}

const WORD_JOINER = '\u2060';

/** Slack's three entities. */
function slackEntities(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A string from AWS for Slack message text (mrkdwn or plain_text): no mention, no link, no
 * broken layout. Display text only; never a command.
 */
export function slackText(value: string): string {
  return slackEntities(escapeTerminal(value))
    .replace(/`/g, '\u02cb')
    .replace(/@(?=(channel|here|everyone)\b)/gi, `@${WORD_JOINER}`)
    .replace(/:\/\//g, `:${WORD_JOINER}//`)
    .replace(/(?<=[\p{L}\p{N}])\.(?=\p{L})/gu, `.${WORD_JOINER}`);
}

/** Characters that cannot be shown verbatim inside a Slack code block. */
const NOT_VERBATIM_IN_SLACK_CODE = /[`\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/u;

/**
 * Whether a command can be shown in a Slack code block exactly as it is: Slack displays
 * `slackCode(command)` as the original bytes. `maxLength` bounds the command (Block Kit limits a
 * section's text to 3000 characters, fences included).
 */
export function slackCodeVerbatim(command: string, maxLength = 2900): boolean {
  return command.length > 0 && command.length <= maxLength && !NOT_VERBATIM_IN_SLACK_CODE.test(command);
}

/** The text to put between ``` fences for a command that `slackCodeVerbatim` accepts. Throws otherwise. */
export function slackCode(command: string): string {
  if (!slackCodeVerbatim(command, Number.MAX_SAFE_INTEGER)) throw new Error('this command cannot be shown verbatim in a Slack code block');
  return slackEntities(command);
}

/** What Slack displays for text holding only its three entities (the inverse of slackCode; for tests and checks). */
export function slackDisplayed(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
