// Fetch-time conversion of nsfwjs's bundled models into standard TensorFlow.js layers files.
// nsfwjs ships each model as browserify UMD bundles: model.min.js evaluates to the model.json object
// ({modelTopology, weightsManifest}) and each group1-shardKofN.min.js to that shard's bytes as base64.
// Each bundle is evaluated in an empty vm context (no require, no process, no file system), then
// model.json and the .bin shards are written. Never run at model load: scripts/fetch-nsfwjs.sh runs
// it once on the pinned, checksummed package.
// Usage: node nsfwjs-to-tfjs.js PACKAGE_MODEL_DIR OUTPUT_DIR
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');

function evaluate(file) {
  const module = { exports: {} };
  const context = vm.createContext({ module, exports: module.exports });
  vm.runInContext(fs.readFileSync(file, 'utf8'), context, { filename: file, timeout: 60000 });
  return module.exports;
}

const [src, out] = process.argv.slice(2);
if (!src || !out) {
  console.error('usage: node nsfwjs-to-tfjs.js PACKAGE_MODEL_DIR OUTPUT_DIR');
  process.exit(2);
}
const model = evaluate(path.join(src, 'model.min.js'));
if (!model || typeof model.modelTopology !== 'object' || !Array.isArray(model.weightsManifest)) {
  console.error(src + '/model.min.js: expected {modelTopology, weightsManifest}');
  process.exit(2);
}
fs.mkdirSync(out, { recursive: true });
for (const group of model.weightsManifest) {
  group.paths = group.paths.map((p) => {
    if (!/^[A-Za-z0-9_-]+$/.test(p)) {
      console.error(src + ': unexpected shard name ' + JSON.stringify(p));
      process.exit(2);
    }
    const b64 = evaluate(path.join(src, p + '.min.js'));
    if (typeof b64 !== 'string') {
      console.error(src + '/' + p + '.min.js: expected a base64 string');
      process.exit(2);
    }
    const bytes = Buffer.from(b64, 'base64');
    const tmp = path.join(out, '.' + p + '.bin.tmp');
    fs.writeFileSync(tmp, bytes);
    fs.renameSync(tmp, path.join(out, p + '.bin'));
    return p + '.bin';
  });
}
const tmp = path.join(out, '.model.json.tmp');
fs.writeFileSync(tmp, JSON.stringify({ format: 'layers-model', generatedBy: 'nsfwjs 4.4.0 via modelbench',
  modelTopology: model.modelTopology, weightsManifest: model.weightsManifest }));
fs.renameSync(tmp, path.join(out, 'model.json'));
console.log('wrote ' + path.join(out, 'model.json'));
