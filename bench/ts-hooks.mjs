/**
 * Lets the bench import the TypeScript test harness directly: Node 24 strips types natively, and this resolve hook
 * maps the `.js` specifiers the sources use (NodeNext style) to the `.ts` file beside them when no `.js` exists.
 * Used as `node --import ./bench/ts-hooks.mjs bench/<script>.ts` or imported first by bench/run.mjs.
 */
import { existsSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (
      specifier.endsWith('.js') &&
      (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('file:')) &&
      context.parentURL?.startsWith('file:')
    ) {
      const url = new URL(specifier, context.parentURL);
      if (!existsSync(fileURLToPath(url))) {
        const ts = new URL(url.href.slice(0, -3) + '.ts');
        if (existsSync(fileURLToPath(ts))) return nextResolve(ts.href, context);
      }
    }
    return nextResolve(specifier, context);
  },
});
