/**
 * A proposed fix as sgwhy keeps it server-side: the button values carry only its opaque id. It
 * holds the exact calls (what will run, nothing else), who proposed it where, the data it was
 * planned on (fingerprints of the objects it changes), every decision, and after execution the
 * applied calls, their inverse and the re-check.
 */
import type { IacMarker } from '../fix/terraform.js';
import type { Question } from '../question/types.js';

/**
 * proposed → (approvals) → executing → applied | failed | stale
 *          → approved (no execution role: a person runs the command)
 *          → rejected
 * applied → reverting → reverted | revert-failed
 */
export type FixState = 'proposed' | 'rejected' | 'approved' | 'executing' | 'applied' | 'failed' | 'stale' | 'reverting' | 'reverted' | 'revert-failed';

export interface Actor {
  userId: string;
  /** The Slack team (workspace) the user belongs to. */
  teamId: string;
  name?: string;
}

/** One call of a fix (a single-call fix is a list of one). "${NAME}" in input refers to an earlier step's output. */
export interface PlannedStep {
  /** As planned ('ec2'); anything else is refused at execution. */
  service?: string;
  operation: string;
  input: Record<string, unknown>;
  accountId?: string;
  region?: string;
  /** The exact AWS CLI command shown to people. */
  cli: string;
  title?: string;
  output?: { name: string; field: string };
}

/** A call as it ran (references resolved), with where it ran. */
export interface ResolvedCall {
  operation: string;
  input: Record<string, unknown>;
  accountId: string;
  region: string;
  command: string;
}

export interface Decision {
  by: Actor;
  at: number;
}

export interface Verification {
  verdict: 'reachable' | 'blocked' | 'unknown';
  summary: string;
  /** How many times the path was re-collected and re-asked. */
  attempts: number;
  /** Blockers still on the path ("security-group sg-…"). */
  blockers: string[];
  /** Whether the blocker this fix was for is gone (other fixes may still be needed). */
  blockerCleared: boolean;
  at: number;
}

export interface ExecutionRecord {
  startedAt: number;
  finishedAt?: number;
  /** Calls that changed AWS, in order. */
  applied: ResolvedCall[];
  /** The calls that undo them (in the order to run), or why there are none. */
  inverse: ResolvedCall[] | null;
  inverseRefusal?: string;
  /** e.g. "the endpoint ignored DryRun" */
  warnings: string[];
  error?: { code: string; message: string };
  verification?: Verification;
}

export interface StoredFix {
  /** Opaque random id (what buttons carry). */
  id: string;
  /** F1, F2… in the answer. */
  label: string;
  /** Bumped on every change; transitions are compare-and-set on it. */
  version: number;
  state: FixState;
  createdAt: number;
  /** Approvals after this time are refused. */
  expiresAt: number;
  requester: Actor;
  channel?: string;
  thread?: string;
  question: Question;
  title: string;
  notes: string[];
  blockerId: string;
  /** The blocker this fix is for, to recognise it in a fresh answer. */
  blocker?: { layer: string; resourceId: string; direction: string; path: string };
  /** Account and region of the first step. */
  accountId?: string;
  region?: string;
  steps: PlannedStep[];
  /** Fingerprint per object the steps change, from the data the fix was planned on. */
  plannedOn: Record<string, string>;
  iac: IacMarker[];
  terraform: string;
  approvals: Decision[];
  decision?: Decision & { kind: 'approved' | 'rejected'; reason?: string };
  stale?: { reason: string; at: number };
  execution?: ExecutionRecord;
  revertApprovals: Decision[];
  revert?: ExecutionRecord & { by: Actor };
}
