/**
 * The notices slice: messages shown to the user (info goes away by itself, warning and error
 * stay until dismissed), and the store's one error path: every action that can fail runs its
 * work through `runAction`, so a failure becomes an error notice (`reportError`) and the
 * action resolves with its fallback instead of throwing into a click handler.
 */
import type { Notice, NoticesActions, NoticesState, Slice, StoreState } from './types';

/** How many notices are kept (the oldest go first). */
const MAX_NOTICES = 5;

/** The text of a thrown value: an Error's message, else the value as text. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A host error (LabError) or anything else with a message and maybe a remedy. */
function isExplained(error: unknown): error is { message: string; remedy?: string } {
  return (
    typeof error === 'object' &&
    error !== null &&
    !(error instanceof Error) &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

export const createNoticesSlice: Slice<NoticesState & NoticesActions> = () => (set, get) => {
  let noticeId = 0;
  return {
    notices: [],

    notify(level, message, remedy) {
      // The same words already on screen (a file's damage, told by the worker that read it, by the
      // host's status and its log for its copy) are not shown twice; the one with a remedy stays.
      const same = get().notices.find((n) => n.level === level && n.message === message);
      if (same) {
        if (remedy && !same.remedy) set({ notices: get().notices.map((n) => (n === same ? { ...same, remedy } : n)) });
        return;
      }
      const notice: Notice = { id: ++noticeId, level, message, remedy };
      set({ notices: [...get().notices.slice(-(MAX_NOTICES - 1)), notice] });
    },

    reportError(error) {
      if (isExplained(error)) get().notify('error', error.message, error.remedy);
      else get().notify('error', errorText(error));
    },

    dismiss(id) {
      set({ notices: get().notices.filter((n) => n.id !== id) });
    },
  };
};

/**
 * Runs an action's work; when it throws (or rejects), the error is shown with `reportError`
 * and the result is `fallback`. `get` is the store's getState.
 */
export async function runAction<T, F>(get: () => StoreState, work: () => Promise<T>, fallback: F): Promise<T | F> {
  try {
    return await work();
  } catch (error) {
    get().reportError(error);
    return fallback;
  }
}
