import { EvoptError, wrapPluginError } from '../errors.js';
import type { Registries } from '../registry/registries.js';
import type { Registry } from '../registry/registry.js';
import { PLUGIN_API_VERSION, type EvoptPlugin } from './define.js';
import { CONTRIBUTION_ID, type ContributionMeta } from './meta.js';

const KINDS = ['primitives', 'schedules', 'selections', 'tasks', 'evaluators'] as const;

function invalid(plugin: string, problem: string, fix: string, details: Record<string, unknown> = {}): EvoptError {
  return new EvoptError('PLUGIN_INVALID', `Plugin "${plugin}" is invalid: ${problem}`, {
    fix,
    details: { plugin, ...details },
  });
}

/** Refuses a plugin written for another major API version, or a newer minor than this core has. */
export function checkApiVersion(pluginName: string, apiVersion: unknown, coreVersion = PLUGIN_API_VERSION): void {
  const parse = (v: string) => v.split('.').map((n) => Number.parseInt(n, 10));
  if (typeof apiVersion !== 'string' || !/^\d+\.\d+$/.test(apiVersion)) {
    throw invalid(
      pluginName,
      `apiVersion must be a "major.minor" string such as "${coreVersion}", found ${JSON.stringify(apiVersion)}.`,
      `Set apiVersion: "${coreVersion}" in the definePlugin call.`,
    );
  }
  const [major, minor] = parse(apiVersion) as [number, number];
  const [coreMajor, coreMinor] = parse(coreVersion) as [number, number];
  if (major !== coreMajor || minor > coreMinor) {
    throw new EvoptError(
      'PLUGIN_API_MISMATCH',
      `Plugin "${pluginName}" targets plugin API ${apiVersion}, but this evopt implements plugin API ${coreVersion}.`,
      {
        fix:
          major > coreMajor || (major === coreMajor && minor > coreMinor)
            ? 'Upgrade evopt (@evopt/core) to a version that implements that API, or use an older release of the plugin.'
            : `Upgrade the plugin to a release written for plugin API ${coreMajor}.x.`,
        details: { plugin: pluginName, pluginApiVersion: apiVersion, coreApiVersion: coreVersion },
      },
    );
  }
}

function checkMeta(pluginName: string, kind: string, id: string, meta: ContributionMeta | undefined): void {
  if (!meta || typeof meta.summary !== 'string' || meta.summary.trim() === '') {
    throw invalid(
      pluginName,
      `${kind} "${id}" has no meta.summary.`,
      'Give every contribution meta: { summary: "one line" }.',
      { id },
    );
  }
  if (meta.options !== undefined) {
    const defaults = meta.options.safeParse({});
    if (!defaults.success) {
      throw invalid(
        pluginName,
        `${kind} "${id}" has an options schema without defaults for every field (parsing {} failed: ${defaults.error.issues.map((i) => i.message).join('; ')}).`,
        'Give each option a .default(...) so the contribution works without options.',
        { id },
      );
    }
  }
}

/**
 * Checks a plugin's shape and registers its contributions. Runs at load time, so a broken plugin
 * fails before a run starts, with its name in the message.
 */
export function registerPlugin(registries: Registries, plugin: EvoptPlugin): void {
  if (!plugin || typeof plugin !== 'object' || typeof plugin.name !== 'string' || plugin.name === '') {
    throw new EvoptError('PLUGIN_INVALID', 'A plugin must be an object with a non-empty "name".', {
      fix: "Export definePlugin({ name, apiVersion, ... }) as the module's default export.",
    });
  }
  checkApiVersion(plugin.name, plugin.apiVersion);
  const ownPlugin = plugin.name.startsWith('@evopt/');
  for (const kind of KINDS) {
    const list = plugin[kind];
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw invalid(plugin.name, `"${kind}" must be an array.`, `Write ${kind}: [ ... ].`);
    const registry = registries[kind] as Registry<{ id: string }>;
    for (const contribution of list as { id?: unknown; meta?: ContributionMeta }[]) {
      const id = contribution?.id;
      if (typeof id !== 'string' || !CONTRIBUTION_ID.test(id)) {
        throw invalid(
          plugin.name,
          `a ${registry.kind} has an invalid id ${JSON.stringify(id)}.`,
          'Ids are lowercase, like "lion", or namespaced like "my-terms/lion".',
        );
      }
      if (!ownPlugin && !id.includes('/')) {
        throw invalid(
          plugin.name,
          `${registry.kind} "${id}" needs a namespace: bare ids are reserved for evopt's own plugins.`,
          `Rename it "${plugin.name.replace(/^@[^/]+\//, '').replace(/^evopt-plugin-/, '')}/${id}".`,
          { id },
        );
      }
      try {
        checkMeta(plugin.name, registry.kind, id, contribution.meta);
      } catch (error) {
        throw error instanceof EvoptError
          ? error
          : wrapPluginError(error, plugin.name, `${registry.kind} "${id}"`, 'validating its metadata');
      }
      registry.register(contribution as { id: string }, plugin.name);
    }
  }
}
