// Load generator in its own process, so the server under test keeps its event loop to itself.
// argv: JSON {urls: string[], clients: number, perClient: number}. Each client is one keep-alive
// connection sending its requests one after the other (closed loop): client c sends
// urls[(c * perClient + i) % urls.length] for i < perClient. node:http rather than fetch: fetch
// costs this process about three times the CPU per request, CPU the server under test shares.
// Prints {latencies: ms[], cpuMsPerRequest} as JSON.
import http from 'node:http';

const { urls, clients, perClient } = JSON.parse(process.argv[2]);
const agent = new http.Agent({ keepAlive: true, maxSockets: clients });

function get(url) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent }, (res) => {
      res.on('data', () => {});
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`${res.statusCode} on ${url}`))));
    });
    req.on('error', reject);
  });
}

const latencies = [];
const cpu = process.cpuUsage();
await Promise.all(
  Array.from({ length: clients }, async (_, c) => {
    for (let i = 0; i < perClient; i++) {
      const url = urls[(c * perClient + i) % urls.length];
      const started = performance.now();
      await get(url);
      latencies.push(performance.now() - started);
    }
  }),
);
const used = process.cpuUsage(cpu);
agent.destroy();
process.stdout.write(JSON.stringify({ latencies, cpuMsPerRequest: (used.user + used.system) / 1000 / latencies.length }));
