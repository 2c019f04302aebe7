import { z } from 'zod';
import type { EvaluatorDefinition } from '@evopt/core';
import { QueueEvaluator } from './evaluator.js';

const redisUrl = z.string().regex(/^rediss?:\/\//, 'expected a redis:// or rediss:// URL');

const queueOptions = z.strictObject({
  url: redisUrl.default('redis://127.0.0.1:6379'),
  queueName: z
    .string()
    .min(1)
    .regex(/^[^:]+$/, 'a queue name cannot contain ":"')
    .default('evopt'),
  attempts: z.int().min(1).max(100).default(3),
  backoffMs: z.int().min(0).default(1000),
  keepSeconds: z
    .int()
    .min(1)
    .default(7 * 24 * 3600),
  connectTimeoutMs: z.int().min(100).default(10_000),
});

/** Options of the 'queue' evaluator, defaults filled in. */
export type QueueEvaluatorDefinitionOptions = z.output<typeof queueOptions>;

/** 'queue': one Redis (BullMQ) job per evaluation, run by `evopt worker` processes on any machine. */
export const queueEvaluatorDefinition: EvaluatorDefinition<QueueEvaluatorDefinitionOptions> = {
  id: 'queue',
  meta: {
    summary: 'Enqueues each evaluation as a Redis job; `evopt worker --queue <url>` processes on any machine run them.',
    docs: [
      '- `url`: redis://[user:password@]host[:port][/db], or rediss:// for TLS (default redis://127.0.0.1:6379). The password is never logged or saved; a saved `***` is read from $EVOPT_QUEUE_PASSWORD.',
      '- `queueName`: the BullMQ queue; workers must use the same one.',
      '- `attempts`: tries per job before its record is final (a failed genome is retried, maybe on another worker).',
      '- `backoffMs`: delay before the first retry, doubled for each further one.',
      '- `keepSeconds`: how long finished jobs stay in Redis, so a restarted run finds their results.',
      '- `connectTimeoutMs`: how long to wait for Redis before the run stops with an error.',
      'Stall detection (a worker killed mid-job) is configured on the workers: `evopt worker --lock-duration --stalled-interval`.',
    ].join('\n'),
    options: queueOptions,
  },
  create: (options, context) => new QueueEvaluator(options, context),
};
