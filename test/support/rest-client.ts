/** JSON over fetch against a running app: status and parsed body. */
export interface JsonReply {
  readonly status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON replies of many shapes; each test asserts what it reads
  readonly body: any;
}

export async function callApi(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<JsonReply> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}

/** Registers and logs in a user; resolves with their id and access token. */
export async function signUp(baseUrl: string, username: string): Promise<{ userId: string; token: string }> {
  const password = 'correct horse battery';
  const registered = await callApi(baseUrl, 'POST', '/auth/register', { username, password, displayName: username });
  if (registered.status !== 201)
    throw new Error(`register ${username}: ${registered.status} ${JSON.stringify(registered.body)}`);
  const login = await callApi(baseUrl, 'POST', '/auth/login', { username, password });
  if (login.status !== 200) throw new Error(`login ${username}: ${login.status}`);
  return { userId: registered.body.id, token: login.body.accessToken };
}
