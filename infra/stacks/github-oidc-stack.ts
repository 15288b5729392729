import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/** GitHub's OIDC issuer; its tokens name the repository, ref and event in `sub`. */
export const GITHUB_OIDC_URL = 'https://token.actions.githubusercontent.com';
const ISSUER = 'token.actions.githubusercontent.com';

export interface GitHubOidcStackProps extends StackProps {
  /** `owner/name` of the repository whose workflows may assume the roles. */
  readonly repository: string;
  /** Branch whose pushes may start a release. */
  readonly branch: string;
  /** Name of the pipeline the deploy role may start. */
  readonly pipelineName: string;
  /** Account/region pairs the diff role may read templates in (through the CDK lookup roles). */
  readonly diffTargets: readonly { readonly account: string; readonly region: string }[];
  /**
   * An account has one OIDC provider per issuer. Pass its ARN when one exists already.
   * @default - this stack creates it
   */
  readonly existingProviderArn?: string;
}

/**
 * The small bootstrap stack that lets GitHub Actions reach AWS without stored keys: GitHub's
 * OIDC provider and two roles, each trusting tokens of one repository only.
 *
 * - deploy role, for pushes to the release branch: may start the delivery pipeline (and read
 *   its state), nothing else; the pipeline's own roles do the deploying.
 * - diff role, for pull requests: may assume the CDK bootstrap lookup roles (read-only) of the
 *   stage accounts, which is what `cdk diff` needs to read the deployed templates.
 */
export class GitHubOidcStack extends Stack {
  readonly deployRole: iam.Role;
  readonly diffRole: iam.Role;

  constructor(scope: Construct, id: string, props: GitHubOidcStackProps) {
    super(scope, id, props);
    const providerArn =
      props.existingProviderArn ??
      new iam.OidcProviderNative(this, 'GitHubProvider', { url: GITHUB_OIDC_URL, clientIds: ['sts.amazonaws.com'] })
        .oidcProviderArn;

    const trust = (subject: string) =>
      new iam.WebIdentityPrincipal(providerArn, {
        StringEquals: { [`${ISSUER}:aud`]: 'sts.amazonaws.com', [`${ISSUER}:sub`]: subject },
      });

    this.deployRole = new iam.Role(this, 'DeployRole', {
      description: `GitHub Actions (${props.repository}, ${props.branch}): starts the ${props.pipelineName} pipeline`,
      assumedBy: trust(`repo:${props.repository}:ref:refs/heads/${props.branch}`),
      maxSessionDuration: Duration.hours(1),
      inlinePolicies: {
        StartPipeline: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              actions: [
                'codepipeline:StartPipelineExecution',
                'codepipeline:GetPipelineExecution',
                'codepipeline:GetPipelineState',
              ],
              resources: [this.formatArn({ service: 'codepipeline', resource: props.pipelineName })],
            }),
          ],
        }),
      },
    });

    this.diffRole = new iam.Role(this, 'DiffRole', {
      description: `GitHub Actions (${props.repository}, pull requests): cdk diff through the CDK lookup roles`,
      assumedBy: trust(`repo:${props.repository}:pull_request`),
      maxSessionDuration: Duration.hours(1),
      inlinePolicies: {
        AssumeLookupRoles: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              actions: ['sts:AssumeRole'],
              resources: uniqueTargets(props.diffTargets).map(
                ({ account, region }) =>
                  `arn:${this.partition}:iam::${account}:role/cdk-hnb659fds-lookup-role-${account}-${region}`,
              ),
            }),
          ],
        }),
      },
    });

    new CfnOutput(this, 'DeployRoleArn', {
      value: this.deployRole.roleArn,
      description: 'GitHub repository variable AWS_DEPLOY_ROLE_ARN',
    });
    new CfnOutput(this, 'DiffRoleArn', {
      value: this.diffRole.roleArn,
      description: 'GitHub repository variable AWS_DIFF_ROLE_ARN',
    });
  }
}

function uniqueTargets(targets: GitHubOidcStackProps['diffTargets']) {
  const seen = new Map(targets.map((t) => [`${t.account}/${t.region}`, t]));
  return [...seen.values()];
}
