import { createHash } from 'node:crypto';
import { Command, type Redis } from 'ioredis';
import { FixedTimeout } from '../errors/fixed-timeout.js';
import { encodeCommand, type RespArgument } from './resp-encoding.js';

/**
 * A Lua script run on one (non-cluster) connection as a single command whose bytes are built in
 * one piece (resp-encoding.ts), for a script on the hot path: the publish script runs once per
 * message. Compared with ioredis's `defineCommand`, each run skips the argument conversion pass,
 * the second command object and promise ioredis keeps ready for a NOSCRIPT retry, and a timer of
 * its own for the command timeout: all runs share one deadline queue (FixedTimeout), which ends a
 * run exactly as ioredis's `commandTimeout` would, with "Command timed out".
 *
 * Like ioredis's scripts, the script's first run on a socket is an EVAL (which also caches it on
 * that server) and later runs are EVALSHA; a NOSCRIPT reply (the server's script cache flushed)
 * runs it once more as an EVAL. A cluster connection routes commands by their keys, which these
 * commands do not list: clusters keep `defineCommand`.
 */
export class PreEncodedScript {
  readonly sha: string;
  private readonly runOnSockets = new WeakSet<object>();
  private readonly deadline: FixedTimeout | undefined;

  constructor(
    private readonly redis: Redis,
    readonly lua: string,
    readonly numberOfKeys: number,
  ) {
    this.sha = createHash('sha1').update(lua).digest('hex');
    const timeoutMs = redis.options.commandTimeout;
    this.deadline = timeoutMs === undefined ? undefined : new FixedTimeout(timeoutMs);
  }

  /** Runs the script with `keysAndArgs` (its `numberOfKeys` keys first); resolves with its reply, strings as text. */
  run(keysAndArgs: readonly RespArgument[]): Promise<unknown> {
    const reply = this.send(keysAndArgs);
    return this.deadline === undefined ? reply : this.deadline.bound(reply, commandTimedOut);
  }

  /** @internal The command's bytes for `socket`: the whole script the first time, its digest after. */
  encodeFor(socket: object, keysAndArgs: readonly RespArgument[]): Buffer {
    if (this.runOnSockets.has(socket)) return encodeCommand(['EVALSHA', this.sha, this.numberOfKeys], keysAndArgs);
    this.runOnSockets.add(socket);
    return encodeCommand(['EVAL', this.lua, this.numberOfKeys], keysAndArgs);
  }

  /** @internal The server answered NOSCRIPT on `socket`: send the whole script there again. */
  retryAfterNoScript(socket: object | undefined, keysAndArgs: readonly RespArgument[]): Promise<unknown> {
    if (socket !== undefined) this.runOnSockets.delete(socket);
    return this.send(keysAndArgs, true);
  }

  private send(keysAndArgs: readonly RespArgument[], isRetry = false): Promise<unknown> {
    return this.redis.sendCommand(new ScriptCommand(this, keysAndArgs, isRetry)) as Promise<unknown>;
  }
}

const NO_SCRIPT = 'NOSCRIPT';

function commandTimedOut(): Error {
  return new Error('Command timed out');
}

/** One run of a PreEncodedScript, as ioredis's connection queues and answers it. */
class ScriptCommand extends Command {
  private socket: object | undefined;

  constructor(
    private readonly script: PreEncodedScript,
    private readonly keysAndArgs: readonly RespArgument[],
    isRetry: boolean,
  ) {
    // No arguments for ioredis to convert: toWritable() returns the finished bytes. Replies as
    // text, as ioredis's own script commands return them.
    super('evalsha', [], { replyEncoding: 'utf8' });
    if (isRetry) return; // a second NOSCRIPT is the caller's error
    const reject = this.reject;
    this.reject = (error: Error) => {
      if (!error.message.startsWith(NO_SCRIPT)) return reject(error);
      this.script.retryAfterNoScript(this.socket, this.keysAndArgs).then(this.resolve, reject);
    };
  }

  override toWritable(socket: object): Buffer {
    this.socket = socket;
    return this.script.encodeFor(socket, this.keysAndArgs);
  }

  /** The script's shared deadline bounds the run instead of a timer per command (see PreEncodedScript). */
  override setTimeout(): void {}
}
