// Which plugins a worker runs a job with: its own, plus those the job names that are installed where
// it runs at exactly the job's version, loaded on demand. A job names plugins by package name; the
// worker resolves them from its own install, never from a path or URL that the job carries.
import { fileURLToPath } from 'node:url';
import { buildRegistries, createRegistries, loadPlugins, resolvePluginUrl, type ReadonlyRegistries } from '@evopt/core';
import type { QueueVersions } from './versions.js';

/** Where a worker looks for the plugins jobs name, as the config loader resolves plugin names. */
export interface PluginInstall {
  /** Package names resolve from here first: the worker's config directory, or its working directory. */
  readonly baseDir: string;
  /** Then from these: evopt's own install. */
  readonly fallbackDirs?: readonly string[];
}

/** The plugins one job runs with. */
export interface JobPlugins {
  readonly registries: ReadonlyRegistries;
  /** Entry URLs the training threads load. */
  readonly pluginUrls: readonly string[];
}

/** Why a worker will not run a job, and what to do about it. */
export interface Refusal {
  /** `name 1.0.0 (job) vs 2.0.0 (worker)`, one per problem, joined by `; `. */
  readonly mismatch: string;
  readonly fix: string;
}

/** A package name as npm writes it (optionally scoped): no path, no URL, no `node:` builtin. */
const PACKAGE_NAME = /^(?:@[A-Za-z0-9][\w.~-]*\/)?[A-Za-z0-9][\w.~-]*$/;

interface Problem {
  readonly text: string;
  readonly fix: string;
}

/** A plugin found where the worker runs, or why none was: `not installed`, `not a package name`… */
type Lookup =
  { readonly url: string; readonly version: string } | { readonly missing: string; readonly notPackage?: true };

/**
 * The plugins a worker runs each job with. Its own (from its config) serve every job that lists
 * them at the same version; a plugin a job lists that the worker has not loaded is resolved by its
 * package name from `install`, as the config loader resolves plugin names, and loads for that job
 * when it is an evopt plugin of that name at exactly the job's version. Anything else is refused
 * with a fix that says what to install or which config to pass.
 */
export class WorkerPlugins {
  /** Plugins found by name (a failed lookup is tried again by the next job: it may be installed by then). */
  private readonly found = new Map<string, Promise<Lookup>>();
  /** The plugins per set of plugins loaded on demand. */
  private readonly sets = new Map<string, Promise<JobPlugins>>();

  constructor(
    private readonly own: JobPlugins & { readonly versions: QueueVersions },
    /** Without it, only the worker's own plugins serve. */
    private readonly install: PluginInstall | undefined,
    private readonly log: (message: string) => void,
  ) {}

  /** The plugins to run a job with, or why not: another engine, or a plugin missing or at another version. */
  async forJob(job: QueueVersions): Promise<JobPlugins | Refusal> {
    const problems: Problem[] = [];
    const { evopt, plugins } = this.own.versions;
    if (job.evopt !== evopt)
      problems.push({
        text: `evopt ${job.evopt} (job) vs ${evopt} (worker)`,
        fix: `Run evopt ${job.evopt} (its @evopt/core) on this worker.`,
      });
    const extra = new Map<string, string>();
    for (const [name, version] of Object.entries(job.plugins)) {
      const mine = plugins[name];
      const found = mine === undefined ? await this.lookUp(name) : { url: '', version: mine };
      if ('missing' in found)
        problems.push({
          text: `${name} ${version} (job) vs ${found.missing} (worker)`,
          fix: found.notPackage ? this.pathFix(name) : this.installFix(name, version),
        });
      else if (found.version !== version)
        problems.push({
          text: `${name} ${version} (job) vs ${found.version} (worker)`,
          // The worker keeps the version it loaded (Node caches the module), so a new install needs a restart.
          fix: `${this.installFix(name, version)} Then restart the worker.`,
        });
      else if (mine === undefined) extra.set(name, found.url);
    }
    if (problems.length > 0) return refusal(problems);
    if (extra.size === 0) return this.own;
    const key = [...extra.values()].sort().join('\n');
    let set = this.sets.get(key);
    if (!set) this.sets.set(key, (set = this.withExtra([...extra.values()])));
    try {
      return await set;
    } catch (error) {
      this.sets.delete(key);
      const names = [...extra.keys()].join(', ');
      return refusal([
        {
          text: `${names} (job) cannot load beside the worker's plugins: ${firstLine(error)}`,
          fix: `Start the worker with --config naming a config that loads ${names} with its other plugins.`,
        },
      ]);
    }
  }

  private installFix(name: string, version: string): string {
    if (!this.install) return `Start the worker with ${name}@${version} among its plugins.`;
    return `Install ${name}@${version} where the worker runs (npm install ${name}@${version} in ${this.install.baseDir}), or start it with --config naming a config that loads that version.`;
  }

  private pathFix(name: string): string {
    return `The worker loads plugins that jobs name only by package name, never from a path or URL: start it with --config naming a config that loads "${name}".`;
  }

  private lookUp(name: string): Promise<Lookup> {
    let found = this.found.get(name);
    if (!found) {
      this.found.set(name, (found = this.load(name)));
      void found.then((result) => {
        if ('missing' in result) this.found.delete(name);
      });
    }
    return found;
  }

  /** Resolves an installed plugin by its package name and loads it, once: it must be an evopt plugin of that name. */
  private async load(name: string): Promise<Lookup> {
    if (!PACKAGE_NAME.test(name)) return { missing: 'not a package name', notPackage: true };
    if (!this.install) return { missing: 'not loaded' };
    let url: string;
    try {
      url = resolvePluginUrl(name, this.install.baseDir, this.install.fallbackDirs);
    } catch {
      return { missing: 'not installed' };
    }
    if (!url.startsWith('file:')) return { missing: 'not installed' };
    let loaded;
    try {
      [loaded] = await loadPlugins([url], this.install.baseDir, createRegistries());
    } catch (error) {
      return { missing: `installed, but not as an evopt plugin: ${firstLine(error)}` };
    }
    if (loaded?.plugin.name !== name)
      return { missing: `not installed: package ${name} holds plugin "${loaded?.plugin.name ?? '?'}"` };
    this.log(`plugin ${name}@${loaded.version} loaded on demand from ${fileURLToPath(url)}`);
    return { url, version: loaded.version };
  }

  private async withExtra(extra: readonly string[]): Promise<JobPlugins> {
    const pluginUrls = [...this.own.pluginUrls, ...extra];
    const { registries } = await buildRegistries(pluginUrls, this.install?.baseDir ?? process.cwd());
    return { registries, pluginUrls };
  }
}

function refusal(problems: readonly Problem[]): Refusal {
  return { mismatch: problems.map((p) => p.text).join('; '), fix: [...new Set(problems.map((p) => p.fix))].join(' ') };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
