import { EvoptError, type LoadedRegistries } from '@evopt/core';
import { resolveSubject, type TrialSubject } from '../trials/index.js';

export interface CiSubjects {
  readonly baseline: TrialSubject & { readonly reference: string };
  /** In the ci block's order, with labels unique among them. */
  readonly guarded: readonly (TrialSubject & { readonly reference: string })[];
}

/** A genome must only use primitives and schedules the config's plugins provide: else it is a config error, not a crash mid-run. */
function assertKnownParts(subject: TrialSubject, reference: string, registries: LoadedRegistries['registries']): void {
  const missing = [
    ...subject.genome.terms
      .filter((t) => !registries.primitives.has(t.primitive))
      .map((t) => `primitive "${t.primitive}" (known: ${registries.primitives.ids().join(', ')})`),
    ...(registries.schedules.has(subject.genome.schedule.id)
      ? []
      : [`schedule "${subject.genome.schedule.id}" (known: ${registries.schedules.ids().join(', ')})`]),
  ];
  if (missing.length === 0) return;
  throw new EvoptError(
    'GENOME_INVALID',
    `The ci genome ${reference} uses ${missing.join(' and ')}, which no loaded plugin provides.`,
    {
      fix: "Add the plugin that provides it to the config's plugins, or fix the genome.",
      details: { genome: reference, missing },
    },
  );
}

/**
 * The baseline and the guarded genomes of a ci block, each a baseline id, a genome file (relative
 * to the config file), a run directory or a run id. Two guarded genomes whose labels clash (two
 * files named mine.json in different folders) are labelled by their references instead, so each
 * has its own record entry.
 */
export async function resolveCiSubjects(
  references: { readonly baseline: string; readonly genomes: readonly string[] },
  options: { readonly baseDir: string; readonly runsDir: string; readonly registries: LoadedRegistries['registries'] },
): Promise<CiSubjects> {
  const resolveOne = async (reference: string) => {
    const subject = await resolveSubject(reference, {
      cwd: options.baseDir,
      runsDir: options.runsDir,
      lookups: options.registries,
    });
    assertKnownParts(subject, reference, options.registries);
    return { ...subject, reference };
  };
  const baseline = await resolveOne(references.baseline);
  const guarded = [];
  for (const reference of references.genomes) guarded.push(await resolveOne(reference));
  const counts = new Map<string, number>();
  for (const g of guarded) counts.set(g.label, (counts.get(g.label) ?? 0) + 1);
  return { baseline, guarded: guarded.map((g) => ((counts.get(g.label) ?? 0) > 1 ? { ...g, label: g.reference } : g)) };
}
