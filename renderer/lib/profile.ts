import { PROFILE_FIELDS, type ProfileField, type ProfileFields } from '../../bridge/lab-api';

/** Fields the page would show as "not set" (nothing known yet while the profile is still loading). */
export function missingProfileFields(profile: ProfileFields | null | undefined): ProfileField[] {
  if (!profile) return [];
  return PROFILE_FIELDS.filter((field) => profile[field].trim() === '');
}
