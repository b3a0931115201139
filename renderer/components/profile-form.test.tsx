// @vitest-environment jsdom
/** The profile form: first-run opening, the page preview, drag and drop, the warning for empty fields. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { StoreContext } from '../store/context';
import { createAppStore } from '../store/app-store';
import { createI18n } from '../i18n';
import { fakeApi, fakeWorker, profile } from '../test/fakes';
import { Toolbar } from './Toolbar';
import { EMPTY_FIELD_TEXT } from '../../embedded-server/page';
import type { Profile } from '../../bridge/lab-api';

afterEach(cleanup);
globalThis.URL.createObjectURL ??= vi.fn(() => 'blob:preview');
globalThis.URL.revokeObjectURL ??= vi.fn();

const blank: Profile = { major: '', studentId: '', name: '', logo: { mimeType: 'image/png', size: 3000 } };

async function renderToolbar(saved: Profile, language: 'en' | 'zh-CN' = 'en') {
  const { api } = fakeApi({ getProfile: vi.fn(async () => saved) });
  const { worker } = fakeWorker();
  const i18n = createI18n(language);
  const store = createAppStore({ api, worker, language, t: (key, options) => i18n.t(key, options) });
  render(
    <StoreContext.Provider value={store}>
      <I18nextProvider i18n={i18n}>
        <Toolbar />
      </I18nextProvider>
    </StoreContext.Provider>,
  );
  await act(() => store.getState().init());
  return { store, api };
}

const png = () =>
  new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3])], 'me.png', {
    type: 'image/png',
  });

describe('the profile form', () => {
  it('opens by itself on a first run and previews the page as it will be served', async () => {
    await renderToolbar(blank, 'zh-CN');
    const form = screen.getByRole('dialog', { name: '个人主页' });
    const preview = within(form).getByRole('figure', { name: '浏览器中页面的样子' });
    // Empty fields read as the page itself shows them.
    expect(within(preview).getAllByText(EMPTY_FIELD_TEXT)).toHaveLength(3);
    expect(within(form).getByRole('status').textContent).toBe(
      '尚未填写：专业、学号、姓名。页面上这些位置会显示“未填写”。',
    );

    fireEvent.change(within(form).getByRole('textbox', { name: '姓名' }), { target: { value: '李四' } });
    expect(within(preview).getByText('李四')).toBeTruthy();
    expect(within(preview).getAllByText(EMPTY_FIELD_TEXT)).toHaveLength(2);
    expect(within(form).getByRole('status').textContent).toMatch(/^尚未填写：专业、学号。/);
  });

  it('does not open by itself once the profile is complete; Profile opens it with the saved values', async () => {
    await renderToolbar(profile);
    expect(screen.queryByRole('dialog')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Profile' }));
    const form = screen.getByRole('dialog', { name: 'Profile page' });
    expect((within(form).getByRole('textbox', { name: 'Name 姓名' }) as HTMLInputElement).value).toBe('张三');
    expect(within(form).queryByRole('status')).toBeNull();
  });

  it('takes a dropped logo and saves the fields and the logo', async () => {
    const { api } = await renderToolbar(blank);
    const form = screen.getByRole('dialog', { name: 'Profile page' });
    fireEvent.change(within(form).getByRole('textbox', { name: 'Major 专业' }), { target: { value: 'Networks' } });
    fireEvent.change(within(form).getByRole('textbox', { name: 'Student ID 学号' }), { target: { value: 'S-42' } });
    fireEvent.change(within(form).getByRole('textbox', { name: 'Name 姓名' }), { target: { value: 'Ada' } });
    const drop = form.querySelector('.logo-drop')!;
    await act(async () => {
      fireEvent.drop(drop, { dataTransfer: { files: [png()] } });
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(within(form).getByText(/me\.png, 11 B/)).toBeTruthy();
    await act(async () => {
      fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(api.updateProfile).toHaveBeenCalledWith({ major: 'Networks', studentId: 'S-42', name: 'Ada' });
    expect(api.setLogo).toHaveBeenCalledTimes(1);
    expect(Array.from((api.setLogo as ReturnType<typeof vi.fn>).mock.calls[0][0] as Uint8Array).slice(0, 4)).toEqual([
      0x89, 0x50, 0x4e, 0x47,
    ]);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it("keeps the form open with the server's reason when the logo is refused", async () => {
    const { api } = await renderToolbar(blank);
    (api.setLogo as ReturnType<typeof vi.fn>).mockRejectedValueOnce(
      new Error('The logo is 3.1 MB, larger than the 2 MB limit.'),
    );
    const form = screen.getByRole('dialog', { name: 'Profile page' });
    await act(async () => {
      fireEvent.change(form.querySelector('input[type="file"]')!, { target: { files: [png()] } });
      await new Promise((r) => setTimeout(r, 0));
    });
    await act(async () => {
      fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(within(form).getByRole('alert').textContent).toBe('The logo is 3.1 MB, larger than the 2 MB limit.');
    expect(screen.getByRole('dialog')).toBeTruthy();
  });

  it('Start Lab with an empty field still starts, and warns which fields are missing', async () => {
    const { store, api } = await renderToolbar({ ...blank, major: 'Networks' });
    act(() => store.getState().setProfileFormOpen(false));
    await act(() => store.getState().startLab());
    expect(api.startLab).toHaveBeenCalledTimes(1);
    const warning = store.getState().notices.find((n) => n.level === 'warning');
    expect(warning?.message).toBe(
      'Starting the lab with an incomplete profile: Student ID 学号, Name 姓名 not filled in.',
    );
    expect(warning?.remedy).toMatch(/press Profile/);
  });
});
