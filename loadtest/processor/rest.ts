/** JSON over the target's REST API, for virtual users and the seeding command alike. */

/** A REST call that failed, with the server's stable error code when it sent one. */
export class RestError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface RequestOptions {
  readonly body?: unknown;
  /** Access token for `Authorization: Bearer`. */
  readonly token?: string;
}

/** Sends a JSON request and returns the parsed body, or throws a RestError naming the server's code. */
export async function requestJson<T>(method: 'GET' | 'POST', url: string, options: RequestOptions = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch (error) {
    throw new RestError('HTTP_UNREACHABLE', 0, `${method} ${url}: ${(error as Error).message}`);
  }
  const text = await response.text();
  if (!response.ok) {
    const code = errorCodeOf(text) ?? `HTTP_${response.status}`;
    throw new RestError(code, response.status, `${method} ${url}: ${response.status} ${code}`);
  }
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

function errorCodeOf(text: string): string | undefined {
  try {
    const code: unknown = (JSON.parse(text) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}
