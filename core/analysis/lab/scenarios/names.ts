/**
 * The lab's scenarios, one per assignment of the HTTP and TCP lab handouts. The names are
 * shared by the embedded server (what it serves), `wirelab lab --scenario`, the LabApi and the
 * analysis (which checklist and questions apply).
 */
export const LAB_SCENARIOS = [
  'profile',
  'conditional-get',
  'long-document',
  'embedded-objects',
  'non-persistent',
  'basic-auth',
  'upload',
] as const;

export type LabScenario = (typeof LAB_SCENARIOS)[number];

export const DEFAULT_LAB_SCENARIO: LabScenario = 'profile';

export function isLabScenario(name: unknown): name is LabScenario {
  return typeof name === 'string' && (LAB_SCENARIOS as readonly string[]).includes(name);
}
