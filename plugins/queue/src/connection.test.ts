import { describe, expect, it } from 'vitest';
import { isEvoptError } from '@evopt/core';
import { parseQueueUrl, redactSecrets } from './connection.js';

describe('queue URLs', () => {
  it('parses host, port, user, password, db, and TLS for rediss://', () => {
    const { options, display } = parseQueueUrl('rediss://worker:s3cret%40x@redis.example:6380/2', {});
    expect(options).toMatchObject({
      host: 'redis.example',
      port: 6380,
      username: 'worker',
      password: 's3cret@x',
      db: 2,
      tls: { servername: 'redis.example' },
    });
    expect(display).toBe('rediss://worker:***@redis.example:6380/2');
  });

  it('takes a saved *** password, or a missing one, from $EVOPT_QUEUE_PASSWORD', () => {
    expect(parseQueueUrl('redis://:***@h:1', { EVOPT_QUEUE_PASSWORD: 'pw' }).options.password).toBe('pw');
    expect(parseQueueUrl('redis://h:1', { EVOPT_QUEUE_PASSWORD: 'pw' }).options.password).toBe('pw');
    expect(() => parseQueueUrl('redis://:***@h:1', {})).toThrow(/redacted password.*EVOPT_QUEUE_PASSWORD/s);
  });

  it('refuses other schemes with a fix, without echoing the password', () => {
    let caught: unknown;
    try {
      parseQueueUrl('http://u:hunter2@h', {});
    } catch (error) {
      caught = error;
    }
    expect(isEvoptError(caught, 'CONFIG_INVALID')).toBe(true);
    expect(String((caught as Error).message)).not.toContain('hunter2');
    expect(String((caught as Error).message)).toContain('u:***@h');
  });

  it('redacts every URL password in free text', () => {
    expect(redactSecrets('connect redis://:pw1@a:1 and rediss://u:pw2@b/0 failed')).toBe(
      'connect redis://:***@a:1 and rediss://u:***@b/0 failed',
    );
    expect(redactSecrets('redis://a:1 has none')).toBe('redis://a:1 has none');
  });
});
