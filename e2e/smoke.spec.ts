import { expect, test } from '@playwright/test';

test('home page renders the skbwalk heading', async ({ page }) => {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    // CSP violations and script failures are reported as console errors.
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });

  await page.goto('./');

  // The tab names skbwalk, and once the run is on screen the step and the scenario.
  await expect(page).toHaveTitle(/^(Step \d+\/\d+ · .+ — )?skbwalk$/);
  await expect(page.getByRole('heading', { level: 1, name: 'skbwalk' })).toBeVisible();
  await expect(page.locator('main')).toHaveCount(1);

  await page.screenshot({ path: 'test-results/smoke-home.png', fullPage: true });

  expect(problems).toEqual([]);
});
