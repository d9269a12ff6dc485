/**
 * `pullguard check` (docs/design.md §4.2): the webhook's engine and config on local manifests, for CI and pre-commit
 * hooks. Flags in; manifests loaded, reviewed and rendered; an exit code out: 0 all allowed (warnings included), 1
 * something would be denied, 2 a usage or input error. An input that cannot be read is reported, with its file, line
 * and column, and every other input is still checked; the exit code is the worst of all.
 */
import { join, resolve } from 'node:path';
import { inspect } from 'node:util';
import { checkedKinds, classifyDocument, type CheckTarget } from '../check/classify-document.js';
import { checkRecords } from '../check/check-records.js';
import { CHECK_USAGE, parseCheckOptions, type CheckOptions } from '../check/check-options.js';
import { loadManifests } from '../check/load-manifests.js';
import { ManifestError } from '../check/manifest-error.js';
import { outputRecords, type InputItem } from '../check/output-records.js';
import { createProgress } from '../check/progress.js';
import { renderJson } from '../check/render-json.js';
import { identityLabel, renderText } from '../check/render-text.js';
import { runChecks, type CheckedObject } from '../check/run-checks.js';
import type { Config } from '../config/load-config.js';
import { composeEngine } from './compose-engine.js';
import { failureLine } from './failure-line.js';
import { loadConfigFile } from './load-config-file.js';
import { PullguardError } from '../errors/pullguard-error.js';

export interface CheckOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** Everything the command needs from its process, passed in by main.ts (and by tests). */
export interface CheckIo {
  readonly stdout: CheckOutput;
  readonly stderr: CheckOutput;
  readonly stdin: AsyncIterable<unknown>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
  readonly cwd: string;
}

export const EXIT_ALLOWED = 0;
export const EXIT_DENIED = 1;
export const EXIT_INPUT_ERROR = 2;

/**
 * Runs the command. Any failure is printed as one line (docs/errors.md) and becomes exit code 2, whatever the error's
 * own exit code: 1 here means "would be denied", and a pipeline must never mistake a check that could not finish, a
 * bug included, for a verdict. `PULLGUARD_DEBUG=1` adds an unexpected error's stack.
 */
export async function checkCli(argv: readonly string[], io: CheckIo): Promise<number> {
  try {
    return await runCheck(argv, io);
  } catch (error) {
    io.stderr.write(`pullguard: ${failureLine(error)}\n`);
    if (!(error instanceof PullguardError) && io.env['PULLGUARD_DEBUG'] === '1') io.stderr.write(`${inspect(error)}\n`);
    return EXIT_INPUT_ERROR;
  }
}

async function runCheck(argv: readonly string[], io: CheckIo): Promise<number> {
  const options = parseCheckOptions(argv, io.env);
  if (options.help) {
    io.stdout.write(`${CHECK_USAGE}\n`);
    return EXIT_ALLOWED;
  }
  const config = await loadConfigFile(
    options.configPath === undefined ? undefined : resolve(io.cwd, options.configPath),
  );
  const catalog = checkedKinds(config);
  const entries = await loadManifests({ sources: options.sources, cwd: io.cwd, stdin: io.stdin });
  const items: InputItem[] = [];
  const targets: CheckTarget[] = [];
  for (const entry of entries) {
    if (entry instanceof ManifestError) {
      io.stderr.write(`pullguard: ${failureLine(entry)}\n`);
      items.push({ type: 'error', error: entry });
      continue;
    }
    const classified = classifyDocument(entry, catalog);
    if (classified.type === 'check') {
      targets.push(classified.target);
      items.push(classified);
    } else if (classified.type === 'skip') {
      io.stderr.write(`note: ${classified.note}\n`);
      items.push({ type: 'skip', file: entry.file, line: entry.line, note: classified.note });
    }
  }
  const inputErrors = items.filter((item) => item.type === 'error').length;

  const checked = await reviewAll(targets, options, io, config);
  const records = checkRecords(checked);
  if (options.output === 'json') {
    for (const line of objectNotes(checked)) io.stderr.write(`${line}\n`);
    io.stdout.write(renderJson(outputRecords(items, checked)));
  } else {
    const color = io.stdout.isTTY === true && !io.env['NO_COLOR'];
    io.stdout.write(renderText(checked, records, { color, offline: options.offline, inputErrors }));
  }
  if (inputErrors > 0 || checked.some((c) => c.outcome.status === 'invalid')) return EXIT_INPUT_ERROR;
  return checked.some((c) => c.outcome.status === 'reviewed' && c.outcome.decision.verdict === 'deny')
    ? EXIT_DENIED
    : EXIT_ALLOWED;
}

async function reviewAll(
  targets: readonly CheckTarget[],
  options: CheckOptions,
  io: CheckIo,
  config: Config,
): Promise<CheckedObject[]> {
  if (targets.length === 0) return [];
  const engine = await composeEngine({
    config,
    offline: options.offline,
    extraDockerConfigs: [userDockerConfig(io)],
    // The cluster is read only when asked for: a CI job must not pick up whatever kubeconfig the runner has.
    kubernetes: options.kubeconfigPath !== undefined,
    ...(options.kubeconfigPath ? { kubeconfigPath: resolve(io.cwd, options.kubeconfigPath) } : {}),
    watchNodes: false,
    ...(options.platforms ? { platforms: options.platforms } : {}),
    env: io.env,
    homeDir: io.homeDir,
  });
  const progress = createProgress(io.stderr, { total: targets.length, enabled: options.output === 'text' });
  try {
    return await runChecks(targets, {
      reviewer: engine.reviewer,
      budgetMs: config.network.budgetMs,
      onProgress: (done, total) => progress.update(done, total),
    });
  } finally {
    progress.finish();
    await engine.close();
  }
}

/** The user's Docker credentials, as `docker login` writes them: `$DOCKER_CONFIG/config.json` or `~/.docker/config.json` (may be absent). */
function userDockerConfig(io: CheckIo): string {
  const directory = io.env['DOCKER_CONFIG'] ? resolve(io.cwd, io.env['DOCKER_CONFIG']) : join(io.homeDir, '.docker');
  return join(directory, 'config.json');
}

/** In JSON mode stdout holds only records, so skipped and malformed objects are reported on stderr. */
function objectNotes(checked: readonly CheckedObject[]): string[] {
  return checked.flatMap(({ target, outcome }) => {
    const where = `${target.file}:${target.line}: ${identityLabel({ target })}`;
    if (outcome.status === 'skipped') return [`note: ${where} skipped: ${outcome.reason}`];
    if (outcome.status === 'invalid') return [`pullguard: ${where}: ${outcome.problem}`];
    return [];
  });
}
