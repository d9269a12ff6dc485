import t from 'tap';
import { readKubectlFlags } from './kubectl-flags.js';

const fail = (message: string): never => {
  throw new Error(message);
};

t.test('kubectl forms: -n=NS and -o=json; -A drops -n; empty files are errors', async (t) => {
  t.same(readKubectlFlags({ namespace: '=shop', output: '=json', kubeconfig: 'k', context: 'c', config: 'p' }, fail), {
    output: 'json',
    allNamespaces: false,
    namespace: 'shop',
    kubeconfigPath: 'k',
    context: 'c',
    configPath: 'p',
  });
  t.same(readKubectlFlags({ namespace: 'shop', 'all-namespaces': true }, fail), {
    output: 'text',
    allNamespaces: true,
  });
  t.throws(() => readKubectlFlags({ output: 'yaml' }, fail), /output format "yaml", allowed formats are: text,json/);
  t.throws(() => readKubectlFlags({ namespace: 'Shop_1' }, fail), /"Shop_1" is not a valid namespace name/);
  t.throws(() => readKubectlFlags({ namespace: 'a'.repeat(64) }, fail), /not a valid namespace name/);
  t.throws(() => readKubectlFlags({ context: '' }, fail), /--context needs a value/);
});
