/**
 * A one-line progress bar on stderr, drawn only when stderr is a terminal (so
 * logs and CI output stay clean) and only for runs long enough to need one.
 */
export function progressBar(label: string, width = 30) {
  const started = Date.now();
  let drawn = false;
  return {
    update(done: number, total: number): void {
      if (!process.stderr.isTTY || Date.now() - started < 500 || total === 0) return;
      const filled = Math.round((done / total) * width);
      const percent = Math.floor((done / total) * 100);
      process.stderr.write(
        `\r${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${percent}% ${done}/${total}`,
      );
      drawn = true;
    },
    done(): void {
      if (drawn) process.stderr.write("\n");
    },
  };
}
