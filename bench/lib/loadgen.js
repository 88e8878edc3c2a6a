/**
 * @module bench/lib/loadgen: the TLS load generator (a child process of the harness). Modes:
 * `bulk` (MB/s received over `conns` connections), `handshake` (new TLS connection, first byte, close, with
 * `conns` in flight), `idle` (opens `conns` connections, prints "ready", holds them until stdin closes).
 * Usage: node loadgen.js JSON  ->  prints one JSON result line.
 */
import tls from 'node:tls';
import { cpuSeconds } from './procs.js';

const o = JSON.parse(process.argv[2]);
const base = { host: '127.0.0.1', port: o.port, servername: o.servername, rejectUnauthorized: false };
const out = (v) => process.stdout.write(`${JSON.stringify(v)}\n`);

/** Server CPU seconds so far (o.pid and its children), sampled exactly when counting starts and ends. */
const cpu = () => (o.pid ? cpuSeconds(o.pid) : NaN);

/**
 * After the warm-up, calls start(); after o.seconds more, calls end(seconds, serverCpu) with the measured
 * window's length and the server CPU used in it, then exits.
 */
function measureWindow(start, end) {
  setTimeout(() => {
    start();
    const c0 = cpu();
    const t0 = process.hrtime.bigint();
    setTimeout(() => {
      end(Number(process.hrtime.bigint() - t0) / 1e9, cpu() - c0);
      process.exit(0);
    }, o.seconds * 1000);
  }, o.warmupMs ?? 500);
}

function connect(onReady, onData) {
  const s = tls.connect({ ...base, ...(o.alpn ? { ALPNProtocols: [o.alpn] } : {}) });
  s.setNoDelay?.(true);
  s.on('error', () => {});
  s.once('secureConnect', () => onReady?.(s));
  if (onData) s.on('data', (d) => onData(s, d));
  return s;
}

if (o.mode === 'bulk') {
  let bytes = 0;
  let counting = false;
  const socks = [];
  for (let i = 0; i < o.conns; i++)
    socks.push(
      connect(null, (_s, d) => {
        if (counting) bytes += d.length;
      }),
    );
  measureWindow(
    () => {
      counting = true;
    },
    (secs, serverCpu) => {
      out({ bytes, seconds: secs, mbps: bytes / 1e6 / secs, cpu: serverCpu });
      for (const s of socks) s.destroy();
    },
  );
} else if (o.mode === 'handshake') {
  let done = 0;
  let failed = 0;
  let counting = false;
  const deadline = Date.now() + (o.warmupMs ?? 500) + o.seconds * 1000 + 100;
  const one = () => {
    if (Date.now() > deadline) return;
    let finished = false;
    const s = connect(null, (sock) => {
      if (finished) return;
      finished = true;
      if (counting) done++;
      sock.destroy();
      one();
    });
    s.once('close', () => {
      if (!finished) {
        finished = true;
        failed++;
        setTimeout(one, 10);
      }
    });
  };
  for (let i = 0; i < o.conns; i++) one();
  measureWindow(
    () => {
      counting = true;
    },
    (secs, serverCpu) => {
      out({ conns: done, failed, seconds: secs, rate: done / secs, cpu: serverCpu });
    },
  );
} else if (o.mode === 'idle') {
  const socks = [];
  let ready = 0;
  let failed = 0;
  let started = 0;
  const inflight = o.concurrency ?? 100;
  const next = () => {
    if (started >= o.conns) return;
    started++;
    const s = connect(() => {
      ready++;
      check();
      next();
    });
    s.once('close', () => {
      if (!s.ready) {
        failed++;
        check();
        next();
      }
    });
    s.once('secureConnect', () => {
      s.ready = true;
    });
    socks.push(s);
  };
  const check = () => {
    if (ready + failed === o.conns) out({ ready, failed });
  };
  for (let i = 0; i < inflight; i++) next();
  process.stdin.resume();
  process.stdin.on('end', () => {
    for (const s of socks) s.destroy();
    process.exit(0);
  });
  setTimeout(() => process.exit(2), (o.maxSeconds ?? 300) * 1000);
} else {
  throw new Error(`unknown mode ${o.mode}`);
}
