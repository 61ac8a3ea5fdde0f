// The native chat participant `@dataeng` (/explain, /optimize, /schema): the same pipeline, streamed into VS Code's
// own chat view. Registered only where the host has a chat API (code-server without Copilot Chat may not).
import * as vscode from 'vscode';
import type { PipelineEvent } from '../../app/pipeline';
import { formatFindings } from '../../core/findingsFormat';
import { escapeMarkdown, fence } from '../../core/markdown';
import { formatEditDiff } from '../../core/tools/editDiff';
import type { PromptMessage, TurnEvidence } from '../../core/prompt/types';
import { sqlFromPrompt } from '../../app/chatInput';
import { inferDialect } from '../../core/sql/dialect';
import { statementAt } from '../../core/sql/locate';
import type { Services } from '../services';
import { documentDialect } from '../editor/sqlDocuments';
import type { ChatTaskArgs } from './ports';
import { runChatTask } from './taskRunner';

function editorStatement(driver: string | undefined): Pick<ChatTaskArgs, 'sql' | 'dialect' | 'documentUri' | 'range'> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return {};
  const doc = editor.document;
  const dialect = documentDialect(doc, driver);
  const sel = editor.selection;
  const stmt = statementAt(doc.getText(), sel.isEmpty ? doc.offsetAt(sel.active) : { start: doc.offsetAt(sel.start), end: doc.offsetAt(sel.end) }, dialect);
  if (!stmt) return {};
  return { sql: stmt.text, dialect, documentUri: doc.uri, range: new vscode.Range(doc.positionAt(stmt.start), doc.positionAt(stmt.end)) };
}

function historyOf(context: vscode.ChatContext): PromptMessage[] {
  const out: PromptMessage[] = [];
  for (const turn of context.history) {
    if (turn instanceof vscode.ChatRequestTurn) out.push({ role: 'user', content: turn.prompt });
    else if (turn instanceof vscode.ChatResponseTurn) {
      // The evidence a turn sent comes back in its result's metadata; it belongs to the question before it.
      const evidence = (turn.result.metadata as { evidence?: TurnEvidence } | undefined)?.evidence;
      const question = out.at(-1);
      if (evidence && question?.role === 'user') question.evidence = evidence;
      const text = turn.response.map((p) => (p instanceof vscode.ChatResponseMarkdownPart ? p.value.value : '')).join('');
      if (text.trim()) out.push({ role: 'assistant', content: text });
    }
  }
  return out;
}

function text(value: string): vscode.MarkdownString {
  // Database names and error messages are data: appendText escapes any Markdown in them.
  return new vscode.MarkdownString().appendText(value);
}

export function registerChatParticipant(services: Services): void {
  if (typeof vscode.chat?.createChatParticipant !== 'function') {
    services.log.info('chat participant: this host has no chat API; @dataeng is not available (the sidebar chat still is)');
    return;
  }
  const handler: vscode.ChatRequestHandler = async (request, context, response, token) => {
    const task: ChatTaskArgs['task'] = request.command === 'explain' ? 'explain' : request.command === 'optimize' ? 'optimize' : request.command === 'schema' ? 'review-schema' : 'chat';
    const driver = services.connections.activeDriver();
    const fromPrompt = sqlFromPrompt(request.prompt, inferDialect(driver ? { driver } : {}));
    const fromEditor = !fromPrompt.sql && task !== 'review-schema' && task !== 'chat' ? editorStatement(driver) : {};
    const args: ChatTaskArgs = { task, ...fromEditor, ...fromPrompt };
    const controller = new AbortController();
    const sub = token.onCancellationRequested(() => controller.abort());
    const sink = (e: PipelineEvent) => {
      switch (e.type) {
        case 'status':
          return response.progress(e.text);
        case 'findings':
          if (!e.findings.length) return;
          // Messages quote database names: the shared formatter escapes them as Markdown data.
          return response.markdown(`**Findings**\n\n${formatFindings(e.findings, 'markdown')}\n\n`);
        case 'delta':
          return response.markdown(e.text);
        case 'done':
          return;
        case 'error':
          if (e.kind === 'cancelled') return;
          response.markdown('\n\n');
          response.markdown(text(e.message));
          if (e.kind === 'auth') response.button({ command: 'dataeng.setApiKey', title: 'Set API Key' });
          return;
        case 'noKey':
          response.markdown(text('No Anthropic API key is set: the findings above come from the plan analysis alone.'));
          return response.button({ command: 'dataeng.setApiKey', title: 'Set API Key' });
        // The same agent loop as the sidebar: each tool call one line, its summary escaped (it names tables and files).
        case 'toolStart':
          return response.progress(`Running ${e.name}…`);
        case 'toolStep':
          return response.markdown(`\n\n> ${e.isError ? '✗' : '✓'} ${escapeMarkdown(e.summary)}\n\n`);
        case 'todos':
          return response.markdown(`\n\n${e.items.map((i) => `- [${i.status === 'done' ? 'x' : ' '}] ${escapeMarkdown(i.text)}${i.status === 'in_progress' ? ' *(in progress)*' : ''}`).join('\n')}\n\n`);
        case 'proposedEdit':
          // A proposal only: the diff, and an Apply button (one undoable edit, checked again when clicked); not clicking
          // it is rejecting it.
          response.markdown(`\n\nProposed edit of ${escapeMarkdown(e.edit.path)} (not applied):\n\n${fence(formatEditDiff(e.edit.path, e.edit.oldText, e.edit.newText).trimEnd(), 'diff').join('\n')}\n\n`);
          return response.button({ command: 'dataeng.applyProposedEdit', arguments: [e.edit], title: `Apply to ${e.edit.path}` });
      }
    };
    try {
      const outcome = await runChatTask(services, services.apiKeys, args, historyOf(context), sink, controller.signal);
      return { metadata: { end: outcome.end, ...(outcome.evidence ? { evidence: outcome.evidence } : {}) } };
    } finally {
      sub.dispose();
    }
  };
  const participant = vscode.chat.createChatParticipant('dataeng.participant', handler);
  participant.iconPath = vscode.Uri.joinPath(services.context.extensionUri, 'media', 'icon.svg');
  services.own(participant);
}
