/** The appearance slice: language, theme and pane sizes, each saved in preferences when changed. */
import type { AppearanceActions, AppearanceState, Slice } from './types';

export const createAppearanceSlice =
  (initial: Pick<AppearanceState, 'language' | 'theme'>): Slice<AppearanceState & AppearanceActions> =>
  ({ preferences }) =>
  (set) => {
    // What the app starts with is remembered too (the detected language, the system's theme).
    preferences.save(initial);
    return {
      ...initial,
      layout: preferences.current.layout,

      setLanguage(language) {
        set({ language });
        preferences.save({ language });
      },

      setTheme(theme) {
        set({ theme });
        preferences.save({ theme });
      },

      setLayout(layout) {
        set({ layout });
        preferences.save({ layout });
      },
    };
  };
