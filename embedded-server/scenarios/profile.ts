/** `profile`: the lab as it always was — the profile page and its logo, `Cache-Control: no-store`. */
import { buildRoutes } from '../routes';
import type { ScenarioModule } from './types';

export const profileScenario: ScenarioModule = {
  name: 'profile',
  build: ({ profile, logo, template }) => ({
    scenario: 'profile',
    startPath: '/',
    routes: buildRoutes(profile, logo, template),
  }),
};
