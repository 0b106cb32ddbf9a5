/** Test helpers: SDK middleware that observes or breaks calls (moto does not enforce IAM or throttle). */
import { EC2ServiceException } from '@aws-sdk/client-ec2';
import type { SdkPlugin } from '../../src/aws/clients.js';

type Ctx = { clientName?: string; commandName?: string };
type Next = (args: { input: unknown }) => Promise<unknown>;

/** Records every command any client sends (operation names without "Command"), with its input. */
export function commandLog(): { plugin: SdkPlugin; calls: Array<{ client: string; operation: string; input: unknown }> } {
  const calls: Array<{ client: string; operation: string; input: unknown }> = [];
  return {
    calls,
    plugin: {
      applyToStack(stack) {
        stack.add(
          (next: Next, ctx: Ctx) => async (args: { input: unknown }) => {
            calls.push({ client: ctx.clientName ?? '', operation: (ctx.commandName ?? '').replace(/Command$/, ''), input: args.input });
            return next(args);
          },
          { step: 'initialize', name: 'testCommandLog', priority: 'low' },
        );
      },
    },
  };
}

/** An error shaped like the one the SDK deserialises from an AWS error response. */
export function serviceError(name: string, message: string, status: number): EC2ServiceException {
  return new EC2ServiceException({ name, message, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } });
}

/**
 * Fails `operation` with `error()` — the first `times` attempts (Infinity = always). Sits below the
 * SDK's retry middleware, so the standard retry strategy sees (and retries) each failure.
 */
export function failOperation(operation: string, error: () => Error, times = Infinity): { plugin: SdkPlugin; attempts: () => number } {
  let n = 0;
  return {
    attempts: () => n,
    plugin: {
      applyToStack(stack) {
        stack.add(
          (next: Next, ctx: Ctx) => async (args: { input: unknown }) => {
            if ((ctx.commandName ?? '').replace(/Command$/, '') === operation) {
              n++;
              if (n <= times) throw error();
            }
            return next(args);
          },
          { step: 'deserialize', name: `testFail${operation}`, priority: 'low' },
        );
      },
    },
  };
}
