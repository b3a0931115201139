/**
 * WireLab's embedded profile web server.
 *
 * - `userDataDir(appName?, options?)` — per-OS user data folder (or the Electron shell's `app.getPath('userData')`).
 * - `ProfileStore.open(dir)` — profile.json + logo, atomic saves; `get()`, `update(partial)`, `setLogo(bytes)`,
 *   `resetLogo()`, `logo()`, `problems`, `on('change')`.
 * - `new ProfileServer({ store, host?, port?, allowNetworkExposure? })` — `start()`, `stop()`,
 *   `on('request' | 'rejected' | 'warning')`.
 * - Errors: `ProfileError` (codes INVALID_FIELD, LOGO_*, STORAGE) and `ServerError` (EADDRINUSE, EACCES,
 *   EADDRNOTAVAIL, NETWORK_EXPOSURE_REFUSED, INVALID_PORT, INVALID_HOST, LISTEN_FAILED), each with
 *   `message` (en) and `messageZh`.
 */
export { ProfileError, ServerError, type ProfileErrorCode, type ServerErrorCode } from './errors';
export { userDataDir, type UserDataDirOptions } from './paths';
export { detectImageFormat, validateLogo, LOGO_FORMATS, MAX_LOGO_BYTES, type LogoFormat, type LogoType } from './logo';
export {
  DEFAULT_PROFILE,
  FIELD_LIMITS,
  PROFILE_FIELDS,
  validateField,
  validateProfilePatch,
  type ProfileFields,
  type ProfileField,
} from './profile';
export {
  ProfileStore,
  PROFILE_FILE,
  writeFileAtomic,
  type Logo,
  type ProfileStoreOptions,
  type StoreProblem,
  type StoreProblemCode,
} from './store';
export { escapeHtml, renderProfilePage, contentSecurityPolicy, EMPTY_FIELD_TEXT, type RenderedPage } from './page';
export { buildRoutes, logoPath, requestPath, defaultTemplate, type Resource } from './routes';
export { findAssetsDir, loadDefaultAssets, DEFAULT_LOGO_FILE, TEMPLATE_FILE, type DefaultAssets } from './assets';
export {
  ProfileServer,
  isLoopbackHost,
  DEFAULT_HOST,
  DEFAULT_PORT,
  type ProfileServerOptions,
  type StartedInfo,
  type RequestEvent,
  type RejectedEvent,
  type WarningEvent,
} from './server';
export {
  SCENARIO_NAMES,
  DEFAULT_SCENARIO,
  isScenarioName,
  buildSite,
  LAB_CREDENTIALS,
  PROTECTED_PATH,
  UPLOAD_PATH,
  UPLOAD_MAX_BYTES,
  UPLOAD_SAMPLE_FILE,
  loadUploadSample,
  type ScenarioName,
  type Site,
  type SiteResource,
} from './scenarios';
