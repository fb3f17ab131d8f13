/**
 * A client of the local user pool, for tests and the bench: adds a member of staff (as an administrator
 * adds people to Cognito) and signs them in. The pool's path comes from the issuer of any token it signed.
 */
export async function signInLocally(
  api: string,
  anyToken: string,
  user: { username: string; groups: string[]; managerId?: string },
): Promise<string> {
  const [, payload = ''] = anyToken.split('.');
  const { iss } = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { iss: string };
  const pool = `${api}/__local/cognito/${new URL(iss).pathname.split('/').filter(Boolean).at(-1)}`;
  const added = await fetch(`${pool}/users`, {
    method: 'POST',
    body: JSON.stringify({ email: `${user.username}@bank.example`, ...user }),
  });
  if (added.status !== 201) throw new Error(`The local user pool refused ${user.username}: ${added.status}`);
  const signIn = await fetch(`${pool}/sign-in`, {
    method: 'POST',
    body: JSON.stringify({ username: user.username }),
  });
  return ((await signIn.json()) as { AuthenticationResult: { IdToken: string } }).AuthenticationResult
    .IdToken;
}
