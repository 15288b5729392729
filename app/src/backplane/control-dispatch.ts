import type { ControlEvent, ControlListener, MessageListener, PublishedMessage } from './backplane.port.js';

type Report = (message: string, error?: unknown) => void;

/** Decodes a control event (JSON with a string `type`) and hands it to every listener; a throwing listener is reported, not fatal. */
export function dispatchControl(payload: Buffer, listeners: readonly ControlListener[], report: Report): void {
  let event: ControlEvent;
  try {
    event = JSON.parse(payload.toString()) as ControlEvent;
    if (typeof event !== 'object' || event === null || typeof event.type !== 'string') throw new Error('no type');
  } catch (error) {
    report('undecodable control event', error);
    return;
  }
  for (const listener of listeners) {
    try {
      listener(event);
    } catch (error) {
      report(`control listener failed on ${event.type}`, error);
    }
  }
}

/** Hands a message to its listener; a throw is reported, so one bad listener cannot stop a destination. */
export function deliverTo(listener: MessageListener, message: PublishedMessage, report: Report): void {
  try {
    listener(message);
  } catch (error) {
    report(`listener for ${message.destination} failed`, error);
  }
}
