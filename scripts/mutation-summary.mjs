#!/usr/bin/env node
/**
 * Reads Stryker's JSON report and writes the score per file (killed + timed out over all
 * valid mutants, as Stryker counts it) to bench/results/mutation.md and .json, then prints
 * the table. Exits non-zero when a checkpoint rules file or the total is under the target.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'

const REPORT = 'reports/mutation/mutation.json'
const TARGET = 90
const DETECTED = new Set(['Killed', 'Timeout'])
const UNDETECTED = new Set(['Survived', 'NoCoverage'])

const report = JSON.parse(await readFile(REPORT, 'utf8'))
const rows = Object.entries(report.files)
  .map(([file, { mutants }]) => {
    const count = (states) => mutants.filter((m) => states.has(m.status)).length
    const detected = count(DETECTED)
    const undetected = count(UNDETECTED)
    const survivors = mutants
      .filter((m) => UNDETECTED.has(m.status))
      .map((m) => `${m.location.start.line}: ${m.mutatorName} ${m.status}`)
    return { file, detected, undetected, score: score(detected, undetected), survivors }
  })
  .sort((a, b) => a.file.localeCompare(b.file))

const total = rows.reduce(
  (sum, r) => ({ detected: sum.detected + r.detected, undetected: sum.undetected + r.undetected }),
  { detected: 0, undetected: 0 },
)
const totalScore = score(total.detected, total.undetected)

/**
 * The survivors judged equivalent, as their `// Stryker: equivalent — why` comments say at
 * the line (a comment may run on over the next lines).
 */
function equivalents(report) {
  const found = []
  for (const [file, { source }] of Object.entries(report.files)) {
    const lines = source.split('\n')
    lines.forEach((line, i) => {
      const at = line.indexOf('Stryker: equivalent')
      if (at < 0) return
      let why = line.slice(at + 'Stryker: equivalent'.length).replace(/^\s*[—-]\s*/, '')
      for (let j = i + 1; j < lines.length && /^\s*\/\/(?!.*Stryker)/.test(lines[j]); j++) {
        why += ' ' + lines[j].replace(/^\s*\/\/\s*/, '')
      }
      found.push(`- ${file}:${i + 1}: ${why.trim()}`)
    })
  }
  if (found.length === 0) return []
  return ['## Survivors judged equivalent', '', ...found, '']
}

function score(detected, undetected) {
  const all = detected + undetected
  return all === 0 ? 100 : (100 * detected) / all
}

const lines = [
  `# Mutation score (${new Date().toISOString()})`,
  '',
  '| file | score | detected | survived or not covered |',
  '| --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.file} | ${r.score.toFixed(1)} % | ${r.detected} | ${r.undetected} |`),
  `| **all** | **${totalScore.toFixed(1)} %** | ${total.detected} | ${total.undetected} |`,
  '',
  ...equivalents(report),
]
await mkdir('bench/results', { recursive: true })
await writeFile('bench/results/mutation.md', lines.join('\n'))
await writeFile(
  'bench/results/mutation.json',
  JSON.stringify({ total: { ...total, score: totalScore }, files: rows }, null, 2) + '\n',
)
console.log(lines.join('\n'))

const short = rows.filter((r) => r.file.includes('checkpoints/') && r.score < TARGET)
if (totalScore < TARGET || short.length > 0) {
  console.log(`Under ${TARGET} %: ${short.map((r) => r.file).join(', ') || 'the total'}`)
  process.exitCode = 1
}
