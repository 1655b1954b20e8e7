import { LabSession } from '../src/main/session/lab-session'
import { recordStudentTrace } from '../src/main/student/trace-sink'
const line = JSON.stringify({v:1,op:'recv',sock:1,proto:'tcp',file:'/home/s/pingpong_client.py',line:14,thread:'MainThread',tid:140001,local:'127.0.0.1:50008',remote:'127.0.0.1:40000',outcome:'ok',t:1234.5,bytes:4,data:'PONG',n:7})
const chunk = (line + '\n').repeat(100)
const best: number[] = []
for (let k = 0; k < 8; k++) {
  const s = new LabSession('x', { onBatch: () => {} })
  const r = recordStudentTrace(s, { programFile: '/home/s/pingpong_client.py' })
  const t = performance.now()
  for (let i = 0; i < 200; i++) r.push(chunk)
  best.push((performance.now() - t) * 1000 / 20000)
  await s.dispose()
}
console.log('full µs/line min', Math.min(...best).toFixed(2), 'all', best.map((b) => b.toFixed(1)).join(' '))
