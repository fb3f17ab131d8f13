import { runSimulation } from '@cloud-copilot/iam-simulate';
import { LOCAL_ACCOUNT, type LocalRole, type PolicyDocument } from './assembly.ts';

export type Decision = { allowed: true } | { allowed: false; message: string };

/** AWS managed policies the templates attach, by ARN; an unknown one is refused rather than guessed. */
const MANAGED_POLICIES: Record<string, PolicyDocument> = {
  'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole': {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: '*',
      },
    ],
  },
};

/**
 * IAM as AWS evaluates it, for the roles in the synthesized templates: every request is simulated with
 * @cloud-copilot/iam-simulate against the role's identity policies. Policies do not change while the
 * runtime runs, so each (role, action, resource) decision is computed once.
 */
export class LocalIam {
  private readonly roles: Map<string, LocalRole>;
  private readonly decisions = new Map<string, Promise<Decision>>();

  constructor(roles: LocalRole[]) {
    this.roles = new Map(roles.map((role) => [role.arn, role]));
    for (const role of roles) {
      for (const arn of role.managedPolicyArns) {
        if (!MANAGED_POLICIES[arn]) {
          throw new Error(
            `Role ${role.name} uses managed policy ${arn}, which the local runtime cannot check`,
          );
        }
      }
    }
  }

  /** Allowed only if the role may perform the action on every one of the resources. */
  async authorize(
    caller: { roleArn: string; sessionName: string },
    action: string,
    resources: string[],
  ): Promise<Decision> {
    for (const resource of resources) {
      const decision = await this.decide(caller.roleArn, action, resource);
      if (!decision.allowed) {
        const user = `arn:aws:sts::${LOCAL_ACCOUNT}:assumed-role/${roleName(caller.roleArn)}/${caller.sessionName}`;
        return {
          allowed: false,
          message: `User: ${user} is not authorized to perform: ${action} on resource: ${resource} ${decision.message}`,
        };
      }
    }
    return { allowed: true };
  }

  private decide(roleArn: string, action: string, resource: string): Promise<Decision> {
    const key = `${roleArn}|${action}|${resource}`;
    let decision = this.decisions.get(key);
    if (!decision) {
      decision = this.simulate(roleArn, action, resource);
      this.decisions.set(key, decision);
    }
    return decision;
  }

  private async simulate(roleArn: string, action: string, resource: string): Promise<Decision> {
    const role = this.roles.get(roleArn);
    if (!role) return { allowed: false, message: `because the role ${roleArn} is not in the templates` };
    const result = await runSimulation(
      {
        identityPolicies: [
          ...role.policies.map((p) => ({ name: p.name, policy: p.document })),
          ...role.managedPolicyArns.map((arn) => ({ name: arn, policy: MANAGED_POLICIES[arn] })),
        ],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        request: {
          action,
          principal: roleArn,
          resource: { resource, accountId: LOCAL_ACCOUNT },
          contextVariables: {},
        },
      },
      {},
    );
    if (result.resultType === 'error') {
      return {
        allowed: false,
        message: `because the request is not valid IAM: ${JSON.stringify(result.errors)}`,
      };
    }
    if (result.overallResult === 'Allowed') return { allowed: true };
    return {
      allowed: false,
      message:
        result.overallResult === 'ExplicitlyDenied'
          ? 'with an explicit deny in an identity-based policy'
          : `because no identity-based policy allows the ${action} action`,
    };
  }
}

const roleName = (roleArn: string) => roleArn.slice(roleArn.lastIndexOf('/') + 1);
