// Reference outputs of a Keras model in the TensorFlow.js layers format, computed by TensorFlow.js
// itself (CPU backend) for the Keras import's parity tests.
// Usage: node tfjs-reference.js MODEL_JSON OUT_DIR SAMPLES LAYER...
// Writes OUT_DIR/input.f32 (SAMPLES fixed NHWC images, values in [-1, 1] from an integer formula) and
// OUT_DIR/<layer>.f32 for each named layer (little-endian float32, batch first), plus shapes.json.
'use strict';
const fs = require('fs');
const path = require('path');
const tfRoot = path.join(__dirname, '..', 'tools', 'tfjs', 'node_modules', '@tensorflow');
const tf = require(path.join(tfRoot, 'tfjs-core'));
require(path.join(tfRoot, 'tfjs-backend-cpu'));
const tfl = require(path.join(tfRoot, 'tfjs-layers'));

async function main() {
  const [modelJson, out, samplesText, ...layers] = process.argv.slice(2);
  const samples = parseInt(samplesText, 10);
  await tf.setBackend('cpu');
  const json = JSON.parse(fs.readFileSync(modelJson, 'utf8'));
  const dir = path.dirname(modelJson);
  const specs = [];
  const buffers = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) {
      buffers.push(fs.readFileSync(path.join(dir, p)));
    }
  }
  const all = Buffer.concat(buffers);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  const model = await tfl.loadLayersModel(tf.io.fromMemory(json.modelTopology, specs, weightData));
  const shape = model.inputs[0].shape.slice(1);
  const per = shape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(samples * per);
  for (let i = 0; i < x.length; i++) {
    x[i] = ((i * 7919 + 104729) % 2001) / 1000 - 1;
  }
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'input.f32'), Buffer.from(x.buffer));
  const shapes = { input: [samples, ...shape] };
  const probe = tfl.model({ inputs: model.inputs, outputs: layers.map((l) => model.getLayer(l).output) });
  let ys = probe.predict(tf.tensor(x, [samples, ...shape]));
  if (!Array.isArray(ys)) {
    ys = [ys];
  }
  layers.forEach((l, k) => {
    const v = ys[k].dataSync();
    fs.writeFileSync(path.join(out, l + '.f32'), Buffer.from(new Float32Array(v).buffer));
    shapes[l] = ys[k].shape;
  });
  fs.writeFileSync(path.join(out, 'shapes.json'), JSON.stringify(shapes));
  console.log('tfjs ' + tf.version_core + ': wrote ' + layers.join(', ') + ' for ' + samples + ' samples to ' + out);
}
main().catch((e) => { console.error(e.message); process.exit(1); });
