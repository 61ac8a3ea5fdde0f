// The chat's face of the proof operations (src/app/proof.ts): Verify rewrite and Try index under a SQL block of an
// answer, the automatic verification of an Optimize answer (`dataeng.verify.auto`), Show diff, and what the model is
// told next turn. It adapts input and output only: the operations, the consent policy and the card model live in
// src/app and src/core.
import * as vscode from 'vscode';
import { comparePlans, compareResults, whatIfIndex, type PlanComparison } from '../../app/proof';
import type { ConsentPort } from '../../app/consent';
import { indexCard, proofActionFor, proofEvidence, rewriteCard, runningCard, sqlCodeBlocks, stoppedCard, type ProofAction, type ProofCard } from '../../core/proof/card';
import type { CompareOutcome } from '../../core/proof/compare';
import { effectiveMaxTableBytes, effectiveVerifyAuto } from '../../core/settings/verifySettings';
import type { Dialect } from '../../core/sql/dialect';
import { redactLiterals } from '../../core/sql/redact';
import { RefusedStatementError } from '../../db/errors';
import type { Database } from '../../db/types';
import type { HostToWebview } from '../../protocol/messages';
import type { ChatTaskArgs } from '../chat/ports';
import { analyzeSetting, askInEditor } from '../connections/explainWithConsent';
import type { Services } from '../services';
import { planViewDiff, type PlanDiffPort } from './planDiff';

/** What the runner needs from the chat view. */
export interface ProofChannel {
  post(message: Extract<HostToWebview, { type: 'proofCard' }>): void;
  /** Adds one verified item to the question's evidence: the `<proof>` section the model reads next turn. */
  addEvidence(requestId: string, item: string): void;
}

interface Turn {
  task: ChatTaskArgs['task'];
  sql: string | undefined;
  /** The database the turn explained against; undefined: the chat's active connection. */
  database: Database | null | undefined;
}

/** Turns and plans kept for proofs; older ones are forgotten (a card then says so). */
const maxTurns = 50;
const maxPlans = 30;
/** An Optimize answer's blocks verified on their own, at most. */
const maxAutoBlocks = 4;

