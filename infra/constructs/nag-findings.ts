import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * The id cdk-nag gives an AwsSolutions-IAM5 finding for a wildcard in `resource`, for
 * `Validations.of(...).acknowledge()`, which matches ids exactly.
 *
 * cdk-nag names the resource the way it appears in the template with references flattened:
 * `{ Ref: X }` → `<X>`, `{ 'Fn::GetAtt': [X, Y] }` → `<X.Y>`, `Fn::Join` → the joined parts.
 * Building the id from the same token the policy uses keeps the acknowledgement in step
 * with logical ids and with environment-specific ARNs (literal region and account).
 */
export function wildcardResourceFinding(scope: IConstruct, resource: string): string {
  return `AwsSolutions-IAM5[Resource::${flatten(Stack.of(scope).resolve(resource))}]`;
}

function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) {
    const v = value as Record<string, unknown>;
    if (typeof v['Ref'] === 'string') return `<${v['Ref']}>`;
    const getAtt = v['Fn::GetAtt'];
    if (Array.isArray(getAtt) && getAtt.length === 2) return `<${flatten(getAtt[0])}.${flatten(getAtt[1])}>`;
    const join = v['Fn::Join'];
    if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
      return (join[1] as unknown[]).map(flatten).join(join[0]);
    }
  }
  throw new Error(`cannot name the nag finding for ${JSON.stringify(value)}`);
}
