/**
 * Errors the embedded server and profile store report to users. Each carries a stable `code`
 * (for the UI and tests), an English `message` and a Simplified Chinese `messageZh`, both
 * saying what happened and what to do next.
 */

export type ProfileErrorCode =
  'INVALID_FIELD' | 'LOGO_EMPTY' | 'LOGO_TOO_LARGE' | 'LOGO_SVG' | 'LOGO_UNSUPPORTED' | 'LOGO_TRUNCATED' | 'STORAGE';

export class ProfileError extends Error {
  override readonly name = 'ProfileError';
  readonly code: ProfileErrorCode;
  readonly messageZh: string;
  /** The profile field at fault, for INVALID_FIELD. */
  readonly field: string | undefined;

  constructor(code: ProfileErrorCode, message: string, messageZh: string, field?: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.messageZh = messageZh;
    this.field = field;
  }
}

export type ServerErrorCode =
  | 'EADDRINUSE'
  | 'EACCES'
  | 'EADDRNOTAVAIL'
  | 'NETWORK_EXPOSURE_REFUSED'
  | 'INVALID_PORT'
  | 'INVALID_HOST'
  | 'ALREADY_STARTED'
  | 'LISTEN_FAILED';

export class ServerError extends Error {
  override readonly name = 'ServerError';
  readonly code: ServerErrorCode;
  readonly messageZh: string;

  constructor(code: ServerErrorCode, message: string, messageZh: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.messageZh = messageZh;
  }
}
