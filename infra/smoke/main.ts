#!/usr/bin/env node
/**
 * CLI of the post-deploy smoke check (the pipeline's SmokeCheck step):
 *
 *   CHAT_WS_URL=wss://chat-staging.example.com/ws node dist/infra/smoke/main.js
 *
 * Exits 0 when every step passed, 1 with the failed step and its reason otherwise.
 */
import { runSmokeCheck } from './smoke-check.js';

const wsUrl = process.env['CHAT_WS_URL'];
if (!wsUrl) {
  console.error("CHAT_WS_URL is not set (the stage's WebSocketUrl output, e.g. wss://chat.example.com/ws)");
  process.exitCode = 1;
} else {
  runSmokeCheck({ wsUrl, log: (line) => console.log(line) }).then(
    () => console.log('smoke check passed'),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
