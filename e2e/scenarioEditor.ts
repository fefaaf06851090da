// Reading and writing the scenario editor (CodeMirror: a contenteditable
// textbox named "Scenario", or a plain text area until it has loaded).
import { expect, type Locator, type Page } from '@playwright/test';

export function scenarioBox(page: Page): Locator {
  return page.getByRole('textbox', { name: 'Scenario', exact: true });
}

/** Waits for the code editor (not its plain stand-in) to be ready. */
export async function codeEditor(page: Page): Promise<Locator> {
  const box = page.locator('.cm-content[aria-label="Scenario"]');
  await expect(box).toBeVisible({ timeout: 30_000 });
  return box;
}

/** The editor's text, line by line as it shows it. */
export async function scenarioText(page: Page): Promise<string> {
  await codeEditor(page);
  return page.evaluate(() => {
    const lines = document.querySelectorAll('.cm-content[aria-label="Scenario"] .cm-line');
    return Array.from(lines, (l) => l.textContent ?? '').join('\n');
  });
}

/** Replaces the editor's text (as typing would: undoable, saved, and the run rebuilt a moment later). */
export async function setScenario(page: Page, text: string): Promise<void> {
  const box = await codeEditor(page);
  await box.fill(text);
  // fill() goes through the browser's input events; check the editor took all of it.
  await expect.poll(() => scenarioText(page)).toBe(text);
}
