/** Staff roles: each is a Cognito group, carried in the token's `cognito:groups` claim. */
export const ROLES = ['campaign_manager', 'compliance_officer', 'personal_manager', 'head_of_unit'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as established by the JWT authorizer (API Gateway in AWS, the local runtime on one machine). */
export interface StaffMember {
  readonly userId: string;
  readonly roles: readonly Role[];
  /** Set for personal managers: the directory id of the manager this user is. */
  readonly managerId?: string;
}

const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

/** Reads the staff member from verified JWT claims; `cognito:groups` arrives as an array or a bracketed string. */
export function staffMemberFromClaims(claims: Record<string, unknown>): StaffMember {
  const raw = claims['cognito:groups'];
  const groups = Array.isArray(raw)
    ? raw.map(String)
    : typeof raw === 'string'
      ? raw
          .replace(/^\[|\]$/g, '')
          .split(/[\s,]+/)
          .filter(Boolean)
      : [];
  const managerId = claims['custom:managerId'];
  return {
    userId: String(claims.sub ?? ''),
    roles: groups.filter(isRole),
    ...(typeof managerId === 'string' && managerId ? { managerId } : {}),
  };
}
