import { EvoptError } from '../errors.js';

export interface Registered<T> {
  readonly item: T;
  /** The plugin that contributed it. */
  readonly plugin: string;
}

/**
 * A typed map from namespaced id to contribution, in the style of tfjs' kernel registry: a
 * duplicate id names both plugins, an unknown id lists the ids that exist, and after `freeze()`
 * (before a run starts) nothing can be added.
 */
export class Registry<T extends { readonly id: string }> {
  private readonly entries = new Map<string, Registered<T>>();
  private frozen = false;

  /** `kind` is the singular noun used in messages ("primitive", "schedule", …), `plural` its plural. */
  constructor(
    readonly kind: string,
    private readonly plural = `${kind}s`,
  ) {}

  register(item: T, plugin: string): void {
    if (this.frozen) {
      throw new EvoptError(
        'REGISTRY_FROZEN',
        `Cannot register ${this.kind} "${item.id}" from "${plugin}": the registry is frozen once a run starts.`,
        {
          fix: 'Name the plugin in evopt.config.ts so it loads before the run.',
          details: { kind: this.kind, id: item.id, plugin },
        },
      );
    }
    const existing = this.entries.get(item.id);
    if (existing) {
      throw new EvoptError(
        'REGISTRY_DUPLICATE',
        `Two plugins define the ${this.kind} "${item.id}": "${existing.plugin}" and "${plugin}".`,
        {
          fix: `Remove one of them from the config's plugins, or give one ${this.kind} a namespaced id such as "my-plugin/${item.id}".`,
          details: { kind: this.kind, id: item.id, plugins: [existing.plugin, plugin] },
        },
      );
    }
    this.entries.set(item.id, { item, plugin });
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  get(id: string): T {
    return this.lookup(id).item;
  }

  /** The contribution together with the plugin that made it. */
  lookup(id: string): Registered<T> {
    const found = this.entries.get(id);
    if (found) return found;
    const known = this.ids();
    throw new EvoptError(
      'REGISTRY_UNKNOWN',
      `Unknown ${this.kind} "${id}". Known ${this.plural}: ${known.length ? known.join(', ') : '(none)'}.`,
      {
        fix: `Use one of the known ids, or add the plugin that provides "${id}" to the config's plugins.`,
        details: { kind: this.kind, id, known },
      },
    );
  }

  ids(): string[] {
    return [...this.entries.keys()].sort();
  }

  all(): Registered<T>[] {
    return this.ids().map((id) => this.entries.get(id) as Registered<T>);
  }

  get size(): number {
    return this.entries.size;
  }

  freeze(): this {
    this.frozen = true;
    return this;
  }

  get isFrozen(): boolean {
    return this.frozen;
  }
}

/** The read side of a registry, for code that must not register. */
export type ReadonlyRegistry<T extends { readonly id: string }> = Pick<
  Registry<T>,
  'kind' | 'has' | 'get' | 'lookup' | 'ids' | 'all' | 'size' | 'isFrozen'
>;
