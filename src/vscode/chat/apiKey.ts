// The Anthropic API key: SecretStorage first, then ANTHROPIC_API_KEY. Never logged, never in settings or webview state.
import * as vscode from 'vscode';

const secretKey = 'dataeng.anthropic.apiKey';

export class ApiKeyStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscription = secrets.onDidChange((e) => {
      if (e.key === secretKey) this.changed.fire();
    });
  }

  async get(): Promise<string | undefined> {
    const stored = await this.secrets.get(secretKey);
    return stored?.trim() || process.env['ANTHROPIC_API_KEY']?.trim() || undefined;
  }

  async has(): Promise<boolean> {
    return (await this.get()) !== undefined;
  }

  /** Asks for the key in a password box and stores it. Resolves true when a key was stored. */
  async prompt(): Promise<boolean> {
    const value = await vscode.window.showInputBox({
      title: 'Data Engineer: Set Anthropic API Key',
      prompt: 'Stored in the OS keychain (VS Code SecretStorage), never in settings.',
      password: true,
      ignoreFocusOut: true,
      placeHolder: 'sk-ant-…',
      validateInput: (v) => (v.trim() === '' ? 'Enter a key, or press Escape to cancel.' : /\s/.test(v.trim()) ? 'The key cannot contain spaces.' : undefined),
    });
    if (value === undefined) return false;
    await this.secrets.store(secretKey, value.trim());
    void vscode.window.showInformationMessage('Data Engineer: Anthropic API key saved.');
    return true;
  }

  async clear(): Promise<void> {
    await this.secrets.delete(secretKey);
    const envNote = process.env['ANTHROPIC_API_KEY'] ? ' ANTHROPIC_API_KEY is still set in the environment and will be used.' : '';
    void vscode.window.showInformationMessage(`Data Engineer: Anthropic API key removed.${envNote}`);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
