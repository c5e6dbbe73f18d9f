import { AwsError } from '../../aws/aws-error.js';

const ROLE_ARN = /^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const SESSION_NAME = /^[\w+=,.@-]*$/;

/**
 * Reads and validates the common AssumeRole* parameters, with Coral-worded messages. The session
 * lasts `defaultDuration` seconds when DurationSeconds is not given; the caller checks it against
 * the role's MaxSessionDuration.
 */
export function readRoleParams(params: URLSearchParams, defaultDuration: number) {
  const problems: string[] = [];
  const roleArn = params.get('RoleArn');
  const session = params.get('RoleSessionName');
  const durationRaw = params.get('DurationSeconds');
  if (roleArn === null) problems.push("Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
  else if (roleArn.length < 20 || roleArn.length > 2048) problems.push(`Value '${roleArn}' at 'roleArn' failed to satisfy constraint: Member must have length between 20 and 2048`);
  if (session === null) problems.push("Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null");
  else if (session.length < 2 || session.length > 64) problems.push(`Value '${session}' at 'roleSessionName' failed to satisfy constraint: Member must have length between 2 and 64`);
  else if (!SESSION_NAME.test(session)) problems.push(`Value '${session}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`);
  let duration = defaultDuration;
  if (durationRaw !== null) {
    duration = Number(durationRaw);
    if (!Number.isInteger(duration) || duration < 900 || duration > 43200) {
      problems.push(`Value '${durationRaw}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200`);
    }
  }
  if (problems.length) throw new AwsError('ValidationError', 400, `${problems.length} validation error${problems.length > 1 ? 's' : ''} detected: ${problems.join('; ')}`);
  if (!ROLE_ARN.test(roleArn!)) throw new AwsError('ValidationError', 400, `${roleArn} is invalid`);
  return { roleArn: roleArn!, session: session!, duration };
}

/** `Prefix.member.N.Field` lists, as awsQuery encodes them. */
export function readMemberList(params: URLSearchParams, prefix: string, fields: string[]): Record<string, string | undefined>[] {
  const out: Record<string, string | undefined>[] = [];
  for (let n = 1; ; n++) {
    const entry = Object.fromEntries(fields.map((f) => [f, params.get(`${prefix}.member.${n}.${f}`) ?? undefined]));
    if (fields.every((f) => entry[f] === undefined)) break;
    out.push(entry);
    if (n > 100) break;
  }
  return out;
}
