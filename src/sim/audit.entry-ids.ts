/**
 * The system's entry ids beside the model's entry numbers, both ways: the model learns a
 * system id from the answer that accepted (or, after a crash, first called duplicate) a report.
 */
export class EntryIds {
  private entryOfSystemId = new Int32Array(1_024).fill(-1);
  private systemIdOfEntry = new Int32Array(1_024);

  /** The model's entry for a system entry id, if the model knows it. */
  entryOf(systemEntryId: number): number | undefined {
    const entry = this.entryOfSystemId[systemEntryId];
    return entry === undefined || entry < 0 ? undefined : entry;
  }

  /** The system's id of a model entry; 0 while unknown. */
  systemIdOf(entry: number): number {
    return this.systemIdOfEntry[entry] ?? 0;
  }

  link(entry: number, systemEntryId: number): void {
    while (systemEntryId >= this.entryOfSystemId.length) {
      const grown = new Int32Array(this.entryOfSystemId.length * 2).fill(-1);
      grown.set(this.entryOfSystemId);
      this.entryOfSystemId = grown;
    }
    while (entry >= this.systemIdOfEntry.length) {
      const grown = new Int32Array(this.systemIdOfEntry.length * 2);
      grown.set(this.systemIdOfEntry);
      this.systemIdOfEntry = grown;
    }
    this.entryOfSystemId[systemEntryId] = entry;
    this.systemIdOfEntry[entry] = systemEntryId;
  }
}
