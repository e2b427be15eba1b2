#!/usr/bin/env node
// Compiles infra/chain/contracts/*.sol offline with the pinned npm `solc` (the bundled soljson, never a download)
// and writes one artifact per contract to infra/chain/artifacts/<Name>.json (committed; the katas load them).
//
//   node compile.js          write the artifacts
//   node compile.js --check  recompile in memory; exit 1 naming every stale, missing or extra artifact
//
// The bytecode ends with the CBOR metadata (hash of sources and settings), so the same sources, settings and compiler
// version give byte-identical artifacts on every machine.
'use strict';
const fs = require('fs');
const path = require('path');
const solc = require('solc');

const root = __dirname;
const contractsDir = path.join(root, 'contracts');
const artifactsDir = path.join(root, 'artifacts');
const check = process.argv.includes('--check');

const settings = {
  optimizer: { enabled: true, runs: 200 },
  // Cancun: PUSH0, MCOPY, transient storage; Anvil 1.7.1 runs later hardforks, which accept this code.
  evmVersion: 'cancun',
  metadata: { bytecodeHash: 'ipfs' },
  outputSelection: {
    '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object', 'storageLayout'] },
  },
};

const sources = {};
for (const file of fs.readdirSync(contractsDir).filter((f) => f.endsWith('.sol')).sort()) {
  sources[file] = { content: fs.readFileSync(path.join(contractsDir, file), 'utf8') };
}

// Imports outside contracts/ (OpenZeppelin Contracts, pinned in package.json) are read from node_modules: offline,
// and only the contracts of contracts/*.sol get artifacts.
function findImports(importPath) {
  const resolved = path.join(root, 'node_modules', importPath);
  if (!importPath.startsWith('@openzeppelin/contracts/') || !fs.existsSync(resolved)) {
    return { error: `import ${importPath} not found under infra/chain/node_modules (run npm ci)` };
  }
  return { contents: fs.readFileSync(resolved, 'utf8') };
}

const output = JSON.parse(solc.compile(JSON.stringify({ language: 'Solidity', sources, settings }), { import: findImports }));
const diagnostics = output.errors || [];
for (const d of diagnostics) console.error(d.formattedMessage || d.message);
if (diagnostics.some((d) => d.severity === 'error')) {
  console.error('compile.js: compilation failed');
  process.exit(1);
}
if (diagnostics.length > 0) {
  console.error('compile.js: the contracts compile with warnings; fix them (the artifacts must come from clean sources)');
  process.exit(1);
}

const artifacts = {};
for (const [sourceName, contracts] of Object.entries(output.contracts)) {
  if (!(sourceName in sources)) continue; // imported libraries (OpenZeppelin) are compiled in, not published
  for (const [contractName, c] of Object.entries(contracts)) {
    if (c.evm.bytecode.object === '') continue; // interfaces
    const artifact = {
      contractName,
      sourceName: `contracts/${sourceName}`,
      compiler: { name: 'solc', version: solc.version(), settings: { optimizer: settings.optimizer, evmVersion: settings.evmVersion } },
      abi: c.abi,
      bytecode: '0x' + c.evm.bytecode.object,
      deployedBytecode: '0x' + c.evm.deployedBytecode.object,
      storageLayout: c.storageLayout,
    };
    artifacts[`${contractName}.json`] = JSON.stringify(artifact, null, 2) + '\n';
  }
}

if (check) {
  const problems = [];
  for (const [file, text] of Object.entries(artifacts)) {
    const target = path.join(artifactsDir, file);
    if (!fs.existsSync(target)) problems.push(`missing artifacts/${file}`);
    else if (fs.readFileSync(target, 'utf8') !== text) problems.push(`stale artifacts/${file}`);
  }
  if (fs.existsSync(artifactsDir)) {
    for (const file of fs.readdirSync(artifactsDir).filter((f) => f.endsWith('.json'))) {
      if (!(file in artifacts)) problems.push(`extra artifacts/${file} (no contract produces it)`);
    }
  }
  if (problems.length > 0) {
    for (const p of problems) console.error(`compile.js --check: ${p}`);
    console.error('compile.js --check: run `node infra/chain/compile.js` and commit infra/chain/artifacts/');
    process.exit(1);
  }
  console.log(`compile.js --check: ${Object.keys(artifacts).length} artifacts are current (solc ${solc.version()})`);
} else {
  fs.mkdirSync(artifactsDir, { recursive: true });
  for (const [file, text] of Object.entries(artifacts)) fs.writeFileSync(path.join(artifactsDir, file), text);
  console.log(`compile.js: wrote ${Object.keys(artifacts).length} artifacts (solc ${solc.version()}): ${Object.keys(artifacts).join(', ')}`);
}
