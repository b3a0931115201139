/**
 * ProfileStore: the student's profile (major, student ID, name) and logo, kept in the user's
 * data directory as `profile.json` plus `logo.<ext>`.
 *
 * - Every write is atomic (temp file, fsync, rename), and writes are serialised, so a crash or
 *   a power cut leaves either the old or the new file, never a torn one.
 * - A corrupt or unreadable profile.json does not stop the app: the store falls back to the
 *   defaults, keeps the bad file aside as `profile.json.corrupt-<time>`, and lists what
 *   happened in `problems` for the UI to show.
 * - The logo is checked by its bytes (see logo.ts); the logo file name on disk is always one
 *   of the fixed names `logo.jpg|png|gif|webp`, whatever profile.json says.
 */
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { ProfileError } from './errors';
import { loadDefaultAssets } from './assets';
import { detectImageFormat, LOGO_FORMATS, validateLogo, type LogoType } from './logo';
import { DEFAULT_PROFILE, PROFILE_FIELDS, validateField, validateProfilePatch, type ProfileFields } from './profile';

export const PROFILE_FILE = 'profile.json';

export interface Logo {
  /** The image bytes. Treat as read-only. */
  readonly bytes: Uint8Array;
  readonly type: LogoType;
  readonly ext: 'jpg' | 'png' | 'gif' | 'webp';
  /** True while the user has not chosen a logo of their own. */
  readonly isDefault: boolean;
}

export type StoreProblemCode =
  'CORRUPT_PROFILE' | 'UNREADABLE_PROFILE' | 'INVALID_FIELD' | 'LOGO_MISSING' | 'LOGO_INVALID';

/** Something wrong found while opening the store; the store still works, using defaults where needed. */
export interface StoreProblem {
  code: StoreProblemCode;
  message: string;
  messageZh: string;
  /** Where the bad file was kept, when it was moved aside. */
  backupPath?: string;
}

export interface ProfileStoreOptions {
  /** Default logo bytes (PNG/JPEG/GIF/WebP); defaults to assets/default-logo.png. */
  defaultLogo?: Uint8Array;
  /** Where to find assets/ when defaultLogo is not given. */
  assetsDir?: string;
}

interface StoreEvents {
  change: [profile: ProfileFields, logo: Logo];
}

interface OnDisk {
  version: 1;
  major: string;
  studentId: string;
  name: string;
  /** `logo.<ext>` or null for the default logo. */
  logo: string | null;
}

const LOGO_FILE_NAMES = LOGO_FORMATS.map((f) => `logo.${f.ext}`);

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function isErrno(e: unknown, ...codes: string[]): boolean {
  return e instanceof Error && codes.includes((e as NodeJS.ErrnoException).code ?? '');
}

/** Writes `data` to `file` atomically: temp file in the same folder, fsync, rename (retried on Windows locks). */
export async function writeFileAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await fsp.open(tmp, 'wx', 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    for (let attempt = 0; ; attempt++) {
      try {
        await fsp.rename(tmp, file);
        break;
      } catch (e) {
        // Windows: antivirus or indexers briefly lock the target.
        if (attempt < 5 && isErrno(e, 'EPERM', 'EACCES', 'EBUSY')) {
          await new Promise((r) => setTimeout(r, 20 * (attempt + 1)));
          continue;
        }
        throw e;
      }
    }
  } catch (e) {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
}

export class ProfileStore extends EventEmitter<StoreEvents> {
  readonly dir: string;
  readonly profilePath: string;
  /** What went wrong while opening (empty when all was well). */
  readonly problems: readonly StoreProblem[];

