import type { Command } from 'commander';
import {
  buildRegistries,
  corePlugin,
  loadConfig,
  type ContributionMeta,
  type EvoptPlugin,
  type LoadedPlugin,
  type ScheduleDefinition,
} from '@evopt/core';
import type { ProgramContext } from '../cli/program.js';
import { APP_DIR } from '../composition/container.js';

/** One contribution as `evopt plugins` shows it. */
export interface ContributionInfo {
  readonly kind: 'primitive' | 'schedule' | 'selection' | 'task' | 'evaluator';
  readonly id: string;
  readonly summary: string;
  /** Option defaults (`options.parse({})`), or schedule params as `min–max (default)`. */
  readonly options: Readonly<Record<string, unknown>>;
}

export interface PluginInfo {
  readonly name: string;
  readonly version: string | null;
  readonly apiVersion: string;
  /** As written in the config; null for evopt's core. */
  readonly specifier: string | null;
  readonly url: string | null;
  readonly entryHash: string | null;
  readonly contributions: readonly ContributionInfo[];
}

function optionDefaults(meta: ContributionMeta): Record<string, unknown> {
  if (!meta.options) return {};
  const parsed = meta.options.safeParse({});
  return parsed.success && parsed.data !== null && typeof parsed.data === 'object'
    ? (parsed.data as Record<string, unknown>)
    : {};
}

function scheduleParams(schedule: ScheduleDefinition): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(schedule.meta.params).map(([name, p]) => [name, `${p.min}–${p.max} (${p.default})`]),
  );
}

function contributionsOf(plugin: EvoptPlugin): ContributionInfo[] {
  return [
    ...(plugin.primitives ?? []).map((c) => ({
      kind: 'primitive' as const,
      id: c.id,
      summary: c.meta.summary,
      options: optionDefaults(c.meta),
    })),
    ...(plugin.schedules ?? []).map((c) => ({
      kind: 'schedule' as const,
      id: c.id,
      summary: c.meta.summary,
      options: scheduleParams(c),
    })),
    ...(plugin.selections ?? []).map((c) => ({
      kind: 'selection' as const,
      id: c.id,
      summary: c.meta.summary,
      options: optionDefaults(c.meta),
    })),
    ...(plugin.tasks ?? []).map((c) => ({
      kind: 'task' as const,
      id: c.id,
      summary: c.meta.summary,
      options: optionDefaults(c.meta),
    })),
    ...(plugin.evaluators ?? []).map((c) => ({
      kind: 'evaluator' as const,
      id: c.id,
      summary: c.meta.summary,
      options: optionDefaults(c.meta),
    })),
  ];
}

function infoOf(loaded: LoadedPlugin): PluginInfo {
  const { plugin } = loaded;
  return {
    name: plugin.name,
    version: loaded.version,
    apiVersion: plugin.apiVersion,
    specifier: loaded.specifier,
    url: loaded.url,
    entryHash: loaded.entryHash,
    contributions: contributionsOf(plugin),
  };
}

const shown = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** Plain text: a block per plugin, its contributions grouped by kind with their summaries and options. */
export function formatPlugins(plugins: readonly PluginInfo[]): string {
  const lines: string[] = [];
  for (const p of plugins) {
    const origin = p.specifier === null ? 'built in' : `from ${p.specifier}`;
    lines.push(
      `${p.name}${p.version ? ` ${p.version}` : ''} · plugin API ${p.apiVersion} · ${origin}${p.entryHash ? ` · entry ${p.entryHash}` : ''}`,
    );
    const width = Math.max(0, ...p.contributions.map((c) => c.id.length));
    for (const kind of ['primitive', 'schedule', 'selection', 'task', 'evaluator'] as const) {
      const ofKind = p.contributions.filter((c) => c.kind === kind);
      if (ofKind.length === 0) continue;
      lines.push(`  ${kind === 'selection' ? 'selections' : `${kind}s`}`);
      for (const c of ofKind) {
        const options = Object.entries(c.options);
        lines.push(`    ${c.id.padEnd(width)}  ${c.summary}`);
        if (options.length > 0)
          lines.push(
            `    ${''.padEnd(width)}  ${kind === 'schedule' ? 'params' : 'options'}: ${options.map(([k, v]) => `${k} ${shown(v)}`).join(' · ')}`,
          );
      }
    }
    lines.push('');
  }
  return lines.join('\n').trimEnd();
}

/**
 * `evopt plugins`: what the config's plugins (and evopt's core) contribute, loaded exactly as a run
 * would load them, so a plugin that fails here would fail the run too.
 */
export async function listPlugins(options: {
  readonly cwd: string;
  readonly configFile?: string;
  readonly preset?: string;
}): Promise<PluginInfo[]> {
  const { config, baseDir } = await loadConfig({
    cwd: options.cwd,
    ...(options.configFile && { configFile: options.configFile }),
    ...(options.preset && { preset: options.preset }),
  });
  const { plugins } = await buildRegistries(config.plugins, baseDir, [APP_DIR]);
  const core: PluginInfo = {
    name: corePlugin.name,
    version: null,
    apiVersion: corePlugin.apiVersion,
    specifier: null,
    url: null,
    entryHash: null,
    contributions: contributionsOf(corePlugin),
  };
  return [core, ...plugins.map(infoOf)];
}

export function registerPlugins(program: Command, context: ProgramContext): void {
  program
    .command('plugins')
    .description(
      'list the plugins the config loads and what each contributes (primitives, schedules, selections, tasks, evaluators), with summaries and options',
    )
    .option('-c, --config <file>', 'config file (default: evopt.config.* in this directory, if any)')
    .option('-p, --preset <name>', 'the plugins of a preset: smoke, quick or paper')
    .option('--json', 'print JSON')
    .action(async (flags: { config?: string; preset?: string; json?: boolean }) => {
      const plugins = await listPlugins({
        cwd: context.cwd,
        ...(flags.config && { configFile: flags.config }),
        ...(flags.preset && { preset: flags.preset }),
      });
      context.print(flags.json ? JSON.stringify(plugins, null, 2) : formatPlugins(plugins));
    });
}
