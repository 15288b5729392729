/**
 * What every flow shares: log in as the seeded user (timed), open STOMP sessions that get
 * each refreshed token, count failures by code, and always stop the refresh timer.
 */
import { METRIC, Metrics, type MetricEvents } from './metrics.js';
import { RestError } from './rest.js';
import { SessionTokens } from './session-tokens.js';
import { StompFailure, StompLink } from './stomp-link.js';
import { readVuSettings, type ArtilleryContext, type VuSettings } from './vu-settings.js';

export class VirtualUser {
  readonly metrics: Metrics;
  readonly tokens: SessionTokens;

  constructor(
    readonly settings: VuSettings,
    events: MetricEvents,
  ) {
    this.metrics = new Metrics(events);
    this.tokens = new SessionTokens(
      settings.httpBase,
      () => this.metrics.count(METRIC.tokenRefreshes),
      (error) => this.metrics.error(error instanceof RestError ? error.code : 'REFRESH_FAILED'),
    );
  }

  async login(): Promise<void> {
    const started = performance.now();
    await this.tokens.login(this.settings.username, this.settings.password);
    this.metrics.sample(METRIC.loginTime, performance.now() - started);
  }

  /** A connected session that renews its token whenever the user refreshes. */
  async connect(): Promise<StompLink> {
    const { wsUrl, timeoutMs, heartbeatMs } = this.settings;
    const link = await StompLink.open({
      wsUrl,
      token: this.tokens.accessToken,
      metrics: this.metrics,
      timeoutMs,
      heartbeatMs,
    });
    const stopRenewing = this.tokens.onRenew((token) => link.renew(token));
    link.failed.catch(stopRenewing);
    return link;
  }
}

/** Resolves with `step`, or rejects as soon as the session fails. */
export function whileAlive<T>(link: StompLink, step: Promise<T>): Promise<T> {
  return Promise.race([step, link.failed]);
}

type Done = (error?: Error) => void;

/**
 * Adapts an async flow to Artillery's `function` step (context, events, done). A callback
 * style export, so Artillery calls it the same way however the bundle was compiled.
 */
export function artilleryStep(flow: (user: VirtualUser) => Promise<void>) {
  return (context: ArtilleryContext, events: MetricEvents, done: Done): void => {
    let user: VirtualUser;
    try {
      user = new VirtualUser(readVuSettings(context), events);
    } catch (error) {
      done(error as Error);
      return;
    }
    user.metrics.registerGatedCounters();
    flow(user)
      .then(() => done())
      .catch((error: unknown) => {
        // Login and REST failures are counted here; STOMP failures were counted by their link.
        if (error instanceof RestError) user.metrics.error(error.code);
        else if (!(error instanceof StompFailure)) user.metrics.error('CLIENT');
        done(error instanceof Error ? error : new Error(String(error)));
      })
      .finally(() => user.tokens.stop());
  };
}
