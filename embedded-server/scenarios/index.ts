/** The lab scenarios of the embedded server, by name (see types.ts). */
import { basicAuthScenario } from './basic-auth';
import { conditionalGetScenario } from './conditional-get';
import { embeddedObjectsScenario } from './embedded-objects';
import { longDocumentScenario } from './long-document';
import { nonPersistentScenario } from './non-persistent';
import { profileScenario } from './profile';
import type { ScenarioModule, ScenarioName, Site, SiteInput } from './types';
import { uploadScenario } from './upload';

export * from './types';
export { LAB_CREDENTIALS, PROTECTED_PATH } from './basic-auth';
export { EMBEDDED_OBJECT_COUNT, EMBEDDED_OBJECT_DELAY_MS } from './embedded-objects';
export { LONG_DOCUMENT_MIN_BYTES } from './long-document';
export { UPLOAD_MAX_BYTES, UPLOAD_PATH, uploadReceivedPage } from './upload';
export { loadUploadSample, UPLOAD_SAMPLE_FILE } from './sample';

export const SCENARIOS: Readonly<Record<ScenarioName, ScenarioModule>> = Object.freeze({
  profile: profileScenario,
  'conditional-get': conditionalGetScenario,
  'long-document': longDocumentScenario,
  'embedded-objects': embeddedObjectsScenario,
  'non-persistent': nonPersistentScenario,
  'basic-auth': basicAuthScenario,
  upload: uploadScenario,
});

export function buildSite(name: ScenarioName, input: SiteInput): Site {
  return SCENARIOS[name].build(input);
}
