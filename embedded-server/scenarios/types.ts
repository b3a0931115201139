/**
 * Lab scenarios: what the embedded server serves for each assignment of the HTTP and TCP lab.
 * A scenario is data — a route table of resources plus a few site-wide switches — built by one
 * small module per scenario (./<name>.ts); the server (../server.ts) applies the switches the
 * same way for every scenario, so its hostile-input guarantees hold in each.
 */
import type { ProfileFields } from '../profile';
import type { Resource } from '../routes';
import type { Logo } from '../store';

import {
  DEFAULT_LAB_SCENARIO,
  isLabScenario,
  LAB_SCENARIOS,
  type LabScenario,
} from '../../core/analysis/lab/scenarios/names';

export const SCENARIO_NAMES = LAB_SCENARIOS;
export type ScenarioName = LabScenario;
export const DEFAULT_SCENARIO: ScenarioName = DEFAULT_LAB_SCENARIO;
export const isScenarioName = isLabScenario;

/** One served resource and how the server treats requests for it. */
export interface SiteResource extends Resource {
  /** Sends ETag and Last-Modified, and answers a matching If-None-Match / If-Modified-Since with 304. */
  validators?: { etag: string; lastModified: string };
  /** Cache-Control (default `no-store`). */
  cacheControl?: string;
  /** The response is sent after this many milliseconds (a slow object, so browsers open parallel connections). */
  delayMs?: number;
  /** Needs the site's Basic credentials (401 with WWW-Authenticate otherwise). */
  protected?: boolean;
}

export interface BasicAuth {
  realm: string;
  user: string;
  password: string;
}

export interface UploadTarget {
  /** The only path that accepts a request body (POST). */
  path: string;
  /** Larger bodies get 413 and the connection is closed. */
  maxBytes: number;
}

/** What the server serves in one scenario. */
export interface Site {
  scenario: ScenarioName;
  /** The path the lab opens first (and `--visit` starts from). */
  startPath: string;
  routes: Map<string, SiteResource>;
  /** Every response carries `Connection: close` (non-persistent HTTP). */
  connectionClose?: boolean;
  auth?: BasicAuth;
  upload?: UploadTarget;
}

/** What a scenario module builds its site from. */
export interface SiteInput {
  profile: ProfileFields;
  logo: Logo;
  /** The profile page template (assets/profile-page.html or the caller's). */
  template: string;
  assetsDir?: string;
  /** When the content was (re)built: the Last-Modified of revalidated resources. */
  builtAt: Date;
}

export interface ScenarioModule {
  name: ScenarioName;
  build(input: SiteInput): Site;
}
