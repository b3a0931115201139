/**
 * The lab guide's scenario part in the browser shell, on the committed scenario captures
 * (real loopback captures, see test/fixtures/captures/scenarios/README.md): the scenario is
 * recognised, its checklist is done, a "check yourself" answer taken from tshark's reference is
 * accepted and shows where it is; a screenshot of the guide per scenario, in en and zh-CN, goes
 * to test-results/screenshots/ to be looked at.
 */
import { test, expect } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { E2E_TOKEN } from '../../playwright.config';

const DIR = path.join('test', 'fixtures', 'captures', 'scenarios');
const shots = path.join('test-results', 'screenshots');
const SCENARIOS = [
  'profile',
  'conditional-get',
  'long-document',
  'embedded-objects',
  'non-persistent',
  'basic-auth',
  'upload',
];
const TEXT = {
  en: {
    tree: 'Packet details',
    guide: 'Lab guide',
    scenario: 'Lab scenario',
    quiz: 'Check yourself',
    check: 'Check',
    right: 'Right.',
  },
  'zh-CN': {
    tree: '分组详情',
    guide: '实验向导',
    scenario: '实验场景',
    quiz: '自我检测',
    check: '检查',
    right: '正确。',
  },
} as const;

/** tshark's first SYN of the capture: its frame and raw sequence number. */
function firstSyn(name: string): { frame: string; seqRaw: string } {
  const [head, ...rows] = readFileSync(path.join(DIR, `${name}.pcapng.tshark.fields.tsv`), 'utf8')
    .trim()
    .split('\n');
  const cols = head.split('\t');
  const row = rows.map((r) => r.split('\t')).find((r) => r[cols.indexOf('tcp.flags.str')] === '··········S·') ?? [];
  return { frame: row[0], seqRaw: row[cols.indexOf('tcp.seq_raw')] };
}

test.describe.configure({ mode: 'serial' });

for (const lang of ['en', 'zh-CN'] as const) {
  for (const name of SCENARIOS) {
    test(`${name} (${lang}): recognised, checklist done, an answer checked, screenshot`, async ({ page }) => {
      mkdirSync(shots, { recursive: true });
      await page.setViewportSize({ width: 1400, height: 1000 });
      await page.goto(`/?lang=${lang}&token=${E2E_TOKEN}`);
      await page.getByTestId('open-file').setInputFiles(path.join(DIR, `${name}.pcapng`));
      await expect(page.getByTestId('packet-counts')).toContainText(/\d/);
      const t = TEXT[lang];
      const guideRegion = page.getByRole('region', { name: t.guide });
      if (!(await guideRegion.isVisible())) await page.getByRole('button', { name: t.guide, exact: true }).click();
      const region = guideRegion.getByRole('region', { name: t.scenario });
      await expect(region).toHaveAttribute('data-scenario', name, { timeout: 20_000 });
      const checks = region.locator('li[data-check]');
      if (name !== 'profile') {
        await expect(checks.first()).toBeVisible();
        expect(await checks.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))).toEqual(
          Array((await checks.count()) as number).fill('done'),
        );
      }
      // The SYN question, answered with tshark's value.
      const syn = firstSyn(name);
      const quiz = region.getByRole('region', { name: t.quiz });
      const item = quiz.locator('li[data-question="syn-seq"]');
      await item.getByRole('textbox').fill(syn.seqRaw);
      await item.getByRole('button', { name: t.check, exact: true }).click();
      await expect(item).toHaveAttribute('data-verdict', 'right');
      await expect(item.getByRole('status')).toContainText(t.right);
      await item.getByRole('status').getByRole('button').click();
      await expect(page.getByRole('grid').locator('[role="row"][aria-selected="true"]')).toHaveAttribute(
        'data-number',
        syn.frame,
      );
      // …and in its detail tree, the item that holds the answer.
      await expect(
        page.getByRole('tree', { name: t.tree }).locator('[role="treeitem"][aria-selected="true"]'),
      ).toContainText(`Sequence Number (raw): ${syn.seqRaw}`);
      await guideRegion.screenshot({ path: path.join(shots, `scenario-${name}-${lang}.png`) });
    });
  }
}
