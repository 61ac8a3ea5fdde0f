// Switches the color theme as a user does: Preferences: Color Theme, then the theme's name. Webviews receive the new
// theme's variables from VS Code.
import { workbench } from '../pages/selectors';
import type { VsCodeSession } from './session';

/** `name` is the `workbench.colorTheme` value; `label` is what the picker shows; `kind` the workbench's class. */
export const themes = {
  light: { name: 'Default Light Modern', label: 'Light Modern', kind: 'vs' },
  dark: { name: 'Default Dark Modern', label: 'Dark Modern', kind: 'vs-dark' },
} as const;

export async function setColorTheme(session: VsCodeSession, theme: keyof typeof themes): Promise<void> {
  const wb = session.workbench;
  await wb.runCommand('Preferences: Color Theme');
  const pick = wb.quickInput();
  await pick.type(themes[theme].label);
  await pick.row(themes[theme].label).waitFor();
  await pick.pick(themes[theme].label);
  await session.page.locator(workbench.themed(themes[theme].kind)).waitFor({ timeout: 30_000 });
}
