import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { ProfileError } from './errors';
import { ProfileStore, PROFILE_FILE } from './store';
import { removeDir, SAMPLE_IMAGES, tempDir } from './test-helpers';
import type { ProfileFields } from './profile';

const dirs: string[] = [];
function freshDir(): string {
  const d = tempDir();
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) removeDir(d);
});

const STUDENT: ProfileFields = { major: '计算机科学与技术', studentId: '2011188', name: '邵琦' };

describe('ProfileStore', () => {
  it('starts with empty fields and the default PNG logo, and creates the folder', async () => {
    const dir = path.join(freshDir(), 'nested', 'WireLab');
    const store = await ProfileStore.open(dir);
    expect(store.get()).toEqual({ major: '', studentId: '', name: '' });
    expect(store.logo()).toMatchObject({ type: 'image/png', ext: 'png', isDefault: true });
    expect(store.problems).toEqual([]);
    expect(fs.statSync(dir).isDirectory()).toBe(true);
  });

  it('saves the profile to profile.json and reads it back after reopening, leaving no temp files', async () => {
    const dir = freshDir();
    const store = await ProfileStore.open(dir);
    const changes: ProfileFields[] = [];
    store.on('change', (p) => changes.push(p));
    await store.update(STUDENT);
    expect(changes).toEqual([STUDENT]);
    const onDisk = JSON.parse(fs.readFileSync(path.join(dir, PROFILE_FILE), 'utf8'));
    expect(onDisk).toMatchObject({ version: 1, ...STUDENT, logo: null });
    expect(fs.readdirSync(dir)).toEqual([PROFILE_FILE]);
    const again = await ProfileStore.open(dir);
    expect(again.get()).toEqual(STUDENT);
    expect(again.problems).toEqual([]);
  });

  it('refuses an invalid update without changing anything', async () => {
    const dir = freshDir();
    const store = await ProfileStore.open(dir);
    await store.update(STUDENT);
    const before = fs.readFileSync(path.join(dir, PROFILE_FILE));
    await expect(store.update({ name: 'bad\u0007name' })).rejects.toMatchObject({
      code: 'INVALID_FIELD',
      field: 'name',
    });
    expect(store.get()).toEqual(STUDENT);
    expect(fs.readFileSync(path.join(dir, PROFILE_FILE))).toEqual(before);
  });

  it('serialises concurrent updates so the file always holds the last one', async () => {
    const dir = freshDir();
    const store = await ProfileStore.open(dir);
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.update({ studentId: String(i) })));
    expect(store.get().studentId).toBe('19');
    expect(JSON.parse(fs.readFileSync(path.join(dir, PROFILE_FILE), 'utf8')).studentId).toBe('19');
    expect(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('stores a new logo under logo.<ext>, replaces the old file, and keeps it across reopening', async () => {
    const dir = freshDir();
    const store = await ProfileStore.open(dir);
    const logo = await store.setLogo(SAMPLE_IMAGES.jpeg);
    expect(logo).toMatchObject({ type: 'image/jpeg', ext: 'jpg', isDefault: false });
    expect(fs.readFileSync(path.join(dir, 'logo.jpg'))).toEqual(SAMPLE_IMAGES.jpeg);
    await store.setLogo(SAMPLE_IMAGES.webp);
    expect(fs.existsSync(path.join(dir, 'logo.jpg'))).toBe(false);
    const again = await ProfileStore.open(dir);
    expect(again.logo().type).toBe('image/webp');
    expect(Buffer.from(again.logo().bytes)).toEqual(SAMPLE_IMAGES.webp);
    await again.resetLogo();
    expect(again.logo().isDefault).toBe(true);
    expect(fs.existsSync(path.join(dir, 'logo.webp'))).toBe(false);
  });

  it('refuses an SVG logo with a clear message and keeps the current logo', async () => {
    const store = await ProfileStore.open(freshDir());
    await store.setLogo(SAMPLE_IMAGES.gif);
    const attempt = store.setLogo(Buffer.from('<svg onload="alert(1)"/>'));
    await expect(attempt).rejects.toBeInstanceOf(ProfileError);
    await expect(attempt).rejects.toThrow(/SVG logos are not accepted/);
    expect(store.logo().type).toBe('image/gif');
  });

  it('survives a corrupt profile.json: defaults, a reported problem, and the bad file kept aside', async () => {
    const dir = freshDir();
    fs.writeFileSync(path.join(dir, PROFILE_FILE), '{"major": "计算机", "name": ');
    const store = await ProfileStore.open(dir);
    expect(store.get()).toEqual({ major: '', studentId: '', name: '' });
    expect(store.problems).toHaveLength(1);
    const problem = store.problems[0];
    expect(problem.code).toBe('CORRUPT_PROFILE');
    expect(problem.message).toMatch(/damaged/);
    expect(problem.backupPath).toBeDefined();
    expect(fs.readFileSync(problem.backupPath ?? '', 'utf8')).toBe('{"major": "计算机", "name": ');
    // The store keeps working.
    await store.update(STUDENT);
    expect((await ProfileStore.open(dir)).get()).toEqual(STUDENT);
  });

  it('treats a profile.json that is not an object as corrupt', async () => {
    const dir = freshDir();
    fs.writeFileSync(path.join(dir, PROFILE_FILE), '["not", "an", "object"]');
    const store = await ProfileStore.open(dir);
    expect(store.problems.map((p) => p.code)).toEqual(['CORRUPT_PROFILE']);
  });

  it('clears an invalid saved field but keeps the valid ones', async () => {
    const dir = freshDir();
    fs.writeFileSync(path.join(dir, PROFILE_FILE), JSON.stringify({ version: 1, ...STUDENT, name: 'x\u0000y' }));
    const store = await ProfileStore.open(dir);
    expect(store.get()).toEqual({ ...STUDENT, name: '' });
    expect(store.problems.map((p) => p.code)).toEqual(['INVALID_FIELD']);
  });

  it('falls back to the default logo when the logo file is missing, damaged or names another path', async () => {
    const cases: [string | null, string, string][] = [
      [null, 'logo.png', 'LOGO_MISSING'],
      ['not an image', 'logo.png', 'LOGO_INVALID'],
      [null, '../../../etc/passwd', 'LOGO_INVALID'],
    ];
    for (const [content, name, code] of cases) {
      const dir = freshDir();
      fs.writeFileSync(path.join(dir, PROFILE_FILE), JSON.stringify({ version: 1, ...STUDENT, logo: name }));
      if (content !== null) fs.writeFileSync(path.join(dir, name), content);
      const store = await ProfileStore.open(dir);
      expect(store.logo().isDefault).toBe(true);
      expect(store.get()).toEqual(STUDENT);
      expect(store.problems.map((p) => p.code)).toEqual([code]);
    }
  });

  it('removes temp files left behind by an interrupted save', async () => {
    const dir = freshDir();
    fs.writeFileSync(path.join(dir, `${PROFILE_FILE}.1234.abcdef.tmp`), '{"half');
    await ProfileStore.open(dir);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
