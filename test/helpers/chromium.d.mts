/** Types of chromium.mjs (shared with the .mjs benches). */
export declare const CHROMIUM_PATH: string;
export declare const CHROMIUM_FLAGS: readonly string[];
