/**
 * The Encoding API (TextDecoder/TextEncoder) exists in every runtime core/ runs in — Node,
 * Web Workers, browsers — but core/tsconfig.json's lib is plain ES so that no DOM or Node API
 * creeps in. This declares only the part core uses. (The root tsconfig gets it from lib DOM.)
 */
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  readonly encoding: string;
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
}

declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