function remember<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) map.delete(map.keys().next().value as K);
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class ProofRunner implements vscode.Disposable {
  private readonly turns = new Map<string, Turn>();
  private readonly plans = new Map<string, { before: unknown; after: unknown; title: string; dialect?: Dialect }>();
  private readonly running = new Set<AbortController>();
  private next = 0;

  constructor(
    private readonly services: Services,
    private readonly channel: ProofChannel,
    private readonly planDiff: PlanDiffPort = planViewDiff(services),
  ) {}

  /** Called when a turn starts: the statement a rewrite or an index is proved against, and its database. */
  rememberTurn(requestId: string, args: ChatTaskArgs): void {
    remember(this.turns, requestId, { task: args.task, sql: args.sql?.trim() ? args.sql : undefined, database: args.database }, maxTurns);
  }

  /** After an Optimize answer: verify its SQL blocks on its own, when `dataeng.verify.auto` is on (reads only). */
  async afterAnswer(requestId: string, end: string, answer: string): Promise<void> {
    try {
      const turn = this.turns.get(requestId);
      if (!turn?.sql || turn.task !== 'optimize' || end !== 'done') return;
      if (!effectiveVerifyAuto(vscode.workspace.getConfiguration('dataeng').inspect('verify.auto'))) return;
      const blocks = sqlCodeBlocks(answer)
        .filter((code) => proofActionFor(code) !== null && code.trim() !== turn.sql!.trim())
        .slice(0, maxAutoBlocks);
      for (const code of blocks) await this.run(requestId, proofActionFor(code)!, code, 'auto');
    } catch (err) {
      // Verification on its own is a bonus: a failure is logged, never shown as an error of the answer.
      this.services.log.warn(`proof: automatic verification failed: ${message(err)}`);
    }
  }

  /** Verify rewrite / Try index on one block; `auto` never asks anyone and never builds a real index. */
  async run(requestId: string, action: ProofAction, code: string, mode: 'click' | 'auto'): Promise<void> {
    const kind = action === 'verifyRewrite' ? 'rewrite' : 'index';
    const id = `p${(this.next++).toString(36)}${Date.now().toString(36)}`;
    const post = (card: ProofCard): void => this.channel.post({ type: 'proofCard', requestId, code, card });
    post(runningCard(id, kind));
    const controller = new AbortController();
    this.running.add(controller);
    let card: ProofCard;
    try {
      card = await this.prove(id, requestId, action, code, mode, controller.signal);
    } catch (err) {
      card = stoppedCard(id, kind, 'failed', controller.signal.aborted ? 'Stopped.' : message(err));
    } finally {
      this.running.delete(controller);
    }
    post(card);
    if (card.state === 'done') {
      const redact = vscode.workspace.getConfiguration('dataeng').get<boolean>('privacy.redactLiterals', false);
      const dialect = this.turns.get(requestId)?.database?.dialect ?? 'postgres';
      this.channel.addEvidence(requestId, proofEvidence(redact ? redactLiterals(code, dialect) : code, card));
    }
    // The log says what was proved and how it came out, never the SQL.
    this.services.log.info(`proof: ${action} (${mode}) → ${card.state}, ${card.title}`);
  }

  private async database(turn: Turn): Promise<Database | null> {
    if (turn.database !== undefined) return turn.database;
    return (await this.services.chatConnections?.activeDatabase()) ?? null;
  }

  private async prove(id: string, requestId: string, action: ProofAction, code: string, mode: 'click' | 'auto', signal: AbortSignal): Promise<ProofCard> {
    const kind = action === 'verifyRewrite' ? 'rewrite' : 'index';
    const turn = this.turns.get(requestId);
    if (!turn) return stoppedCard(id, kind, 'failed', 'This answer is from an earlier session: its statement is no longer known. Ask again to verify it.');
    if (!turn.sql) {
      return stoppedCard(id, kind, 'failed', 'There is no statement to prove this against: the question had no SQL. Optimize a statement from the editor, or paste it in a ```sql block.');
    }
    const db = await this.database(turn);
    if (!db) return stoppedCard(id, kind, 'failed', 'No database connection: choose one at the top of the chat.');
    const setting = analyzeSetting();
    // A click may ask (a modal for anything beyond a read); automatic verification never asks, so it only does what
    // needs no consent: reads, HypoPG, SQLite's in-memory copy.
    const port: ConsentPort = mode === 'click' ? { ask: askInEditor, withoutConsent: 'plain' } : { withoutConsent: 'plain' };
    const request = { setting };
    if (action === 'verifyRewrite') {
      let compare: CompareOutcome | string;
      if (setting === 'never') compare = 'Not compared: dataeng.explain.analyze is "never", so statements are never executed.';
      else {
        try {
          compare = await compareResults(db, turn.sql, code, { signal });
        } catch (err) {
          if (!(err instanceof RefusedStatementError)) throw err;
          compare = `Not compared: ${err.reason}.`;
        }
      }
      let plans: PlanComparison | null = null;
      try {
        const run = await comparePlans(db, turn.sql, code, { request, port, signal });
        if (run.kind === 'done') plans = run.result;
      } catch (err) {
        if (typeof compare === 'string') throw err;
      }
      const card = rewriteCard(id, compare, plans);
      if (plans) remember(this.plans, id, { before: plans.plans.before, after: plans.plans.after, title: 'Plans: original ↔ rewrite' }, maxPlans);
      return card;
    }
    const run = await whatIfIndex(db, turn.sql, [code], {
      request,
      port,
      maxTableBytes: effectiveMaxTableBytes(vscode.workspace.getConfiguration('dataeng').inspect('verify.maxTableBytes')),
      signal,
    });
    if (run.kind === 'declined') {
      const reason =
        mode === 'auto'
          ? 'Not tried on its own: without HypoPG the index has to be built for real (writes to the table wait while it builds). Click Try index to test it; you will be asked first.'
          : run.reason;
      return stoppedCard(id, 'index', 'declined', reason);
    }
    remember(this.plans, id, { before: run.result.plans.before, after: run.result.plans.after, title: 'Plans: before ↔ with the index', dialect: run.result.dialect }, maxPlans);
    return indexCard(id, run.result);
  }

  /** Show diff: the card's two plans in the plan view's diff mode. */
  async showDiff(cardId: string): Promise<void> {
    const plans = this.plans.get(cardId);
    if (!plans) {
      void vscode.window.showInformationMessage('Data Engineer: the plans of this proof are no longer kept; verify it again to see them.');
      return;
    }
    await this.planDiff.showPlanDiff(plans.before, plans.after, { title: plans.title, ...(plans.dialect ? { dialect: plans.dialect } : {}) });
  }

  /** New chat: stop what runs, forget turns and plans. */
  clear(): void {
    for (const c of this.running) c.abort();
    this.turns.clear();
    this.plans.clear();
  }

  dispose(): void {
    this.clear();
  }
}
