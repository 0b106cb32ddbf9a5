/** How AWS names things, in one place: account ids, regions, operation names. */
export const ACCOUNT_ID = /^\d{12}$/;
export const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** "DescribeSecurityGroups" → "describe-security-groups" (the AWS CLI's command and file names). */
export function kebabOperation(operation: string): string {
  return operation.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}
