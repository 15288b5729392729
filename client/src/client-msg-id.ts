/**
 * A random id for `x-client-msg-id`. crypto.getRandomValues exists in every browser context
 * (randomUUID only in secure ones, so not on plain http to a LAN address) and in Node.
 */
export function newClientMsgId(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
