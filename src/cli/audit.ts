/** `hdh audit verify|seal`: replay the chain and the seals; seal completed days now. */
import type { Command } from 'commander';
import { createHub } from '../main.js';
import { systemActor } from '../platform/actor.js';
import { config } from './main.js';

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('The tamper-evident audit log');

  audit
    .command('verify')
    .description('Check every event and seal; exit 1 naming each problem')
    .option('--json', 'print the report as JSON')
    .action(async (o: { json?: boolean }) => {
      const hub = await createHub(config(), { webDist: null });
      try {
        const report = await hub.services.audit.verify(systemActor('cli'));
        if (o.json) console.log(JSON.stringify(report, null, 2));
        else {
          console.log(`${report.eventsChecked} events, ${report.sealsChecked} seals checked; head ${report.head ? `#${report.head.seq} ${report.head.hash.slice(0, 16)}…` : '(empty)'}`);
          if (report.unsealedDays.length) console.log(`not sealed yet: ${report.unsealedDays.join(', ')}`);
          for (const p of report.problems) console.log(`PROBLEM ${p.kind}: ${p.message}`);
          console.log(report.ok ? 'Audit log intact.' : `Audit log TAMPERED: ${report.problems.length} problem(s).`);
        }
        process.exitCode = report.ok ? 0 : 1;
      } finally {
        await hub.close();
      }
    });

  audit.command('seal').description('Seal every completed day not sealed yet').action(async () => {
    const hub = await createHub(config(), { webDist: null });
    try {
      const days = await hub.services.audit.sealCompletedDays();
      console.log(days.length ? `Sealed ${days.join(', ')}` : 'Nothing to seal.');
    } finally {
      await hub.close();
    }
  });
}
