// Load generator in its own process, so the server under test keeps its event loop to itself.
// argv: JSON {urls: string[], clients: number, perClient: number}; prints the latencies (ms) as JSON.
const { urls, clients, perClient } = JSON.parse(process.argv[2]);
const latencies = [];
await Promise.all(
  Array.from({ length: clients }, async (_, c) => {
    for (let i = 0; i < perClient; i++) {
      const url = urls[(c * perClient + i) % urls.length];
      const started = performance.now();
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${res.status} on ${url}`);
      latencies.push(performance.now() - started);
    }
  }),
);
process.stdout.write(JSON.stringify(latencies));
