/**
 * Raw input: one document per describe-* response, exactly as the AWS CLI prints it or the
 * SDK v3 returns it (PascalCase keys). The offline reader and the live collector both produce
 * RawDoc[]; the model builder (build.ts) is the only code that interprets them.
 */
export interface RawDoc {
  /** Where it came from: a path relative to the snapshot root, or "live:<Operation>". */
  file: string;
  /** From the path (accounts/<12 digits>/<region>/) or the collector; the data may also carry OwnerId / AvailabilityZone. */
  accountId?: string;
  region?: string;
  data: Record<string, unknown>;
}
