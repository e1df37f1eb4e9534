// @kubernetes/client-node against berthd: list, create, watch, delete pods.
// KUBECONFIG names berthd's kubeconfig. Prints one line per step; exits 1
// on the first failure.
import * as k8s from '@kubernetes/client-node';

const kc = new k8s.KubeConfig();
kc.loadFromDefault();
const core = kc.makeApiClient(k8s.CoreV1Api);
const ns = 'default';
const fail = (why) => { console.error(`FAIL ${why}`); process.exit(1); };

const before = await core.listNamespacedPod({ namespace: ns });
console.log(`list ${before.items.length}`);

const seen = [];
const watch = new k8s.Watch(kc);
const req = await watch.watch(`/api/v1/namespaces/${ns}/pods`, { resourceVersion: before.metadata.resourceVersion },
  (type, obj) => seen.push(`${type} ${obj.metadata.name}`), (err) => { if (err) console.error(`watch ended: ${err}`); });

const created = await core.createNamespacedPod({ namespace: ns, body: {
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'from-client-node', labels: { via: 'client-node' } },
  spec: { containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'] }] } } });
if (!created.metadata.uid) fail('create: no uid');
console.log(`created ${created.metadata.name} rv ${created.metadata.resourceVersion}`);

const got = await core.readNamespacedPod({ namespace: ns, name: 'from-client-node' });
if (got.spec.containers[0].image !== 'busybox') fail('read: wrong image');
const labelled = await core.listNamespacedPod({ namespace: ns, labelSelector: 'via=client-node' });
console.log(`selected ${labelled.items.length}`);

try {
  await core.createNamespacedPod({ namespace: ns, body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'from-client-node' },
    spec: { containers: [{ name: 'main', image: 'busybox' }] } } });
  fail('a second create succeeded');
} catch (e) {
  console.log(`conflict ${e.code}`);
}

await core.deleteNamespacedPod({ namespace: ns, name: 'from-client-node' });
const deadline = Date.now() + 10000;
while (!seen.some((s) => s.startsWith('DELETED')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
req.abort();
console.log(`watched ${seen.join(', ')}`);
if (!seen.includes('ADDED from-client-node') || !seen.includes('DELETED from-client-node')) fail('watch missed events');
const after = await core.listNamespacedPod({ namespace: ns });
console.log(`list ${after.items.length}`);
