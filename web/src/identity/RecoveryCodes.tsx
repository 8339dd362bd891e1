/** The recovery codes, shown once after enrolment or regeneration. */
export function RecoveryCodes({ codes }: { codes: string[] }) {
  return (
    <ol className="hdh-recovery-codes fr-mb-3w" data-testid="recovery-codes">
      {codes.map((c) => (
        <li key={c}>
          <code>{c}</code>
        </li>
      ))}
    </ol>
  );
}
