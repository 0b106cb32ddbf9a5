/**
 * The only place sgwhy reads process.env for its own settings. (The AWS SDK reads its standard
 * variables itself: AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_EC2, …)
 */
export interface SgwhyEnv {
  /** SGWHY_CONFIG: path of the account config file (YAML or JSON). */
  configPath?: string;
}

export function readSgwhyEnv(env: Readonly<Record<string, string | undefined>> = process.env): SgwhyEnv {
  const configPath = env['SGWHY_CONFIG']?.trim();
  return configPath ? { configPath } : {};
}
