import { EvoptError } from '@evopt/core';
import type { RedisOptions } from 'bullmq';

/** What stands in for a password wherever a queue URL is shown or saved. */
export const REDACTED = '***';

/** Where a password comes from when the URL carries none, or carries the redacted `***`. */
export const PASSWORD_ENV = 'EVOPT_QUEUE_PASSWORD';

/**
 * The worker name under which the queue evaluator reports its Redis connection (worker-status
 * 'stopped' when lost, 'ready' when back), for the TUI's workers panel and the plain printer.
 */
export const REDIS_WORKER = 'redis';

// scheme://user:password@ — the password is everything between the first ':' after the user and '@'.
const CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)([^\s@/]+)(@)/gi;

/** `text` with the password of every URL in it replaced by `***`: for logs, errors and saved configs. */
export function redactSecrets(text: string): string {
  return text.replace(CREDENTIALS, `$1${REDACTED}$3`);
}

/** A parsed queue URL: ioredis connection options, and the URL as it may be shown. */
export interface QueueConnection {
  readonly options: RedisOptions;
  /** The URL with its password replaced by `***`. */
  readonly display: string;
}

/**
 * Parses `redis://[user[:password]@]host[:port][/db]` or `rediss://…` (TLS). A password of `***`
 * (as saved in a run's config.json) or none at all is taken from $EVOPT_QUEUE_PASSWORD if set.
 */
export function parseQueueUrl(url: string, env: NodeJS.ProcessEnv = process.env): QueueConnection {
  const display = redactSecrets(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(display, 'it is not a URL');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    throw invalid(display, `its scheme is "${parsed.protocol}"`);
  if (parsed.hostname === '') throw invalid(display, 'it names no host');
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) throw invalid(display, `its path "/${db}" is not a database number`);
  const given = decodeURIComponent(parsed.password);
  const fromEnv = env[PASSWORD_ENV];
  if (given === REDACTED && !fromEnv) {
    throw new EvoptError('CONFIG_INVALID', `The queue URL ${display} has a redacted password (evopt never saves it).`, {
      fix: `Set ${PASSWORD_ENV} to the Redis password, or pass the full URL again.`,
      details: { url: display },
    });
  }
  const password = given === '' || given === REDACTED ? fromEnv : given;
  const username = decodeURIComponent(parsed.username);
  const options: RedisOptions = {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port === '' ? 6379 : Number(parsed.port),
    ...(username !== '' && { username }),
    ...(password && { password }),
    ...(db !== '' && { db: Number(db) }),
    ...(parsed.protocol === 'rediss:' && { tls: { servername: parsed.hostname } }),
    // BullMQ workers block on Redis; they must wait for a reconnect rather than fail a command.
    maxRetriesPerRequest: null,
  };
  return { options, display: redactPassword(display, password) };
}

/** Also hides a password that came from the environment, should it appear in a message. */
function redactPassword(text: string, password: string | undefined): string {
  return password ? text.split(password).join(REDACTED) : text;
}

function invalid(display: string, problem: string): EvoptError {
  return new EvoptError('CONFIG_INVALID', `The queue URL "${display}" is not a Redis URL: ${problem}.`, {
    fix: 'Write it as redis://[user:password@]host[:port][/db], or rediss://… for TLS.',
    details: { url: display },
  });
}

/** Waits for `ready` (the clients' waitUntilReady) for at most `timeoutMs`; either failure is an EVALUATION_FAILED naming the redacted URL. */
export async function reachRedis(ready: Promise<unknown>, timeoutMs: number, display: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new EvoptError('EVALUATION_FAILED', `Cannot reach the Redis queue at ${display} within ${timeoutMs} ms.`, {
            fix: 'Start Redis there (see docs/DISTRIBUTED.md), or correct the queue URL and its password.',
            details: { url: display },
          }),
        ),
      timeoutMs,
    );
  });
  try {
    await Promise.race([ready, timeout]);
  } catch (error) {
    throw error instanceof EvoptError
      ? error
      : new EvoptError(
          'EVALUATION_FAILED',
          `Cannot use the Redis queue at ${display}: ${redactSecrets(String(error))}`,
          {
            fix: 'Check that Redis runs there and that the URL and password are right.',
            details: { url: display },
          },
        );
  } finally {
    clearTimeout(timer);
  }
}
