import { Option, type Command } from 'commander';
import { buildRegistries, EvoptError, loadConfig } from '@evopt/core';
import { integerOption } from '../cli/integer-option.js';
import type { ProgramContext } from '../cli/program.js';
import { APP_DIR } from '../composition/container.js';
import { EVOPT_VERSION } from '../version.js';

interface WorkerFlags {
  queue: string;
  queueName: string;
  concurrency: number;
  config?: string;
  backend?: 'auto' | 'tensorflow' | 'wasm' | 'cpu';
  lockDuration: number;
  stalledInterval: number;
}

const positive = (name: string) => integerOption(name, 1);

/**
 * `evopt worker --queue <url>`: serves a run's 'queue' evaluator. It loads the plugins of its own
 * config (evopt.config.* here, or --config; the built-ins without one), and any other plugin a job
 * names that is installed here at the job's version (resolved by package name from the config's
 * directory, then evopt's install, as the config's plugin names are). It takes jobs until Ctrl-C,
 * and refuses jobs enqueued with another evopt, or with a plugin missing here or at another version.
 */
export function registerWorker(program: Command, context: ProgramContext): void {
  program
    .command('worker')
    .description('evaluate genomes for runs that use a Redis queue (evopt evolve --queue <url>), until stopped')
    .requiredOption('--queue <url>', 'redis://[user:password@]host[:port][/db], or rediss:// for TLS')
    .option('--queue-name <name>', 'the BullMQ queue the runs use', 'evopt')
    .option('--concurrency <n>', 'jobs evaluated at once by this process', positive('--concurrency'), 1)
    .option(
      '-c, --config <file>',
      'config whose plugins, dataDir and backend to use (default: evopt.config.* in this directory, if any)',
    )
    .addOption(new Option('--backend <name>', 'tensor backend').choices(['auto', 'tensorflow', 'wasm', 'cpu']))
    .option(
      '--lock-duration <ms>',
      "how long a job stays locked without renewal; a killed worker's job moves on after this",
      positive('--lock-duration'),
      30_000,
    )
    .option(
      '--stalled-interval <ms>',
      'how often to look for jobs of killed workers',
      positive('--stalled-interval'),
      30_000,
    )
    .action(async (flags: WorkerFlags) => {
      const queue = await import('@evopt/plugin-queue');
      context.setStopMessage(
        'stopping: finishing the jobs in progress (Ctrl-C again to abandon them; they move to another worker)',
      );
      const loaded = await loadConfig({
        cwd: context.cwd,
        ...(flags.config && { configFile: flags.config }),
        ...(flags.backend && { overrides: { backend: flags.backend } }),
      });
      const { registries, plugins } = await buildRegistries(loaded.config.plugins, loaded.baseDir, [APP_DIR]);
      const versions = {
        evopt: queue.evoptVersion(),
        plugins: {
          ...Object.fromEntries(plugins.map((p) => [p.plugin.name, p.version])),
          [queue.QUEUE_PLUGIN_NAME]: queue.QUEUE_PLUGIN_VERSION,
        },
      };
      const log = (message: string): void => context.log(queue.redactSecrets(message));
      const worker = queue.startQueueWorker({
        url: flags.queue,
        queueName: flags.queueName,
        concurrency: flags.concurrency,
        registries,
        pluginUrls: plugins.map((p) => p.url),
        versions,
        install: { baseDir: loaded.baseDir, fallbackDirs: [APP_DIR] },
        dataDir: loaded.config.dataDir,
        backend: loaded.config.backend,
        log,
        lockDurationMs: flags.lockDuration,
        stalledIntervalMs: flags.stalledInterval,
      });
      const display = queue.parseQueueUrl(flags.queue).display;
      try {
        await Promise.race([worker.ready, stopped(context.signal)]);
      } catch (error) {
        await worker.close(true);
        if (error instanceof EvoptError) throw error;
        throw new EvoptError(
          'EVALUATION_FAILED',
          `Cannot reach the Redis queue at ${display}: ${queue.redactSecrets(String(error))}`,
          {
            fix: 'Start Redis there (see docs/DISTRIBUTED.md), or correct the URL and its password.',
            details: { url: display },
          },
        );
      }
      log(
        `worker ${worker.name} (evopt ${EVOPT_VERSION}, engine ${versions.evopt}) takes jobs from ${display} queue "${flags.queueName}"; plugins: ${Object.entries(
          versions.plugins,
        )
          .map(([n, v]) => `${n}@${v}`)
          .join(', ')} (others that jobs name load when installed at their version)`,
      );
      await stopped(context.signal).catch(() => undefined);
      log(`worker ${worker.name} stopping`);
      await worker.close();
    });
}

/** Rejects (with ABORTED) when the signal aborts: Ctrl-C or SIGTERM. */
function stopped(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const abort = () => reject(new EvoptError('ABORTED', 'The worker was stopped.'));
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
  });
}
