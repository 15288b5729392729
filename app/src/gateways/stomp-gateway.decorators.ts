import { applyDecorators, UseFilters } from '@nestjs/common';
import { SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { StompExceptionFilter } from './stomp-exception.filter.js';

/**
 * A class whose methods declare STOMP destinations. All gateways share the one /ws endpoint;
 * their errors become ERROR frames through StompExceptionFilter.
 */
export const StompGateway = (): ClassDecorator =>
  applyDecorators(WebSocketGateway(), UseFilters(new StompExceptionFilter())) as ClassDecorator;

export const isSendPattern = (pattern: string): boolean => pattern.startsWith('/app/');

/**
 * SEND to `pattern` (under /app/, `{name}` placeholders are one segment each) runs the method.
 * Resolving means done: the RECEIPT follows, with any `receiptHeaders` the method returns.
 */
export function MessageMapping(pattern: string): MethodDecorator {
  if (!isSendPattern(pattern)) throw new Error(`@MessageMapping('${pattern}'): SEND patterns start with /app/`);
  return SubscribeMessage(pattern);
}

/**
 * Declares a topic family (under /topic/ or /user/queue/): SUBSCRIBE to it is allowed when the
 * method's guards pass and the method resolves. Undeclared families do not exist.
 */
export function SubscribeMapping(pattern: string): MethodDecorator {
  if (!pattern.startsWith('/topic/') && !pattern.startsWith('/user/queue/')) {
    throw new Error(`@SubscribeMapping('${pattern}'): topic families start with /topic/ or /user/queue/`);
  }
  return SubscribeMessage(pattern);
}