  #profile: ProfileFields;
  #logoFile: string | null;
  #logo: Logo;
  readonly #defaultLogo: Logo;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    dir: string,
    profile: ProfileFields,
    logoFile: string | null,
    logo: Logo,
    defaultLogo: Logo,
    problems: StoreProblem[],
  ) {
    super();
    this.dir = dir;
    this.profilePath = path.join(dir, PROFILE_FILE);
    this.#profile = profile;
    this.#logoFile = logoFile;
    this.#logo = logo;
    this.#defaultLogo = defaultLogo;
    this.problems = Object.freeze(problems);
  }

  /** Opens (creating if needed) the store in `dir`, e.g. `userDataDir()` or Electron's userData path. */
  static async open(dir: string, options: ProfileStoreOptions = {}): Promise<ProfileStore> {
    const absDir = path.resolve(dir);
    try {
      await fsp.mkdir(absDir, { recursive: true });
    } catch (e) {
      throw new ProfileError(
        'STORAGE',
        `Could not create the folder for your profile (${absDir}): ${errorText(e)}. Check that you can write there.`,
        `无法创建保存个人信息的文件夹 (${absDir})：${errorText(e)}。请检查该位置是否可写。`,
        undefined,
        { cause: e },
      );
    }
    await ProfileStore.#removeStaleTemps(absDir);

    const defaultBytes = options.defaultLogo ?? loadDefaultAssets(options.assetsDir).defaultLogo;
    const defaultFormat = validateLogo(defaultBytes);
    const defaultLogo: Logo = Object.freeze({
      bytes: defaultBytes,
      type: defaultFormat.type,
      ext: defaultFormat.ext,
      isDefault: true,
    });

    const problems: StoreProblem[] = [];
    const profile: ProfileFields = { ...DEFAULT_PROFILE };
    let logoFile: string | null = null;
    const profilePath = path.join(absDir, PROFILE_FILE);

    let text: string | null = null;
    try {
      text = await fsp.readFile(profilePath, 'utf8');
    } catch (e) {
      if (!isErrno(e, 'ENOENT')) {
        problems.push({
          code: 'UNREADABLE_PROFILE',
          message: `Your saved profile (${profilePath}) could not be read (${errorText(e)}). Default values are shown; saving will try to write it again.`,
          messageZh: `无法读取已保存的个人信息 (${profilePath})：${errorText(e)}。当前显示默认值；保存时会重新写入。`,
        });
      }
    }

    if (text !== null) {
      let parsed: unknown;
      let parseError: string | null = null;
      try {
        parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
          parseError = 'it is not a JSON object';
        }
      } catch (e) {
        parseError = errorText(e);
      }
      if (parseError !== null) {
        const backupPath = `${profilePath}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
        let kept: string | undefined;
        try {
          await fsp.rename(profilePath, backupPath);
          kept = backupPath;
        } catch {
          kept = undefined;
        }
        problems.push({
          code: 'CORRUPT_PROFILE',
          message:
            `Your saved profile (${profilePath}) is damaged (${parseError}), so default values are used. ` +
            (kept ? `The damaged file was kept as ${kept}. ` : '') +
            'Please enter your major, student ID and name again.',
          messageZh:
            `已保存的个人信息 (${profilePath}) 已损坏（${parseError}），现使用默认值。` +
            (kept ? `损坏的文件已保留为 ${kept}。` : '') +
            '请重新填写专业、学号和姓名。',
          ...(kept ? { backupPath: kept } : {}),
        });
      } else {
        const record = parsed as Record<string, unknown>;
        for (const field of PROFILE_FIELDS) {
          if (record[field] === undefined) continue;
          try {
            profile[field] = validateField(field, record[field]);
          } catch (e) {
            problems.push({
              code: 'INVALID_FIELD',
              message: `A saved value was not valid and was cleared: ${errorText(e)}`,
              messageZh: `一个已保存的值无效，已被清空：${e instanceof ProfileError ? e.messageZh : errorText(e)}`,
            });
          }
        }
        if (typeof record.logo === 'string' && LOGO_FILE_NAMES.includes(record.logo)) logoFile = record.logo;
        else if (record.logo !== undefined && record.logo !== null) {
          problems.push({
            code: 'LOGO_INVALID',
            message:
              'The saved logo setting was not valid, so the default logo is used. Please choose your logo again.',
            messageZh: '已保存的 Logo 设置无效，现使用默认 Logo。请重新选择你的 Logo。',
          });
        }
      }
    }

    let logo = defaultLogo;
    if (logoFile !== null) {
      const logoPath = path.join(absDir, logoFile);
      try {
        const bytes = new Uint8Array(await fsp.readFile(logoPath));
        const format = detectImageFormat(bytes);
        if (!format || `logo.${format.ext}` !== logoFile) throw new Error('not a matching image');
        validateLogo(bytes);
        logo = Object.freeze({ bytes, type: format.type, ext: format.ext, isDefault: false });
      } catch (e) {
        const missing = isErrno(e, 'ENOENT');
        problems.push({
          code: missing ? 'LOGO_MISSING' : 'LOGO_INVALID',
          message: missing
            ? `Your logo file (${logoPath}) is missing, so the default logo is used. Please choose your logo again.`
            : `Your logo file (${logoPath}) is damaged or not a supported image, so the default logo is used. Please choose your logo again.`,
          messageZh: missing
            ? `Logo 文件 (${logoPath}) 不见了，现使用默认 Logo。请重新选择你的 Logo。`
            : `Logo 文件 (${logoPath}) 已损坏或不是受支持的图片，现使用默认 Logo。请重新选择你的 Logo。`,
        });
        logoFile = null;
      }
    }

    return new ProfileStore(absDir, profile, logoFile, logo, defaultLogo, problems);
  }

  static async #removeStaleTemps(dir: string): Promise<void> {
    let names: string[];
    try {
      names = await fsp.readdir(dir);
    } catch {
      return;
    }
    const stale = names.filter((n) => /^(profile\.json|logo\.(jpg|png|gif|webp))\.\d+\.[0-9a-f]+\.tmp$/.test(n));
    await Promise.all(stale.map((n) => fsp.rm(path.join(dir, n), { force: true }).catch(() => undefined)));
  }

  /** The current profile (a copy). */
  get(): ProfileFields {
    return { ...this.#profile };
  }

  /** The current logo: the user's, or the default one. */
  logo(): Logo {
    return this.#logo;
  }

  /** Validates and saves the given fields; resolves to the new profile. Throws ProfileError (nothing saved). */
  async update(partial: Partial<ProfileFields>): Promise<ProfileFields> {
    const patch = validateProfilePatch(partial as Readonly<Record<string, unknown>>);
    return this.#enqueue(async () => {
      const next = { ...this.#profile, ...patch };
      await this.#writeProfile(next, this.#logoFile);
      this.#profile = next;
      this.#emitChange();
      return this.get();
    });
  }

  /** Validates (by content and size) and saves a new logo. Throws ProfileError saying what is accepted. */
  async setLogo(bytes: Uint8Array): Promise<Logo> {
    const format = validateLogo(bytes);
    const copy = new Uint8Array(bytes);
    return this.#enqueue(async () => {
      const fileName = `logo.${format.ext}`;
      await this.#storage(() => writeFileAtomic(path.join(this.dir, fileName), copy));
      await this.#writeProfile(this.#profile, fileName);
      const previous = this.#logoFile;
      this.#logoFile = fileName;
      this.#logo = Object.freeze({ bytes: copy, type: format.type, ext: format.ext, isDefault: false });
      if (previous && previous !== fileName)
        await fsp.rm(path.join(this.dir, previous), { force: true }).catch(() => undefined);
      this.#emitChange();
      return this.#logo;
    });
  }

  /** Goes back to the default logo. */
  resetLogo(): Promise<Logo> {
    return this.#enqueue(async () => {
      await this.#writeProfile(this.#profile, null);
      const previous = this.#logoFile;
      this.#logoFile = null;
      this.#logo = this.#defaultLogo;
      if (previous) await fsp.rm(path.join(this.dir, previous), { force: true }).catch(() => undefined);
      this.#emitChange();
      return this.#logo;
    });
  }

  #emitChange(): void {
    this.emit('change', this.get(), this.#logo);
  }

  #enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #writeProfile(profile: ProfileFields, logoFile: string | null): Promise<void> {
    const data: OnDisk = { version: 1, ...profile, logo: logoFile };
    await this.#storage(() => writeFileAtomic(this.profilePath, `${JSON.stringify(data, null, 2)}\n`));
  }

  async #storage(write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (e) {
      throw new ProfileError(
        'STORAGE',
        `Could not save your profile in ${this.dir}: ${errorText(e)}. Check that the folder is writable and the disk is not full.`,
        `无法在 ${this.dir} 中保存个人信息：${errorText(e)}。请检查该文件夹是否可写、磁盘是否已满。`,
        undefined,
        { cause: e },
      );
    }
  }
}
