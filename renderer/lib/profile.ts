import type { Profile } from '../../bridge/lab-api';

export type ProfileTextField = 'major' | 'studentId' | 'name';

/** The page's fields in the order the page shows them. */
export const PROFILE_TEXT_FIELDS: readonly ProfileTextField[] = ['major', 'studentId', 'name'];

/** Fields the page would show as "not set" (nothing known yet while the profile is still loading). */
export function missingProfileFields(profile: Pick<Profile, ProfileTextField> | null | undefined): ProfileTextField[] {
  if (!profile) return [];
  return PROFILE_TEXT_FIELDS.filter((field) => profile[field].trim() === '');
}
