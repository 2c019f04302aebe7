import { definePlugin, PLUGIN_API_VERSION } from '@evopt/core';
import { queueEvaluatorDefinition } from './definition.js';
import { QUEUE_PLUGIN_NAME, QUEUE_PLUGIN_VERSION } from './versions.js';

export { queueEvaluatorDefinition, type QueueEvaluatorDefinitionOptions } from './definition.js';
export { QueueEvaluator, REDIS_WORKER, type QueueEvaluatorOptions } from './evaluator.js';
export { startQueueWorker, type QueueWorker, type QueueWorkerOptions } from './worker.js';
export type { PluginInstall } from './job-plugins.js';
export { parseQueueUrl, redactSecrets, PASSWORD_ENV, REDACTED, type QueueConnection } from './connection.js';
export { queueJobId, VERSION_REFUSED, type QueueJobData, type QueueJobResult } from './job.js';
export {
  evoptVersion,
  pluginVersions,
  QUEUE_PLUGIN_NAME,
  QUEUE_PLUGIN_VERSION,
  type QueueVersions,
} from './versions.js';

/** Distributed evaluation: the 'queue' evaluator (Redis, BullMQ). `evopt worker` serves it. */
export default definePlugin({
  name: QUEUE_PLUGIN_NAME,
  apiVersion: PLUGIN_API_VERSION,
  version: QUEUE_PLUGIN_VERSION,
  evaluators: [queueEvaluatorDefinition],
});
