/** Who is behind a STOMP session, as established at CONNECT. */
export interface Principal {
  readonly userId: string;
  readonly username: string;
  /** Epoch milliseconds after which the session must renew or be closed; undefined = never. */
  readonly expiresAt?: number;
}
